"""Every tuned parameter of story grouping, with the evidence for its value.

``GroupingParams`` is passed in (``StoryGrouper(params)``, ``group_inputs``,
``pipeline.group_stories``, ``parallax group --threshold``); its nested groups hold what
one part reads: ``SplitParams`` telling two events in a story apart (``splitting``),
``CopyParams`` finding copies (``copies``) and ``DescribeParams`` describing a story
(``describe``). The defaults are the tuned values; nothing reads a module constant
instead. The MinHash shingle size and number of permutations are not parameters: they
define the signatures a store keeps (``copies.SHINGLE``, ``copies.PERMUTATIONS``); nor are
the learned scorer's signals and their date horizon (``signals.SIGNALS``,
``signals.DATE_HORIZON_DAYS``), which the weights were fitted with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any


@dataclass(frozen=True)
class SplitParams:
    """Telling two events of one kind apart inside a story (``splitting.best_cut``)."""

    # Chosen on the ECB+ topics in ../shared (benchmarks/stories.py, docs/benchmarks.md
    # "Stories"): below this cut a story is two events. On their raw texts no story of a
    # single event cuts below 0.53 and two-fold CV scores the same from 0.5 to 0.52; read
    # through ``parallax run`` two stories of two events cut at 0.503 and 0.514 (0.5: 0.915,
    # 0.52: 0.925). Above 0.52 one-event stories start to split on raw text. With the learned scorer
    # (docs/benchmarks.md "Rules kept and removed"): without splitting ECB+ 0.930 -> 0.886,
    # GVA 0.882 -> 0.883, news unchanged.
    max_cut: float = 0.52
    # Shuffled draws the cut is weighed against (chance: the same terms in no real groups).
    chance_draws: int = 10
    # Each side must hold at least this share of the story, or at least ``min_side``
    # articles: a few odd articles are not an event, but eight of them in a story of eighty
    # can be one.
    min_share: float = 0.3
    min_side: int = 8
    # Fewer members than this do not show two groups reliably.
    min_members: int = 6
    # Larger stories are not checked: the cut costs cubic time in the members, and a story
    # that large has been confirmed by many arrivals.
    max_members: int = 1_000
    # The headline and the opening words name the event; further in, background takes over.
    lead_chars: int = 150


@dataclass(frozen=True)
class CopyParams:
    """Finding copies among signatures (``copies.copies_among``)."""

    # 32 bands of 4 rows (of ``copies.PERMUTATIONS``, which it must divide): a pair at 0.5
    # Jaccard shares some band 87 % of the time, at 0.65 99 %.
    bands: int = 32
    # Estimated Jaccard of the shingle sets: a few edited words per sentence still leave a
    # copy above this, while two reports written separately share almost no 5-grams.
    copy_jaccard: float = 0.5


@dataclass(frozen=True)
class DescribeParams:
    """What a story says about its members (``describe.describe_story``)."""

    # The canonical names a story lists: those in the most member articles.
    story_entities: int = 5
    # Two reports of one event name the same few actors; one shared name (a country, a
    # capital) is common between unrelated reports too. A story's confidence is the share
    # of member pairs naming at least this many entities in common.
    shared_entities: int = 2


@dataclass(frozen=True)
class GroupingParams:
    """Same-event grouping (``grouping.StoryGrouper``) and the parts it reads."""

    # An article joins the most probable of its candidate stories when the learned
    # scorer (``signals.StoryScorer``) gives it at least this probability of reporting
    # that story's event; else it starts a story. benchmarks/train_stories.py's rule (the
    # least largest regret over ECB+, GVA, a week of real news and L3S-GN1 and their
    # small-event cuts, among thresholds keeping every example event one story) chose
    # 0.8 with the shipped weights (session 39), pulled up by the two page collections,
    # where most events are told once. At 0.8 ECB+, where every event is told by several
    # outlets as in the news Parallax is for, loses 0.02 in-sample and 0.03 on its gate;
    # 0.75 is the highest threshold at which no collection scores under the previous
    # weights at their 0.7 by more than 0.003. Held out (weights fitted on the other
    # three), at 0.75: ECB+ 0.936, GVA 0.883, news 0.924, L3S 0.942, each within 0.03 of
    # the collection fitted on itself (docs/benchmarks.md "The margin, not the cosine").
    threshold: float = 0.75
    # The scorer's weights: a JSON file written by benchmarks/train_stories.py; empty for
    # the shipped ones (fitted on ECB+, GVA, the week of real news and L3S-GN1).
    weights: str = ""
    # Two stories of at least two articles whose centroids are this close report one event
    # (ECB+ two-fold CV 0.939 -> 0.941; no two stories of the real-news set come this close).
    twin_cosine: float = 0.3
    # A story is read with the closest other story if their centroids are this close: below
    # ``twin_cosine`` they are not joined, but if the two hold two events cleanly they are
    # cut again along them (ECB+ in shuffled orders 0.942 -> 0.946, all 33 topics grouped at
    # once 0.915 -> 0.919, through ``parallax run`` 0.941 -> 0.944; in file order and on
    # real news unchanged; 0.1 scores as 0.15, 0.2 and up as 0.3).
    # With the learned scorer (docs/benchmarks.md "Rules kept and removed"), the two
    # together, a twin joining only when the scorer gives its articles on average the
    # threshold's probability of the other story: without them ECB+ 0.930 -> 0.908, GVA
    # 0.882 -> 0.883, news unchanged.
    neighbour_cosine: float = 0.15
    # Terms an article's TF-IDF vector keeps (its strongest).
    top_terms: int = 60
    # An article's strongest terms it is indexed and looked up by, with its names.
    top_keys: int = 12
    # Per term or name, the stories that carry it, most recent last and at most this many:
    # news about one event arrives together, so an old story falling off a busy key costs
    # little, and every arrival meets a bounded number of candidates however large the
    # corpus grows.
    postings: int = 64
    # The stories sharing the most keys with the article are its candidates: one that
    # shares a single common word is never the best fit, and scoring costs. Of those, the
    # ``scored`` closest by body cosine are scored (the shipped weights were fitted on
    # candidates chosen so: their margin signal reads a story against the others).
    candidates: int = 24
    scored: int = 10
    # The title and the opening sentences say who, what, where and when; the rest of an
    # article is background that alike events share. Their words count twice (+2 points of
    # B-cubed F1 on ECB+, two-fold CV). Years are read there too (``lead_years``).
    lead_chars: int = 400
    # How many of a batch's latest arrivals ``settle`` re-places: order matters among
    # articles that arrive close together; one placed thousands of arrivals ago has been
    # confirmed or not by everything that joined its story since. Bounds time and memory.
    # With the learned scorer (docs/benchmarks.md "Rules kept and removed"): without
    # re-placing (a window of one) ECB+ 0.930 -> 0.865, news 0.952 -> 0.934, GVA 0.882 ->
    # 0.881.
    settle_window: int = 2_000
    # Reports of one event are published within this many days of each other: two groups
    # of a story published this close together, about the same people and places, are threads
    # of one event (the rescue, the inquiry), not two events of one kind.
    same_period_days: int = 30
    # A story must not chain. Without bounds, a stream of one kind of event (US shootings:
    # benchmarks/stories.py's GVA collection, 5,671 reports grouped without the analysis)
    # chains into a story of 1,958 reports. Two bounds (docs/benchmarks.md "Chaining"):
    # - an article joins a story only if its vector has at least ``seed_cosine`` with the
    #   sum of the story's first ``seed_members`` articles' vectors (what it was about
    #   before it grew). Chosen on ECB+ (33 topics at once, without the analysis) as the
    #   largest value on its plateau: B3 F1 0.935 at 0, 0.933 from 0.08 to 0.12, 0.926 at
    #   0.15, 0.918 at 0.2. Reported on GVA: 0.752 without it, 0.798 at 0.12. Chosen on GVA
    #   instead (0.25, GVA 0.865), it would cost ECB+ 0.033.
    # - a story spans at most ``max_span_days`` of publication dates (twins joined in
    #   settling too). ECB+ through ``parallax run`` (datelines give dates): 30 days costs
    #   0.03 on topics 1-4, 45 costs 0.018 and 90 costs 0.012 on all topics (its gold events
    #   span months of datelines); 90 is the tightest tried that passes every ECB+ gate.
    #   Reported on GVA: largest story 144 without it, 34 at 90; B3 F1 0.749 -> 0.776.
    # With the learned scorer (docs/benchmarks.md "Rules kept and removed"): without the span
    # bound GVA 0.882 -> 0.868 and its largest story 12 -> 47, news 0.952 -> 0.949, while
    # ECB+ gains 0.930 -> 0.942 (gold events over a year of datelines). The seed bound
    # no longer moves any figure on the three collections (the margin signal keeps arrivals
    # off generic stories); it stays as the bound on drift from a story's first reports.
    seed_cosine: float = 0.12
    seed_members: int = 3
    max_span_days: int = 90
    # A name carried by at least this share of one group's articles is one of its main names.
    main_name_share: float = 0.5
    # An article whose headline, opening words and names share next to nothing with those of
    # every other member of its story (this cosine, rarity-weighted) was drawn in by the
    # background vocabulary of a topic (Apple products, a trade war), not by the event: no
    # member of an ECB+ story comes this low, while on real news these are almost all wrong
    # joins (benchmarks/stories.py --real-news: B-cubed F1 0.858 -> 0.896 at the default
    # threshold; ECB+ two-fold CV unchanged). With the learned scorer (docs/benchmarks.md
    # "Rules kept and removed"): without it news 0.952 -> 0.947, ECB+ 0.930 -> 0.931.
    min_lead_cosine: float = 0.1
    # A story of three or more whose members' leads overlap this little on average (mean
    # pairwise cosine) is a topic, not an event (Hong Kong and the trade war; Apple's
    # products and deals): there each of the batch's articles needs a lead at least
    # ``loose_story_min_lead_cosine`` close to another member's to stay. Stories of one
    # event in ECB+ average 0.176 or more; on real news every story under 0.15 mixes events,
    # and the rule takes B-cubed F1 at the default threshold from 0.896 to 0.935 (ARI 0.523
    # to 0.686) without moving ECB+; any pair of values from 0.12-0.18 and 0.2-0.3 does as
    # well. With the learned scorer (docs/benchmarks.md "Rules kept and removed"): at 0.15 it
    # cost GVA 0.001; at 0.12, the low end of that range, it costs nothing anywhere and gives
    # the news 0.946 -> 0.952 (ECB+ 0.930 and GVA 0.882 either way).
    loose_story_lead_cosine: float = 0.12
    loose_story_min_lead_cosine: float = 0.25
    # A story whose best cut is less clean than ``split.max_cut`` still holds two events
    # when the cut is under this and its two sides are dated to different years: the main
    # year of each side's dated members (at least ``min_dated_side`` of them) is stated by at
    # most a quarter of the other side's. Two sides of one event rarely disagree on the
    # year; background years ("born in 1923") are why the cut must still be fairly clean.
    # On ECB+ any value from 0.6 to 0.75 scores the same; at 0.8 one death's reports split
    # on the years of a life. With the learned scorer (docs/benchmarks.md "Rules kept and
    # removed"): without it ECB+ 0.930 -> 0.915; GVA and news unchanged.
    year_split_cut: float = 0.7
    min_dated_side: int = 2
    split: SplitParams = field(default_factory=SplitParams)
    copies: CopyParams = field(default_factory=CopyParams)
    describe: DescribeParams = field(default_factory=DescribeParams)


def with_settings(params: GroupingParams, settings: Iterable[str]) -> GroupingParams:
    """``params`` with each ``NAME=VALUE`` of ``settings`` set (``seed_cosine=0.2``; a
    nested group's field by its dotted name, ``split.max_cut=0.5``); ValueError naming the
    valid names for an unknown one, or the expected type for a value that is not one."""
    for setting in settings:
        name, equals, value = setting.partition("=")
        if not equals:
            raise ValueError(f"{setting!r}: give NAME=VALUE, e.g. seed_cosine=0.2")
        params = _set(params, name.strip().split("."), value.strip())
    return params


def setting_names(params: Any = None) -> list[str]:
    """Every name ``with_settings`` accepts, nested groups' as dotted names."""
    params = params if params is not None else GroupingParams()
    names = []
    for item in fields(params):
        value = getattr(params, item.name)
        if is_dataclass(value):
            names += [f"{item.name}.{inner}" for inner in setting_names(value)]
        else:
            names.append(item.name)
    return names


def _set(params: Any, path: list[str], value: str) -> Any:
    known = {item.name for item in fields(params)}
    if path[0] not in known:
        raise ValueError(
            f"unknown grouping parameter {'.'.join(path)!r}: one of {', '.join(setting_names())}"
        )
    current = getattr(params, path[0])
    if is_dataclass(current):
        if len(path) == 1:
            raise ValueError(f"{path[0]!r} is a group: name one of its fields ({path[0]}.NAME)")
        return replace(params, **{path[0]: _set(current, path[1:], value)})
    try:
        typed = type(current)(value)
    except ValueError:
        raise ValueError(f"{'.'.join(path)}={value!r}: expected {type(current).__name__}") from None
    return replace(params, **{path[0]: typed})
