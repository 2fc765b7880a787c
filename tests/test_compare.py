"""Comparing the outlets of one story: on two reports written for these tests, and on the
seeds (skipped without ../shared)."""

from __future__ import annotations

import pytest

from parallax.compare import Comparison, compare_story
from parallax.model import Story

GAZETTE = (
    "Ferry safety talks end with new inspection rules\n\n"
    "Ministers from Estonia, Latvia, Lithuania and Finland took part in the ferry safety "
    "talks in Tallinn on Tuesday. Transport minister Kadri Lepik said the new inspection "
    "rules would apply to every passenger ferry from June. The talks ended with a joint "
    "statement signed by all the delegations. About 40 inspectors will be hired to carry "
    "out the checks, the ministry said.\n\n"
    "“Every ferry will be checked twice a year, without exception,” Lepik said."
)
LEDGER = (
    "Baltic ministers agree ferry inspections\n\n"
    "Ministers from Estonia, Latvia and Finland took part in ferry safety talks in Tallinn "
    "on Tuesday. Transport minister Kadri Lepikk said new inspection rules would apply to "
    "every passenger ferry from June. About 60 inspectors will be hired to carry out the "
    "checks under the plan. A separate meeting on fishing quotas was postponed until the "
    "autumn because two delegations had left early.\n\n"
    "“Every ferry will be checked twice a year, without exception,” said the port director "
    "Anders Holm."
)


def analyse(texts: dict[str, str]) -> tuple[Comparison, dict[str, dict[str, str]]]:
    """The comparison of ``{outlet: raw text}`` as one story, and each article's body (the
    string its sources index) by article id."""
    from parallax.clean import clean_document
    from parallax.model import RawDocument
    from parallax.nlp import analyze_articles, apply_resolution
    from parallax.resolve import load_knowledge_base, resolve_entities

    articles = [
        clean_document(
            RawDocument(
                source=f"{outlet}.txt", format="text", content=text, is_html=False, outlet=outlet
            )
        )
        for outlet, text in texts.items()
    ]
    analyses = list(analyze_articles(articles, knowledge=load_knowledge_base()))
    resolution = resolve_entities(
        analyses, {a.id: a.outlet for a in articles}, load_knowledge_base()
    )
    analysed = {a.article_id: apply_resolution(a, resolution) for a in analyses}
    story = Story(id="s1", title="Ferry talks", articles=tuple(a.id for a in articles))
    documents = {a.id: {"text": a.text} for a in articles}
    return compare_story(story, articles, analysed, resolution.entities), documents


def beside_gazette(outlet: str, text: str) -> Comparison:
    """The comparison of the Harbour Gazette's report with one ``outlet`` wrote."""
    return analyse({"Harbour Gazette": GAZETTE, outlet: text})[0]


@pytest.fixture(scope="module")
def ferry() -> Comparison:
    return analyse({"Harbour Gazette": GAZETTE, "Northern Ledger": LEDGER})[0]


def _participant(comparison: Comparison, name: str):
    found = [p for p in comparison.participants if p.canonical.startswith(name)]
    assert found, f"{name} not among {[p.canonical for p in comparison.participants]}"
    return found[0]


def test_participants_are_compared_by_outlet(ferry: Comparison) -> None:
    assert ferry.outlets == ["Harbour Gazette", "Northern Ledger"]
    assert _participant(ferry, "Lithuania").outlets == ["Harbour Gazette"]
    for country in ("Estonia", "Latvia", "Finland"):
        participant = _participant(ferry, country)
        assert participant.outlets == ["Harbour Gazette", "Northern Ledger"]
        assert all(view.listed for view in participant.by_outlet.values())
    assert _participant(ferry, "Anders Holm").outlets == ["Northern Ledger"]


def test_a_different_list_of_participants_is_a_conflict(ferry: Comparison) -> None:
    (conflict,) = [c for c in ferry.conflicts if c.kind == "participants"]
    assert "Lithuania" in conflict.by_outlet["Harbour Gazette"]
    assert "Lithuania" not in conflict.by_outlet["Northern Ledger"]
    assert "Lithuania not in Northern Ledger's list" in conflict.description


