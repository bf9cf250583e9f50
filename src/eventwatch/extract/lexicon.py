"""Data files and text folding shared by every extraction and resolution stage.

Lexicons live as YAML/TSV under ``eventwatch/data``; they are read once (``functools.cache``) and compiled into
one regex per lexicon, matched over a *folded* copy of the report text (case, diacritics, Arabic letter variants
and typographic quotes normalised). Folding may delete characters (Arabic short vowels), so a folded text keeps a
map back to the original offsets: every match is reported in original-text coordinates.
"""

from __future__ import annotations

import bisect
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
    low = text.lower()
    for ch in set(low):
        if ord(ch) not in _FOLD_TABLE:
            _FOLD_TABLE[ord(ch)] = _fold_char(ch)
    return low.translate(_FOLD_TABLE)


_FOLD_TABLE: dict[int, str] = {}


_REGEX_TOKEN = re.compile(r"(\(\?P<\w+>N\)|\(\?[:!=]|\(\?<[!=]|\\[a-zA-Z])")


def fold_regex(pattern: str) -> str:
    """Fold the literal parts of a data-file regex, leaving its syntax ("(?P<a>N)", "\\s") alone."""
    return "".join(part if _REGEX_TOKEN.fullmatch(part) else fold(part) for part in _REGEX_TOKEN.split(pattern))


_TOKEN = re.compile(r"\w+|[^\w\s]")
# Proclitics, longest first. The article ال and its fused forms (وال، بال، لل) are included so a lexicon entry
# written bare ("غارة") also matches its definite form ("الغارة", "بالغارة"); an entry written with the
# article still matches exactly.
_PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded copy of a text with a map from folded offsets back to original offsets, and its tokens."""

    text: str
    starts: tuple[int, ...] | None  # None: same length, identity map
    tok_start: tuple[int, ...]
    tok_end: tuple[int, ...]
    tok_text: tuple[str, ...]
    vocab: dict[str, list[int]]  # token -> its indices, so a lexicon visits only the tokens it knows
    arabic_vocab: tuple[str, ...]  # tokens in Arabic script (may carry a proclitic)

    def orig(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None:
            return start, end
        if start >= end:
            o = self.starts[start] if start < len(self.starts) else self.starts[-1]
            return o, o
        return self.starts[start], self.starts[end - 1] + 1


def fold_text(text: str) -> Folded:
    low = text.lower()
    if len(low) != len(text):  # rare: a capital that lower-cases to two characters ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for ch in set(low):
        if ord(ch) not in _FOLD_TABLE:
            _FOLD_TABLE[ord(ch)] = _fold_char(ch)
    folded = low.translate(_FOLD_TABLE)
    starts: tuple[int, ...] | None = None
    if len(folded) != len(low) or any(len(_FOLD_TABLE[ord(c)]) != 1 for c in set(low)):
        offsets: list[int] = []
        for i, ch in enumerate(low):
            offsets.extend([i] * len(_FOLD_TABLE[ord(ch)]))
        starts = (*offsets, len(text))
    toks = list(_TOKEN.finditer(folded))
    vocab: dict[str, list[int]] = {}
    for i, m in enumerate(toks):
        vocab.setdefault(m.group(0), []).append(i)
    return Folded(
        folded,
        starts,
        tuple(m.start() for m in toks),
        tuple(m.end() for m in toks),
        tuple(m.group(0) for m in toks),
        vocab,
        tuple(t for t in vocab if "\u0600" <= t[0] <= "\u06ff"),
    )


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match in original-text coordinates. ``key`` is the folded phrase that matched."""

    start: int
    end: int
    key: str
    lang: str | None = None
    fstart: int = 0  # the same match in folded-text offsets
    fend: int = 0


@dataclass(frozen=True, slots=True)
class _Phrase:
    key: str
    tokens: tuple[str, ...]
    star: bool  # the last token matches any word it starts
    lang: str | None


