"""Feed polling against a real HTTP server on loopback: good, conditional, slow, failing, malformed, huge and
redirecting feeds. A bad feed is logged with its reason and backed off, never a crash."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from eventwatch.store import SQLiteStore
from eventwatch.watch.config import FeedConfig
from eventwatch.watch.feeds import FeedPoller
from eventwatch.watch.http import HttpxHttp
from eventwatch.watch.sources import backoff_seconds

from .servers import FeedServer, Item, Route, rss

T0 = datetime(2025, 10, 22, 6, 0, tzinfo=UTC)
ITEMS = [
    Item(
        "Clashes in Harem",
        "Clashes broke out on Tuesday in Harem, in the western countryside of Idlib, between General Security forces "
        "and French jihadists, the Syrian Observatory for Human Rights said.",
        T0,
        "harem-1",
    ),
    Item(
        "Shelling on Saraqib",
        "Government artillery shelled Saraqib, in Idlib province, on Tuesday, killing 4 civilians, a monitor said.",
        T0 + timedelta(hours=1),
        "saraqib-1",
    ),
]
NEW = Item(
    "Toll rises in Harem",
    "The death toll from Tuesday's clashes in Harem, Idlib, rose to 7, the Syrian Observatory for Human Rights said.",
    T0 + timedelta(hours=5),
    "harem-2",
)


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "ew.db") as s:
        yield s


@pytest.fixture()
def http() -> Iterator[HttpxHttp]:
    client = HttpxHttp()
    yield client
    client.close()


def poller(server: FeedServer, http: HttpxHttp, path: str, **kwargs: object) -> FeedPoller:
    config = FeedConfig.model_validate({"url": server.url + path, "interval": 60, **kwargs})
    return FeedPoller(config, http, random.Random(1))


def test_good_feed_then_conditional_get_then_only_the_new_entry(
    server: FeedServer, store: SQLiteStore, http: HttpxHttp
) -> None:
    server.routes["/syria.rss"] = Route(
        rss(ITEMS), etag='"v1"', headers={"Last-Modified": "Wed, 22 Oct 2025 07:00:00 GMT"}
    )
    feed = poller(server, http, "/syria.rss")
    first = feed.poll(store)
    assert (first.read, len(first.new)) == (2, 2)
    assert {r.title for r in first.new} == {"Clashes in Harem", "Shelling on Saraqib"}
    assert all(r.source == "Levant Monitor" and r.origin == feed.config.url for r in first.new)
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.cursor["etag"] == '"v1"' and state.reports_new == 2
    assert state.last_error is None and state.next_poll_at is not None

    second = feed.poll(store)  # conditional GET: 304, nothing read
    assert (second.read, second.new) == (0, [])
    headers = server.requests_to("/syria.rss")[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Wed, 22 Oct 2025 07:00:00 GMT"

    server.routes["/syria.rss"] = Route(rss([*ITEMS, NEW]), etag='"v2"')
    third = feed.poll(store)
    assert third.read == 3 and [r.title for r in third.new] == ["Toll rises in Harem"]
    assert store.count_reports() == 3
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.items_seen == 5 and state.reports_new == 3 and state.cursor["etag"] == '"v2"'


def test_server_ignoring_conditional_get_is_skipped_by_content(
    server: FeedServer, store: SQLiteStore, http: HttpxHttp
) -> None:
    server.routes["/plain.rss"] = Route(rss(ITEMS))
    feed = poller(server, http, "/plain.rss")
    assert len(feed.poll(store).new) == 2
    blobs = store._db.execute("SELECT count(*) FROM blobs").fetchone()[0]
    again = feed.poll(store)  # same bytes, no validators: not even parsed
    assert (again.read, again.new) == (0, [])
    # Same entries under a changed channel (a new lastBuildDate): parsed, nothing new, no new blob kept.
    server.routes["/plain.rss"] = Route(
        rss(ITEMS, title="Levant Monitor").replace(b"<language>", b"<ttl>5</ttl><language>")
    )
    changed = feed.poll(store)
    assert (changed.read, changed.new) == (2, [])
    assert store._db.execute("SELECT count(*) FROM blobs").fetchone()[0] == blobs


def test_source_override_changes_the_outlet(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    server.routes["/f.rss"] = Route(rss(ITEMS))
    intake = poller(server, http, "/f.rss", source="SOHR mirror").poll(store)
    assert {r.source for r in intake.new} == {"SOHR mirror"}


def _failing(server: FeedServer, store: SQLiteStore, http: HttpxHttp, path: str, **kwargs: object) -> str:
    feed = poller(server, http, path, **kwargs)
    before = time.monotonic()
    intake = feed.poll(store)
    assert intake.new == []
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.consecutive_failures == 1 and state.last_error
    assert state.last_success_at is None and feed.next_at > before
    return state.last_error


def test_http_500_is_an_error_with_backoff_and_retry_after(
    server: FeedServer, store: SQLiteStore, http: HttpxHttp
) -> None:
    server.routes["/down.rss"] = Route(b"oops", status=500, content_type="text/plain")
    assert _failing(server, store, http, "/down.rss") == "HTTP 500 Internal Server Error"
    server.routes["/busy.rss"] = Route(b"", status=503, headers={"Retry-After": "120"})
    feed = poller(server, http, "/busy.rss", interval=1)
    start = time.monotonic()
    feed.poll(store)
    assert feed.next_at - start >= 119  # honoured over the 1 s interval's backoff


def test_slow_server_times_out(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    server.routes["/slow.rss"] = Route(rss(ITEMS), delay=3.0)
    started = time.monotonic()
    assert _failing(server, store, http, "/slow.rss", timeout=0.5).startswith("timed out after 0.5 s")
    assert time.monotonic() - started < 2.5


def test_body_trickling_past_the_deadline_times_out(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(40):
                handler.wfile.write(b" " * 100)
                handler.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.routes["/drip.rss"] = Route(handler=trickle)
    assert "timed out" in _failing(server, store, http, "/drip.rss", timeout=1.0)


def test_malformed_xml_is_rejected_with_the_parser_reason(
    server: FeedServer, store: SQLiteStore, http: HttpxHttp
) -> None:
    server.routes["/bad.rss"] = Route(b'<?xml version="1.0"?><rss><channel><title>x</title></chanel></rss>')
    assert _failing(server, store, http, "/bad.rss").startswith("malformed feed XML (")
    server.routes["/cut.rss"] = Route(b'<?xml version="1.0"?><rss><channel><title>x</title><item><title>a</ti')
    assert _failing(server, store, http, "/cut.rss").startswith("feed ends inside this entry, file truncated?")
    # Both kept as rejects with their bytes, under the feed's URL.
    assert {r.origin for r in store.iter_rejects()} == {server.url + "/bad.rss", server.url + "/cut.rss"}


def test_an_empty_feed_is_fine_not_an_error(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    server.routes["/new-channel.rss"] = Route(rss([]))
    feed = poller(server, http, "/new-channel.rss")
    assert feed.poll(store).read == 0
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.last_error is None and state.last_success_at is not None
    assert list(store.iter_rejects()) == []
    assert 59 <= feed.next_at - time.monotonic() <= 60  # the normal interval, no backoff


def test_a_page_that_is_not_a_feed(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    server.routes["/news"] = Route(b"<!doctype html><html><body><p>Hello</p></body></html>", content_type="text/html")
    assert _failing(server, store, http, "/news") == "not an RSS/Atom feed (looks like html)"


@pytest.mark.parametrize("chunked", [False, True])
def test_huge_response_is_dropped(server: FeedServer, store: SQLiteStore, http: HttpxHttp, chunked: bool) -> None:
    huge = rss(ITEMS).replace(b"</channel>", b"<!--" + b"x" * 3_000_000 + b"--></channel>")
    server.routes["/huge.rss"] = Route(huge, chunked=chunked)
    error = _failing(server, store, http, "/huge.rss", max_bytes=1_000_000)
    assert error.startswith("response too large")
    assert ("declared" in error) is not chunked


def test_redirects_are_followed_and_loops_stopped(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    server.routes["/old.rss"] = Route(status=301, headers={"Location": "/new.rss"})
    server.routes["/new.rss"] = Route(rss(ITEMS))
    feed = poller(server, http, "/old.rss")
    assert len(feed.poll(store).new) == 2
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.cursor["redirected_to"] == server.url + "/new.rss"
    server.routes["/loop.rss"] = Route(status=302, headers={"Location": "/loop.rss"})
    assert _failing(server, store, http, "/loop.rss").startswith("too many redirects")


def test_refused_connection(store: SQLiteStore, http: HttpxHttp) -> None:
    with FeedServer() as gone:
        url = gone.url
    feed = FeedPoller(FeedConfig(url=url + "/feed.rss"), http, random.Random(1))
    feed.poll(store)
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.last_error is not None and state.last_error.startswith("cannot connect")


def test_backoff_grows_with_failures_and_recovery_resets_it(
    server: FeedServer, store: SQLiteStore, http: HttpxHttp
) -> None:
    rng = random.Random(3)
    for n in range(1, 9):  # the upper half of interval·2ⁿ⁻¹, capped
        ceiling = min(300, 10 * 2 ** (n - 1))
        assert ceiling / 2 <= backoff_seconds(10, n, 300, rng) <= ceiling
    server.routes["/flaky.rss"] = Route(b"", status=502)
    feed = poller(server, http, "/flaky.rss", interval=10)
    for _ in range(3):
        feed.poll(store)
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.consecutive_failures == 3
    assert 20 <= feed.next_at - time.monotonic() <= 40
    server.routes["/flaky.rss"] = Route(rss(ITEMS))
    assert len(feed.poll(store).new) == 2
    state = store.get_source_state(feed.config.key)
    assert state is not None and state.consecutive_failures == 0 and state.last_error == "HTTP 502 Bad Gateway"
    assert 9 <= feed.next_at - time.monotonic() <= 10


def test_restart_keeps_the_schedule(server: FeedServer, store: SQLiteStore, http: HttpxHttp) -> None:
    server.routes["/f.rss"] = Route(rss(ITEMS))
    poller(server, http, "/f.rss", interval=600).poll(store)
    restarted = poller(server, http, "/f.rss", interval=600)
    restarted.restore(store)
    assert 590 <= restarted.next_at - time.monotonic() <= 600  # not polled again right after a restart
