"""Same-event grouping, one article at a time.

An article joins the story it is most similar to, or starts a new one. The
similarity of an article to a story combines

* the cosine of TF-IDF vectors (the article's against the story's centroid),
* how many of the story's names (people, places, organisations) it shares,
  weighted by how rare each name is,
* and a penalty when the two are dated apart (different years, or publication dates
  more than ``same_period_days`` apart): two earthquakes a year apart read alike but
  are two events.

Names alone never join an article to a story: below ``min_cosine`` of shared wording
the article starts a story of its own.

Candidate stories come from an inverted index over each story's strongest terms
and names, so an arrival is compared with a handful of stories, not all of them,
and grouping grows about linearly with the corpus. Document frequencies are
counted as articles arrive: nothing is refitted.

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
without a close lead beside it, unless a few outliers are all that make it loose: then
only they leave. Earlier batches' articles never move.

The values in ``code`` are fields of ``GroupingParams`` (``params``), each with the
evidence for its value.
"""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from parallax.clean.dates import find_dates, parse_published
from parallax.stories import splitting
from parallax.stories.params import GroupingParams

# For modules that read these two defaults (benchmarks/stories.py, signals.py); grouping
# itself reads its ``GroupingParams``.
THRESHOLD = GroupingParams().threshold
LEAD_CHARS = GroupingParams().lead_chars

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_NAME = re.compile(r"\b(?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|of|de|al|van|von))*")
_FIGURE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.]\d)")
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")


@dataclass(frozen=True)
class StoryInput:
    """What grouping reads about one article.

    ``names`` are the article's people, places and organisations, ideally as
    canonical entity ids (so spelling variants count as one); ``years`` the years
    it is dated to (its publication year and the years its headline and lead state,
    ``lead_years``); ``published`` its publication date (ISO), when known;
    ``language`` its ISO 639-1 code, when known (its stop words are not counted as
    content words; English ones never are).
    """

    id: str
    text: str
    title: str | None = None
    names: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    published: str | None = None
    language: str | None = None


@dataclass
class _Story:
    id: str
    members: list[str] = field(default_factory=list)
    centroid: Counter[str] = field(default_factory=Counter)
    norm_sq: float = 0.0  # squared length of the centroid, updated term by term

    @property
    def norm(self) -> float:
        return math.sqrt(self.norm_sq) or 1.0

    names: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    published: Counter[date] = field(default_factory=Counter)
    # What the story was about before it grew: the summed vectors of its first members
    # (``seed_members`` of them), against which its drift is bounded.
    seed: Counter[str] = field(default_factory=Counter)
    seed_ids: set[str] = field(default_factory=set)
    seed_norm: float = 1.0  # the seed's length, computed when the seed changes

    def reseed(self) -> None:
        self.seed_norm = math.sqrt(sum(w * w for w in self.seed.values())) or 1.0


