"""Learned article-vs-story scoring: a few signals, weights fitted on labelled stories.

Whether an arriving article reports the event of a story is read from a short vector of
signals (``SIGNALS``), each a plain function of the article and the story's running
aggregates, and combined by a logistic regression whose weights were fitted on labelled
collections (``benchmarks/train_stories.py``, leave-one-collection-out) and ship in
``data/story_weights.json``. What a shared name, a figure or a week apart is worth is
fitted, not set by hand; the few parameters left (how many terms, keys and candidates,
in ``GroupingParams``, and the date horizon) shape the signals, not the decision.

The pieces, for a grouper that places articles one at a time:

* ``Frequencies``: running document frequencies (TF-IDF and the rarity of names), counted
  as articles arrive; ``read_article`` turns a ``StoryInput`` into an ``Article``, fixed
  at arrival (nothing is refitted later).
* ``StoryState``: a story's aggregates (centroids, name and figure counts, dates, years);
  ``add_article`` and ``remove_article`` update it in time proportional to the article,
  not to the story.
* ``candidate_signals(article, stories)``: the vectors against each candidate story
  (``signals`` for one); ``StoryScorer.probability`` the probability that the article
  reports the story's event.
* ``CandidateIndex``: the few stories worth scoring, by body cosine, from an inverted
  index with bounded postings, so placing an article costs the same however many
  stories there are.

``grouping.StoryGrouper`` places articles with them.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np

from parallax.stories.params import GroupingParams
from parallax.stories.texts import StoryInput, lead_terms, lead_years, surface_names, terms_of
from parallax.text.dates import dateline_date, parse_published

SIGNALS: tuple[str, ...] = (
    "body_margin",
    "lead_cosine",
    "names_shared",
    "figures_shared",
    "time_agreement",
    "undated",
)
WEIGHTS_FILE = "story_weights.json"
# Days apart at which the date closeness bottoms out: a year separates two events of a
# kind (an anniversary, the next season) whatever their words. Part of what the signal
# means, like the signals themselves: the shipped weights were fitted with it.
DATE_HORIZON_DAYS = 365


@dataclass
class Frequencies:
    """Document frequencies of terms (figures among them, as ``#12``) and names, counted as
    articles arrive: rarity is what the stream so far says, never refitted."""

    documents: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)

    def idf(self, df: int) -> float:
        return math.log((1 + self.documents) / (1 + df)) + 1


@dataclass(frozen=True)
class Article:
    """What the signals read about one article, fixed when it arrives."""

    id: str
    body: Mapping[str, float]  # unit TF-IDF vector of title and body (lead terms twice)
    lead: Mapping[str, float]  # unit TF-IDF vector of headline and opening words
    names: Mapping[str, float]  # name: rarity (idf) at arrival
    figures: Mapping[str, float]  # figure ("#14"): rarity at arrival
    day: date | None  # publication date, else the dateline's
    years: frozenset[int]  # years the headline and lead state


@dataclass
class StoryState:
    """A story's running aggregates: sums of its members' vectors (with their squared
    lengths, kept up to date term by term) and how many members carry each name, figure,
    date and year."""

    size: int = 0
    body: Counter[str] = field(default_factory=Counter)
    body_sq: float = 0.0
    lead: Counter[str] = field(default_factory=Counter)
    lead_sq: float = 0.0
    names: Counter[str] = field(default_factory=Counter)
    figures: Counter[str] = field(default_factory=Counter)
    days: Counter[date] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)


def read_article(
    item: StoryInput, frequencies: Frequencies, params: GroupingParams, count: bool = True
) -> Article:
    """Count ``item`` into ``frequencies`` (unless ``count`` is false: an article read again
    later) and read it with the rarities that now hold.

    Names are ``item.names`` (canonical entity ids after the analysis), else capitalised
    word sequences. The publication date is a signal of its own, so it is kept out of
    the words (``terms_of`` would add it to the headline)."""
    undated = replace(item, published=None)
    terms = Counter(terms_of(undated, params.lead_chars))
    lead = Counter(
        t for t in lead_terms(undated, params.split.lead_chars) if not t.startswith("n:")
    )
    # Sorted: the order of its keys decides ties among candidates, and must not vary by run.
    names = sorted(set(item.names) or set(surface_names(f"{item.title or ''}\n{item.text}")))
    if count:
        frequencies.documents += 1
        frequencies.terms.update(terms.keys())
        frequencies.names.update(names)
    figures = {t: frequencies.idf(frequencies.terms[t]) for t in terms if t.startswith("#")}
    return Article(
        id=item.id,
        body=_tfidf(terms, frequencies, params.top_terms),
        lead=_tfidf(lead, frequencies, None),
        names={name: frequencies.idf(frequencies.names[name]) for name in names},
        figures=figures,
        day=article_day(item, params.lead_chars),
        years=frozenset(item.years or lead_years(item.text, item.title, params.lead_chars)),
    )


def article_day(item: StoryInput, lead_chars: int) -> date | None:
    """The publication date, else the date a dateline at the top (``lead_chars``) states:
    text that did not go through cleaning, which moves a dateline into the publication
    date."""
    published = parse_published(item.published)
    if published:
        return published
    return dateline_date(f"{item.title or ''}\n{item.text[:lead_chars]}")


def _tfidf(terms: Counter[str], frequencies: Frequencies, top: int | None) -> dict[str, float]:
    weights = {
        term: (1 + math.log(count)) * frequencies.idf(frequencies.terms[term])
        for term, count in terms.items()
    }
    kept = sorted(weights.items(), key=lambda kv: -kv[1])[:top]
    norm = math.sqrt(sum(w * w for _, w in kept)) or 1.0
    return {term: w / norm for term, w in kept}


def add_article(story: StoryState, article: Article) -> None:
    """Count ``article`` into ``story``'s aggregates."""
    _change(story, article, +1)


def remove_article(story: StoryState, article: Article) -> None:
    """Take ``article`` out of ``story``'s aggregates again (a user's split, a re-placement)."""
    _change(story, article, -1)


def _change(story: StoryState, article: Article, sign: int) -> None:
    story.size += sign
    story.body_sq = _shift(story.body, story.body_sq, article.body, sign)
    story.lead_sq = _shift(story.lead, story.lead_sq, article.lead, sign)
    for counter, keys in (
        (story.names, article.names),
        (story.figures, article.figures),
        (story.years, article.years),
        (story.days, [article.day] if article.day else []),
    ):
        for key in keys:
            counter[key] += sign
            if counter[key] <= 0:
                del counter[key]  # a name no member carries any more is not shared


def _shift(centroid: Counter[str], norm_sq: float, vector: Mapping[str, float], sign: int) -> float:
    """Add (or take out) ``vector`` and return the new squared length: only the vector's
    terms change it, so there is no pass over the whole centroid."""
    for term, w in vector.items():
        old = centroid.get(term, 0.0)
        new = old + sign * w
        norm_sq += new * new - old * old
        if abs(new) < 1e-12:
            centroid.pop(term, None)
        else:
            centroid[term] = new
    return max(norm_sq, 0.0)  # rounding must not make it negative


def signals(
    article: Article, story: StoryState, rival: float = 0.0, body: float | None = None
) -> np.ndarray:
    """The article's signals against the story, in ``SIGNALS`` order. ``rival`` is the
    median body cosine of the other candidate stories (``candidate_signals``); ``body``
    the article's body cosine with the story, when already known; the last signal says that
    neither dates nor stated years tell when."""
    days = days_apart(article.day, story.days)
    if body is None:
        body = cosine(article.body, story.body, story.body_sq)
    return np.array(
        [
            body - rival,
            cosine(article.lead, story.lead, story.lead_sq),
            weighted_share(article.names, story.names, story.size),
            weighted_share(article.figures, story.figures, story.size),
            time_agreement(days, article.years, story.years),
            1.0 if days is None and not (article.years and story.years) else 0.0,
        ]
    )


def candidate_signals(article: Article, stories: Sequence[StoryState]) -> np.ndarray:
    """The signals of one article against each of its candidate stories, a row per story.
    Each story's body cosine is read against the median of the others' (its margin):
    how alike reports of different events of one kind read differs from one collection to
    the next (every shooting reads like another), how far one story stands out from the
    article's other candidates much less. Weights fitted on GVA and applied to ECB+ group
    at B-cubed 0.62 without it, 0.82 with it (threshold 0.5). Against the best of the
    others instead, a story that has grown generic stands out from every arrival's
    candidates and gathers them (a story of 566 GVA reports).

    The margin stands in for the raw cosine, which is not a signal of its own (session
    39): beside the margin, the cosine took most of the weight wherever reports of one
    event read alike and other events' do not, and that weight joined GVA's look-alike
    shootings when GVA was left out. With the margin alone, GVA held out scores 0.883 at
    0.7 (0.863 with both), and ECB+, the news week and L3S held out 0.936, 0.917 and
    0.939 (0.936, 0.914, 0.936): docs/benchmarks.md, "The margin, not the cosine"."""
    bodies = [cosine(article.body, story.body, story.body_sq) for story in stories]
    rows = []
    for at, story in enumerate(stories):
        others = bodies[:at] + bodies[at + 1 :]
        rival = statistics.median(others) if others else 0.0
        rows.append(signals(article, story, rival, bodies[at]))
    return np.stack(rows)


def cosine(vector: Mapping[str, float], centroid: Mapping[str, float], norm_sq: float) -> float:
    """Cosine of a unit vector to a sum of unit vectors of squared length ``norm_sq``."""
    if norm_sq <= 0:
        return 0.0
    return sum(w * centroid.get(term, 0.0) for term, w in vector.items()) / math.sqrt(norm_sq)


def weighted_share(weights: Mapping[str, float], carried: Mapping[str, int], size: int) -> float:
    """The share of the article's names (or figures), weighted by rarity, that the story's
    members carry, each counted by the share of members carrying it: sharing a rare name
    (a victim, a street) outweighs sharing a common one (a country, "Police"), and a story
    that has gathered many events' names does not match every article by one of them."""
    total = sum(weights.values())
    if not total or size <= 0:
        return 0.0
    return sum(w * carried.get(key, 0) for key, w in weights.items()) / (total * size)


def days_apart(day: date | None, story_days: Mapping[date, int]) -> int | None:
    """Days between the article's date and the story's earliest: measured from the first
    members, not the latest, so a story cannot drift through time one report at a time."""
    if day is None or not story_days:
        return None
    return abs((day - min(story_days)).days)


def date_closeness(days: int | None) -> float:
    """+1 the same day, falling with the log of the days apart to -1 at a year or more; 0
    when either is undated. Unknown sits in the middle, not at "the same day": weights
    fitted where every article is dated must not read an undated one as close."""
    if days is None:
        return 0.0
    return 1.0 - 2.0 * min(math.log1p(days) / math.log1p(DATE_HORIZON_DAYS), 1.0)


def time_agreement(
    days: int | None, years: frozenset[int], story_years: Mapping[int, int]
) -> float:
    """How well the article and the story agree on when: by dates when both are dated
    (``date_closeness``), else by the years their leads state (``year_agreement``). One
    signal, not two: both say the same thing where both are known, and split in two the
    evidence of a collection with few dates would give each a weight too small to hold."""
    if days is not None:
        return date_closeness(days)
    return year_agreement(years, story_years)


def year_agreement(years: frozenset[int], story_years: Mapping[int, int]) -> float:
    """+1 when the article's lead states a year a member's states, -1 when both state years
    and none is shared (two events of one kind years apart), 0 when either says nothing."""
    if not years or not story_years:
        return 0.0
    return 1.0 if any(year in story_years for year in years) else -1.0


@dataclass(frozen=True)
class StoryScorer:
    """Logistic regression over ``SIGNALS``: weights and intercept as fitted. The decision
    threshold is a grouping parameter (``GroupingParams.threshold``)."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float

    @classmethod
    def load(cls, path: Path | None = None) -> StoryScorer:
        """The shipped weights, or those at ``path``; refuses weights for other signals."""
        if path is None:
            text = resources.files("parallax.stories").joinpath("data", WEIGHTS_FILE).read_text()
        else:
            text = Path(path).read_text()
        data = json.loads(text)
        features = tuple(data["features"])
        if features != SIGNALS:
            raise ValueError(f"weights are for signals {features}, not {SIGNALS}")
        return cls(features, np.asarray(data["weights"], dtype=float), float(data["intercept"]))

    def probability(self, values: np.ndarray) -> float:
        """The probability that the article reports the story's event."""
        return float(self.probabilities(np.asarray(values)[None, :])[0])

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """``probability`` for each row of signals."""
        z = np.asarray(matrix, dtype=float) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


class CandidateIndex:
    """The stories worth scoring for an article: of those sharing the most of its strongest
    terms and names (``params.candidates``), the closest by body cosine
    (``params.scored``). Postings are the most recent ``params.postings`` stories per key,
    so a lookup is bounded however large the stream grows."""

    def __init__(self, params: GroupingParams) -> None:
        self.params = params
        self._postings: dict[str, deque[str]] = defaultdict(lambda: deque(maxlen=params.postings))

    def add(self, story_id: str, article: Article) -> None:
        """Index ``story_id`` under the keys of an article that joined it."""
        for key in self.keys(article):
            postings = self._postings[key]
            if not postings or postings[-1] != story_id:
                postings.append(story_id)

    def stories_with(self, key: str) -> Sequence[str]:
        """The stories indexed under ``key`` (``t:term``, ``n:name``), oldest first; some
        may be gone since."""
        return self._postings.get(key, ())

    def candidates(
        self, article: Article, stories: Mapping[str, StoryState]
    ) -> list[tuple[str, float]]:
        """Up to ``params.scored`` (story id, body cosine), most similar first. Postings of
        stories that are gone or emptied are skipped."""
        hits: Counter[str] = Counter()
        for key in self.keys(article):
            hits.update(self._postings.get(key, ()))
        pool = [
            story_id
            for story_id, _ in hits.most_common(self.params.candidates)
            if story_id in stories and stories[story_id].size > 0
        ]
        scored = [
            (story_id, cosine(article.body, stories[story_id].body, stories[story_id].body_sq))
            for story_id in pool
        ]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[: self.params.scored]

    def keys(self, article: Article) -> list[str]:
        """What an article is indexed and looked up by: its strongest terms, its names."""
        strongest = sorted(article.body, key=lambda term: -article.body[term])
        return [f"t:{term}" for term in strongest[: self.params.top_keys]] + [
            f"n:{name}" for name in article.names
        ]
