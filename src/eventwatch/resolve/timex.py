"""Normalise time mentions against the report's publication date.

"overnight" → the night before publication; "on Tuesday" → the last Tuesday on or before publication ("last
Tuesday": strictly before); "in March" → that month of the publication year, or of the year before when March
is still ahead; explicit dates without a year take the same rule. Month and year periods have ACLED time
precision 3, days 1, "this week" 2.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from eventwatch.extract.doc import TimeMention
from eventwatch.extract.temporal import infer_year
from eventwatch.model import TimeSpan


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
