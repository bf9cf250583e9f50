"""Normalise time mentions against the report's publication date, and code them as ACLED does.

"overnight" → the night before publication; "on Tuesday" → the last Tuesday on or before publication ("last
Tuesday": strictly before); "in March" → that month of the publication year, or of the year before when March
is still ahead; explicit dates without a year take the same rule.

ACLED's coding (Codebook, "Event time"; the constants are in ``time.yaml`` under ``coding``, measured on the
training file): a known day has time precision 1; an approximate day ("around", "or around", "as reported on"),
either of two days (coded to the later), a short range (coded to its first day), a range up to two weeks (its
middle day), a weekend (its Sunday) or a part of a month ("mid-October") has precision 2; a month, or a longer
range, has precision 3 and is coded to its middle. The coded day is ``TimeSpan.coded``; ``start``/``end`` keep
the whole period.

:func:`event_time` picks an event's time: the first date its own sentences give (an ACLED coder's "coded to"
date first), else the date in force from an earlier sentence (the dateline "On 5 May 2020, ..." or "19 March."
standing alone), else a report date ("said on Tuesday") at precision 2, else, in a report that dates nothing at
all, the day before publication at precision 2 (``time.yaml``: ``undated``); else unknown.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from eventwatch.extract.doc import Doc, EventFrame, Sentence, TimeMention
from eventwatch.extract.lexicon import load_yaml
from eventwatch.extract.temporal import infer_year
from eventwatch.model import TimeSpan


@dataclass(frozen=True, slots=True)
class _Rules:
    since: dict[str, re.Pattern[str]]
    ago: dict[str, re.Pattern[str]]
    first_day_max: int
    week_max: int
    month_day: int
    undated: bool
    undated_offset: int
    undated_precision: int
    background_days: int


@cache
def _rules() -> _Rules:
    data: dict[str, Any] = load_yaml("time.yaml")
    since = {
        lang: re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(w) for w in words) + r")\s*$", re.IGNORECASE)
        for lang, words in data["since"].items()
    }
    ago = {lang: re.compile(str(p), re.IGNORECASE) for lang, p in data["counted_ago"].items()}
    undated = data["undated"]
    coding = data["coding"]
    return _Rules(since, ago, int(coding["first_day_max"]), int(coding["week_max"]), int(coding["month_day"]),
                  bool(undated["enabled"]), int(undated["offset_days"]), int(undated["precision"]),
                  int(data["background_days"]))  # fmt: skip


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
    rules = _rules()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        for k, (tm, ts) in enumerate(zip(sent.times, sent.resolved_times, strict=True)):
            pat = rules.since.get(lang)
            if ts is None or pat is None or ts.start > pub or tm.end_day is not None or tm.end_month is not None:
                continue
            if pat.search(doc.text[max(sent.start, tm.start - 12) : tm.start]):
                days = (pub - ts.start).days
                precision = 1 if days <= 1 else 2 if days <= 7 else 3
                sent.resolved_times[k] = TimeSpan(ts.start, pub, precision, ts.span, coded=ts.day)
        pat = rules.ago.get(lang)
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


def _weekday_on_or_before(pub: date, weekday: int, strictly: bool) -> date:
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strictly:
        back = 7
    return pub - timedelta(days=back)


def _middle(start: date, end: date) -> date:
    return start + timedelta(days=(end - start).days // 2)


def _normalise(tm: TimeMention, pub: date | None) -> TimeSpan | None:
    rules = _rules()
    if tm.kind == "relative":
        if pub is None or tm.offsets is None:
            return None
        s, e, precision = tm.offsets
        return TimeSpan(pub + timedelta(days=s), pub + timedelta(days=e), max(precision, 2 if tm.approx else 1))
    if tm.kind == "weekday":
        if pub is None or tm.weekday is None:
            return None
        if tm.end_weekday is not None:
            # "the night of Saturday to Sunday", "de samedi à dimanche": ends on the last such day.
            end = _weekday_on_or_before(pub, tm.end_weekday, tm.last)
            start = end - timedelta(days=(tm.end_weekday - tm.weekday) % 7)
            return TimeSpan(start, end, 1 if start == end else 2, coded=start)
        day = _weekday_on_or_before(pub, tm.weekday, tm.last)
        return TimeSpan(day, day, 2 if tm.approx or tm.alternative else 1)
    if tm.kind == "weekend":
        if pub is None:
            return None
        saturday = _weekday_on_or_before(pub, 5, False)
        if pub.weekday() == 6 and pub - saturday > timedelta(days=1):
            saturday = pub - timedelta(days=1)
        if tm.last and pub - saturday <= timedelta(days=1):
            saturday -= timedelta(days=7)
        sunday = min(saturday + timedelta(days=1), pub)
        return TimeSpan(saturday, sunday, 2, coded=sunday)
    if tm.kind == "date" and tm.month is not None and tm.day is not None:
        return _date_span(tm, pub, rules)
    if tm.kind == "month" and tm.month is not None:
        return _month_span(tm, pub, rules)
    if tm.kind == "year" and tm.year is not None:
        end = date(tm.year, 12, 31)
        if pub is not None and date(tm.year, 1, 1) <= pub < end:
            end = pub
        return TimeSpan(date(tm.year, 1, 1), end, 3)
    return None


def _date_span(tm: TimeMention, pub: date | None, rules: _Rules) -> TimeSpan | None:
    assert tm.month is not None and tm.day is not None
    year = tm.year
    if year is None:
        if pub is None:
            return None
        year = pub.year - 1 if (tm.month, tm.day) > (pub.month, pub.day) else pub.year
    start = date(year, tm.month, tm.day)
    end = start
    if tm.end_day is not None:
        end_month = tm.end_month or tm.month
        end_year = tm.end_year if tm.end_year is not None and tm.year is not None else year
        if (end_month, tm.end_day) < (tm.month, tm.day) and end_year == year:
            end_year += 1  # "28 December - 3 January"
        end = date(end_year, end_month, tm.end_day)
        if end < start:
            return None
    days = (end - start).days + 1
    if tm.alternative:
        coded, precision = end, 2
    elif days == 1:
        coded, precision = start, 1
    elif days <= rules.first_day_max:
        coded, precision = start, 2
    else:
        coded, precision = _middle(start, end), 2 if days <= rules.week_max else 3
    if tm.approx:
        precision = max(precision, 2)
    return TimeSpan(start, end, tm.precision or precision, coded=coded)


def _month_span(tm: TimeMention, pub: date | None, rules: _Rules) -> TimeSpan | None:
    assert tm.month is not None
    year = tm.year
    if year is None:
        if pub is None:
            return None
        year = infer_year(tm.month, pub.year, pub.month, tm.last)
    start = date(year, tm.month, 1)
    end_month = tm.end_month or tm.month
    end_year = tm.end_year or year
    if end_month < tm.month and end_year == year:
        end_year += 1
    end = date(end_year, end_month, monthrange(end_year, end_month)[1])
    if pub is not None and start <= pub < end:
        end = pub  # the current month: nothing after publication can have been reported
    if tm.part_day is not None and tm.end_month is None:
        coded, precision = date(year, tm.month, tm.part_day), tm.precision or 2
    elif tm.end_month is not None:
        coded, precision = _middle(start, end), 3
    else:
        coded, precision = date(year, tm.month, min(rules.month_day, monthrange(year, tm.month)[1])), 3
    return TimeSpan(start, end, precision, coded=min(max(coded, start), end))


# --- the time of one event ----------------------------------------------------------------------------------

_REPORTING = ("report", "statement", "article", "rapport", "communiqué", "تقرير", "بيان")
_REPORTED_IN = ("reported in", "said in", "published in", "wrote in", "rapporté en", "a indiqué en", "reported on",
                "said on", "announced on", "claimed on", "a indiqué le", "a annoncé le", "a déclaré le")  # fmt: skip


def _in_attribution(doc: Doc, sent: Sentence, tm: TimeMention) -> bool:
    """ "WaPo's May report", "reported in May", "said on Tuesday": a time that dates the report, not the event."""
    if tm.reported:
        return False  # ACLED's "As reported on 6 March": the event's date, approximately
    att = sent.attribution
    if att is not None and not att.inherited and att.cue_start <= tm.start < att.cue_end:
        return True
    after = doc.text[tm.end : tm.end + 12].lower().lstrip()
    before = doc.text[max(sent.start, tm.start - 14) : tm.start].lower().rstrip()
    return after.startswith(_REPORTING) or before.endswith(_REPORTED_IN)


def _sentence_times(doc: Doc, sent: Sentence, carried: bool = False) -> tuple[TimeSpan | None, TimeSpan | None]:
    """(the event time a sentence gives, a report date it gives): an ACLED coder's "coded to" date first.

    A bare year ("Front 2016", "in 2020") is a last resort; an anaphoric time ("the next day") with no date in
    force dates nothing; ``carried`` (the sentence dates an event told later) skips anaphoric times, which date
    that sentence's own happening ("After an attack the night before, ...")."""
    event: TimeSpan | None = None
    report: TimeSpan | None = None
    year: TimeSpan | None = None
    for tm, raw in zip(sent.times, sent.resolved_times, strict=True):
        if carried and tm.context is not None:
            continue
        ts = _anchored(doc, sent, tm, raw) if raw is not None else None
        if ts is None:
            continue
        if tm.coded:
            return ts, None
        if tm.kind == "year":
            year = year or ts
        elif _in_attribution(doc, sent, tm):
            report = report or ts
        elif event is None:
            event = ts
    if event is None and report is None and year is not None:
        default = undated_time(doc)
        if default is None or not year.start <= default.start <= year.end:
            event = year
    return event, report


