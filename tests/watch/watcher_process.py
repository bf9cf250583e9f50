"""`eventwatch watch` as a user runs it: a subprocess with a config file, its API on a free loopback port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

TOKEN = "watch-write-token-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WatchProcess:
    def __init__(self, folder: Path, config: dict[str, Any]) -> None:
        self.folder = folder
        self.port = free_port()
        config = {**config, "serve": {"port": self.port, "poll_seconds": 0.5}}
        self.config_path = folder / "watch.yaml"
        self.config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "watch.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def command(self, *extra: str) -> list[str]:
        return [str(Path(sys.executable).with_name("eventwatch")), "watch", str(self.config_path), *extra]

    def start(self, timeout: float = 120.0) -> None:
        env = {**os.environ, "EVENTWATCH_TOKEN": TOKEN}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(self.command("--log-json"), env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"watcher exited early:\n{self.log()}"
            try:
                status = httpx.get(self.url + "/api/watch/status", timeout=2).json()
                if status["watcher"] and status["watcher"]["ready"] and status["watcher"]["running"]:
                    return
            except (httpx.TransportError, ValueError, KeyError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"watcher not ready after {timeout} s:\n{self.log()}")

    def status(self) -> dict[str, Any]:
        out = subprocess.run(self.command("--status", "--json"), capture_output=True, text=True, check=True)
        result: dict[str, Any] = json.loads(out.stdout)
        return result

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; returns the exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return int(self.proc.returncode)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-6000:]

    def events(self) -> list[dict[str, Any]]:
        """The structured log, one object per line."""
        out = []
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out


def wait_until(condition: Any, timeout: float, what: str, proc: WatchProcess | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{proc.log()}" if proc else ""))
