"""Reading gold event data: an ACLED export CSV, one coded event per row.

Only ``notes`` is shown to the system under test; every other column is the answer key. Real exports differ by
vintage and by the tool that wrote them, so the reader is lenient where that is safe:

* a UTF-8 BOM, header case and surrounding spaces, missing columns (the field is then unknown, never guessed)
  and extra columns (ignored);
* every ``event_date`` style found in real ACLED files: ISO ``2020-05-04``, ``4 May 2020`` / ``04 May 2020``,
  ``4-May-20`` and ``4-May-2020``, ``20200504``, day-first ``04/05/2020`` (ACLED writes day first), and the
  derived ``eval_event_date`` column when ``event_date`` is absent;
* ``inter1``/``inter2`` as ACLED's numeric codes (``1``..``8``, older exports) or as their text labels
  (``State forces``, current exports); both become the code.

A value that cannot be read is a warning naming the CSV line and column, and only that field of that row is
excluded from scoring (``GoldRow.unreadable``): the row still counts for every other metric. A row without
``notes`` cannot be evaluated and is skipped and counted, never silently dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

SPLITS = ("all", "train", "test")

# strptime formats tried in order. %b/%B match English month names whatever the locale, since Python's C
# locale is used; two-digit years (%y) follow POSIX: 69–99 → 19xx, 00–68 → 20xx.
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y%m%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%B-%Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d-%B-%y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%B %d, %Y",
    "%b %d, %Y",
)
# "Sept" is a common abbreviation strptime does not know.
_SEPT = re.compile(r"\bSept\b", re.IGNORECASE)

# ACLED's actor-type codes (codebook "inter" values) and the text labels current exports write instead.
INTER_LABELS: dict[int, str] = {
    0: "",
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
_INTER_BY_LABEL = {label.casefold(): code for code, label in INTER_LABELS.items() if label}
_INTER_BY_LABEL.update({"external/other": 8, "other forces": 8, "external forces": 8, "state force": 1})

# Fields whose unreadable value excludes the row from the metrics that use them.
READ_FIELDS = ("event_date", "latitude", "longitude", "fatalities", "inter1", "inter2", "time_precision",
               "geo_precision")  # fmt: skip


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
    assoc_actor_1: str = ""
    assoc_actor_2: str = ""
    inter1: int | None = None
    inter2: int | None = None
    country: str = ""
    iso: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    time_precision: int | None = None
    fatalities: int | None = None
    published: date | None = None  # eval_publication_date where the file has it
    line: int = 0  # 1-based line of the row in the CSV, header = line 1, for error messages
    unreadable: frozenset[str] = frozenset()  # fields present but not understood: excluded from their metrics

    @property
    def split(self) -> str:
        return split_of(self.event_id or self.notes)

    def gold_fields(self) -> dict[str, object]:
        """The answer key as plain JSON-ready values (error analysis)."""
        return {
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "time_precision": self.time_precision,
            "actor1": self.actor1,
            "assoc_actor_1": self.assoc_actor_1,
            "inter1": self.inter1,
            "actor2": self.actor2,
            "assoc_actor_2": self.assoc_actor_2,
            "inter2": self.inter2,
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "location": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "fatalities": self.fatalities,
        }


@dataclass(slots=True)
class GoldSet:
    path: str
    rows: list[GoldRow] = field(default_factory=list)
    skipped_no_notes: int = 0
    bad_values: list[str] = field(default_factory=list)  # "line 7, column fatalities: 'many' is not a number"

    def select(self, split: str = "all", limit: int | None = None) -> list[GoldRow]:
        """Rows of one split, in file order, at most ``limit`` of them (the limit applies after the split)."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
        rows = [r for r in self.rows if split == "all" or r.split == split]
        return rows if limit is None else rows[: max(limit, 0)]


def split_of(key: str) -> str:
    """Deterministic train/test assignment: sha1 of the event id, mod 100, below 80 is train.

    A hash (not row order) keeps a row in the same split when the export is re-sorted, filtered or extended.
    Only for gold files that come without a separate training file; ``../shared/eval/acled-dev.csv`` is scored
    whole and systems train on ``../shared/train/`` instead.
    """
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 100
    return "train" if bucket < 80 else "test"


