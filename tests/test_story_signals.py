"""The learned article-vs-story scorer (parallax/stories/signals.py): its signals on
invented reports, the shipped weights, the simple grouping over them, and (beside
../shared only) leave-one-collection-out AUC on a small subset above a recorded floor."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from parallax.stories.grouping import StoryGrouper
from parallax.stories.params import GroupingParams
from parallax.stories.signals import (
    SIGNALS,
    CandidateIndex,
    Frequencies,
    StoryScorer,
    StoryState,
    add_article,
    candidate_signals,
    date_closeness,
    read_article,
    remove_article,
    signals,
)
from parallax.stories.texts import StoryInput
from tests.benchmarking import benchmark_module

PARAMS = GroupingParams()

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"

# Three invented warehouse fires: one kind of event, told apart by where, who and when.
EVENTS = {
    "varnel": [
        (
            "Fire guts Varnel paint warehouse",
            "2019-03-02",
            "A fire destroyed the Ostrel Paints warehouse on Mill Lane in Varnel early on "
            "Sunday. Fire chief Ilse Draven said 46 firefighters fought the blaze for six hours "
            "and that nobody was hurt. The cause of the fire is under investigation.",
        ),
        (
            "Varnel warehouse blaze: cause still unknown",
            "2019-03-03",
            "Investigators returned on Monday to the burnt Ostrel Paints warehouse on Mill Lane "
            "in Varnel. Chief Ilse Draven said the 46 firefighters saved the offices next door. "
            "Ostrel Paints said 31 workers would be paid while the site is rebuilt.",
        ),
        (
            "Ostrel Paints to rebuild after Varnel fire",
            "2019-03-05",
            "Ostrel Paints will rebuild its Varnel warehouse on Mill Lane, the company said on "
            "Wednesday, days after a fire that chief Ilse Draven called the largest in the "
            "town for years. The 31 workers keep their jobs.",
        ),
    ],
    "kestrel": [
        (
            "Blaze destroys Kestrel Bay timber warehouse",
            "2021-08-14",
            "Flames tore through the Harrow Timber warehouse at Kestrel Bay docks on Thursday "
            "night. Captain Tomas Relland of the Kestrel Bay fire service said 18 crews were "
            "called and two dock workers were treated for smoke.",
        ),
        (
            "Two treated after Kestrel Bay docks fire",
            "2021-08-15",
            "Two dock workers were treated for smoke after the Harrow Timber warehouse fire at "
            "Kestrel Bay docks, captain Tomas Relland said on Friday. The 18 crews stayed on "
            "the docks overnight to stop the fire spreading to the quay.",
        ),
        (
            "Harrow Timber counts losses at Kestrel Bay",
            "2021-08-17",
            "Harrow Timber said the fire at its Kestrel Bay docks warehouse destroyed stock "
            "worth 900,000 pounds. Captain Tomas Relland said the fire had started in a "
            "forklift charging bay.",
        ),
    ],
    "dunmere": [
        (
            "Dunmere furniture depot burns",
            "2023-11-20",
            "A fire ripped through the Brannock Furniture depot in Dunmere on Tuesday. "
            "Station officer Nadia Osei said 27 firefighters were sent and the depot roof "
            "collapsed. Residents of Quarry Road were told to keep windows closed.",
        ),
        (
            "Quarry Road residents return after Dunmere fire",
            "2023-11-21",
            "Residents of Quarry Road in Dunmere went home on Wednesday after the Brannock "
            "Furniture depot fire. Station officer Nadia Osei said the 27 firefighters had "
            "kept the flames from the houses.",
        ),
        (
            "Brannock Furniture fire was arson, Dunmere police say",
            "2023-11-24",
            "Police in Dunmere said on Saturday that the fire at the Brannock Furniture depot "
            "on Quarry Road was set deliberately. Station officer Nadia Osei had said 27 "
            "firefighters fought the blaze.",
        ),
    ],
}


def _items() -> list[StoryInput]:
    """The nine reports interleaved, as they might arrive from several outlets."""
    items = []
    for n in range(3):
        for event, reports in EVENTS.items():
            title, published, text = reports[n]
            items.append(StoryInput(f"{event}-{n}", text, title=title, published=published))
    return items


def _story(items: list[StoryInput], frequencies: Frequencies) -> StoryState:
    story = StoryState()
    for item in items:
        add_article(story, read_article(item, frequencies, PARAMS))
    return story


@pytest.fixture(scope="module")
def scorer() -> StoryScorer:
    return StoryScorer.load()


def test_weights_file_loads_with_the_declared_signals(scorer):
    data = json.loads((ROOT / "parallax/stories/data/story_weights.json").read_text())
    assert tuple(data["features"]) == SIGNALS == scorer.features
    assert scorer.weights.shape == (len(SIGNALS),)
    assert data["trained_on"] == ["ECB+", "GVA", "news", "L3S"]
    assert 0 < scorer.probability(np.zeros(len(SIGNALS))) < 1


def test_weights_for_other_signals_are_refused(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"features": ["body_cosine"], "weights": [1.0], "intercept": 0}))
    with pytest.raises(ValueError, match="signals"):
        StoryScorer.load(path)


def test_same_event_scores_above_same_kind_elsewhere(scorer):
    frequencies = Frequencies()
    varnel = _story([_items()[0], _items()[3]], frequencies)  # two Varnel reports
    kestrel = _story([_items()[1], _items()[4]], frequencies)  # two Kestrel Bay reports
    arriving = read_article(_items()[6], frequencies, PARAMS)  # the third Varnel report
    rows = candidate_signals(arriving, [varnel, kestrel])
    same, other = scorer.probabilities(rows)
    assert same > PARAMS.threshold > other
    # Each signal that compares content says so too, not only the sum.
    for name in ("body_margin", "lead_cosine", "names_shared", "time_agreement"):
        at = SIGNALS.index(name)
        assert rows[0, at] > rows[1, at], name


def test_days_apart_lower_the_probability(scorer):
    frequencies = Frequencies()
    story = _story([_items()[0], _items()[3]], frequencies)
    article = read_article(_items()[6], frequencies, PARAMS)
    probabilities = [
        scorer.probability(signals(replace(article, day=day), story))
        for day in (date(2019, 3, 5), date(2019, 4, 20), date(2020, 6, 1))
    ]
    assert probabilities[0] > probabilities[1] > probabilities[2]
    assert date_closeness(0) == 1.0 and date_closeness(400) == -1.0 and date_closeness(None) == 0


def test_remove_undoes_add():
    frequencies = Frequencies()
    first, second = (read_article(item, frequencies, PARAMS) for item in _items()[:2])
    story = StoryState()
    add_article(story, first)
    before = signals(second, story)
    add_article(story, second)
    remove_article(story, second)
    assert np.allclose(signals(second, story), before)
    assert story.size == 1 and set(story.names) == set(first.names)


def test_an_undated_article_reads_its_dateline():
    frequencies = Frequencies()
    text = "VARNEL, March 4, 2019 - A fire destroyed a warehouse on Mill Lane."
    assert read_article(StoryInput("a", text), frequencies, PARAMS).day == date(2019, 3, 4)
    assert read_article(StoryInput("b", "A fire destroyed it."), frequencies, PARAMS).day is None


def test_grouping_three_events_of_one_kind(scorer):
    grouper = StoryGrouper(scorer=scorer)
    items = _items()
    labels = {item.id: grouper.add(item) for item in items}
    for event in EVENTS:
        assert len({labels[f"{event}-{n}"] for n in range(3)}) == 1, labels
    assert len(set(labels.values())) == 3, labels


def test_the_weights_parameter_names_a_weights_file(tmp_path):
    """``GroupingParams.weights`` swaps the shipped weights for a user's: weights that read
    nothing but the body margin, with an intercept no article reaches, join nothing."""
    data = json.loads((ROOT / "parallax/stories/data/story_weights.json").read_text())
    data["weights"] = [0.0] * len(SIGNALS)
    data["intercept"] = -20.0
    path = tmp_path / "never.json"
    path.write_text(json.dumps(data))
    shipped = StoryGrouper()
    never = StoryGrouper(GroupingParams(weights=str(path)))
    for item in _items():
        shipped.add(item)
        never.add(item)
    assert len(set(shipped.story_of.values())) == 3
    assert len(set(never.story_of.values())) == len(_items())


def test_only_the_closest_candidates_are_scored():
    frequencies = Frequencies()
    params = GroupingParams(scored=2)
    index = CandidateIndex(params)
    stories = {}
    for n, item in enumerate(_items()[:6]):
        article = read_article(item, frequencies, params)
        story = stories.setdefault(f"s{n}", StoryState())
        add_article(story, article)
        index.add(f"s{n}", article)
    arriving = read_article(_items()[6], frequencies, params)
    found = index.candidates(arriving, stories)
    assert len(found) == 2
    assert found[0][1] >= found[1][1]
    everything = CandidateIndex(GroupingParams(scored=100))
    for n, item in enumerate(_items()[:6]):
        everything.add(f"s{n}", read_article(item, frequencies, params, count=False))
    ranked = everything.candidates(arriving, stories)
    assert [story for story, _ in ranked[:2]] == [story for story, _ in found]


def test_grouping_does_not_depend_on_the_hash_seed():
    """Names are sets; the order their keys are looked up in decides ties among candidate
    stories, so it must not follow Python's per-process string hashing."""
    import subprocess
    import sys

    # Two stories sharing one name each with the arrival and no word: a tie for the one
    # candidate place.
    script = (
        "from parallax.stories.params import GroupingParams\n"
        "from parallax.stories.signals import *\n"
        "from parallax.stories.texts import StoryInput\n"
        "params, counts = GroupingParams(candidates=1), Frequencies()\n"
        "index, stories = CandidateIndex(params), {}\n"
        "for n in range(8):\n"
        "    article = read_article(StoryInput(f'a{n}', f'word{n} ' * 5, names=(f'e:n{n}',)),"
        " counts, params)\n"
        "    add_article(stories.setdefault(f's{n}', StoryState()), article)\n"
        "    index.add(f's{n}', article)\n"
        "names = tuple(f'e:n{n}' for n in range(8))\n"
        "arrival = read_article(StoryInput('x', 'other words', names=names), counts, params)\n"
        "print(index.candidates(arrival, stories))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1, runs


# --------------------------------------------------------------- beside ../shared only

# Measured 2026-12-04 with the command in docs/benchmarks.md ("Learned story signals"):
# ECB+ topics 1-12 -> GVA first 1,200 reports (0.948) and back (0.980); the floors sit
# about 0.02 under. About 20 s.
AUC_FLOOR = {"ECB+ -> GVA": 0.93, "GVA -> ECB+": 0.96}


@pytest.fixture(scope="module")
def bench():
    with benchmark_module("train_stories.py", "train_stories_benchmark") as module:
        yield module


@pytest.mark.skipif(
    not (SHARED / "ecbplus").is_dir() or not (SHARED / "gva-incidents").is_dir(),
    reason="../shared/eval (ECB+ and GVA) is not present on this machine",
)
def test_leave_one_collection_out_auc_holds(bench):
    from sklearn.metrics import roc_auc_score

    ecb = bench.ecbplus_collection(SHARED / "ecbplus", "1-12")
    gva = bench.gva_collection(SHARED / "gva-incidents", limit=1200)
    training = {c.name: bench.labelled_pairs(c, undate=bench.UNDATE) for c in (ecb, gva)}
    testing = {c.name: bench.labelled_pairs(c) for c in (ecb, gva)}
    found = {}
    for train, test in ((ecb, gva), (gva, ecb)):
        model = bench.fit(*training[train.name])
        x, y = testing[test.name]
        found[f"{train.name} -> {test.name}"] = roc_auc_score(y, model.probabilities(x))
    for direction, floor in AUC_FLOOR.items():
        assert found[direction] >= floor, found
