"""Schemathesis against the live server's OpenAPI schema: generated requests (valid and invalid) to every
operation, with the write token so writes run too, and no response may be a server error. Bounded: a few
examples per operation, a fixed seed, a time budget."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from .conftest import TOKEN, ServerFactory


def test_openapi_schema_lists_every_endpoint(live_server: ServerFactory) -> None:
    server = live_server()
    schema = httpx.get(server.url + "/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/health",
        "/api/reports",
        "/api/reports/{report_id}",
        "/api/events",
        "/api/events/download",
        "/api/events/{event_id}",
        "/api/events/{event_id}/corrections",
        "/api/incidents",
        "/api/incidents/download",
        "/api/incidents/{incident_id}",
        "/api/incidents/{incident_id}/corrections",
        "/api/actors",
        "/api/places",
        "/api/map",
        "/api/timeline",
        "/api/facets",
        "/api/updates",
        "/api/alerts",
        "/api/alerts/{alert_id}",
        "/api/watch/status",
    } <= paths
    docs = httpx.get(server.url + "/docs")
    assert docs.status_code == 200
    # The docs page works offline: every script and stylesheet it loads is served by us, none from a CDN.
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert assets and all(a.startswith("/static/") for a in assets)
    assert all(httpx.get(server.url + a).status_code == 200 for a in assets)
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_schemathesis_finds_no_server_errors(live_server: ServerFactory, tmp_path: Path) -> None:
    server = live_server()
    # The first report posted loads the extraction models in the server: do it before the clock of the fuzzer's
    # per-request timeout runs (a slow first request on a loaded machine is not a server error).
    warm = httpx.post(
        server.url + "/api/reports",
        json={"text": "Hundreds protested peacefully in Daraa city on Tuesday against rising bread prices."},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=300,
    )
    assert warm.status_code < 500, warm.text
    cli = Path(sys.executable).with_name("schemathesis")
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "HOME": str(tmp_path)}  # no user config, no example database
    proc = subprocess.run(
        [
            str(cli),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "3",
            "--seed",
            "7",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-time",
            "30",
            "--generation-database",
            "none",
            "--request-timeout",
            "60",
            "--header",
            f"Authorization: Bearer {TOKEN}",
            "--no-color",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
