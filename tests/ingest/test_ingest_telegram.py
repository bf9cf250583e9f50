"""Telegram Desktop exports: one report per text message, service and media-only messages skipped."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from eventwatch.model import sha256_hex

from .conftest import Ingest


def test_messages(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "telegram" / "result.json"
    reports, rejects = ingest(path)
    assert rejects == []
    # 452 is a service message, 455 a photo without caption, 458 only whitespace: skipped, not rejected
    assert [r.raw_locator for r in reports] == ["message 453", "message 454", "message 456", "message 457"]
    djibo, kayes, niger_ar, curfew = reports
    assert djibo.text.startswith("🇧🇫 Burkina Faso : au moins 20 soldats tués")
    assert djibo.published_at == datetime(2025, 10, 20, 11, 32, 5, tzinfo=UTC)  # date_unixtime
    assert djibo.author is None  # `from` is the channel itself
    # entity list concatenated; the trailing space after "Kayes." survives inside the text
    assert kayes.text == "URGENT — Mali : le JNIM revendique l'attaque du convoi de Kayes. #Mali Source : communiqué"
    assert niger_ar.author == "Moussa K."
    assert niger_ar.text == "النيجر: مقتل 7 مدنيين في هجوم لمسلحين على قرية قرب تيلابيري"
    assert curfew.published_at == datetime(2025, 10, 21, 9, 0, tzinfo=UTC)  # no date_unixtime: `date`
    data = path.read_bytes()
    for report in reports:
        assert report.source == "Sahel Watch"
        assert report.url is None  # no username in a Desktop export
        assert report.language is None and report.title is None
        assert report.source_format == "telegram"
        assert report.raw == data and report.raw_sha256 == sha256_hex(data)


def test_username_gives_source_handle_and_links(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    export = json.loads((fixtures / "telegram" / "result.json").read_text(encoding="utf-8"))
    export["username"] = "@sahelwatch"
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    reports, _ = ingest(path)
    assert reports[0].source == "Sahel Watch (@sahelwatch)"
    assert reports[0].url == "https://t.me/sahelwatch/453"


def test_truncated_export_keeps_messages_before_the_cut(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    data = (fixtures / "telegram" / "result.json").read_bytes()
    path = tmp_path / "result.json"
    cut = data.index("النيجر".encode())
    path.write_bytes(data[:cut])
    reports, rejects = ingest(path)
    assert [r.raw_locator for r in reports] == ["message 453", "message 454"]
    (reject,) = rejects
    line = data[:cut].count(b"\n") + 1
    assert reject.locator == f"line {line}"
    assert reject.message() == (
        f"{path}:line {line}: invalid JSON (Unterminated string starting at line {line} column 12), "
        "after message 455; file truncated?"  # the last message decoded whole (a photo, skipped)
    )


def test_cut_before_messages_and_invalid_header(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "result.json"
    path.write_text('{\n "name": "Sudan War Monitor",\n "type": "public_chann', encoding="utf-8")
    reports, (reject,) = ingest(path)
    assert reports == []
    assert reject.locator == "line 3"
    assert reject.reason.startswith("invalid JSON (Unterminated string")


def test_bad_message_entries(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "result.json"
    export = {
        "name": "Sudan War Monitor",
        "type": "public_channel",
        "id": 1,
        "messages": [
            "not a message",
            {"id": 7, "type": "message", "date_unixtime": "1761030930", "text": {"odd": True}},
            {"id": 8, "type": "message", "date_unixtime": "1761030930", "text": "El Fasher: heavy shelling."},
        ],
    }
    path.write_text(json.dumps(export), encoding="utf-8")
    reports, rejects = ingest(path)
    assert [r.raw_locator for r in reports] == ["message 8"]
    assert [r.message() for r in rejects] == [
        f"{path}:message #1: message is not a JSON object",
        f'{path}:message 7: "text" is neither a string nor a list',
    ]


def test_json_without_messages_is_unsupported(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"name": "x", "items": []}', encoding="utf-8")
    (reject,) = ingest(path)[1]
    assert reject.reason.startswith("unsupported format (JSON that is neither a Telegram export")


def test_directory_with_media(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    export = tmp_path / "ChatExport_2025-10-22"
    (export / "photos").mkdir(parents=True)
    shutil.copy(fixtures / "telegram" / "result.json", export / "result.json")
    (export / "photos" / "photo_12@20-10-2025_16-40-00.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    reports, rejects = ingest(export)
    assert len(reports) == 4
    assert [r.message() for r in rejects] == [
        f"{export}/photos/photo_12@20-10-2025_16-40-00.jpg: binary data, not a supported format"
    ]
