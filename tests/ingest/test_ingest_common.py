"""Shared helpers: the decoding rule, binary sniffing, date parsing, text clean-up."""

from __future__ import annotations

import codecs
import json
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from eventwatch.ingest._common import (
    IngestOptions,
    clean_text,
    decode_bytes,
    html_to_text,
    iter_json_array,
    json_error,
    looks_binary,
    norm_language,
    parse_datetime,
)

FR = "Frappe aérienne près de Tombouctou : « au moins 12 morts »"
AR = "قصف مدفعي على الفاشر"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (FR.encode("utf-8"), FR),
        (codecs.BOM_UTF8 + FR.encode("utf-8"), FR),
        (FR.encode("utf-16"), FR),  # Python writes a BOM
        (codecs.BOM_UTF16_BE + AR.encode("utf-16-be"), AR),
        (codecs.BOM_UTF32_LE + AR.encode("utf-32-le"), AR),
        (FR.encode("latin-1"), FR),  # not UTF-8: cp1252, a superset of latin-1's printable range
        ("“Attaque” – 12 morts".encode("cp1252"), "“Attaque” – 12 morts"),  # cp1252-only characters
        (b"caf\xe9 \x81", "café \x81"),  # 0x81 is undefined in cp1252: latin-1 maps it
    ],
)
def test_decode_rule(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_decode_forced_and_declared_encodings() -> None:
    legacy_arabic = AR.encode("cp1256")
    assert decode_bytes(legacy_arabic, IngestOptions(encoding="cp1256")) == AR
    assert decode_bytes(legacy_arabic, declared="windows-1256") == AR
    assert decode_bytes(legacy_arabic, declared="no-such-codec") == legacy_arabic.decode("cp1252")
    # A BOM beats the option: the bytes say what they are.
    assert decode_bytes(FR.encode("utf-16"), IngestOptions(encoding="cp1256")) == FR


def test_looks_binary() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(bytes(range(1, 32)) * 10)
    assert not looks_binary(FR.encode("latin-1"))
    assert not looks_binary(AR.encode("utf-16"))  # NULs are fine behind a BOM
    assert not looks_binary(b"ligne\tun\r\nligne deux\x0c")
    assert not looks_binary(b"")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-21T18:42:00+02:00", datetime(2025, 10, 21, 16, 42, tzinfo=UTC)),
        ("2025-10-21T18:42:00Z", datetime(2025, 10, 21, 18, 42, tzinfo=UTC)),
        ("2025-10-21 18:42", datetime(2025, 10, 21, 18, 42, tzinfo=UTC)),  # no offset: UTC
        ("2025-10-21", datetime(2025, 10, 21, tzinfo=UTC)),
        ("Tue, 21 Oct 2025 09:15:00 +0300", datetime(2025, 10, 21, 6, 15, tzinfo=UTC)),
        ("Wed Oct 22 01:14:03 +0000 2025", datetime(2025, 10, 22, 1, 14, 3, tzinfo=UTC)),
        ("1761139800", datetime(2025, 10, 22, 13, 30, tzinfo=UTC)),
        (1761139800, datetime(2025, 10, 22, 13, 30, tzinfo=UTC)),
        (1761139800500, datetime(2025, 10, 22, 13, 30, 0, 500000, tzinfo=UTC)),  # milliseconds
        (date(2025, 10, 26), datetime(2025, 10, 26, tzinfo=UTC)),
        (datetime(2025, 10, 26, 12, 0), datetime(2025, 10, 26, 12, 0, tzinfo=UTC)),
        (
            datetime(2025, 10, 26, 12, 0, tzinfo=timezone(timedelta(hours=3))),
            datetime(2025, 10, 26, 9, 0, tzinfo=UTC),
        ),
        (time.struct_time((2025, 10, 22, 6, 0, 0, 2, 295, 0)), datetime(2025, 10, 22, 6, 0, tzinfo=UTC)),
        ("sometime last week", None),
        ("", None),
        (None, None),
        (True, None),
        (["2025-10-21"], None),
        (10**30, None),
    ],
)
def test_parse_datetime(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected
    if expected is not None:
        assert parse_datetime(value).tzinfo is UTC  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("fr", "fr"), ("FR", "fr"), ("en-US", "en"), ("ar_SY", "ar"), ("und", None), ("", None), (None, None), (7, None)],
)
def test_norm_language(value: object, expected: str | None) -> None:
    assert norm_language(value) == expected


def test_clean_text_normalises_but_keeps_inner_text() -> None:
    decomposed = "Tombouctou, re\u0301fugie\u0301s"  # e + combining acute
    assert clean_text(f"\r\n  {decomposed}\r\n\r\nLigne  deux \t\n") == "Tombouctou, réfugiés\n\nLigne  deux"


def test_html_to_text() -> None:
    html = "<p>At least <b>nine</b> killed &amp; 14 injured.</p><p>Second&nbsp;para.</p><script>x()</script>"
    assert html_to_text(html) == "At least nine killed & 14 injured.\n\nSecond para."  # paragraphs stay apart
    assert html_to_text("Plain &amp; simple") == "Plain & simple"


def test_iter_json_array_stops_at_damage() -> None:
    text = 'x = [{"a": 1}, {"a": 2}, {"a": 3'
    seen = []
    with pytest.raises(json.JSONDecodeError) as err:
        for item in iter_json_array(text, 4):
            seen.append(item)
    assert seen == [{"a": 1}, {"a": 2}]
    assert json_error(err.value).startswith("invalid JSON (")
    assert list(iter_json_array("[ ]", 0)) == []
    assert list(iter_json_array('[1, "two" ,\n {"3": 3}]', 0)) == [1, "two", {"3": 3}]
