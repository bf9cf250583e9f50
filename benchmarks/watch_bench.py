"""Live monitoring: latency from a report's appearance to its incident in the API and its alert delivered, and
throughput while the dashboard is being read.

``eventwatch watch`` runs as a subprocess over a store already holding 10,000 incidents, following a feed on a
loopback HTTP server (polled every second), a folder (JSON Lines appended, scanned every 0.5 s) and its own
``POST /api/reports``, with one rule alerting on every new incident to a loopback webhook.

* Latency: 500 wire-length reports (≈ 180 words, en: a lead and local detail) at a steady 5 per second, a third
  through each source. Appearance is when the item is added to the served feed, the line written to the file, the
  POST sent. A simulated dashboard tab refreshes its seven views every 2 s meanwhile. Visible: the first poll (every
  0.2 s) of ``/api/incidents`` that lists the report's incident; delivered: the webhook receiving its alert.
* Throughput: 1,000 reports dropped at once as one JSON Lines file while two dashboard clients read
  back-to-back: reports/s from the drop to the last alert delivered, and the read latency meanwhile.

Targets (issue 16): p50 ≤ 2 s and p99 ≤ 5 s from appearance to alert delivered, on 2 cores.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_bench import build_db

N_LATENCY = 500
RATE = 5.0  # reports per second
N_BURST = 1000
N_SEED = 10_000
P50_TARGET, P99_TARGET = 2.0, 5.0
START = date(2015, 1, 1)  # bench incidents: 2015–2023, apart from the seeded 2025 ones
TOWNS = [
    ("Saraqib", "Idlib"),
    ("Manbij", "Aleppo"),
    ("Talbiseh", "Homs"),
    ("Tafas", "Daraa"),
    ("Jableh", "Latakia"),
    ("Baniyas", "Tartus"),
    ("Mayadin", "Deir ez-Zor"),
    ("Tabqa", "Raqqa"),
    ("Qamishli", "Hasakah"),
    ("Salamiyah", "Hama"),
    ("Douma", "Rural Damascus"),
    ("Azaz", "Aleppo"),
    ("Nawa", "Daraa"),
    ("Rastan", "Homs"),
    ("Ariha", "Idlib"),
]
LEADS = [
    "Government artillery shelled {town}, in {admin1} province, on {day}, killing {n} civilians, the Syrian "
    "Observatory for Human Rights said.",
    "Clashes broke out in {town}, in the countryside of {admin1}, on {day} between government forces and gunmen; "
    "{n} fighters were killed, SOHR reported.",
    "A drone strike hit a vehicle near {town} in {admin1} on {day}, killing {n} people, local sources said.",
]
# What follows the lead in a wire story: local detail, no further violence (each report is one event), about
# 180 words in all with the lead.
CONTEXT = [
    "Residents of {town} said shops stayed shut for most of the day and that many families had left for relatives' "
    "homes in nearby villages, taking what they could carry.",
    "The local council in {town} appealed for medical supplies and fuel for the hospital's generators, saying its "
    "stocks would last less than a week at the current rate.",
    "Aid workers in {admin1} said the roads into the area were open again by the evening, though checkpoints slowed "
    "traffic on the main highway for several hours.",
    "Prices of bread and cooking gas in {town} have more than doubled since the autumn, according to traders "
    "interviewed by phone, and queues at bakeries formed before dawn.",
    "Schools in the district were closed until further notice, an education official in {admin1} said, and exams "
    "planned for next week were postponed.",
    "Independent verification of the figures was not immediately possible, and officials in {admin1} did not "
    "respond to requests for comment by the time of publication.",
    "Humanitarian agencies said access to parts of {admin1} remained limited, and that they were assessing the "
    "needs of people who had arrived in {town} over the past month.",
]
DASHBOARD = (
    "/api/health",
    "/api/facets?kind=incidents",
    "/api/map?kind=incidents",
    "/api/timeline?kind=incidents&bucket=week",
    "/api/incidents?limit=50&include_background=false",
    "/api/reports?limit=10",
    "/api/alerts?limit=10",
)


def report(i: int) -> tuple[str, date, datetime]:
    """Report i: its own town and day (two days apart, towns in rotation), so each opens one incident; published
    that evening."""
    town, admin1 = TOWNS[i % len(TOWNS)]
    day = START + timedelta(days=2 * i)
    lead = LEADS[i % len(LEADS)].format(town=town, admin1=admin1, day=f"{day.day} {day:%B %Y}", n=2 + i % 9)
    published = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20)
    body = " ".join(CONTEXT[(i + k) % len(CONTEXT)].format(town=town, admin1=admin1) for k in range(6))
    return f"{lead}\n\n{body}", day, published


END = START + timedelta(days=2 * (N_LATENCY + N_BURST))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Feed:
    """An RSS feed of the latest 100 items; each publish changes its ETag."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, datetime]] = []
        self.body = self._render()
        self.lock = threading.Lock()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with feed.lock:
                    body, etag = feed.body, f'"{len(feed.items)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = _Server(Handler)

    def _render(self) -> bytes:
        entries = "".join(
            f"<item><title>{escape(title)}</title><guid>{escape(title)}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(text)}</description></item>"
            for title, text, when in reversed(self.items[-100:])
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Levant Wire</title>'
            f"<language>en</language>{entries}</channel></rss>"
        ).encode()

    def publish(self, title: str, text: str, published: datetime) -> None:
        with self.lock:
            self.items.append((title, text, published))
            self.body = self._render()


