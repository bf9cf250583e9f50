"""Multi-report scenarios as wire copy (en/fr/ar): reports and events with real spans, no extraction engine."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from eventwatch.model import Event, Hedge, Report, Span

SOHR = "Syrian Observatory for Human Rights"
GOV = "Military Forces of Syria (2024-)"


def report(text: str, source: str, published: datetime, language: str = "en") -> Report:
    return Report(text=text, source=source, published_at=published, language=language, source_format="text")


def span(r: Report, fragment: str) -> Span:
    start = r.text.index(fragment)
    return Span(r.id, start, start + len(fragment))


def event(
    r: Report,
    *,
    anchor: str,
    event_type: str = "Battles",
    sub_event_type: str = "Armed clash",
    day: date,
    end: date | None = None,
    spans: dict[str, str] | None = None,
    hedge: Hedge = Hedge.CONFIRMED,
    **fields: Any,
) -> Event:
    """An event of report ``r``: ``anchor`` is the sentence stating it; ``spans`` maps fields to evidence text."""
    e = Event(
        report_id=r.id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=day,
        event_date_end=end,
        time_precision=fields.pop("time_precision", 1),
        source=fields.pop("source", r.source),
        notes=fields.pop("notes", span(r, anchor).of(r.text)),
        hedge=hedge,
        spans={"event_type": [span(r, anchor)], **{k: [span(r, v)] for k, v in (spans or {}).items()}},
        **fields,
    )
    return e


def at(day: int, hour: int = 9, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


HAREM = {"location": "Harem", "admin1": "Idlib", "country": "Syria", "iso": "SY", "geo_precision": 1}
HAREM_LL = {"latitude": 36.2076, "longitude": 36.5197}
GHURABAA = "Firqat al-Ghurabaa"


def harem_clash() -> tuple[list[Report], list[Event]]:
    sohr = report(
        "Violent clashes erupted overnight between government forces and members of Firqat al-Ghurabaa, a faction of "
        "French jihadists led by Omar Omsen, at their camp near Harem in the western countryside of Idlib. SOHR "
        "activists documented the death of three members of the faction, while the fate of others remains unknown.",
        "Syrian Observatory for Human Rights",
        at(22, 6),
    )
    afp = report(
        "DAMASCUS (AFP) - Syrian security forces clashed with French jihadists holed up in a camp in Idlib province "
        "overnight, killing at least three of them, according to the Syrian Observatory for Human Rights. The "
        "Britain-based monitor said the fighting near the town of Harem began after forces surrounded the camp.",
        "Agence France-Presse",
        at(22, 11),
    )
    reuters = report(
        "Syrian government forces fought overnight with a group of French-speaking foreign fighters near Harem, in "
        "Idlib province, a security official told Reuters, adding that at least two militants were killed and "
        "that the camp of the group, known as Firqat al-Ghurabaa, was now encircled.",
        "Reuters",
        at(22, 13),
    )
    post = report(
        "🔴 #Idlib : violents affrontements cette nuit à Harem entre les forces gouvernementales et les jihadistes "
        "français de Firqat al-Ghurabaa (Omar Omsen), selon l'OSDH. Au moins 3 morts dans les rangs du groupe.",
        "Syria News (@SyriaNewsFr)",
        at(22, 14),
        "fr",
    )
    d = date(2025, 10, 21)
    common = {**HAREM, **HAREM_LL, "actor1": GOV, "actor2": GHURABAA, "day": d}
    events = [
        event(
            sohr,
            anchor="Violent clashes erupted overnight between government forces and members of Firqat al-Ghurabaa",
            spans={"fatalities": "the death of three members", "location": "Harem"},
            fatalities_best=3,
            **common,
        ),
        event(
            afp,
            anchor="Syrian security forces clashed with French jihadists holed up in a camp in Idlib province",
            spans={"fatalities": "killing at least three of them", "location": "Harem"},
            fatalities_low=3,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            **{**common, "actor2": "Firqat al Ghurabaa"},
        ),
        event(
            reuters,
            anchor="Syrian government forces fought overnight with a group of French-speaking foreign fighters",
            spans={"fatalities": "at least two militants were killed", "location": "Harem"},
            fatalities_low=2,
            attributed_to="Authorities (Syria)",
            hedge=Hedge.ATTRIBUTED,
            **common,
        ),
        event(
            post,
            anchor="violents affrontements cette nuit à Harem entre les forces gouvernementales",
            spans={"fatalities": "Au moins 3 morts", "location": "Harem"},
            fatalities_low=3,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            **{**common, "actor2": "Firqat al-Ghurabâ"},
        ),
    ]
    return [sohr, afp, reuters, post], events


def by_id(reports: list[Report]) -> dict[str, Report]:
    return {r.id: r for r in reports}


COAST = {"country": "Syria", "iso": "SY", "event_type": "Violence against civilians", "sub_event_type": "Attack"}
REGION = {"location": "Syrian coast", "geo_precision": 3, "latitude": 35.25, "longitude": 35.93}


def coast_week() -> tuple[list[Report], list[Event]]:
    """Running tolls 340 → 1,225 → 1,383 → 1,500 with daily and per-province figures, en/fr/ar."""
    start = date(2025, 3, 6)
    r1 = report(
        "The death toll from three days of violence on Syria's coast rose to 340 civilians, most of them Alawites, "
        "killed in field executions by security forces and allied groups since March 6, the Syrian Observatory "
        "for Human Rights said on Saturday. On Friday alone, 162 civilians were killed in the town of Baniyas.",
        "Syrian Observatory for Human Rights",
        at(8, 10, 3),
    )
    r2 = report(
        "Le bilan des violences sur la côte syrienne s'est alourdi à 1 225 morts depuis le 6 mars, dont 973 civils, "
        "selon l'Observatoire syrien des droits de l'homme (OSDH). Dans la seule province de Lattaquié, au moins "
        "480 personnes ont été tuées depuis jeudi, selon l'ONG.",
        "Agence France-Presse",
        at(10, 12, 3),
        "fr",
    )
    r3 = report(
        "ارتفعت حصيلة الضحايا في الساحل السوري إلى 1383 مدنياً منذ السادس من آذار، وفق ما أفاد المرصد السوري لحقوق "
        "الإنسان، بينهم 350 في محافظة طرطوس.",
        "Al Jazeera",
        at(11, 18, 3),
        "ar",
    )
    r4 = report(
        "At least 1,500 people, most of them civilians, have been killed in a week of violence in Syria's coastal "
        "region that began on March 6, the Syrian Observatory for Human Rights said on Thursday.",
        "Reuters",
        at(13, 16, 3),
    )
    toll = {"fatalities_cumulative": True, "day": start}
    actors = {"actor1": GOV, "actor2": "Civilians (Syria)"}
    events = [
        event(
            r1,
            anchor="The death toll from three days of violence on Syria's coast rose to 340 civilians",
            spans={"fatalities": "rose to 340 civilians"},
            end=date(2025, 3, 8),
            fatalities_best=340,
            **toll,
            **COAST,
            **REGION,
            **actors,
        ),
        event(
            r1,
            anchor="On Friday alone, 162 civilians were killed in the town of Baniyas.",
            spans={"fatalities": "162 civilians were killed"},
            day=date(2025, 3, 7),
            fatalities_best=162,
            location="Baniyas",
            geo_precision=1,
            latitude=35.1822,
            longitude=35.9403,
            **COAST,
            **actors,
        ),
        event(
            r2,
            anchor="Le bilan des violences sur la côte syrienne s'est alourdi à 1 225 morts depuis le 6 mars",
            spans={"fatalities": "1 225 morts"},
            end=date(2025, 3, 10),
            fatalities_best=1225,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            **toll,
            **COAST,
            **REGION,
            **actors,
        ),
        event(
            r2,
            anchor="Dans la seule province de Lattaquié, au moins 480 personnes ont été tuées depuis jeudi",
            spans={"fatalities": "au moins 480 personnes"},
            day=start,
            end=date(2025, 3, 10),
            fatalities_low=480,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            location="Latakia",
            admin1="Latakia",
            geo_precision=3,
            latitude=35.5317,
            longitude=35.7901,
            **COAST,
            **actors,
        ),
        event(
            r3,
            anchor="ارتفعت حصيلة الضحايا في الساحل السوري إلى 1383 مدنياً منذ السادس من آذار",
            spans={"fatalities": "1383 مدنياً"},
            end=date(2025, 3, 11),
            fatalities_best=1383,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            **toll,
            **COAST,
            **REGION,
            **actors,
        ),
        event(
            r3,
            anchor="بينهم 350 في محافظة طرطوس",
            spans={"fatalities": "350"},
            day=start,
            end=date(2025, 3, 11),
            fatalities_best=350,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            location="Tartus",
            admin1="Tartus",
            geo_precision=3,
            latitude=34.8890,
            longitude=35.8866,
            **COAST,
            **actors,
        ),
        event(
            r4,
            anchor="At least 1,500 people, most of them civilians, have been killed in a week of violence",
            spans={"fatalities": "At least 1,500 people"},
            end=date(2025, 3, 13),
            fatalities_low=1500,
            attributed_to=SOHR,
            hedge=Hedge.ATTRIBUTED,
            **toll,
            **COAST,
            **REGION,
            **actors,
        ),
    ]
    return [r1, r2, r3, r4], events


def hospital_strike() -> tuple[list[Report], list[Event]]:
    d = date(2025, 1, 24)
    place = {
        "location": "El Fasher",
        "admin1": "North Darfur",
        "country": "Sudan",
        "iso": "SD",
        "geo_precision": 1,
        "latitude": 13.6279,
        "longitude": 25.3494,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "day": d,
    }
    who = report(
        "A drone attack on the Saudi Teaching Maternal Hospital in El Fasher on Friday killed 70 patients and "
        "companions and injured 19 others, World Health Organization chief Tedros Adhanom Ghebreyesus said.",
        "Reuters",
        at(26, 8, 1),
    )
    doctors = report(
        "أدانت شبكة أطباء السودان استهداف قوات الدعم السريع بطائرة مسيرة المستشفى السعودي في الفاشر يوم الجمعة، ما "
        "أسفر عن مقتل 67 شخصاً على الأقل بينهم مرضى ومرافقون.",
        "Sudan Doctors Network",
        at(25, 9, 1),
        "ar",
    )
    denial = report(
        "نفت قوات الدعم السريع في بيان مسؤوليتها عن قصف المستشفى السعودي في الفاشر، واتهمت الجيش بتلفيق الاتهامات.",
        "Al Jazeera",
        at(25, 20, 1),
        "ar",
    )
    rsf = "Rapid Support Forces"
    events = [
        event(
            who,
            anchor="A drone attack on the Saudi Teaching Maternal Hospital in El Fasher on Friday killed 70 patients",
            spans={"fatalities": "killed 70 patients"},
            fatalities_best=70,
            injured_best=19,
            attributed_to="World Health Organization",
            hedge=Hedge.ATTRIBUTED,
            actor2="Civilians (Sudan)",
            **place,
        ),
        event(
            doctors,
            anchor="استهداف قوات الدعم السريع بطائرة مسيرة المستشفى السعودي في الفاشر",
            spans={"fatalities": "مقتل 67 شخصاً على الأقل", "actor1": "قوات الدعم السريع"},
            fatalities_low=67,
            actor1=rsf,
            actor2="Civilians (Sudan)",
            **place,
        ),
        event(
            denial,
            anchor="نفت قوات الدعم السريع في بيان مسؤوليتها عن قصف المستشفى السعودي في الفاشر",
            attributed_to=rsf,
            hedge=Hedge.DENIED,
            actor1=rsf,
            **place,
        ),
    ]
    return [who, doctors, denial], events


def neighbouring_clashes() -> tuple[list[Report], list[Event]]:
    d = date(2025, 2, 3)
    kivu = {"admin1": "Nord-Kivu", "country": "Democratic Republic of Congo", "iso": "CD", "geo_precision": 1}
    sake = {**kivu, "location": "Sake", "latitude": -1.5736, "longitude": 29.0450, "day": d}
    minova = {**kivu, "location": "Minova", "latitude": -1.7017, "longitude": 29.0136, "day": d}
    m23, fardc = "M23: March 23 Movement", "Military Forces of the Democratic Republic of Congo (2019-)"
    wazalendo, fdlr = "Wazalendo", "FDLR: Democratic Forces for the Liberation of Rwanda"
    a1 = report(
        "Des combats ont opposé lundi les rebelles du M23 aux Forces armées de la RDC (FARDC) à Sake, à une "
        "vingtaine de kilomètres de Goma, selon des sources locales. Au moins quatre militaires ont été tués.",
        "Radio Okapi",
        at(3, 18, 2),
        "fr",
    )
    a2 = report(
        "M23 rebels and Congolese troops fought on Monday in Sake, west of Goma, residents said, as the rebels "
        "pushed towards the South Kivu border.",
        "Reuters",
        at(3, 20, 2),
    )
    b1 = report(
        "À Minova, des miliciens Wazalendo ont affronté lundi des combattants des FDLR pour le contrôle du marché, "
        "a indiqué un responsable de la société civile locale. Le bilan reste inconnu.",
        "Actualite.cd",
        at(3, 19, 2),
        "fr",
    )
    b2 = report(
        "Clashes broke out on Monday in Minova between Wazalendo militiamen and FDLR fighters over control of the "
        "town's market, a civil society leader told AFP.",
        "Agence France-Presse",
        at(4, 7, 2),
    )
    events = [
        event(a1, anchor="Des combats ont opposé lundi les rebelles du M23 aux Forces armées de la RDC (FARDC) à Sake",
              spans={"fatalities": "Au moins quatre militaires"}, fatalities_low=4, actor1=m23, actor2=fardc,
              attributed_to="Local sources (unnamed)", hedge=Hedge.HEDGED, **sake),
        event(a2, anchor="M23 rebels and Congolese troops fought on Monday in Sake", actor1=m23, actor2=fardc,
              attributed_to="Local sources (unnamed)", hedge=Hedge.HEDGED, **sake),
        event(b1, anchor="des miliciens Wazalendo ont affronté lundi des combattants des FDLR",
              spans={"fatalities": "Le bilan reste inconnu"}, fatalities_reported_unknown=True,
              actor1=wazalendo, actor2=fdlr, **minova),
        event(b2, anchor="Clashes broke out on Monday in Minova between Wazalendo militiamen and FDLR fighters",
              actor1=wazalendo, actor2=fdlr, **minova),
    ]  # fmt: skip
    return [a1, a2, b1, b2], events


def all_scenarios() -> tuple[list[Report], list[Event]]:
    reports: list[Report] = []
    events: list[Event] = []
    for make in (harem_clash, coast_week, hospital_strike, neighbouring_clashes):
        r, e = make()
        reports += r
        events += e
    return reports, events
