"""Plausible names per region for demo data, from ``resources/demo/names.json``."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from regional_centre.enums import Gender
from regional_centre.paths import resources_dir

# Where each centre's demo data lives.
CENTRE_REGIONS = {
    "BCRC-NG": "africa",
    "BCRC-SN": "africa",
    "BCRC-ZA": "africa",
    "BCRC-EG": "arab_states",
    "BCRC-CN": "asia_pacific",
    "BCRC-ID": "asia_pacific",
    "BCRC-IR": "asia_pacific",
    "BCRC-SPREP": "asia_pacific",
    "BCRC-RU": "cis",
    "BCRC-SK": "central_eastern_europe",
    "BCRC-UY": "latin_america_caribbean",
    "BCRC-AR": "latin_america_caribbean",
    "BCRC-TT": "latin_america_caribbean",
    "BCRC-CAM": "latin_america_caribbean",
}

REGION_LANGUAGES = {
    "africa": ("en", "fr"),
    "arab_states": ("ar", "en", "fr"),
    "asia_pacific": ("en", "zh"),
    "cis": ("ru",),
    "central_eastern_europe": ("en", "ru"),
    "latin_america_caribbean": ("es", "en"),
}


@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    gender: Gender


class Vocabulary:
    """Names, places and phrases to draw demo records from."""

    def __init__(self, rng: random.Random, regions: list[str] | None = None) -> None:
        data: dict[str, Any] = json.loads(
            (resources_dir() / "demo" / "names.json").read_text(encoding="utf-8")
        )
        self._data = data
        self._rng = rng
        self.regions = regions or list(data["regions"])

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    @cached_property
    def countries(self) -> list[tuple[str, str]]:
        """(region, country) pairs of the regions in use."""
        return [(r, c) for r in self.regions for c in self._data["regions"][r]["countries"]]

    def place(self) -> tuple[str, str, str]:
        """A region, a country of it and a city there."""
        region, country = self._rng.choice(self.countries)
        city = self._rng.choice(self._data["regions"][region]["cities"][country])
        return region, country, city

    def person(self, region: str) -> Person:
        """A person with a name usual in ``region``."""
        rng = self._rng
        names = self._data["regions"][region]
        roll = rng.random()
        gender = (
            Gender.FEMALE if roll < 0.46 else Gender.MALE if roll < 0.985 else Gender.UNDISCLOSED
        )
        given = rng.choice(names["given_names"]["female" if gender == Gender.FEMALE else "male"])
        index = rng.randrange(len(names["family_names"]))
        family = names["family_names"][index]
        if gender == Gender.FEMALE and "family_names_female" in names:
            family = names["family_names_female"][index]
        return Person(given, family, gender)

    def company(self, region: str, country: str, city: str, sector_section: str) -> str:
        """A company name as seen in ``country``."""
        rng = self._rng
        names = self._data["regions"][region]
        sector = rng.choice(self._data["sector_words"].get(sector_section, ["Industries"]))
        style = rng.random()
        if style < 0.35:
            core = f"{rng.choice(names['company_words'])} {sector}"
        elif style < 0.65:
            core = f"{rng.choice(names['family_names'])} {sector}"
        elif style < 0.85:
            core = f"{city} {sector}"
        else:
            core = f"{rng.choice(names['company_words'])} {rng.choice(names['company_words'])}"
        prefixes = self._data["company_prefixes"].get(country)
        if prefixes and rng.random() < 0.8:
            core = f"{rng.choice(prefixes)} {core}"
        suffixes = self._data["company_suffixes"].get(country)
        if suffixes and rng.random() < 0.8:
            core = f"{core} {rng.choice(suffixes)}"
        return core

    def pattern(self, patterns: list[str], country: str, city: str, sector: str) -> str:
        """Fill one of ``patterns`` (association or foundation names)."""
        return self._rng.choice(patterns).format(
            country_adj=self._data["country_adjectives"].get(country, country),
            city=city,
            sector=sector,
            family_name=self._rng.choice(self._data["regions"][self.regions[0]]["family_names"]),
        )
