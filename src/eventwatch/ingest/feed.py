"""RSS 0.9x/1.0/2.0 and Atom feed files, parsed by feedparser from the saved bytes: one report per entry.

Entry content (else summary, else title) with its HTML stripped → text; feed title → source; entry author →
author; entry link → url; entry published (else updated) date → published_at; entry title → title; entry or
feed language → language. ``raw`` is the whole feed file and ``raw_locator`` is ``entry N`` (1-based, document
order). Encoding follows XML rules (BOM, then the XML declaration), with feedparser's fallback to cp1252 for
bytes that contradict the declaration. A feed cut off mid-entry gives its complete entries and one reject per
cut-off entry; a feed with no entries is rejected.
"""

from __future__ import annotations

import io
import xml.sax
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import feedparser

from eventwatch.ingest._common import (
    FileInput,
    clean_text,
    html_to_text,
    norm_language,
    opt_str,
    parse_datetime,
)
from eventwatch.model import Reject, Report

FORMAT = "feed"
NO_ENTRIES = "feed has no entries"  # a well-formed feed with nothing in it: a reject for a file, not for a URL

_PLAIN = ("text/plain", "text")


def read(inp: FileInput) -> Iterator[Report | Reject]:
    # A file object, never a str: feedparser would take a str for a URL or a file name and go fetch it.
    parsed = feedparser.parse(io.BytesIO(inp.data), sanitize_html=False, resolve_relative_uris=False)
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    malformed = isinstance(error, xml.sax.SAXException)
    entries: list[Any] = list(parsed.entries)
    if not entries:
        reason = f"malformed feed XML ({error})" if malformed else NO_ENTRIES
        yield inp.reject(reason, FORMAT)
        return

    complete = len(entries)
    if malformed:
        # The lenient parser keeps the entry the file was cut inside; only entries whose closing tag is in
        # the bytes are whole.
        complete = min(complete, inp.data.count(b"</item>") + inp.data.count(b"</entry>"))

    feed = parsed.feed
    source = opt_str(html_to_text(feed.get("title", "")))
    feed_language = norm_language(feed.get("language"))
    for number, entry in enumerate(entries, start=1):
        locator = f"entry {number}"
        if number > complete:
            yield inp.reject(f"feed ends inside this entry, file truncated? ({error})", FORMAT, locator)
            continue
        title = opt_str(html_to_text(entry.get("title", "")))
        text = clean_text(_entry_text(entry)) or (title or "")
        if not text:
            yield inp.reject("entry has no text, summary or title", FORMAT, locator)
            continue
        detail = entry.get("summary_detail") or {}
        yield Report(
            text=text,
            source=source,
            author=opt_str(entry.get("author")),
            url=opt_str(entry.get("link")),
            published_at=_entry_date(entry),
            retrieved_at=inp.retrieved_at,
            language=norm_language(detail.get("language")) or feed_language,
            title=title,
            source_format=FORMAT,
            origin=inp.origin,
            raw_sha256=inp.sha,
            raw_locator=locator,
            raw=inp.data,
        )


def _entry_text(entry: Any) -> str:
    """The fullest body: ``content:encoded``/Atom content when present and longer, else the summary."""
    best: Any = entry.get("summary_detail")
    for content in entry.get("content") or ():
        if best is None or len(content.get("value", "")) > len(best.get("value", "")):
            best = content
    if not best:
        return ""
    value = str(best.get("value", ""))
    return value if best.get("type") in _PLAIN else html_to_text(value)


def _entry_date(entry: Any) -> datetime | None:
    # feedparser's *_parsed are UTC struct_times; its own date parser handles far more feed dialects than ours.
    # Plain dict lookups: FeedParserDict maps a missing updated_parsed to published_parsed, with a warning.
    for key in ("published_parsed", "updated_parsed", "created_parsed", "published", "updated"):
        value = dict.get(entry, key)
        if value:
            return parse_datetime(value)
    return None
