"""The event model: is a passage an event, and of which ACLED event / sub-event type? Load weights, predict.

Trained by ``scripts/train_event_model.py`` (``make train``) on ``../shared/train/acled-train.csv`` plus written and
public non-event text, shipped as ``data/event_model.npz`` with a JSON provenance sidecar (training data sha256,
code version, held-out and dev metrics). Run time needs numpy only. Two feature families:

* ``en`` — word 1–2-gram and character 3–5-gram TF-IDF (:mod:`eventwatch.text.ngrams`) and a linear model: English
  passages;
* ``multilingual`` — USE v3 sentence embeddings (:mod:`eventwatch.text.embeddings`) and a linear model: French,
  Arabic and any other language, English training carried across by the embedder.

Each family has two linear heads: event type (ACLED's 6 + "none") and sub-event type; scores become probabilities
through a softmax with a temperature fitted on held-out data. The event type is the type head's most probable
(``p_event`` is one minus its "none" probability), the sub-event type the sub head's most probable *within* that
type, so the two are always consistent (a held-out comparison favoured this over deriving the type from summed
sub-type probabilities: +0.4 points type accuracy, +4 points sub-type macro-F1). The ``en`` head also names its
evidence: the n-gram contributing most to the chosen label, shown to users as the trigger span.

The trigger lexicon is a feature of both heads, not a gate: each passage carries the sub-event types its trigger
phrases name (cue tokens appended to the TF-IDF text, one-hot columns after the embedding), and training on the
ACLED notes taught the heads how far each cue is to be trusted.

``EVENTWATCH_EVENT_MODEL`` points at another weights file, or ``off`` disables the model (extraction then falls
back to the trigger lexicon alone, as before the model existed).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from eventwatch.text.ngrams import TOKEN, TfidfFeatures, linear_scores, masked_offsets

WEIGHTS = "event_model.npz"
ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class Typing:
    """One passage's reading by the model."""

    event_type: str
    sub_event_type: str
    probability: float  # of the chosen sub-event type
    p_event: float  # 1 - P(none)
    head: str  # "en" | "multilingual"
    evidence: tuple[int, int] | None = None  # offsets in the passage of the n-gram that weighed most (en head)


