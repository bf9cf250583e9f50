"""User gazetteer layers: GeoNames dump files and ACLED exports a user holds, imported into the offline index.

``eventwatch gazetteer import FILE`` converts a file into a layer — one normalised TSV under the layers folder
(``$EVENTWATCH_LAYERS``, default ``$EVENTWATCH_CACHE/layers``) — and the next lookup rebuilds the index with every
layer in it (the index version hashes the layers, so adding or removing one rebuilds; nothing is downloaded).

- **GeoNames dumps** (``allCountries.txt``, a country file such as ``SY.txt``; tab-separated, 19 columns, CC BY 4.0):
  populated places (class P) and administrative areas (class A) with their alternate names, population and
  admin1/admin2 names (GeoNames' codes are turned into names through the admin areas already in the index).
- **ACLED exports** (CSV with ``location``, ``admin1``, ``admin2``, ``latitude``, ``longitude``, ``country``/
  ``iso``): every distinct location of a country and admin1, at the median of its coded points, as a populated
  place (ACLED codes events to named towns and villages, so these are the places conflict reporting names —
  many of them missing from GeoNames' cities500).

A layer place that GeoNames already has (same country, same name skeleton, within 10 km) adds its names to that
place instead of duplicating it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAYER_COLUMNS = ("gid", "name", "alternatenames", "iso2", "admin1", "admin2", "latitude", "longitude", "population",
                 "feature_class", "feature_code")  # fmt: skip
_NAME = re.compile(r"^[A-Za-z0-9][\w.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class LayerPlace:
    gid: str
    name: str
    alternatenames: tuple[str, ...]
    iso2: str
    admin1: str | None
    admin2: str | None
    latitude: float
    longitude: float
    population: int = 0
    feature_class: str = "P"
    feature_code: str = "PPL"


def layers_dir() -> Path:
    env = os.environ.get("EVENTWATCH_LAYERS")
    if env:
        return Path(env)
    from eventwatch.resolve.geoindex import cache_dir

    return cache_dir() / "layers"


def layer_files() -> list[Path]:
    """The installed layers, in name order (``EVENTWATCH_LAYERS=none`` disables them)."""
    if os.environ.get("EVENTWATCH_LAYERS", "").lower() == "none":
        return []
    folder = layers_dir()
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def layers_version() -> str:
    """A hash of every installed layer's content (part of the index version)."""
    h = hashlib.sha256()
    for path in layer_files():
        h.update(path.name.encode())
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:12]


def read_layer(path: Path) -> Iterator[LayerPlace]:
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            yield LayerPlace(r["gid"], r["name"], tuple(a for a in r["alternatenames"].split("|") if a), r["iso2"],
                             r["admin1"] or None, r["admin2"] or None, float(r["latitude"]), float(r["longitude"]),
                             int(r["population"] or 0), r["feature_class"], r["feature_code"])  # fmt: skip


def write_layer(name: str, places: Iterable[LayerPlace], folder: Path | None = None) -> tuple[Path, int]:
    """Write (atomically) the layer ``name`` (into ``folder``, default :func:`layers_dir`); returns its path and
    the number of places."""
    if not _NAME.match(name):
        raise ValueError(f"layer name {name!r}: letters, digits, '.', '_' or '-' only")
    folder = folder or layers_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tsv"
    tmp = path.with_suffix(".tsv.tmp")
    n = 0
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(LAYER_COLUMNS)
        for p in places:
            point = (f"{p.latitude:.5f}", f"{p.longitude:.5f}")
            w.writerow([p.gid, p.name, "|".join(p.alternatenames), p.iso2, p.admin1 or "", p.admin2 or "", *point,
                        p.population, p.feature_class, p.feature_code])  # fmt: skip
            n += 1
    os.replace(tmp, path)
    return path, n


def remove_layer(name: str) -> bool:
    path = layers_dir() / f"{name}.tsv"
    if path.exists():
        path.unlink()
        return True
    return False


# --- GeoNames dump files ---------------------------------------------------------------------------------------

_KEEP_CODES = ("ADM1", "ADM2", "ADM3", "PCLI")


def open_lines(path: Path) -> Iterator[str]:
    """The text lines of a file, or of the first ``.txt`` member of a ``.zip`` (GeoNames ships ``SY.zip``)."""
    if path.suffix.lower() == ".zip":
        import io
        import zipfile

        with zipfile.ZipFile(path) as z:
            member = next((n for n in z.namelist() if n.endswith(".txt") and "readme" not in n.lower()), None)
            if member is None:
                raise ValueError(f"{path}: no .txt file inside")
            with z.open(member) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8")
        return
    with path.open(encoding="utf-8", newline="") as f:
        yield from f


