"""Folding text for comparisons: case, diacritics, Arabic harakat and punctuation; the dominant script."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Arabic diacritics (harakat) and tatweel: writers use them inconsistently.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def fold(text: str | None) -> str:
    """Case-, diacritic- and punctuation-folded form of a name, for comparisons only."""
    if not text:
        return ""
    text = _ARABIC_MARKS.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", _PUNCT.sub(" ", stripped)).strip()


def script(text: str) -> str:
    """Dominant script of a text: ``arabic`` or ``latin`` (or ``other``), by letter count."""
    arabic = latin = 0
    for c in text:
        if "\u0600" <= c <= "\u06ff":
            arabic += 1
        elif (c.isascii() and c.isalpha()) or "\u00c0" <= c <= "\u024f":
            latin += 1
    if not arabic and not latin:
        return "other"
    return "arabic" if arabic > latin else "latin"