@dataclass(frozen=True, slots=True)
class LinearHead:
    coef: npt.NDArray[np.floating]  # (features, labels)
    bias: npt.NDArray[np.float32]  # (labels,)
    temperature: float

    def probabilities(self, scores: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
        z = scores.astype(np.float32) * self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: npt.NDArray[np.float32] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out


@dataclass(frozen=True, slots=True)
class Heads:
    """One feature family's two linear heads: event type (with "none") and sub-event type."""

    event_type: LinearHead
    sub_event_type: LinearHead


@dataclass(frozen=True, slots=True)
class EventModel:
    event_types: tuple[str, ...]  # "" is "none"
    sub_event_types: tuple[tuple[str, str], ...]  # (event_type, sub_event_type)
    features: TfidfFeatures
    en: Heads
    multilingual: Heads | None
    provenance: dict[str, Any]
    cue_names: tuple[str, ...] = ()  # lexicon features of the multilingual head, in column order after the embedding
    joint_weight: float | None = None  # how the type and sub-type heads decide together (see decide)
    # The event probability a sentence without a lexicon trigger needs, chosen in training on held-out negatives
    # (extract.events uses its own default for a model without one).
    untriggered_event_probability: float | None = None

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None], cues: Sequence[Sequence[str]] | None = None
    ) -> list[Typing]:
        """Read each passage with the head for its language (English: ``en``; others: ``multilingual``).

        ``cues`` are the passage's lexicon features: the sub-event types its trigger phrases name
        (``extract.events.sentence_cues``). Both heads learned how much to trust each from the ACLED notes."""
        cues = cues if cues is not None else [()] * len(texts)
        out: list[Typing | None] = [None] * len(texts)
        en_idx = [i for i, lang in enumerate(langs) if lang in (ENGLISH, None) or self.multilingual is None]
        english = set(en_idx)
        other = [i for i in range(len(texts)) if i not in english]
        if en_idx:
            rows = self.features.matrix([with_cue_tokens(texts[i], cues[i]) for i in en_idx])
            p_type = self.en.event_type.probabilities(linear_scores(rows, self.en.event_type.coef,
                                                                    self.en.event_type.bias))  # fmt: skip
            p_sub = self.en.sub_event_type.probabilities(linear_scores(rows, self.en.sub_event_type.coef,
                                                                       self.en.sub_event_type.bias))  # fmt: skip
            for k, i in enumerate(en_idx):
                typing = self.decide(p_type[k], p_sub[k], "en")
                out[i] = Typing(typing.event_type, typing.sub_event_type, typing.probability, typing.p_event,
                                "en", self._evidence(texts[i], rows[k], typing))  # fmt: skip
        if other and self.multilingual is not None:
            from eventwatch.text.embeddings import embed

            vectors = np.hstack([embed([texts[i] for i in other]).astype(np.float32),
                                 cue_matrix([cues[i] for i in other], self.cue_names)])  # fmt: skip
            heads = self.multilingual
            p_type = heads.event_type.probabilities(vectors @ heads.event_type.coef + heads.event_type.bias)
            p_sub = heads.sub_event_type.probabilities(vectors @ heads.sub_event_type.coef + heads.sub_event_type.bias)
            for k, i in enumerate(other):
                out[i] = self.decide(p_type[k], p_sub[k], "multilingual")
        return [t for t in out if t is not None]

    def decide(self, p_type: npt.NDArray[np.float32], p_sub: npt.NDArray[np.float32], head: str) -> Typing:
        """The most probable event type (never "none"), then its most probable sub-event type; or, with a
        ``joint_weight`` w, the sub-event type maximising w·log P(its type) + log P(sub-event type), and its type."""
        none = self.event_types.index("")
        if self.joint_weight is not None:
            type_at = {t: i for i, t in enumerate(self.event_types)}
            pt = np.log(np.clip(p_type.astype(np.float64), 1e-12, None))
            ps = np.log(np.clip(p_sub.astype(np.float64), 1e-12, None))
            candidates = [i for i, (et, _) in enumerate(self.sub_event_types) if et]
            joint = max(candidates, key=lambda i: self.joint_weight * pt[type_at[self.sub_event_types[i][0]]] + ps[i])
            best_type = type_at[self.sub_event_types[joint][0]]
        else:
            best_type = max((i for i in range(len(self.event_types)) if i != none), key=lambda i: float(p_type[i]))
        event_type = self.event_types[best_type]
        within = [i for i, (et, _) in enumerate(self.sub_event_types) if et == event_type]
        mass = sum(float(p_sub[i]) for i in within) or 1.0
        best_sub = max(within, key=lambda i: float(p_sub[i]))
        probability = float(p_type[best_type]) * float(p_sub[best_sub]) / mass
        return Typing(event_type, self.sub_event_types[best_sub][1], probability, 1.0 - float(p_type[none]), head)

    def _evidence(
        self, text: str, row: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]], typing: Typing
    ) -> tuple[int, int] | None:
        """Offsets of the unigram/bigram with the largest contribution to the chosen sub-event type."""
        cols, vals = row
        words = cols < len(self.features.idf)  # the evidence shown is a word n-gram, never a character n-gram
        cols, vals = cols[words], vals[words]
        if not len(cols):
            return None
        label = self.sub_event_types.index((typing.event_type, typing.sub_event_type))
        contrib = vals * self.en.sub_event_type.coef[cols, label].astype(np.float32)
        gram = self.features.gram(int(cols[int(np.argmax(contrib))]))
        return locate_gram(text, gram, self.features.numbers)


def cue_token(sub_event_type: str) -> str:
    """A lexicon feature as one word token of the TF-IDF head: "Armed clash" → "lexcuearmedclash"."""
    return "lexcue" + "".join(c for c in sub_event_type.lower() if c.isalnum())


def with_cue_tokens(text: str, cues: Sequence[str]) -> str:
    # Training appends them the same way, so the bigram joining the last word and the first cue means the same.
    return text + "".join(" " + cue_token(c) for c in cues) if cues else text


def cue_matrix(cues: Sequence[Sequence[str]], names: Sequence[str]) -> npt.NDArray[np.float32]:
    """One-hot lexicon features for the multilingual head."""
    out = np.zeros((len(cues), len(names)), dtype=np.float32)
    column = {n: i for i, n in enumerate(names)}
    for row, found in enumerate(cues):
        for c in found:
            if c in column:
                out[row, column[c]] = 1.0
    return out


def locate_gram(text: str, gram: str, numbers: str = "raw") -> tuple[int, int] | None:
    """Where an n-gram (lower-cased tokens joined by spaces) first occurs in the text, as offsets in the text (with
    masked numbers, the n-gram's "nn" is found at the digits it stands for)."""
    words = gram.split(" ")
    seen, origin = masked_offsets(text) if numbers == "masked" else (text, list(range(len(text) + 1)))
    tokens = list(TOKEN.finditer(seen))
    lowered = [t.group(0).lower() for t in tokens]
    for i in range(len(tokens) - len(words) + 1):
        if lowered[i : i + len(words)] == words:
            return origin[tokens[i].start()], origin[tokens[i + len(words) - 1].end() - 1] + 1
    return None


HEAD_NAMES = ("en_type", "en_sub", "ml_type", "ml_sub")


