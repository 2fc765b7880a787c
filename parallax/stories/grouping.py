"""Same-event grouping, one article at a time.

An article joins the story its event most probably is, or starts a new one. The
probability comes from a few signals read against each candidate story (body and lead
cosine, the margin over the other candidates, rarity-weighted shares of names and
figures, how well their dates or stated years agree) combined with weights learned from
labelled stories (``signals``, ``data/story_weights.json``): what a shared name or a
week apart is worth is fitted, not set by hand. An article joins the most probable
candidate when that probability reaches ``threshold``.

Two bounds keep a story from chaining through a stream of one kind of event, one report
at a time: an article joins only a story whose first members' words it shares
(``seed_cosine``), and a story spans at most ``max_span_days`` of publication dates.

Candidate stories come from an inverted index over each story's strongest terms and
names (``signals.CandidateIndex``), so an arrival is compared with a handful of stories,
not all of them, and grouping grows about linearly with the corpus. Document frequencies
are counted as articles arrive: nothing is refitted.

Within one batch (one ``parallax run``) the placement of an article depends on
which of its batch-mates came first, so once the batch is in, ``settle`` places
its latest articles (up to ``settle_window``) once more against the stories the
whole batch built, splits the stories it touched that hold two events
(``splitting``), and reads each of them with its neighbour, the story with the closest
centroid (at least ``neighbour_cosine``): if the two hold one event, a story made only of
the batch's articles moves into it when it is a twin (``twin_cosine``), which formed
beside it before either was whole; if they hold two, each taking reports of both because
these arrived interleaved, the pair is cut again along the events' boundary. Last, an
article whose headline and names share next to nothing with any other member's
(``min_lead_cosine``) leaves for a story of its own, and in a story whose leads hardly
overlap at all (a topic such as one company's news, not an event) so does every article
without a close lead beside it. Earlier batches' articles never move.

The values in ``code`` are fields of ``GroupingParams`` (``params``), each with the
evidence for its value.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

from parallax.stories import splitting
from parallax.stories.params import GroupingParams
from parallax.stories.signals import (
    Article,
    CandidateIndex,
    Frequencies,
    StoryScorer,
    StoryState,
    add_article,
    candidate_signals,
    read_article,
    remove_article,
)
from parallax.stories.texts import StoryInput, lead_terms

# For benchmarks/stories.py, which reads the default; grouping itself reads its
# ``GroupingParams``.
THRESHOLD = GroupingParams().threshold


@dataclass
class _Story(StoryState):
    """A story's aggregates (``StoryState``, what the signals read), its members, and what it
    was about before it grew: the summed vectors of its first members (``seed_members`` of
    them), against which its drift is bounded."""

    id: str = ""
    members: list[str] = field(default_factory=list)
    seed: Counter[str] = field(default_factory=Counter)
    seed_ids: set[str] = field(default_factory=set)
    seed_norm: float = 1.0  # the seed's length, computed when the seed changes

    @property
    def norm(self) -> float:
        return math.sqrt(self.body_sq) or 1.0

    def reseed(self) -> None:
        self.seed_norm = math.sqrt(sum(w * w for w in self.seed.values())) or 1.0


class StoryGrouper:
    """Incremental grouping: ``add`` each article once, in arrival order.

    ``params`` are the tuned parameters (``threshold`` overrides theirs); ``scorer`` the
    learned weights, by default those ``params.weights`` names or the shipped ones."""

    def __init__(
        self,
        params: GroupingParams | None = None,
        *,
        threshold: float | None = None,
        scorer: StoryScorer | None = None,
    ) -> None:
        params = params or GroupingParams()
        if threshold is not None:
            params = replace(params, threshold=threshold)
        self.params = params
        self.scorer = scorer or StoryScorer.load(Path(params.weights) if params.weights else None)
        self.stories: dict[str, _Story] = {}
        self.story_of: dict[str, str] = {}
        self._started = 0
        # The articles of the current batch placed by probability, as read when they
        # arrived, so that ``settle`` can take them out again.
        self._unsettled: dict[str, tuple[StoryInput, Article]] = {}
        self.frequencies = Frequencies()
        self.index = CandidateIndex(params)
        # Each article's headline words and names, for telling two events in a story apart.
        self._leads: dict[str, tuple[str, ...]] = {}
        self._published: dict[str, date] = {}
        self._years: dict[str, frozenset[int]] = {}
        self._arrival: dict[str, int] = {}

    def add(self, item: StoryInput, story_id: str | None = None) -> str:
        """Place one article; ``story_id`` forces a story (a user's decision) instead."""
        article = read_article(item, self.frequencies, self.params)
        self._leads[item.id] = lead_terms(item, self.params.split.lead_chars)
        if article.years:
            self._years[item.id] = article.years
        self._arrival.setdefault(item.id, self.frequencies.documents)
        if article.day:
            self._published[item.id] = article.day
        if story_id is None:
            story_id = self._place(article)
            self._unsettled[item.id] = (item, article)
            if len(self._unsettled) > self.params.settle_window:
                del self._unsettled[next(iter(self._unsettled))]
        self._join(article, story_id)
        return story_id

    def settle(self, copies: Mapping[str, str] | None = None) -> dict[str, str]:
        """Place each article of the current batch once more, now that all of it is in,
        then split the stories it touched that hold two events, settle each with its
        neighbour (join its twin, or cut the pair again along the events) and let strays
        go; last, each of the batch's ``copies`` (copy id: original id) joins its
        original's story if it is not there. Returns the articles that moved, with their
        new story.

        Copies are placed and settled like any report, not held out: the wording an
        event's reports share is how it is told, and on ECB+ holding the copies out
        loses a topic's split (B-cubed F1 0.949 -> 0.939 on raw text, two-fold means;
        0.915 -> 0.899 through ``parallax run``)."""
        before = {article_id: self.story_of[article_id] for article_id in self._unsettled}
        placed: dict[str, Article] = {}
        threshold = self.params.threshold
        for item, article in self._unsettled.values():
            old = self.story_of[item.id]
            self._leave(article, old)
            # Read again with the rarities the whole batch gives.
            read = read_article(item, self.frequencies, self.params, count=False)
            new = self._place(read)
            if new not in self.stories and old not in self.stories:
                new = old  # alone before and alone again: the same story
            elif new not in self.stories and self._probability_of(article, old) >= threshold:
                # Read as it arrived, it still fits where it was, and stays as read then: an
                # article leaves for a story of its own only when both readings say so. In a
                # batch of a few articles the rarities are too few to read it again alone
                # (two reports of one parade share most of their words, which two documents
                # make common).
                new, read = old, article
            self._join(read, new)
            placed[item.id] = read
        self._unsettled.clear()
        for story_id in sorted({self.story_of[article_id] for article_id in placed}):
            self._split(story_id, placed)
        for story_id in sorted({self.story_of[article_id] for article_id in placed}):
            self._meet_neighbour(story_id, placed)
        for story_id in sorted({self.story_of[article_id] for article_id in placed}):
            self._drop_strays(story_id, placed)
        for copy, original in (copies or {}).items():
            if copy in placed and original in self.story_of:
                self._move(placed[copy], self.story_of[original])
        return {a: self.story_of[a] for a, old in before.items() if self.story_of[a] != old}

    def _move(self, article: Article, story_id: str) -> None:
        if self.story_of[article.id] != story_id:
            self._leave(article, self.story_of[article.id])
            self._join(article, story_id)

    def _split(self, story_id: str, movable: Mapping[str, Article]) -> None:
        """Split a story holding two events, and each part again; only ``movable``
        articles (the batch's) change story, earlier ones stay where they were put."""
        members = self.stories[story_id].members
        sides = self._lead_sides(members)
        if sides is None or self._threads_of_one_event(members, sides):
            return
        # The side holding more of the earlier batches' articles keeps the story (they stay
        # where they were put), or with none of those, the side of its first arrival.
        settled = Counter(side for m, side in zip(members, sides, strict=True) if m not in movable)
        first = min(range(len(members)), key=lambda i: self._arrival[members[i]])
        keeper = max((True, False), key=lambda side: (settled[side], side == sides[first]))
        leaving = [
            m for m, side in zip(members, sides, strict=True) if side != keeper and m in movable
        ]
        if not splitting.substantial(len(leaving), len(members), self.params.split):
            return
        self._started += 1
        new_id = f"s{self._started:05d}"
        for article_id in leaving:
            self._move(movable[article_id], new_id)
        self._split(story_id, movable)
        self._split(new_id, movable)

    def _meet_neighbour(self, story_id: str, movable: Mapping[str, Article]) -> None:
        """Read a story together with its closest neighbour (``neighbour_cosine``). Together
        they may hold one event: a story made only of the batch's articles then moves into
        its twin, a neighbour at least ``twin_cosine`` close (their first reports arrived
        before either story was whole). Or two: the pair is cut again along the events'
        boundary and each side goes to the story already holding more of it (their first
        reports arrived interleaved, so each story took reports of both), and each story
        of the pair is checked for two events again. Only the batch's articles move."""
        story = self.stories.get(story_id)
        if story is None or len(story.members) < 2:
            return
        nearest = self._nearest(story, self.params.neighbour_cosine)
        if nearest is None:
            return
        neighbour, cosine = nearest
        own, theirs = list(story.members), list(self.stories[neighbour].members)
        together = own + theirs
        sides = self._lead_sides(together)
        if sides is None:
            if (
                cosine >= self.params.twin_cosine
                and all(m in movable for m in own)
                and self._span(together) <= self.params.max_span_days
                and self._fits(own, neighbour, movable)
            ):
                for article_id in own:
                    self._move(movable[article_id], neighbour)
            return
        if self._threads_of_one_event(together, sides):
            return
        side_of = dict(zip(together, sides, strict=True))
        # The assignment that leaves the most members where they are.
        own_sides = Counter(side_of[m] for m in own)
        their_sides = Counter(side_of[m] for m in theirs)
        keep_true = own_sides[True] + their_sides[False] >= their_sides[True] + own_sides[False]
        home = (
            {True: story_id, False: neighbour} if keep_true else {True: neighbour, False: story_id}
        )
        moved = False
        for article_id in together:
            if article_id in movable and self.story_of[article_id] != home[side_of[article_id]]:
                self._move(movable[article_id], home[side_of[article_id]])
                moved = True
        # Each story may now hold two events of its own, which the cut across the pair
        # could not see (two topics' stories meeting, each holding both of its events).
        if moved:
            for part in (story_id, neighbour):
                if part in self.stories:
                    self._split(part, movable)

    def _fits(self, members: Sequence[str], story_id: str, movable: Mapping[str, Article]) -> bool:
        """Whether the scorer gives ``members`` (movable articles of another story), on
        average, at least the threshold's probability of reporting ``story_id``'s event.
        Their own story is the alternative being weighed, not a rival: it holds them, so
        read as one it would outweigh any twin (its margin is the article against itself)."""
        total = sum(
            self._probability_of(movable[m], story_id, besides=self.story_of[m]) for m in members
        )
        return total / len(members) >= self.params.threshold

    def _probability_of(self, article: Article, story_id: str, besides: str = "") -> float:
        """The scorer's probability that ``article`` reports ``story_id``'s event, read
        against the article's other candidates (but ``besides``) as at placing."""
        found = [
            s
            for s, _ in self.index.candidates(article, self.stories)
            if s not in (story_id, besides)
        ]
        stories = [self.stories[story_id]] + [self.stories[s] for s in found]
        return float(self.scorer.probabilities(candidate_signals(article, stories))[0])

    def _drop_strays(self, story_id: str, movable: Mapping[str, Article]) -> None:
        """Give each of the batch's articles whose lead shares next to nothing with any other
        member's (``min_lead_cosine``) a story of its own; in a loose story, a topic rather
        than an event, so does every article without a lead ``loose_story_min_lead_cosine``
        close to another's."""
        members = self.stories[story_id].members
        if len(members) < 2 or len(members) > self.params.split.max_members:
            return
        leads = {m: self._lead_vector(m) for m in members}
        strays = self._strays(leads, movable, self.params.min_lead_cosine)
        # Looseness is judged on the members that stay: one stray must not make a story
        # of one event look like a topic.
        gone = set(strays)
        kept = {m: lead for m, lead in leads.items() if m not in gone}
        loose = self.params.loose_story_lead_cosine
        if len(kept) >= 3 and _mean_pairwise_dot(list(kept.values())) < loose:
            strays += self._strays(kept, movable, self.params.loose_story_min_lead_cosine)
        for article_id in strays:
            self._started += 1
            self._move(movable[article_id], f"s{self._started:05d}")

    def _strays(
        self, leads: Mapping[str, dict[str, float]], movable: Container[str], least: float
    ) -> list[str]:
        """The movable members whose lead is under ``least`` from every other's; never all
        of them: the first to arrive keeps the story."""
        strays = [
            m
            for m in leads
            if m in movable and not any(_dot(leads[m], leads[o]) >= least for o in leads if o != m)
        ]
        if len(strays) == len(leads):
            strays.remove(min(strays, key=self._arrival.__getitem__))
        return strays

    def _lead_vector(self, article_id: str) -> dict[str, float]:
        """The article's lead words and names weighted by rarity in the corpus, unit length."""
        frequencies = self.frequencies
        weights = {
            term: (1 + math.log(count))
            * frequencies.idf(
                frequencies.names[term[2:]] if term.startswith("n:") else frequencies.terms[term]
            )
            for term, count in Counter(self._leads[article_id]).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    def _lead_sides(self, members: Sequence[str]) -> list[bool] | None:
        """The two events the members' leads fall into (``splitting.best_cut``), if they
        hold two; None for stories too large to check."""
        if len(members) > self.params.split.max_members:
            return None
        found = splitting.best_cut([Counter(self._leads[m]) for m in members], self.params.split)
        if found is None:
            return None
        sides, cut = found
        if cut < self.params.split.max_cut:
            return sides
        if cut < self.params.year_split_cut and self._dated_to_different_years(members, sides):
            return sides
        return None

    def _dated_to_different_years(self, members: Sequence[str], sides: Sequence[bool]) -> bool:
        """Whether each side has ``min_dated_side`` dated members or more, most of them
        stating one year that at most a quarter of the other side's dated members state."""
        dated = [
            [
                self._years[m]
                for m, side in zip(members, sides, strict=True)
                if side == wanted and m in self._years
            ]
            for wanted in (True, False)
        ]
        main = []
        for group in dated:
            if len(group) < self.params.min_dated_side:
                return False
            year, count = Counter(y for years in group for y in years).most_common(1)[0]
            if 2 * count < len(group):
                return False
            main.append(year)
        if main[0] == main[1]:
            return False
        return all(
            4 * sum(main[own] in years for years in dated[1 - own]) <= len(dated[1 - own])
            for own in (0, 1)
        )

    def _span(self, members: Iterable[str]) -> int:
        """Days between the earliest and the latest publication of ``members``."""
        days = [self._published[m] for m in members if m in self._published]
        return (max(days) - min(days)).days if days else 0

    def _nearest(self, story: _Story, least: float) -> tuple[str, float] | None:
        """The story of at least two articles whose centroid is closest to ``story``'s, and
        its cosine, if that is at least ``least``; candidates come from the term index."""
        # Not only the strongest few terms, as for an article: those are what sets the story
        # apart, and a story of the same event shares the wider vocabulary of the event.
        centroid = story.body
        strongest = sorted(centroid, key=lambda term: -centroid[term])[: self.params.top_terms]
        hits: Counter[str] = Counter()
        for term in strongest:
            hits.update(self.index.stories_with(f"t:{term}"))
        best: tuple[str, float] | None = None
        for other_id, _ in hits.most_common(self.params.candidates + 1):
            other = self.stories.get(other_id)
            if other is None or other_id == story.id or len(other.members) < 2:
                continue
            cosine = _dot(story.body, other.body) / (story.norm * other.norm)
            if cosine >= (best[1] if best else least):
                best = (other_id, cosine)
        return best

    def _threads_of_one_event(self, members: Sequence[str], sides: Sequence[bool]) -> bool:
        """Whether the two sides read as threads of one event: mostly published within
        ``same_period_days`` of each other and about the same main people and places.
        Two events of one kind happen apart in time or to other people in other places
        (two ferries sinking the same month on two lakes)."""
        groups = [
            [m for m, side in zip(members, sides, strict=True) if side == wanted]
            for wanted in (True, False)
        ]
        middles = []
        for group in groups:
            dated = sorted(self._published[m] for m in group if m in self._published)
            if 2 * len(dated) < len(group):
                return False  # mostly undated: the dates cannot tell
            middles.append(dated[len(dated) // 2])
        if abs((middles[0] - middles[1]).days) > self.params.same_period_days:
            return False
        main = [self._main_names(group) for group in groups]
        if not main[0] or not main[1]:
            return True  # too few names to tell events apart: the dates decide
        fewest = min(len(main[0]), len(main[1]))
        return len(main[0] & main[1]) >= self.params.main_name_share * fewest

    def _main_names(self, group: Sequence[str]) -> set[str]:
        counts = Counter(
            term for m in group for term in set(self._leads[m]) if term.startswith("n:")
        )
        least = self.params.main_name_share * len(group)
        return {name for name, count in counts.items() if count >= least}

    def _place(self, article: Article) -> str:
        """The most probable candidate story within the bounds, if probable enough; else a
        new story's id."""
        found = self.index.candidates(article, self.stories)
        if found:
            stories = [self.stories[story_id] for story_id, _ in found]
            probabilities = self.scorer.probabilities(candidate_signals(article, stories))
            for at in np.argsort(-probabilities, kind="stable"):
                if probabilities[at] < self.params.threshold:
                    break
                if self._within_bounds(article, stories[at]):
                    return stories[at].id
        self._started += 1
        return f"s{self._started:05d}"

    def _within_bounds(self, article: Article, story: _Story) -> bool:
        """Whether the article shares enough of the words the story began with
        (``seed_cosine``) and the story would span at most ``max_span_days`` with it."""
        if _dot(article.body, story.seed) / story.seed_norm < self.params.seed_cosine:
            return False
        if article.day is None or not story.days:
            return True
        return all(abs((article.day - day).days) <= self.params.max_span_days for day in story.days)

    def _join(self, article: Article, story_id: str) -> None:
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = _Story(id=story_id)
        story.members.append(article.id)
        add_article(story, article)
        if len(story.seed_ids) < self.params.seed_members:
            story.seed.update(article.body)
            story.seed_ids.add(article.id)
            story.reseed()
        self.story_of[article.id] = story_id
        self.index.add(story_id, article)

    def _leave(self, article: Article, story_id: str) -> None:
        story = self.stories[story_id]
        story.members.remove(article.id)
        if not story.members:
            del self.stories[story_id]  # postings still naming it are skipped
            return
        remove_article(story, article)
        if article.id in story.seed_ids:
            story.seed_ids.discard(article.id)
            story.seed.subtract(article.body)
            story.seed += Counter()  # drops the terms no seed member carries any more
            story.reseed()

    def probability(self, item: StoryInput, story_id: str) -> float:
        """The probability that ``item`` reports the event of a story, read against the
        story's candidates as an arrival would be, without adding it (explanations, tests).
        The bounds are not applied."""
        # Counted as an arrival is, into a copy: asking must not change the grouping.
        counts = self.frequencies
        copied = Frequencies(counts.documents, counts.terms.copy(), counts.names.copy())
        return self._probability_of(read_article(item, copied, self.params), story_id)


def _dot(small: Mapping[str, float], large: Mapping[str, float]) -> float:
    if len(small) > len(large):
        small, large = large, small
    return sum(w * large.get(term, 0.0) for term, w in small.items())


def _mean_pairwise_dot(vectors: Sequence[Mapping[str, float]]) -> float:
    """The mean dot product over all pairs, from the length of the vectors' sum: linear,
    not quadratic, in their number."""
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    own = sum(w * w for vector in vectors for w in vector.values())
    pairs = len(vectors) * (len(vectors) - 1)
    return (sum(w * w for w in total.values()) - own) / pairs


def group_inputs(
    items: Sequence[StoryInput],
    copies: Mapping[str, str] | None = None,
    params: GroupingParams | None = None,
    *,
    threshold: float | None = None,
    scorer: StoryScorer | None = None,
) -> list[str]:
    """A story id for each item, grouping them in the given order as one batch; each of
    ``copies`` (copy id: original id) ends in its original's story. ``threshold`` and
    ``scorer`` as for ``StoryGrouper``."""
    grouper = StoryGrouper(params, threshold=threshold, scorer=scorer)
    for item in items:
        grouper.add(item)
    grouper.settle(copies)
    return [grouper.story_of[item.id] for item in items]
