"""Time expressions as written: dates, ranges, months, weekdays, weekends, years and relative words.

Forms (en/fr/ar, from ``time.yaml``): "21 October 2025", "25-January-2018", "1st May", "On Dec 08", "October 21,
2025", ISO and numeric "03/02", "02-05 March", "July 9 or 10, 2019", "from 10-June-2018 to 16-June-2018", "between
5 and 6 April", "du 21 au 22 octobre", "بين 5 و6 نيسان", "October - December 2016", "mid-October", "fin mars",
"أواخر آذار", "on Tuesday", "mardi dernier", "the night of Saturday to Sunday", "last weekend", "overnight".
Approximations ("around 9 October", "17 July (or around)", "as reported on 6 March") are marked, and so are
ACLED coder notes ("[coded to 14 August 2018]").

Only detection happens here; ``resolve.timex`` turns mentions into dates and ACLED time precision against the
publication date.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, Sentence, TimeMention
from eventwatch.extract.lexicon import LANGS, PhraseMatcher, capitalised_at, fold, load_yaml

_ABSOLUTE = ("date", "month", "year")
# Prepositions that may open a numeric day/month with no year ("on 03/02"): only then is "3/2" a date.
_NUMERIC_OPENERS = frozenset(["on", "since", "from", "between", "to", "and", "until", "till", "of", "le", "du", "au",
                              "depuis", "entre", "et", "في", "منذ", "بتاريخ", "يوم", "-"])  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Lang:
    forms: tuple[tuple[str, re.Pattern[str]], ...]
    join: re.Pattern[str]  # the whole gap between two mentions of one period
    and_: re.Pattern[str]
    or_: re.Pattern[str]
    opener: re.Pattern[str]  # at the end of the text before a period's first mention
    approx_before: re.Pattern[str]
    approx_after: re.Pattern[str]
    parts: dict[str, tuple[int, int]]  # folded month-part phrase -> (day, precision)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    langs: dict[str, _Lang]
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    relative: PhraseMatcher
    relative_of: dict[str, tuple[int, int, int]]
    context_of: dict[str, tuple[int, int]]
    anaphoric: frozenset[str]
    weekend: PhraseMatcher
    last_weekend: frozenset[str]
    case_sensitive: frozenset[str]
    ar_openers: frozenset[str]
    coded_as: re.Pattern[str]
    stated_precision: re.Pattern[str]
    reported_before: re.Pattern[str]
    reported_after: re.Pattern[str]


def _alt(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


def _words(words: list[Any]) -> list[str]:
    return [fold(str(w)) for w in words]


def _gap(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + _alt(words) + r")\s*$")


def _end(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?:^|[\s(\[,])(?:" + _alt(words) + r")[\s,]*$")


def _forms(lang: str, months: str, days: str, last: str, ordinals: str, parts: str, joins: str) -> list[str]:
    """The regexes of one language, most specific first (group names repeat across forms, never inside one)."""
    m = rf"(?P<m>{months})(?![^\W\d_])\.?"

    def day(name: str) -> str:
        return rf"(?P<{name}>\d{{1,2}})(?!\d)(?:{ordinals})?(?![^\W\d_])"

    year = r"(?P<y>(?:19|20)\d{2})(?!\d)"
    year_sep = r"(?:,?\s+|\s*[-/]\s*)"
    short_year = r"-(?P<yy>\d{2})(?![\d\w])"
    of = r"(?:\s+|\s*-\s*)(?:of\s+|de\s+|من\s+)?(?:شهر\s+)?"
    out = [
        # "02-05 March", "5 and 6 April 2020", "du 21 au 22 octobre", "9 or 10 July"
        rf"{day('d1')}\s*(?P<j>{joins})\s*{day('d2')}{of}{m}(?:{year_sep}{year})?",
        # "25 January 2018", "25-January-2018", "4-May-20", "1st May", "20 تشرين الأول"
        rf"{day('d')}{of}{m}(?:{year_sep}{year}|{short_year})?",
        r"(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)",
        r"(?P<d>[0-3]?\d)[. ](?P<m>[01]?\d)[. ](?P<y>(?:19|20)\d{2})(?!\d)",
        r"(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>(?:19|20)?\d{2}))?(?![\d/])",
        rf"(?:(?P<last>{last})\s+)?(?P<wd>{days})(?![^\W\d_])(?:\s+(?P<lastafter>{last}))?",
        # "mid-October", "early March 2019", "fin mars", "أواخر آذار", "in March 2019", "last November"
        rf"(?:(?P<part>{parts})[\s-]*(?:of\s+(?:the\s+month\s+of\s+)?|du\s+mois\s+de\s+|de\s+|d'|شهر\s+)?)?"
        rf"(?:(?P<last>{last})\s+)?{m}(?:,?\s+{year})?(?:\s+(?P<lastafter>{last}))?",
        year,
    ]
    if lang == "en":
        # "July 9 or 10, 2019", "November 8th or 9th"; "October 21, 2025", "Dec 08"
        out.insert(1, rf"{m}\s+{day('d1')}\s*(?P<j>{joins})\s*{day('d2')}(?:,?\s+{year})?")
        out.insert(3, rf"{m}\s+{day('d')}(?:,?\s+{year})?")
    return out


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = load_yaml("time.yaml")
    month_of: dict[str, int] = {}
    weekday_of: dict[str, int] = {}
    langs: dict[str, _Lang] = {}
    ordinals = _alt(_words(data["ordinals"]))
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
        parts: dict[str, tuple[int, int]] = {}
        for entry in data["month_parts"]:
            for p in entry["phrases"].get(lang, []):
                parts[fold(str(p)).rstrip("-")] = (int(entry["day"]), int(entry["precision"]))
        joins = _words(data["range_join"][lang] + data["range_and"][lang] + data["range_or"][lang])
        forms = _forms(lang, _alt(months), _alt(days), _alt(_words(data["last"][lang])), ordinals, _alt(list(parts)),
                       _alt(joins))  # fmt: skip
        langs[lang] = _Lang(
            forms=tuple((f"f{i}", re.compile(r"(?<![\w.,/])" + f)) for i, f in enumerate(forms)),
            join=_gap(_words(data["range_join"][lang])),
            and_=_gap(_words(data["range_and"][lang])),
            or_=_gap(_words(data["range_or"][lang])),
            opener=_end(_words(data["range_open"][lang])),
            approx_before=_end(_words(data["approx_before"][lang])),
            approx_after=re.compile(r"^[\s,]*(?:" + _alt(_words(data["approx_after"][lang])) + r")"),
            parts=parts,
        )
    rel_phrases: list[tuple[str, str | None]] = []
    relative_of: dict[str, tuple[int, int, int]] = {}
    context_of: dict[str, tuple[int, int]] = {}
    anaphoric: set[str] = set()
    for entry in data["relative"]:
        for lang, phrases in entry["phrases"].items():
            for p in phrases:
                relative_of[fold(str(p))] = (int(entry["start"]), int(entry["end"]), int(entry["precision"]))
                if "context" in entry:
                    context_of[fold(str(p))] = (int(entry["context"][0]), int(entry["context"][1]))
                if entry.get("anaphoric"):
                    anaphoric.add(fold(str(p)))
                rel_phrases.append((str(p), lang))
    weekend = [(str(p), lang) for key in ("weekend", "last_weekend") for lang, ps in data[key].items() for p in ps]
    return _Lexicon(
        langs=langs,
        month_of=month_of,
        weekday_of=weekday_of,
        relative=PhraseMatcher(rel_phrases),
        relative_of=relative_of,
        context_of=context_of,
        anaphoric=frozenset(anaphoric),
        weekend=PhraseMatcher(weekend),
        last_weekend=frozenset(fold(str(p)) for ps in data["last_weekend"].values() for p in ps),
        case_sensitive=frozenset(data.get("case_sensitive_months", [])),
        ar_openers=frozenset(_words(data["ar_month_openers"])),
        coded_as=re.compile(r"(?:" + "|".join(data["coded_as"]) + r")\s*$"),
        stated_precision=re.compile(str(data["stated_precision"])),
        reported_before=re.compile(str(data["acled_reported_before"]), re.IGNORECASE),
        reported_after=re.compile(str(data["acled_reported_after"]), re.IGNORECASE),
    )


def _folded(doc: Doc, sent: Sentence) -> tuple[int, int]:
    starts = doc.folded.starts
    if starts is None:
        return sent.start, sent.end
    return bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)


def _int(v: str | None) -> int | None:
    return int(v) if v else None


def _year(g: dict[str, str | None]) -> int | None:
    if g.get("y"):
        y = str(g["y"])
        return int(y) if len(y) == 4 else 2000 + int(y)
    if g.get("yy"):
        return 2000 + int(str(g["yy"]))
    return None


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([^\W\d_]+|-)\s*$", text[max(0, pos - 20) : pos])
    return m.group(1) if m else ""


def _mention(doc: Doc, m: re.Match[str], lang: str, lex: _Lexicon) -> TimeMention | None:
    """One regex match as a mention; None for what only looks like a date ("troops may march", "3/4 of")."""
    g = m.groupdict()
    folded = doc.folded.text
    s, e = doc.folded.orig(m.start(), m.end() - m.group(0).endswith("."))  # "Dec." keeps its period out
    month_name = g.get("m")
    if month_name and not month_name.isdigit():
        if lang in lex.case_sensitive and not capitalised_at(doc.text, doc.folded.orig(m.start("m"), 0)[0]):
            return None  # "may", "march": a verb or a noun, not a month
        month: int | None = lex.month_of[month_name]
    else:
        month = _int(month_name)
    last = bool(g.get("last") or g.get("lastafter"))
    if g.get("wd"):
        return TimeMention(s, e, "weekday", lang, weekday=lex.weekday_of[str(g["wd"])], last=last)
    if g.get("d1"):
        d1, d2 = int(str(g["d1"])), int(str(g["d2"]))
        if not (1 <= d1 <= 31 and 1 <= d2 <= 31) or month is None:
            return None
        joiner = fold(str(g["j"]))
        alternative = bool(lang_of(lex, lang).or_.match(joiner))
        if lang_of(lex, lang).and_.match(joiner) and not lang_of(lex, lang).opener.search(folded[: m.start()][-40:]):
            return None  # "killed 5 and 6 May": not a period without "between"
        if d2 < d1:
            return None
        return TimeMention(s, e, "date", lang, d1, month, _year(g), end_day=d2, end_month=month, end_year=_year(g),
                           alternative=alternative)  # fmt: skip
    if g.get("d"):
        day = int(str(g["d"]))
        if month is None or not 1 <= day <= 31 or not 1 <= month <= 12:
            return None
        numeric = bool(month_name and month_name.isdigit() and not g.get("y") and "/" in m.group(0))
        if numeric and _prev_word(folded, m.start()) not in _NUMERIC_OPENERS:
            return None  # "3/4", "14/18": a fraction or a score, not a day
        return TimeMention(s, e, "date", lang, day, month, _year(g))
    if month is not None:
        part = g.get("part")
        if lang == "ar" and not part and not g.get("y") and _prev_word(folded, m.start()) not in lex.ar_openers:
            return None  # Arabic month names double as common words ("آب"): need "شهر"/"في" or a year
        pd, pp = lang_of(lex, lang).parts.get(str(part).strip(), (None, None)) if part else (None, None)
        return TimeMention(s, e, "month", lang, month=month, year=_year(g), last=last, part_day=pd, precision=pp)
    if g.get("y"):
        return TimeMention(s, e, "year", lang, year=_year(g))
    return None


def lang_of(lex: _Lexicon, lang: str) -> _Lang:
    return lex.langs.get(lang, lex.langs["en"])


def _matches(doc: Doc, sent: Sentence, lang: str, lex: _Lexicon) -> list[TimeMention]:
    """Every form's matches, the longest of overlapping ones kept (leftmost first)."""
    fs, fe = _folded(doc, sent)
    text = doc.folded.text
    raw: list[re.Match[str]] = []
    for _, pat in lang_of(lex, lang).forms:
        raw.extend(pat.finditer(text, fs, fe))
    raw.sort(key=lambda m: (m.start(), -(m.end() - m.start())))
    out: list[TimeMention] = []
    end = -1
    for m in raw:
        if m.start() < end or m.end() == m.start():
            continue
        tm = _mention(doc, m, lang, lex)
        if tm is not None:
            out.append(tm)
            end = m.end()
    return out