def test_the_same_fact_in_other_words_is_shared_and_the_rest_unique(ferry: Comparison) -> None:
    shared = [f for f in ferry.facts if f.status == "shared"]
    assert any("inspection rules" in f.text for f in shared)
    assert all(f.outlets == ["Harbour Gazette", "Northern Ledger"] for f in shared)
    unique = {f.text: f.outlets for f in ferry.facts if f.status == "unique"}
    assert any(
        "joint statement" in text and outlets == ["Harbour Gazette"]
        for text, outlets in unique.items()
    )
    assert any(
        "fishing quotas" in text and outlets == ["Northern Ledger"]
        for text, outlets in unique.items()
    )
    # Shared facts come first; headlines are not facts.
    statuses = [f.status for f in ferry.facts]
    assert statuses == sorted(statuses, key=lambda s: s != "shared")
    assert not any("Ferry safety talks end" in f.text for f in ferry.facts)


def test_every_fact_points_at_its_sentence(ferry: Comparison) -> None:
    texts = {"Harbour Gazette": GAZETTE, "Northern Ledger": LEDGER}
    for fact in ferry.facts:
        for source in fact.sources:
            assert source.text in texts[source.outlet]
            assert source.end - source.start == len(source.text)


def test_different_figures_for_the_same_fact_are_a_conflict(ferry: Comparison) -> None:
    numbers = [c for c in ferry.conflicts if c.kind == "number"]
    assert any(
        c.by_outlet == {"Harbour Gazette": ["40 inspectors"], "Northern Ledger": ["60 inspectors"]}
        for c in numbers
    ), numbers


def test_one_quote_credited_to_two_speakers_is_a_conflict(ferry: Comparison) -> None:
    carried = [q for q in ferry.quotes if "twice a year" in q.text]
    assert len(carried) == 1 and carried[0].outlets == ["Harbour Gazette", "Northern Ledger"]
    (conflict,) = [c for c in ferry.conflicts if c.kind == "speaker"]
    assert "Anders Holm" in conflict.by_outlet["Northern Ledger"]
    assert "Kadri Lepik" in conflict.description


def test_json_contract_keys(ferry: Comparison) -> None:
    data = ferry.to_dict()
    assert {"story_id", "outlets", "participants", "facts", "conflicts", "quotes"} <= set(data)
    participant = data["participants"][0]
    assert {"entity_id", "canonical", "type", "by_outlet"} <= set(participant)
    assert {"mentioned", "variants", "roles"} <= set(next(iter(participant["by_outlet"].values())))
    assert {"text", "outlets", "status", "sources"} <= set(data["facts"][0])
    assert {"kind", "description", "by_outlet"} <= set(data["conflicts"][0])
    assert {"speaker", "text", "outlets"} <= set(data["quotes"][0])


