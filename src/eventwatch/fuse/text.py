"""Text helpers for fusion: name folding and the sentence-embedding seam, which live in :mod:`eventwatch.text`
(extraction's event model uses the same embedder) and are re-exported here for fusion's callers."""

from __future__ import annotations

from eventwatch.text.embeddings import (
    CachedEmbedder,
    Embedder,
    TrigramEmbedder,
    USEEmbedder,
    Vectors,
    default_embedder,
    embed,
)
from eventwatch.text.folding import fold, script

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "TrigramEmbedder",
    "USEEmbedder",
    "Vectors",
    "default_embedder",
    "embed",
    "fold",
    "script",
]
