"""What every watched source shares: storing only what is new, and keeping its health in the store.

A source stores its new reports first and its cursor (feed ETag, file offset) after, each in its own transaction:
a crash between the two re-reads some records on restart, which are then recognised by their content hash and
skipped, so nothing is lost and nothing is stored twice.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from eventwatch.model import Reject, Report, utcnow
from eventwatch.store import Store
from eventwatch.store.base import SourceState


@dataclass(slots=True)
class Intake:
    """One poll or scan: records read, the reports that were new (now stored) and the rejects."""

    read: int = 0
    new: list[Report] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    def __iadd__(self, other: Intake) -> Intake:
        self.read += other.read
        self.new += other.new
        self.rejects += other.rejects
        return self


def store_new(store: Store, items: Iterable[Report | Reject]) -> Intake:
    """Store the reports not stored yet (with their raw bytes) and every reject; the already-seen are skipped
    before writing, so a feed re-polled all day does not keep its bytes once per poll."""
    intake = Intake()
    reports: dict[str, Report] = {}
    for item in items:
        if isinstance(item, Reject):
            intake.rejects.append(item)
        else:
            intake.read += 1
            reports.setdefault(item.id, item)
    known = store.known_report_ids(list(reports))
    intake.new = [r for rid, r in reports.items() if rid not in known]
    if intake.new:
        store.add_reports(intake.new)
    if intake.rejects:
        store.add_rejects(intake.rejects)
    return intake


def load_state(store: Store, key: str, kind: str, target: str) -> SourceState:
    return store.get_source_state(key) or SourceState(key=key, kind=kind, target=target)


def record_success(state: SourceState, intake: Intake, *, appeared: datetime | None, at: datetime) -> None:
    """Count the intake into ``state``; ``appeared`` is when the newest new item appeared (its lag's start)."""
    state.last_success_at = at
    state.consecutive_failures = 0
    state.items_seen += intake.read
    state.reports_new += len(intake.new)
    state.rejects += len(intake.rejects)
    if intake.new and appeared is not None:
        state.last_item_at = appeared
        state.lag_seconds = max(0.0, (at - appeared).total_seconds())


def record_failure(state: SourceState, error: str, *, at: datetime) -> None:
    state.last_error = error
    state.last_error_at = at
    state.consecutive_failures += 1


def backoff_seconds(
    interval: float, failures: int, maximum: float, rng: random.Random, retry_after: float | None = None
) -> float:
    """Exponential backoff with jitter: the n-th failure in a row waits interval·2ⁿ⁻¹ (at most ``maximum``), drawn
    from its upper half so that sources failing together do not retry together; a server's Retry-After is
    honoured up to ``maximum``."""
    delay = min(maximum, interval * 2.0 ** max(0, failures - 1))
    delay = delay / 2 + rng.random() * delay / 2
    if retry_after is not None:
        delay = max(delay, min(maximum, retry_after))
    return delay


def newest(times: Iterable[datetime | None]) -> datetime | None:
    """The latest of these times that is not in the future (a feed's clock may be ahead of ours)."""
    now = utcnow() + timedelta(seconds=5)
    found = [t for t in times if t is not None and t <= now]
    return max(found) if found else None