def test_the_seeds_compared(seed_analysis) -> None:
    articles, analyses, resolution = seed_analysis
    story = Story(id="seeds", title="Victory Day", articles=tuple(a.id for a in articles))
    comparison = compare_story(
        story, articles, {a.article_id: a for a in analyses}, resolution.entities
    )
    watson, insider = "watson", "Business Insider"
    assert set(comparison.outlets) == {watson, insider}
    both = {watson, insider}
    for name in (
        "Kassym-Jomart Tokayev",
        "Vladimir Putin",
        "Shavkat Mirziyoyev",
        "Kazakhstan",
        "Tajikistan",
    ):
        assert set(_participant(comparison, name).outlets) == both, name
    assert _participant(comparison, "Turkmenistan").outlets == [watson]
    for name in ("Emomali Rahmon", "Nikol Pashinyan", "Sadyr Japarov"):
        assert _participant(comparison, name).outlets == [insider], name

    (listed,) = [c for c in comparison.conflicts if c.kind == "participants"]
    assert "Turkmenistan" in listed.by_outlet[watson]
    assert "Turkmenistan" not in listed.by_outlet[insider]
    names = " ".join(c.description for c in comparison.conflicts if c.kind == "name")
    for spelling in ("Mirsijoyev", "Mirziyoyev", "Viktor Lukashenko"):
        assert spelling in names, spelling
    assert "Alexander Lukashenko" in names
    # One outlet's own two forms are variants, shown beside the name, not a conflict.
    for person, forms in (
        ("Emomali Rahmon", {"Emomali Rakhmon", "Imamali Rahman"}),
        ("Kassym-Jomart Tokayev", {"Kasim Comert Tokayev", "Kassym-Jomart Tokayev"}),
    ):
        assert forms <= set(_participant(comparison, person).by_outlet[insider].variants)
        assert not any(f"{person} is spelled" in c.description for c in comparison.conflicts)

    def unique_to(outlet: str, words: str) -> bool:
        return any(
            words in f.text and f.status == "unique" and f.outlets == [outlet]
            for f in comparison.facts
        )

    # The two lists of who attended, one of countries, one of presidents: one claim.
    (lists,) = [f for f in comparison.facts if "also took part" in f.text]
    assert lists.outlets == [watson, insider] and lists.disputed
    assert "among those present" in lists.sources[1].text
    assert unique_to(watson, "8,000 soldiers")
    assert unique_to(watson, "without an air show")
    assert unique_to(insider, "April 24")
    assert unique_to(insider, "no foreign leaders")

    speakers = {q.speaker for q in comparison.quotes if q.kind == "direct"}
    assert {
        "Temur Umarov",
        "Azamat Junisbai",
        "Dimash Alschanow",
        "Institute for the Study of War",
    } <= speakers
    umarov = [q.text for q in comparison.quotes if q.speaker == "Temur Umarov"]
    assert any("pragmatic solution" in text for text in umarov)  # "the native Uzbek"


def test_a_country_named_only_through_its_president_is_mentioned_via_them(seed_analysis) -> None:
    articles, analyses, resolution = seed_analysis
    story = Story(id="seeds", title="Victory Day", articles=tuple(a.id for a in articles))
    comparison = compare_story(
        story, articles, {a.article_id: a for a in analyses}, resolution.entities
    )
    kyrgyzstan = _participant(comparison, "Kyrgyzstan").by_outlet["Business Insider"]
    assert kyrgyzstan.mentioned and kyrgyzstan.variants == []
    assert "Sadyr Japarov" in kyrgyzstan.via


def test_a_participant_is_of_its_entity_s_type_not_one_article_s_reading() -> None:
    from dataclasses import replace

    from parallax.clean import clean_document
    from parallax.model import RawDocument
    from parallax.nlp import analyze_articles, apply_resolution
    from parallax.resolve import load_knowledge_base, resolve_entities

    articles = [
        clean_document(
            RawDocument(source=f"{o}.txt", format="text", content=t, is_html=False, outlet=o)
        )
        for o, t in {"Harbour Gazette": GAZETTE, "Northern Ledger": LEDGER}.items()
    ]
    analyses = list(analyze_articles(articles, knowledge=load_knowledge_base()))
    # The model reads "Tallinn" as an organisation in one report and a place in the other.
    first = analyses[0]
    misread = tuple(
        replace(m, type="organisation") if m.text == "Tallinn" else m for m in first.mentions
    )
    assert misread != first.mentions
    analyses[0] = replace(first, mentions=misread)
    resolution = resolve_entities(analyses, {}, load_knowledge_base())
    assert {e.type for e in resolution.entities if e.canonical == "Tallinn"} == {"place"}
    analysed = {a.article_id: apply_resolution(a, resolution) for a in analyses}
    story = Story(id="s1", title="Ferry talks", articles=tuple(a.id for a in articles))
    comparison = compare_story(story, articles, analysed, resolution.entities)
    assert "Tallinn" not in [p.canonical for p in comparison.participants]
    assert "Anders Holm" in [p.canonical for p in comparison.participants]