def _gap_text(doc: Doc, a: TimeMention, b: TimeMention) -> str:
    return fold(doc.text[a.end : b.start])


def _merge_periods(doc: Doc, found: list[TimeMention], lang: _Lang) -> list[TimeMention]:
    """Two dates (months, weekdays) joined by "to", "-", "au", "إلى" (or "and" after "between") are one period;
    joined by "or" they are one approximate day. A missing year or month comes from the other end."""
    out: list[TimeMention] = []
    for tm in found:
        prev = out[-1] if out else None
        if prev is None or prev.end > tm.start or tm.kind != prev.kind or tm.kind not in ("date", "month", "weekday"):
            out.append(tm)
            continue
        if prev.end_day is not None or prev.end_month is not None:
            out.append(tm)
            continue
        gap = _gap_text(doc, prev, tm)
        before = fold(doc.text[max(0, prev.start - 40) : prev.start])
        joined = bool(lang.join.match(gap)) or (bool(lang.and_.match(gap)) and bool(lang.opener.search(before)))
        alternative = bool(lang.or_.match(gap))
        if not (joined or alternative) or len(gap) > 12:
            out.append(tm)
            continue
        start = prev
        if start.year is None and tm.year is not None and start.month is not None and tm.month is not None:
            behind = (start.month, start.day or 0) > (tm.month, tm.day or 0)
            start = replace(start, year=tm.year - 1 if behind else tm.year)
        out[-1] = replace(start, end=tm.end, end_day=tm.day, end_month=tm.month, end_year=tm.year or start.year,
                          end_weekday=tm.weekday, alternative=alternative,
                          last=start.last or tm.last)  # fmt: skip
    return out


