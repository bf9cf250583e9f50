"""Data files and text folding shared by every extraction and resolution stage.

Lexicons live as YAML/TSV under ``eventwatch/data``; they are read once (``functools.cache``) and compiled into
one regex per lexicon, matched over a *folded* copy of the report text (case, diacritics, Arabic letter variants
and typographic quotes normalised). Folding may delete characters (Arabic short vowels), so a folded text keeps a
map back to the original offsets: every match is reported in original-text coordinates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGS: tuple[str, ...] = ("en", "fr", "ar")

_ARABIC_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}  # harakat, superscript alef, tatweel
_ARABIC_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
_PUNCT = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-",
          "—": "-", "‑": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}  # fmt: skip


@cache
def _fold_char(ch: str) -> str:
    """Fold one (already lower-cased) character; may return "" (a deleted mark) or several characters."""
    if ch in _ARABIC_MARKS:
        return ""
    if ch in _ARABIC_LETTERS:
        return _ARABIC_LETTERS[ch]
    if ch in _PUNCT:
        return _PUNCT[ch]
    if ch.isascii():
        return ch
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base or ch


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of a phrase (for lexicon keys)."""
    return "".join(_fold_char(c) for c in text.lower())


_REGEX_TOKEN = re.compile(r"(\(\?P<\w+>N\)|\(\?[:!=]|\(\?<[!=]|\\[a-zA-Z])")


def fold_regex(pattern: str) -> str:
    """Fold the literal parts of a data-file regex, leaving its syntax ("(?P<a>N)", "\\s") alone."""
    return "".join(part if _REGEX_TOKEN.fullmatch(part) else fold(part) for part in _REGEX_TOKEN.split(pattern))


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded copy of a text with a map from folded offsets back to original offsets."""

    text: str
    starts: tuple[int, ...] | None  # None: same length, identity map

    def orig(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None:
            return start, end
        if start >= end:
            o = self.starts[start] if start < len(self.starts) else self.starts[-1]
            return o, o
        return self.starts[start], self.starts[end - 1] + 1


def fold_text(text: str) -> Folded:
    out: list[str] = []
    starts: list[int] = []
    same = True
    for i, ch in enumerate(text):
        lower = ch.lower()
        f = "".join(_fold_char(c) for c in lower) if len(lower) != 1 else _fold_char(lower)
        if len(f) != 1:
            same = False
        out.append(f)
        starts.extend([i] * len(f))
    folded = "".join(out)
    return Folded(folded, None if same else (*starts, len(text)))


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match in original-text coordinates. ``key`` is the folded phrase that matched."""

    start: int
    end: int
    key: str
    lang: str | None = None


def _phrase_pattern(phrase: str, lang: str | None) -> str:
    """Regex source for one folded phrase: whole words, flexible spaces, trailing * = any word ending."""
    star = phrase.endswith("*")
    body = fold(phrase.rstrip("*")).strip()
    parts = [re.escape(p) for p in body.split()]
    pat = r"\s+".join(parts)
    if star:
        pat += r"\w*"
    # Arabic attaches conjunctions/prepositions to the next word: allow one or two proclitic letters.
    left = r"(?<![\w])(?:[وفبلك]{1,2})?" if lang == "ar" else r"(?<![\w])"
    right = r"(?![\w])" if not body.endswith(("'", "-")) else ""
    return left + pat + right


class PhraseMatcher:
    """One compiled alternation over many phrases; longest phrase wins at a position."""

    def __init__(self, phrases: Iterable[tuple[str, str | None]]) -> None:
        items = sorted({(fold(p.rstrip("*")).strip(), p.endswith("*"), lang) for p, lang in phrases if p.strip()},
                       key=lambda t: -len(t[0]))  # fmt: skip
        self._keys: list[tuple[str, str | None]] = []
        alts: list[str] = []
        for i, (key, star, lang) in enumerate(items):
            alts.append(f"(?P<g{i}>{_phrase_pattern(key + ('*' if star else ''), lang)})")
            self._keys.append((key, lang))
        self._re = re.compile("|".join(alts)) if alts else None

    def finditer(self, folded: Folded, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        if self._re is None:
            return
        for m in self._re.finditer(folded.text, start, len(folded.text) if end is None else end):
            name = m.lastgroup
            assert name is not None
            key, lang = self._keys[int(name[1:])]
            s, e = m.span()
            # Drop an Arabic proclitic from the reported span only when the phrase itself does not start with it.
            if lang == "ar" and not folded.text.startswith(key, s):
                s = e - len(key) if folded.text.endswith(key, 0, e) else s
            os_, oe = folded.orig(s, e)
            yield Hit(os_, oe, key, lang)


@cache
def data_text(name: str) -> str:
    return resources.files("eventwatch.data").joinpath(name).read_text(encoding="utf-8")


@cache
def load_yaml(name: str) -> Any:
    return yaml.safe_load(data_text(name))


def per_lang(mapping: Mapping[str, Iterable[str]] | None) -> list[tuple[str, str | None]]:
    """Flatten a ``{lang: [phrases]}`` mapping into (phrase, lang) pairs."""
    if not mapping:
        return []
    return [(str(p), lang) for lang, phrases in mapping.items() for p in (phrases or [])]


def is_acronym(alias: str) -> bool:
    """Short all-caps aliases ("IS", "AP", "SDF", "US") must match case-sensitively, or "is" would be a group."""
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters) and " " not in alias.strip()


def capitalised_at(text: str, start: int) -> bool:
    """Whether a Latin-script word starts with a capital (names and English months are capitalised)."""
    ch = text[start] if start < len(text) else ""
    return not ch.islower()  # scripts without case (Arabic) count as capitalised
