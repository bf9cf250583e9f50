"""Language per report and per sentence: lingua (restricted to en/fr/ar) with a function-word fallback.

A French post embedded in an English article is French, so every sentence gets its own label. Arabic is told by
script before anything else: it is exact and free. A sentence with several function words of one language and
none of the other (``sure_hits``) needs no model either; lingua decides the rest (mixed or function-word-poor
sentences), where its n-gram models are reliable from a few words on. Below ``lingua_min_chars`` letters (a
headline fragment, "Il…") its guess is noise, so the cheap heuristic decides and, failing that, the sentence
borrows a neighbour's language.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc
from eventwatch.extract.lexicon import load_yaml

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_CODES = {"ENGLISH": "en", "FRENCH": "fr", "ARABIC": "ar"}


@cache
def _config() -> tuple[dict[str, frozenset[str]], float, int, int, float, int]:
    data: dict[str, Any] = load_yaml("language.yaml")
    # Lower-cased but NOT diacritic-folded: folding would turn French "à" into English "a".
    stop = {lang: frozenset(str(w).lower() for w in words) for lang, words in data["stopwords"].items()}
    return (stop, float(data["arabic_ratio"]), int(data["min_hits"]), int(data["lingua_min_chars"]),
            float(data["lingua_min_confidence"]), int(data["sure_hits"]))  # fmt: skip


@cache
def _detector() -> Any | None:
    """lingua's detector for en/fr/ar, built once per process; None when lingua is absent or disabled."""
    if os.environ.get("EVENTWATCH_LANGID", "").lower() == "heuristic":
        return None
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    # Preloading the three models costs ~0.5 s once and keeps every later call lock-free and fast.
    builder = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH, Language.ARABIC)
    return builder.with_preloaded_language_models().build()


def preload_detector() -> None:
    """Build lingua's detector now (worker start-up) rather than at the first sentence that needs it."""
    _detector()


def _stopword_counts(text: str, words: list[str] | None) -> dict[str, int]:
    stop = _config()[0]
    counts = dict.fromkeys(stop, 0)
    for w in _WORD.findall(text.lower()) if words is None else words:
        for lang, vocab in stop.items():
            # French elisions ("l'armée", "qu'il"): count the article/conjunction before the apostrophe.
            if w in vocab or ("'" in w and w.split("'")[0] + "'" in vocab):
                counts[lang] += 1
    return counts


def _by_counts(counts: dict[str, int], min_hits: int) -> str | None:
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < min_hits or list(counts.values()).count(counts[best]) > 1:
        return None
    return best


def heuristic_language(text: str, words: list[str] | None = None) -> str | None:
    """Arabic by script, else French vs English by function-word counts; None when it cannot tell."""
    _, arabic_ratio, min_hits, _, _, _ = _config()
    letters = sum(map(str.isalpha, text))
    if not letters:
        return None
    if len(_ARABIC.findall(text)) / letters >= arabic_ratio:
        return "ar"
    return _by_counts(_stopword_counts(text, words), min_hits)


def guess_language(text: str, words: list[str] | None = None) -> str | None:
    """Return "ar", "fr", "en", or None when the text is too short to tell."""
    _, arabic_ratio, min_hits, min_chars, min_conf, sure_hits = _config()
    letters = sum(map(str.isalpha, text))
    if not letters:
        return None
    if len(_ARABIC.findall(text)) / letters >= arabic_ratio:
        return "ar"
    counts = _stopword_counts(text, words)
    best = max(counts, key=lambda k: counts[k])
    if counts[best] >= sure_hits and sum(counts.values()) == counts[best]:
        return best  # several function words of one language and none of the other: lingua would only agree
    detector = _detector()
    if detector is not None and letters >= min_chars:
        values = detector.compute_language_confidence_values(text)
        if values and values[0].value >= min_conf:
            return _CODES.get(values[0].language.name)
    return _by_counts(counts, min_hits)


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
