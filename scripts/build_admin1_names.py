"""Learn ACLED's first-level admin names from the training export: ``src/eventwatch/data/admin1_names.tsv``.

GeoNames and ACLED name many first-level areas differently ("Jubbada Hoose" / "Lower Juba", "Shabeellaha Hoose" /
"Lower Shabelle", "Al Bayda'" / "Al Bayda"), so an event placed right would still miss its ACLED admin1. For every
training row whose location is a place of the default index in the same country within 15 km of the coded point,
this counts (country, the index's admin1 name) → ACLED's admin1; a pair seen at least 3 times and on at least
60 % of its rows becomes an alias that the index build applies to the area and every place in it. An area whose
rows ACLED files under several of its own first-level areas (its scheme cuts the area: GeoNames' "Lumbini" is
ACLED's "Mid-Western" and "West"; Tripoli city lies in GeoNames' "Tarabulus" with Jafara's villages) is *split*:
fewer than ``MAX_SPLIT_SHARE`` of its rows go to the most common name and another takes at least ``MIN_ROWS - 1``;
its row lists those names (``split_names``), and the index build gives each of its places the admin1 of the
nearest ACLED district among them (``admin_points.tsv``), keeping the alias (the majority) for the area itself.
An area that no training location matches by name (few rows of that country: Yemen's "'Adan", Greece's "Attiki") is
learned from coordinates instead: each training point counts for the admin1 of the nearest populated place of the
index in the same country within ``NEAR_KM``; such an alias needs ``MIN_POINT_ROWS`` rows and ``MIN_POINT_SHARE``
of the area's (border points go either way), and never makes a split.
A pair whose ACLED name is GeoNames' own is written too (``acled_admin1`` = ``geonames_admin1``): it confirms the
name, so the index build does not replace it by a short English alias ("Ouaddai" stays; see
``geoindex._short_english_name``).
Only
``../shared/train/acled-train.csv`` is read (never an evaluation file); the output records its sha256.

    .venv/bin/python scripts/build_admin1_names.py [../shared/train/acled-train.csv]
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwatch" / "data" / "admin1_names.tsv"
MIN_ROWS = 3
MIN_SHARE = 0.6
MAX_SPLIT_SHARE = 0.9
NEAR_KM = 10.0
MIN_POINT_ROWS = 3
MIN_POINT_SHARE = 0.7


def _grid_key(lat: float, lon: float) -> tuple[int, int]:
    return int(lat * 10 // 1), int(lon * 10 // 1)  # 0.1 degree cells (~11 km)


def main(argv: list[str]) -> int:
    train = Path(argv[0]) if argv else ROOT.parent / "shared" / "train" / "acled-train.csv"
    if "eval" in train.parts:
        raise SystemExit("refusing to learn from an evaluation file")
    os.environ["EVENTWATCH_LAYERS"] = "none"  # the default index only; ACLED's own names must not leak in
    os.environ["EVENTWATCH_ADMIN1_NAMES"] = "none"  # learn against GeoNames' names, not a previous table
    from eventwatch.evaluate.metrics import haversine_km
    from eventwatch.resolve.gazetteer import candidates
    from eventwatch.resolve.geoindex import _connection
    from eventwatch.resolve.layers import acled_places

    grid: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for iso2, admin1, plat, plon in _connection().execute(
        "SELECT iso2, admin1, lat, lon FROM places WHERE fclass = 'P' AND admin1 IS NOT NULL AND lat IS NOT NULL"
    ):
        grid[(iso2, *_grid_key(plat, plon))].append((plat, plon, admin1))

    def nearest_admin1(iso2: str, lat: float, lon: float) -> str | None:
        gy, gx = _grid_key(lat, lon)
        best: tuple[float, str] | None = None
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for plat, plon, admin1 in grid.get((iso2, gy + dy, gx + dx), []):
                    d = haversine_km(lat, lon, plat, plon)
                    if d <= NEAR_KM and (best is None or d < best[0]):
                        best = (d, admin1)
        return best[1] if best else None

    sha = hashlib.sha256(train.read_bytes()).hexdigest()
    iso_of: dict[tuple[str, str], str] = {}
    for p in acled_places(train):
        iso_of[(p.name, p.admin1 or "")] = p.iso2
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    by_point: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with train.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            loc, a1 = (r.get("location") or "").strip(), (r.get("admin1") or "").strip()
            iso = iso_of.get((loc, a1))
            try:
                lat, lon = float(r["latitude"]), float(r["longitude"])
            except (KeyError, ValueError):
                continue
            if not iso or not a1:
                continue
            near = nearest_admin1(iso, lat, lon)
            if near:
                by_point[(iso, near)][a1] += 1
            for c in candidates(loc):
                located = c.latitude is not None and c.longitude is not None
                if c.iso2 == iso and c.admin1 and located and haversine_km(lat, lon, c.latitude, c.longitude) <= 15:  # type: ignore[arg-type]
                    counts[(iso, c.admin1)][a1] += 1
                    break
    rows = []
    for (iso, ours), theirs in sorted(counts.items()):
        name, n = theirs.most_common(1)[0]
        total = sum(theirs.values())
        if total < MIN_ROWS:
            continue
        others = [t for t, k in theirs.most_common()[1:] if k >= MIN_ROWS - 1]
        split = "|".join([name, *others]) if n / total < MAX_SPLIT_SHARE and others else ""
        if (n >= MIN_ROWS and n / total >= MIN_SHARE) or split:
            rows.append((iso, ours, name if n >= MIN_ROWS and n / total >= MIN_SHARE else ours, n, total, split))
    learned = {(iso, ours) for iso, ours, *_ in rows}
    for (iso, ours), theirs in sorted(by_point.items()):
        name, n = theirs.most_common(1)[0]
        total = sum(theirs.values())
        if (iso, ours) not in learned and n >= MIN_POINT_ROWS and n / total >= MIN_POINT_SHARE:
            rows.append((iso, ours, name, n, total, ""))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write("# ACLED's admin1 name for a GeoNames first-level area, learned by scripts/build_admin1_names.py\n")
        f.write("# from the training export only.\n")
        f.write(f"# {train.name} sha256 {sha} (ACLED data, attribution in NOTICE).\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["iso2", "geonames_admin1", "acled_admin1", "rows", "rows_of_area", "split_names"])
        w.writerows(rows)
    print(f"{len(rows)} admin1 names (aliases and confirmations) → {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
