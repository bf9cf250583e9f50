from __future__ import annotations

from eventwatch.model import Quantity

from .helpers import doc


def _counts(text: str, language: str = "en") -> list[Quantity]:
    return [q for s in doc(text, language).sentences for q in s.quantities]


def test_at_least_and_more_than() -> None:
    (q,) = _counts("An airstrike on the market killed at least 12 civilians.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 12, 12, None)
    (q,) = _counts("More than 40 people were wounded in the shelling.")
    assert (q.kind, q.low, q.best, q.high) == ("injured", 41, 41, None)


def test_exact_up_to_and_between() -> None:
    killed, injured = _counts("The blast killed five soldiers and wounded 17 others.")
    assert (killed.kind, killed.low, killed.best, killed.high) == ("killed", 5, 5, 5)
    assert (injured.kind, injured.low, injured.high) == ("injured", 17, 17)
    (q,) = _counts("Up to 30 villagers were abducted by the gunmen.")
    assert (q.kind, q.low, q.best, q.high) == ("abducted", None, None, 30)
    (q,) = _counts("Between 20 and 25 fighters were killed in the clashes.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 20, 20, 25)


def test_vague_counts_follow_the_documented_convention() -> None:
    (q,) = _counts("Dozens of civilians were killed when the shells hit the camp.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 24, 24, None)


def test_unknown_count_is_never_a_number() -> None:
    (q,) = _counts("Both sides sustained losses, but the exact number remains unknown.")
    assert q.kind == "killed" and q.reported_unknown and q.best is None and q.low is None


def test_negated_count_gives_no_quantity() -> None:
    assert _counts("A drone struck an empty warehouse in Kharkiv; no casualties were reported.") == []
    assert _counts("La frappe n'a fait aucune victime, selon les autorités.", "fr") == []


def test_cumulative_toll() -> None:
    (q,) = _counts("The death toll from Monday's attack on El Fasher rose to 47, medics said.")
    assert (q.kind, q.best, q.cumulative) == ("killed", 47, True)


def test_years_dates_and_measures_are_not_counts() -> None:
    assert _counts("In 2023, the convoy travelled 30 km on 21 October and 200 French citizens sought refuge.") == []


def test_french_counts() -> None:
    (q,) = _counts("Au moins 15 soldats ont été tués dans l'embuscade près de Djibo.", "fr")
    assert (q.kind, q.low, q.best) == ("killed", 15, 15)
    (q,) = _counts("Le bilan s'est alourdi à 1 383 morts depuis mars.", "fr")
    assert (q.best, q.cumulative) == (1383, True)


def test_arabic_counts_with_arabic_indic_digits() -> None:
    (q,) = _counts("أسفر القصف عن مقتل ما لا يقل عن ١٢ مدنياً في المدينة.", "ar")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 12, 12, None)
    (q,) = _counts("واعتقلت القوات أكثر من 30 شخصا خلال الحملة.", "ar")
    assert (q.kind, q.low) == ("detained", 31)
