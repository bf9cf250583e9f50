"""Extraction: sentences, languages, attribution and hedging, counts, triggers, actors, times, event frames.

Stages are plain functions over one :class:`~eventwatch.extract.doc.Doc`; :func:`extract` runs them in order.
"""

from __future__ import annotations

from eventwatch.extract.actors import find_actors
from eventwatch.extract.attribution import attribute
from eventwatch.extract.doc import Doc
from eventwatch.extract.events import build_frames, find_triggers, mark_background, read_sentences
from eventwatch.extract.language import detect_languages, guess_language
from eventwatch.extract.parse import parse_sentences
from eventwatch.extract.quantities import extract_quantities
from eventwatch.extract.segment import segment, split_spans
from eventwatch.extract.temporal import find_times
from eventwatch.extract.toponyms import event_paragraph_sentences, find_entities
from eventwatch.model import Report

__all__ = ["Doc", "extract", "guess_language", "split_spans"]


def extract(report: Report, all_entities: bool = False) -> Doc:
    """Run every extraction stage over one report; resolution (places, dates) comes after. Named entities are
    found in the paragraphs that tell events (and the first), or in every sentence with ``all_entities`` (for
    geoparsing a whole text)."""
    doc = Doc.from_report(report)
    segment(doc)
    detect_languages(doc)
    find_times(doc)  # before the counts: a day of a date ("02-05 March") is never a count
    extract_quantities(doc)
    attribute(doc)
    mark_background(doc)
    find_triggers(doc)
    find_actors(doc)
    read_sentences(doc)
    find_entities(doc, None if all_entities else event_paragraph_sentences(doc))
    parse_sentences(doc)
    build_frames(doc)
    return doc
