"""Ingest throughput (reports/s, MB/s) per format on a generated corpus of ≥ 10,000 reports."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from eventwatch.runner import ingest_paths
from eventwatch.store import SQLiteStore

N_REPORTS = 10_000


def main(console: Console | None = None) -> None:
    console = console or Console()
    with tempfile.TemporaryDirectory(prefix="ew-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        counts = generate(folder, N_REPORTS)
        parts = {
            "jsonl": [folder / "wire.jsonl"],
            "markdown": [folder / "articles"],
            "telegram": [folder / "telegram"],
            "feed (rss)": [folder / "feed.xml"],
            "x archive": [folder / "x"],
        }
        table = Table(title=f"ingest throughput, {sum(counts.values()):,} generated reports, fresh SQLite store")
        for col in ("input", "reports", "MB", "seconds", "reports/s", "MB/s", "new", "dupes", "rejects"):
            table.add_column(col, justify="right" if col != "input" else "left")
        store = SQLiteStore(Path(tmp) / "bench.db")
        total_reports = total_bytes = 0
        t0 = time.perf_counter()
        for name, paths in parts.items():
            s = ingest_paths(store, paths)
            total_reports += s.reports
            total_bytes += s.bytes
            table.add_row(
                name,
                f"{s.reports:,}",
                f"{s.bytes / 1e6:.1f}",
                f"{s.seconds:.2f}",
                f"{s.reports_per_s:,.0f}",
                f"{s.mb_per_s:.1f}",
                f"{s.inserted:,}",
                f"{s.duplicates:,}",
                f"{s.rejected:,}",
            )
        elapsed = time.perf_counter() - t0
        table.add_row(
            "[bold]all formats",
            f"{total_reports:,}",
            f"{total_bytes / 1e6:.1f}",
            f"{elapsed:.2f}",
            f"{total_reports / elapsed:,.0f}",
            f"{total_bytes / 1e6 / elapsed:.1f}",
            "",
            "",
            "",
        )
        again = ingest_paths(store, [folder])
        table.add_row(
            "re-ingest all (no-op)",
            f"{again.reports:,}",
            f"{again.bytes / 1e6:.1f}",
            f"{again.seconds:.2f}",
            f"{again.reports_per_s:,.0f}",
            f"{again.mb_per_s:.1f}",
            f"{again.inserted:,}",
            f"{again.duplicates:,}",
            f"{again.rejected:,}",
        )
        store.close()
        console.print(table)


if __name__ == "__main__":
    main()
