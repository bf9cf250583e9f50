"""Helpers shared by the extraction tests."""

from __future__ import annotations

from datetime import UTC, datetime

from eventwatch.extract import Doc, extract
from eventwatch.model import Report

PUB = datetime(2025, 10, 22, 9, 0, tzinfo=UTC)  # a Wednesday


def doc(text: str, language: str | None = None, published: datetime | None = PUB) -> Doc:
    return extract(Report(text=text, language=language, published_at=published))
