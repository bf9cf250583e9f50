"""Helpers shared by every reader: size guard, decoding, binary sniffing, dates, text clean-up.

Readers receive a :class:`FileInput` (the bytes of one file, already size-checked) and yield ``Report`` and
``Reject`` objects. Nothing here touches the network.
"""

from __future__ import annotations

import calendar
import codecs
import json
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from eventwatch.model import Reject, sha256_hex, utcnow

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
REJECT_HEAD_BYTES = 64 * 1024  # raw kept with a reject for a file we did not (or could not) read
SNIFF_BYTES = 8 * 1024  # enough to see an XML root past a declaration and a comment or two


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Knobs for :func:`eventwatch.ingest.read_path`.

    ``max_bytes``: files larger than this are rejected unread (only their first 64 KiB are kept).
    ``encoding``: force this codec for files without a BOM instead of UTF-8-then-cp1252 guessing
    (e.g. ``"cp1256"`` for legacy Arabic Windows text). Feeds ignore it: XML declares its own encoding.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None


class FileInput:
    """One file's bytes plus what every reader needs; the file hash is computed once, on demand."""

    __slots__ = ("_sha", "data", "options", "origin", "path", "retrieved_at")

    def __init__(self, path: Path, data: bytes, options: IngestOptions, origin: str | None = None) -> None:
        self.path = path
        self.origin = origin or str(path)  # a URL when the bytes were fetched, not read from a file
        self.data = data
        self.options = options
        self.retrieved_at = utcnow()
        self._sha: str | None = None

    @property
    def sha(self) -> str:
        if self._sha is None:
            self._sha = sha256_hex(self.data)
        return self._sha

    def reject(self, reason: str, fmt: str, locator: str | None = None, raw: bytes | None = None) -> Reject:
        return Reject(
            origin=self.origin,
            locator=locator,
            reason=reason,
            raw=self.data if raw is None else raw,
            source_format=fmt,
        )


# --- decoding ---------------------------------------------------------------------------------------------

# UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_codec(data: bytes) -> tuple[str, int] | None:
    """``(codec, BOM length)`` when ``data`` starts with a Unicode byte order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def decode_bytes(data: bytes, options: IngestOptions | None = None, declared: str | None = None) -> str:
    """Decode file bytes by one documented rule; never raises.

    1. a BOM (UTF-8, UTF-16, UTF-32) wins and is dropped;
    2. ``options.encoding`` if set;
    3. strict UTF-8;
    4. an encoding the document declares itself (HTML ``<meta charset>``), if Python knows it;
    5. cp1252 (a superset of latin-1's printable range, and what "latin-1" files usually really are);
    6. latin-1, which maps every byte, for the five bytes cp1252 leaves undefined.
    """
    bom = bom_codec(data)
    if bom is not None:
        codec, skip = bom
        return data[skip:].decode(codec, errors="replace")
    forced = options.encoding if options is not None else None
    if forced:
        return data.decode(forced, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# Control bytes that never occur in text (tab, LF, FF, CR and ESC excluded).
_CONTROL = frozenset(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read.

    A UTF-16/32 BOM makes NUL bytes legitimate; otherwise a NUL, or more than 10% control bytes, means binary.
    """
    if not head or bom_codec(head) is not None:
        return False
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls * 10 > len(sample)


def is_blank(data: bytes) -> bool:
    """Nothing but whitespace (and perhaps a BOM). Looks at the start first: big files are rarely blank."""
    bom = bom_codec(data)
    codec, skip = bom if bom is not None else ("latin-1", 0)  # any byte-wise codec will do without a BOM
    if data[skip : skip + SNIFF_BYTES].decode(codec, errors="ignore").strip():
        return False
    return not data[skip:].decode(codec, errors="ignore").strip()


def sniff_text(head: bytes) -> str:
    """The first bytes as text with leading whitespace dropped, for format sniffing only."""
    bom = bom_codec(head)
    codec, skip = bom if bom is not None else ("utf-8", 0)
    return head[skip:].decode(codec, errors="replace").lstrip()


def read_head(path: Path, size: int = REJECT_HEAD_BYTES) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


# --- text ---------------------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` → ``\\n``, outer whitespace stripped; inner text untouched (spans index into it)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def opt_str(value: Any) -> str | None:
    """A metadata value as a stripped string; empty, missing or structured values become None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


_LANG = re.compile(r"([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*")


def norm_language(value: Any) -> str | None:
    """``"fr"``, ``"FR"``, ``"en-US"``, ``"ar_SY"`` → two lower-case letters; anything else (``"und"``) → None."""
    if not isinstance(value, str):
        return None
    m = _LANG.fullmatch(value.strip())
    return m.group(1).lower() if m else None


_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote"}
    | {"pre", "section", "article", "header", "footer", "hr", "figure", "figcaption", "dd", "dt"}
)
_SKIP_TAGS = frozenset(("script", "style", "template", "noscript"))
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries): block elements become line breaks, markup goes."""
    if "<" not in fragment:
        # Plain text, at most with entities: skip the parser, which is the slow part on big feeds.
        return _tidy(unescape(fragment))
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return _tidy("".join(collector.parts))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# --- dates --------------------------------------------------------------------------------------------------

_TWITTER_FORMAT = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 22 01:14:03 +0000 2025"


def parse_datetime(value: Any) -> datetime | None:
    """A publication time as an aware UTC datetime, or None when absent or unparseable (never raises).

    Accepts datetime/date objects (YAML), Unix seconds (int, float or digit string; milliseconds when larger
    than 1e11), ISO 8601 (``Z`` or offset), RFC 2822 (RSS, email) and X's ``created_at`` format. A time with
    no offset is taken as UTC; a bare date as midnight UTC.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if isinstance(value, time.struct_time):
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    if s.isdigit():
        return _from_epoch(float(s))
    try:
        return _to_utc(datetime.fromisoformat(s))
    except ValueError:
        pass
    try:
        return _to_utc(datetime.strptime(s, _TWITTER_FORMAT))
    except ValueError:
        pass
    try:
        return _to_utc(parsedate_to_datetime(s))
    except (TypeError, ValueError, IndexError):
        return None


def _to_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


# --- JSON ---------------------------------------------------------------------------------------------------


def json_error(exc: json.JSONDecodeError, with_line: bool = False) -> str:
    """``invalid JSON (Expecting ',' delimiter at column 31)``; ``with_line`` for multi-line documents."""
    where = f"line {exc.lineno} column {exc.colno}" if with_line else f"column {exc.colno}"
    joiner = " " if exc.msg.endswith(" at") else " at "  # "Unterminated string starting at"
    return f"invalid JSON ({exc.msg}{joiner}{where})"


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def iter_json_array(text: str, pos: int) -> Iterator[Any]:
    """Decode the elements of the JSON array whose ``[`` is at ``text[pos]``, one by one.

    Element-wise decoding lets a truncated or damaged export still give up every element before the damage:
    the ``JSONDecodeError`` raised at the bad element carries the position.
    """
    if text[pos : pos + 1] != "[":
        raise json.JSONDecodeError("Expecting '['", text, pos)
    pos = _skip_ws(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return
    while True:
        value, pos = _DECODER.raw_decode(text, pos)
        yield value
        pos = _skip_ws(text, pos)
        ch = text[pos : pos + 1]
        if ch == "]":
            return
        if ch != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        pos = _skip_ws(text, pos + 1)


def _skip_ws(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    return m.end() if m else pos
