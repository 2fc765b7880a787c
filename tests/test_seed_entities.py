"""The seed articles' people and places, resolved across both articles (needs ../shared)."""

from __future__ import annotations

import pytest

VARIANT_GROUPS = [
    ("person", {"Mirsijoyev", "Mirziyoyev"}),
    ("person", {"Rakhmon", "Rahman"}),
    ("person", {"Kassym-Jomart Tokayev", "Kasim Comert Tokayev"}),
    ("place", {"Kiev"}),
    ("organisation", {"Vedmosti"}),
]


def _entity_with(resolution, entity_type: str, fragment: str):
    return [
        entity
        for entity in resolution.entities
        if entity.type == entity_type and any(fragment in v.text for v in entity.variants)
    ]


@pytest.mark.parametrize(("entity_type", "fragments"), VARIANT_GROUPS)
def test_each_variant_group_is_one_entity(seed_analysis, entity_type, fragments) -> None:
    _, _, resolution = seed_analysis
    found = {
        e.id for fragment in fragments for e in _entity_with(resolution, entity_type, fragment)
    }
    assert len(found) == 1, (fragments, found)


def test_variant_groups_link_to_the_canonical_spelling(seed_analysis) -> None:
    _, _, resolution = seed_analysis
    canonical = {e.canonical for e in resolution.entities}
    assert {"Shavkat Mirziyoyev", "Emomali Rahmon", "Kassym-Jomart Tokayev", "Kyiv"} <= canonical
    assert "Vedomosti" in canonical


def test_variants_keep_counts_and_outlets(seed_analysis) -> None:
    _, _, resolution = seed_analysis
    [mirziyoyev] = _entity_with(resolution, "person", "Mirziyoyev")
    outlets = {outlet for variant in mirziyoyev.variants for outlet in variant.outlets}
    assert outlets == {"watson", "Business Insider"}
    assert sum(v.count for v in mirziyoyev.variants) >= 3


def test_a_wrong_given_name_is_flagged(seed_analysis) -> None:
    _, _, resolution = seed_analysis
    [lukashenko] = _entity_with(resolution, "person", "Lukashenko")
    assert any("Alexander Lukashenko" in warning for warning in lukashenko.warnings)


def test_roles_carry_their_country(seed_analysis) -> None:
    _, analyses, _ = seed_analysis
    roles = {
        m.canonical: (m.role, m.country)
        for analysis in analyses
        for m in analysis.mentions
        if m.canonical == "Kassym-Jomart Tokayev" and m.role
    }
    role, country = roles["Kassym-Jomart Tokayev"]
    assert country == "KZ" and "President" in role


def test_photographers_are_not_people_of_the_story(seed_analysis) -> None:
    articles, analyses, _ = seed_analysis
    photographers = {
        credit.photographer
        for article in articles
        for credit in article.photo_credits
        if credit.photographer
    }
    people = {m.text for analysis in analyses for m in analysis.mentions if m.type == "person"}
    assert len(photographers) >= 3
    assert not {name for name in people if any(p in name for p in photographers)}
