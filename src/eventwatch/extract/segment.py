"""Rule-based sentence segmentation with character offsets (English, French, Arabic).

Line breaks are hard boundaries (titles, Telegram lines and embedded posts are one per line); a blank line starts
a new paragraph, and so does any line break, since wire copy puts one paragraph per line. Inside a line a sentence
ends at . ! ? ؟ … (optionally followed by closing quotes/brackets) when whitespace and a plausible sentence start
follow, unless the period ends a known abbreviation, an initial ("J. Smith") or a number ("3.5").
"""

from __future__ import annotations

import re
from functools import cache

from eventwatch.extract.doc import Doc, Sentence
from eventwatch.extract.lexicon import load_yaml

# A terminator ends a sentence before a space, the end, or an editor's bracketed tag glued to it ("... water
# bills.[size=no report]", as ACLED notes often write it).
_END = re.compile(r"""(?:[.!?؟…]+|\.\.\.)["'”’»)\]]*(?=\s+|$|\[(?=[A-Za-z]))""")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(str(a).lower() for a in load_yaml("segmentation.yaml")["abbreviations"])


def _is_boundary(line: str, end_idx: int, match_text: str) -> bool:
    """Whether the terminator ending at ``end_idx`` in ``line`` closes a sentence."""
    if match_text.startswith(".") and len(match_text.rstrip("\"'”’»)]")) == 1:
        before = line[: end_idx - len(match_text) + 1]
        m = _WORD_BEFORE.search(before)
        if m:
            word = m.group(1).lower()
            if word in _abbreviations() or (len(word) == 1 and word.isalpha()):
                return False
    rest = line[end_idx:].lstrip()
    if not rest:
        return True
    first = rest[0]
    # A lower-case Latin start after the period is a continuation ("approx. ten", "etc. and").
    return not (first.isalpha() and first.islower() and first.isascii())


def split_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) for each sentence of ``text``, whitespace trimmed."""
    out: list[tuple[int, int, int]] = []
    paragraph = -1
    pos = 0
    for raw_line in text.splitlines(keepends=True):
        line = raw_line.rstrip("\r\n")
        line_start = pos
        pos += len(raw_line)
        if not line.strip():
            continue
        paragraph += 1
        sent_start = 0
        for m in _END.finditer(line):
            if _is_boundary(line, m.end(), m.group(0)):
                out.append((line_start + sent_start, line_start + m.end(), paragraph))
                sent_start = m.end()
        out.append((line_start + sent_start, line_start + len(line), paragraph))
    trimmed: list[tuple[int, int, int]] = []
    for s, e, p in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e, p))
    return trimmed


def segment(doc: Doc) -> None:
    doc.sentences = [
        Sentence(index=i, start=s, end=e, paragraph=p) for i, (s, e, p) in enumerate(split_spans(doc.text))
    ]
