"""What ``eventwatch watch --status`` and ``GET /api/watch/status`` show, read from the store alone: whether a
watcher is running, each source's last success and error, items seen and lag, the pipeline's backlog and the alert
outbox. Works while the watcher runs (another process) and after it stopped."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from typing import Any

from eventwatch.model import utcnow
from eventwatch.store import Store

WATCHER_KEY = "watcher"
HEARTBEAT_SECONDS = 5.0


def _age(value: datetime | None, now: datetime) -> float | None:
    return round((now - value).total_seconds(), 1) if value is not None else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_watcher(store: Store) -> dict[str, Any] | None:
    """The watcher record of a watcher alive on this database now (fresh heartbeat, process alive), else None."""
    raw = store.get_meta(WATCHER_KEY)
    if not raw:
        return None
    watcher: dict[str, Any] = json.loads(raw)
    beat = datetime.fromisoformat(watcher["heartbeat_at"])
    fresh = (utcnow() - beat).total_seconds() < 3 * HEARTBEAT_SECONDS
    same_host = watcher.get("host") == socket.gethostname()
    alive = fresh and not watcher.get("stopped_at") and (not same_host or _alive(int(watcher["pid"])))
    return watcher if alive else None


def collect(store: Store) -> dict[str, Any]:
    """The status as plain JSON-ready data."""
    now = utcnow()
    raw = store.get_meta(WATCHER_KEY)
    watcher: dict[str, Any] = json.loads(raw) if raw else {}
    if watcher:
        watcher["running"] = running_watcher(store) is not None
        watcher["heartbeat_age_s"] = _age(datetime.fromisoformat(watcher["heartbeat_at"]), now)
    sources = []
    for s in store.iter_source_states():
        sources.append(
            {
                "key": s.key,
                "kind": s.kind,
                "target": s.target,
                "ok": s.consecutive_failures == 0 and s.last_success_at is not None,
                "last_success_at": s.last_success_at.isoformat() if s.last_success_at else None,
                "since_success_s": _age(s.last_success_at, now),
                "last_error_at": s.last_error_at.isoformat() if s.last_error_at else None,
                "last_error": s.last_error,
                "consecutive_failures": s.consecutive_failures,
                "items_seen": s.items_seen,
                "reports_new": s.reports_new,
                "rejects": s.rejects,
                "last_item_at": s.last_item_at.isoformat() if s.last_item_at else None,
                "lag_s": round(s.lag_seconds, 2) if s.lag_seconds is not None else None,
                "next_poll_at": s.next_poll_at.isoformat() if s.next_poll_at else None,
            }
        )
    outbox = [
        {
            "destination": o.destination,
            "pending": o.pending,
            "delivered": o.delivered,
            "oldest_pending_at": o.oldest_pending_at,
            "last_error": o.last_error,
        }
        for o in store.outbox_summary()
    ]
    return {
        "watcher": watcher or None,
        "sources": sources,
        "backlog": store.pending_work(),
        "outbox": outbox,
        "reports": store.count_reports(),
        "incidents": store.count_incidents(),
        "at": now.isoformat(),
    }