class Hook:
    """A webhook receiver recording when each alert arrived, by the incident's event date."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                now = time.time()
                with hook.lock:
                    hook.count += 1
                    hook.arrived.setdefault(str(body["incident"]["event_date"]), now)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = _Server(Handler)


class Visibility(threading.Thread):
    """Polls the newest incidents every 0.2 s and records when each event date first shows up."""

    def __init__(self, api: str) -> None:
        super().__init__(daemon=True)
        self.api = api
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                try:
                    params = {"limit": 100, "since": START.isoformat(), "until": END.isoformat()}
                    page = client.get(f"{self.api}/api/incidents", params=params).json()
                except (httpx.HTTPError, ValueError):
                    time.sleep(0.2)
                    continue
                now = time.time()
                for item in page["items"]:
                    self.seen.setdefault(str(item["event_date"]), now)
                self.stop.wait(0.2)


class Reader(threading.Thread):
    """A dashboard client: every view in turn, pausing ``pause`` seconds between refreshes (0: back-to-back)."""

    def __init__(self, api: str, pause: float) -> None:
        super().__init__(daemon=True)
        self.api, self.pause = api, pause
        self.latencies: list[float] = []
        self.errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                for path in DASHBOARD:
                    started = time.perf_counter()
                    try:
                        ok = client.get(self.api + path).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    self.latencies.append(time.perf_counter() - started)
                    self.errors += not ok
                if self.pause:
                    self.stop.wait(self.pause)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


class Bench:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.feed, self.hook = Feed(), Hook()
        self.port = _free_port()
        self.api = f"http://127.0.0.1:{self.port}"
        self.inbox = folder / "inbox"
        self.inbox.mkdir()
        self.db = folder / "watch.db"
        self.token = "bench-token"
        config = {
            "db": str(self.db),
            "feeds": [{"url": self.feed.server.url + "/wire.rss", "interval": 1.0}],
            "folders": [{"path": str(self.inbox), "interval": 0.5, "settle": 0.5}],
            "serve": {"port": self.port},
            "alerts": {
                "webhooks": [{"url": self.hook.server.url + "/hook"}],
                "rules": [{"name": "every-new", "on": ["new_incident"]}],
            },
            "progress_seconds": 600,
        }
        self.config = folder / "watch.yaml"
        self.config.write_text(yaml.safe_dump(config), encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        cli = Path(sys.executable).with_name("eventwatch")
        env = {**os.environ, "EVENTWATCH_TOKEN": self.token}
        log = (self.folder / "watch.log").open("wb")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(cli), "watch", str(self.config), "--log-json"], env=env, stdout=log, stderr=log
        )

        def ready() -> bool:
            try:
                watcher = httpx.get(self.api + "/api/watch/status", timeout=5).json()["watcher"]
            except (httpx.HTTPError, ValueError, KeyError, TypeError):
                return False
            return bool(watcher and watcher.get("ready"))

        if not _wait(ready, 600):
            raise RuntimeError(f"watcher did not start; see {self.folder / 'watch.log'}")
        return time.perf_counter() - started

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)
        self.feed.server.close()
        self.hook.server.close()

    def latency(self, console: Console) -> dict[str, Any]:
        visible = Visibility(self.api)
        tab = Reader(self.api, pause=2.0)
        visible.start()
        tab.start()
        appeared: dict[str, tuple[float, str]] = {}
        wire = self.inbox / "wire.jsonl"
        client = httpx.Client(timeout=60)
        auth = {"Authorization": f"Bearer {self.token}"}
        t0 = time.perf_counter()
        for i in range(N_LATENCY):
            due = t0 + i / RATE
            time.sleep(max(0.0, due - time.perf_counter()))
            text, day, published = report(i)
            kind = ("feed", "folder", "api")[i % 3]
            appeared[day.isoformat()] = (time.time(), kind)
            record = {"text": text, "language": "en", "published_at": published.isoformat()}
            if kind == "feed":
                self.feed.publish(f"Report {i}", text, published)
            elif kind == "folder":
                with wire.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({**record, "source": "Wire"}) + "\n")
            else:
                threading.Thread(
                    target=client.post,
                    args=(self.api + "/api/reports",),
                    kwargs={"json": {**record, "source": "Desk"}, "headers": auth},
                    daemon=True,
                ).start()
        fed_seconds = time.perf_counter() - t0
        _wait(lambda: len(self.hook.arrived) >= N_LATENCY and len(visible.seen) >= N_LATENCY, 120)
        visible.stop.set()
        tab.stop.set()
        client.close()
        rows: dict[str, list[float]] = {"visible": [], "delivered": []}
        by_source: dict[str, list[float]] = {"feed": [], "folder": [], "api": []}
        for day, (at, kind) in appeared.items():
            if day in visible.seen:
                rows["visible"].append(visible.seen[day] - at)
            if day in self.hook.arrived:
                rows["delivered"].append(self.hook.arrived[day] - at)
                by_source[kind].append(self.hook.arrived[day] - at)
        missing = N_LATENCY - len(rows["delivered"])
        return {
            "rows": rows,
            "by_source": by_source,
            "missing": missing,
            "rate": N_LATENCY / fed_seconds,
            "reads": tab.latencies,
        }

    def throughput(self) -> dict[str, Any]:
        readers = [Reader(self.api, pause=0.0) for _ in range(2)]
        lines = []
        for i in range(N_LATENCY, N_LATENCY + N_BURST):
            text, _, published = report(i)
            lines.append(
                json.dumps({"text": text, "source": "Wire", "language": "en", "published": published.isoformat()})
            )
        before = self.hook.count
        for r in readers:
            r.start()
        time.sleep(2.0)  # readers at full speed before the drop
        started = time.perf_counter()
        tmp = self.inbox / ".burst.jsonl"
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.rename(self.inbox / "burst.jsonl")  # appears whole
        done = _wait(lambda: self.hook.count - before >= N_BURST, 900)
        seconds = time.perf_counter() - started
        for r in readers:
            r.stop.set()
        for r in readers:
            r.join(timeout=30)
        reads = [x for r in readers for x in r.latencies]
        return {
            "done": done,
            "alerts": self.hook.count - before,
            "seconds": seconds,
            "reports_per_s": (self.hook.count - before) / seconds,
            "reads": reads,
            "reads_per_s": len(reads) / (seconds + 2.0),
            "read_errors": sum(r.errors for r in readers),
        }


def main(console: Console | None = None) -> None:
    console = console or Console()
    load_before = os.getloadavg()[0]
    keep = os.environ.get("WATCH_BENCH_KEEP")  # a folder to keep the store and the watcher's log in
    with tempfile.TemporaryDirectory(prefix="ew-watch-bench-") as tmp:
        if keep:
            tmp = keep
            Path(tmp).mkdir(parents=True, exist_ok=True)
        bench = Bench(Path(tmp))
        t = time.perf_counter()
        build_db(bench.db, n=N_SEED)
        seed_s = time.perf_counter() - t
        try:
            start_s = bench.start()
            lat = bench.latency(console)
            burst = bench.throughput()
        finally:
            bench.stop()
        log = [
            json.loads(x)
            for x in (Path(tmp) / "watch.log").read_text(encoding="utf-8").splitlines()
            if x.startswith("{")
        ]
        baseline = next((e.get("incidents") for e in log if e["event"] == "alerts.baseline"), 0)

    table = Table(title=f"watch latency: {N_LATENCY} reports at {lat['rate']:.1f}/s over a {N_SEED:,}-incident store")
    for column in ("from appearance to", "n", "p50 s", "p99 s", "max s", "target"):
        table.add_column(column, justify="left" if column.startswith("from") else "right")
    for name, label, target in (
        ("visible", "incident visible in /api/incidents", ""),
        ("delivered", "alert delivered to the webhook", f"p50 ≤ {P50_TARGET:g}, p99 ≤ {P99_TARGET:g}"),
    ):
        values = lat["rows"][name]
        table.add_row(label, str(len(values)), f"{_pct(values, .5):.2f}", f"{_pct(values, .99):.2f}",
                      f"{max(values, default=float('nan')):.2f}", target)  # fmt: skip
    for kind, values in lat["by_source"].items():
        note = {"feed": "(polled every 1 s)", "folder": "(scanned every 0.5 s)", "api": "(POST)"}[kind]
        table.add_row(f"  alert, {kind} reports {note}", str(len(values)), f"{_pct(values, .5):.2f}",
                      f"{_pct(values, .99):.2f}", f"{max(values, default=float('nan')):.2f}", "")  # fmt: skip
    reads = lat["reads"]
    table.add_row("dashboard read (one tab, every 2 s)", str(len(reads)), f"{_pct(reads, .5):.3f}",
                  f"{_pct(reads, .99):.3f}", f"{max(reads, default=float('nan')):.3f}", "")  # fmt: skip
    console.print(table)
    if lat["missing"]:
        console.print(f"[red]{lat['missing']} reports never alerted[/]")

    table = Table(title=f"watch throughput: {N_BURST:,} reports dropped at once, two dashboard clients reading")
    for column in ("measure", "value"):
        table.add_column(column, justify="right" if column == "value" else "left")
    table.add_row("reports/s, drop → last alert delivered", f"{burst['reports_per_s']:.1f}")
    table.add_row("alerts delivered", f"{burst['alerts']:,} of {N_BURST:,} in {burst['seconds']:.1f} s")
    table.add_row("dashboard reads/s meanwhile", f"{burst['reads_per_s']:.1f} ({burst['read_errors']} errors)")
    table.add_row(
        "read latency p50 / p99", f"{_pct(burst['reads'], 0.5) * 1000:.0f} / {_pct(burst['reads'], 0.99) * 1000:.0f} ms"
    )
    table.add_row("watcher start-up (models loaded, store baselined)", f"{start_s:.1f} s ({baseline:,} incidents)")
    table.add_row("seeding the store", f"{seed_s:.1f} s")
    console.print(table)
    met = _pct(lat["rows"]["delivered"], 0.5) <= P50_TARGET and _pct(lat["rows"]["delivered"], 0.99) <= P99_TARGET
    load = os.getloadavg()[0]
    console.print(
        f"cores: {os.cpu_count()}, load average {load_before:.1f} → {load:.1f} (other work on the machine slows every "
        f"figure); latency targets {'met' if met else '[red]not met[/]'}"
    )


if __name__ == "__main__":
    main()
