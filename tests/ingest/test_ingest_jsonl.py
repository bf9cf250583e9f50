"""JSON Lines: one report per line, one reject per bad line, the good lines still out."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from eventwatch.model import sha256_hex

from .conftest import Ingest

GOOD = {"text": "Russian drones struck Kharkiv overnight, injuring three.", "source": "Kyiv Independent"}


def test_fixture_fields_and_synonyms(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "wire.jsonl"
    reports, rejects = ingest(path)
    assert rejects == []
    assert [r.raw_locator for r in reports] == ["line 1", "line 2", "line 4", "line 5"]  # line 3 is blank
    kyiv, afp, sudan, dabanga = reports
    assert kyiv.source == "Kyiv Independent"
    assert kyiv.published_at == datetime(2025, 10, 22, 1, 10, tzinfo=UTC)
    assert kyiv.language == "en"
    assert kyiv.title == "Drones hit Kharkiv energy facility"
    assert kyiv.url == "https://kyivindependent.com/russian-drones-strike-kharkiv-energy-facility/"
    assert kyiv.id != "kyi-20251022-01"  # the JSON id is not the report id: that is the content hash
    assert (afp.source, afp.author, afp.language) == ("AFP", "AFP Ouagadougou", "fr")  # outlet, lang fr-FR
    assert afp.published_at == datetime(2025, 10, 21, 14, 5, tzinfo=UTC)  # RFC 2822
    assert sudan.published_at == datetime(2025, 10, 22, 13, 30, tzinfo=UTC)  # `date` as Unix seconds
    assert sudan.language == "ar" and sudan.text.startswith("قتل خمسة أشخاص")
    assert dabanga.published_at is None  # "sometime last week": kept, date unknown
    lines = path.read_bytes().split(b"\n")
    assert kyiv.raw == lines[0]
    assert kyiv.raw_sha256 == sha256_hex(lines[0])
    assert sudan.raw == lines[3]
    assert all(r.source_format == "jsonl" and r.origin == str(path) for r in reports)


def test_bad_lines_are_rejected_one_by_one(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(GOOD),
        json.dumps({"source": "AFP"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": 42}),
        '["not", "an", "object"]',
        json.dumps({**GOOD, "text": "Sahel: convoy ambushed near Ménaka."}, ensure_ascii=False),
        '{"text": "Attack in Sennar", "source" "SUNA"}',
        "null",
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    reports, rejects = ingest(path)
    assert [r.raw_locator for r in reports] == ["line 1", "line 6"]
    assert reports[1].text == "Sahel: convoy ambushed near Ménaka."
    assert reports[1].raw == lines[5].encode()  # no trailing \r
    assert [r.message() for r in rejects] == [
        f'{path}:line 2: missing "text" field',
        f'{path}:line 3: empty "text"',
        f'{path}:line 4: "text" is not a string',
        f"{path}:line 5: expected a JSON object, got an array",
        f"{path}:line 7: invalid JSON (Expecting ':' delimiter at column 39)",
        f"{path}:line 8: expected a JSON object, got null",
    ]
    assert rejects[4].raw == lines[6].encode()
    assert all(r.source_format == "jsonl" for r in rejects)


def test_truncated_last_line(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "cut.ndjson"
    second = json.dumps({"text": "Des hommes armés ont tué 15 civils à Djibo.", "source": "AFP"}, ensure_ascii=False)
    path.write_text(json.dumps(GOOD) + "\n" + second[:31], encoding="utf-8")
    (report,), (reject,) = ingest(path)
    assert report.raw_locator == "line 1"
    assert reject.locator == "line 2"
    assert reject.reason.startswith("invalid JSON (Unterminated string starting at column 10")
    assert reject.reason.endswith("; the file ends mid-line, it may be truncated")


def test_latin1_line_is_accepted_alone(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "mixed.jsonl"
    latin = json.dumps({"text": "Frappe aérienne près de Gao", "source": "Studio Tamani"}, ensure_ascii=False)
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + latin.encode("latin-1") + b"\n")
    first, second = ingest(path)[0]
    assert first.text == GOOD["text"]
    assert second.text == "Frappe aérienne près de Gao"
    assert second.raw == latin.encode("latin-1")


def test_utf16_with_bom(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "utf16.jsonl"
    record = json.dumps({"text": "قصف على الأبيض", "language": "ar"}, ensure_ascii=False)
    path.write_bytes((json.dumps(GOOD) + "\n" + record + "\n").encode("utf-16"))
    reports, rejects = ingest(path)
    assert rejects == []
    assert [r.text for r in reports] == [GOOD["text"], "قصف على الأبيض"]
    assert reports[1].raw == record.encode("utf-16-le")  # the line's own bytes in the file


def test_utf8_bom_is_not_part_of_line_one(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\n")
    (report,), _ = ingest(path)
    assert report.raw == json.dumps(GOOD).encode()