def test_one_person_is_one_participant_in_a_story() -> None:
    """A lone surname or given name that fits one person the story names in full joins
    that person, though resolution kept their entities apart; an ambiguous one stays."""
    from parallax.compare.compare import find_participants
    from parallax.model import Article, ArticleAnalysis, Mention

    texts = {
        "a1": "Tara Reid and Laura Bush met George W. Bush.",
        "a2": "Reid spoke first. Tara thanked Bush.",
    }

    def article(article_id: str) -> Article:
        return Article(
            id=article_id,
            source=article_id,
            url=None,
            title="t",
            outlet=f"Outlet {article_id}",
            republished_by=[],
            wire_credits=[],
            byline=[],
            published=None,
            event_dates=[],
            language="en",
            text=texts[article_id],
            captions=[],
            photo_credits=[],
        )

    def mention(article_id: str, name: str, entity: str, occurrence: int = 0) -> Mention:
        start = texts[article_id].index(name)
        if occurrence:
            start = texts[article_id].index(name, start + 1)
        return Mention(
            text=name,
            type="person",
            start=start,
            end=start + len(name),
            entity_id=entity,
            canonical=name,
        )

    analyses = {
        "a1": ArticleAnalysis(
            "a1",
            (
                mention("a1", "Tara Reid", "e:reid"),
                mention("a1", "Laura Bush", "e:laura"),
                mention("a1", "George W. Bush", "e:george"),
            ),
        ),
        "a2": ArticleAnalysis(
            "a2",
            (
                mention("a2", "Reid", "e:reid-alone"),
                mention("a2", "Tara", "e:tara-alone"),
                mention("a2", "Bush", "e:bush-alone"),
            ),
        ),
    }
    found = find_participants([article("a1"), article("a2")], analyses, {})
    names = sorted(p.canonical for p in found)
    assert names == ["Bush", "George W. Bush", "Laura Bush", "Tara Reid"]
    reid = next(p for p in found if p.canonical == "Tara Reid")
    assert reid.outlets == ["Outlet a1", "Outlet a2"]
    assert reid.by_outlet["Outlet a2"].variants == ["Reid", "Tara"]


QUAKE_WIRE = (
    "Valley quake kills four\n\n"
    "ORVANO, March 5 (Wirewell) - A magnitude 6.4 earthquake struck the Orvano valley on "
    "March 3, killing four people and damaging hundreds of homes. An aftershock of "
    "magnitude 5.1 shook the valley the next morning. More than 140 families are sleeping in "
    "tents outside the town hall, the mayor said. Senator John A. Brennick visited the "
    "worst-hit villages on Wednesday."
)
QUAKE_DAILY = (
    "Orvano counts its losses\n\n"
    "The magnitude 6.4 quake struck the Orvano valley on March 3 and damaged hundreds of "
    "homes. Two injured people died in hospital, the regional health office said. About 145 "
    "families are sleeping in tents outside the town hall, the mayor said. John Brennick "
    "toured the villages and promised help from the capital."
)


@pytest.fixture(scope="module")
def quake() -> Comparison:
    return analyse({"Wirewell": QUAKE_WIRE, "Orvano Daily": QUAKE_DAILY})[0]


def test_figures_that_can_both_be_true_are_no_conflict(quake: Comparison) -> None:
    # An aftershock is not the main quake; two of the injured who died are part of the toll,
    # not another count of the dead; "about 145" fits "more than 140".
    numbers = [c.description for c in quake.conflicts if c.kind == "number"]
    assert numbers == [], numbers


def test_a_datelines_day_of_filing_is_no_date_of_the_event(quake: Comparison) -> None:
    assert [c for c in quake.conflicts if c.kind == "date"] == []
    shared = [f for f in quake.facts if f.status == "shared"]
    assert any("6.4" in f.text and f.coverage == "all" for f in shared), shared
    assert not any("ORVANO" in s.text for f in quake.facts for s in f.sources)


def test_a_middle_initial_or_title_is_no_name_conflict(quake: Comparison) -> None:
    assert [c.description for c in quake.conflicts if c.kind == "name"] == []