def _in_force(doc: Doc, sent: Sentence, before: int) -> TimeSpan | None:
    """The explicit date in force at an offset: the last one before it in its sentence, else in the nearest
    earlier sentence that has one."""
    for s in doc.sentences[sent.index :: -1]:
        found = [ts for tm, ts in zip(s.times, s.resolved_times, strict=True)
                 if ts is not None and tm.kind != "relative" and tm.start < before]  # fmt: skip
        if found:
            return found[-1]
    return None


def _anchored(doc: Doc, sent: Sentence, tm: TimeMention, ts: TimeSpan) -> TimeSpan | None:
    """A relative time that refers to the date in force ("during the night", "the next day") counts from it."""
    if tm.kind != "relative" or tm.context is None:
        return ts
    base = _in_force(doc, sent, tm.start)
    if base is None:
        return None if tm.anaphoric else ts
    day = base.day
    start, end = day + timedelta(days=tm.context[0]), day + timedelta(days=tm.context[1])
    return TimeSpan(start, end, max(ts.precision, base.precision), ts.span, coded=start)


def event_time(doc: Doc, frame: EventFrame) -> TimeSpan | None:
    """The time of one event (see the module docstring for the order of evidence)."""
    report: TimeSpan | None = None
    ordered = [frame.primary] + [i for i in frame.sentences if i != frame.primary]
    # The event's own sentences; then the date in force, from the nearest earlier sentence that dates something
    # ("On 5 May 2020, protesters ... Police arrested 3 of them."), context sentences excepted; then a date given
    # just after in the same paragraph ("Two soldiers were killed. The ambush took place on ...").
    last = doc.sentences[max(frame.sentences)]
    earlier = doc.sentences[: min(frame.sentences)][::-1]
    if earlier and _is_dateline(doc, earlier[0]):
        # "21 February 2018. The same armed group that looted a field near Zigbi on 20/02, looted another
        # field": a sentence that is only a date dates the one after it; dates inside that are other events'.
        ordered, earlier = [], earlier[:1]
    later = [s for s in doc.sentences[last.index + 1 : last.index + 3] if s.paragraph == last.paragraph]
    pub = doc.published_at.date() if doc.published_at else None
    for k, sent in enumerate([*(doc.sentences[i] for i in ordered), *earlier, *later]):
        found, rep = _sentence_times(doc, sent, carried=k >= len(ordered))
        old = pub is not None and found is not None and found.end < pub - timedelta(days=_rules().background_days)
        if k >= len(ordered) and not frame.background and sent.background and old:
            continue  # a context sentence's old date ("in 2015, ...") is not in force for today's news
        if found is not None:
            return found
        report = report or rep
    if report is not None:
        return TimeSpan(report.start, report.end, max(report.precision, 2), report.span, coded=report.coded)
    return undated_time(doc)