def _absorb(doc: Doc, found: list[TimeMention], lang: _Lang) -> list[TimeMention]:
    """A relative word right next to an explicit date ("Overnight between 5 and 6 April", "on Tuesday, 21 October",
    "dans la nuit du 21 au 22") gives way to it: the explicit date says which day."""
    keep: list[TimeMention] = []
    for i, tm in enumerate(found):
        if tm.kind in ("relative", "weekday"):
            nxt = found[i + 1] if i + 1 < len(found) else None
            prv = found[i - 1] if i > 0 else None
            explicit, gap = (("date", "month", "weekday"), 12) if tm.kind == "relative" else (("date",), 4)
            if nxt is not None and nxt.kind in explicit and len(doc.text[tm.end : nxt.start].strip(" ,")) <= gap:
                continue
            if prv is not None and prv.kind == "date" and len(doc.text[prv.end : tm.start].strip(" ,")) <= 4:
                continue
        keep.append(tm)
    return keep


def _qualify(doc: Doc, sent: Sentence, found: list[TimeMention], lang: _Lang, lex: _Lexicon) -> None:
    """Mark approximate dates, night spans and ACLED coder notes ("coded as ...", "time precision 2")."""
    for k, tm in enumerate(found):
        before = fold(doc.text[max(sent.start, tm.start - 40) : tm.start])
        after = fold(doc.text[tm.end : min(sent.end, tm.end + 30)])
        approx = bool(lang.approx_before.search(before) or lang.approx_after.match(after))
        reported = bool(lex.reported_before.match(doc.text[sent.start : tm.start])) or bool(
            lex.reported_after.match(doc.text[tm.end : sent.end])
        )
        coded = bool(lex.coded_as.search(before))
        precision = tm.precision
        stated = lex.stated_precision.search(after)
        if stated is not None and coded:
            precision = int(stated.group(1))
        year = tm.year
        if coded and year is None:
            # "In mid-October 2019 (coded as October 15 ...)": the year of the period the note codes.
            year = next((t.year for t in reversed(found[:k]) if t.year is not None), None)
        if approx or coded or reported or precision != tm.precision:
            found[k] = replace(tm, approx=tm.approx or approx or reported, coded=coded, precision=precision, year=year,
                               reported=reported)  # fmt: skip


