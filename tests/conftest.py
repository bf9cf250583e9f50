"""Session-wide test setup: the gazetteer index is built once per test session into a temporary cache, never
into the user's real ``~/.cache/eventwatch``; one throw-away PostgreSQL server for the tests of both backends."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eventwatch.store import is_postgres
from eventwatch.store.pgserver import LocalPostgres, PostgresUnavailable

PG_TEST_DB = "eventwatch_tests"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    old = os.environ.get("EVENTWATCH_CACHE")
    os.environ["EVENTWATCH_CACHE"] = str(tmp_path_factory.mktemp("eventwatch-cache"))
    yield
    if old is None:
        os.environ.pop("EVENTWATCH_CACHE", None)
    else:
        os.environ["EVENTWATCH_CACHE"] = old


# -- both store backends ---------------------------------------------------------------------------------------
# Tests that take ``store_location`` run once on a SQLite file and once on a real PostgreSQL server: one
# throw-away cluster per test session (initdb + pg_ctl on a private unix socket), a fresh schema per test.
BACKENDS = ("sqlite", "postgresql")
_schemas = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalPostgres]:
    try:
        server = LocalPostgres().start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") or os.environ.get("EVENTWATCH_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is required here (CI) but unavailable: {exc}")
        pytest.skip(f"PostgreSQL backend not tested: {exc}")
    server.create_database(PG_TEST_DB)
    yield server
    server.stop()


def new_pg_location(server: LocalPostgres) -> str:
    """A URL whose search_path is a new, empty schema: an eventwatch database of its own, created in ~1 ms."""
    import psycopg

    schema = f"t{next(_schemas)}_{os.getpid()}"
    with psycopg.connect(server.url(PG_TEST_DB), autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{schema}"'.encode())
    return server.url(PG_TEST_DB, options=f"-csearch_path={schema}")


@pytest.fixture(params=BACKENDS)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store lives: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "ew.db")
    return new_pg_location(request.getfixturevalue("pg_server"))


@pytest.fixture
def location_factory(request: pytest.FixtureRequest, tmp_path: Path, store_location: str) -> Callable[[str], str]:
    """More fresh stores on the same backend as ``store_location`` (name → location)."""

    def make(name: str) -> str:
        if is_postgres(store_location):
            return new_pg_location(request.getfixturevalue("pg_server"))
        return str(tmp_path / f"{name}.db")

    return make
