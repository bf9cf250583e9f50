from __future__ import annotations

from eventwatch.extract import guess_language, split_spans


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in split_spans(text)]


def test_abbreviations_and_initials_do_not_split() -> None:
    text = "Lt. Col. Ahmed said the U.S. Army left at 5 p.m. on Monday. Gen. J. Smith disagreed."
    assert _sentences(text) == [
        "Lt. Col. Ahmed said the U.S. Army left at 5 p.m. on Monday.",
        "Gen. J. Smith disagreed.",
    ]


def test_line_breaks_are_boundaries_and_quotes_close_sentences() -> None:
    text = "Headline without a period\nHe called them “diehard jihadists.” Then he left!\n\nIl…"
    assert _sentences(text) == [
        "Headline without a period",
        "He called them “diehard jihadists.”",
        "Then he left!",
        "Il…",
    ]
    paragraphs = [p for _, _, p in split_spans(text)]
    assert paragraphs == [0, 1, 1, 2]


def test_an_editor_s_tag_glued_to_the_period_is_its_own_sentence() -> None:
    # ACLED notes often write the size tag right after the period; the place before it must stay in its sentence.
    text = "On March 7, residents in Dakoro protested against elevated water bills.[size=no report]"
    assert _sentences(text) == [
        "On March 7, residents in Dakoro protested against elevated water bills.",
        "[size=no report]",
    ]


def test_arabic_and_french_punctuation() -> None:
    assert _sentences("هل قصفت المدينة؟ نعم، قصفت فجر اليوم.") == ["هل قصفت المدينة؟", "نعم، قصفت فجر اليوم."]
    assert _sentences("Selon l'OSDH, M. Dupont est arrivé. Les combats continuent.") == [
        "Selon l'OSDH, M. Dupont est arrivé.",
        "Les combats continuent.",
    ]


def test_offsets_point_into_the_text() -> None:
    text = "  First one.   Second one.  "
    for s, e, _ in split_spans(text):
        assert text[s:e] in ("First one.", "Second one.")


def test_language_guess() -> None:
    assert guess_language("أفاد المرصد السوري لحقوق الإنسان باندلاع اشتباكات في حارم") == "ar"
    assert guess_language("Les combattants de la Sécurité générale sont visibles près du camp des Français.") == "fr"
    assert guess_language("The fighting broke out overnight when government forces raided the camp.") == "en"
    assert guess_language("Il…") is None
