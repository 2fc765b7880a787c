"""Differences that are real (issue 26): which two forms of one person's name are mere
variants, and when another given name is a slip rather than another person.

Names of public figures appear only as names; the articles and roles are invented.
"""

from __future__ import annotations

import pytest

from parallax.lexicon.knowledge import KnownEntity, KnownRole, build_knowledge_base
from parallax.lexicon.names import (
    given_names_alike,
    given_names_differ,
    person_owners,
    spelling_variant,
)
from parallax.model import ArticleAnalysis, Mention
from parallax.resolve import load_knowledge_base, resolve_entities

VARIANTS = [
    ("John A. Boehner", "John Boehner", "middle initial"),
    ("Neil Gorsuch", "Neil M. Gorsuch", "middle initial"),
    ("George Walker Bush", "George Bush", "middle name"),
    ("Roberton Williams", "Williams", "short form"),
    ("Tara", "Tara Reid", "short form"),
    ("J. Boehner", "John Boehner", "short form"),
    ("Ursula Leyen", "Ursula von der Leyen", "short form"),
    ("Jim Jordan", "Representatives Jim Jordan", "title"),
    ("Sen. Ted Cruz", "Ted Cruz", "title"),
    ("U.S. Rep. Jim Jordan", "Jim Jordan", "title"),
    ("Supreme Court Justice Neil Gorsuch", "Neil Gorsuch", "title"),
    ("President Biden", "Joe Biden", "title, short form"),
    ("Sen. John A. Boehner", "Boehner", "title, short form"),
    ("Sönmez", "Sonmez", "accents or case"),
    ("Erkan Sönmez", "ERKAN SONMEZ", "accents or case"),
    ("O'Neill", "ONeill", "accents or case"),
    ("Kassym-Jomart Tokayev", "Kassym Jomart Tokayev", "accents or case"),
    ("Martin Luther King Jr.", "Martin Luther King", "suffix"),
    ("Robert Smith III", "Robert Smith", "suffix"),
    ("Bill Clinton", "William Clinton", "nickname"),
    ("Steve Bannon", "Stephen Bannon", "nickname"),
    ("William Jefferson Clinton", "Bill Clinton", "nickname, middle name"),
    ("Ted Cruz", "Ted Cruz", "identical"),
]

SPELLING_DIFFERENCES = [
    ("Mirziyoyev", "Mirziyoev"),
    ("Shavkat Mirziyoyev", "Shavkat Mirziyoev"),
    ("Tokayev", "Tokaev"),
    ("Rakhmon", "Rahmon"),
    ("Emomali Rakhmon", "Emomali Rahmon"),
    ("Kassym-Jomart Tokayev", "Kasim Comert Tokayev"),
    ("Orhan Sönmez", "Erkan Sönmez"),
    ("J. Boehner", "R. Boehner"),
    ("Steven Bannon", "Stephen Bannon"),
    # Father and son: a different suffix on each side is no variant.
    ("John Smith Jr.", "John Smith Sr."),
    # A lone word that is neither the surname nor the first given name.
    ("Jong", "Kim Jong Un"),
]


@pytest.mark.parametrize(("a", "b", "reason"), VARIANTS)
def test_variants_of_one_name_say_why(a: str, b: str, reason: str) -> None:
    assert spelling_variant(a, b) == reason
    assert spelling_variant(b, a) == reason


@pytest.mark.parametrize(("a", "b"), [("Mr.", "Dr."), ("Sen.", "Sgt. Smith"), ("---", "Ann Lee")])
def test_a_form_with_no_name_left_is_no_variant(a: str, b: str) -> None:
    # A title alone leaves no name once tokenised: seen on real reports ("Officer",
    # "Mr."), it once stopped every comparison of a store (issue 29).
    assert spelling_variant(a, b) is None and spelling_variant(b, a) is None