def _free(found: list[TimeMention], start: int, end: int) -> bool:
    return all(end <= t.start or start >= t.end for t in found)


def find_times(doc: Doc) -> None:
    lex = _lexicon()
    for sent in doc.sentences:
        lang = sent.lang or doc.lang or "en"
        spec = lang_of(lex, lang)
        fs, fe = _folded(doc, sent)
        found = _matches(doc, sent, lang, lex)
        for hit in lex.weekend.finditer(doc.folded, fs, fe):
            if hit.lang == lang and _free(found, hit.start, hit.end):
                found.append(TimeMention(hit.start, hit.end, "weekend", lang, last=hit.key in lex.last_weekend))
        for hit in lex.relative.finditer(doc.folded, fs, fe):
            if hit.lang == lang and _free(found, hit.start, hit.end):
                found.append(TimeMention(hit.start, hit.end, "relative", lang, offsets=lex.relative_of[hit.key],
                                         context=lex.context_of.get(hit.key),
                                         anaphoric=hit.key in lex.anaphoric))  # fmt: skip
        found.sort(key=lambda t: t.start)
        found = _absorb(doc, _merge_periods(doc, found, spec), spec)
        _qualify(doc, sent, found, spec, lex)
        sent.times = found


def infer_year(month: int, pub_year: int, pub_month: int, last: bool) -> int:
    """The year of a month named without one: this year, unless that month is still ahead (then last year).

    "last March" in March means a year ago; "in March" in March means this month.
    """
    if month > pub_month or (last and month == pub_month):
        return pub_year - 1
    return pub_year
