"""Time expressions as written: explicit dates, months, years, weekdays and relative words ("overnight").

Only detection happens here; ``resolve.timex`` turns mentions into dates against the publication date.
Calendar words come from ``time.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, Sentence, TimeMention
from eventwatch.extract.lexicon import LANGS, PhraseMatcher, capitalised_at, fold, load_yaml


@dataclass(frozen=True, slots=True)
class _Lexicon:
    patterns: dict[str, re.Pattern[str]]
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    relative: PhraseMatcher
    relative_of: dict[str, tuple[int, int, int]]
    case_sensitive: frozenset[str]


def _alt(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = load_yaml("time.yaml")
    month_of: dict[str, int] = {}
    weekday_of: dict[str, int] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for lang in LANGS:
        months: list[str] = []
        for i, names in enumerate(data["months"][lang], start=1):
            for n in names:
                month_of[fold(str(n))] = i
                months.append(fold(str(n)))
        days: list[str] = []
        for i, names in enumerate(data["weekdays"][lang]):
            for n in names:
                weekday_of[fold(str(n))] = i
                days.append(fold(str(n)))
        last = _alt([fold(str(w)) for w in data["last"][lang]])
        m, wd = _alt(months), _alt(days)
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
        year = r"(?P<year>(?:19|20)\d{2})"
        pre_month = r"(?:(?P<last>" + last + r")\s+)?" if lang == "en" else ""
        post = r"(?:\s+(?P<lastafter>" + last + r"))?" if lang != "en" else ""
        # Arabic month names double as common words ("آب"): require a day, a year or "شهر"/"في" with them.
        month_only = (
            r"(?:(?<=شهر )|(?<=في )|(?<=خلال )|(?<=منذ ))(?P<month4>"
            + m
            + r")(?:\s+"
            + year.replace("year", "year4")
            + ")?"
            + post
            if lang == "ar"
            else pre_month + r"(?P<month4>" + m + r")(?:\s+" + year.replace("year", "year4") + ")?" + post
        )
        alts = [
            r"(?P<iso>(?P<iy>(?:19|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d))",
            r"(?P<dmy>(?P<sd>[0-3]?\d)/(?P<sm>[01]?\d)/(?P<sy>(?:19|20)\d{2}))",
            day + r"\s+(?:of\s+)?(?P<month>" + m + r")\.?(?:,?\s+" + year + ")?",
            r"(?P<month2>"
            + m
            + r")\.?\s+"
            + day.replace("day", "day2")
            + r"(?:,?\s+"
            + year.replace("year", "year2")
            + ")?",
            pre_month.replace("<last>", "<lastw>")
            + r"(?P<weekday>"
            + wd
            + r")"
            + post.replace("<lastafter>", "<lastafterw>"),
            month_only,
            r"(?P<year3>(?:19|20)\d{2})",
        ]
        patterns[lang] = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{a})" for a in alts) + r")(?![\w-])")
    rel_phrases: list[tuple[str, str | None]] = []
    relative_of: dict[str, tuple[int, int, int]] = {}
    for entry in data["relative"]:
        for lang, phrases in entry["phrases"].items():
            for p in phrases:
                relative_of[fold(str(p))] = (int(entry["start"]), int(entry["end"]), int(entry["precision"]))
                rel_phrases.append((str(p), lang))
    return _Lexicon(
        patterns=patterns,
        month_of=month_of,
        weekday_of=weekday_of,
        relative=PhraseMatcher(rel_phrases),
        relative_of=relative_of,
        case_sensitive=frozenset(data.get("case_sensitive_months", [])),
    )


def _folded(doc: Doc, sent: Sentence) -> tuple[int, int]:
    starts = doc.folded.starts
    if starts is None:
        return sent.start, sent.end
    import bisect

    return bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)


def _mention(doc: Doc, m: re.Match[str], lang: str, lex: _Lexicon) -> TimeMention | None:
    g = m.groupdict()
    s, e = doc.folded.orig(m.start(), m.end())
    if g["iso"]:
        return TimeMention(s, e, "date", lang, int(g["id"]), int(g["im"]), int(g["iy"]))
    if g["dmy"]:
        return TimeMention(s, e, "date", lang, int(g["sd"]), int(g["sm"]), int(g["sy"]))
    month_name = g["month"] or g["month2"] or g["month4"]
    if month_name and lang in lex.case_sensitive:
        name_start = doc.folded.orig(m.start("month" if g["month"] else "month2" if g["month2"] else "month4"), 0)[0]
        if not capitalised_at(doc.text, name_start):
            return None  # "may", "march": a verb or a noun, not a month
    last = bool(g.get("last") or g.get("lastafter") or g.get("lastw") or g.get("lastafterw"))
    if g["month"]:
        return TimeMention(s, e, "date", lang, int(g["day"]), lex.month_of[g["month"]], _int(g["year"]))
    if g["month2"]:
        return TimeMention(s, e, "date", lang, int(g["day2"]), lex.month_of[g["month2"]], _int(g["year2"]))
    if g["weekday"]:
        return TimeMention(s, e, "weekday", lang, weekday=lex.weekday_of[g["weekday"]], last=last)
    if g["month4"]:
        return TimeMention(s, e, "month", lang, month=lex.month_of[g["month4"]], year=_int(g["year4"]), last=last)
    if g["year3"]:
        return TimeMention(s, e, "year", lang, year=int(g["year3"]))
    return None


def _int(v: str | None) -> int | None:
    return int(v) if v else None


def find_times(doc: Doc) -> None:
    lex = _lexicon()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        fs, fe = _folded(doc, sent)
        found: list[TimeMention] = []
        for hit in lex.relative.finditer(doc.folded, fs, fe):
            if hit.lang == lang:
                found.append(TimeMention(hit.start, hit.end, "relative", lang, offsets=lex.relative_of[hit.key]))
        pattern = lex.patterns.get(lang, lex.patterns["en"])
        for m in pattern.finditer(doc.folded.text, fs, fe):
            tm = _mention(doc, m, lang, lex)
            if tm is not None and not any(o.start <= tm.start < o.end or tm.start <= o.start < tm.end for o in found):
                found.append(tm)
        sent.times = sorted(found, key=lambda t: t.start)


def infer_year(month: int, pub_year: int, pub_month: int, last: bool) -> int:
    """The year of a month named without one: this year, unless that month is still ahead (then last year).

    "last March" in March means a year ago; "in March" in March means this month.
    """
    if month > pub_month or (last and month == pub_month):
        return pub_year - 1
    return pub_year
