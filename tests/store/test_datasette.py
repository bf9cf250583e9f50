"""The SQLite file opens and browses as-is in Datasette: tables, rows and a foreign-key link."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from eventwatch.model import Event, Report, ReportAnalysis, Span
from eventwatch.store import SQLiteStore

datasette_app = pytest.importorskip("datasette.app")


def test_database_browses_in_datasette(tmp_path: Path) -> None:
    db = tmp_path / "eventwatch.db"
    text = "Clashes broke out overnight in Harem, western Idlib, the Syrian Observatory for Human Rights said."
    report = Report(text=text, source="SOHR", published_at=datetime(2025, 10, 22, tzinfo=UTC), raw=text.encode())
    harem = text.index("Harem")
    event = Event(
        report_id=report.id,
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2025, 10, 21),
        location="Harem",
        admin1="Idlib",
        spans={"location": [Span(report.id, harem, harem + 5)]},
    )
    with SQLiteStore(db) as store:
        store.add_reports([report])
        store.save_analyses([ReportAnalysis(report.id, "en", [], [event])])

    async def browse() -> None:
        ds = datasette_app.Datasette([str(db)])
        tables = await ds.client.get("/eventwatch.json")
        assert tables.status_code == 200
        names = {t["name"] for t in tables.json()["tables"]}
        assert {"reports", "events", "claims", "rejects", "blobs", "schema_migrations"} <= names
        rows = await ds.client.get("/eventwatch/events.json?_shape=array&_labels=on")
        assert rows.status_code == 200
        (row,) = rows.json()
        assert row["location"] == "Harem" and row["sub_event_type"] == "Armed clash"
        assert row["report_id"]["value"] == report.id  # the foreign key is followed to its report
        page = await ds.client.get("/eventwatch/reports")
        assert page.status_code == 200 and "Harem" in page.text

    asyncio.run(browse())