def test_filters_keep_the_claim_groups_asked_for(ferry: Comparison) -> None:
    differences = ferry.filtered("differences")
    assert differences.facts and all(f.disputed for f in differences.facts)
    assert differences.conflicts == ferry.conflicts
    assert all(f.coverage == "all" for f in ferry.filtered("shared").facts)
    only = ferry.filtered(only_in="northern ledger").facts
    assert only and all(f.outlets == ["Northern Ledger"] for f in only)
    assert any("fishing quotas" in f.text for f in only)
    # Disputed groups come first.
    flags = [f.disputed for f in ferry.facts]
    assert flags == sorted(flags, reverse=True)


def test_a_past_event_s_toll_is_no_figure_of_this_one() -> None:
    report = (
        "Hill town shaken\n\n"
        "A strong earthquake struck the hill town of Varno on Monday, 3 March 2031, killing "
        "at least nine people. In 1939 an earthquake killed tens of thousands in the region, "
        "and in February 2029 two quakes killed more than 5,000 people in the south."
    )
    other = (
        "Varno counts its dead\n\n"
        "An earthquake hit Varno on Monday, 3 March 2031, killing at least nine people and "
        "damaging dozens of homes in the old quarter of the town."
    )
    comparison = analyse({"First Post": report, "Second Post": other})[0]
    assert [c.description for c in comparison.conflicts if c.kind == "number"] == []


def test_two_lists_of_who_took_part_are_one_claim_in_any_words() -> None:
    """One outlet lists countries, the other their leaders: no test of the same wording
    links the two sentences, but both say who took part, so they are one claim group, and
    a disputed one, as the lists differ (Sweden)."""
    from parallax import same_claim

    countries = "Besides Poland and Latvia, Estonia and Sweden also took part in the meeting."
    leaders = (
        "Polish President Marta Nowak, Latvian Prime Minister Juris Ozols and Estonian "
        "Prime Minister Kaja Tamm were among those present in Vilnius for the talks."
    )
    assert same_claim(countries, leaders) < 0.5
    comparison, _ = analyse(
        {
            "Riverside Post": "Summit in Vilnius\n\nThe summit on grid security opened in "
            f"Vilnius on Friday. {countries} The talks will resume in March.",
            "Coastal Wire": "Leaders meet in Vilnius\n\nThe summit on grid security opened "
            f"on Friday. {leaders} A final statement is expected on Saturday.",
        }
    )
    (group,) = [f for f in comparison.facts if "took part" in f.text]
    assert group.outlets == ["Riverside Post", "Coastal Wire"]
    assert [s.text for s in group.sources] == [countries, leaders]
    assert group.disputed and comparison.facts[0] is group
    (listed,) = [c for c in comparison.conflicts if c.kind == "participants"]
    assert "Sweden" in listed.by_outlet["Riverside Post"]


def test_only_outlets_that_share_no_spelling_differ() -> None:
    from parallax.compare.compare import differing_spellings

    # The second outlet writes the first one's form too, and another in a caption.
    assert differing_spellings({"A": ["Ilse Varga"], "B": ["Ilse Varga", "Ilze Warga"]}) == {}
    assert differing_spellings({"B": ["Ilse Varga", "Ilze Warga"]}) == {}
    assert differing_spellings({"A": ["Ilse Varga"], "B": ["Ilze Warga"], "C": ["Ilse Varga"]}) == {
        "A": ["Ilse Varga"],
        "B": ["Ilze Warga"],
        "C": ["Ilse Varga"],
    }
    # A shared surname alone is no agreement on how the whole name is spelled.
    assert differing_spellings({"A": ["Ilse Varga", "Varga"], "B": ["Ilze Varga", "Varga"]}) == {
        "A": ["Ilse Varga"],
        "B": ["Ilze Varga"],
    }


def test_a_quotation_is_one_claim_however_it_runs_on() -> None:
    """A speaker's sentence with ", but" inside the quotation is one claim; the same
    contrast in the reporter's own words is two."""
    from parallax.text.sentences import clause_spans

    quoted = "“We cannot guard every metre of the old cable, but we can repair it within days.”"
    told = "The board cannot guard every metre of the old cable, but it can repair it within days."
    assert clause_spans(quoted, 0, len(quoted)) == [(0, len(quoted))]
    assert len(clause_spans(told, 0, len(told))) == 2


