"""Towns and cities of the world by name, with their population (GeoNames, CC BY 4.0;
``data/world_places.tsv.gz``, built by ``benchmarks/build_places.py``): whether a name
is a known place, and how large. Read once. And the words that make a name a natural
feature's or a street's, for the analysis (typing) and the resolution (short forms)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from parallax.lexicon.roles import word_set

# Words that end the name of a natural feature ("North Anatolian Fault", "Colca Canyon")
# or, in a two-word name, begin it ("Mount Ararat"), whatever the model tagged it.
FEATURE_NAME_ENDS = word_set(
    "River Sea Ocean Lake Bay Gulf Strait Canyon Valley Mountains Hills Desert Peninsula "
    "Island Islands Fault Glacier Volcano Delta Basin Plateau Falls Range Coast "
    # and of a street or square ("Snyder Ave", "Red Square"): a place, never a person.
    "Street St. Avenue Ave Ave. Road Rd. Boulevard Blvd Blvd. Lane Highway Square"
)
FEATURE_NAME_STARTS = word_set("Mount Mt. Lake Cape")

PLACES_FILE = Path(__file__).parent / "data" / "world_places.tsv.gz"


@lru_cache(maxsize=1)
def _populations() -> dict[str, int]:
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
        rows = (line.rstrip("\n").split("\t") for line in handle if not line.startswith("#"))
        return {name: int(count) for name, count in rows}


def place_population(name: str) -> int:
    """The population of the largest town or city called exactly ``name`` (a US state
    counts a million), or 0 when none is known."""
    return _populations().get(name, 0)
