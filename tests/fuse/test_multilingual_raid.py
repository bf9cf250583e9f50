"""One raid told by outlets in three languages, extracted and fused end to end: one incident, in the right town,
and the sources' different namings of the state forces are not a contradiction."""

from __future__ import annotations

from datetime import UTC, datetime

from eventwatch.fuse import cluster
from eventwatch.fuse.text import CachedEmbedder
from eventwatch.model import Report
from eventwatch.pipeline import process_report

REPORTS = [
    (
        "en",
        "Syrian security forces clash with French jihadists in Idlib camp\n\nSyrian government security forces "
        "clashed overnight with French jihadists at a camp in the town of Harem in Idlib province, a war monitor "
        "said on Wednesday. The Syrian Observatory for Human Rights said at least two fighters were detained "
        "during the raid on the camp run by Omar Omsen. Both sides suffered casualties.",
    ),
    (
        "fr",
        "Syrie : affrontements entre les forces de sécurité et des jihadistes français à Harem\n\nDes affrontements "
        "ont éclaté dans la nuit de mardi à mercredi à Harem, dans la province d'Idleb, lorsque les forces de la "
        "Sécurité générale syrienne ont lancé un assaut contre le « camp des Français » dirigé par Omar Omsen, a "
        "rapporté l'Observatoire syrien des droits de l'homme (OSDH). Au moins deux combattants ont été arrêtés, "
        "selon l'ONG.",
    ),
    (
        "ar",
        "اشتباكات بين الأمن العام ومقاتلين فرنسيين في حارم بريف إدلب\n\nاندلعت اشتباكات عنيفة ليل الثلاثاء بين قوات "
        "الأمن العام السوري ومقاتلين أجانب في ما يعرف بمخيم الفرنسيين في مدينة حارم بريف إدلب الغربي، وفق ما أفاد "
        "المرصد السوري لحقوق الإنسان. وأضاف المرصد أن قوات الأمن اعتقلت اثنين على الأقل من المقاتلين.",
    ),
]


def test_raid_in_three_languages_is_one_incident_in_harem(embedder: CachedEmbedder) -> None:
    reports = [
        Report(text=text, language=lang, published_at=datetime(2025, 10, 22, 10 + k, tzinfo=UTC), source=f"outlet-{k}")
        for k, (lang, text) in enumerate(REPORTS)
    ]
    events = [e for r in reports for e in process_report(r).events if not e.background]
    # "ليل الثلاثاء" is Tuesday night, not Lille: a common Arabic word is no foreign city without a cue.
    assert {e.location for e in events} == {"Harim"}
    incidents = cluster(events, {r.id: r for r in reports}, embedder=embedder)
    assert len(incidents) == 1
    (raid,) = incidents
    assert len(raid.report_ids) == 3 and raid.country == "Syria"
    assert not [c for c in raid.contradictions if c["field"] == "actors"]  # the army and its security service
