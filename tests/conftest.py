"""Session-wide test setup: the gazetteer index is built once per test session into a temporary cache, never
into the user's real ``~/.cache/eventwatch``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    old = os.environ.get("EVENTWATCH_CACHE")
    os.environ["EVENTWATCH_CACHE"] = str(tmp_path_factory.mktemp("eventwatch-cache"))
    yield
    if old is None:
        os.environ.pop("EVENTWATCH_CACHE", None)
    else:
        os.environ["EVENTWATCH_CACHE"] = old
