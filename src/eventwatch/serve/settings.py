"""Configuration of the API server: which database, where to listen, which tokens open writes (and reads)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TOKEN_ENV = "EVENTWATCH_TOKEN"
READ_TOKEN_ENV = "EVENTWATCH_READ_TOKEN"


@dataclass(frozen=True, slots=True)
class Settings:
    """``token`` guards every write (no token configured: writes are refused); ``read_token``, when set, closes
    reads too (the write token also opens them)."""

    db: Path | str  # a SQLite file or a PostgreSQL URL
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    read_token: str | None = None
    poll_seconds: float = 5.0  # how often the dashboard asks /api/updates

    @classmethod
    def from_env(
        cls,
        db: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None = None,
        read_token: str | None = None,
    ) -> Settings:
        """Settings with tokens from the environment unless given explicitly (empty strings mean unset)."""
        return cls(
            db=db,
            host=host,
            port=port,
            token=token or os.environ.get(TOKEN_ENV) or None,
            read_token=read_token or os.environ.get(READ_TOKEN_ENV) or None,
        )
