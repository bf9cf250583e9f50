"""SQLite store: migrations, idempotent ingest, rejects kept with bytes, analyses round-trip, no data loss."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventwatch.model import Claim, Event, Hedge, Reject, Report, ReportAnalysis, Span
from eventwatch.store import SQLiteStore, StoreError, open_store
from eventwatch.store.migrations import LATEST_VERSION

TEXT = (
    "The Syrian Observatory for Human Rights said fighting broke out overnight when government forces raided "
    "the so-called French camp in Harem, in western Idlib. At least two fighters were detained."
)


def _report(text: str = TEXT, **kw: object) -> Report:
    raw = text.encode()
    return Report(
        text=text,
        source=kw.get("source", "SOHR"),  # type: ignore[arg-type]
        published_at=datetime(2025, 10, 22, 6, 0, tzinfo=UTC),
        language="en",
        origin="feed.jsonl",
        raw=raw,
        raw_locator="line 1",
    )


def test_migrations_create_schema_once(tmp_path: Path) -> None:
    db = tmp_path / "ew.db"
    with SQLiteStore(db) as store:
        assert store.schema_version() == LATEST_VERSION
    with SQLiteStore(db) as store:  # reopening runs nothing twice
        assert store.schema_version() == LATEST_VERSION
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"reports", "blobs", "rejects", "claims", "events", "schema_migrations"} <= tables
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == LATEST_VERSION


def test_reingest_is_a_noop_and_raw_bytes_are_kept(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "ew.db") as store:
        first = store.add_reports([_report()])
        again = store.add_reports([_report(), _report()])
        assert (first.inserted, first.duplicates) == (1, 0)
        assert (again.inserted, again.duplicates) == (0, 2)
        assert store.count_reports() == 1
        stored = next(store.iter_reports())
        assert stored.text == TEXT
        assert stored.published_at == datetime(2025, 10, 22, 6, 0, tzinfo=UTC)
        assert stored.raw_sha256 is not None
        assert store.raw_bytes(stored.raw_sha256) == TEXT.encode()
        # Same text from another outlet is another report: fusion needs to see syndication.
        assert store.add_reports([_report(source="AFP")]).inserted == 1


def test_failed_batch_rolls_back_and_keeps_earlier_data(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "ew.db") as store:
        store.add_reports([_report()])

        def exploding() -> object:
            yield _report("Another report about shelling in Tartus.")
            raise RuntimeError("reader crashed mid-batch")

        with pytest.raises(RuntimeError):
            store.add_reports(exploding())  # type: ignore[arg-type]
        assert store.count_reports() == 1  # the half batch is gone, the earlier report is intact


def test_rejects_are_kept_once_with_reason_and_bytes(tmp_path: Path) -> None:
    bad = Reject(
        origin="feed.jsonl", locator="line 7", reason="invalid JSON", raw=b'{"text": "cut', source_format="jsonl"
    )
    with SQLiteStore(tmp_path / "ew.db") as store:
        assert store.add_rejects([bad]) == 1
        assert store.add_rejects([bad]) == 0
        (stored,) = list(store.iter_rejects())
        assert (stored.origin, stored.locator, stored.reason, stored.size) == (
            "feed.jsonl",
            "line 7",
            "invalid JSON",
            13,
        )
        con = sqlite3.connect(tmp_path / "ew.db")
        (data,) = con.execute("SELECT b.data FROM rejects r JOIN blobs b ON b.sha256 = r.raw_sha256").fetchone()
        assert data == b'{"text": "cut'


def test_analysis_round_trip_with_spans(tmp_path: Path) -> None:
    report = _report()
    start = TEXT.index("fighting broke out")
    harem = TEXT.index("Harem")
    claim = Claim(
        report_id=report.id,
        span=Span(report.id, 0, TEXT.index(".") + 1),
        kind="event",
        text=TEXT[: TEXT.index(".") + 1],
        attributed_to="Syrian Observatory for Human Rights",
        hedge=Hedge.ATTRIBUTED,
    )
    event = Event(
        report_id=report.id,
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        event_date_end=date(2025, 10, 22),
        time_precision=1,
        location="Harem",
        latitude=36.2118,
        longitude=36.5191,
        geo_precision=1,
        detained_low=2,
        fatalities_reported_unknown=True,
        spans={"event_type": [Span(report.id, start, start + 18)], "location": [Span(report.id, harem, harem + 5)]},
        claim_ids=[claim.id],
        hedge=Hedge.ATTRIBUTED,
    )
    with SQLiteStore(tmp_path / "ew.db") as store:
        store.add_reports([report])
        assert next(store.iter_reports(unprocessed_only=True)).id == report.id
        store.save_analyses([ReportAnalysis(report.id, "en", [claim], [event])])
        store.save_analyses([ReportAnalysis(report.id, "en", [claim], [event])])  # re-processing replaces
        assert store.count_events() == 1
        assert list(store.iter_reports(unprocessed_only=True)) == []
        (back,) = list(store.iter_events())
        assert back == event
        assert back.spans["location"][0].of(TEXT) == "Harem"


def test_garbage_file_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"this is not a database\x00" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: cannot open"):
        SQLiteStore(junk)
    assert junk.read_bytes().startswith(b"this is not a database")  # nothing overwritten


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "ew.db"
    SQLiteStore(db).close()
    con = sqlite3.connect(db)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer than this eventwatch"):
        SQLiteStore(db)


def test_postgres_url_is_not_silently_accepted() -> None:
    with pytest.raises(StoreError, match="PostgreSQL"):
        open_store("postgresql://localhost/eventwatch")
