"""Language guess per report and per sentence: Arabic by script, French vs English by function-word counts."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc
from eventwatch.extract.lexicon import fold, load_yaml

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@cache
def _config() -> tuple[dict[str, frozenset[str]], float, int]:
    data: dict[str, Any] = load_yaml("language.yaml")
    stop = {lang: frozenset(fold(w) for w in words) for lang, words in data["stopwords"].items()}
    return stop, float(data["arabic_ratio"]), int(data["min_hits"])


def guess_language(text: str) -> str | None:
    """ "ar", "fr", "en", or None when the text is too short to tell."""
    stop, arabic_ratio, min_hits = _config()
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    if arabic / len(letters) >= arabic_ratio:
        return "ar"
    counts = dict.fromkeys(stop, 0)
    for w in _WORD.findall(fold(text)):
        for lang, words in stop.items():
            # French elisions ("l'armée", "qu'il"): count the article/conjunction before the apostrophe.
            if w in words or ("'" in w and w.split("'")[0] + "'" in words):
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