def test_a_claim_keeps_its_closing_marks() -> None:
    from parallax.compare.claims import split_claims
    from parallax.model import Article

    body = (
        "“The pier will stay closed all winter.” The ferry (the last one left.) sailed on Monday."
    )
    article = Article(
        id="a", source="s", url=None, title=None, outlet="o", republished_by=[],
        wire_credits=[], byline=[], published=None, event_dates=[], language="en",
        text=body, captions=[], photo_credits=[],
    )  # fmt: skip
    assert [c.text for c in split_claims(article, "o", None, min_words=3)] == [
        "“The pier will stay closed all winter.”",
        "The ferry (the last one left.) sailed on Monday.",
    ]


def test_a_quotation_s_sentence_names_who_said_it() -> None:
    """A claim that is a quotation's words shows its speaker, so that it does not read as
    the outlet's own statement; the outlet's own sentence and one naming its speaker
    carry none."""
    comparison = beside_gazette(
        "Pier Weekly",
        "Ferry crews back new checks\n\n"
        "Crews on the Tallinn ferries welcomed the new inspection rules on Wednesday. "
        "“We have asked for these checks for years,” union leader Marta Koppel told "
        "reporters.\n\n“Nobody listened to the crews until a ferry caught fire.”",
    )
    sources = {s.text: s for fact in comparison.facts for s in fact.sources}
    quoted = next(s for text, s in sources.items() if text.startswith("“Nobody listened"))
    assert quoted.speaker == "Marta Koppel"
    own = next(s for text, s in sources.items() if text.startswith("Crews on the Tallinn"))
    assert own.speaker is None
    assert "(Marta Koppel, quoted)" in comparison.to_markdown()
    assert '<span class="quoted-by">(Marta Koppel, quoted)</span>' in comparison.to_html()
    assert comparison.to_dict()["facts"][0]["sources"][0].keys() >= {"speaker"}


def test_a_quotation_across_sentences_is_one_claim() -> None:
    """A speaker's quotation of two sentences, and its tag, are one claim: not the
    outlet's claim in half-open marks followed by a sentence of someone's words."""
    comparison = beside_gazette(
        "Pier Weekly",
        "Ferry crews back new checks\n\n"
        "Crews on the Tallinn ferries welcomed the new inspection rules on Wednesday. "
        "“We have asked for these checks for years. Nobody listened to the crews until a "
        "ferry caught fire,” union leader Marta Koppel told reporters.",
    )
    texts = [s.text for fact in comparison.facts for s in fact.sources]
    whole = "“We have asked for these checks for years. Nobody listened to the crews until a "
    assert any(text.startswith(whole) and text.endswith("told reporters.") for text in texts)
    assert not any(text.startswith("Nobody listened") for text in texts)


def test_the_outlet_itself_is_no_participant() -> None:
    """A wire report's "(Pier Weekly) -" names its own outlet: it took no part in the story."""
    comparison = beside_gazette(
        "Pier Weekly",
        "Ferry checks agreed\n\nTALLINN (Pier Weekly) - Ministers from Estonia, Latvia "
        "and Finland took part in ferry safety talks in Tallinn on Tuesday, Pier Weekly "
        "learned. Transport minister Kadri Lepik said the rules would apply from June.",
    )
    names = {p.canonical for p in comparison.participants}
    assert "Pier Weekly" not in names, names
    assert "Kadri Lepik" in names


def test_the_outlet_s_own_reporting_is_no_quote() -> None:
    """ "According to information from Reuters" in Reuters' own report is what the outlet
    itself reports, not a quote of someone in the story."""
    comparison = beside_gazette(
        "Reuters",
        "Ferry checks agreed\n\nAccording to information from Reuters, the ministry "
        "will hire 50 inspectors for the new checks. Transport minister Kadri Lepik "
        "said the rules would apply to every passenger ferry from June.",
    )
    speakers = {q.speaker for q in comparison.quotes}
    assert "Reuters" not in speakers, speakers
    assert "Kadri Lepik" in speakers, speakers
