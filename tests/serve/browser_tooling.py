"""Where the browser tooling is: Debian's chromium and node with playwright-core (``npm ci`` at the repo root)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def missing_browser_tooling() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM} (install it: apt-get install -y chromium)"
    if shutil.which("node") is None:
        return "node not found (install nodejs)"
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        return "playwright-core not installed (run `npm ci` at the repository root)"
    return None
