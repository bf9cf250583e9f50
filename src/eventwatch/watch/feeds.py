"""RSS/Atom feeds followed over HTTP: conditional GET, a per-feed interval, backoff on errors, never a crash.

Each poll sends the ETag and Last-Modified of the last good response (304 Not Modified costs nothing), skips a
body identical to the last one, and reads the entries with the same feed reader as ``eventwatch ingest``. A
failed poll (timeout, refused connection, HTTP error, a body over ``max_bytes``, malformed XML, not a feed at all)
is logged with its reason, kept as the feed's ``last_error`` for ``--status``, and retried after a jittered
exponential backoff. Entries a feed still lists are recognised by their content hash and skipped.
"""

from __future__ import annotations

import dataclasses
import random
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from eventwatch.ingest import IngestOptions, detect_format, feed, read_bytes
from eventwatch.model import Reject, Report, sha256_hex, utcnow
from eventwatch.store import Store
from eventwatch.watch import logs
from eventwatch.watch.config import FeedConfig
from eventwatch.watch.http import Http
from eventwatch.watch.sources import (
    Intake,
    backoff_seconds,
    load_state,
    newest,
    record_failure,
    record_success,
    store_new,
)


def _name_of(url: str) -> Path:
    """A file-like name for the URL, so format detection can use its extension as it would a file's."""
    path = Path(urlsplit(url).path or "/")
    return path if path.suffix else path / "feed"


class FeedPoller:
    """One feed: polls when due (``next_at``, monotonic seconds) and keeps its cursor and health in the store."""

    def __init__(self, config: FeedConfig, http: Http, rng: random.Random | None = None) -> None:
        self.config = config
        self.http = http
        self.rng = rng or random.Random()
        self.next_at = 0.0  # due now; restored from the store on the first poll
        self.running = False
        self._restored = False

    def restore(self, store: Store) -> None:
        """After a restart, keep to the schedule the last run set (a feed in backoff stays in backoff)."""
        self._restored = True
        state = store.get_source_state(self.config.key)
        if state is None or state.next_poll_at is None:
            return
        wait = (state.next_poll_at - utcnow()).total_seconds()
        cap = self.config.max_backoff if state.consecutive_failures else self.config.interval
        self.next_at = time.monotonic() + min(max(0.0, wait), cap)

    def poll(self, store: Store) -> Intake:
        """Fetch, read and store the new entries; returns what was new. Never raises for a bad feed."""
        cfg = self.config
        log = logs.get()
        state = load_state(store, cfg.key, "feed", cfg.url)
        started = utcnow()
        state.last_attempt_at = started
        result = self.http.get(
            cfg.url,
            etag=state.cursor.get("etag"),
            last_modified=state.cursor.get("last_modified"),
            timeout=cfg.timeout,
            max_bytes=cfg.max_bytes,
            headers=cfg.headers,
        )
        intake = Intake()
        error = result.error
        body_sha = sha256_hex(result.body) if result.body else None
        if error is None and not result.not_modified and body_sha != state.cursor.get("sha256"):
            intake, error = self._read(store, result.body, result.url)
        done = utcnow()
        if error is None:
            record_success(state, intake, appeared=newest(r.published_at for r in intake.new), at=done)
            cursor = {"etag": result.etag, "last_modified": result.last_modified, "sha256": body_sha}
            if result.not_modified:  # a 304 may omit the validators: keep the ones that earned it
                cursor = {**state.cursor, **{k: v for k, v in cursor.items() if v}}
            if result.redirected:
                cursor["redirected_to"] = result.url
            state.cursor = {k: v for k, v in cursor.items() if v}
            delay = cfg.interval
        else:
            record_failure(state, error, at=done)
            failures = state.consecutive_failures
            delay = backoff_seconds(cfg.interval, failures, cfg.max_backoff, self.rng, result.retry_after)
        self.next_at = time.monotonic() + delay
        state.next_poll_at = done + timedelta(seconds=delay)
        store.save_source_state(state)
        took = round((done - started).total_seconds(), 3)
        if error is None:
            log.info(
                "feed.poll",
                extra=logs.fields(
                    source=cfg.label,
                    status=result.status,
                    read=intake.read,
                    new=len(intake.new),
                    rejected=len(intake.rejects) or None,
                    lag_s=round(state.lag_seconds, 2) if intake.new and state.lag_seconds is not None else None,
                    seconds=took,
                    redirected_to=result.url if result.redirected else None,
                ),
            )
        else:
            log.warning(
                "feed.error",
                extra=logs.fields(
                    source=cfg.label,
                    status=result.status or None,
                    error=error,
                    failures=state.consecutive_failures,
                    retry_in_s=round(delay, 1),
                    seconds=took,
                ),
            )
        for reject in intake.rejects:
            log.warning("feed.reject", extra=logs.fields(source=cfg.label, record=reject.locator, reason=reject.reason))
        return intake

    def _read(self, store: Store, body: bytes, url: str) -> tuple[Intake, str | None]:
        cfg = self.config
        name = _name_of(url)
        fmt = detect_format(name, body[:8192])
        if fmt != "feed":
            what = f"looks like {fmt}" if fmt else "not text"
            store.add_rejects([Reject(cfg.url, None, f"not an RSS/Atom feed ({what})", body[:65536], fmt)])
            return Intake(), f"not an RSS/Atom feed ({what})"
        items = list(read_bytes(body, name, IngestOptions(max_bytes=cfg.max_bytes), origin=cfg.url, fmt="feed"))
        if len(items) == 1 and isinstance(items[0], Reject) and items[0].reason == feed.NO_ENTRIES:
            return Intake(), None  # a feed with nothing in it yet is fine, not an error to back off from
        intake = store_new(store, [self._override(i) for i in items])
        if intake.read == 0 and intake.rejects:  # nothing readable: the feed itself is broken
            first = intake.rejects[0]
            intake.rejects = []
            return intake, f"{first.reason} ({first.locator})" if first.locator else first.reason
        return intake, None

    def _override(self, item: Report | Reject) -> Report | Reject:
        cfg = self.config
        if isinstance(item, Reject) or not (cfg.source or (cfg.language and not item.language)):
            return item
        # The id is a hash over source too: recompute it for the configured outlet name.
        return dataclasses.replace(
            item, source=cfg.source or item.source, language=item.language or cfg.language, id=""
        )
