"""X/Twitter account archives: ``data/tweets.js`` (older archives: ``tweet.js``; big ones add ``-part1`` ...).

The file is a JavaScript assignment, ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]``: the prefix is
stripped and the array decoded element by element. One report per tweet: ``full_text`` (HTML entities such as
``&amp;`` unescaped, as the archive keeps them escaped) → text; ``created_at`` (``Wed Oct 22 01:14:03 +0000
2025``) → published_at; ``lang`` → language (``und``/``qme`` → None); ``raw_locator`` is ``tweet <id_str>``.

Archives do not name their account in ``tweets.js``. When an ``account.js`` sits next to it
(``window.YTD.account.part0 = [{"account": {"username": ..., "accountDisplayName": ...}}]``), source becomes
``"Display Name (@username)"`` and url ``https://x.com/<username>/status/<id_str>``; otherwise both are None.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from eventwatch.ingest._common import (
    FileInput,
    clean_text,
    decode_bytes,
    iter_json_array,
    json_error,
    norm_language,
    opt_str,
    parse_datetime,
)
from eventwatch.model import Reject, Report

FORMAT = "x"

YTD_ASSIGNMENT = re.compile(r"\A\s*window\.YTD\.(\w+)\.part\d+\s*=\s*")
TWEET_PARTS = frozenset(("tweets", "tweet"))
ACCOUNT_FILE = "account.js"


def read(inp: FileInput) -> Iterator[Report | Reject]:
    document = decode_bytes(inp.data, inp.options)
    prefix = YTD_ASSIGNMENT.match(document)
    if prefix is None or prefix.group(1) not in TWEET_PARTS:
        yield inp.reject("not an X archive tweets file (no 'window.YTD.tweets.partN =')", FORMAT)
        return

    account, problem = _account(inp)
    if problem is not None:
        yield problem
    username = opt_str(account.get("username"))
    display = opt_str(account.get("accountDisplayName"))
    if username and display:
        source: str | None = f"{display} (@{username})"
    else:
        source = display or (f"@{username}" if username else None)

    last_id: str | None = None
    try:
        for index, item in enumerate(iter_json_array(document, prefix.end()), start=1):
            tweet = item.get("tweet", item) if isinstance(item, dict) else None
            if not isinstance(tweet, dict):
                yield inp.reject("tweet is not a JSON object", FORMAT, f"tweet #{index}")
                continue
            tweet_id = opt_str(tweet.get("id_str")) or opt_str(tweet.get("id"))
            last_id = tweet_id or last_id
            locator = f"tweet {tweet_id}" if tweet_id else f"tweet #{index}"
            body = tweet.get("full_text", tweet.get("text"))
            text = clean_text(html.unescape(body)) if isinstance(body, str) else ""
            if not text:
                yield inp.reject('tweet has no "full_text"', FORMAT, locator)
                continue
            yield Report(
                text=text,
                source=source,
                url=f"https://x.com/{username}/status/{tweet_id}" if username and tweet_id else None,
                published_at=parse_datetime(tweet.get("created_at")),
                retrieved_at=inp.retrieved_at,
                language=norm_language(tweet.get("lang")),
                source_format=FORMAT,
                origin=inp.origin,
                raw_sha256=inp.sha,
                raw_locator=locator,
                raw=inp.data,
            )
    except json.JSONDecodeError as exc:
        after = f"after tweet {last_id}" if last_id else "before the first tweet"
        reason = f"{json_error(exc, with_line=True)}, {after}; file truncated?"
        yield inp.reject(reason, FORMAT, f"line {exc.lineno}")


def _account(inp: FileInput) -> tuple[dict[str, Any], Reject | None]:
    """The archive's account from a sibling ``account.js``: ``({}, None)`` when there is none."""
    path = inp.path.parent / ACCOUNT_FILE
    if not path.is_file():
        return {}, None
    origin = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(min(inp.options.max_bytes, 1024 * 1024))  # a few hundred bytes in practice
    except OSError as exc:
        return {}, Reject(origin, None, f"cannot read account file ({exc.strerror})", b"", FORMAT)
    document = decode_bytes(data, inp.options)
    prefix = YTD_ASSIGNMENT.match(document)
    try:
        items = json.loads(document[prefix.end() :].rstrip().rstrip(";")) if prefix else None
    except json.JSONDecodeError as exc:
        return {}, Reject(origin, f"line {exc.lineno}", json_error(exc, with_line=True), data, FORMAT)
    account = items[0].get("account") if isinstance(items, list) and items and isinstance(items[0], dict) else None
    if not isinstance(account, dict):
        reason = "not an X archive account file (no 'window.YTD.account.part0 = [{\"account\": ...}]')"
        return {}, Reject(origin, None, reason, data, FORMAT)
    return account, None