class StoryGrouper:
    """Incremental grouping: ``add`` each article once, in arrival order.

    ``params`` are the tuned parameters; ``threshold``, ``name_weight`` and
    ``year_penalty`` override theirs."""

    def __init__(
        self,
        params: GroupingParams | None = None,
        *,
        threshold: float | None = None,
        name_weight: float | None = None,
        year_penalty: float | None = None,
    ) -> None:
        params = params or GroupingParams()
        self.params = replace(
            params,
            threshold=params.threshold if threshold is None else threshold,
            name_weight=params.name_weight if name_weight is None else name_weight,
            year_penalty=params.year_penalty if year_penalty is None else year_penalty,
        )
        self.stories: dict[str, _Story] = {}
        self.story_of: dict[str, str] = {}
        self._started = 0
        # The articles of the current batch placed by similarity, with what they added to
        # their story, so that ``settle`` can take it out again.
        self._unsettled: dict[str, tuple[StoryInput, dict[str, float]]] = {}
        self._documents = 0
        self._term_df: Counter[str] = Counter()
        self._name_df: Counter[str] = Counter()
        # Per term or name, the stories that carry it, most recent last and at most
        # ``params.postings`` of them: news about one event arrives together, so an old
        # story falling off a busy key costs little, and every arrival meets a bounded
        # number of candidates however large the corpus grows.
        postings = self.params.postings
        self._index: dict[str, deque[str]] = defaultdict(lambda: deque(maxlen=postings))
        # Each article's headline words and names, for telling two events in a story apart.
        self._leads: dict[str, tuple[str, ...]] = {}
        self._published: dict[str, date] = {}
        self._years: dict[str, frozenset[int]] = {}
        self._arrival: dict[str, int] = {}

    def add(self, item: StoryInput, story_id: str | None = None) -> str:
        """Place one article; ``story_id`` forces a story (a user's decision) instead."""
        terms = Counter(terms_of(item, self.params.lead_chars))
        names = set(item.names)
        self._documents += 1
        self._term_df.update(terms.keys())
        self._name_df.update(names)
        vector = self._tfidf(terms)
        keys = self._keys(vector, names)
        self._leads[item.id] = lead_terms(item, self.params.split.lead_chars)
        if item.years:
            self._years[item.id] = frozenset(item.years)
        self._arrival.setdefault(item.id, self._documents)
        published = parse_published(item.published)
        if published:
            self._published[item.id] = published
        if story_id is None:
            story_id = self._place(item, vector, keys)
            self._unsettled[item.id] = (item, vector)
            if len(self._unsettled) > self.params.settle_window:
                del self._unsettled[next(iter(self._unsettled))]
        self._join(item, vector, keys, story_id)
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
        placed: dict[str, tuple[StoryInput, dict[str, float], list[str]]] = {}
        for item, vector in self._unsettled.values():
            old = self.story_of[item.id]
            self._leave(item, vector, old)
            fresh = self._tfidf(Counter(terms_of(item, self.params.lead_chars)))
            keys = self._keys(fresh, set(item.names))
            new = self._place(item, fresh, keys)
            if new not in self.stories and old not in self.stories:
                new = old  # alone before and alone again: the same story
            self._join(item, fresh, keys, new)
            placed[item.id] = (item, fresh, keys)
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

    def _move(self, placed: tuple[StoryInput, dict[str, float], list[str]], story_id: str) -> None:
        item, vector, keys = placed
        if self.story_of[item.id] != story_id:
            self._leave(item, vector, self.story_of[item.id])
            self._join(item, vector, keys, story_id)

    def _split(
        self, story_id: str, movable: Mapping[str, tuple[StoryInput, dict[str, float], list[str]]]
    ) -> None:
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

    def _meet_neighbour(
        self, story_id: str, movable: Mapping[str, tuple[StoryInput, dict[str, float], list[str]]]
    ) -> None:
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

    def _drop_strays(
        self, story_id: str, movable: Mapping[str, tuple[StoryInput, dict[str, float], list[str]]]
    ) -> None:
        """Give each of the batch's articles whose lead shares next to nothing with any other
        member's (``min_lead_cosine``) a story of its own; in a loose story, its few outliers
        (``loose_story_outliers``), or if it is a topic rather than an event, every article
        without a lead ``loose_story_min_lead_cosine`` close to another's."""
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
            outliers = _outliers(kept, movable, loose, self.params.loose_story_outliers)
            if outliers is None:
                outliers = self._strays(kept, movable, self.params.loose_story_min_lead_cosine)
            strays += outliers
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
        weights = {
            term: (1 + math.log(count))
            * self._idf(self._name_df[term[2:]] if term.startswith("n:") else self._term_df[term])
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
        centroid = story.centroid
        strongest = sorted(centroid, key=lambda term: -centroid[term])[: self.params.top_terms]
        hits: Counter[str] = Counter()
        for term in strongest:
            hits.update(self._index.get(f"t:{term}", ()))
        best: tuple[str, float] | None = None
        for other_id, _ in hits.most_common(self.params.candidates + 1):
            other = self.stories.get(other_id)
            if other is None or other_id == story.id or len(other.members) < 2:
                continue
            cosine = _dot(story.centroid, other.centroid) / (story.norm * other.norm)
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

    def _place(self, item: StoryInput, vector: Mapping[str, float], keys: list[str]) -> str:
        # ``add`` has parsed the publication date already.
        story_id, score = self._best_story(
            vector, keys, set(item.names), set(item.years), self._published.get(item.id)
        )
        if story_id is None or score < self.params.threshold:
            self._started += 1
            story_id = f"s{self._started:05d}"
        return story_id

    def _join(
        self, item: StoryInput, vector: Mapping[str, float], keys: list[str], story_id: str
    ) -> None:
        story = self.stories.setdefault(story_id, _Story(story_id))
        story.members.append(item.id)
        # Only the article's terms change the centroid's length: no pass over all its terms.
        story.norm_sq += sum(
            w * (2 * story.centroid.get(term, 0.0) + w) for term, w in vector.items()
        )
        story.centroid.update(vector)
        if len(story.seed_ids) < self.params.seed_members:
            story.seed.update(vector)
            story.seed_ids.add(item.id)
            story.reseed()
        story.names.update(set(item.names))
        story.years.update(set(item.years))
        if item.id in self._published:
            story.published[self._published[item.id]] += 1
        self.story_of[item.id] = story_id
        for key in keys:
            postings = self._index[key]
            if not postings or postings[-1] != story_id:
                postings.append(story_id)

    def _leave(self, item: StoryInput, vector: Mapping[str, float], story_id: str) -> None:
        story = self.stories[story_id]
        story.members.remove(item.id)
        if not story.members:
            del self.stories[story_id]  # postings still naming it are skipped
            return
        if item.id in story.seed_ids:
            story.seed_ids.discard(item.id)
            story.seed.subtract(vector)
            story.seed += Counter()  # drops the terms no seed member carries any more
            story.reseed()
        for term, w in vector.items():
            weight = story.centroid[term]
            story.norm_sq += (weight - w) ** 2 - weight**2
            story.centroid[term] = weight - w
        story.norm_sq = max(story.norm_sq, 0.0)  # rounding must not make it negative
        story.names.subtract(set(item.names))
        story.years.subtract(set(item.years))
        if item.id in self._published:
            story.published[self._published[item.id]] -= 1
        story.names += Counter()  # drops the names no member carries any more
        story.years += Counter()
        story.published += Counter()

    def score(self, item: StoryInput, story_id: str) -> float:
        """How well ``item`` fits a story now, without adding it (explanations, tests)."""
        vector = self._tfidf(Counter(terms_of(item, self.params.lead_chars)))
        return self.similarity(
            vector,
            set(item.names),
            set(item.years),
            self.stories[story_id],
            parse_published(item.published),
        )

    def _tfidf(self, terms: Counter[str]) -> dict[str, float]:
        weights = {
            term: (1 + math.log(count)) * self._idf(self._term_df[term])
            for term, count in terms.items()
        }
        top = sorted(weights.items(), key=lambda kv: -kv[1])[: self.params.top_terms]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {term: w / norm for term, w in top}

    def _idf(self, df: int) -> float:
        return math.log((1 + self._documents) / (1 + df)) + 1

    def _keys(self, vector: Mapping[str, float], names: Iterable[str]) -> list[str]:
        strongest = sorted(vector, key=lambda term: -vector[term])[: self.params.top_keys]
        return [f"t:{term}" for term in strongest] + [f"n:{name}" for name in names]

    def _best_story(
        self,
        vector: Mapping[str, float],
        keys: list[str],
        names: set[str],
        years: set[int],
        published: date | None,
    ) -> tuple[str | None, float]:
        hits: Counter[str] = Counter()
        for key in keys:
            hits.update(self._index.get(key, ()))
        # Only the stories sharing the most keys with the article are scored: one that
        # shares a single common word is never the best fit, and scoring costs.
        candidates = [
            story_id
            for story_id, _ in hits.most_common(self.params.candidates)
            if story_id in self.stories
        ]
        weights = self._name_weights(names)
        best: tuple[str | None, float] = (None, -1.0)
        for story_id in candidates:
            score = self._similarity(vector, weights, years, self.stories[story_id], published)
            if score > best[1]:
                best = (story_id, score)
        return best

    def similarity(
        self,
        vector: Mapping[str, float],
        names: set[str],
        years: set[int],
        story: _Story,
        published: date | None = None,
    ) -> float:
        """The article's fit to a story: cosine to its centroid, plus the weighted share of
        the article's names it carries, less the year penalty when they are dated apart;
        -1 under ``min_cosine``."""
        return self._similarity(vector, self._name_weights(names), years, story, published)

    def _similarity(
        self,
        vector: Mapping[str, float],
        name_weights: Mapping[str, float],
        years: set[int],
        story: _Story,
        published: date | None = None,
    ) -> float:
        centroid = story.centroid
        cosine = sum(w * centroid.get(term, 0.0) for term, w in vector.items()) / story.norm
        seed_cosine = _dot(vector, story.seed) / story.seed_norm
        if cosine < self.params.min_cosine or seed_cosine < self.params.seed_cosine:
            return -1.0
        # Reports of one event come out within ``same_period_days`` of each other: a story
        # never spans more, however alike a later event of its kind reads.
        if (
            published
            and story.published
            and _span_with(published, story) > self.params.max_span_days
        ):
            return -1.0
        score = cosine
        if name_weights and story.names:
            total = sum(name_weights.values())
            shared = sum(w for name, w in name_weights.items() if name in story.names)
            score += self.params.name_weight * shared / total
            fewest = min(len(name_weights), len(story.names))
            if not shared and fewest >= self.params.unshared_names:
                score -= self.params.unshared_names_penalty
        if _dated_apart(years, published, story, self.params.same_period_days):
            score -= self.params.year_penalty
        return score

    def _name_weights(self, names: set[str]) -> dict[str, float]:
        return {name: self._idf(self._name_df[name]) for name in names}


def _span_with(published: date, story: _Story) -> int:
    """Days the story would span with an article published on ``published``."""
    return max(abs((published - day).days) for day in story.published)


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


def _outliers(
    leads: Mapping[str, Mapping[str, float]],
    movable: Container[str],
    tight: float = GroupingParams().loose_story_lead_cosine,
    share: float = GroupingParams().loose_story_outliers,
) -> list[str] | None:
    """The few movable members (at most ``share`` of the story) whose leaving leaves at
    least three members with leads overlapping ``tight`` on average, the least connected
    first; None when no such few exist (a topic)."""
    core = dict(leads)
    outliers: list[str] = []
    while len(core) >= 3 and _mean_pairwise_dot(list(core.values())) < tight:
        candidates = [m for m in core if m in movable]
        if not candidates or len(outliers) + 1 > share * len(leads):
            return None
        worst = min(candidates, key=lambda m: sum(_dot(core[m], core[o]) for o in core if o != m))
        outliers.append(worst)
        del core[worst]
    return outliers if len(core) >= 3 else None


def _dated_apart(
    years: set[int],
    published: date | None,
    story: _Story,
    days: int = GroupingParams().same_period_days,
) -> bool:
    """Whether none of the article's years is one of the story's, or it was published more
    than ``days`` from every member of the story."""
    if years and story.years and not years & story.years.keys():
        return True
    if published and story.published:
        return min(abs((published - day).days) for day in story.published) > days
    return False


def terms_of(item: StoryInput, lead_chars: int = GroupingParams().lead_chars) -> list[str]:
    """Content words and figures of the title and body, lower-cased, without stop words;
    those of the title and lead (the first ``lead_chars`` of the body) twice."""
    headline = _headline(item)
    lead = f"{headline}\n{item.text[:lead_chars]}"
    return _words_and_figures(f"{headline}\n{item.text}", item.language) + _words_and_figures(
        lead, item.language
    )


def lead_terms(
    item: StoryInput, lead_chars: int = GroupingParams().split.lead_chars
) -> tuple[str, ...]:
    """The headline's and opening words' (``lead_chars``) content words and figures, and
    the names."""
    lead = f"{_headline(item)}\n{item.text[:lead_chars]}"
    return (*_words_and_figures(lead, item.language), *(f"n:{name}" for name in item.names))


def _headline(item: StoryInput) -> str:
    """The title followed by the publication date as words of its own (its year, month and
    day), as a dateline stands under a headline: reports of one event come out on the
    same days, and their rarity weighs a shared day as much as a busy news day allows.
    Cleaning moves a dateline out of the text into the publication date; without these
    words ECB+ grouped through ``parallax run`` scores 0.891 instead of 0.909."""
    day = parse_published(item.published)
    if day is None:
        return item.title or ""
    dateline = f"published{day:%Y} published{day:%Y}m{day:%m} published{day:%Y}m{day:%m}d{day:%d}"
    return f"{item.title or ''} {dateline}"


def _words_and_figures(text: str, language: str | None = None) -> list[str]:
    stop_words = _stop_words(language)
    words = [
        word
        for word in (match.group().lower() for match in _WORD.finditer(text))
        if len(word) > 2 and word not in stop_words
    ]
    # Figures tell alike events apart (a 6.1 quake, 14 dead); small counts say little.
    figures = [f"#{n}" for n in _FIGURE.findall(text) if "." in n or len(n) >= 2]
    return words + figures


@lru_cache(maxsize=64)
def _stop_words(language: str | None) -> frozenset[str]:
    """English stop words, with those of ``language`` when spaCy has a list for it: in a
    stream of English news the few articles in another language share its function words
    ("que", "para"), and those words are rare enough in the stream to weigh."""
    from spacy.lang.en.stop_words import STOP_WORDS

    if not language or language == "en" or not re.fullmatch(r"[a-z]{2,3}", language):
        return frozenset(STOP_WORDS)
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset(STOP_WORDS)
    return frozenset(STOP_WORDS) | frozenset(module.STOP_WORDS)


def surface_names(text: str) -> tuple[str, ...]:
    """Capitalised word sequences not opening a sentence: a cheap stand-in for entities
    when no analysis ran (benchmarks at scale, quick grouping of bare texts)."""
    found = set()
    for match in _NAME.finditer(text):
        start = match.start()
        before = text[max(0, start - 2) : start]
        if start == 0 or (before.strip() in (".", "!", "?", "") and "\n" in before):
            continue
        if len(match.group()) > 3:
            found.add(match.group().lower())
    return tuple(sorted(found))


def lead_years(
    text: str, title: str | None = None, lead_chars: int = GroupingParams().lead_chars
) -> tuple[int, ...]:
    """The years the headline and the lead (``lead_chars``) state: news says when an event
    happened at the top; years further down are background ("convicted in 2001") and would
    mark an article as dated apart from its own story. On ECB+ the odd topics then score
    0.922 at thresholds 0.1 to 0.15 instead of falling from 0.925 to 0.916; at the default
    and on real news nothing changes."""
    return years_in(f"{title or ''}\n{text[:lead_chars]}")


def years_in(text: str) -> tuple[int, ...]:
    """Years the text dates things to: full dates first, bare years ("in 2011") too."""
    years = {mention.year for mention in find_dates(text) if mention.year}
    years |= {int(year) for year in _YEAR.findall(text)}
    return tuple(sorted(years))


def group_inputs(
    items: Sequence[StoryInput],
    copies: Mapping[str, str] | None = None,
    params: GroupingParams | None = None,
    **overrides: float,
) -> list[str]:
    """A story id for each item, grouping them in the given order as one batch; each of
    ``copies`` (copy id: original id) ends in its original's story. ``overrides``
    (``threshold``, ``name_weight``, ``year_penalty``) replace those of ``params``."""
    grouper = StoryGrouper(params, **overrides)
    for item in items:
        grouper.add(item)
    grouper.settle(copies)
    return [grouper.story_of[item.id] for item in items]


def group_texts(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    analyse: bool = True,
    params: GroupingParams | None = None,
    **overrides: float,
) -> list[str]:
    """Group bare texts (benchmarks, quick use): a story id per text.

    With ``analyse`` the texts go through Parallax's analysis and cross-article
    resolution so names are canonical entities; without it capitalised word
    sequences stand in for names.
    """
    return group_inputs(text_inputs(texts, ids, analyse=analyse), params=params, **overrides)


def text_inputs(
    texts: Sequence[str], ids: Sequence[str] | None = None, *, analyse: bool = True
) -> list[StoryInput]:
    """What ``group_texts`` groups: a ``StoryInput`` per bare text, its names the canonical
    entities of the analysis (``analyse``) or capitalised word sequences, its years those
    of its lead. Built once, they can be grouped in several orders or at several
    thresholds without analysing again."""
    ids = list(ids) if ids is not None else [str(n) for n in range(len(texts))]
    names = (
        _resolved_names(tuple(texts), tuple(ids)) if analyse else [surface_names(t) for t in texts]
    )
    return [
        StoryInput(id=i, text=text, names=n, years=lead_years(text))
        for i, text, n in zip(ids, texts, names, strict=True)
    ]


@lru_cache(maxsize=2)
def _resolved_names(texts: tuple[str, ...], ids: tuple[str, ...]) -> list[tuple[str, ...]]:
    # Cached: tuning a threshold groups the same texts many times; the analysis is the cost.
    from parallax.nlp import analyze_texts
    from parallax.resolve import load_knowledge_base, resolve_entities

    analyses = [
        replace(analysis, article_id=article_id)
        for article_id, analysis in zip(ids, analyze_texts(texts), strict=True)
    ]
    resolution = resolve_entities(analyses, {}, load_knowledge_base())
    return [
        tuple(
            sorted(
                {
                    resolution.links[(analysis.article_id, index)]
                    for index in range(len(analysis.mentions))
                    if (analysis.article_id, index) in resolution.links
                }
            )
        )
        for analysis in analyses
    ]
