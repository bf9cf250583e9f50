"""Saved HTML pages (``.html``, ``.htm``): one report per page, main text and metadata by trafilatura.

trafilatura drops navigation, footers and comments and reads the page's metadata (``<meta>``, Open Graph,
JSON-LD): title → title, author → author, publication date → published_at, site name (else host name) →
source, canonical/``og:url`` → url. Language comes from ``<html lang>`` or ``og:locale``. The page is never
fetched or followed: only the saved bytes are read. A page with no extractable main text is rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import trafilatura

from eventwatch.ingest._common import (
    FileInput,
    clean_text,
    decode_bytes,
    norm_language,
    opt_str,
    parse_datetime,
)
from eventwatch.model import Reject, Report

FORMAT = "html"

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
_OG_LOCALE = re.compile(
    r"<meta[^>]+property\s*=\s*[\"']og:locale[\"'][^>]+content\s*=\s*[\"']([A-Za-z_-]+)", re.IGNORECASE
)
# Publication date from the page's metadata only: a date named in the story ("lundi 20 octobre") is the
# event's date, not the page's.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def read(inp: FileInput) -> Iterator[Report | Reject]:
    declared = _CHARSET.search(inp.data[:4096])
    page = decode_bytes(inp.data, inp.options, declared.group(1).decode("ascii") if declared else None)
    # lxml refuses a str that still carries an encoding declaration; the text is decoded already.
    page = _XML_DECL.sub("", page, count=1)
    try:
        doc = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on odd markup; one file must not stop a run
        yield inp.reject(f"HTML extraction failed ({type(exc).__name__}: {exc})", FORMAT)
        return
    meta: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    text = clean_text(meta.get("text") or "")
    if not text:
        yield inp.reject("no main text found in the HTML page", FORMAT)
        return

    head = page[:16384]
    language = norm_language(meta.get("language"))
    if language is None:
        found = _HTML_LANG.search(head) or _OG_LOCALE.search(head)
        language = norm_language(found.group(1)) if found else None

    yield Report(
        text=text,
        source=opt_str(meta.get("sitename")) or opt_str(meta.get("hostname")),
        author=opt_str(meta.get("author")),
        url=opt_str(meta.get("url")),
        published_at=parse_datetime(meta.get("date")),
        retrieved_at=inp.retrieved_at,
        language=language,
        title=opt_str(meta.get("title")),
        source_format=FORMAT,
        origin=inp.origin,
        raw_sha256=inp.sha,
        raw=inp.data,
    )
