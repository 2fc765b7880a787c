"""Copies and same-event grouping on reports written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.stories import GroupingParams, StoryInput, find_copies, group_inputs

QUAKE_A = (
    "A magnitude 6.1 earthquake struck the mountain town of Velkor early on Tuesday, "
    "collapsing the old market hall and killing at least 14 people, the regional governor "
    "Hamid Sarrow said. Rescue teams from Dorrin searched the rubble through the night while "
    "aftershocks shook the valley. The governor said schools in Velkor would stay closed "
    "and that field hospitals had been set up beside the river. Residents described the "
    "shaking as the strongest they had felt in decades, and roads into the valley were "
    "blocked by landslides, slowing the delivery of tents and water."
)
QUAKE_A_OTHER_OUTLET = (
    "Governor Hamid Sarrow confirmed 14 deaths after Tuesday's quake flattened Velkor's "
    "market hall. The 6.1 tremor triggered landslides that cut the valley roads, and crews "
    "from Dorrin worked through aftershocks to reach people trapped in collapsed homes. "
    "Tents and water were being flown into Velkor by helicopter, Sarrow said, adding that "
    "schools would remain shut while engineers checked the buildings."
)
# The other outlet's report with the wire's opening sentence on top, as many carry it.
QUAKE_A_RETOLD = QUAKE_A.split(". ")[0] + ". " + QUAKE_A_OTHER_OUTLET
QUAKE_B = (
    "A magnitude 5.8 earthquake hit the coastal city of Marrane in 2019, damaging the "
    "harbour wall and injuring 30 people, mayor Lucia Fenn said. Ferries to the islands "
    "were cancelled while divers inspected the piers. Fenn said the old lighthouse had "
    "cracked and that residents should keep away from the seafront until engineers had "
    "inspected it. Aftershocks were felt along the coast for two days."
)


def test_an_edited_copy_points_at_the_first_report() -> None:
    texts = {
        "first": QUAKE_A,
        "repost": "Welcome to Daily Digest. " + QUAKE_A.replace("Tuesday", "Tuesday morning"),
        "other": QUAKE_A_OTHER_OUTLET,
    }
    assert find_copies(texts, ["first", "repost", "other"]) == {"repost": "first"}


def test_a_chain_of_copies_names_the_earliest() -> None:
    texts = {"a": QUAKE_B, "b": QUAKE_B + " Updated.", "c": QUAKE_B + " Updated again."}
    assert find_copies(texts, ["a", "b", "c"]) == {"b": "a", "c": "a"}


def test_a_copy_ends_in_its_original_s_story_after_settling() -> None:
    items = [
        StoryInput("first", QUAKE_A, names=("e:velkor",)),
        StoryInput("harbour", QUAKE_B, names=("e:marrane",)),
        # Declared a copy of the harbour report although its text is the quake's: settling
        # must put it with its original whatever its text says.
        StoryInput("declared-copy", QUAKE_A_OTHER_OUTLET, names=("e:velkor",)),
    ]
    assert len(set(group_inputs(items))) == 2
    labels = group_inputs(items, {"declared-copy": "harbour"})
    assert labels[2] == labels[1] != labels[0]


def test_two_reports_of_one_event_share_a_story_and_another_event_does_not() -> None:
    texts = {"a": QUAKE_A, "b": QUAKE_B, "a2": QUAKE_A_OTHER_OUTLET}
    labels = group_inputs([StoryInput(i, text) for i, text in texts.items()])
    assert labels[0] == labels[2]
    assert labels[1] != labels[0]


def test_a_year_conflict_counts_against_joining() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, names=("velkor",), years=(2011,)))
    same_year = grouper.probability(StoryInput("y", QUAKE_A_OTHER_OUTLET, years=(2011,)), story)
    other_year = grouper.probability(StoryInput("y", QUAKE_A_OTHER_OUTLET, years=(2024,)), story)
    assert same_year > other_year


def test_shared_names_count_for_joining() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, names=("e:sarrow", "e:velkor")))
    named = grouper.probability(StoryInput("y", QUAKE_B, names=("e:sarrow", "e:velkor")), story)
    unnamed = grouper.probability(StoryInput("y", QUAKE_B, names=("e:other",)), story)
    assert named > unnamed


def test_reports_published_months_apart_are_dated_apart() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, published="2024-03-05"))
    days_later, months_later = (
        grouper.probability(StoryInput("y", QUAKE_A_OTHER_OUTLET, published=day), story)
        for day in ("2024-03-09", "2024-05-20")
    )
    assert days_later > months_later


def test_a_story_never_spans_more_than_its_bound() -> None:
    """However alike a later report reads, a story spans at most ``max_span_days``: a
    stream of one kind of event must not chain into one story."""
    from parallax.stories import StoryGrouper

    bound = GroupingParams().max_span_days
    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, published="2024-03-05"))
    beyond = StoryInput("z", QUAKE_A_OTHER_OUTLET, published="2024-07-20")
    assert (date(2024, 7, 20) - date(2024, 3, 5)).days > bound
    loose = StoryGrouper(GroupingParams(max_span_days=365))
    loose.add(StoryInput("x", QUAKE_A, published="2024-03-05"))
    # Probable enough to join without the bound, kept out by it.
    assert loose.add(beyond) == story
    assert grouper.add(beyond) != story


def test_a_story_does_not_drift_from_its_first_reports() -> None:
    """An article must read like the story's first reports (``seed_cosine``), not only
    like the centroid the story has drifted to: stories of one kind of event that each
    share a little with the last do not chain."""
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper(GroupingParams(threshold=0.0, seed_cosine=0.12))
    words = [f"word{n}" for n in range(40)]
    # Each report shares half its words with the one before: a chain, not an event.
    chain = [" ".join(words[k : k + 8]) + "." for k in range(0, 32, 4)]
    for n, text in enumerate(chain):
        grouper.add(StoryInput(f"c{n}", text))
    first, last = grouper.story_of["c0"], grouper.story_of[f"c{len(chain) - 1}"]
    assert first != last
    loose = StoryGrouper(GroupingParams(threshold=0.0, seed_cosine=0.0))
    for n, text in enumerate(chain):
        loose.add(StoryInput(f"c{n}", text))
    assert loose.story_of["c0"] == loose.story_of[f"c{len(chain) - 1}"]


def test_a_report_of_the_same_day_fits_better_than_one_a_week_later() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, published="2024-03-05"))
    # Another story's report of the later day, so neither day is in every document.
    grouper.add(StoryInput("other", QUAKE_B, published="2024-03-12"), story_id="elsewhere")
    same_day, week_later = (
        grouper.probability(StoryInput("y", QUAKE_A_OTHER_OUTLET, published=day), story)
        for day in ("2024-03-05", "2024-03-12")
    )
    assert same_day > week_later


def test_names_without_shared_wording_do_not_join() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    grouper.add(StoryInput("x", QUAKE_A, names=("e:velkor", "e:sarrow")))
    unrelated = (
        "The Velkor chess club elected a new treasurer on Friday after a long evening of "
        "debate over membership fees, tournament prizes and the tea urn in the back room."
    )
    placed = grouper.add(StoryInput("y", unrelated, names=("e:velkor", "e:sarrow")))
    assert placed != grouper.story_of["x"]


def test_two_stories_of_one_event_formed_apart_become_one() -> None:
    from parallax.stories import StoryGrouper

    # So strict a seed bound that the other outlet's report starts a story of its own:
    # two stories of one event, each of two articles, until the batch settles.
    grouper = StoryGrouper(GroupingParams(seed_cosine=0.8))
    reports = [
        StoryInput("a1", QUAKE_A),
        StoryInput("a2", QUAKE_A + " More to follow."),
        StoryInput("b1", QUAKE_A_RETOLD),
        StoryInput("b2", QUAKE_A_RETOLD + " Updated."),
    ]
    for report in reports:
        grouper.add(report)
    assert grouper.story_of["a1"] == grouper.story_of["a2"] != grouper.story_of["b1"]
    grouper.settle()
    assert len({grouper.story_of[r.id] for r in reports}) == 1


def test_a_twin_from_an_earlier_batch_keeps_its_articles_and_takes_the_new_ones() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper(GroupingParams(seed_cosine=0.8))
    grouper.add(StoryInput("b1", QUAKE_A_RETOLD))
    grouper.add(StoryInput("b2", QUAKE_A_RETOLD + " Updated."))
    grouper.settle()
    earlier = grouper.story_of["b1"]
    grouper.add(StoryInput("a1", QUAKE_A))
    grouper.add(StoryInput("a2", QUAKE_A + " More to follow."))
    grouper.settle()
    assert {grouper.story_of[a] for a in ("a1", "a2", "b1", "b2")} == {earlier}


def test_an_article_drawn_in_by_background_words_alone_leaves_at_settling() -> None:
    from parallax.stories import StoryGrouper

    # Its body retells the quake as background and it names the town, but its headline and
    # opening are about something else.
    council = StoryInput(
        "council",
        "Orsk council met on Monday about bus fares and depot costs, met again about bus "
        "fares and depot costs, and still took no vote on bus fares or depot costs. Members "
        "recalled how Tuesday's 6.1 earthquake struck Velkor, collapsing the old market "
        "hall and killing 14 people; rescue teams from Dorrin searched the rubble through "
        "the night while aftershocks shook the valley, landslides blocked the roads, tents "
        "and water were flown in by helicopter, field hospitals were set up beside the "
        "river, and schools would stay closed while engineers checked the buildings.",
        title="Bus fare vote delayed",
        names=("e:orsk", "e:velkor"),
    )
    grouper = StoryGrouper()
    reports = [
        StoryInput("a", QUAKE_A, names=("e:velkor", "e:sarrow")),
        StoryInput("b", QUAKE_A_OTHER_OUTLET, names=("e:velkor", "e:sarrow")),
    ]
    for report in reports:
        grouper.add(report)
    assert grouper.add(council) == grouper.story_of["a"]

    moved = grouper.settle()

    assert set(moved) == {"council"}
    assert grouper.story_of["a"] == grouper.story_of["b"] != grouper.story_of["council"]
    assert grouper.stories[grouper.story_of["council"]].members == ["council"]


QUILLON_BACKGROUND = (
    "Quillon, the phone maker based in Tarsk, sells its handsets in forty countries, "
    "employs about nine thousand people and has spent the year fighting rivals on price, "
    "cutting costs at its factories and betting on cheaper models for students."
)


def _quillon_report(article_id: str, title: str, lead: str, *names: str) -> StoryInput:
    return StoryInput(
        article_id, f"{lead} {QUILLON_BACKGROUND}", title=title, names=("e:quillon", *names)
    )


def test_a_loose_story_of_one_company_s_news_falls_apart_and_one_event_holds() -> None:
    from parallax.stories import StoryGrouper

    # Three events of one company, told over the same background paragraph: each lead
    # shares a word or two with another's, but on average they hardly overlap.
    company_news = [
        _quillon_report(
            "plant",
            "Quillon opens chip plant",
            "Quillon opened a chip plant outside Tarsk on Monday, promising two thousand jobs "
            "once the line runs at full speed next spring.",
            "e:tarsk",
        ),
        _quillon_report(
            "recall",
            "Chargers recalled over overheating",
            "Quillon is recalling forty thousand chargers sold in Velmar after reports of "
            "overheating plugs in three cities.",
            "e:velmar",
        ),
        _quillon_report(
            "resignation",
            "Finance chief resigns",
            "Quillon's finance chief Dora Plesk resigned on Wednesday, a month after the "
            "overheating chargers, giving no reason and naming no successor.",
            "e:dora-plesk",
        ),
    ]
    grouper = StoryGrouper()
    for report in company_news:
        grouper.add(report)
    assert len({grouper.story_of[r.id] for r in company_news}) == 1

    grouper.settle()

    assert len({grouper.story_of[r.id] for r in company_news}) == 3

    # Three reports of the plant opening over the same background stay one story.
    plant_reports = [
        company_news[0],
        _quillon_report(
            "plant-2",
            "Chip plant opens near Tarsk",
            "A chip plant built by Quillon opened near Tarsk on Monday; the company expects "
            "two thousand jobs when the line reaches full speed.",
            "e:tarsk",
        ),
        _quillon_report(
            "plant-3",
            "Quillon's Tarsk chip plant starts work",
            "Quillon started work at its new chip plant outside Tarsk on Monday and said the "
            "plant would employ two thousand people by spring.",
            "e:tarsk",
        ),
    ]
    grouper = StoryGrouper()
    for report in plant_reports:
        grouper.add(report)
    grouper.settle()
    assert len({grouper.story_of[r.id] for r in plant_reports}) == 1


def test_a_forced_story_is_kept() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    first = grouper.add(StoryInput("a", QUAKE_A))
    assert grouper.add(StoryInput("b", QUAKE_B), story_id=first) == first
    assert grouper.stories[first].members == ["a", "b"]


def test_settling_re_places_an_article_on_the_whole_batch_evidence() -> None:
    from parallax.stories import StoryGrouper

    # The Marrane report arrives third and joins the Velkor story through a follow-up that
    # names both towns, while the rare names and terms that set it apart are counted in
    # only one article; weighed again on the whole batch, the two quakes no longer fit one
    # story, and one of them (which, the weights decide) stands apart. The threshold is
    # the scenario's: the shipped weights give the Marrane report 0.91 at arrival.
    grouper = StoryGrouper(threshold=0.9)
    grouper.add(StoryInput("velkor", QUAKE_A, names=("e:velkor",)))
    follow_up = StoryInput(
        "follow-up",
        "After the earthquake struck Velkor, divers finished inspecting the Marrane piers; "
        "the harbour wall and the cracked lighthouse stay closed, and ferries resume. "
        "Schools in the valley reopen and field hospitals close, residents said.",
        names=("e:velkor", "e:marrane"),
    )
    marrane = StoryInput("marrane", QUAKE_B, names=("e:marrane", "e:fenn", "e:lighthouse"))
    first = grouper.add(follow_up)
    assert grouper.add(marrane) == first == grouper.story_of["velkor"]

    moved = grouper.settle()

    assert set(moved) & {"velkor", "marrane"}
    assert grouper.story_of["marrane"] != grouper.story_of["velkor"]
    assert grouper.settle() == {}  # a settled batch is not revisited


def test_settling_keeps_forced_placements() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    first = grouper.add(StoryInput("a", QUAKE_A))
    grouper.add(StoryInput("b", QUAKE_B), story_id=first)
    grouper.settle()
    assert grouper.story_of["b"] == first


def test_a_same_day_copy_points_at_the_earlier_time(tmp_path, db) -> None:
    import json

    from parallax import pipeline
    from parallax.store import Store

    # The agency's original arrives second; both are dated the same day, only the time
    # of publication says which came first.
    feed = tmp_path / "feed.jsonl"
    records = [
        {"outlet": "Daily Digest", "published": "2025-03-05T15:40:00+01:00", "text": QUAKE_A},
        {"outlet": "Wire Service", "published": "2025-03-05T09:12:00+01:00", "text": QUAKE_A},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with Store(db) as store:
        pipeline.ingest([feed], store, workers=1)
        pipeline.group_stories(store)
        by_outlet = {a.outlet: a for a in store.articles()}
        links = store.story_links()
    assert by_outlet["Wire Service"].published_at == "2025-03-05T08:12:00Z"
    assert links[by_outlet["Daily Digest"].id].duplicate_of == by_outlet["Wire Service"].id
    assert links[by_outlet["Wire Service"].id].duplicate_of is None


# Two ferry disasters of one kind, years apart, each reported by several outlets in
# their own words: the reports share the vocabulary of ferries, storms and rescues, and
# differ in the lake, the town, the vessel, the operator and the toll.
ORVANE_LEADS = [
    "Ferry Morning Star capsizes on Lake Orvane, 14 missing | The passenger ferry Morning "
    "Star overturned in a storm off Kessel on Sunday evening.",
    "Fourteen missing after Orvane ferry overturns near Kessel | Rescuers searched Lake "
    "Orvane for 14 people after the Morning Star capsized.",
    "Kessel mourns as Morning Star search goes on | Divers returned to Lake Orvane at dawn "
    "to look for the 14 passengers still missing.",
    "Bluewake Lines suspends Orvane crossings after Morning Star disaster | The operator "
    "Bluewake Lines halted its Kessel ferries after the capsizing.",
    "Captain of capsized Morning Star questioned | Police in Kessel questioned captain "
    "Tomas Brell about the Lake Orvane crossing.",
    "Survivors of Lake Orvane capsizing describe panic | Passengers rescued from the Morning "
    "Star told how the ferry listed in the storm off Kessel.",
    "Bluewake Lines faces inquiry over Morning Star | The Kessel harbour authority opened an "
    "inquiry into the overloaded ferry on Lake Orvane.",
]
DRAVIC_LEADS = [
    "Ferry Silver Gull sinks on Lake Dravic, 31 dead | The ferry Silver Gull went down in a "
    "storm near Halvik on Friday night.",
    "Death toll in Dravic ferry sinking rises to 31 | Halvik officials said 31 people died "
    "when the Silver Gull sank on Lake Dravic.",
    "Halvik holds vigil for Silver Gull victims | Hundreds gathered at the Lake Dravic "
    "waterfront for the 31 dead of the Silver Gull.",
    "Northstar Ferries grounds fleet after Silver Gull sinking | Northstar Ferries stopped "
    "all Lake Dravic sailings from Halvik.",
    "Minister Ada Kovanen orders Dravic ferry checks | Minister Ada Kovanen ordered checks "
    "on every Halvik ferry after the Silver Gull sank.",
    "Silver Gull survivors recall cold night on Lake Dravic | Passengers pulled from the "
    "water near Halvik described the ferry sinking in the storm.",
    "Northstar Ferries accused of ignoring Silver Gull warnings | Unions in Halvik said "
    "Northstar Ferries ignored warnings about the Lake Dravic ferry.",
]
FERRY_BODY = (
    " The ferry was carrying passengers and cars across the lake when strong winds and "
    "high waves struck. Coast guard boats, fishermen and divers joined the rescue, and "
    "survivors were taken to hospital with hypothermia. Relatives waited at the pier for "
    "news. Safety experts said ferries on the lake are often overloaded and that life "
    "jackets were not always within reach of passengers."
)
ORVANE_NAMES = ("e:orvane", "e:kessel", "e:morning-star", "e:bluewake", "e:brell")
DRAVIC_NAMES = ("e:dravic", "e:halvik", "e:silver-gull", "e:northstar", "e:kovanen")


def _ferry_reports(
    leads: list[str], names: tuple[str, ...], prefix: str, month: str | None = None
) -> list[StoryInput]:
    """Reports of one ferry disaster, each naming the entities its lead names, published
    on successive days of ``month`` ("2019-05") when given."""
    reports = []
    for n, lead in enumerate(leads):
        title, opening = lead.split(" | ")
        mentioned = tuple(
            name for name in names if name.split(":")[1].split("-")[0] in lead.lower()
        )
        published = f"{month}-{n + 1:02d}" if month else None
        reports.append(
            StoryInput(f"{prefix}{n}", opening + FERRY_BODY, title, mentioned, published=published)
        )
    return reports


def _settled_after_one_story(arrivals: list[StoryInput]):
    """A grouper whose threshold is low enough that the shared ferry vocabulary pulls
    every report into one story as they arrive (checked), settled: settling must find
    the events in it."""
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper(threshold=0.05)
    for report in arrivals:
        grouper.add(report)
    days = sorted(date.fromisoformat(r.published) for r in arrivals if r.published)
    if not days or (days[-1] - days[0]).days <= grouper.params.max_span_days:
        assert len({grouper.story_of[r.id] for r in arrivals}) == 1
    # Reports further apart than a story may span never shared one: settling keeps them apart.
    grouper.settle()
    return grouper


@pytest.mark.parametrize("months", [("2019-05", "2023-09"), ("2019-05", "2019-05"), (None, None)])
def test_a_story_holding_two_events_of_one_kind_is_split_in_two(months) -> None:

    orvane = _ferry_reports(ORVANE_LEADS, ORVANE_NAMES, "o", months[0])
    dravic = _ferry_reports(DRAVIC_LEADS, DRAVIC_NAMES, "d", months[1])
    grouper = _settled_after_one_story(
        [report for pair in zip(orvane, dravic, strict=True) for report in pair]
    )

    assert len({grouper.story_of[r.id] for r in orvane}) == 1
    assert len({grouper.story_of[r.id] for r in dravic}) == 1
    assert grouper.story_of["o0"] != grouper.story_of["d0"]


def test_threads_of_one_event_published_together_are_not_split() -> None:
    from parallax.stories import StoryGrouper

    # The search, the inquiry and the charges read as separate groups of reports, but
    # they were all published within days of each other: one event, several threads.
    orvane = _ferry_reports(ORVANE_LEADS, ORVANE_NAMES, "o", "2019-05")
    later = _ferry_reports(
        [
            "Morning Star death toll reaches 9 | Divers recovered nine bodies from Lake Orvane "
            "near Kessel, with five people still missing.",
            "Funerals held in Kessel for Morning Star victims | The town buried the first of "
            "the Lake Orvane dead as Bluewake Lines apologised.",
            "Morning Star raised from Lake Orvane | Salvage crews lifted the wreck of the ferry "
            "off Kessel for the inquiry.",
            "Brell charged over Morning Star capsizing | Captain Tomas Brell was charged in "
            "Kessel over the Lake Orvane disaster.",
        ],
        ORVANE_NAMES,
        "later",
        "2019-06",
    )
    grouper = StoryGrouper(threshold=0.05)
    for report in orvane + later:
        grouper.add(report)
    grouper.settle()
    assert len({grouper.story_of[r.id] for r in orvane + later}) == 1


def test_splitting_moves_only_the_new_batch() -> None:
    from parallax.stories import StoryGrouper

    orvane = _ferry_reports(ORVANE_LEADS, ORVANE_NAMES, "o")
    dravic = _ferry_reports(DRAVIC_LEADS, DRAVIC_NAMES, "d")
    grouper = StoryGrouper(threshold=0.05)
    # An earlier run put one Dravic report into the Orvane story; it stays there.
    for report in orvane:
        grouper.add(report)
    story = grouper.story_of["o0"]
    grouper.add(dravic[0], story_id=story)
    grouper.settle()
    for report in dravic[1:]:
        grouper.add(report)

    grouper.settle()

    assert grouper.story_of["d0"] == story
    assert {grouper.story_of[r.id] for r in orvane} == {story}
    assert len({grouper.story_of[r.id] for r in dravic[1:]}) == 1
    assert grouper.story_of["d1"] != story


def _mixed_reports(leads: list[str], names: tuple[str, ...], prefix: str, count: int):
    """``count`` different reports of one event: each headline with another opening."""
    titles = [lead.split(" | ")[0] for lead in leads]
    openings = [lead.split(" | ")[1] for lead in leads]
    combined = [
        f"{title} | {openings[(i + shift) % len(openings)]}"
        for shift in range(len(openings))
        for i, title in enumerate(titles)
    ]
    return _ferry_reports(combined[:count], names, prefix)


COACH_BODY = (
    " The club said in a statement that assistant coaches will lead training this week while"
    " the board searches for a successor, and supporters gathered outside the stadium to"
    " debate the decision."
)
COACH_SIDELINES = ("board", "fans", "owner", "captain", "crisis", "anger", "protest", "budget")


def _coach_firing(reasons: tuple[str, ...], prefix: str, year: int, shift: int) -> list:
    """Reports of one coach's dismissal by the (invented) Harbor City Gulls in ``year``:
    each headline and lead gives two of the ``reasons``, and one of the club's sideline
    troubles that reports of another dismissal mention as well."""
    import itertools

    reports = []
    for n, (first, second) in enumerate(itertools.combinations(reasons, 2)):
        sideline = COACH_SIDELINES[(n + shift) % len(COACH_SIDELINES)]
        title = f"Gulls coach out after {first} and {sideline}"
        lead = f"Harbor City Gulls dismissed their coach in {year} over the {second}."
        reports.append(StoryInput(f"{prefix}{n}", lead + COACH_BODY, title, years=(year,)))
    return reports


@pytest.mark.parametrize("years", [(2014, 2021), (2014, 2014)])
def test_two_dismissals_years_apart_are_split_on_a_less_clean_cut(years) -> None:
    from collections import Counter

    from parallax.stories import splitting
    from parallax.stories.grouping import lead_terms
    from parallax.stories.params import GroupingParams

    # One club firing two coaches seven years apart: the reports share the club, the
    # board, the fans, so their leads cut less cleanly than two unrelated events would.
    pell = _coach_firing(("Pell", "slump", "defeats", "winter", "Marlow"), "p", years[0], 0)
    okafor = _coach_firing(("Okafor", "collapse", "playoff", "spring", "Dunmore"), "o", years[1], 1)
    arrivals = [report for pair in zip(pell, okafor, strict=True) for report in pair]
    grouper = _settled_after_one_story(arrivals)

    if years[0] != years[1]:
        _, cut = splitting.best_cut([Counter(lead_terms(r)) for r in arrivals])
        params = GroupingParams()
        assert params.split.max_cut < cut < params.year_split_cut  # not clean without the years
        assert len({grouper.story_of[r.id] for r in pell}) == 1
        assert len({grouper.story_of[r.id] for r in okafor}) == 1
        assert grouper.story_of["p0"] != grouper.story_of["o0"]
    else:
        assert len({grouper.story_of[r.id] for r in arrivals}) == 1


def test_threads_published_either_side_of_a_new_year_are_not_split_by_their_years() -> None:
    from dataclasses import replace

    # The same reports as above, dated 2014 and 2015 by publication, days apart: threads
    # of one story that crossed a new year, not events years apart.
    pell = _coach_firing(("Pell", "slump", "defeats", "winter", "Marlow"), "p", 2014, 0)
    okafor = _coach_firing(("Okafor", "collapse", "playoff", "spring", "Dunmore"), "o", 2015, 1)
    pell = [replace(r, published=f"2014-12-{20 + n:02d}") for n, r in enumerate(pell)]
    okafor = [replace(r, published=f"2015-01-{1 + n:02d}") for n, r in enumerate(okafor)]
    arrivals = [report for pair in zip(pell, okafor, strict=True) for report in pair]

    grouper = _settled_after_one_story(arrivals)

    assert len({grouper.story_of[r.id] for r in arrivals}) == 1


def test_a_smaller_event_is_split_out_of_a_large_story() -> None:

    # Eight reports of the Dravic sinking inside a story of 28 are under a third of it,
    # but they are eight articles about another event, not a few odd ones.
    orvane = _mixed_reports(ORVANE_LEADS, ORVANE_NAMES, "o", 20)
    dravic = _mixed_reports(DRAVIC_LEADS, DRAVIC_NAMES, "d", 8)
    # A Dravic report after every second Orvane one, as a feed would bring them.
    arrivals = [*orvane[:4]]
    for n in range(8):
        arrivals += [*orvane[4 + 2 * n : 6 + 2 * n], dravic[n]]
    grouper = _settled_after_one_story(arrivals)

    assert len({grouper.story_of[r.id] for r in orvane}) == 1
    assert len({grouper.story_of[r.id] for r in dravic}) == 1
    assert grouper.story_of["d0"] != grouper.story_of["o0"]


def test_an_article_naming_none_of_a_story_s_names_fits_it_less() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, names=("e:sarrow", "e:velkor", "e:dorrin")))

    def fit(*names: str) -> float:
        return grouper.probability(StoryInput("y", QUAKE_A_OTHER_OUTLET, names=names), story)

    # One name in common lifts it, two more.
    assert fit("e:a", "e:b", "e:sarrow", "e:velkor") > fit("e:a", "e:b", "e:sarrow")
    assert fit("e:a", "e:b", "e:sarrow") > fit("e:a", "e:b", "e:c")


# Two Portuguese reports of unrelated news that share only the language's function words.
FAIR_PT = (
    "Para os moradores que ainda não foram, a feira do livro de Porto Lume fica aberta durante "
    "a semana, com mais de cem bancas, e os organizadores disseram que para as crianças "
    "haverá leituras na praça durante as tardes, que são mais calmas."
)
BUS_PT = (
    "Para os passageiros que ainda não sabem, as linhas de autocarro de Vale Seco mudam de "
    "horário durante a semana, com menos partidas, e os motoristas disseram que para as "
    "horas extraordinárias ainda não há acordo, que era esperado."
)


def test_another_language_s_function_words_do_not_join_its_articles() -> None:
    from parallax.stories import StoryGrouper

    def fit(language: str | None) -> float:
        grouper = StoryGrouper()
        story = grouper.add(StoryInput("fair", FAIR_PT, language=language))
        return grouper.probability(StoryInput("bus", BUS_PT, language=language), story)

    # Read as English, "que", "para" and "ainda" make them look alike: the bus report
    # would join the fair's story; read as Portuguese it does not.
    threshold = GroupingParams().threshold
    assert fit("pt") < threshold <= fit(None)


# A report whose lead dates the event and whose last paragraph recalls an older one.
DATED_REPORT = (
    "The Velkor dam reopened on 3 March 2024 after two years of repairs, the regional "
    "water board said, and the first barges passed through the new lock that afternoon. "
    + "Engineers checked the gates again during the night while the river rose slowly. " * 4
    + "The dam was first closed on 12 June 1998, when a flood cracked its northern wall."
)


def test_an_article_is_dated_by_its_lead_not_its_background() -> None:
    from parallax.stories import lead_years, years_in

    assert years_in(DATED_REPORT) == (1998, 2024)
    assert lead_years(DATED_REPORT) == (2024,)
    assert lead_years(DATED_REPORT, title="Dam shut since 2022 reopens") == (2022, 2024)


def test_the_pipeline_dates_an_article_by_publication_and_lead() -> None:
    from parallax.clean import clean_document
    from parallax.model import RawDocument
    from parallax.pipeline import story_input

    article = clean_document(
        RawDocument(
            source="dam.txt",
            format="text",
            content=f"Velkor dam reopens\n\n{DATED_REPORT}",
            is_html=False,
            published="2024-03-04",
        )
    )
    assert story_input(article, None).years == (2024,)
