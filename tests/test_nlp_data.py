"""Integrity tests for the bundled NLP / entity-resolution data files."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycountry
import pytest

ROOT = Path(__file__).parents[1] / "parallax"
DEMONYMS = ROOT / "lexicon" / "data" / "demonyms.tsv"
PLACES_EXTRA = ROOT / "lexicon" / "data" / "places_extra.tsv"
KNOWN_ENTITIES = ROOT / "lexicon" / "data" / "known_entities.json"

# Codes that are not (or no longer) in ISO 3166-1 but are deliberately used:
# historic states and Kosovo's user-assigned code.
HISTORIC_CODES = {"SU", "YU", "CS", "DD", "XK"}
PYCOUNTRY_CODES = {c.alpha_2 for c in pycountry.countries}
VALID_CODES = PYCOUNTRY_CODES | HISTORIC_CODES

PLACE_KINDS = {"country_alias", "constituent", "historic", "region", "partially_recognised"}
ENTITY_TYPES = {"person", "organisation", "place"}
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?(-(0[1-9]|[12]\d|3[01]))?$")
ID_RE = re.compile(r"^kb:[a-z0-9]+(-[a-z0-9]+)*$")


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Countries that must have a current head of state or government in the knowledge base.
MUST_HAVE_LEADER = _codes(
    "AR AU BR CA CN FR DE IN ID IT JP MX RU SA ZA KR TR GB US "
    "AT BE BG HR CY CZ DK EE FI GR HU IE LV LT LU MT NL PL PT RO SK SI ES SE "
    "UA BY MD GE AM AZ KZ UZ KG TJ TM "
    "IL IR PK EG NG KE ET"
)
MUST_HAVE_FOREIGN_MINISTER = _codes(
    "AR AU BR CA CN FR DE IN ID IT JP MX RU SA ZA KR TR GB US "
    "UA BY MD GE AM AZ KZ UZ KG TJ TM EE LV LT"
)
FOREIGN_MINISTER_ROLES = {
    "Foreign Minister",
    "Foreign Secretary",
    "Secretary of State",
    "External Affairs Minister",
    "Secretary of Foreign Affairs",
    "Minister of International Relations and Cooperation",
}


def _split(field: str) -> list[str]:
    return field.split(",") if field else []


def _read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


@cache
def demonym_rows() -> tuple[tuple[str, ...], ...]:
    header, rows = _read_tsv(DEMONYMS)
    assert header == ["alpha2", "country", "adjectives", "demonyms"]
    return tuple(tuple(r) for r in rows)


@cache
def place_rows() -> tuple[tuple[str, ...], ...]:
    header, rows = _read_tsv(PLACES_EXTRA)
    assert header == ["name", "alpha2", "kind"]
    return tuple(tuple(r) for r in rows)


@cache
def knowledge_base() -> dict:
    with KNOWN_ENTITIES.open(encoding="utf-8") as fh:
        return json.load(fh)


def entities() -> list[dict]:
    return knowledge_base()["entities"]


def word_index() -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for code, _country, adjectives, demonyms in demonym_rows():
        for word in _split(adjectives) + _split(demonyms):
            index[word.casefold()].add(code)
    return index


def alias_index(type_: str) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for ent in entities():
        if ent["type"] == type_:
            for label in [ent["name"], *ent["aliases"]]:
                index[label.casefold()].add(ent["id"])
    return index


def find_by_alias(label: str, type_: str | None = None) -> dict:
    hits = [
        e
        for e in entities()
        if (type_ is None or e["type"] == type_)
        and label.casefold() in {a.casefold() for a in [e["name"], *e["aliases"]]}
    ]
    assert len(hits) == 1, f"{label!r}: {[e['id'] for e in hits]}"
    return hits[0]


# ---------------------------------------------------------------- demonyms.tsv


def test_demonyms_file_is_utf8_with_unix_lines():
    raw = DEMONYMS.read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")


def test_demonyms_rows_have_four_clean_columns():
    for row in demonym_rows():
        assert len(row) == 4, row
        _code, country, adjectives, demonyms = row
        assert country and country == country.strip(), row
        for field in (adjectives, demonyms):
            for item in _split(field):
                assert item and item == item.strip(), row
                assert "\t" not in item and '"' not in item, row


def test_demonyms_codes_are_valid_and_unique():
    codes = [row[0] for row in demonym_rows()]
    assert len(codes) == len(set(codes))
    assert set(codes) <= PYCOUNTRY_CODES


def test_every_pycountry_country_has_a_row():
    codes = {row[0] for row in demonym_rows()}
    missing = PYCOUNTRY_CODES - codes
    assert not missing, sorted(missing)


def test_country_names_are_unique():
    names = [row[1].casefold() for row in demonym_rows()]
    assert len(names) == len(set(names))


def test_no_adjective_or_demonym_maps_to_two_countries():
    clashes = {w: sorted(c) for w, c in word_index().items() if len(c) > 1}
    assert not clashes, clashes


def test_no_duplicates_within_a_column():
    for row in demonym_rows():
        for field in row[2:]:
            items = [i.casefold() for i in _split(field)]
            assert len(items) == len(set(items)), row


def test_deliberately_ambiguous_words_are_absent():
    index = word_index()
    for word in ("Korean", "Virgin Islander", "Papuan", "Arab", "English"):
        assert word.casefold() not in index, word


def test_major_countries_have_adjectives_and_demonyms():
    rows = {row[0]: row for row in demonym_rows()}
    for code in MUST_HAVE_LEADER:
        _code, _country, adjectives, demonyms = rows[code]
        assert adjectives and demonyms, code


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Kazakh", "KZ"),
        ("Kazakhstani", "KZ"),
        ("Tajik", "TJ"),
        ("Belarusian", "BY"),
        ("Byelorussian", "BY"),
        ("Uzbek", "UZ"),
        ("Kyrgyz", "KG"),
        ("Turkmen", "TM"),
        ("Azeri", "AZ"),
        ("American", "US"),
        ("U.S.", "US"),
        ("British", "GB"),
        ("Briton", "GB"),
        ("Dutch", "NL"),
        ("Swiss", "CH"),
        ("Filipina", "PH"),
        ("Frenchwoman", "FR"),
        ("Congolese", "CD"),
        ("Guinean", "GN"),
        ("Dominican", "DO"),
        ("South Korean", "KR"),
        ("North Korean", "KP"),
        ("Nigerien", "NE"),
        ("Nigerian", "NG"),
    ],
)
def test_demonym_spot_checks(word, code):
    assert word_index()[word.casefold()] == {code}


def test_news_short_names_are_used():
    names = {row[0]: row[1] for row in demonym_rows()}
    expected = {
        "RU": "Russia",
        "IR": "Iran",
        "SY": "Syria",
        "KR": "South Korea",
        "KP": "North Korea",
        "VN": "Vietnam",
        "LA": "Laos",
        "MD": "Moldova",
        "TZ": "Tanzania",
        "BO": "Bolivia",
        "VE": "Venezuela",
        "CZ": "Czech Republic",
        "TW": "Taiwan",
        "PS": "Palestine",
        "US": "United States",
        "GB": "United Kingdom",
        "TR": "Turkey",
        "CI": "Ivory Coast",
        "CD": "Democratic Republic of the Congo",
        "CG": "Republic of the Congo",
    }
    for code, name in expected.items():
        assert names[code] == name


# ------------------------------------------------------------ places_extra.tsv


def test_places_extra_rows():
    rows = place_rows()
    assert 60 <= len(rows) <= 150
    for row in rows:
        assert len(row) == 3, row
        name, code, kind = row
        assert name and name == name.strip(), row
        assert code in VALID_CODES, row
        assert kind in PLACE_KINDS, row
        if code in HISTORIC_CODES - {"XK"}:
            assert kind == "historic", row


def test_places_extra_names_are_unambiguous():
    targets: dict[str, set[str]] = defaultdict(set)
    for name, code, _kind in place_rows():
        targets[name.casefold()].add(code)
    for code, country, _adj, _dem in demonym_rows():
        targets[country.casefold()].add(code)
    for word, codes in word_index().items():
        targets[word].update(codes)
    clashes = {n: sorted(c) for n, c in targets.items() if len(c) > 1}
    assert not clashes, clashes
    names = [row[0].casefold() for row in place_rows()]
    assert len(names) == len(set(names))


def test_places_extra_spot_checks():
    lookup = {name: code for name, code, _kind in place_rows()}
    assert lookup["Holland"] == "NL"
    assert lookup["Britain"] == "GB"
    assert lookup["Burma"] == "MM"
    assert lookup["Czechia"] == "CZ"
    assert lookup["Türkiye"] == "TR"
    assert lookup["Côte d'Ivoire"] == "CI"
    assert lookup["the Soviet Union"] == "SU"
    assert "Kiev" not in lookup
    assert "Congo" not in lookup


# -------------------------------------------------------- known_entities.json


def test_knowledge_base_header():
    kb = knowledge_base()
    assert set(kb) == {"as_of", "entities"}
    assert DATE_RE.match(kb["as_of"])


def test_entity_shape():
    keys = {"id", "name", "type", "aliases", "roles", "country", "description"}
    role_keys = {"role", "country", "org", "since", "until"}
    for ent in entities():
        assert set(ent) == keys, ent.get("id")
        assert ID_RE.match(ent["id"]), ent["id"]
        assert ent["type"] in ENTITY_TYPES, ent["id"]
        assert isinstance(ent["name"], str) and ent["name"].strip() == ent["name"] != ""
        assert isinstance(ent["description"], str) and ent["description"], ent["id"]
        assert ent["country"] is None or ent["country"] in VALID_CODES, ent["id"]
        assert isinstance(ent["aliases"], list), ent["id"]
        for alias in ent["aliases"]:
            assert isinstance(alias, str) and alias and alias == alias.strip(), ent["id"]
        labels = [a.casefold() for a in [ent["name"], *ent["aliases"]]]
        assert len(labels) == len(set(labels)), ent["id"]
        assert isinstance(ent["roles"], list), ent["id"]
        for role in ent["roles"]:
            assert set(role) == role_keys, ent["id"]
            assert isinstance(role["role"], str) and role["role"], ent["id"]
        if ent["type"] == "place":
            assert ent["country"] in PYCOUNTRY_CODES, ent["id"]


def test_ids_are_unique():
    ids = [e["id"] for e in entities()]
    assert len(ids) == len(set(ids))


def test_roles_are_valid():
    types = {e["id"]: e["type"] for e in entities()}
    for ent in entities():
        for role in ent["roles"]:
            assert role["country"] is None or role["country"] in VALID_CODES, ent["id"]
            if role["org"] is not None:
                assert types.get(role["org"]) == "organisation", (ent["id"], role["org"])
            assert role["country"] is not None or role["org"] is not None, ent["id"]
            assert DATE_RE.match(role["since"]), ent["id"]
            if role["until"] is not None:
                assert DATE_RE.match(role["until"]), ent["id"]
                assert role["until"] >= role["since"], ent["id"]
            assert role["since"][:7] <= knowledge_base()["as_of"], ent["id"]


@pytest.mark.parametrize("type_", sorted(ENTITY_TYPES))
def test_no_alias_shared_within_a_type(type_):
    clashes = {a: sorted(ids) for a, ids in alias_index(type_).items() if len(ids) > 1}
    assert not clashes, clashes


def test_coverage_counts():
    counts: dict[str, int] = defaultdict(int)
    for ent in entities():
        counts[ent["type"]] += 1
    assert counts["person"] >= 150
    assert counts["organisation"] >= 80
    assert counts["place"] >= 30


@pytest.mark.parametrize("code", MUST_HAVE_LEADER)
def test_current_leader_present(code):
    current = [
        e["id"]
        for e in entities()
        if e["type"] == "person"
        for r in e["roles"]
        if r["country"] == code and r["until"] is None
    ]
    assert current, code


@pytest.mark.parametrize("code", MUST_HAVE_FOREIGN_MINISTER)
def test_current_foreign_minister_present(code):
    current = [
        e["id"]
        for e in entities()
        for r in e["roles"]
        if r["country"] == code and r["until"] is None and r["role"] in FOREIGN_MINISTER_ROLES
    ]
    assert len(current) == 1, (code, current)


def test_no_two_current_holders_of_a_national_top_office():
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ent in entities():
        for r in ent["roles"]:
            if r["until"] is None and r["country"] and r["role"] in {"President", "Prime Minister"}:
                holders[(r["country"], r["role"])].append(ent["id"])
    clashes = {k: v for k, v in holders.items() if len(v) > 1}
    assert not clashes, clashes


def test_rahmon_spot_check():
    ent = find_by_alias("Emomali Rakhmon", "person")
    assert ent["country"] == "TJ"
    assert any(
        r["role"] == "President" and r["country"] == "TJ" and r["until"] is None
        for r in ent["roles"]
    )


@pytest.mark.parametrize(
    ("alias", "entity_id"),
    [
        ("Shavkat Mirziyoev", "kb:shavkat-mirziyoyev"),
        ("Qasym-Jomart Toqaev", "kb:kassym-jomart-tokayev"),
        ("Kassym-Zhomart Tokayev", "kb:kassym-jomart-tokayev"),
        ("Sadyr Zhaparov", "kb:sadyr-japarov"),
        ("Aliaksandr Lukashenka", "kb:alexander-lukashenko"),
        ("Volodymyr Zelenskyy", "kb:volodymyr-zelensky"),
        ("Wolodymyr Selenskyj", "kb:volodymyr-zelensky"),
        ("Wladimir Putin", "kb:vladimir-putin"),
        ("AP", "kb:associated-press"),
        ("Agence France-Presse", "kb:afp"),
        ("IAEA", "kb:iaea"),
        ("CSTO", "kb:csto"),
        ("Kiev", "kb:kyiv"),
        ("Alma-Ata", "kb:almaty"),
        ("Nur-Sultan", "kb:astana"),
        ("Ashkhabad", "kb:ashgabat"),
        ("Kishinev", "kb:chisinau"),
    ],
)
def test_alias_spot_checks(alias, entity_id):
    assert find_by_alias(alias)["id"] == entity_id


def test_former_leaders_have_end_dates():
    for entity_id in (
        "kb:angela-merkel",
        "kb:boris-johnson",
        "kb:nursultan-nazarbayev",
        "kb:islam-karimov",
        "kb:joe-biden",
    ):
        ent = next(e for e in entities() if e["id"] == entity_id)
        assert ent["roles"] and all(r["until"] for r in ent["roles"]), entity_id


def test_pool_is_not_an_entity():
    for label in ("pool", "pool photo"):
        assert not any(
            label in {a.casefold() for a in [e["name"], *e["aliases"]]} for e in entities()
        )


def test_stop_words_are_read_without_loading_spacy() -> None:
    """Cleaning reads spaCy's stop-word lists in every worker process: read from their
    files, not by importing spaCy and its language packages (1.7 s for French alone)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from parallax.text.words import stop_words\n"
        "french, english, unknown = stop_words('fr'), stop_words(), stop_words('zz')\n"
        "assert 'que' in french and 'the' in french and 'que' not in english\n"
        "assert unknown == english and 'the' in english\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_word_alternation_finds_what_the_plain_alternation_finds() -> None:
    from parallax.text.words import word_alternation

    alternatives = ["apps?", "follow(?:ers?)? (?:us|on)", "e-?mail alerts?", "ios", "@\\w+"]
    fast = word_alternation(alternatives)
    plain = re.compile(rf"\b(?:{'|'.join(alternatives)})\b", re.IGNORECASE)
    texts = [
        "Download our APP, follow us on Instagram, get E-mail alerts on iOS.",
        "Followers on the happening; a cameo in Lagos; apps galore; @parallax",
        "Nothing here opens with those letters.",
    ]
    for text in texts:
        assert fast.findall(text) == plain.findall(text)
    assert fast.findall(texts[0]) == ["APP", "follow us", "E-mail alerts", "iOS"]
    with pytest.raises(ValueError):
        word_alternation(["(?:a|b)c"])
