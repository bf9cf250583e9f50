"""A throw-away PostgreSQL server on a private unix socket, for the test suite and the benchmarks.

``initdb`` into a fresh temporary folder, ``pg_ctl start`` listening on a socket in that folder only (no TCP port,
so nothing else on the machine can reach it and parallel sessions never clash), ``pg_ctl stop`` and delete.
PostgreSQL refuses to run as root: when we are root, the server runs as the ``postgres`` account (Debian's package
creates it), else as ``nobody``, and its folder is handed to that account.

Never used by eventwatch itself at run time: users point ``--db`` at their own server.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

SEARCH_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin", "/opt/homebrew/bin")
SUPERUSER = "eventwatch"
# Durability is worthless for a server deleted afterwards; these make schema set-up and writes much faster.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")
# For benchmarks: crash-safe like SQLite in WAL mode with synchronous=NORMAL (a crash may lose the last commits,
# never corrupts), and the memory settings docs/scale.md recommends, scaled down to a laptop.
BENCH_SETTINGS = (
    "synchronous_commit=off",
    "shared_buffers=512MB",
    "max_wal_size=4GB",
    "checkpoint_timeout=15min",
    "wal_compression=on",
    "max_connections=100",
)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries were found, or the server would not start; the message says which and why."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", str(path))) or (0,)


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``: ``$EVENTWATCH_PG_BIN``, then PATH, then the
    usual install folders (Debian's /usr/lib/postgresql/<version>/bin, newest version first)."""
    candidates: list[Path] = []
    if os.environ.get("EVENTWATCH_PG_BIN"):
        candidates.append(Path(os.environ["EVENTWATCH_PG_BIN"]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for pattern in SEARCH_DIRS:
        root = Path("/")
        candidates.extend(sorted(root.glob(pattern.lstrip("/")), key=_version_key, reverse=True))
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account the server runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable("running as root and neither a 'postgres' nor a 'nobody' account exists")


class LocalPostgres:
    """One disposable server: ``start()``, ``url(dbname)``, ``create_database(name)``, ``stop()``."""

    def __init__(
        self, bin_dir: Path | None = None, *, port: int = 5432, settings: tuple[str, ...] = FAST_SETTINGS
    ) -> None:
        found = bin_dir or find_bin_dir()
        if found is None:
            raise PostgresUnavailable(
                "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found on PATH or in /usr/lib/postgresql; "
                "install Debian's 'postgresql' package or set EVENTWATCH_PG_BIN"
            )
        self.bin_dir = found
        self.port = port
        self.settings = settings
        self.base: Path | None = None
        self._account = _server_account()

    @property
    def socket_dir(self) -> Path:
        assert self.base is not None, "server not started"
        return self.base / "socket"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._account is not None:
            runuser = shutil.which("runuser") or shutil.which("setpriv")
            if runuser is None:
                raise PostgresUnavailable("running as root, but neither runuser nor setpriv is available")
            if runuser.endswith("runuser"):
                command = [runuser, "-u", self._account.pw_name, "--", *command]
            else:
                account = self._account
                command = [
                    runuser,
                    f"--reuid={account.pw_uid}",
                    f"--regid={account.pw_gid}",
                    "--clear-groups",
                    *command,
                ]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)

    def start(self) -> LocalPostgres:
        self.base = Path(tempfile.mkdtemp(prefix="eventwatch-pg-"))
        data = self.base / "data"
        self.socket_dir.mkdir()
        if self._account is not None:
            for path in (self.base, self.socket_dir):
                os.chown(path, self._account.pw_uid, self._account.pw_gid)
        init = self._run(
            "initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"
        )
        if init.returncode != 0:
            self._cleanup()
            raise PostgresUnavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-800:]}")
        options = " ".join(
            [f"-p {self.port}", f"-k {self.socket_dir}", "-c listen_addresses=''"] + [f"-c {s}" for s in self.settings]
        )
        started = self._run(
            "pg_ctl", "-D", str(data), "-l", str(self.base / "server.log"), "-w", "-o", options, "start"
        )
        if started.returncode != 0:
            log = (
                (self.base / "server.log").read_text(errors="replace")[-800:]
                if (self.base / "server.log").exists()
                else ""
            )
            self._cleanup()
            raise PostgresUnavailable(f"pg_ctl start failed: {(started.stderr or started.stdout).strip()} {log}")
        return self

    def url(self, dbname: str = "postgres", **params: str) -> str:
        """A libpq URL for ``dbname`` on this server's socket (extra query parameters as given)."""
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in {"host": str(self.socket_dir), **params}.items())
        return f"postgresql://{SUPERUSER}@/{dbname}?{query}&port={self.port}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (optionally a copy of ``template``) and return its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            for attempt in range(50):  # a template still open elsewhere refuses to be copied for a moment
                try:
                    suffix = f' TEMPLATE "{template}"' if template else ""
                    con.execute(f'CREATE DATABASE "{name}"{suffix}'.encode())
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
        return self.url(name)

    def stop(self) -> None:
        if self.base is None:
            return
        self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop", timeout=60)
        self._cleanup()

    def _cleanup(self) -> None:
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None


@contextlib.contextmanager
def local_postgres(settings: tuple[str, ...] = FAST_SETTINGS) -> Iterator[LocalPostgres]:
    """A started throw-away server, stopped and deleted on exit."""
    server = LocalPostgres(settings=settings).start()
    try:
        yield server
    finally:
        server.stop()
