"""JSON Lines (``.jsonl``, ``.ndjson``): one JSON object per line, one report per object.

Fields (unknown fields are ignored)::

    text          required, non-empty string            -> Report.text
    source        optional (synonym: outlet)            -> Report.source
    author        optional                              -> Report.author
    url           optional                              -> Report.url
    published_at  optional (synonyms: published, date)  -> Report.published_at (ISO 8601, RFC 2822, Unix s/ms)
    language      optional (synonym: lang)              -> Report.language ("fr", "en-GB" -> "en")
    title         optional                              -> Report.title
    id            optional, accepted and not used: the report id is a content hash and the line locates it

Example::

    {"text": "Russian drones struck Kharkiv overnight ...", "source": "Kyiv Independent",
     "published_at": "2025-10-22T04:10:00+03:00", "language": "en", "url": "https://kyivindependent.com/..."}

Each report's ``raw`` is its line's bytes (without the line break) and ``raw_locator`` is ``line N`` (1-based).
Blank lines are skipped. A line that is not a JSON object, or has no usable ``text``, becomes a ``Reject`` for
that line; the other lines still come out. An unparseable date keeps the report with ``published_at`` None.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from eventwatch.ingest._common import (
    FileInput,
    bom_codec,
    clean_text,
    decode_bytes,
    json_error,
    norm_language,
    opt_str,
    parse_datetime,
)
from eventwatch.model import Reject, Report, sha256_hex

FORMAT = "jsonl"

_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def read(inp: FileInput) -> Iterator[Report | Reject]:
    for number, raw, line, last in _lines(inp):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = json_error(exc)
            if last:  # only a last line without a line break can be a cut-off one
                reason += "; the file ends mid-line, it may be truncated"
            yield inp.reject(reason, FORMAT, f"line {number}", raw)
            continue
        if not isinstance(record, dict):
            kind = "null" if record is None else _JSON_TYPES.get(type(record), "not an object")
            yield inp.reject(f"expected a JSON object, got {kind}", FORMAT, f"line {number}", raw)
            continue
        yield _report(inp, record, number, raw)


def _report(inp: FileInput, record: dict[str, Any], number: int, raw: bytes) -> Report | Reject:
    value = record.get("text")
    if value is None:
        return inp.reject('missing "text" field', FORMAT, f"line {number}", raw)
    if not isinstance(value, str):
        return inp.reject('"text" is not a string', FORMAT, f"line {number}", raw)
    text = clean_text(value)
    if not text:
        return inp.reject('empty "text"', FORMAT, f"line {number}", raw)

    def first(*keys: str) -> Any:
        for key in keys:
            if record.get(key) is not None:
                return record[key]
        return None

    return Report(
        text=text,
        source=opt_str(first("source", "outlet")),
        author=opt_str(record.get("author")),
        url=opt_str(record.get("url")),
        published_at=parse_datetime(first("published_at", "published", "date")),
        retrieved_at=inp.retrieved_at,
        language=norm_language(first("language", "lang")),
        title=opt_str(record.get("title")),
        source_format=FORMAT,
        origin=inp.origin,
        raw_sha256=sha256_hex(raw),
        raw_locator=f"line {number}",
        raw=raw,
    )


def _lines(inp: FileInput) -> Iterator[tuple[int, bytes, str, bool]]:
    """``(line number, original bytes, decoded text, is the unterminated last line)`` per line.

    UTF-8 (the JSON norm) is split as bytes so one badly encoded line cannot spoil the others; each line falls
    back on its own (see ``decode_bytes``). UTF-16/32 files (BOM) are decoded whole; a line's bytes are then
    its text re-encoded, which is exactly its slice of the file.
    """
    data = inp.data
    bom = bom_codec(data)
    if bom is not None and bom[0] != "utf-8":
        codec = bom[0]
        lines = decode_bytes(data).split("\n")
        for number, line in enumerate(lines, start=1):
            line = line.removesuffix("\r")
            yield number, line.encode(codec), line, number == len(lines)
        return
    if bom is not None:
        data = data[bom[1] :]
    forced = inp.options.encoding
    chunks = data.split(b"\n")
    for number, raw in enumerate(chunks, start=1):
        raw = raw.removesuffix(b"\r")
        if forced:
            line = raw.decode(forced, errors="replace")
        else:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = decode_bytes(raw)
        yield number, raw, line, number == len(chunks)
