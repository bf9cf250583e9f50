"""Resolution benchmark: gazetteer build time and size, lookup latency, location/date accuracy on gold data."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventwatch.resolve import geoindex

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval"
GOLD_SMALL = ROOT / "tests" / "evaluate" / "fixtures" / "gold-small.csv"
NAMES = ["Harem", "Harim", "حارم", "Idlib", "Idleb", "إدلب", "Tartus", "Tartous", "Tartouss", "Jableh", "Jablah",
         "Saraqib", "Kafr Nabl", "Aleppo", "Alep", "حلب", "Qamishli", "Kamishli", "El Fasher", "Goma", "Kharkiv",
         "Gao", "Djibo", "Damascus", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Afrin", "Manbij"]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        info = geoindex.build(Path(tmp) / "gaz.sqlite")
        build_s = time.perf_counter() - t
    geoindex.ensure_built()
    lat: list[float] = []
    for _ in range(20):
        geoindex.lookup.cache_clear()
        for n in NAMES:
            t = time.perf_counter()
            geoindex.lookup(n)
            lat.append((time.perf_counter() - t) * 1e6)
    lat.sort()
    console = Console()
    table = Table(title="gazetteer (GeoNames cities500 + admin areas + curated layer), built offline")
    for col in ("build s", "size MB", "places", "name keys", "lookup p50 µs", "lookup p99 µs", "target"):
        table.add_column(col, justify="right")
    table.add_row(
        f"{build_s:.1f}",
        f"{info['bytes'] / 1e6:.1f}",
        f"{info['places']:,}",
        f"{info['names']:,}",
        f"{statistics.median(lat):.1f}",
        f"{lat[int(len(lat) * 0.99) - 1]:.1f}",
        "lookup < 1,000 µs",
    )
    console.print(table)

    csvs = sorted(EVAL_DIR.glob("*.csv")) if EVAL_DIR.exists() else []
    if not csvs:
        console.print(f"no eval CSV under {EVAL_DIR} (README only): scoring the small gold fixture instead")
    from eventwatch.evaluate import evaluate

    gold = csvs[0] if csvs else GOLD_SMALL
    split = "test" if csvs else "all"  # the fixture is too small to split meaningfully
    metrics = evaluate(gold, split=split).to_dict()["systems"].get("eventwatch", {}).get("metrics", {})
    acc = Table(title=f"resolution accuracy on {gold.name} ({split} split)")
    for col in ("metric", "n", "eventwatch", "target (issue 5)"):
        acc.add_column(col, justify="left" if col == "metric" else "right")
    targets = {"location.within_25km": "≥ 0.85", "event_date.exact": "≥ 0.90"}
    for key, value in metrics.items():
        if key.split(".")[0] in ("location", "admin1", "event_date") and value.get("value") is not None:
            acc.add_row(key, str(value["n"]), f"{value['value']:.3f}", targets.get(key, ""))
    console.print(acc)


if __name__ == "__main__":
    main()