class PhraseMatcher:
    """Whole-word phrase lookup over a folded text's tokens; the longest phrase wins at a position.

    Phrases are indexed by their first token, so matching costs one dictionary lookup per text token rather
    than one regex alternative per phrase. Arabic phrases also match with a proclitic letter or two attached
    to their first word (و، ف، ب، ل، ك); the reported span then starts after the proclitic.
    """

    def __init__(self, phrases: Iterable[tuple[str, str | None]]) -> None:
        self._index: dict[str, list[_Phrase]] = {}
        self._memo: dict[str, list[tuple[_Phrase, int]]] = {}
        self._last: tuple[Folded, list[Hit]] | None = None
        self._star_prefix: dict[str, list[_Phrase]] = {}
        seen: set[tuple[str, bool, str | None]] = set()
        for p, lang in phrases:
            star = p.endswith("*")
            key = fold(p.rstrip("*")).strip()
            if not key or (key, star, lang) in seen:
                continue
            seen.add((key, star, lang))
            tokens = tuple(_TOKEN.findall(key))
            phrase = _Phrase(key, tokens, star, lang)
            if star and len(tokens) == 1:
                self._star_prefix.setdefault(tokens[0][:3], []).append(phrase)
            else:
                self._index.setdefault(tokens[0], []).append(phrase)
        self._has_arabic = any(ph.lang == "ar" for b in self._index.values() for ph in b)
        for bucket in (*self._index.values(), *self._star_prefix.values()):
            bucket.sort(key=lambda ph: -len(ph.tokens))

    def _candidates(self, tok: str) -> list[tuple[_Phrase, int]]:
        """(phrase, proclitic length) pairs whose first token can start at this text token (memoised)."""
        cached = self._memo.get(tok)
        if cached is not None:
            return cached
        out: list[tuple[_Phrase, int]] = [(ph, 0) for ph in self._index.get(tok, ())]
        out += [(ph, 0) for ph in self._star_prefix.get(tok[:3], ()) if tok.startswith(ph.tokens[0])]
        if tok and "\u0600" <= tok[0] <= "\u06ff":
            for pre in _PROCLITICS:
                if tok.startswith(pre) and len(tok) > len(pre) + 1:
                    out += [(ph, len(pre)) for ph in self._index.get(tok[len(pre) :], ()) if ph.lang == "ar"]
        if len(self._memo) < 200_000:
            self._memo[tok] = out
        return out

    def _scan(self, folded: Folded) -> list[Hit]:
        """All matches in a text, left to right, longest first; cached for the last text seen."""
        if self._last is not None and self._last[0] is folded:
            return self._last[1]
        hits: list[Hit] = []
        toks = folded.tok_text
        n = len(toks)
        vocab = folded.vocab
        index = self._index
        firsts = vocab.keys() & index.keys()
        if self._star_prefix:
            prefixes = self._star_prefix
            firsts.update(t for t in vocab if t[:3] in prefixes and t not in firsts and self._candidates(t))
            if self._has_arabic:
                firsts.update(t for t in folded.arabic_vocab if t not in firsts and self._candidates(t))
        elif self._has_arabic:
            firsts.update(t for t in folded.arabic_vocab if t not in firsts and self._candidates(t))
        positions = sorted(i for tok in firsts for i in vocab[tok])
        next_free = 0
        for i in positions:
            if i < next_free:
                continue  # inside the previous (longer) match
            best_k = 0
            found: list[tuple[_Phrase, int]] = []
            for ph, pre in self._candidates(toks[i]):
                k = len(ph.tokens)
                if i + k > n or k < best_k:
                    continue
                if ph.star and k > 1:
                    ok = toks[i + 1 : i + k - 1] == ph.tokens[1:-1] and toks[i + k - 1].startswith(ph.tokens[-1])
                else:
                    ok = k == 1 or toks[i + 1 : i + k] == ph.tokens[1:]
                if ok:
                    if k > best_k:
                        best_k, found = k, []
                    found.append((ph, pre))
            if not found:
                continue
            # One hit per language that lists the phrase ("JNIM" is both an English and a French alias).
            langs: set[str | None] = set()
            for ph, pre in found:
                if ph.lang in langs:
                    continue
                langs.add(ph.lang)
                os_, oe = folded.orig(folded.tok_start[i] + pre, folded.tok_end[i + best_k - 1])
                hits.append(Hit(os_, oe, ph.key, ph.lang, folded.tok_start[i], folded.tok_end[i + best_k - 1]))
            next_free = i + best_k
        self._last = (folded, hits)
        return hits

    def finditer(self, folded: Folded, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Matches lying within folded offsets [start, end)."""
        hits = self._last[1] if self._last is not None and self._last[0] is folded else self._scan(folded)
        if end is None:
            end = len(folded.text)
        i = bisect.bisect_left(hits, start, key=_fstart)
        n = len(hits)
        while i < n:
            h = hits[i]
            if h.fstart >= end:
                return
            if h.fend <= end:
                yield h
            i += 1


def _fstart(h: Hit) -> int:
    return h.fstart


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
