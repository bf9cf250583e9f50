"""Country codes and ACLED regions, from the shipped ``data/countries.tsv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    name: str
    acled_region: str


@cache
def _countries() -> dict[str, Country]:
    text = resources.files("eventwatch.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    index: dict[str, Country] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        country = Country(row["iso2"], row["iso3"], int(row["numeric"]), row["name"], row["acled_region"])
        for key in (country.iso2, country.iso3, country.name):
            index[key.casefold()] = country
    return index


def lookup_country(code_or_name: str | None) -> Country | None:
    """Find a country by ISO alpha-2, alpha-3 or English short name (case-insensitive)."""
    if not code_or_name:
        return None
    return _countries().get(code_or_name.strip().casefold())


def country_names() -> list[str]:
    """Every country's name in ``data/countries.tsv``."""
    return sorted({c.name for c in _countries().values()})
