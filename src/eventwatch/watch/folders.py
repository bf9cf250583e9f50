"""Folders watched by scanning: new and changed files of every format ``eventwatch ingest`` reads.

A scan lists the folder as ``ingest`` walks it (recursive, hidden entries and partial downloads skipped) and
compares each file's size and mtime with what was read last time (kept in the store). A changed file is read once
it has settled — unchanged since the previous scan, or not modified for ``settle`` seconds — so a file still being
written is not read half-way. A file only touched (same content hash) is not re-read.

JSON Lines files are followed like logs: only complete lines past the stored byte offset are read, after checking
that the bytes before the offset are unchanged (an append, not a rewrite). Other formats (a Telegram export's
``result.json`` rewritten with new messages, an X archive's ``tweets.js``, articles) are re-read whole; the
records already stored are recognised by their content hash and skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from eventwatch.ingest import DEFAULT_MAX_BYTES, IngestOptions, detect_format, iter_files, read_bytes
from eventwatch.ingest._common import bom_codec
from eventwatch.model import Reject, Report, sha256_hex, utcnow
from eventwatch.store import Store
from eventwatch.store.base import FileState
from eventwatch.watch import logs
from eventwatch.watch.config import FolderConfig
from eventwatch.watch.sources import Intake, load_state, newest, record_failure, record_success, store_new

# Written by browsers and copy tools while a download or copy is under way; the finished file gets its own name.
PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".swp", "~")
# Media a Telegram export or an X archive carries beside its text: never reporting, so not even a reject.
MEDIA_SUFFIXES = frozenset(
    {
        *(".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".svg", ".ico", ".tgs"),
        *(".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav"),
        *(".flac", ".pdf", ".zip", ".css"),
    }
)
TAIL_BYTES = 4096


@dataclass(frozen=True, slots=True)
class _Seen:
    size: int
    mtime_ns: int


def _tail_hash(fh: BinaryIO, offset: int) -> str:
    """Hash of the bytes just before ``offset``: unchanged means the file was appended to, not rewritten."""
    start = max(0, offset - TAIL_BYTES)
    fh.seek(start)
    return sha256_hex(fh.read(offset - start))


class FolderScanner:
    """One folder: each :meth:`scan` stores what is new and the files' new states."""

    def __init__(self, config: FolderConfig) -> None:
        self.config = config
        self.key = config.key
        self.root = config.path.resolve()
        self.options = IngestOptions(max_bytes=config.max_bytes or DEFAULT_MAX_BYTES, encoding=config.encoding)
        self.next_at = 0.0
        self._files: dict[str, FileState] | None = None  # loaded from the store on the first scan
        self._previous: dict[str, _Seen] = {}  # what the last scan saw of files not read yet
        self._missing_logged = False

    def scan(self, store: Store) -> Intake:
        cfg = self.config
        log = logs.get()
        state = load_state(store, self.key, "folder", str(self.root))
        state.last_attempt_at = utcnow()
        if self._files is None:
            self._files = store.file_states(self.key)
        total = Intake()
        if not self.root.is_dir():
            record_failure(state, f"not a folder: {self.root}", at=utcnow())
            if not self._missing_logged:
                log.warning("folder.missing", extra=logs.fields(source=cfg.label, path=str(self.root)))
                self._missing_logged = True
            self.next_at = time.monotonic() + cfg.interval
            store.save_source_state(state)
            return total
        self._missing_logged = False
        now_ns = time.time_ns()
        seen: set[str] = set()
        changed: list[FileState] = []
        appeared: list[datetime | None] = []
        waiting: dict[str, _Seen] = {}
        for path in iter_files(self.root):
            name = path.name.lower()
            if name.endswith(PARTIAL_SUFFIXES) or path.suffix.lower() in MEDIA_SUFFIXES:
                continue
            key = str(path)
            seen.add(key)
            try:
                st = path.stat()
            except OSError:
                continue  # removed between listing and stat
            now = _Seen(st.st_size, st.st_mtime_ns)
            old = self._files.get(key)
            if old is not None and old.size == now.size and old.mtime_ns == now.mtime_ns:
                continue
            settled = self._previous.get(key) == now or (now_ns - now.mtime_ns) / 1e9 >= cfg.settle
            lines = detect_format(path) == "jsonl"
            if not settled and not lines:  # JSON Lines: complete lines can be read at once
                waiting[key] = now
                continue
            try:
                intake, new_state = self._read(store, path, now, old, lines=lines, settled=settled)
            except OSError as exc:
                log.warning("folder.unreadable", extra=logs.fields(source=cfg.label, path=key, error=str(exc)))
                continue
            if new_state is None:  # a JSON Lines file with only a partial line so far
                waiting[key] = now
                continue
            if new_state.size != now.size:  # lines left for later (a partial one): settled if unchanged next scan
                waiting[key] = now
            total += intake
            changed.append(new_state)
            appeared.append(datetime.fromtimestamp(now.mtime_ns / 1e9, UTC) if intake.new else None)
            for reject in intake.rejects:
                log.warning("folder.reject", extra=logs.fields(source=cfg.label, reason=reject.message()))
            if intake.read or intake.rejects:
                log.info(
                    "folder.file",
                    extra=logs.fields(
                        source=cfg.label,
                        path=key,
                        read=intake.read,
                        new=len(intake.new),
                        rejected=len(intake.rejects) or None,
                    ),
                )
        self._previous = waiting
        removed = [p for p in self._files if p not in seen]
        if changed or removed:
            store.save_file_states(changed, removed)  # after the reports: a crash in between re-reads, never skips
            for s in changed:
                self._files[s.path] = s
            for p in removed:
                del self._files[p]
        recovered = state.consecutive_failures > 0
        record_success(state, total, appeared=newest(appeared), at=utcnow())
        self.next_at = time.monotonic() + cfg.interval
        quiet = state.updated_at is not None and (utcnow() - state.updated_at).total_seconds() < 10
        if changed or removed or recovered or not quiet:
            store.save_source_state(state)  # a quiet folder writes its heartbeat every 10 s, not every scan
        return total

    def _read(
        self, store: Store, path: Path, seen: _Seen, old: FileState | None, *, lines: bool, settled: bool
    ) -> tuple[Intake, FileState | None]:
        with path.open("rb") as fh:
            bom = bom_codec(fh.read(4))
            if lines and (bom is None or bom[0] == "utf-8"):  # UTF-16/32 lines cannot be split as bytes
                return self._read_lines(store, fh, path, seen, old, settled)
            fh.seek(0)
            if seen.size > self.options.max_bytes:
                reason = f"file too large ({seen.size} bytes > {self.options.max_bytes})"
                reject = Reject(str(path), None, reason, fh.read(65536), None)
                return store_new(store, [reject]), FileState(str(path), self.key, seen.size, seen.mtime_ns)
            data = fh.read(self.options.max_bytes + 1)
        sha = sha256_hex(data)
        state = FileState(str(path), self.key, seen.size, seen.mtime_ns, sha)
        if old is not None and old.sha256 == sha:
            return Intake(), state  # touched, not changed
        return store_new(store, read_bytes(data, path, self.options)), state

    def _read_lines(
        self, store: Store, fh: BinaryIO, path: Path, seen: _Seen, old: FileState | None, settled: bool
    ) -> tuple[Intake, FileState | None]:
        """Complete lines after the stored offset (from the start when the file is new or was rewritten), at most
        ``max_bytes`` of them per scan. Returns no state while only a partial line has been written."""
        offset, lines = 0, 0
        if old is not None and old.offset and seen.size >= old.offset and _tail_hash(fh, old.offset) == old.tail_sha256:
            offset, lines = old.offset, old.lines
        fh.seek(offset)
        data = fh.read(min(seen.size - offset, self.options.max_bytes))
        end = data.rfind(b"\n") + 1
        if end < len(data) and settled and offset + len(data) >= seen.size:
            end = len(data)  # the file stopped growing: its unterminated last line is complete
        if end == 0:
            return Intake(), None
        chunk = data[:end]
        items: list[Report | Reject] = []
        for item in read_bytes(chunk, path, self.options, fmt="jsonl"):
            locator = item.raw_locator if isinstance(item, Report) else item.locator
            if lines and locator and locator.startswith("line "):
                shifted = f"line {int(locator[5:]) + lines}"  # numbered from the file's first line, not the chunk's
                if isinstance(item, Report):
                    item.raw_locator = shifted
                else:
                    item.locator = shifted
            items.append(item)
        new_offset = offset + end
        state = FileState(
            path=str(path),
            source_key=self.key,
            # Short of the end (a partial line, or more than one scan's worth): a size that differs from the
            # file's makes the next scan come back for the rest.
            size=seen.size if new_offset >= seen.size else new_offset,
            mtime_ns=seen.mtime_ns,
            offset=new_offset,
            lines=lines + chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1),
            tail_sha256=_tail_hash(fh, new_offset),
        )
        return store_new(store, items), state
