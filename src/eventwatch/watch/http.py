"""The one seam between the watcher and the network: a conditional GET for feeds and a JSON POST for webhooks.

Everything else in :mod:`eventwatch.watch` sees only :class:`Http` and plain results, never httpx, so tests and
other transports can stand in. Nothing here raises for a bad server: timeouts, refused connections, redirect
loops, oversized or slow bodies all come back as a result with ``error`` saying why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

USER_AGENT = "eventwatch/0.1 (conflict monitoring; +https://github.com/eventwatch)"
MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A GET's outcome. ``status`` 0: no HTTP response at all. ``error`` is None only for a usable response (200
    with its body, or 304 Not Modified)."""

    url: str  # after redirects
    status: int = 0
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None  # seconds, from a 429/503's Retry-After
    redirected: bool = False
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.error is None


@dataclass(frozen=True, slots=True)
class PostResult:
    status: int = 0
    error: str | None = None  # None: the receiver took it (2xx)


class Http(Protocol):
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        headers: dict[str, str] | None = None,
    ) -> FetchResult: ...

    def post_json(
        self, url: str, body: bytes, *, timeout: float = 10.0, headers: dict[str, str] | None = None
    ) -> PostResult: ...

    def close(self) -> None: ...


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _describe(exc: httpx.HTTPError, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s ({type(exc).__name__})"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    return f"{type(exc).__name__}: {exc}"


class HttpxHttp:
    """:class:`Http` over one pooled, thread-safe ``httpx.Client``: redirects followed (at most five), bodies
    streamed so a response over ``max_bytes`` (declared or actual, after decompression) is dropped early, and one
    deadline over the whole request so a server trickling bytes cannot hold a poller forever."""

    def __init__(self) -> None:
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,  # no proxies from the environment: the watcher talks to the URLs it was given
        )

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        headers: dict[str, str] | None = None,
    ) -> FetchResult:
        request_headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
        request_headers.update(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + timeout
        try:
            with self._client.stream("GET", url, headers=request_headers, timeout=timeout) as response:
                base = FetchResult(
                    url=str(response.url),
                    status=response.status_code,
                    redirected=bool(response.history),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
                if response.status_code == 304:
                    return base
                if response.status_code != 200:
                    return replace(
                        base,
                        retry_after=_retry_after(response.headers.get("Retry-After")),
                        error=f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                    )
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    return replace(base, error=f"response too large ({int(declared):,} bytes declared > {max_bytes:,})")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return replace(base, error=f"response too large (over {max_bytes:,} bytes)")
                    if time.monotonic() > deadline:
                        return replace(base, error=f"timed out after {timeout:g} s (body still arriving)")
                    chunks.append(chunk)
                return replace(base, body=b"".join(chunks))
        except httpx.HTTPError as exc:
            return FetchResult(url=url, error=_describe(exc, timeout))
        except (OSError, ValueError) as exc:  # malformed URL, socket errors httpx does not wrap
            return FetchResult(url=url, error=f"{type(exc).__name__}: {exc}")

    def post_json(
        self, url: str, body: bytes, *, timeout: float = 10.0, headers: dict[str, str] | None = None
    ) -> PostResult:
        request_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        try:
            response = self._client.post(url, content=body, headers=request_headers, timeout=timeout)
        except httpx.HTTPError as exc:
            return PostResult(error=_describe(exc, timeout))
        except (OSError, ValueError) as exc:
            return PostResult(error=f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return PostResult(response.status_code)
        return PostResult(response.status_code, f"HTTP {response.status_code} {response.reason_phrase}".strip())

    def close(self) -> None:
        self._client.close()
