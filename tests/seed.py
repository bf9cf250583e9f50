"""The canonical seed article for tests: ../shared/examples when checked out beside the repo, else the copy
bundled in samples/ (same text, with front matter), so the acceptance tests never silently skip."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEED = ROOT.parent / "shared/examples/seed-article.txt"
BUNDLED_SEED = ROOT / "samples/seed-article.md"


def bundled_seed_text() -> str:
    """The bundled copy's text, front matter removed."""
    raw = BUNDLED_SEED.read_text(encoding="utf-8")
    _, _, body = raw.partition("\n---\n")  # front matter is "---\n...\n---\n"
    return body


def seed_text() -> str:
    if SHARED_SEED.exists():
        return SHARED_SEED.read_text(encoding="utf-8")
    return bundled_seed_text()
