"""The FastAPI application: /api (JSON, OpenAPI at /docs), the offline dashboard at /, and a runner for uvicorn."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import psycopg
from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from eventwatch.serve.routes import router
from eventwatch.serve.settings import Settings
from eventwatch.store import StoreError, open_store

STATIC = Path(__file__).resolve().parent / "static"

# Defence in depth behind textContent: no inline or foreign script can run even if markup slipped into a page.
# Styles allow 'unsafe-inline' because Leaflet positions map panes with style attributes.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(settings: Settings) -> FastAPI:
    """An app serving ``settings.db``; the database is created and migrated if needed."""
    open_store(settings.db).close()  # run migrations once here, not racing inside concurrent requests
    app = FastAPI(
        title="eventwatch",
        summary="Sourced, structured conflict event data: every value traceable to a span of a stored report.",
        version="0.1.0",
        # FastAPI's own docs pages pull Swagger UI from a CDN and run inline script: ours are vendored instead.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings

    @app.middleware("http")
    async def refuse_nul(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # A NUL character cannot be stored or matched by PostgreSQL text (and means nothing in a filter): say so
        # clearly, the same on every backend, instead of failing inside the store.
        if "%00" in request.url.query or "\x00" in request.url.query:
            body = {"detail": [{"loc": ["query"], "msg": "query parameters must not contain NUL (%00)"}]}
            return JSONResponse(body, status_code=422)
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(psycopg.DataError)
    async def unstorable(request: Request, exc: psycopg.DataError) -> JSONResponse:
        # e.g. a NUL byte in a posted report: PostgreSQL text cannot hold it.
        return JSONResponse({"detail": f"value cannot be stored: {exc}"}, status_code=422)

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        if "locked" in str(exc) or "busy" in str(exc):
            # A long write elsewhere holds the database: tell the client to retry rather than fail with a 500.
            return JSONResponse({"detail": "database busy, retry"}, status_code=503, headers={"Retry-After": "1"})
        return JSONResponse({"detail": "internal error"}, status_code=500)

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        # A PostgreSQL server that went away or refuses connections for a moment: retry, as for a busy SQLite.
        return JSONResponse({"detail": "database unavailable, retry"}, status_code=503, headers={"Retry-After": "1"})

    app.add_exception_handler(StoreError, unavailable)
    app.add_exception_handler(psycopg.OperationalError, unavailable)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # Errors echo the input, which may hold lone surrogates ("\ud800") that UTF-8 cannot encode: ASCII-escape.
        body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
        return Response(body, status_code=422, media_type="application/json")

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        """Interactive API docs (Swagger UI, vendored: works offline and under the strict CSP)."""
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    return app


def run(settings: Settings) -> None:
    """Serve until interrupted (Ctrl-C)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
