"""read_path over files and directories, and detect_format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import eventwatch.ingest as ingest_module
from eventwatch.ingest import detect_format, read_path
from eventwatch.ingest._common import FileInput
from eventwatch.model import Reject, Report

from .conftest import Ingest


def test_directory_walk_sorted_recursive_skips_hidden(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    root = tmp_path / "inbox"
    (root / "b_sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / ".notes.txt").write_text("private\n")
    (root / "b_sub" / "deeper" / "z.txt").write_text("Kherson: shelling damaged a hospital.\n")
    (root / "a.txt").write_text("Sumy: drone attack on a bus, 2 killed.\n")
    (root / "c.jsonl").write_text(json.dumps({"text": "Zaporizhzhia: strike on an energy site."}) + "\n")
    (root / "events.csv").write_text("date,place\n2025-10-21,Kharkiv\n")
    (root / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x00stream\x00")
    reports, rejects = ingest(root)
    assert [(r.origin, r.text) for r in reports] == [
        (str(root / "a.txt"), "Sumy: drone attack on a bus, 2 killed."),
        (str(root / "b_sub" / "deeper" / "z.txt"), "Kherson: shelling damaged a hospital."),
        (str(root / "c.jsonl"), "Zaporizhzhia: strike on an energy site."),
    ]
    assert [r.message() for r in rejects] == [
        f"{root / 'events.csv'}: unsupported format (.csv)",
        f"{root / 'scan.pdf'}: binary data, not a supported format",
    ]
    assert rejects[0].source_format is None


def test_whole_fixture_folder(fixtures: Path, ingest: Ingest) -> None:
    reports, rejects = ingest(fixtures)
    assert rejects == []
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.source_format] = counts.get(report.source_format, 0) + 1
    assert counts == {"text": 2, "markdown": 1, "html": 1, "feed": 5, "telegram": 4, "jsonl": 4, "x": 3}
    assert len({r.id for r in reports}) == len(reports)
    assert all(r.published_at is None or r.published_at.utcoffset() is not None for r in reports)


def test_missing_path_is_a_reject(tmp_path: Path) -> None:
    (reject,) = list(read_path(tmp_path / "nowhere.jsonl"))
    assert isinstance(reject, Reject)
    assert reject.message() == f"{tmp_path / 'nowhere.jsonl'}: cannot read file (No such file or directory)"


def test_reader_crash_becomes_a_reject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(inp: FileInput) -> Iterator[Report | Reject]:
        yield Report(text="first", origin=inp.origin)
        raise KeyError("boom")

    monkeypatch.setitem(ingest_module._READERS, "jsonl", broken)
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "x"}\n')
    first, second = list(read_path(path))
    assert isinstance(first, Report)
    assert isinstance(second, Reject)
    assert second.message() == f"{path}: unexpected error reading jsonl (KeyError: 'boom')"


def test_unsupported_kinds_say_what_they_are(tmp_path: Path, ingest: Ingest) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')
    script = tmp_path / "app.js"
    script.write_text("console.log('hi');\n")
    _, rejects = ingest(tmp_path)
    assert [r.reason for r in rejects] == [
        "unsupported format (.js)",
        "unsupported format (XML document with root <urlset>, not a feed)",
    ]


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"Kharkiv", "text"),
        ("a.TXT", b"Kharkiv", "text"),
        ("a.md", b"# Kharkiv", "markdown"),
        ("a.markdown", b"# Kharkiv", "markdown"),
        ("a.jsonl", b'{"text": "x"}\n', "jsonl"),
        ("a.ndjson", b'{"text": "x"}\n', "jsonl"),
        ("a.json", b'{"text": "x", "source": "AFP"}\n{"text": "y"}\n', "jsonl"),
        ("a.html", b"<p>x</p>", "html"),
        ("a.htm", b"<p>x</p>", "html"),
        ("page", b"<!DOCTYPE html>\n<html><body>x</body></html>", "html"),
        ("a.rss", b"<rss/>", "feed"),
        ("a.atom", b"<feed/>", "feed"),
        ("a.xml", b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0">', "feed"),
        ("a.xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("a.xml", "<?xml version='1.0'?><feed>".encode("utf-16"), "feed"),
        ("a.xml", b"<?xml version='1.0'?><urlset>", None),
        (
            "result.json",
            b'{\n "name": "Sahel Watch",\n "type": "public_channel",\n "id": 1,\n "messages": [',
            "telegram",
        ),
        ("export.json", b'{"name":"S","type":"public_channel","id":1,"messages":[{"id":1,"text":"x"}]}', "telegram"),
        ("a.json", b'[{"text": "x"}]', None),
        ("tweets.js", b"window.YTD.tweets.part0 = [", "x"),
        ("tweets-part1.js", b"window.YTD.tweets.part1 = [", "x"),
        ("tweet.js", b"window.YTD.tweet.part0 = [", "x"),
        ("tweets.js", b"\xef\xbb\xbfwindow.YTD.tweets.part0 = [", "x"),
        ("like.js", b"window.YTD.like.part0 = [", None),
        ("README", b"Notes on the Sudan dataset.\n", "text"),
        ("data.csv", b"a,b\n1,2\n", None),
        ("a.txt", b"\x00\x01\x02binary", None),
        ("result.json", b"", "telegram"),
        ("tweets.js", b"", "x"),
        ("a.md", b"", "markdown"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str | None, tmp_path: Path) -> None:
    assert detect_format(Path(name), head) == expected
    path = tmp_path / name
    path.write_bytes(head)
    assert detect_format(path) == expected  # reads the head itself


def test_never_touches_the_network(fixtures: Path, monkeypatch: pytest.MonkeyPatch, ingest: Ingest) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during ingest")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    reports, rejects = ingest(fixtures)
    assert rejects == [] and len(reports) == 20


def test_reject_message_uses_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    good = json.dumps({"text": "Khartoum: artillery fire on Omdurman market."})
    lines = [good] * 6 + ['{"text": "Al-Fashir: drone strike", "source" "SUNA", "x": 1}']
    Path("feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(Path("feed.jsonl")))
    assert sum(isinstance(i, Report) for i in items) == 6
    last = items[-1]
    assert isinstance(last, Reject)
    assert last.message() == "feed.jsonl:line 7: invalid JSON (Expecting ':' delimiter at column 46)"
