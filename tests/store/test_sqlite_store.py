"""Both stores (SQLite and PostgreSQL): migrations, idempotent ingest, rejects kept with bytes, analyses
round-trip, no data loss. Tests taking ``store_location`` run on each backend."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventwatch.model import Claim, Event, Hedge, Reject, Report, ReportAnalysis, Span
from eventwatch.store import SQLiteStore, StoreError, is_postgres, open_store
from eventwatch.store.connection import connect, table_columns
from eventwatch.store.migrations import LATEST_VERSION
from eventwatch.store.pg_migrations import PG_LATEST_VERSION

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


def test_migrations_create_schema_once(store_location: str) -> None:
    latest = PG_LATEST_VERSION if is_postgres(store_location) else LATEST_VERSION
    with open_store(store_location) as store:
        assert store.schema_version() == latest  # type: ignore[attr-defined]
    with open_store(store_location) as store:  # reopening runs nothing twice
        assert store.schema_version() == latest  # type: ignore[attr-defined]
    con = connect(store_location)
    for table in ("reports", "blobs", "rejects", "claims", "events", "schema_migrations"):
        assert table_columns(con, table), table
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == latest
    if not is_postgres(store_location):
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_both_backends_have_the_same_tables_and_columns(tmp_path: Path, pg_server: object) -> None:
    from tests.conftest import new_pg_location

    pg = new_pg_location(pg_server)  # type: ignore[arg-type]
    SQLiteStore(tmp_path / "ew.db").close()
    open_store(pg).close()
    lite, post = connect(tmp_path / "ew.db"), connect(pg)
    tables = [r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    assert len(tables) >= 11
    for table in tables:
        assert table_columns(post, table) == table_columns(lite, table), table


def test_reingest_is_a_noop_and_raw_bytes_are_kept(store_location: str) -> None:
    with open_store(store_location) as store:
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


def test_failed_batch_rolls_back_and_keeps_earlier_data(store_location: str) -> None:
    with open_store(store_location) as store:
        store.add_reports([_report()])

        def exploding() -> object:
            yield _report("Another report about shelling in Tartus.")
            raise RuntimeError("reader crashed mid-batch")

        with pytest.raises(RuntimeError):
            store.add_reports(exploding())  # type: ignore[arg-type]
        assert store.count_reports() == 1  # the half batch is gone, the earlier report is intact


def test_rejects_are_kept_once_with_reason_and_bytes(store_location: str) -> None:
    bad = Reject(
        origin="feed.jsonl", locator="line 7", reason="invalid JSON", raw=b'{"text": "cut', source_format="jsonl"
    )
    with open_store(store_location) as store:
        assert store.add_rejects([bad]) == 1
        assert store.add_rejects([bad]) == 0
        (stored,) = list(store.iter_rejects())
        assert (stored.origin, stored.locator, stored.reason, stored.size) == (
            "feed.jsonl",
            "line 7",
            "invalid JSON",
            13,
        )
        con = connect(store_location)
        (data,) = con.execute("SELECT b.data FROM rejects r JOIN blobs b ON b.sha256 = r.raw_sha256").fetchone()
        assert bytes(data) == b'{"text": "cut'


def test_analysis_round_trip_with_spans(store_location: str) -> None:
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
    with open_store(store_location) as store:
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


def test_newer_schema_is_refused(store_location: str) -> None:
    open_store(store_location).close()
    con = connect(store_location, readonly=False)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    con.close()
    with pytest.raises(StoreError, match="newer than this eventwatch"):
        open_store(store_location)


def test_unreachable_postgres_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://ew:secret@/eventwatch?host={tmp_path}&port=1"  # no server listens on this socket
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        open_store(url)
    assert "secret" not in str(caught.value) and "ew:***@" in str(caught.value)
