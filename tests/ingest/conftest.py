"""Shared helpers for the ingest tests: the fixture folder and a reader that splits reports from rejects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from eventwatch.ingest import IngestOptions, read_path
from eventwatch.model import Reject, Report

FIXTURES = Path(__file__).parent / "fixtures"

Ingest = Callable[..., tuple[list[Report], list[Reject]]]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def ingest() -> Ingest:
    def run(path: Path, options: IngestOptions | None = None) -> tuple[list[Report], list[Reject]]:
        reports: list[Report] = []
        rejects: list[Reject] = []
        for item in read_path(path, options):
            if isinstance(item, Report):
                reports.append(item)
            else:
                rejects.append(item)
        return reports, rejects

    return run
