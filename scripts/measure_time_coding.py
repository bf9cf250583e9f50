"""Measure which day of a period ACLED codes, on the training file (never on an evaluation set).

For every training note whose first sentence gives a range of days, either of two days, a weekend or a part of a
month, prints how often ACLED's ``event_date`` is the period's first day, last day, middle day or another day
inside it, with ACLED's ``time_precision``, by period length. The constants of ``time.yaml`` (``coding``:
``first_day_max``, ``week_max``, ``month_day``; weekends → Sunday; "X or Y" → the later day) were set from it.

    .venv/bin/python scripts/measure_time_coding.py --train ../shared/train/acled-train.csv
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from eventwatch.extract.doc import Doc
from eventwatch.extract.segment import segment
from eventwatch.extract.temporal import find_times
from eventwatch.model import Report
from eventwatch.resolve.timex import normalise


def _bucket(days: int) -> str:
    for limit, label in ((1, "1"), (3, "2-3"), (7, "4-7"), (14, "8-14"), (31, "15-31")):
        if days <= limit:
            return label
    return "32+"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=Path("../shared/train/acled-train.csv"))
    args = ap.parse_args()
    stats: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    with args.train.open(encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            pub = date.fromisoformat(r["eval_publication_date"])
            doc = Doc.from_report(Report(text=r["notes"], language="en",
                                         published_at=datetime(pub.year, pub.month, pub.day, tzinfo=UTC)))  # fmt: skip
            segment(doc)
            for s in doc.sentences:
                s.lang = "en"
            find_times(doc)
            tm = next((t for s in doc.sentences[:1] for t in s.times
                       if t.end_day is not None or t.end_month is not None or t.alternative
                       or t.part_day is not None or t.kind == "weekend"), None)  # fmt: skip
            ts = normalise(tm, pub) if tm is not None else None
            if tm is None or ts is None:
                continue
            gold = date.fromisoformat(r["eval_event_date"])
            days = (ts.end - ts.start).days + 1
            kind = "or" if tm.alternative else "part" if tm.part_day else tm.kind
            key = f"{kind}:{_bucket(days)}"
            middle = ts.start + (ts.end - ts.start) / 2
            pos = ("first" if gold == ts.start else "last" if gold == ts.end
                   else "middle" if abs((gold - middle).days) <= 1 else "inside" if ts.start < gold < ts.end
                   else "outside")  # fmt: skip
            stats[key][(pos, r["time_precision"])] += 1
    for key, counts in sorted(stats.items()):
        total = sum(counts.values())
        print(f"{key:12} {total:5}  " + "  ".join(f"{p}/p{tp} {n / total:.2f}" for (p, tp), n in counts.most_common(5)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