@pytest.mark.parametrize(("a", "b"), SPELLING_DIFFERENCES)
def test_a_name_part_spelled_otherwise_is_no_variant(a: str, b: str) -> None:
    assert spelling_variant(a, b) is None
    assert spelling_variant(b, a) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Orhan Sönmez", "Erkan Sönmez"),
        ("Rita Huamani", "Rosa Huamani"),
        ("Aino Lehtinen", "Anni Lehtinen"),
        ("Rustem Umerov", "Rustam Umerov"),
        ("Sergei Bondar", "Serhiy Bondar"),
        ("Bill Hakim", "William Hakim"),
        ("J. Boehner", "John A. Boehner"),
        # Familiar forms from the curated list, and a middle name someone goes by.
        ("Tim Kaine", "Timothy M. Kaine"),
        ("Geoff Garin", "Geoffrey Garin"),
        ("Pat Leahy", "Michael Patrick Leahy"),
    ],
)
def test_a_slip_of_the_given_name_is_alike(a: str, b: str) -> None:
    assert given_names_alike(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Saddam Hussein", "Abdullah II bin Al-Hussein"),
        ("Peter Keating", "Frank Keating"),
        ("Hillary Clinton", "Bill Clinton"),
        ("Viktor Lukashenko", "Alexander Lukashenko"),
        # Rhymes keep most letters but not the first sound.
        ("Chris Johnson", "Boris Johnson"),
        ("Jim Jordan", "Tim Jordan"),
        ("R. Boehner", "John Boehner"),
        # A middle initial is no given name: "Jim" is not the "J." of William J.
        ("Jim Bennett", "William J. Bennett"),
        ("Sarah Brady", "James S. Brady"),
        # Folded, these come within a slip ("uman" / "imran"); as written they do not.
        ("Humayun Khan", "Imran Khan"),
        ("Martha Clark", "Murray Clark"),
        # A surname alone says nothing about given names.
        ("Keating", "Frank Keating"),
    ],
)
def test_another_persons_given_name_is_not_alike(a: str, b: str) -> None:
    assert not given_names_alike(a, b)


@pytest.fixture(scope="module")
def small_kb():
    return _small_kb()


def _small_kb():
    return build_knowledge_base(
        [
            KnownEntity(
                id="kb:abdullah",
                name="Abdullah II of Jordan",
                type="person",
                aliases=("King Abdullah II", "Abdullah II bin Al-Hussein"),
                roles=(KnownRole(role="King", country="JO"),),
                country="JO",
                description="King of Jordan",
            ),
            KnownEntity(
                id="kb:keating",
                name="Frank Keating",
                type="person",
                roles=(KnownRole(role="Governor", country="US"),),
                country="US",
                description="Governor of Oklahoma",
            ),
            KnownEntity(
                id="kb:sonmez",
                name="Erkan Sönmez",
                type="person",
                roles=(KnownRole(role="Interior Minister", country="TR"),),
                country="TR",
                description="Interior Minister of Turkey",
            ),
        ]
    )


def test_a_wholly_different_given_name_is_no_known_persons_slip(small_kb) -> None:
    assert small_kb.check_name("Saddam Hussein", "person") is None
    assert small_kb.check_name("Saddam Hussein", "person", role="President", country="IQ") is None
    assert small_kb.check_name("Peter Keating", "person") is None
    assert small_kb.check_name("Peter Keating", "person", role="architect") is None


def test_a_wholly_different_given_name_needs_the_mentions_own_context(small_kb) -> None:
    # "Governor Peter Keating of the US": the office and country are Frank Keating's.
    warning = small_kb.check_name("Peter Keating", "person", role="Governor", country="US")
    assert warning == (
        "'Peter Keating' is probably Frank Keating (Governor of Oklahoma): the given name differs"
    )


