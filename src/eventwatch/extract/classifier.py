"""Event-type classifier over multilingual sentence embeddings, combined with the trigger lexicon.

Weights are a small multinomial logistic regression over USE-multilingual vectors, trained by
``scripts/train_event_classifier.py`` on the training split of an ACLED export and shipped as
``data/event_classifier.npz`` with a JSON provenance sidecar. Run time needs numpy only. When no weights are
installed (the project ships none until real training data exists) extraction is lexicon-only.

How the two combine (see docs/extraction.md): the lexicon decides WHETHER there is an event (a trigger in a
non-denied, non-intention sentence); the classifier never creates one. It may re-type a frame whose trigger is
weak (contextual, e.g. "attack", "killed", or a generic arrest/interception next to violence) when its top
sub-event type is confident (``min_probability``); a specific trigger ("airstrike", "IED") always stands.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

WEIGHTS = "event_classifier.npz"
MIN_PROBABILITY = 0.6


@dataclass(frozen=True, slots=True)
class EventClassifier:
    weights: npt.NDArray[np.float32]  # (dim, classes)
    bias: npt.NDArray[np.float32]  # (classes,)
    labels: tuple[tuple[str, str], ...]  # (event_type, sub_event_type) per class
    provenance: dict[str, Any]

    def predict_proba(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        logits = vectors @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: npt.NDArray[np.float32] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def predict(self, vectors: npt.NDArray[np.float32]) -> list[tuple[str, str, float]]:
        p = self.predict_proba(vectors)
        best = p.argmax(axis=1)
        return [(*self.labels[int(k)], float(p[i, k])) for i, k in enumerate(best)]


def save(path: Path, weights: npt.NDArray[Any], bias: npt.NDArray[Any], labels: list[tuple[str, str]],
         provenance: dict[str, Any]) -> None:  # fmt: skip
    """Write weights (.npz) and provenance (.json beside it)."""
    np.savez_compressed(
        path,
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        event_types=np.array([e for e, _ in labels]),
        sub_event_types=np.array([s for _, s in labels]),
    )
    path.with_suffix(".json").write_text(json.dumps(provenance, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load(path: Path) -> EventClassifier:
    with np.load(path, allow_pickle=False) as z:
        labels = tuple(zip((str(x) for x in z["event_types"]), (str(x) for x in z["sub_event_types"]), strict=True))
        weights, bias = z["weights"].astype(np.float32), z["bias"].astype(np.float32)
    sidecar = path.with_suffix(".json")
    provenance = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    return EventClassifier(weights, bias, labels, provenance)


@cache
def default_classifier() -> EventClassifier | None:
    """The installed classifier: ``EVENTWATCH_EVENT_CLASSIFIER`` (a path, or "off"), else the packaged weights."""
    env = os.environ.get("EVENTWATCH_EVENT_CLASSIFIER", "")
    if env.lower() == "off":
        return None
    if env:
        return load(Path(env)) if Path(env).exists() else None
    ref = resources.files("eventwatch.data").joinpath(WEIGHTS)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as p:
        return load(p)


def embed(texts: list[str]) -> npt.NDArray[np.float32]:
    """The same embedder fusion uses (USE multilingual, bundled), so training and run time agree."""
    from eventwatch.fuse.text import embed as fuse_embed

    return fuse_embed(texts)
