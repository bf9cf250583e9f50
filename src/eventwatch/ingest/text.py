"""Plain text and Markdown files, one report per file, with optional YAML front matter.

Front matter is a block fenced by ``---`` lines at the very top of the file, whose first line is a ``key:``::

    ---
    published: 2025-10-21T18:42:00+02:00   # or: date
    source: RFI                              # or: outlet
    url: https://www.rfi.fr/...
    language: fr
    title: Mali : une attaque près de Tombouctou
    author: Serge Daniel
    ---
    Au moins douze civils ont été tués ...

Keys are case-insensitive; unknown keys are ignored. Without front matter the whole file is the text and
source/published are unknown. The text is kept as written (Markdown markup included): spans index into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from eventwatch.ingest._common import (
    FileInput,
    clean_text,
    decode_bytes,
    norm_language,
    opt_str,
    parse_datetime,
)
from eventwatch.model import Reject, Report

# The line after the fence must be a YAML ``key:`` (no space before the colon, unlike French prose).
_OPENING = re.compile(r"\A---[ \t]*\n(?=[A-Za-z_][\w-]*:(?:[ \t]|$))", re.MULTILINE)
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_MD_TITLE = re.compile(r"\A#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "published": ("published", "published_at", "date"),
    "source": ("source", "outlet"),
    "url": ("url",),
    "language": ("language", "lang"),
    "title": ("title",),
    "author": ("author",),
}


def read(inp: FileInput, fmt: str) -> Iterator[Report | Reject]:
    text = decode_bytes(inp.data, inp.options)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        yield inp.reject("empty file", fmt)
        return

    meta: dict[str, Any] = {}
    body = text
    opening = _OPENING.match(text)
    if opening is not None:
        closing = _CLOSING.search(text, opening.end())
        if closing is None:
            yield inp.reject("unterminated front matter (no closing '---' line)", fmt, "line 1")
            return
        try:
            loaded = yaml.safe_load(text[opening.end() : closing.start()])
        except yaml.YAMLError as exc:
            reason, locator = _yaml_error(exc)
            yield inp.reject(reason, fmt, locator)
            return
        if loaded is not None and not isinstance(loaded, dict):
            yield inp.reject("front matter is not a mapping of keys to values", fmt, "line 2")
            return
        meta = {str(k).lower(): v for k, v in (loaded or {}).items()}
        body = text[closing.end() :]

    body = clean_text(body)
    if not body:
        yield inp.reject("no text after the front matter", fmt)
        return

    def get(name: str) -> Any:
        for key in _SYNONYMS[name]:
            if meta.get(key) is not None:
                return meta[key]
        return None

    title = opt_str(get("title"))
    if title is None and fmt == "markdown":
        heading = _MD_TITLE.match(body)
        title = heading.group(1) if heading else None

    yield Report(
        text=body,
        source=opt_str(get("source")),
        author=opt_str(get("author")),
        url=opt_str(get("url")),
        published_at=parse_datetime(get("published")),
        retrieved_at=inp.retrieved_at,
        language=norm_language(get("language")),
        title=title,
        source_format=fmt,
        origin=inp.origin,
        raw_sha256=inp.sha,
        raw=inp.data,
    )


def _yaml_error(exc: yaml.YAMLError) -> tuple[str, str | None]:
    """Reason and locator; YAML counts lines from 0 inside the block, which starts on the file's line 2."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return f"invalid YAML front matter ({problem})", None
    return f"invalid YAML front matter ({problem} at column {mark.column + 1})", f"line {mark.line + 2}"
