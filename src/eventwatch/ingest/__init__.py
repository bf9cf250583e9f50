"""Ingest stage: files of reporting in, ``Report``s (and ``Reject``s for what cannot be read) out.

Formats, each detected by extension and by sniffing the first bytes (fields and rules: ``docs/formats.md``
and each reader's docstring):

- ``text``: ``.txt`` (or extension-less plain text), one report per file, optional YAML front matter;
- ``markdown``: ``.md``/``.markdown``, likewise (``text.py``);
- ``jsonl``: ``.jsonl``/``.ndjson`` (or ``.json`` holding lines), one report per line (``jsonl.py``);
- ``html``: ``.html``/``.htm``/``.xhtml``, one report per page via trafilatura (``html.py``);
- ``feed``: ``.rss``/``.atom``/``.xml`` rooted at rss, feed or rdf:RDF, one per entry via feedparser;
- ``telegram``: Telegram Desktop ``result.json``, one report per text message (``telegram.py``);
- ``x``: X archive ``tweets.js`` (``window.YTD.tweets.part0 = [...]``), one report per tweet (``x.py``).

Rules shared by all: a file over ``IngestOptions.max_bytes`` is rejected unread; an empty file, binary data
and unknown formats are rejected; bad content never raises, it becomes a ``Reject`` naming file, record and
reason while the file's good records still come out. Nothing is ever fetched from the network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from eventwatch.ingest import feed, html, jsonl, telegram, text, x
from eventwatch.ingest._common import (
    DEFAULT_MAX_BYTES,
    REJECT_HEAD_BYTES,
    SNIFF_BYTES,
    FileInput,
    IngestOptions,
    is_blank,
    looks_binary,
    read_head,
    sniff_text,
)
from eventwatch.model import Reject, Report

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "IngestOptions",
    "detect_format",
    "iter_files",
    "read_bytes",
    "read_path",
]

FORMATS: tuple[str, ...] = ("text", "markdown", "jsonl", "html", "feed", "telegram", "x")

_BY_EXTENSION: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
}
_FEED_ROOTS = frozenset(("rss", "feed", "rdf:rdf"))
# The first element's name, past any XML declaration, comments, processing instructions and doctype.
_XML_ROOT = re.compile(
    r"\A(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!doctype[^>]*>\s*)*<([a-z][\w.:-]*)", re.DOTALL | re.IGNORECASE
)
_X_FILE_NAME = re.compile(r"tweets?(?:-part\d+)?\.js")
_JSONL_FIRST_LINE = re.compile(r'\A\{[^\n]*"text"\s*:[^\n]*\}\s*(?:\n|\Z)')

_READERS: dict[str, Callable[[FileInput], Iterator[Report | Reject]]] = {
    "text": lambda inp: text.read(inp, "text"),
    "markdown": lambda inp: text.read(inp, "markdown"),
    "jsonl": jsonl.read,
    "html": html.read,
    "feed": feed.read,
    "telegram": telegram.read,
    "x": x.read,
}


def detect_format(path: Path, head: bytes | None = None) -> str | None:
    """The format of ``path``: one of :data:`FORMATS`, or None for binary data and unsupported files.

    ``head`` is the file's first bytes (read from ``path`` when not given; 8 KiB are plenty). A known
    extension decides, except where the extension is shared with other content (``.xml``, ``.json``, ``.js``):
    there, and for unknown extensions, the first bytes decide. A file with no extension that is none of the
    structured formats is plain text.
    """
    if head is None:
        try:
            head = read_head(Path(path), SNIFF_BYTES)
        except OSError:
            return None
    ext = Path(path).suffix.lower()
    if is_blank(head):  # nothing to sniff: the extension, or the names Telegram and X give their exports
        return _BY_EXTENSION.get(ext) or _by_name(Path(path).name)
    if looks_binary(head):
        return None
    if ext in _BY_EXTENSION:
        return _BY_EXTENSION[ext]
    start = sniff_text(head[:SNIFF_BYTES])
    if ext == ".js":
        return _sniff_x(start)
    if ext == ".xml":
        return _sniff_xml(start)
    if ext == ".json":
        return _sniff_json(start)
    sniffed = _sniff_x(start) or _sniff_json(start) or _sniff_xml(start)
    if sniffed is None and not ext:
        return "text"
    return sniffed


def _by_name(name: str) -> str | None:
    if name == "result.json":
        return "telegram"
    return "x" if _X_FILE_NAME.fullmatch(name) else None


def _sniff_x(start: str) -> str | None:
    found = x.YTD_ASSIGNMENT.match(start)
    return "x" if found and found.group(1) in x.TWEET_PARTS else None


def _sniff_xml(start: str) -> str | None:
    if not start.startswith("<"):
        return None
    root = _XML_ROOT.match(start)
    if root is None:
        return None
    name = root.group(1).lower()
    if name in _FEED_ROOTS:
        return "feed"
    return "html" if name == "html" else None


def _sniff_json(start: str) -> str | None:
    if not start.startswith("{"):
        return None
    # "messages" first: a minified export is one line that would also pass for JSON Lines.
    if '"messages"' in start:
        return "telegram"
    if _JSONL_FIRST_LINE.match(start):
        return "jsonl"  # JSON Lines saved as .json
    # An export cut before its messages: still Telegram, so the reject says where the JSON breaks.
    return "telegram" if '"name"' in start and '"type"' in start else None


def read_path(path: Path, options: IngestOptions | None = None) -> Iterator[Report | Reject]:
    """Reports and rejects from a file, or from every non-hidden file under a directory (sorted, recursive).

    Never raises for bad content; a path that does not exist or cannot be read gives a single ``Reject``.
    """
    options = options or IngestOptions()
    for file in iter_files(Path(path)):
        yield from _read_file(file, options)


def iter_files(path: Path) -> Iterator[Path]:
    """The files ``read_path`` would read: the path itself, or every file under a directory (sorted, recursive).

    Hidden files and folders are skipped, symlinked folders are not followed, and an X archive's ``account.js``
    is left to the reader of the ``tweets.js`` beside it.
    """
    if path.is_dir():
        yield from _walk(path)
    else:
        yield path  # a missing path becomes a reject when read


def _walk(root: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    names = {e.name for e in entries}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):  # a linked directory could loop back on itself
            yield from _walk(root / entry.name)
        elif entry.is_file():
            # An X archive's account.js is read by tweets.js's reader; alone it is no reporting.
            if entry.name == x.ACCOUNT_FILE and any(_X_FILE_NAME.fullmatch(n) for n in names):
                continue
            yield root / entry.name


def _read_file(path: Path, options: IngestOptions) -> Iterator[Report | Reject]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            head = read_head(path, REJECT_HEAD_BYTES)
            reason = f"file too large ({size} bytes > {options.max_bytes})"
            yield Reject(origin, None, reason, head, detect_format(path, head))
            return
        with path.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)  # +1: notice a file that grew since stat()
    except OSError as exc:
        yield Reject(origin, None, f"cannot read file ({exc.strerror or exc})")
        return
    yield from read_bytes(data, path, options)


def read_bytes(
    data: bytes,
    path: Path,
    options: IngestOptions | None = None,
    *,
    origin: str | None = None,
    fmt: str | None = None,
) -> Iterator[Report | Reject]:
    """Reports and rejects from bytes already in hand, by the same checks and readers as a file's: a file the
    caller read itself, or a fetched feed (``origin`` then names the URL; ``path`` its name, for detection).
    ``fmt`` skips detection. Never raises for bad content."""
    options = options or IngestOptions()
    origin = origin or str(path)
    if len(data) > options.max_bytes:
        reason = f"file too large (over {options.max_bytes} bytes)"
        yield Reject(origin, None, reason, data[:REJECT_HEAD_BYTES], detect_format(path, data[:SNIFF_BYTES]))
        return
    fmt = fmt or detect_format(path, data[:SNIFF_BYTES])
    if is_blank(data):
        yield Reject(origin, None, "empty file", data, fmt)
        return
    if fmt is None:
        yield Reject(origin, None, _unsupported(path, data), data[:REJECT_HEAD_BYTES])
        return
    inp = FileInput(path, data, options, origin)
    try:
        yield from _READERS[fmt](inp)
    except Exception as exc:  # a reader bug must cost one file, not the run; the reason says what broke
        yield inp.reject(f"unexpected error reading {fmt} ({type(exc).__name__}: {exc})", fmt)


def _unsupported(path: Path, data: bytes) -> str:
    if looks_binary(data[:SNIFF_BYTES]):
        return "binary data, not a supported format"
    start = sniff_text(data[:SNIFF_BYTES])
    found = x.YTD_ASSIGNMENT.match(start)
    if found is not None:
        return f"unsupported format (X archive data 'window.YTD.{found.group(1)}', not posts)"
    if path.suffix.lower() == ".xml" and (root := _XML_ROOT.match(start)):
        return f"unsupported format (XML document with root <{root.group(1)}>, not a feed)"
    if path.suffix.lower() == ".json":
        return 'unsupported format (JSON that is neither a Telegram export nor lines with "text")'
    return f"unsupported format ({path.suffix.lower() or 'no extension'})"
