"""Text helpers for fusion: name folding and the sentence-embedding seam, which live in :mod:`eventwatch.text`
(extraction's event model uses the same embedder) and are re-exported here, and document similarity (sublinear tf
x background idf) for linking reports of one incident."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

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
