"""Fixtures for the API and dashboard tests: a realistic small store and a real uvicorn server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import uvicorn

from eventwatch.fuse import build_incident, incident_id_for
from eventwatch.model import Claim, Event, Hedge, Report, ReportAnalysis, Span
from eventwatch.serve import Settings, create_app
from eventwatch.store import open_store
from eventwatch.store.base import NewAlert

TOKEN = "write-token-for-tests"
READ_TOKEN = "read-token-for-tests"

SOHR_TEXT = (
    "Clashes broke out on Tuesday in Harem, in the western countryside of Idlib, between General Security forces "
    "and French jihadists, the Syrian Observatory for Human Rights (SOHR) said. "
    "At least 3 fighters were reportedly killed in the fighting."
)
FR_TEXT = (
    "Selon l'OSDH, des affrontements ont opposé les forces de la Sécurité générale à des djihadistes français "
    "près de Harem, dans la province d'Idleb."
)
ALEPPO_TEXT = "Government artillery shelled the outskirts of Deir Hafer in eastern Aleppo on Monday, a monitor said."
UPDATE_TEXT = (
    "The death toll from Tuesday's clashes in Harem, Idlib, rose to 7, the Syrian Observatory for Human Rights said."
)
DARAA_TEXT = "Hundreds protested peacefully in Daraa city on Tuesday against rising bread prices."
XSS_TEXT = (
    "Breaking: <script>window.__xss = 1; alert('xss')</script> shelling hit Talbiseh "
    '<img src=x onerror="window.__xss = 2; alert(2)"> in northern Homs, killing 2.'
)
XSS_LOCATION = '<img src=x onerror="window.__xss=3;alert(3)">Talbiseh'
XSS_SOURCE = "<b onmouseover=alert(4)>Evil Channel</b>"


def _span(report: Report, needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = report.text.index(needle, start + 1)
    return Span(report.id, start, start + len(needle))


def _sentence(report: Report, first_words: str, last_char: str = ".") -> Span:
    start = report.text.index(first_words)
    end = report.text.index(last_char, start) + 1
    return Span(report.id, start, end)


@dataclass(slots=True)
class Fixture:
    db: str  # a SQLite file or a PostgreSQL URL
    harem_event_id: str
    harem_report_id: str
    fr_event_id: str
    aleppo_event_id: str
    xss_event_id: str
    xss_report_id: str
    harem_incident_id: str
    update_event_id: str
    xss_incident_id: str


def build_store(db: str | Path) -> Fixture:
    """Six reports through the model and Store API (no extraction engine): the Harem clash told by SOHR, by a
    French-language outlet quoting SOHR and in SOHR's later toll update; shelling in Aleppo, a protest in Daraa,
    and a hostile post full of markup. Incidents are built by the fusion stage from fixed memberships."""
    published = datetime(2025, 10, 22, 6, 0, tzinfo=UTC)
    sohr = Report(text=SOHR_TEXT, source="SOHR", published_at=published, language="en", title="Clashes in Harem")
    fr = Report(text=FR_TEXT, source="Agence Sahel-Levant", published_at=published, language="fr")
    aleppo = Report(text=ALEPPO_TEXT, source="Syria Direct", published_at=datetime(2025, 10, 20, 9, tzinfo=UTC))
    daraa = Report(text=DARAA_TEXT, source="Daraa24", published_at=datetime(2025, 10, 21, 18, tzinfo=UTC))
    update = Report(text=UPDATE_TEXT, source="SOHR", published_at=datetime(2025, 10, 23, 8, tzinfo=UTC), language="en")
    xss = Report(text=XSS_TEXT, source=XSS_SOURCE, published_at=datetime(2025, 10, 19, 12, tzinfo=UTC))

    s1 = _sentence(sohr, "Clashes")
    s2 = _sentence(sohr, "At least")
    sohr_claims = [
        Claim(
            report_id=sohr.id,
            span=s1,
            kind="event",
            text=s1.of(sohr.text),
            attributed_to="SOHR",
            attribution_span=_span(sohr, "the Syrian Observatory for Human Rights (SOHR)"),
            hedge=Hedge.ATTRIBUTED,
            language="en",
        ),
        Claim(report_id=sohr.id, span=s2, kind="quantity", text=s2.of(sohr.text), hedge=Hedge.HEDGED),
    ]
    harem = Event(
        report_id=sohr.id,
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        time_precision=1,
        actor1="General Security Service",
        inter1=1,
        actor2="French jihadists",
        inter2=2,
        iso="SY",
        country="Syria",
        admin1="Idlib",
        admin2="Harim",
        location="Harem",
        latitude=36.21,
        longitude=36.52,
        geo_precision=1,
        source="SOHR",
        fatalities=3,
        fatalities_low=3,
        fatalities_best=3,
        hedge=Hedge.ATTRIBUTED,
        attributed_to="SOHR",
        confidence=0.8,
        spans={
            "event_type": [_span(sohr, "Clashes")],
            "location": [_span(sohr, "Harem")],
            "admin1": [_span(sohr, "Idlib")],
            "event_date": [_span(sohr, "Tuesday")],
            "actor1": [_span(sohr, "General Security forces")],
            "actor2": [_span(sohr, "French jihadists")],
            "fatalities": [_span(sohr, "At least 3")],
        },
        claim_ids=[c.id for c in sohr_claims],
    )
    fr_claim = Claim(
        report_id=fr.id,
        span=Span(fr.id, 0, len(fr.text)),
        kind="event",
        text=fr.text,
        attributed_to="SOHR",
        attribution_span=_span(fr, "l'OSDH"),
        hedge=Hedge.ATTRIBUTED,
        language="fr",
    )
    fr_event = Event(
        report_id=fr.id,
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        actor1="General Security Service",
        inter1=1,
        actor2="French jihadists",
        inter2=2,
        iso="SY",
        country="Syria",
        admin1="Idlib",
        location="Harem",
        latitude=36.21,
        longitude=36.52,
        geo_precision=2,
        source="Agence Sahel-Levant",
        hedge=Hedge.ATTRIBUTED,
        attributed_to="SOHR",
        spans={"event_type": [_span(fr, "affrontements")], "location": [_span(fr, "Harem")]},
        claim_ids=[fr_claim.id],
    )
    update_claim = Claim(
        report_id=update.id,
        span=Span(update.id, 0, len(update.text)),
        kind="quantity",
        text=update.text,
        attributed_to="SOHR",
        attribution_span=_span(update, "the Syrian Observatory for Human Rights"),
        hedge=Hedge.ATTRIBUTED,
        language="en",
    )
    update_event = Event(
        report_id=update.id,
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        actor1="General Security Service",
        inter1=1,
        actor2="French jihadists",
        inter2=2,
        iso="SY",
        country="Syria",
        admin1="Idlib",
        location="Harem",
        latitude=36.21,
        longitude=36.52,
        geo_precision=1,
        source="SOHR",
        fatalities=7,
        fatalities_low=7,
        fatalities_best=7,
        fatalities_cumulative=True,
        hedge=Hedge.ATTRIBUTED,
        attributed_to="SOHR",
        spans={"fatalities": [_span(update, "rose to 7")], "location": [_span(update, "Harem")]},
        claim_ids=[update_claim.id],
    )
    aleppo_event = Event(
        report_id=aleppo.id,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=date(2025, 10, 20),
        actor1="Military Forces of Syria",
        inter1=1,
        iso="SY",
        country="Syria",
        admin1="Aleppo",
        location="Deir Hafer",
        latitude=36.16,
        longitude=37.71,
        geo_precision=1,
        source="Syria Direct",
        hedge=Hedge.ATTRIBUTED,
        spans={"event_type": [_span(aleppo, "shelled")], "location": [_span(aleppo, "Deir Hafer")]},
    )
    daraa_event = Event(
        report_id=daraa.id,
        event_type="Protests",
        sub_event_type="Peaceful protest",
        event_date=date(2025, 10, 21),
        actor1="Protesters (Syria)",
        inter1=6,
        iso="SY",
        country="Syria",
        admin1="Daraa",
        location="Daraa",
        latitude=32.62,
        longitude=36.10,
        geo_precision=1,
        source="Daraa24",
        spans={"event_type": [_span(daraa, "protested")], "location": [_span(daraa, "Daraa")]},
    )
    xss_event = Event(
        report_id=xss.id,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=date(2025, 10, 19),
        actor1="<script>alert(5)</script>",
        country="Syria",
        admin1="Homs",
        location=XSS_LOCATION,
        latitude=34.93,
        longitude=36.73,
        source=XSS_SOURCE,
        fatalities=2,
        fatalities_best=2,
        notes="<img src=x onerror=alert(6)>",
        spans={
            "location": [_span(xss, "Talbiseh")],
            "event_type": [_span(xss, "<script>window.__xss = 1; alert('xss')</script>")],
            "fatalities": [_span(xss, "killing 2")],
        },
    )
    xss_claim = Claim(report_id=xss.id, span=Span(xss.id, 0, len(xss.text)), kind="event", text=xss.text)
    reports = {r.id: r for r in (sohr, fr, update, aleppo, daraa, xss)}
    with open_store(db) as store:
        store.add_reports(reports.values())
        store.save_analyses(
            [
                ReportAnalysis(sohr.id, "en", sohr_claims, [harem]),
                ReportAnalysis(fr.id, "fr", [fr_claim], [fr_event]),
                ReportAnalysis(update.id, "en", [update_claim], [update_event]),
                ReportAnalysis(aleppo.id, "en", [], [aleppo_event]),
                ReportAnalysis(daraa.id, "en", [], [daraa_event]),
                ReportAnalysis(xss.id, "en", [xss_claim], [xss_event]),
            ]
        )
        memberships = [[harem, fr_event, update_event], [aleppo_event], [daraa_event], [xss_event]]
        store.save_incidents(build_incident(incident_id_for(m[0]), m, reports) for m in memberships)
        # What `eventwatch watch` rules fired: SOHR's toll update on the Harem clash, and one on the hostile post
        # whose summary carries its markup (shown as text, never run).
        fired = [
            (incident_id_for(harem), "toll_rose", "Toll rose from 3 to 7: Battles / Armed clash in Harem, Idlib"),
            (incident_id_for(xss_event), "new_incident", f"New incident: shelling in {XSS_LOCATION} ({XSS_SOURCE})"),
        ]
        store.record_alert_review(
            [],
            [
                NewAlert(f"alert-{n}", "idlib-desk", iid, kind, summary, {"id": f"alert-{n}"}, ["webhook:desk"])
                for n, (iid, kind, summary) in enumerate(fired)
            ],
        )
    return Fixture(
        str(db),
        harem.id,
        sohr.id,
        fr_event.id,
        aleppo_event.id,
        xss_event.id,
        xss.id,
        incident_id_for(harem),
        update_event.id,
        incident_id_for(xss_event),
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(slots=True)
class LiveServer:
    url: str
    fixture: Fixture
    settings: Settings


ServerFactory = Callable[..., LiveServer]


@pytest.fixture()
def live_server(store_location: str, location_factory: Callable[[str], str]) -> Iterator[ServerFactory]:
    """Start real uvicorn servers (in threads, on free loopback ports) over a freshly built store, on each backend."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(token: str | None = TOKEN, read_token: str | None = None) -> LiveServer:
        fixture = build_store(location_factory(f"serve-{len(servers)}") if servers else store_location)
        port = _free_port()
        settings = Settings(db=fixture.db, port=port, token=token, read_token=read_token, poll_seconds=0.5)
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        servers.append((server, thread))
        return LiveServer(f"http://127.0.0.1:{port}", fixture, settings)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
