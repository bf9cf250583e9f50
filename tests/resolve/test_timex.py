from __future__ import annotations

from datetime import UTC, date, datetime

from eventwatch.extract import extract
from eventwatch.model import Report, TimeSpan
from eventwatch.resolve import resolve

PUB = datetime(2025, 10, 22, 9, 0, tzinfo=UTC)  # a Wednesday


def _times(text: str, language: str = "en") -> list[tuple[date, date, int]]:
    d = extract(Report(text=text, language=language, published_at=PUB))
    resolve(d)
    out: list[tuple[date, date, int]] = []
    for s in d.sentences:
        out += [(t.start, t.end, t.precision) for t in s.resolved_times if isinstance(t, TimeSpan)]
    return out


def test_relative_days() -> None:
    assert _times("Fighting broke out overnight.") == [(date(2025, 10, 21), date(2025, 10, 22), 1)]
    assert _times("The strike happened yesterday.") == [(date(2025, 10, 21), date(2025, 10, 21), 1)]
    assert _times("Les combats ont repris hier soir.", "fr") == [(date(2025, 10, 21), date(2025, 10, 21), 1)]


def test_weekdays_are_the_last_such_day() -> None:
    assert _times("Gunmen attacked the convoy on Tuesday.") == [(date(2025, 10, 21), date(2025, 10, 21), 1)]
    assert _times("Protesters marched on Wednesday.") == [(date(2025, 10, 22), date(2025, 10, 22), 1)]
    assert _times("Protesters marched last Wednesday.") == [(date(2025, 10, 15), date(2025, 10, 15), 1)]
    assert _times("اندلعت اشتباكات يوم الأربعاء.", "ar") == [(date(2025, 10, 22), date(2025, 10, 22), 1)]
    assert _times("Des tirs ont visé le camp lundi dernier.", "fr") == [(date(2025, 10, 20), date(2025, 10, 20), 1)]


def test_months_take_the_publication_year_unless_still_ahead() -> None:
    assert _times("Militants killed civilians in March.") == [(date(2025, 3, 1), date(2025, 3, 31), 3)]
    assert _times("The group rose to power last November.") == [(date(2024, 11, 1), date(2024, 11, 30), 3)]
    assert _times("The offensive began in December.") == [(date(2024, 12, 1), date(2024, 12, 31), 3)]
    assert _times("Fighting continued in October.") == [(date(2025, 10, 1), date(2025, 10, 22), 3)]


def test_explicit_dates() -> None:
    assert _times("Le 22 octobre, des combats ont éclaté.", "fr") == [(date(2025, 10, 22), date(2025, 10, 22), 1)]
    assert _times("Clashes were reported on October 21, 2025.") == [(date(2025, 10, 21), date(2025, 10, 21), 1)]
    assert _times("وقعت الاشتباكات في 20 تشرين الأول.", "ar") == [(date(2025, 10, 20), date(2025, 10, 20), 1)]
    assert _times("In 2023, the group moved to Idlib.") == [(date(2023, 1, 1), date(2023, 12, 31), 3)]


def test_since_runs_to_publication_and_counted_phrases_use_dateparser() -> None:
    assert _times("Clashes have continued since March 6.") == [(date(2025, 3, 6), date(2025, 10, 22), 3)]
    assert _times("The convoy was attacked two days ago.") == [(date(2025, 10, 20), date(2025, 10, 20), 1)]
    assert _times("Le camp a été bombardé il y a trois jours.", "fr") == [(date(2025, 10, 19), date(2025, 10, 19), 1)]
    assert _times("Des tirs ont éclaté mardi soir.", "fr") == [(date(2025, 10, 21), date(2025, 10, 21), 1)]
