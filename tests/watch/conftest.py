"""The watcher subprocesses use the session's gazetteer cache (EVENTWATCH_CACHE): build it once here, before any
of them starts, so none spends its start-up building it."""

from __future__ import annotations

import pytest

from eventwatch.resolve import geoindex


@pytest.fixture(scope="session", autouse=True)
def _gazetteer_built(_isolated_cache: None) -> None:
    geoindex.ensure_built()
