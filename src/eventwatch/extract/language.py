"""Language guess per report and per sentence: Arabic by script, French vs English by function-word counts."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc
from eventwatch.extract.lexicon import load_yaml

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")


@cache
def _config() -> tuple[dict[str, frozenset[str]], float, int]:
    data: dict[str, Any] = load_yaml("language.yaml")
    # Lower-cased but NOT diacritic-folded: folding would turn French "à" into English "a".
    stop = {lang: frozenset(str(w).lower() for w in words) for lang, words in data["stopwords"].items()}
    return stop, float(data["arabic_ratio"]), int(data["min_hits"])


def guess_language(text: str, words: list[str] | None = None) -> str | None:
    """Return "ar", "fr", "en", or None when the text is too short to tell. ``words``: its folded words, if known."""
    stop, arabic_ratio, min_hits = _config()
    letters = sum(map(str.isalpha, text))
    if not letters:
        return None
    if len(_ARABIC.findall(text)) / letters >= arabic_ratio:
        return "ar"
    counts = dict.fromkeys(stop, 0)
    for w in _WORD.findall(text.lower()) if words is None else words:
        for lang, vocab in stop.items():
            # French elisions ("l'armée", "qu'il"): count the article/conjunction before the apostrophe.
            if w in vocab or ("'" in w and w.split("'")[0] + "'" in vocab):
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < min_hits or list(counts.values()).count(counts[best]) > 1:
        return None
    return best


def detect_languages(doc: Doc) -> None:
    """Set the document language (the report's declared one wins) and each sentence's language."""
    doc.lang = doc.report.language or guess_language(doc.text) or "en"
    for s in doc.sentences:
        s.lang = guess_language(doc.text[s.start : s.end]) or None
    # Short sentences borrow a neighbour's language in the same paragraph, else the document's.
    for i, s in enumerate(doc.sentences):
        if s.lang is None:
            same_para = [t.lang for t in doc.sentences if t.paragraph == s.paragraph and t.lang]
            prev = doc.sentences[i - 1].lang if i else None
            s.lang = (same_para[0] if same_para else None) or prev or doc.lang