_DATELINE_REST = re.compile(r"^[\W\d_]*(?:on|le|في|يوم)?[\W\d_]*$", re.IGNORECASE)


def _is_dateline(doc: Doc, sent: Sentence) -> bool:
    """A sentence that is nothing but a date ("21 February 2018.", "03 March.")."""
    dated = [tm for tm, ts in zip(sent.times, sent.resolved_times, strict=True) if ts is not None]
    if not dated:
        return False
    rest = doc.text[sent.start : sent.end]
    for tm in sorted(dated, key=lambda t: -t.start):
        rest = rest[: tm.start - sent.start] + rest[tm.end - sent.start :]
    return bool(_DATELINE_REST.match(rest))


def undated_time(doc: Doc) -> TimeSpan | None:
    """The time of an event in a report that dates nothing (``time.yaml``: ``undated``): a short note or bulletin
    with no date at all tells of the days just before its publication. In a report that dates other things, an
    undated event (a meeting told as context) stays unknown rather than guessed. None when disabled."""
    rules = _rules()
    if not rules.undated or doc.published_at is None:
        return None
    if any(tm.kind != "year" for sent in doc.sentences for tm in sent.times):
        return None
    day = doc.published_at.date() + timedelta(days=rules.undated_offset)
    return TimeSpan(day, day, rules.undated_precision)
