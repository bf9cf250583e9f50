"""The dashboard end to end in headless Chromium: filter to Idlib, open the Harem incident and SOHR's event, see
SOHR's sentence highlighted; a hostile report renders as inert text. Skips (saying why) where chromium or node is
missing; CI installs both (Makefile `browser-deps`)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from .browser_tooling import CHROMIUM, E2E, ROOT, missing_browser_tooling
from .conftest import TOKEN, ServerFactory

pytestmark = pytest.mark.skipif(missing_browser_tooling() is not None, reason=str(missing_browser_tooling()))


def marks_of(sentence: dict[str, Any]) -> dict[str, str]:
    return {m["fields"]: m["text"] for m in sentence["marks"]}


def test_dashboard_filter_open_incident_and_event_hostile_text_inert(live_server: ServerFactory) -> None:
    server = live_server()
    out = ROOT / "out"
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "BASE_URL": server.url,
        "OUT_DIR": str(out),
        "XSS_EVENT_ID": server.fixture.xss_event_id,
        "XSS_INCIDENT_ID": server.fixture.xss_incident_id,
        "CHROMIUM": CHROMIUM,
        "TOKEN": TOKEN,
    }
    proc = subprocess.run(
        ["node", str(E2E / "dashboard.mjs")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ok"], result.get("error")
    assert result["pageErrors"] == []
    assert result["foreignRequests"] == []  # fully offline: no CDN, no tiles
    assert result["kind"] == "incidents"  # fusion has run: incidents are the default view
    assert result["initialRows"] == 4
    assert result["idlibIncidentRows"] == 1

    # Recent alerts: newest first, each a sentence with its kind and rule; one click opens the incident.
    alerts = result["alerts"]
    assert not alerts["panelHidden"] and len(alerts["items"]) == 2
    assert any("toll rose" in a and "rule idlib-desk" in a and "Toll rose from 3 to 7" in a for a in alerts["items"])
    assert any("<img src=x onerror=" in a for a in alerts["items"]) and alerts["injected"] == 0  # markup stays text
    assert alerts["opened"] == "Battles / Armed clash"

    # The Harem incident: each source's sentence, SOHR's with the place, the type and SOHR itself highlighted.
    incident = result["incident"]
    assert incident["heading"] == "Battles / Armed clash"
    sohr = next(s for s in incident["sources"] if any("Clashes broke out" in x["text"] for x in s["sentences"]))
    assert sohr["line"].startswith("SOHR")
    clash = next(x for x in sohr["sentences"] if "Clashes broke out" in x["text"])
    assert marks_of(clash)["location"] == "Harem"
    assert marks_of(clash)["event_type"] == "Clashes"
    assert marks_of(clash)["attribution"] == "the Syrian Observatory for Human Rights (SOHR)"
    assert (clash["who"], clash["hedge"]) == ("according to SOHR", "attributed")
    french = next(s for s in incident["sources"] if "Agence Sahel-Levant" in s["line"])
    assert "via Agence Sahel-Levant → SOHR" in french["line"]
    assert marks_of(french["sentences"][0])["attribution"] == "l'OSDH"
    assert incident["tollPoints"] == 2  # SOHR's "at least 3", then its update "rose to 7"

    # The same clash as events: three reports; SOHR's first one opens with its sentence highlighted.
    assert result["idlibEventRows"] == 3
    event = result["event"]
    assert event["heading"] == "Battles / Armed clash" and event["incidentLink"]
    sentence = next(x for x in event["sentences"] if "Clashes broke out" in x["text"])
    assert marks_of(sentence)["location"] == "Harem"
    quantity = next(x for x in event["sentences"] if "fighters were reportedly killed" in x["text"])
    assert marks_of(quantity)["fatalities"] == "At least 3" and quantity["hedge"] == "hedged"
    for path in result["screenshots"]:
        assert os.path.getsize(path) > 10_000

    # The hostile report, on its event and incident pages: nothing ran, nothing was injected, markup shows as text.
    assert result["dialogs"] == []
    assert set(result["xss"]) == {"event", "incident"}
    for page in result["xss"].values():
        assert page["flag"] is None
        assert page["injectedImages"] == 0
        assert page["handlerAttributes"] == 0
        assert page["boldTags"] == 0
        assert page["scripts"] == [
            "/static/vendor/leaflet.js",
            "/static/vendor/topojson-client.min.js",
            "/static/app.js",
        ]
        assert page["sentenceShowsMarkupAsText"]
        assert page["listShowsMarkupAsText"]

    # A report posted while the page is open appears without a reload (the page polls /api/updates).
    assert result["postStatus"] == 201
    assert "Shelling near Saraqib" in result["live"]["news"]
    assert "Shelling near Saraqib" in result["live"]["latest"]
    assert result["live"]["reloaded"] is False
