"""Countries from the words news text uses for them: names, aliases, adjectives, demonyms.

The bundled tables (``data/demonyms.tsv``, ``data/places_extra.tsv``) and
pycountry are read once; lookups ignore case and a leading "the" so that
"Kazakh", "kazakh" and "the Netherlands" all resolve.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from parallax.text.words import name_key

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CountryTables:
    words: dict[str, str]
    names: dict[str, str]
    short_names: dict[str, str]


def _key(text: str) -> str:
    return name_key(text)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@lru_cache(maxsize=1)
def _tables() -> CountryTables:
    words: dict[str, str] = {}
    names: dict[str, str] = {}
    short_names: dict[str, str] = {}
    for country in pycountry.countries:
        short_names[country.alpha_2] = getattr(country, "common_name", country.name)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(_key(value), country.alpha_2)
    # The table's names are the ones newsrooms use ("Russia", not "Russian Federation"),
    # so they win over pycountry's for both directions.
    for row in _rows("demonyms.tsv"):
        code = row["alpha2"]
        short_names[code] = row["country"]
        names[_key(row["country"])] = code
        for word in (row["adjectives"] + "," + row["demonyms"]).split(","):
            if word.strip():
                words.setdefault(_key(word), code)
    for row in _rows("places_extra.tsv"):
        if row["kind"] in ("country_alias", "historic", "partially_recognised"):
            names.setdefault(_key(row["name"]), row["alpha2"])
        if row["kind"] in ("historic", "partially_recognised"):
            # States pycountry does not list ("SU"): named by their first row, not the code.
            short_names.setdefault(row["alpha2"], row["name"])
    return CountryTables(words=words, names=names, short_names=short_names)


def country_from_word(word: str) -> str | None:
    """The alpha-2 code a nationality adjective or demonym stands for ("Kazakh" -> "KZ")."""
    return _tables().words.get(_key(word))


def country_from_name(name: str) -> str | None:
    """The alpha-2 code of a country named by its name, common name or an alias."""
    return _tables().names.get(_key(name))


def country_name(alpha2: str) -> str:
    """The short name news text uses for a country ("RU" -> "Russia"); the code if unknown."""
    return _tables().short_names.get(alpha2.upper(), alpha2)
