"""`eventwatch serve` as a user runs it: a subprocess on a free loopback port, tokens from the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .conftest import TOKEN, build_store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_command_serves_the_database_with_tokens_from_env(tmp_path: Path) -> None:
    fixture = build_store(tmp_path / "cli.db")
    port = _free_port()
    cli = Path(sys.executable).with_name("eventwatch")
    env = {**os.environ, "EVENTWATCH_TOKEN": TOKEN, "EVENTWATCH_READ_TOKEN": "reader"}
    proc = subprocess.Popen(
        [str(cli), "serve", "--db", str(fixture.db), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(url + "/api/health", headers={"Authorization": "Bearer reader"}, timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["writes_enabled"] and not response.json()["reads_open"]
        assert httpx.get(url + "/api/events").status_code == 401  # reads closed by EVENTWATCH_READ_TOKEN
        assert httpx.get(url + "/").status_code == 200
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}" in output
    assert TOKEN not in output  # the token is never echoed
