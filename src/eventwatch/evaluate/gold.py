"""Reading gold event data: an ACLED export CSV, one coded event per row.

Only ``notes`` is shown to the system under test; every other column is the answer key. The reader is lenient
on purpose (exports differ by vintage and by tool): missing and extra columns, a UTF-8 BOM, header case and
both ``2025-10-22`` and ACLED's ``22 October 2025`` date styles are accepted. A row without ``notes`` cannot be
evaluated and is skipped and counted, never silently dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

SPLITS = ("all", "train", "test")

# ACLED has used several date styles over the years; ISO first because the API returns it.
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%Y/%m/%d")


@dataclass(frozen=True, slots=True)
class GoldRow:
    """The answer key of one gold event; ``None`` / ``""`` where the export lacks the column or value."""

    event_id: str
    notes: str
    event_date: date | None = None
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    country: str = ""
    admin1: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    fatalities: int | None = None
    line: int = 0  # 1-based line of the row in the CSV, header = line 1, for error messages

    @property
    def split(self) -> str:
        return split_of(self.event_id or self.notes)


@dataclass(slots=True)
class GoldSet:
    path: str
    rows: list[GoldRow] = field(default_factory=list)
    skipped_no_notes: int = 0
    bad_values: list[str] = field(default_factory=list)  # "line 7: fatalities 'many' is not a number"

    def select(self, split: str = "all", limit: int | None = None) -> list[GoldRow]:
        """Rows of one split, in file order, at most ``limit`` of them (the limit applies after the split)."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
        rows = [r for r in self.rows if split == "all" or r.split == split]
        return rows if limit is None else rows[: max(limit, 0)]


def split_of(key: str) -> str:
    """Deterministic train/test assignment: sha1 of the event id, mod 100, below 80 is train.

    A hash (not row order) keeps a row in the same split when the export is re-sorted, filtered or extended.
    """
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 100
    return "train" if bucket < 80 else "test"


def parse_date(value: str) -> date | None:
    value = " ".join(value.split())
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def published_at_for(row: GoldRow) -> datetime | None:
    """The publication time shown to the system: the day after the event, at UTC midnight.

    ACLED notes are written after the fact; a report dated the next day is the common case, and relative
    expressions ("yesterday") then resolve to the gold date.
    """
    if row.event_date is None:
        return None
    return datetime.combine(row.event_date + timedelta(days=1), time(0, 0), tzinfo=UTC)


def read_gold(path: Path) -> GoldSet:
    # utf-8-sig strips a BOM if present and is a no-op otherwise.
    text = path.read_text(encoding="utf-8-sig")
    gold = GoldSet(path=str(path))
    gold.rows, gold.skipped_no_notes, gold.bad_values = _parse_rows(csv.DictReader(io.StringIO(text)))
    return gold


def _parse_rows(reader: csv.DictReader[str]) -> tuple[list[GoldRow], int, list[str]]:
    rows: list[GoldRow] = []
    skipped = 0
    bad: list[str] = []
    for index, raw in enumerate(reader):
        line = reader.line_num if reader.line_num else index + 2
        rec = _normalise_keys(raw.items())
        notes = rec.get("notes", "").strip()
        if not notes:
            skipped += 1
            continue
        event_date = parse_date(rec.get("event_date", ""))
        if event_date is None and rec.get("event_date", "").strip():
            bad.append(f"line {line}: event_date {rec['event_date']!r} not understood")
        rows.append(
            GoldRow(
                event_id=rec.get("event_id_cnty", "").strip(),
                notes=notes,
                event_date=event_date,
                event_type=rec.get("event_type", "").strip(),
                sub_event_type=rec.get("sub_event_type", "").strip(),
                actor1=rec.get("actor1", "").strip(),
                actor2=rec.get("actor2", "").strip(),
                country=rec.get("country", "").strip(),
                admin1=rec.get("admin1", "").strip(),
                location=rec.get("location", "").strip(),
                latitude=_float(rec.get("latitude", ""), "latitude", line, bad),
                longitude=_float(rec.get("longitude", ""), "longitude", line, bad),
                fatalities=_int(rec.get("fatalities", ""), line, bad),
                line=line,
            )
        )
    return rows, skipped, bad


def _normalise_keys(items: Iterable[tuple[str | None, str | list[str] | None]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in items:
        # DictReader puts surplus cells under key None (a list) and fills short rows with None.
        if key is None or not isinstance(value, str | None):
            continue
        out[key.strip().lower()] = value or ""
    return out


def _float(value: str, name: str, line: int, bad: list[str]) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        bad.append(f"line {line}: {name} {value!r} is not a number")
        return None


def _int(value: str, line: int, bad: list[str]) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        bad.append(f"line {line}: fatalities {value!r} is not a number")
        return None
