"""Structured logs for the watcher: every line is an event name plus fields, as ``key=value`` text or JSON Lines.

Call sites log ``log.info("feed.ok", extra=fields(source=..., new=3))``; the event name is the message, the
fields travel in ``record.fields``. Text lines read well in a terminal; ``--log-json`` gives one JSON object per
line for a log shipper.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

LOGGER = "eventwatch.watch"


def fields(**values: Any) -> dict[str, Any]:
    """``extra=`` for a log call: the structured fields of the line."""
    return {"fields": {k: v for k, v in values.items() if v is not None}}


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return json.dumps(text, ensure_ascii=False) if (not text or any(c in text for c in ' ="\n')) else text


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        parts = [when, f"{record.levelname:<7}", record.getMessage()]
        parts += [f"{k}={_text_value(v)}" for k, v in getattr(record, "fields", {}).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(*, json_lines: bool = False, level: str = "INFO", stream: TextIO | None = None) -> logging.Logger:
    """The watcher's logger, writing to ``stream`` (stderr) in the chosen format; replaces earlier handlers."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    return logger


def get() -> logging.Logger:
    return logging.getLogger(LOGGER)
