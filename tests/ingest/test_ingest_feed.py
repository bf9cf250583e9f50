"""RSS and Atom feeds through feedparser, one report per entry."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from eventwatch.model import sha256_hex

from .conftest import Ingest


def test_rss_entries(fixtures: Path, ingest: Ingest) -> None:
    path = fixtures / "sudan_tribune.rss"
    reports, rejects = ingest(path)
    assert rejects == []
    assert [r.raw_locator for r in reports] == ["entry 1", "entry 2", "entry 3"]
    shelling, drone, babanusa = reports
    assert all(r.source == "Sudan Tribune" and r.language == "en" for r in reports)
    # content:encoded is fuller than the description; HTML stripped, scripts dropped
    assert shelling.text == (
        "At least nine civilians were killed and 14 injured when the Rapid Support Forces shelled the Abu "
        "Shouk displacement camp north of El Fasher on Monday, the camp's emergency room said.\n\n"
        "The RSF did not comment on the report."
    )
    assert shelling.title == "RSF shelling kills nine in Abu Shouk camp"
    assert shelling.url == "https://sudantribune.com/article/301001/"
    assert shelling.author == "Sudan Tribune"
    assert shelling.published_at == datetime(2025, 10, 21, 6, 15, tzinfo=UTC)
    assert drone.text.startswith("A drone struck the main fuel depot in Port Sudan")
    assert drone.published_at == datetime(2025, 10, 22, 6, 0, tzinfo=UTC)
    assert babanusa.text == "Army says it repelled attack on Babanusa"  # title-only entry
    assert babanusa.published_at is None  # unparseable pubDate keeps the entry
    data = path.read_bytes()
    assert all(r.raw is data or r.raw == data for r in reports)
    assert {r.raw_sha256 for r in reports} == {sha256_hex(data)}
    assert len({r.id for r in reports}) == 3


def test_atom_entries(fixtures: Path, ingest: Ingest) -> None:
    reports, _ = ingest(fixtures / "ukraine_monitor.atom")
    dnipro, odessa = reports
    assert dnipro.source == "Ukraine Conflict Monitor"
    assert dnipro.author == "Olena Kovalenko"
    assert dnipro.published_at == datetime(2025, 10, 22, 3, 45, tzinfo=UTC)
    assert dnipro.language == "en"
    assert dnipro.url == "https://monitor.example.org/2025/10/22/dnipro"
    assert odessa.language == "fr"  # the entry's xml:lang beats the feed's
    assert odessa.published_at == datetime(2025, 10, 21, 22, 10, tzinfo=UTC)  # no <published>: <updated>
    assert odessa.text.startswith("Des drones russes ont frappé")


def test_truncated_feed_keeps_complete_entries(fixtures: Path, tmp_path: Path, ingest: Ingest) -> None:
    data = (fixtures / "sudan_tribune.rss").read_bytes()
    path = tmp_path / "cut.xml"  # .xml: detected by its <rss> root
    path.write_bytes(data[: data.index(b"Port Sudan fuel depot</title>") + 10])
    reports, rejects = ingest(path)
    assert [r.raw_locator for r in reports] == ["entry 1"]
    (reject,) = rejects
    assert reject.locator == "entry 2"
    assert reject.reason.startswith("feed ends inside this entry, file truncated?")
    assert reject.source_format == "feed"


def test_feed_with_no_entries_and_broken_xml(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>SUNA</title></channel></rss>')
    assert ingest(path)[1][0].message() == f"{path}: feed has no entries"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><chan')
    (reject,) = ingest(path)[1]
    assert reject.reason.startswith("malformed feed XML (")


def test_rdf_feed_sniffed_without_extension(tmp_path: Path, ingest: Ingest) -> None:
    path = tmp_path / "sahel_feed"
    path.write_text(
        '<?xml version="1.0"?>\n<!-- saved 2025-10-22 -->\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        '<channel rdf:about="https://ex.org/"><title>Sahel Intelligence</title></channel>'
        '<item rdf:about="https://ex.org/1"><title>Niger : attaque à Tillabéri</title>'
        "<link>https://ex.org/1</link><description>Sept civils tués.</description></item></rdf:RDF>",
        encoding="utf-8",
    )
    (report,), _ = ingest(path)
    assert (report.source_format, report.source, report.text) == ("feed", "Sahel Intelligence", "Sept civils tués.")
