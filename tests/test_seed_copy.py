from __future__ import annotations

import pytest

from .seed import SHARED_SEED, bundled_seed_text


def test_bundled_seed_is_the_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared/examples is not checked out beside the repository")
    assert bundled_seed_text().strip() == SHARED_SEED.read_text(encoding="utf-8").strip()
