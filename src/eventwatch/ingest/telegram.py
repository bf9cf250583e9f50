"""Telegram Desktop chat/channel exports (``result.json``, "Export chat history" in JSON format).

The file is one JSON object: ``{"name": ..., "type": "public_channel", "id": ..., "messages": [...]}``. Each
message of ``"type": "message"`` with non-empty text is one report; service messages (pins, joins, title
changes) and messages without text (a photo with no caption) are skipped, not rejected.

``text`` is a string or a list mixing strings and entity objects (``{"type": "bold", "text": "..."}``): the
pieces are concatenated. Channel ``name`` → source (``"Name (@username)"`` when the export carries a
``username``); ``date_unixtime`` (else ``date``, which is the exporting machine's local time, read as UTC) →
published_at; the message's ``author`` (channel signature) or a ``from`` other than the channel → author;
``https://t.me/<username>/<id>`` → url only when a username is known (Desktop exports usually lack it).
``raw`` is the whole export and ``raw_locator`` is ``message <id>``. A truncated export gives every message
before the cut, then one reject naming the line where the JSON breaks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from eventwatch.ingest._common import (
    FileInput,
    clean_text,
    decode_bytes,
    iter_json_array,
    json_error,
    opt_str,
    parse_datetime,
)
from eventwatch.model import Reject, Report

FORMAT = "telegram"

_MESSAGES_KEY = re.compile(r'"messages"\s*:\s*\[')


def read(inp: FileInput) -> Iterator[Report | Reject]:
    document = decode_bytes(inp.data, inp.options)
    try:
        export = json.loads(document)
    except json.JSONDecodeError as exc:
        yield from _recover(inp, document, exc)
        return
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        yield inp.reject('not a Telegram export (no "messages" list)', FORMAT)
        return
    channel = _Channel(export)
    for index, message in enumerate(export["messages"], start=1):
        result = channel.report(inp, message, index)
        if result is not None:
            yield result


def _recover(inp: FileInput, document: str, error: json.JSONDecodeError) -> Iterator[Report | Reject]:
    """Salvage a damaged export: the header before ``"messages"``, then each message up to the damage."""
    found = _MESSAGES_KEY.search(document)
    header: Any = None
    if found is not None:
        try:
            header = json.loads(document[: found.start()] + '"messages": []}')
        except json.JSONDecodeError:
            header = None
    if found is None or not isinstance(header, dict):
        yield inp.reject(json_error(error, with_line=True), FORMAT, f"line {error.lineno}")
        return
    channel = _Channel(header)
    last_id: Any = None
    try:
        for index, message in enumerate(iter_json_array(document, found.end() - 1), start=1):
            last_id = message.get("id") if isinstance(message, dict) else last_id
            result = channel.report(inp, message, index)
            if result is not None:
                yield result
    except json.JSONDecodeError as exc:
        error = exc
        after = f"after message {last_id}" if last_id is not None else "before the first message"
    else:
        after = "after the last message"
    reason = f"{json_error(error, with_line=True)}, {after}; file truncated?"
    yield inp.reject(reason, FORMAT, f"line {error.lineno}")


class _Channel:
    """What every message of one export shares."""

    __slots__ = ("name", "source", "username")

    def __init__(self, export: dict[str, Any]) -> None:
        self.name = opt_str(export.get("name"))
        username = opt_str(export.get("username"))
        self.username = username.lstrip("@") if username else None
        if self.name and self.username:
            self.source: str | None = f"{self.name} (@{self.username})"
        else:
            self.source = self.name or (f"@{self.username}" if self.username else None)

    def report(self, inp: FileInput, message: Any, index: int) -> Report | Reject | None:
        if not isinstance(message, dict):
            return inp.reject("message is not a JSON object", FORMAT, f"message #{index}")
        if message.get("type") != "message":
            return None  # service message: pinned, joined, renamed ...
        msg_id = message.get("id")
        locator = f"message {msg_id}" if msg_id is not None else f"message #{index}"
        raw_text = message.get("text")
        if raw_text is None:
            return None
        if isinstance(raw_text, str):
            joined = raw_text
        elif isinstance(raw_text, list):
            joined = "".join(_piece(p) for p in raw_text)
        else:
            return inp.reject('"text" is neither a string nor a list', FORMAT, locator)
        text = clean_text(joined)
        if not text:
            return None  # media without a caption
        published = parse_datetime(message.get("date_unixtime")) or parse_datetime(message.get("date"))
        author = opt_str(message.get("author"))
        if author is None:
            sender = opt_str(message.get("from"))
            author = sender if sender != self.name else None
        url = f"https://t.me/{self.username}/{msg_id}" if self.username and msg_id is not None else None
        return Report(
            text=text,
            source=self.source,
            author=author,
            url=url,
            published_at=published,
            retrieved_at=inp.retrieved_at,
            source_format=FORMAT,
            origin=inp.origin,
            raw_sha256=inp.sha,
            raw_locator=locator,
            raw=inp.data,
        )


def _piece(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, dict):
        value = part.get("text")
        return value if isinstance(value, str) else ""
    return ""
