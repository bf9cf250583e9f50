"""Saved HTML pages through trafilatura, offline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from eventwatch.model import sha256_hex

from .conftest import Ingest

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}"><title>Deadly strike in Idlib - Syria Monitor</title>
<meta property="og:site_name" content="Syria Monitor">
<meta property="article:published_time" content="2025-10-19T08:00:00Z">
</head><body><nav>Home | Syria | Iraq</nav><article><h1>Deadly strike in Idlib</h1>
<p>{body}</p>
<p>Civil Defence teams said they recovered the bodies of four people from the rubble of a house in the town of
Sarmin, east of Idlib city, after the strike late on Saturday evening.</p>
<p>No group has claimed responsibility, and the information could not be independently verified.</p>
</article><footer>© Syria Monitor</footer></body></html>"""


def test_main_text_and_metadata(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "france24_soudan.html"
    (report,), rejects = ingest(path)
    assert rejects == []
    assert report.source_format == "html"
    assert report.source == "France 24"
    assert report.title == "Soudan : les paramilitaires des FSR s'emparent d'El-Fasher"
    assert report.url == "https://www.france24.com/fr/afrique/20251027-soudan-fsr-el-fasher"
    assert report.published_at == datetime(2025, 10, 27, 8, 30, tzinfo=UTC)
    assert report.language == "fr"  # <html lang="fr-FR">
    assert "Les Forces de soutien rapide (FSR) ont annoncé dimanche" in report.text
    assert "« profondément alarmée »" in report.text
    for boilerplate in ("Accueil", "Tous droits réservés", "dataLayer"):
        assert boilerplate not in report.text
    assert report.raw == path.read_bytes()
    assert report.raw_sha256 == sha256_hex(path.read_bytes())
    assert report.raw_locator is None


def test_declared_charset_decodes_legacy_page(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "idlib.htm"
    body = "Un raid aérien a tué quatre personnes près d'Idleb, selon la Défense civile."
    path.write_bytes(PAGE.format(charset="iso-8859-1", body=body).encode("latin-1"))
    (report,), _ = ingest(path)
    assert body in report.text
    assert report.source == "Syria Monitor"
    assert report.published_at == datetime(2025, 10, 19, 8, 0, tzinfo=UTC)
    assert report.language == "en"


def test_page_without_main_text_is_rejected(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Loading…</title></head><body><script>app()</script></body></html>")
    reports, (reject,) = ingest(path)
    assert reports == []
    assert reject.message() == f"{path}: no main text found in the HTML page"
    assert reject.source_format == "html"
