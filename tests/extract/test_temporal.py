from __future__ import annotations

from .helpers import doc


def _times(text: str, language: str = "en") -> list[tuple[str, str]]:
    d = doc(text, language)
    return [(t.kind, d.text[t.start : t.end]) for s in d.sentences for t in s.times]


def test_time_mentions_in_three_languages() -> None:
    # A weekday right before its date ("Tuesday, 21 October") gives way to the date.
    assert _times("Fighting broke out overnight and resumed on Tuesday, 21 October 2025.") == [
        ("relative", "overnight"),
        ("date", "21 October 2025"),
    ]
    assert _times("Le 22 octobre, les combats ont repris mardi dernier, puis en mars.", "fr") == [
        ("date", "22 octobre"),
        ("weekday", "mardi dernier"),
        ("month", "mars"),
    ]
    assert _times("اندلعت اشتباكات يوم الأربعاء وفي شهر آذار.", "ar") == [("weekday", "الأربعاء"), ("month", "آذار")]


def test_lowercase_may_and_march_are_not_months() -> None:
    assert _times("Troops may march on the town.") == []
