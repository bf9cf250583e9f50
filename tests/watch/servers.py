"""Real HTTP servers on loopback for the watch tests: a feed server with misbehaving routes and a webhook receiver.

Both are stdlib ``ThreadingHTTPServer``s on free ports, started and stopped by the tests' fixtures.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Quiet(ThreadingHTTPServer):
    """A client that hangs up mid-request (a timeout under test) is expected here, not an error to print."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(slots=True)
class Item:
    title: str
    text: str
    published: datetime
    guid: str
    link: str | None = None


def rss(items: list[Item], *, title: str = "Levant Monitor") -> bytes:
    """An RSS 2.0 document, newest item first, as feeds list them."""
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><guid>{escape(i.guid)}</guid>"
        f"<link>{escape(i.link or 'https://levant-monitor.example/' + i.guid)}</link>"
        f"<pubDate>{format_datetime(i.published)}</pubDate><description>{escape(i.text)}</description></item>"
        for i in sorted(items, key=lambda i: i.published, reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://levant-monitor.example/</link><language>en</language>"
        f"{entries}</channel></rss>"
    ).encode()


@dataclass(slots=True)
class Route:
    """What one path answers. ``handler`` (if set) decides everything; else the fields below do."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    etag: str | None = None  # answer 304 to a matching If-None-Match
    chunked: bool = False  # no Content-Length: the body streams in chunks
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class FeedServer:
    """Serves ``routes`` by path and records every request's path and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append((self.path, dict(self.headers.items())))
                    route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", "text/plain")
                    return
                if route.handler is not None:
                    route.handler(self)
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                self._send(route.status, route.body, route.content_type, headers, chunked=route.chunked)

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str,
                headers: dict[str, str] | None = None,
                *,
                chunked: bool = False,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    try:
                        for i in range(0, len(body), 65536):
                            part = body[i : i + 65536]
                            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                        self.wfile.write(b"0\r\n\r\n")
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up on a body too large: that is the point
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # a client that gave up early is not an error here

        self.httpd = _Quiet(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_to(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [h for p, h in self.requests if p == path]


class WebhookReceiver:
    """Records every POST (alert id header and JSON body); ``fail_next`` makes the next N answer 500."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.fail_next = 0
        self.failed = 0
        self.arrivals: list[float] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    fail = receiver.fail_next > 0
                    if fail:
                        receiver.fail_next -= 1
                        receiver.failed += 1
                    else:
                        receiver.received.append(json.loads(body))
                        receiver.headers.append(dict(self.headers.items()))
                        receiver.arrivals.append(time.time())
                status = 500 if fail else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = _Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def ids(self) -> list[str]:
        with self._lock:
            return [r["id"] for r in self.received]

    def wait_for(self, n: int, timeout: float = 60.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= n:
                    return list(self.received)
            time.sleep(0.05)
        with self._lock:
            return list(self.received)