def parse_date(value: str) -> date | None:
    value = _SEPT.sub("Sep", " ".join(value.split()))
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_inter(value: str) -> int | None:
    """ACLED inter code from ``"1"``, ``"1.0"`` or ``"State forces"``; ``None`` when not understood."""
    value = value.strip()
    if re.fullmatch(r"\d(?:\.0)?", value):
        code = int(float(value))
        return code if code in INTER_LABELS else None
    return _INTER_BY_LABEL.get(" ".join(value.split()).casefold())


def published_at_for(row: GoldRow) -> datetime | None:
    """The publication time shown to the system: ``eval_publication_date`` where the file gives it, else the
    day after the event, at UTC midnight.

    ACLED notes are written after the fact; a report dated the next day is the common case, and relative
    expressions ("yesterday") then resolve to the gold date.
    """
    day = row.published or (row.event_date + timedelta(days=1) if row.event_date is not None else None)
    return datetime.combine(day, time(0, 0), tzinfo=UTC) if day is not None else None


def read_gold(path: Path) -> GoldSet:
    # utf-8-sig strips a BOM if present and is a no-op otherwise.
    text = path.read_text(encoding="utf-8-sig")
    gold = GoldSet(path=str(path))
    gold.rows, gold.skipped_no_notes, gold.bad_values = _parse_rows(csv.DictReader(io.StringIO(text)))
    return gold


class _Row:
    """One CSV record being read: typed getters that record what they could not understand."""

    def __init__(self, rec: dict[str, str], line: int, bad: list[str]) -> None:
        self.rec, self.line, self.bad = rec, line, bad
        self.unreadable: set[str] = set()

    def text(self, name: str) -> str:
        return " ".join(self.rec.get(name, "").split())

    def _warn(self, column: str, value: str, why: str, field_name: str | None = None) -> None:
        self.bad.append(f"line {self.line}, column {column}: {value!r} {why}")
        self.unreadable.add(field_name or column)

    def date(self, name: str, fallback: str | None = None) -> date | None:
        raw = self.text(name)
        if not raw and fallback:
            raw, name = self.text(fallback), fallback
        if not raw:
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self._warn(name, raw, "is not a date in a known format", "event_date")
        return parsed

    def number(self, name: str) -> float | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            self._warn(name, raw, "is not a number")
            return None

    def integer(self, name: str, allowed: range | None = None) -> int | None:
        value = self.number(name)
        if value is None:
            return None
        if value != int(value) or (allowed is not None and int(value) not in allowed):
            self._warn(name, self.text(name), "is not an allowed whole number")
            return None
        return int(value)

    def inter(self, name: str) -> int | None:
        raw = self.text(name)
        if not raw:
            return None
        code = parse_inter(raw)
        if code is None:
            self._warn(name, raw, "is not an ACLED inter code or label")
        return code


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
        r = _Row(rec, line, bad)
        inter1 = r.inter("inter1") if "inter1" in rec else r.inter("eval_inter1")
        inter2 = r.inter("inter2") if "inter2" in rec else r.inter("eval_inter2")
        rows.append(
            GoldRow(
                event_id=r.text("event_id_cnty"),
                notes=notes,
                event_date=r.date("event_date", fallback="eval_event_date"),
                event_type=r.text("event_type"),
                sub_event_type=r.text("sub_event_type"),
                actor1=r.text("actor1"),
                actor2=r.text("actor2"),
                assoc_actor_1=r.text("assoc_actor_1"),
                assoc_actor_2=r.text("assoc_actor_2"),
                inter1=inter1,
                inter2=inter2,
                country=r.text("country"),
                iso=r.text("iso3") or r.text("iso"),
                admin1=r.text("admin1"),
                admin2=r.text("admin2"),
                admin3=r.text("admin3"),
                location=r.text("location"),
                latitude=r.number("latitude"),
                longitude=r.number("longitude"),
                geo_precision=r.integer("geo_precision", range(1, 4)),
                time_precision=r.integer("time_precision", range(1, 4)),
                fatalities=r.integer("fatalities", range(0, 1_000_000)),
                published=parse_date(r.text("eval_publication_date")),
                line=line,
                unreadable=frozenset(r.unreadable),
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
