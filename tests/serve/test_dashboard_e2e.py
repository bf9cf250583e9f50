"""The dashboard end to end in headless Chromium: filter to Idlib, open the Harem event, see SOHR's sentence
highlighted; a hostile report renders as inert text. Skips (saying why) where chromium or node is missing."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from browser_tooling import CHROMIUM, E2E, ROOT, missing_browser_tooling
from conftest import ServerFactory

pytestmark = pytest.mark.skipif(missing_browser_tooling() is not None, reason=str(missing_browser_tooling()))


def test_dashboard_filter_open_event_and_hostile_text(live_server: ServerFactory) -> None:
    server = live_server()
    screenshot = ROOT / "out" / "dashboard-harem.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "BASE_URL": server.url,
        "SCREENSHOT": str(screenshot),
        "XSS_EVENT_ID": server.fixture.xss_event_id,
        "CHROMIUM": CHROMIUM,
    }
    proc = subprocess.run(
        ["node", str(E2E / "dashboard.mjs")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ok"], result.get("error")
    assert result["pageErrors"] == []
    assert result["foreignRequests"] == []  # fully offline: no CDN, no tiles
    assert result["initialRows"] == 5
    assert result["idlibRows"] == 2  # the SOHR and the French report of the Harem clash
    assert result["detail"]["heading"] == "Battles / Armed clash"
    sentences = result["detail"]["sentences"]
    clash = next(s for s in sentences if "Clashes broke out" in s["text"])
    marks = {m["fields"]: m["text"] for m in clash["marks"]}
    assert marks["location"] == "Harem"
    assert marks["attribution"] == "the Syrian Observatory for Human Rights (SOHR)"
    assert marks["event_type"] == "Clashes"
    assert clash["hedge"] == "attributed"
    assert result["detail"]["tollPoints"] == 1  # only SOHR gave a number
    assert Path(result["screenshot"]).stat().st_size > 10_000

    # The hostile report: nothing ran, nothing was injected, the markup is shown as text.
    assert result["dialogs"] == []
    xss = result["xss"]
    assert xss["flag"] is None
    assert xss["injectedImages"] == 0
    assert xss["handlerAttributes"] == 0
    assert xss["boldTags"] == 0
    assert xss["scripts"] == ["/static/vendor/leaflet.js", "/static/vendor/topojson-client.min.js", "/static/app.js"]
    assert xss["sentenceShowsMarkupAsText"]
    assert xss["listShowsMarkupAsText"]
