"""The extraction engine across en/fr/ar: language per segment, attribution chains and hedges, denials,
number words, cumulative tolls, parse-based roles, several events per report, typing data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from eventwatch.extract.events import external_codes, typology
from eventwatch.model import Hedge, Quantity, Report, ReportAnalysis
from eventwatch.pipeline import process_report

from ..seed import seed_text
from .helpers import PUB, doc

ROOT = Path(__file__).resolve().parents[2]


def _run(text: str, language: str | None = None) -> ReportAnalysis:
    return process_report(Report(text=text, language=language, published_at=PUB))


def _counts(text: str, language: str) -> list[Quantity]:
    return [q for s in doc(text, language).sentences for q in s.quantities]


def test_embedded_french_post_in_english_report_is_french() -> None:
    d = doc(
        "Government forces shelled the outskirts of the town on Tuesday, residents said.\n"
        "Les habitants affirment que les bombardements ont duré toute la nuit et que plusieurs maisons ont brûlé.\n"
        "قالت مصادر محلية إن القصف استمر طوال الليل.",
        "en",
    )
    assert [s.lang for s in d.sentences] == ["en", "fr", "ar"]


@pytest.mark.parametrize(
    ("text", "lang", "chain"),
    [
        ("Reuters reported that the Syrian Observatory for Human Rights said at least 12 people were killed "
         "in the airstrike.", "en", ["Reuters", "Syrian Observatory for Human Rights"]),
        ("Selon l'AFP, l'OSDH a indiqué que 12 civils ont été tués dans le bombardement.", "fr",
         ["Agence France-Presse", "Syrian Observatory for Human Rights"]),
        ("ونقلت رويترز عن المرصد السوري لحقوق الإنسان أن 12 مدنيا قتلوا في الغارة.", "ar",
         ["Reuters", "Syrian Observatory for Human Rights"]),
    ],
)  # fmt: skip
def test_nested_attribution_chain_resolves_aliases(text: str, lang: str, chain: list[str]) -> None:
    (claim,) = [c for c in _run(text, lang).claims if c.kind != "background"]
    assert claim.chain == chain and claim.attributed_to == chain[-1]
    assert claim.hedge == Hedge.ATTRIBUTED


def test_unnamed_official_and_own_voice_hedges() -> None:
    a = _run(
        "According to local sources, gunmen attacked a checkpoint near Djibo.\n"
        "Authorities indicate that three soldiers were wounded.\n"
        "The attack reportedly lasted two hours.\n"
        "Troops shelled the village overnight."
    )
    hedges = {c.text[:12]: (c.attributed_to, c.hedge) for c in a.claims}
    assert hedges["According to"] == ("Local sources (unnamed)", Hedge.HEDGED)
    assert hedges["Authorities "][1] == Hedge.ATTRIBUTED and hedges["Authorities "][0].startswith("Authorities")
    assert hedges["The attack r"] == (None, Hedge.HEDGED)
    assert hedges["Troops shell"] == (None, Hedge.CONFIRMED)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The ministry denied the existence of any detention camp where prisoners were executed.", "en"),
        ("L'armée a démenti avoir bombardé le marché de Gao.", "fr"),
        ("نفت قوات الدعم السريع قصف مخيم زمزم.", "ar"),
    ],
)
def test_denials_produce_no_event_and_no_casualties(text: str, lang: str) -> None:
    a = _run(text, lang)
    assert a.events == []
    assert all(c.hedge == Hedge.DENIED for c in a.claims if c.kind != "background")


def test_no_confirmed_reports_of_casualties_is_none_reported() -> None:
    # ACLED: "no fatalities reported" is 0 — stated, and kept apart from "not mentioned" (issue 13).
    a = _run("A drone struck a fuel depot near Odesa overnight; there were no confirmed reports of casualties.")
    (e,) = a.events
    assert e.fatalities == 0 and not e.fatalities_reported_unknown and e.fatalities_status == "none reported"
    assert e.spans["fatalities"]


def test_losses_with_unconfirmed_number_are_reported_unknown_in_three_languages() -> None:
    for text, lang in [
        ("Both sides sustained losses, number unconfirmed.", "en"),
        ("Les deux camps ont subi des pertes, le bilan reste inconnu.", "fr"),
        ("سقط قتلى من الطرفين دون تحديد العدد.", "ar"),
    ]:
        (q,) = _counts(text, lang)
        assert q.kind == "killed" and q.reported_unknown and q.best is None and q.low is None, text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Twenty-five soldiers were killed and two hundred and fifty people were displaced.", "en",
         [("killed", 25), ("displaced", 250)]),
        ("Soixante-dix civils ont été tués et quatre-vingt-dix-sept blessés.", "fr", [("killed", 70), ("injured", 97)]),
        ("Deux cents villageois ont été enlevés et trois mille habitants ont fui.", "fr",
         [("abducted", 200), ("displaced", 3000)]),
        ("قتل خمسة وعشرون مدنيا وأصيب ثلاثة آلاف شخص.", "ar", [("killed", 25), ("injured", 3000)]),
        ("أسفر القصف عن مقتل ١٢٣ شخصا واعتقال ٤٥ آخرين.", "ar", [("killed", 123), ("detained", 45)]),
    ],
)  # fmt: skip
def test_number_words_and_digits(text: str, lang: str, expected: list[tuple[str, int]]) -> None:
    assert [(q.kind, q.best) for q in _counts(text, lang)] == expected


def test_cumulative_tolls_in_three_languages() -> None:
    for text, lang, n in [
        ("The death toll from the week of shelling has risen to 212, bringing the total since March to 1,383.",
         "en", 212),
        ("Le bilan s'élève désormais à 1 383 morts depuis le début de l'offensive.", "fr", 1383),
        ("ارتفعت حصيلة ضحايا القصف إلى 47 قتيلا منذ بداية الهجوم.", "ar", 47),
    ]:  # fmt: skip
        q = _counts(text, lang)[0]
        assert q.kind == "killed" and q.best == n and q.cumulative, text


def test_roles_from_the_parse_passive_and_french() -> None:
    (e,) = _run("Twelve civilians were killed by RSF fighters in an attack on the village of Tawila.").events
    assert (e.event_type, e.actor1, e.civilian_targeting) == (
        "Violence against civilians",
        "Rapid Support Forces",
        True,
    )
    assert e.actor2 is not None and e.actor2.startswith("Civilians")
    d = doc("Des combattants du JNIM ont attaqué une position de l'armée malienne près de Douentza.", "fr")
    (f,) = d.frames
    assert f.actor1 is not None and f.actor1.name.startswith("JNIM")
    assert f.actor2 is not None and f.actor2.name.startswith("Military Forces of Mali")
    assert d.parses  # the French pipeline parsed the trigger sentence


def test_one_report_several_events_and_background() -> None:
    a = _run(
        "Turkish drones struck an SDF vehicle near Qamishli on Tuesday, killing two fighters.\n"
        "In Raqqa, hundreds of protesters rallied against conscription on Wednesday.\n"
        "In March 2024, militants massacred dozens of villagers in the same area."
    )
    kinds = [(e.event_type, e.background) for e in a.events]
    assert kinds == [
        ("Explosions/Remote violence", False),
        ("Protests", False),
        ("Violence against civilians", True),
    ]


def test_every_sub_event_type_maps_to_cameo_and_plover() -> None:
    codes = external_codes()
    assert len(typology().sub_event_types) == 25
    assert {st for _, st in typology().sub_event_types} == set(codes)
    assert codes["Air/drone strike"] == {"cameo_root": "19", "cameo": "195", "plover": "FIGHT"}
    assert codes["Peaceful protest"]["plover"] == "PROTEST" and codes["Arrests"]["cameo"] == "173"


@pytest.fixture(scope="module")
def seed() -> ReportAnalysis:
    report = Report(text=seed_text(), published_at=datetime(2025, 10, 22, tzinfo=UTC),
                    language="en")  # fmt: skip
    return process_report(report)


def test_seed_attribution_lines(seed: ReportAnalysis) -> None:
    """seed-expected.md, "Attribution and hedging": one line per claim."""
    by = {c.text[:30]: c for c in seed.claims}

    def claim(prefix: str) -> tuple[str | None, Hedge]:
        c = next(c for t, c in by.items() if t.startswith(prefix))
        return c.attributed_to, c.hedge

    assert claim("According to reports") == ("Unnamed reports", Hedge.HEDGED)
    assert claim("The UK-based Syrian") == ("Syrian Observatory for Human Rights", Hedge.HEDGED)
    assert claim("Authorities indicate") == ("Authorities (Syria)", Hedge.ATTRIBUTED)
    assert claim("The Syrian General Security") == ("General Security Service (Syria)", Hedge.ATTRIBUTED)
    telegram = claim("A Telegram channel")[0]
    assert telegram is not None and "Telegram" in telegram
    assert claim("The Washington Post reported") == ("The Washington Post", Hedge.ATTRIBUTED)
    assert claim("In 2023, Le Monde") == ("Le Monde", Hedge.ATTRIBUTED)
    assert claim("While these discussions") == ("Unnamed reports", Hedge.HEDGED)
    e1 = next(e for e in seed.events if e.event_type == "Battles")
    e2 = next(e for e in seed.events if e.event_type == "Violence against civilians")
    assert e1.attributed_to == "Syrian Observatory for Human Rights" and e1.hedge == Hedge.HEDGED
    assert e1.fatalities_reported_unknown and e1.fatalities is None and e1.detained_low == 2
    assert e2.background and e2.fatalities_low == 1300 and e2.attributed_to == "The Washington Post"
