"""Learn where ACLED codes its second- and third-level areas from the training export: ``admin_points.tsv``.

ACLED notes name their districts in ACLED's spelling ("(Afmadow, Lower Juba)", "Hodan district", "Central Jakarta")
and, where the village is unknown, the event is coded to the district (geo precision 2). GeoNames lacks a point for
a third of its districts and names many differently ("Kota Administrasi Jakarta Pusat"), so for every (country,
admin1, admin2) and (..., admin3) of the training export with at least ``MIN_ROWS`` rows this writes the median of
its coded points; the index build gives the point to the GeoNames district of that name, or adds the district under
ACLED's name, and adds the third-level areas ("Minbya" township, "Patikul" municipality), which GeoNames' index
here lacks.
Only ``../shared/train/acled-train.csv`` is read (never an evaluation file); the output records its sha256.

    .venv/bin/python scripts/build_admin_points.py [../shared/train/acled-train.csv]
"""

from __future__ import annotations

import csv
import hashlib
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwatch" / "data" / "admin_points.tsv"
MIN_ROWS = 2


def main(argv: list[str]) -> int:
    train = Path(argv[0]) if argv else ROOT.parent / "shared" / "train" / "acled-train.csv"
    if "eval" in train.parts:
        raise SystemExit("refusing to learn from an evaluation file")
    from eventwatch.resolve.layers import _iso2_of

    iso2_of = _iso2_of()
    sha = hashlib.sha256(train.read_bytes()).hexdigest()
    points: dict[tuple[str, str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with train.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            iso = iso2_of.get((r.get("iso") or "").strip())
            a1, a2 = (r.get("admin1") or "").strip(), (r.get("admin2") or "").strip()
            a3 = (r.get("admin3") or "").strip()
            try:
                lat, lon = float(r["latitude"]), float(r["longitude"])
            except (KeyError, ValueError):
                continue
            if iso and a1 and a2:
                points[(iso, a1, a2, "")].append((lat, lon))
                if a3:
                    points[(iso, a1, a2, a3)].append((lat, lon))
    rows = []
    for (iso, a1, a2, a3), pts in sorted(points.items()):
        if len(pts) >= MIN_ROWS:
            lat = statistics.median(p[0] for p in pts)
            lon = statistics.median(p[1] for p in pts)
            rows.append((iso, a1, a2, a3, f"{lat:.4f}", f"{lon:.4f}", len(pts)))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write("# Where ACLED codes each second- and third-level area (median of its coded points), learned by\n")
        f.write("# scripts/build_admin_points.py from the training export only.\n")
        f.write(f"# {train.name} sha256 {sha} (ACLED data, attribution in NOTICE).\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["iso2", "admin1", "admin2", "admin3", "latitude", "longitude", "rows"])
        w.writerows(rows)
    print(f"{len(rows)} admin2/admin3 points → {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
