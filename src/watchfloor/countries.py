"""ISO 3166-1 country codes: validation and names.

The table ships with the package (``data/iso3166.tsv``, derived from GeoNames,
CC-BY 4.0), so it works offline and needs no optional dependency.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from watchfloor.errors import SourceError


@dataclass(frozen=True, slots=True)
class Country:
    iso: str
    iso3: str
    fips: str
    name: str
    capital: str
    continent: str
    neighbours: tuple[str, ...]


@cache
def countries() -> dict[str, Country]:
    """Every ISO 3166-1 alpha-2 code (plus XK, Kosovo's user-assigned code)."""
    text = resources.files("watchfloor").joinpath("data/iso3166.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    table: dict[str, Country] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        table[row["iso"]] = Country(
            iso=row["iso"],
            iso3=row["iso3"],
            fips=row["fips"],
            name=row["name"],
            capital=row["capital"],
            continent=row["continent"],
            neighbours=tuple(n for n in row["neighbours"].split(",") if n),
        )
    return table


def validate_country(code: str) -> str:
    """Return the upper-cased ISO 3166-1 alpha-2 code, or raise SourceError."""
    value = code.strip().upper()
    if value not in countries():
        hint = ""
        by_name = {c.name.lower(): c.iso for c in countries().values()}
        if code.strip().lower() in by_name:
            hint = f" (did you mean {by_name[code.strip().lower()]}?)"
        raise SourceError(
            f"{code!r} is not an ISO 3166-1 alpha-2 country code{hint}: use two letters, "
            "e.g. MN for Mongolia"
        )
    return value


def country_name(code: str) -> str:
    """The English short name of a country code, or the code itself if unknown."""
    found = countries().get(code.upper())
    return found.name if found else code
