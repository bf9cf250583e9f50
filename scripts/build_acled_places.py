"""Learn the towns and villages ACLED codes events to from the training export: ``acled_places.tsv``.

ACLED notes name the village an event happened in ("in the village of Banguiti", "in Mangaize"), and most of those
villages are missing from GeoNames' cities500, the index's base: the event then falls back to its district or, with
no district named, to no country at all. For every (country, admin1, location) of the training export coded at
least ``MIN_ROWS`` times this writes the location's name, admin areas and the median of its coded points, in the
layer format of :mod:`eventwatch.resolve.layers`; the index build adds them as a built-in layer (a place GeoNames
already has within 10 km gains the name instead). Places only, no event rows: aggregated like
``admin_points.tsv``. Only ``../shared/train/acled-train.csv`` is read (never an evaluation file); the sidecar
``acled_places.json`` records its sha256 and the number of places.

    .venv/bin/python scripts/build_acled_places.py [../shared/train/acled-train.csv]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "eventwatch" / "data"
MIN_ROWS = 2


def main(argv: list[str]) -> int:
    train = Path(argv[0]) if argv else ROOT.parent / "shared" / "train" / "acled-train.csv"
    if "eval" in train.parts:
        raise SystemExit("refusing to learn from an evaluation file")
    from eventwatch.resolve.layers import acled_places, write_layer

    sha = hashlib.sha256(train.read_bytes()).hexdigest()
    path, n = write_layer("acled_places", acled_places(train, min_rows=MIN_ROWS), DATA)
    sidecar = {
        "source": train.name,
        "sha256": sha,
        "min_rows": MIN_ROWS,
        "places": n,
        "licence": "derived from ACLED data (ACLED Terms of Use; attribution in NOTICE)",
        "rebuild": "python scripts/build_acled_places.py ../shared/train/acled-train.csv",
    }
    (DATA / "acled_places.json").write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    print(f"{n} places → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