def geonames_places(path: Path, admin_names: Callable[[str], str | None], tick: Callable[[int], None] | None = None
                    ) -> Iterator[LayerPlace]:  # fmt: skip
    """Places (class P) and admin areas (ADM1–3, countries) of a GeoNames dump; ``admin_names`` turns an admin
    code ("SY.13", "SY.13.1234") into its name."""
    from eventwatch.resolve.geoindex import keep_alternate

    for line in open_lines(path):
        if tick is not None:
            tick(len(line))
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15 or cols[0].startswith("#"):
            continue
        fclass, fcode, cc = cols[6], cols[7], cols[8]
        if not (fclass == "P" or (fclass == "A" and fcode in _KEEP_CODES)) or not cc:
            continue
        try:
            lat, lon, pop = float(cols[4]), float(cols[5]), int(cols[14] or 0)
        except ValueError:
            continue
        alts = tuple(a for a in cols[3].split(",") if keep_alternate(a))
        yield LayerPlace(f"geonames:{cols[0]}", cols[1], (cols[2], *alts), cc,
                         admin_names(f"{cc}.{cols[10]}") if cols[10] else None,
                         admin_names(f"{cc}.{cols[10]}.{cols[11]}") if cols[11] else None,
                         lat, lon, pop, fclass, fcode if fclass == "A" else "PPL")  # fmt: skip


def detect_format(path: Path) -> str:
    """ "acled" (a CSV with location and coordinates) or "geonames" (a tab-separated dump); ValueError otherwise."""
    head = next(open_lines(path), "")
    if path.suffix.lower() == ".zip" or head.count("\t") >= 14:
        return "geonames"
    columns = {c.strip().lower().lstrip("\ufeff") for c in head.split(",")}
    if {"location", "latitude", "longitude"} <= columns:
        return "acled"
    raise ValueError(f"{path}: neither a GeoNames dump (19 tab-separated columns) nor an ACLED export (CSV with "
                     "location, latitude, longitude)")  # fmt: skip


# --- ACLED exports ---------------------------------------------------------------------------------------------


@cache
def _iso2_of() -> dict[str, str]:
    """ISO numeric code, alpha-3 and country names (folded) → ISO2."""
    from eventwatch.extract.lexicon import fold
    from eventwatch.resolve.geoindex import read_tsv

    out: dict[str, str] = {}
    for r in read_tsv("countries.tsv"):
        out[str(int(r["numeric"]))] = r["iso2"]
        out[r["iso3"].lower()] = r["iso2"]
        out[fold(r["name"])] = r["iso2"]
    for r in read_tsv("world_countries.tsv"):
        for n in r["names"].split("|"):
            out.setdefault(fold(n), r["iso2"])
    out["0"] = "XK"  # ACLED's numeric code for Kosovo
    return out


def acled_places(path: Path, tick: Callable[[int], None] | None = None, min_rows: int = 1) -> Iterator[LayerPlace]:
    """Every distinct (country, admin1, location) of an ACLED export coded at least ``min_rows`` times, at the
    median of its coded points."""
    from eventwatch.extract.lexicon import fold

    iso2_of = _iso2_of()
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    admin2: dict[tuple[str, str, str], str] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if tick is not None:
                tick(1)
            loc = (r.get("location") or "").strip()
            iso = iso2_of.get((r.get("iso") or "").strip()) or iso2_of.get(fold(r.get("country") or ""))
            try:
                lat, lon = float(r.get("latitude") or ""), float(r.get("longitude") or "")
            except ValueError:
                continue
            if not loc or iso is None:
                continue
            key = (iso, (r.get("admin1") or "").strip(), loc)
            points.setdefault(key, []).append((lat, lon))
            if r.get("admin2"):
                admin2.setdefault(key, r["admin2"].strip())
    for (iso, a1, loc), pts in sorted(points.items()):
        if len(pts) < min_rows:
            continue
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        digest = hashlib.sha1(f"{iso}|{a1}|{loc}".encode()).hexdigest()[:10]
        # "Kiev-Holosiivskyi", "Mogadishu-Bondhere": ACLED's city-district names are also known by the district.
        alts = tuple(part for part in loc.split("-")[1:] if len(part) > 3) if loc.count("-") == 1 else ()
        yield LayerPlace(f"acled:{digest}", loc, alts, iso, a1 or None, admin2.get((iso, a1, loc)), lat, lon)
