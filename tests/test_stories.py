"""Copies and same-event grouping on reports written for these tests."""

from __future__ import annotations

from parallax.stories import StoryInput, find_copies, group_texts

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


def test_two_reports_of_one_event_share_a_story_and_another_event_does_not() -> None:
    labels = group_texts([QUAKE_A, QUAKE_B, QUAKE_A_OTHER_OUTLET], ["a", "b", "a2"], analyse=False)
    assert labels[0] == labels[2]
    assert labels[1] != labels[0]


def test_a_year_conflict_counts_against_joining() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, names=("velkor",), years=(2011,)))
    same_year = grouper.score(StoryInput("y", QUAKE_A_OTHER_OUTLET, years=(2011,)), story)
    other_year = grouper.score(StoryInput("y", QUAKE_A_OTHER_OUTLET, years=(2024,)), story)
    assert abs((same_year - other_year) - grouper.year_penalty) < 1e-9


def test_shared_names_count_for_joining() -> None:
    from parallax.stories import StoryGrouper

    grouper = StoryGrouper()
    story = grouper.add(StoryInput("x", QUAKE_A, names=("e:sarrow", "e:velkor")))
    named = grouper.score(StoryInput("y", QUAKE_B, names=("e:sarrow", "e:velkor")), story)
    unnamed = grouper.score(StoryInput("y", QUAKE_B), story)
    assert named > unnamed


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
    # only one article; weighed again on the whole batch, it stands alone.
    grouper = StoryGrouper(threshold=0.4)
    grouper.add(StoryInput("velkor", QUAKE_A, names=("e:velkor",)))
    follow_up = StoryInput(
        "follow-up",
        "Divers finished inspecting the Marrane piers after the earthquake; the harbour wall "
        "and the cracked lighthouse stay closed, and ferries resume. Schools in the valley "
        "reopen and field hospitals close, residents said.",
        names=("e:velkor", "e:marrane"),
    )
    marrane = StoryInput("marrane", QUAKE_B, names=("e:marrane", "e:fenn", "e:lighthouse"))
    first = grouper.add(follow_up)
    assert grouper.add(marrane) == first == grouper.story_of["velkor"]

    moved = grouper.settle()

    assert moved == {"marrane": grouper.story_of["marrane"]}
    assert grouper.story_of["marrane"] != first
    assert grouper.stories[first].members == ["velkor", "follow-up"]
    assert grouper.stories[grouper.story_of["marrane"]].members == ["marrane"]
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
