"""The same bad-input cases for every format: empty, binary junk, too large, wrong encodings, truncated."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from eventwatch.ingest import FORMATS, IngestOptions, detect_format

from .conftest import Ingest

# Both latin-1-encodable on purpose (accents, guillemets), so the same documents can be written in any encoding.
T1 = "Frappe aérienne près de Tombouctou : au moins douze civils tués, selon des élus locaux."
T2 = "À Ménaka, l'armée malienne dit avoir « neutralisé » une dizaine d'assaillants après l'attaque du camp."

NAMES = {
    "text": "bulletin.txt",
    "markdown": "bulletin.md",
    "jsonl": "reports.jsonl",
    "html": "article.html",
    "feed": "sahel.rss",
    "telegram": "result.json",
    "x": "tweets.js",
}
CONTAINERS = ("jsonl", "feed", "telegram", "x")  # one report per record


def document(fmt: str) -> str:
    """A small, valid document of ``fmt`` carrying T1 and T2 (one record each in container formats)."""
    if fmt == "text":
        return f"{T1}\n\n{T2}\n"
    if fmt == "markdown":
        return f"---\nsource: Studio Tamani\npublished: 2025-10-21\n---\n# Mali\n\n{T1}\n\n{T2}\n"
    if fmt == "jsonl":
        return "".join(json.dumps({"text": t, "source": "AFP"}, ensure_ascii=False) + "\n" for t in (T1, T2))
    if fmt == "html":
        return (
            '<!DOCTYPE html>\n<html lang="fr"><head><title>Mali</title></head><body><article><h1>Mali</h1>'
            f"\n<p>{T1}</p>\n<p>{T2}</p>\n</article></body></html>\n"
        )
    if fmt == "feed":
        items = "".join(
            f"<item><title>Mali {i}</title><description>{t}</description></item>\n" for i, t in enumerate((T1, T2))
        )
        channel = f"<channel><title>Studio Tamani</title>\n{items}</channel>"
        return f'<?xml version="1.0"?>\n<rss version="2.0">{channel}</rss>\n'
    if fmt == "telegram":
        messages = [
            {"id": 10 + i, "type": "message", "date_unixtime": "1761030930", "text": t} for i, t in enumerate((T1, T2))
        ]
        return json.dumps(
            {"name": "Mali Actu", "type": "public_channel", "id": 5, "messages": messages}, indent=1, ensure_ascii=False
        )
    if fmt == "x":
        tweets = [{"tweet": {"id_str": str(100 + i), "full_text": t, "lang": "fr"}} for i, t in enumerate((T1, T2))]
        return "window.YTD.tweets.part0 = " + json.dumps(tweets, indent=2, ensure_ascii=False)
    raise AssertionError(fmt)


def expected_texts(fmt: str) -> list[str]:
    if fmt in CONTAINERS:
        return [T1, T2]
    return [f"# Mali\n\n{T1}\n\n{T2}" if fmt == "markdown" else f"{T1}\n\n{T2}"]


def write(tmp_path: Path, fmt: str, data: bytes) -> Path:
    path = tmp_path / NAMES[fmt]
    path.write_bytes(data)
    return path


def check_texts(fmt: str, texts: list[str]) -> None:
    if fmt == "html":  # trafilatura keeps the <h1> as a first line
        assert texts == [f"Mali\n{T1}\n{T2}"]
    else:
        assert texts == expected_texts(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_good_document(fmt: str, tmp_path: Path, ingest: Ingest) -> None:
    path = write(tmp_path, fmt, document(fmt).encode("utf-8"))
    assert detect_format(path) == fmt
    reports, rejects = ingest(path)
    assert rejects == []
    check_texts(fmt, [r.text for r in reports])
    assert all(r.source_format == fmt and r.origin == str(path) for r in reports)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t ", " \n".encode("utf-16")])
def test_empty_file(fmt: str, content: bytes, tmp_path: Path, ingest: Ingest) -> None:
    path = write(tmp_path, fmt, content)
    reports, (reject,) = ingest(path)
    assert reports == []
    assert reject.message() == f"{path}: empty file"
    assert reject.source_format == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_binary_junk(fmt: str, tmp_path: Path, ingest: Ingest) -> None:
    junk = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(100_000)
    path = write(tmp_path, fmt, junk)
    assert detect_format(path) is None
    reports, (reject,) = ingest(path)
    assert reports == []
    assert reject.message() == f"{path}: binary data, not a supported format"
    assert reject.raw == junk[: 64 * 1024]


@pytest.mark.parametrize("fmt", FORMATS)
def test_oversized_file(fmt: str, tmp_path: Path, ingest: Ingest) -> None:
    data = document(fmt).encode("utf-8")
    path = write(tmp_path, fmt, data)
    reports, (reject,) = ingest(path, IngestOptions(max_bytes=len(data) - 1))
    assert reports == []
    assert reject.reason == f"file too large ({len(data)} bytes > {len(data) - 1})"
    assert reject.raw == data
    assert reject.source_format == fmt
    # exactly at the limit is fine
    assert len(ingest(path, IngestOptions(max_bytes=len(data)))[0]) == len(expected_texts(fmt))


def test_oversized_file_is_not_read_into_memory(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"text": "Kharkiv"}\n' * 5000)  # 100 KB of real lines, then a hole
        fh.truncate(2 * 1024**3)  # sparse: 2 GiB on paper, nothing on disk
    tracemalloc.start()
    try:
        reports, (reject,) = ingest(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reports == []
    assert reject.reason == f"file too large ({2 * 1024**3} bytes > {50 * 1024 * 1024})"
    assert len(reject.raw) == 64 * 1024 and reject.raw.startswith(b'{"text": "Kharkiv"}')
    assert reject.source_format == "jsonl"
    assert peak < 4 * 1024 * 1024


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_other_encodings_are_accepted(fmt: str, encoding: str, tmp_path: Path, ingest: Ingest) -> None:
    """latin-1/cp1252 bytes (no BOM, not UTF-8) decode as cp1252; BOMs are honoured and dropped."""
    path = write(tmp_path, fmt, document(fmt).encode(encoding))
    reports, rejects = ingest(path)
    assert rejects == []
    check_texts(fmt, [r.text for r in reports])


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_mid_record(fmt: str, tmp_path: Path, ingest: Ingest) -> None:
    data = document(fmt).encode("utf-8")
    cut = data.index(b"une dizaine")  # inside T2
    path = write(tmp_path, fmt, data[:cut])
    reports, rejects = ingest(path)
    texts = [r.text for r in reports]
    if fmt in CONTAINERS:
        assert texts == [T1]  # the whole records before the cut still come out ...
        (reject,) = rejects  # ... and one reject names the cut one
        assert reject.source_format == fmt
        cut_line = data[:cut].count(b"\n") + 1
        assert reject.locator == {"feed": "entry 2", "jsonl": "line 2"}.get(fmt, f"line {cut_line}")
        assert reject.raw == (data[:cut].split(b"\n")[-1] if fmt == "jsonl" else data[:cut])
    else:
        # Nothing marks the end of a text or a page: what is there is the report.
        assert rejects == []
        (text,) = texts
        assert T1 in text and text.endswith("avoir « neutralisé »")
