"""Folder watching: new and changed files of every format, Telegram exports and X archives dropped in, JSON Lines
followed by offset, files still being written left until they settle, and the state surviving a restart."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwatch.store import SQLiteStore
from eventwatch.watch.config import FolderConfig
from eventwatch.watch.folders import FolderScanner

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
LINE = {
    "text": "Government artillery shelled Saraqib, in Idlib province, on 3 March 2025, killing 4 civilians.",
    "source": "SOHR",
    "published": "2025-03-03T09:00:00Z",
}


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "ew.db") as s:
        yield s


def scanner(folder: Path, settle: float = 0.0) -> FolderScanner:
    return FolderScanner(FolderConfig(path=folder, interval=0.1, settle=settle))


def _line(n: int) -> bytes:
    return (json.dumps({**LINE, "text": LINE["text"].replace("4 civilians", f"{n} civilians")}) + "\n").encode()


def test_new_files_of_every_format_and_exports(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watch = scanner(inbox)
    assert watch.scan(store).read == 0
    shutil.copy(SAMPLES / "seed-article.md", inbox / "seed-article.md")
    shutil.copytree(SAMPLES / "telegram", inbox / "ChatExport_2025-10-22")
    shutil.copytree(SAMPLES / "x", inbox / "twitter-archive")
    (inbox / "ChatExport_2025-10-22" / "photo_1.jpg").write_bytes(b"\xff\xd8\xff\xe0 not text")  # export media
    intake = watch.scan(store)
    formats = {r.source_format for r in intake.new}
    assert formats == {"markdown", "telegram", "x"}
    assert intake.rejects == []  # media beside an export is not reporting, and account.js goes with tweets.js
    assert store.count_reports() == len(intake.new) > 3
    assert watch.scan(store).read == 0  # nothing changed: nothing read


def test_changed_export_gives_only_its_new_messages(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    export = json.loads((SAMPLES / "telegram" / "result.json").read_text(encoding="utf-8"))
    path = inbox / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    watch = scanner(inbox)
    before = len(watch.scan(store).new)
    message = dict(export["messages"][0])
    message.update(id=99999, text="عاجل: قصف مدفعي على بلدة سراقب في ريف إدلب الشرقي صباح اليوم ومقتل 3 مدنيين.")
    export["messages"].append(message)
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    intake = watch.scan(store)
    assert [r.text for r in intake.new] == [message["text"]]
    assert intake.read == before + 1


def test_touched_file_is_not_read_again(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "osdh-harem-fr.md", inbox / "a.md")
    watch = scanner(inbox)
    assert len(watch.scan(store).new) == 1
    earlier = (inbox / "a.md").stat().st_mtime_ns - 10_000_000_000
    os.utime(inbox / "a.md", ns=(earlier, earlier))
    assert watch.scan(store).read == 0  # same content hash: only the new mtime is kept
    assert store.file_states(watch.key)[str(inbox / "a.md")].mtime_ns == earlier


def test_jsonl_is_followed_by_offset_and_partial_lines_wait(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "wire.jsonl"
    path.write_bytes(_line(1) + _line(2))
    watch = scanner(inbox, settle=60)  # JSON Lines are read at once, complete lines only
    assert len(watch.scan(store).new) == 2
    with path.open("ab") as fh:
        third = _line(3)
        fh.write(third[:40])  # a writer caught mid-line
    assert watch.scan(store).read == 0
    with path.open("ab") as fh:
        fh.write(third[40:] + _line(4))
    intake = watch.scan(store)
    assert [r.raw_locator for r in intake.new] == ["line 3", "line 4"]  # numbered from the file's start
    state = store.file_states(watch.key)[str(path)]
    assert state.offset == path.stat().st_size and state.lines == 4


def test_unterminated_last_line_is_read_once_the_file_settles(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "wire.jsonl"
    path.write_bytes(_line(1) + _line(2).rstrip(b"\n"))
    watch = scanner(inbox, settle=60)
    assert len(watch.scan(store).new) == 1
    assert len(watch.scan(store).new) == 1  # unchanged since the last scan: settled, the last line is whole
    assert store.count_reports() == 2


def test_rewritten_jsonl_is_read_from_the_start_and_known_lines_skipped(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "wire.jsonl"
    path.write_bytes(_line(1) + _line(2) + _line(3))
    watch = scanner(inbox)
    assert len(watch.scan(store).new) == 3
    path.write_bytes(_line(9) + _line(2) + _line(3) + _line(4))  # edited at the top: not an append
    intake = watch.scan(store)
    assert intake.read == 4 and sorted(r.raw_locator or "" for r in intake.new) == ["line 1", "line 4"]


def test_file_being_written_waits_until_it_settles(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watch = scanner(inbox, settle=60)
    (inbox / "report.md").write_text("# Half a rep", encoding="utf-8")
    (inbox / "bulletin.md.part").write_text("a download in progress", encoding="utf-8")
    assert watch.scan(store).read == 0  # just written: maybe still being written
    (inbox / "report.md").write_text((SAMPLES / "osdh-harem-fr.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert watch.scan(store).read == 0  # changed again since the last scan
    intake = watch.scan(store)  # unchanged for a scan: read, whole
    assert len(intake.new) == 1 and "Harem" in intake.new[0].text
    assert store.count_reports() == 1  # the .part file is never read


def test_state_survives_a_restart(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "reports.jsonl", inbox / "reports.jsonl")
    shutil.copy(SAMPLES / "seed-article.md", inbox / "seed.md")
    first = scanner(inbox)
    n = len(first.scan(store).new)
    assert n > 2
    restarted = scanner(inbox)
    assert restarted.scan(store).read == 0  # offsets and hashes came back from the store
    with (inbox / "reports.jsonl").open("ab") as fh:
        fh.write(_line(7))
    assert len(restarted.scan(store).new) == 1
    (inbox / "seed.md").unlink()
    restarted.scan(store)
    assert str(inbox / "seed.md") not in store.file_states(restarted.key)
    state = store.get_source_state(restarted.key)
    assert state is not None and state.reports_new == n + 1 and state.lag_seconds is not None


def test_rejects_are_stored_and_counted(tmp_path: Path, store: SQLiteStore) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "wire.jsonl").write_bytes(_line(1) + b'{"text": 12}\n' + b"not json\n")
    intake = scanner(inbox).scan(store)
    assert len(intake.new) == 1 and len(intake.rejects) == 2
    assert {r.locator for r in store.iter_rejects()} == {"line 2", "line 3"}


def test_missing_folder_is_an_error_not_a_crash(tmp_path: Path, store: SQLiteStore) -> None:
    watch = scanner(tmp_path / "not-yet")
    assert watch.scan(store).read == 0
    state = store.get_source_state(watch.key)
    assert state is not None and state.last_error is not None and "not a folder" in state.last_error
    (tmp_path / "not-yet").mkdir()
    watch.scan(store)
    state = store.get_source_state(watch.key)
    assert state is not None and state.consecutive_failures == 0
