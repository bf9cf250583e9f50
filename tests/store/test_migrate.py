"""`eventwatch migrate`: a SQLite store copied into PostgreSQL (and back) with everything in it, verified by row
counts and content hashes, re-runnable without duplicates, and a tampered copy is caught."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.model import Reject
from eventwatch.store import Store, open_store
from eventwatch.store.connection import connect
from eventwatch.store.migrate import migrate
from eventwatch.store.pgserver import LocalPostgres
from eventwatch.store.queries import apply_correction
from tests.conftest import new_pg_location
from tests.serve.conftest import build_store

runner = CliRunner()


def _full_sqlite_store(path: Path) -> str:
    """The API tests' store (reports with raw bytes, claims, events, incidents with tolls) plus rejects and a
    correction, so every table has rows."""
    fixture = build_store(path)
    with open_store(fixture.db) as store:
        store.add_rejects(
            [
                Reject(origin="feed.jsonl", locator="line 7", reason="invalid JSON", raw=b'{"text": "cut'),
                Reject(origin="tweets.js", locator=None, reason="not an X archive", raw=b"\xff\xfe garbage"),
            ]
        )
    con = connect(fixture.db, readonly=False)
    apply_correction(con, "event", fixture.harem_event_id, "admin2", "Harim District", "analyst@example.org", "GAUL")
    con.close()
    return fixture.db


def _snapshot(store: Store) -> tuple[object, ...]:
    reports = list(store.iter_reports())
    return (
        reports,
        [store.raw_bytes(r.raw_sha256) for r in reports if r.raw_sha256],
        list(store.iter_events()),
        list(store.iter_incidents()),
        [(r.origin, r.locator, r.reason, r.size, r.created_at) for r in store.iter_rejects()],
    )


def _rows(location: str, sql: str) -> list[tuple[object, ...]]:
    con = connect(location)
    try:
        return [tuple(row) for row in con.execute(sql)]
    finally:
        con.close()


def test_migrate_sqlite_to_postgres_copies_everything_and_verifies(tmp_path: Path, pg_server: LocalPostgres) -> None:
    source = _full_sqlite_store(tmp_path / "ew.db")
    target = new_pg_location(pg_server)
    result = runner.invoke(app, ["migrate", "--from", source, "--to", target])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "6 reports, 6 events, 4 incidents" in out and "✗" not in out
    with open_store(source) as lite, open_store(target) as post:
        assert _snapshot(post) == _snapshot(lite)  # reports with their bytes, events, incidents, rejects
    for sql in (
        "SELECT id, ingested_at, processed_at FROM reports ORDER BY id",
        "SELECT * FROM claims ORDER BY id",
        "SELECT * FROM corrections ORDER BY id",
        "SELECT * FROM incident_tolls ORDER BY incident_id, seq",
    ):
        assert _rows(target, sql) == _rows(source, sql), sql

    # Re-running copies nothing new and verifies again; the next correction gets a fresh id, not a copied one.
    again = migrate(source, target)
    assert again.verified and sum(t.copied for t in again.tables) == 0
    assert {t.table: t.target_rows for t in again.tables}["reports"] == 6
    con = connect(target, readonly=False)
    event_id = _rows(target, "SELECT id FROM events ORDER BY id LIMIT 1")[0][0]
    correction = apply_correction(con, "event", str(event_id), "notes", "checked", "editor", None)
    con.close()
    assert correction is not None and correction["id"] == 2


def test_migrate_back_to_sqlite_and_a_tampered_copy_fails(tmp_path: Path, pg_server: LocalPostgres) -> None:
    source = _full_sqlite_store(tmp_path / "ew.db")
    pg = new_pg_location(pg_server)
    assert migrate(source, pg).verified
    back = str(tmp_path / "back.db")
    round_trip = migrate(pg, back)
    assert round_trip.verified
    assert [t.source_digest for t in round_trip.tables] == [t.target_digest for t in migrate(source, pg).tables]

    con = connect(pg, readonly=False)
    con.execute("UPDATE rejects SET reason = 'edited' WHERE locator = 'line 7'")
    con.close()
    tampered = runner.invoke(app, ["migrate", "--from", source, "--to", pg])
    assert tampered.exit_code == 1 and "does not match its source" in tampered.output
    problems = {t.table: t.problems for t in migrate(source, pg).tables}
    assert problems["rejects"] == ["row contents differ (SHA-256 of the rows in key order)"]
    assert not any(p for table, p in problems.items() if table != "rejects")


def test_migrate_refuses_a_missing_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["migrate", "--from", str(tmp_path / "nope.db"), "--to", str(tmp_path / "t.db")])
    assert result.exit_code == 2 and "no such database file" in " ".join(result.output.split())
    assert not (tmp_path / "nope.db").exists()