HeadWeights = tuple[npt.NDArray[Any], npt.NDArray[Any], float]  # (coef, bias, temperature)


def save(path: Path, *, event_types: Sequence[str], sub_event_types: Sequence[tuple[str, str]],
         vocabulary: Sequence[str], idf: npt.NDArray[Any], max_n: int, heads: dict[str, HeadWeights],
         cue_names: Sequence[str], provenance: dict[str, Any], numbers: str = "raw",
         joint_weight: float | None = None, char_vocabulary: Sequence[str] | None = None,
         char_idf: npt.NDArray[Any] | None = None, char_range: tuple[int, int] = (3, 5),
         untriggered_event_probability: float | None = None) -> None:  # fmt: skip
    """Write the weights (.npz; the large TF-IDF coefficients as float16) and the provenance sidecar (.json).
    ``heads`` maps each of :data:`HEAD_NAMES` (the multilingual ones optional) to (coef, bias, temperature)."""
    arrays: dict[str, Any] = {
        "event_types": np.array(list(event_types)),
        "sub_event_types_type": np.array([e for e, _ in sub_event_types]),
        "sub_event_types": np.array([s for _, s in sub_event_types]),
        "vocabulary": np.array(list(vocabulary)),
        "idf": idf.astype(np.float32),
        "max_n": np.array(max_n),
        "numbers": np.array(numbers),
        **({} if joint_weight is None else {"joint_weight": np.array(joint_weight, dtype=np.float32)}),
        "cue_names": np.array(list(cue_names)),
    }
    if untriggered_event_probability is not None:
        arrays["untriggered_event_probability"] = np.array(untriggered_event_probability, dtype=np.float32)
    if char_vocabulary is not None and char_idf is not None:
        arrays["char_vocabulary"] = np.array(list(char_vocabulary))
        arrays["char_idf"] = char_idf.astype(np.float32)
        arrays["char_range"] = np.array(char_range)
    for name, (coef, bias, temperature) in heads.items():
        arrays[f"{name}_coef"] = coef.astype(np.float16 if name.startswith("en") else np.float32)
        arrays[f"{name}_bias"] = bias.astype(np.float32)
        arrays[f"{name}_temperature"] = np.array(temperature, dtype=np.float32)
    np.savez_compressed(path, **arrays)
    path.with_suffix(".json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _head(z: Any, name: str) -> LinearHead:
    coef = z[f"{name}_coef"]
    return LinearHead(coef if name.startswith("en") else coef.astype(np.float32),
                      z[f"{name}_bias"].astype(np.float32), float(z[f"{name}_temperature"]))  # fmt: skip


def load(path: Path) -> EventModel:
    with np.load(path, allow_pickle=False) as z:
        event_types = tuple(str(x) for x in z["event_types"])
        subs = tuple(zip((str(x) for x in z["sub_event_types_type"]), (str(x) for x in z["sub_event_types"]),
                         strict=True))  # fmt: skip
        vocabulary = [str(x) for x in z["vocabulary"]]
        numbers = str(z["numbers"]) if "numbers" in z.files else "raw"
        chars = [str(x) for x in z["char_vocabulary"]] if "char_vocabulary" in z.files else None
        features = TfidfFeatures({g: i for i, g in enumerate(vocabulary)}, z["idf"].astype(np.float32),
                                 int(z["max_n"]), tuple(vocabulary), numbers,
                                 {g: i for i, g in enumerate(chars)} if chars is not None else None,
                                 z["char_idf"].astype(np.float32) if chars is not None else None,
                                 tuple(int(n) for n in z["char_range"]) if chars is not None else (3, 5))  # type: ignore[arg-type]  # fmt: skip
        en = Heads(_head(z, "en_type"), _head(z, "en_sub"))
        multilingual = Heads(_head(z, "ml_type"), _head(z, "ml_sub")) if "ml_type_coef" in z.files else None
        cue_names = tuple(str(x) for x in z["cue_names"]) if "cue_names" in z.files else ()
        joint_weight = float(z["joint_weight"]) if "joint_weight" in z.files else None
        untriggered = float(z["untriggered_event_probability"]) if "untriggered_event_probability" in z.files else None
    sidecar = path.with_suffix(".json")
    provenance = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    return EventModel(event_types, subs, features, en, multilingual, provenance, cue_names, joint_weight,
                      untriggered)  # fmt: skip


@cache
def default_model() -> EventModel | None:
    """The installed model: ``EVENTWATCH_EVENT_MODEL`` (a path, or "off"), else the packaged weights."""
    env = os.environ.get("EVENTWATCH_EVENT_MODEL", "")
    if env.lower() == "off":
        return None
    if env:
        return load(Path(env)) if Path(env).exists() else None
    ref = resources.files("eventwatch.data").joinpath(WEIGHTS)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as p:
        return load(p)
