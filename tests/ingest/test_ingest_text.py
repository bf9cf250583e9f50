"""Plain text and Markdown files with optional YAML front matter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from eventwatch.model import sha256_hex

from .conftest import Ingest


def test_markdown_front_matter_with_synonyms(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "rfi_tombouctou.md"
    (report,), rejects = ingest(path)
    assert rejects == []
    assert report.source_format == "markdown"
    assert report.source == "RFI"  # from `outlet:`
    assert report.published_at == datetime(2025, 10, 21, 16, 42, tzinfo=UTC)  # from `date:`, +02:00 → UTC
    assert report.author == "Serge Daniel"
    assert report.url == "https://www.rfi.fr/fr/afrique/20251021-mali-attaque-convoi-tombouctou"
    assert report.language == "fr"  # `FR` lower-cased
    assert report.title == "Mali : une attaque contre un convoi près de Tombouctou fait au moins douze morts"
    assert report.text.startswith("# Mali : une attaque")  # markup kept: spans index into this text
    assert report.text.endswith("de manière indépendante.")
    assert "---" not in report.text and "outlet" not in report.text
    assert report.origin == str(path)
    assert report.raw == path.read_bytes()
    assert report.raw_sha256 == sha256_hex(path.read_bytes())
    assert report.raw_locator is None
    assert len(report.id) == 32


def test_arabic_text_with_date_only(fixtures: Path, ingest: Ingest) -> None:
    (report,), _ = ingest(fixtures / "aljazeera_sudan_ar.txt")
    assert report.source_format == "text"
    assert report.source == "الجزيرة نت"
    assert report.title == "الدعم السريع يعلن السيطرة على الفاشر"
    assert report.language == "ar"
    assert report.published_at == datetime(2025, 10, 26, tzinfo=UTC)
    assert report.text.startswith("أعلنت قوات الدعم السريع")


def test_no_front_matter_whole_file_is_text(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "sohr_bulletin.txt"
    (report,), _ = ingest(path)
    assert report.text == path.read_text(encoding="utf-8").strip()
    assert (report.source, report.published_at, report.url, report.language, report.title) == (None,) * 5


def test_crlf_and_nfc_and_dash_rule_not_front_matter(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "bulletin.txt"
    # A leading '---' rule followed by prose is not front matter.
    path.write_bytes("---\r\nUkraine : frappe sur Kharkiv.\r\nBilan : 3 blesse\u0301s.\r\n".encode())
    (report,), _ = ingest(path)
    assert report.text == "---\nUkraine : frappe sur Kharkiv.\nBilan : 3 blessés."


def test_unparseable_date_keeps_report(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\npublished: la semaine dernière\nsource: Wamaps\n---\nAttaque à Ménaka.\n", encoding="utf-8")
    (report,), rejects = ingest(path)
    assert rejects == []
    assert report.published_at is None
    assert report.source == "Wamaps"


def test_front_matter_problems_are_rejects(tmp_path: Path, ingest: Ingest) -> None:
    cases = {
        "unterminated.md": ("---\npublished: 2025-10-21\nsource: Reu", "line 1", "unterminated front matter"),
        "badyaml.md": ("---\nsource: RFI\ntitle: [unclosed\n---\nTexte.\n", "line 4", "invalid YAML front matter"),
        "list.md": ("---\n- a\n- b\n---\nTexte.\n", None, None),  # '- a' is no 'key:' line: plain text
        "scalar.md": ("---\nsource\n---\nTexte.\n", None, None),
        "nobody.md": ("---\nsource: RFI\n---\n\n  \n", None, "no text after the front matter"),
    }
    for name, (content, locator, reason) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        reports, rejects = ingest(path)
        if reason is None:
            assert len(reports) == 1 and rejects == [], name
            assert reports[0].text == content.strip()
            continue
        assert reports == [], name
        (reject,) = rejects
        assert reject.locator == locator, name
        assert reason in reject.reason, name
        assert reject.raw == content.encode()
        assert reject.source_format == "markdown"
        assert reject.message().startswith(f"{path}:{locator + ': ' if locator else ' '}".rstrip())


def test_dots_close_front_matter_and_yaml_error_message(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "odd.txt"
    path.write_text("---\nsource: RFI\n...\nTexte.\n", encoding="utf-8")  # '...' also closes YAML
    (report,), _ = ingest(path)
    assert report.source == "RFI" and report.text == "Texte."
    path.write_text("---\nkey: value: other\n---\nTexte.\n", encoding="utf-8")
    _, (reject,) = ingest(path)
    assert (
        reject.message()
        == f"{path}:line 2: invalid YAML front matter (mapping values are not allowed here at column 11)"
    )