def test_a_slip_of_the_given_name_is_still_guessed(small_kb) -> None:
    assert small_kb.check_name("Orhan Sönmez", "person") == (
        "'Orhan Sönmez' is probably Erkan Sönmez (Interior Minister of Turkey): "
        "the given name differs"
    )
    # Context that contradicts the known person still clears the suspicion.
    assert small_kb.check_name("Orhan Sönmez", "person", country="GR") is None
    assert small_kb.check_name("Orhan Sönmez", "person", role="Foreign Minister") is None


def test_the_bundled_knowledge_base_makes_no_king_of_saddam_hussein() -> None:
    kb = load_knowledge_base()
    assert kb.check_name("Saddam Hussein", "person") is None
    assert kb.check_name("Eddie Jordan", "person") is None  # not "Abdullah II of Jordan"
    assert kb.check_name("Chris Johnson", "person") is None  # not Boris Johnson


def _person(text: str, start: int, role: str | None = None) -> Mention:
    return Mention(text=text, type="person", start=start, end=start + len(text), role=role)


def _namesakes(rare: str, common: str, rare_role: str | None, common_role: str | None):
    """``common`` in three articles and ``rare`` in a fourth, all beside the same two
    people: what makes the resolver suspect a wrong given name."""
    company = [_person("Mary Fallin", 40), _person("Tom Cole", 80)]
    articles = [
        ArticleAnalysis(f"c{n}", (_person(common, 0, common_role), *company)) for n in range(3)
    ]
    articles.append(ArticleAnalysis("r", (_person(rare, 0, rare_role), *company)))
    resolution = resolve_entities(articles, {})
    return {entity.canonical: entity for entity in resolution.entities}[rare].warnings


def test_a_namesake_with_another_given_name_is_not_called_a_slip() -> None:
    assert _namesakes("Peter Keating", "Frank Keating", None, None) == ()
    assert _namesakes("Peter Keating", "Frank Keating", "architect", "Governor") == ()
    # Relatives share a surname, the people around them and a kinship word.
    assert _namesakes("Nick Keating", "Rob Keating", "grandson", "grandson") == ()


def test_a_slip_or_the_same_role_still_warns() -> None:
    assert _namesakes("Orhan Sönmez", "Erkan Sönmez", None, None) == (
        "'Orhan Sönmez' may be Erkan Sönmez: same surname, named beside the same people, "
        "the given name differs",
    )
    # A wholly different given name, but the same office: "union leader Mihai Vladescu".
    [warning] = _namesakes("Mihai Vladescu", "Ionut Vladescu", "union leader", "Union leader")
    assert warning.startswith("'Mihai Vladescu' may be Ionut Vladescu (Union leader)")


def test_one_person_one_name_in_a_story() -> None:
    """The people of one story that are one person: the same words once a generational
    suffix is set aside, a headline's run-on, initials in front, a lone name that fits one
    full name; a lone name that fits two stays apart."""
    owners = person_owners(
        [
            "Marta Quill", "Marta Quill III", "Marta Quill Wins Again", "Quill",
            "D. A. Olek Brand", "Olek Brand", "Brand",
            "Rosa Venn", "Teo Venn", "Venn",
        ]
    )  # fmt: skip
    assert owners["Marta Quill III"] == "Marta Quill"
    assert owners["Marta Quill Wins Again"] == "Marta Quill"
    assert owners["Quill"] == "Marta Quill"
    assert owners["D. A. Olek Brand"] == "Olek Brand"
    assert owners["Brand"] == "Olek Brand"
    assert owners["Venn"] == "Venn"
    assert owners["Rosa Venn"] == "Rosa Venn" and owners["Teo Venn"] == "Teo Venn"


