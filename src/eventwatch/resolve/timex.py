"""Normalise time mentions against the report's publication date.

"overnight" → the night before publication; "on Tuesday" → the last Tuesday on or before publication ("last
Tuesday": strictly before); "in March" → that month of the publication year, or of the year before when March
is still ahead; explicit dates without a year take the same rule. Month and year periods have ACLED time
precision 3, days 1, "this week" 2.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from eventwatch.extract.doc import Doc, TimeMention
from eventwatch.extract.lexicon import load_yaml
from eventwatch.extract.temporal import infer_year
from eventwatch.model import TimeSpan


@cache
def _rules() -> tuple[dict[str, re.Pattern[str]], dict[str, re.Pattern[str]]]:
    data: dict[str, Any] = load_yaml("time.yaml")
    since = {
        lang: re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(w) for w in words) + r")\s*$", re.IGNORECASE)
        for lang, words in data["since"].items()
    }
    ago = {lang: re.compile(str(p), re.IGNORECASE) for lang, p in data["counted_ago"].items()}
    return since, ago


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, lang: str, pub: date) -> date | None:
    """dateparser for the counted phrases only (it is slow to call on every token); cached per phrase."""
    import dateparser  # imported lazily: ~0.1 s, only reports with such phrases pay it

    base = datetime(pub.year, pub.month, pub.day, 12)
    got = dateparser.parse(phrase, languages=[lang], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    return got.date() if got is not None else None


def extra_times(doc: Doc) -> None:
    """Add what the mention lexicon lacks: "since <date>" ranges and counted "N days ago" phrases.

    Runs after :func:`normalise` filled ``resolved_times``; keeps ``times`` and ``resolved_times`` parallel.
    """
    pub = doc.published_at.date() if doc.published_at else None
    if pub is None:
        return
    since, ago = _rules()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        for k, (tm, ts) in enumerate(zip(sent.times, sent.resolved_times, strict=True)):
            pat = since.get(lang)
            if ts is None or pat is None or ts.start > pub:
                continue
            if pat.search(doc.text[max(sent.start, tm.start - 12) : tm.start]):
                days = (pub - ts.start).days
                precision = 1 if days <= 1 else 2 if days <= 7 else 3
                sent.resolved_times[k] = TimeSpan(ts.start, pub, precision, ts.span)
        pat = ago.get(lang)
        if pat is None:
            continue
        for m in pat.finditer(doc.text, sent.start, sent.end):
            if any(t.start < m.end() and m.start() < t.end for t in sent.times):
                continue
            day = _dateparser(m.group(0).lower(), lang, pub)
            if day is None or day > pub:
                continue
            unit = m.group(0).lower()
            precision = 3 if any(u in unit for u in ("month", "mois", "شهر", "أشهر")) else (
                2 if any(u in unit for u in ("week", "semaine", "سبوع", "سابيع")) else 1)  # fmt: skip
            sent.times.append(TimeMention(m.start(), m.end(), "relative", lang))
            sent.resolved_times.append(TimeSpan(day, day, precision, doc.span(m.start(), m.end())))


def normalise(tm: TimeMention, pub: date | None) -> TimeSpan | None:
    try:
        return _normalise(tm, pub)
    except ValueError:
        return None  # "31 February" and the like


def _normalise(tm: TimeMention, pub: date | None) -> TimeSpan | None:
    if tm.kind == "relative":
        if pub is None or tm.offsets is None:
            return None
        s, e, precision = tm.offsets
        return TimeSpan(pub + timedelta(days=s), pub + timedelta(days=e), precision)
    if tm.kind == "weekday":
        if pub is None or tm.weekday is None:
            return None
        back = (pub.weekday() - tm.weekday) % 7
        if back == 0 and tm.last:
            back = 7
        day = pub - timedelta(days=back)
        return TimeSpan(day, day, 1)
    if tm.kind == "date" and tm.month is not None and tm.day is not None:
        year = tm.year
        if year is None:
            if pub is None:
                return None
            year = pub.year - 1 if (tm.month, tm.day) > (pub.month, pub.day) else pub.year
        d = date(year, tm.month, tm.day)
        return TimeSpan(d, d, 1)
    if tm.kind == "month" and tm.month is not None:
        year = tm.year
        if year is None:
            if pub is None:
                return None
            year = infer_year(tm.month, pub.year, pub.month, tm.last)
        start = date(year, tm.month, 1)
        end = date(year, tm.month, monthrange(year, tm.month)[1])
        if pub is not None and start <= pub < end:
            end = pub  # the current month: nothing after publication can have been reported
        return TimeSpan(start, end, 3)
    if tm.kind == "year" and tm.year is not None:
        end = date(tm.year, 12, 31)
        if pub is not None and date(tm.year, 1, 1) <= pub < end:
            end = pub
        return TimeSpan(date(tm.year, 1, 1), end, 3)
    return None
