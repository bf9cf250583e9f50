"""Build ``src/eventwatch/data/doc_frequencies.tsv``: how many ACLED notes each folded term occurs in.

Fusion weighs the words two reports share by how rare they are in conflict reporting (IDF), with this table as the
fixed background, so that a link between two reports never depends on what else the store holds (a store-wide IDF
would make clustering depend on ingest order). Terms are :func:`eventwatch.fuse.text.terms` of each ``notes`` cell
of ``../shared/train/acled-train.csv`` (53,593 events, training data only); terms seen in fewer than 3 notes are
left out (an absent term counts as rarer than every listed one).

    .venv/bin/python scripts/build_doc_frequencies.py [--train ../shared/train/acled-train.csv]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from eventwatch.fuse.text import terms

OUT = Path(__file__).resolve().parents[1] / "src" / "eventwatch" / "data" / "doc_frequencies.tsv"
MIN_DF = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--train", type=Path, default=Path("../shared/train/acled-train.csv"))
    args = parser.parse_args()
    csv.field_size_limit(1 << 24)
    df: Counter[str] = Counter()
    n = 0
    with args.train.open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            n += 1
            df.update(set(terms(row.get("notes") or "")))
    with OUT.open("w", encoding="utf-8") as out:
        out.write(f"# documents\t{n}\n")
        for term, count in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])):
            if count >= MIN_DF:
                out.write(f"{term}\t{count}\n")
    print(f"{OUT}: {sum(1 for c in df.values() if c >= MIN_DF):,} terms from {n:,} notes")


if __name__ == "__main__":
    main()