def test_a_lone_name_that_fits_several_goes_by_the_articles_that_name_them() -> None:
    """A lone "Venn" fits Rosa and Teo Venn: the one its own article names in full; when its
    articles name neither, the one named in more articles than the other together; when
    its article names both, or neither has the majority, it stays apart."""
    names = ["Rosa Venn", "Teo Venn", "Venn"]
    majority = {"Rosa Venn": {"a1", "a2", "a3"}, "Teo Venn": {"a4"}, "Venn": {"a5"}}
    assert person_owners(names, majority)["Venn"] == "Rosa Venn"
    said_beside_teo = {**majority, "Venn": {"a4"}}
    assert person_owners(names, said_beside_teo)["Venn"] == "Teo Venn"
    said_beside_both = {**majority, "Teo Venn": {"a1", "a4"}, "Venn": {"a1"}}
    assert person_owners(names, said_beside_both)["Venn"] == "Venn"
    no_majority = {"Rosa Venn": {"a1", "a2"}, "Teo Venn": {"a3", "a4"}, "Venn": {"a5"}}
    assert person_owners(names, no_majority)["Venn"] == "Venn"
    # A person's every form counts where it is named: "Dr. Rosa Venn" is Rosa Venn.
    forms = {"Rosa Venn": {"a1"}, "Dr. Rosa Venn": {"a2"}, "Teo Venn": {"a3"}, "Venn": {"a5"}}
    assert person_owners([*forms], forms)["Venn"] == "Rosa Venn"


def test_a_familiar_form_is_the_same_person_not_a_slip() -> None:
    """ "Tim Voss" beside "Timothy R. Voss" is one person, resolved as one and never
    warned about; a middle initial matching another's given name is no slip."""
    assert not given_names_differ("Tim Voss", "Timothy R. Voss")
    articles = [
        ArticleAnalysis("a", (_person("Timothy R. Voss", 0), _person("Mary Fallin", 40))),
        ArticleAnalysis("b", (_person("Tim Voss", 0), _person("Mary Fallin", 40))),
    ]
    [voss] = [e for e in resolve_entities(articles, {}).entities if "Voss" in e.canonical]
    assert {v.text for v in voss.variants} == {"Timothy R. Voss", "Tim Voss"}
    assert voss.warnings == ()
    assert _namesakes("Jim Pardo", "William J. Pardo", None, None) == ()


def test_a_name_two_articles_give_is_nobodys_slip() -> None:
    """A slip is one writer's, once: the same "wrong" given name in two articles is
    another person (a relative, a namesake), for the store and for the knowledge base."""
    company = [_person("Mary Fallin", 40), _person("Tom Cole", 80)]
    articles = [ArticleAnalysis(f"c{n}", (_person("Erkan Sönmez", 0), *company)) for n in range(3)]
    articles += [ArticleAnalysis(f"r{n}", (_person("Orhan Sönmez", 0), *company)) for n in range(2)]
    resolution = resolve_entities(articles, {}, kb=_small_kb())
    orhan = {e.canonical: e for e in resolution.entities}["Orhan Sönmez"]
    assert orhan.warnings == ()
    once = resolve_entities([*articles[:3], articles[3]], {}, kb=_small_kb())
    assert {e.canonical: e for e in once.entities}["Orhan Sönmez"].warnings


def test_a_vice_president_is_not_the_president(small_kb) -> None:
    assert small_kb.check_name("Glen Keating", "person", role="Governor") is not None
    assert small_kb.check_name("Glen Keating", "person", role="Deputy Governor") is None


def test_a_surname_several_people_bear_points_at_no_known_person() -> None:
    """A "Governor Peter Keating" alone in the store may be the known Frank Keating; beside
    an Ann Keating the surname singles nobody out, and only a slip would be suspected."""
    company = [_person("Mary Fallin", 40)]

    def warnings(*names: str) -> tuple[str, ...]:
        articles = [
            ArticleAnalysis(f"a{n}", (_person(name, 0, "Governor"), *company))
            for n, name in enumerate(names)
        ]
        found = resolve_entities(articles, {}, kb=_small_kb()).entities
        return {e.canonical: e for e in found}["Peter Keating"].warnings

    assert warnings("Peter Keating")
    assert warnings("Peter Keating", "Ann Keating") == ()
