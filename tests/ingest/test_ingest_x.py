"""X/Twitter archive tweets.js, with the account from a sibling account.js when there is one."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from eventwatch.model import sha256_hex

from .conftest import Ingest


def test_tweets_with_account(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "x_archive" / "data" / "tweets.js"
    reports, rejects = ingest(path)
    assert rejects == []
    qatana, daraa, link_only = reports
    assert qatana.raw_locator == "tweet 1980791246587134001"
    assert qatana.text.startswith("#Syria: Israeli strikes hit positions near Qatana")
    assert "2 killed & 4 wounded" in qatana.text  # &amp; unescaped
    assert qatana.published_at == datetime(2025, 10, 22, 1, 14, 3, tzinfo=UTC)
    assert qatana.language == "en"
    assert qatana.source == "Syria Desk (@SyriaDeskWatch)"
    assert qatana.url == "https://x.com/SyriaDeskWatch/status/1980791246587134001"
    assert daraa.language == "ar"
    assert link_only.language is None  # lang "zxx"
    data = path.read_bytes()
    assert all(r.raw == data and r.raw_sha256 == sha256_hex(data) for r in reports)
    assert all(r.source_format == "x" for r in reports)


def test_without_account_source_and_url_unknown(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "tweets.js"
    shutil.copy(fixtures / "x_archive" / "data" / "tweets.js", path)
    reports, rejects = ingest(path)
    assert rejects == []
    assert len(reports) == 3
    assert all(r.source is None and r.url is None for r in reports)


def test_broken_account_is_rejected_tweets_still_read(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    shutil.copy(fixtures / "x_archive" / "data" / "tweets.js", tmp_path / "tweets.js")
    (tmp_path / "account.js").write_text('window.YTD.account.part0 = [ {"account": {"username": "Syr')
    reports, (reject,) = ingest(tmp_path / "tweets.js")
    assert len(reports) == 3 and reports[0].source is None
    assert reject.origin == str(tmp_path / "account.js")
    assert reject.reason.startswith("invalid JSON (Unterminated string")


def test_truncated_archive(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    data = (fixtures / "x_archive" / "data" / "tweets.js").read_bytes()
    path = tmp_path / "tweets.js"
    cut = data.index(b'"1980811246587134003"')
    path.write_bytes(data[:cut])
    reports, (reject,) = ingest(path)
    assert [r.raw_locator for r in reports] == ["tweet 1980791246587134001", "tweet 1980801246587134002"]
    line = data[:cut].count(b"\n") + 1
    assert reject.locator == f"line {line}"
    assert reject.reason.endswith("after tweet 1980801246587134002; file truncated?")


def test_tweet_without_text_and_bare_objects(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "tweet.js"  # older archives: tweet.js / window.YTD.tweet
    path.write_text(
        "window.YTD.tweet.part0 = [\n"
        ' {"tweet": {"id_str": "1", "created_at": "Mon Oct 20 10:00:00 +0000 2025"}},\n'
        ' {"id_str": "2", "full_text": "Gaza: strike on Khan Younis &gt; 5 killed", "lang": "en"},\n'
        " 42\n];",
        encoding="utf-8",
    )
    reports, rejects = ingest(path)
    assert [r.text for r in reports] == ["Gaza: strike on Khan Younis > 5 killed"]
    assert [r.message() for r in rejects] == [
        f'{path}:tweet 1: tweet has no "full_text"',
        f"{path}:tweet #3: tweet is not a JSON object",
    ]


def test_other_archive_files_are_unsupported(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "like.js"
    path.write_text('window.YTD.like.part0 = [{"like": {"tweetId": "1"}}]')
    (reject,) = ingest(path)[1]
    assert reject.reason == "unsupported format (X archive data 'window.YTD.like', not posts)"


def test_archive_directory_reads_account_once(fixtures: Path, ingest: Ingest) -> None:
    reports, rejects = ingest(fixtures / "x_archive")
    assert rejects == []  # account.js is not rejected as a file of its own
    assert len(reports) == 3
