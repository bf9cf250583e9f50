"""Bearer-token checks: writes always need the configured token; reads need one only when a read token is set."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from eventwatch.serve.settings import READ_TOKEN_ENV, TOKEN_ENV, Settings

_bearer = HTTPBearer(auto_error=False, description="Bearer token from EVENTWATCH_TOKEN (or EVENTWATCH_READ_TOKEN).")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _matches(given: str, expected: str | None) -> bool:
    # Constant-time comparison: the token must not leak through response timing.
    return expected is not None and secrets.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def require_write(request: Request, credentials: Credentials) -> None:
    settings = settings_of(request)
    if settings.token is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"writes are disabled: start the server with {TOKEN_ENV} or --token"
        )
    if credentials is None:
        raise _unauthorized("a bearer token is required for writes")
    if not _matches(credentials.credentials, settings.token):
        raise _unauthorized("invalid token")


def require_read(request: Request, credentials: Credentials) -> None:
    settings = settings_of(request)
    if settings.read_token is None:
        return
    if credentials is None:
        raise _unauthorized(f"reads are closed on this server ({READ_TOKEN_ENV}): send a bearer token")
    if not (
        _matches(credentials.credentials, settings.read_token) or _matches(credentials.credentials, settings.token)
    ):
        raise _unauthorized("invalid token")
