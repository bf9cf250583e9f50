"""Name keys for gazetteer and actor lookup: a folded key and a transliteration skeleton.

Latin-script names are transliterated with anyascii (any script → ASCII, so "Ḩārim" and "Харим" give
"Harim"), lower-cased and stripped of punctuation; the skeleton then applies the rewrite rules of
``transliteration.yaml`` so that spelling variants coincide (Idleb/Idlib, Tartouss/Tartus, Jableh/Jablah).
Arabic-script names keep their script (anyascii drops Arabic vowels, "حارم" → "hrm", too lossy to index):
they are folded like every lexicon (أ/إ/آ → ا, ة → ه, harakat dropped) and their skeleton drops the article.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

from eventwatch.extract.lexicon import fold, load_yaml

_NON_WORD = re.compile(r"[\W_]+")
_ARABIC = re.compile("[\u0600-\u06ff]")
_PLAIN = re.compile(r"[\w ]+")
_AR_ARTICLE = re.compile(r"(?:(?<=\s)|^)ال(?=\S{2,})")


def is_arabic(s: str) -> bool:
    return _ARABIC.search(s) is not None


@cache
def _rules() -> tuple[tuple[re.Pattern[str] | str, str], ...]:
    """The rewrite rules; a rule whose pattern is a plain letter sequence runs as ``str.replace`` (faster)."""
    data: dict[str, Any] = load_yaml("transliteration.yaml")
    return tuple((str(p) if _PLAIN.fullmatch(str(p)) else re.compile(str(p)), str(r)) for p, r in data["rules"])


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The exact lookup key: case, diacritics, script and punctuation folded."""
    if is_arabic(name):
        return " ".join(_NON_WORD.sub(" ", fold(name)).split())
    return " ".join(_NON_WORD.sub(" ", anyascii(name).lower()).split())


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """The loose key on which transliteration variants of one name coincide."""
    key = name_key(name)
    if not key:
        return ""
    if is_arabic(key):
        return " ".join(_AR_ARTICLE.sub("", key).split())
    for pattern, repl in _rules():
        key = key.replace(pattern, repl) if isinstance(pattern, str) else pattern.sub(repl, key)
    return " ".join(key.split())
