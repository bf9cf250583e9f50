"""Realistic report texts for the watch tests: each one a distinct incident (its own town and day), in the wire
style extraction reads, so every report the watcher takes in should open one incident and fire one alert."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

TOWNS = [
    ("Saraqib", "Idlib"),
    ("Ariha", "Idlib"),
    ("Manbij", "Aleppo"),
    ("Azaz", "Aleppo"),
    ("Talbiseh", "Homs"),
    ("Rastan", "Homs"),
    ("Tafas", "Daraa"),
    ("Nawa", "Daraa"),
    ("Jableh", "Latakia"),
    ("Baniyas", "Tartus"),
    ("Mayadin", "Deir ez-Zor"),
    ("Tabqa", "Raqqa"),
    ("Qamishli", "Hasakah"),
    ("Salamiyah", "Hama"),
    ("Douma", "Rural Damascus"),
]
TEMPLATES = [
    "Government artillery shelled {town}, in {admin1} province, on {day}, killing {n} civilians, "
    "the Syrian Observatory for Human Rights said.",
    "Clashes broke out in {town}, in the countryside of {admin1}, on {day} between government forces and "
    "gunmen; {n} fighters were killed, SOHR reported.",
    "A drone strike hit a vehicle near {town} in {admin1} on {day}, killing {n} people, local sources said.",
]
START = date(2025, 1, 6)


def report(i: int) -> tuple[str, datetime]:
    """The i-th report's text and publication time: town i mod 15, one day apart, so no two share an incident."""
    town, admin1 = TOWNS[i % len(TOWNS)]
    day = START + timedelta(days=2 * i)
    text = TEMPLATES[i % len(TEMPLATES)].format(town=town, admin1=admin1, day=f"{day.day} {day:%B %Y}", n=2 + i % 9)
    return text, datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20)
