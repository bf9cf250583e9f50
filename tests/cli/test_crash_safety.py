"""An ingest killed with SIGKILL mid-batch loses nothing already stored, and a re-run stores each report once
(on both backends)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventwatch.store import is_postgres
from eventwatch.store.connection import connect, has_table

N = 40_000


def _count(db: str) -> int:
    if not is_postgres(db) and not Path(db).exists():
        return 0  # not created yet
    try:
        con = connect(db)
        try:
            if not has_table(con, "reports"):
                return 0
            return int(con.execute("SELECT count(*) FROM reports").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # not created yet


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_sigkill_mid_batch_then_rerun_stores_every_report_exactly_once(tmp_path: Path, store_location: str) -> None:
    feed = tmp_path / "wire.jsonl"
    with feed.open("w", encoding="utf-8") as f:
        for i in range(N):
            text = f"Shelling hit the outskirts of Kharkiv overnight, officials said; bulletin {i} of the day."
            f.write(json.dumps({"text": text, "source": "Wire", "published": "2025-10-22T06:00:00Z"}) + "\n")
    db = store_location
    cmd = [sys.executable, "-m", "eventwatch.cli", "ingest", str(feed), "--db", db, "--no-process"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(db) == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed; raise N"
    partial = _count(db)
    assert 0 < partial < N  # killed mid-way: some batches committed, the open one lost

    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert _count(db) == N
    assert f"{N - partial:,} new, {partial:,} already stored" in " ".join(done.stdout.split())
    con = connect(db)
    assert con.execute("SELECT count(DISTINCT text) FROM reports").fetchone()[0] == N
    if not is_postgres(db):
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
