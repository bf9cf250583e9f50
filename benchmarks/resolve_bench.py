"""Resolution benchmark: gazetteer build time and size, lookup latency, location/date accuracy on gold data."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

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
    out: dict[str, Any] = {
        "gazetteer_build_s": round(build_s, 1),
        "gazetteer_bytes": info["bytes"],
        "places": info["places"],
        "name_keys": info["names"],
        "lookup_us_p50": round(statistics.median(lat), 1),
        "lookup_us_p99": round(lat[int(len(lat) * 0.99) - 1], 1),
    }
    csvs = sorted(EVAL_DIR.glob("*.csv")) if EVAL_DIR.exists() else []
    if not csvs:
        print(f"no eval CSV under {EVAL_DIR} (README only): scoring the small gold fixture instead")
    from eventwatch.evaluate import evaluate

    gold = csvs[0] if csvs else GOLD_SMALL
    res = evaluate(gold).to_dict()
    out["gold"] = str(gold)
    metrics = res["systems"].get("eventwatch", {}).get("metrics", {})
    out["accuracy"] = {k: v for k, v in metrics.items() if k.split(".")[0] in ("location", "admin1", "event_date")}
    print(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
