from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventwatch import cli


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Tables render at a fixed, wide width so assertions do not depend on the test terminal."""
    old = cli.console.width
    cli.console.width = 200
    yield
    cli.console.width = old
