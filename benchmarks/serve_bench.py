"""Dashboard load time over a 10,000-incident database: first contentful paint and time until the map's markers
are drawn, measured in Debian's headless Chromium (skipped cleanly where chromium, node or playwright-core is
missing), plus the API calls the page makes, timed alone."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

from eventwatch.fuse import build_incident, incident_id_for
from eventwatch.model import Event, Hedge, Report, ReportAnalysis, Span
from eventwatch.serve import Settings, create_app
from eventwatch.store import SQLiteStore

N_INCIDENTS = 10_000
BUDGET_MS = 2000.0
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "serve" / "e2e" / "firstpaint.mjs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Syria's governorates with rough centres: incidents scatter around them.
ADMIN1 = {
    "Idlib": (35.9, 36.6),
    "Aleppo": (36.2, 37.4),
    "Hama": (35.2, 36.8),
    "Homs": (34.7, 37.5),
    "Damascus": (33.5, 36.3),
    "Rural Damascus": (33.6, 36.6),
    "Daraa": (32.7, 36.2),
    "As-Suwayda": (32.7, 36.7),
    "Quneitra": (33.1, 35.9),
    "Lattakia": (35.6, 35.9),
    "Tartous": (35.0, 36.0),
    "Deir-ez-Zor": (35.1, 40.2),
    "Ar-Raqqa": (35.9, 38.9),
    "Al-Hasakeh": (36.6, 40.8),
}
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
]
SOURCES = ["SOHR", "Syria Direct", "Enab Baladi", "SANA", "North Press", "Levant Monitor", "Daraa24"]


def build_db(path: Path, n: int = N_INCIDENTS, seed: int = 7) -> None:
    """n single-report incidents with reports, events and spans, written through the Store API."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    with SQLiteStore(path) as store:
        for chunk in range(0, n, 1000):
            reports: list[Report] = []
            analyses: list[ReportAnalysis] = []
            members: list[Event] = []
            for i in range(chunk, min(n, chunk + 1000)):
                admin1 = rng.choice(list(ADMIN1))
                lat, lon = ADMIN1[admin1]
                kind, sub = rng.choice(TYPES)
                day = start + timedelta(days=rng.randrange(300))
                killed = rng.choice([None, None, 0, 1, 2, 3, 5, 8, 12])
                place = f"Village {i}"
                text = f"{sub} reported in {place}, {admin1} countryside, on {day:%d %B}" + (
                    f", killing {killed}." if killed is not None else "."
                )
                report = Report(
                    text=text,
                    source=rng.choice(SOURCES),
                    published_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=rng.randrange(24)),
                    language="en",
                )
                at = text.index(place)
                event = Event(
                    report_id=report.id,
                    event_type=kind,
                    sub_event_type=sub,
                    event_date=day,
                    country="Syria",
                    iso="SY",
                    admin1=admin1,
                    location=place,
                    latitude=round(lat + rng.gauss(0, 0.35), 4),
                    longitude=round(lon + rng.gauss(0, 0.35), 4),
                    geo_precision=1,
                    source=report.source,
                    fatalities=killed,
                    fatalities_best=killed,
                    fatalities_low=killed,
                    hedge=Hedge.CONFIRMED,
                    spans={
                        "location": [Span(report.id, at, at + len(place))],
                        "event_type": [Span(report.id, 0, len(sub))],
                    },
                )
                reports.append(report)
                analyses.append(ReportAnalysis(report.id, "en", [], [event]))
                members.append(event)
            store.add_reports(reports)
            store.save_analyses(analyses)
            by_id = {r.id: r for r in reports}
            store.save_incidents(build_incident(incident_id_for(e), [e], by_id) for e in members)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _missing_tooling() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM}"
    if shutil.which("node") is None:
        return "node not found"
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        return "playwright-core not installed (npm ci)"
    return None


def main(console: Console | None = None) -> None:
    console = console or Console()
    missing = _missing_tooling()
    if missing:
        console.print(f"[yellow]serve_bench skipped:[/] {missing}")
        return
    with tempfile.TemporaryDirectory(prefix="ew-serve-bench-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build_db(db)
        build_s = time.perf_counter() - t0
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(Settings(db=db, port=port)), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        base = f"http://127.0.0.1:{port}"
        try:
            api = Table(
                title=f"API calls of the first load, {N_INCIDENTS:,} incidents (database built in {build_s:.1f} s)"
            )
            for col in ("request", "ms (median of 5)", "bytes"):
                api.add_column(col, justify="left" if col == "request" else "right")
            for path in (
                "/api/health",
                "/api/facets?kind=incidents&include_background=false",
                "/api/map?kind=incidents&include_background=false",
                "/api/timeline?kind=incidents&bucket=week&include_background=false",
                "/api/incidents?limit=50&offset=0&include_background=false",
                "/api/reports?limit=10",
            ):
                times, size = [], 0
                for _ in range(5):
                    t = time.perf_counter()
                    size = len(httpx.get(base + path, timeout=60).content)
                    times.append((time.perf_counter() - t) * 1000)
                api.add_row(path, f"{statistics.median(times):.0f}", f"{size:,}")
            console.print(api)

            env = {**os.environ, "BASE_URL": base, "RUNS": "3", "CHROMIUM": CHROMIUM}
            proc = subprocess.run(["node", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                console.print(f"[red]browser run failed:[/] {proc.stderr[-2000:]}")
                return
            runs = json.loads(proc.stdout.strip().splitlines()[-1])
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    table = Table(title=f"dashboard load in headless Chromium, {N_INCIDENTS:,} incidents, cold cache, loopback")
    for col in ("run", "first contentful paint ms", "map markers drawn ms", "markers", "list rows", "within 2 s"):
        table.add_column(col, justify="right")
    for i, run in enumerate(runs, 1):
        ok = run["fcp_ms"] is not None and run["fcp_ms"] < BUDGET_MS and run["markers_ms"] < BUDGET_MS
        table.add_row(
            str(i),
            f"{run['fcp_ms']:.0f}" if run["fcp_ms"] is not None else "?",
            f"{run['markers_ms']:.0f}",
            f"{run['markers']:,}",
            str(run["rows"]),
            "yes" if ok else "[red]no[/]",
        )
    console.print(table)


if __name__ == "__main__":
    main()
