"""Fixtures for fusion tests; the scenario builders live in fuse_scenarios.py (shared with tests/store)."""

from __future__ import annotations

import pytest

from eventwatch.fuse.text import CachedEmbedder, TrigramEmbedder, default_embedder


@pytest.fixture(params=["default", "trigram"])
def embedder(request: pytest.FixtureRequest) -> CachedEmbedder:
    """Every scenario must hold with the multilingual encoder and with the cheap fallback."""
    if request.param == "trigram":
        return CachedEmbedder(TrigramEmbedder())
    return CachedEmbedder(default_embedder())
