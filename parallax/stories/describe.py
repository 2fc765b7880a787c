"""Stories of stored articles: what grouping reads about an article, what a story says
about its members, and how a story is named."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations

from parallax.model import Article, ArticleAnalysis, Story
from parallax.stories.params import DescribeParams, GroupingParams
from parallax.stories.texts import StoryInput, lead_years


def story_input(
    article: Article,
    analysis: ArticleAnalysis | None,
    lead_chars: int = GroupingParams().lead_chars,
) -> StoryInput:
    """What grouping reads about an article: its text, title, canonical entity ids (none
    before analysis), its publication year and the years its headline and lead (the first
    ``lead_chars`` of the text) state, and its language."""
    names = {m.entity_id for m in analysis.mentions if m.entity_id} if analysis else set()
    years = set(lead_years(article.text, article.title, lead_chars))
    if article.published:
        years.add(int(article.published[:4]))
    return StoryInput(
        id=article.id,
        text=article.text,
        title=article.title,
        names=tuple(sorted(names)),
        years=tuple(sorted(years)),
        published=article.published,
        language=article.language,
    )


def describe_story(
    story_id: str,
    members: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    params: DescribeParams | None = None,
) -> Story:
    """A story of ``members`` (earliest first).

    Its title is the earliest article's that has one (the first report names the event
    before follow-ups narrow it); ``start``/``end`` span every publication and event date;
    ``entities`` are the canonical names in the most member articles (at most
    ``params.story_entities``); ``confidence`` is the share of member pairs naming at least
    ``params.shared_entities`` entities in common (1.0 for a single article), a check a
    reader can redo from the export.
    """
    params = params or DescribeParams()
    names = [
        {m.entity_id: m.canonical for m in analyses[a.id].mentions if m.entity_id}
        if a.id in analyses
        else {}
        for a in members
    ]
    counts = Counter(name for found in names for name in set(found.values()) if name)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: params.story_entities]
    dates = sorted(date for article in members for date in _dates(article))
    return Story(
        id=story_id,
        title=next((a.title for a in members if a.title), ""),
        articles=tuple(a.id for a in members),
        outlets=tuple(sorted({a.outlet for a in members if a.outlet})),
        start=dates[0] if dates else None,
        end=dates[-1] if dates else None,
        entities=tuple(name for name, _ in top),
        confidence=confidence([set(found) for found in names], params.shared_entities),
    )


def confidence(names: Sequence[set[str]], shared: int) -> float:
    """The share of pairs of members (each given by its entity ids) naming at least
    ``shared`` entities in common; 1.0 for a single member."""
    pairs = list(combinations(names, 2))
    agreeing = sum(len(a & b) >= shared for a, b in pairs)
    return agreeing / len(pairs) if pairs else 1.0


def story_id_of(*parts: str, salt: str = "story") -> str:
    """A stable story id from ``parts`` (the earliest article's id for a story grouping
    starts; the moved articles' for a split)."""
    digest = hashlib.sha256("\x1f".join((salt, *parts)).encode("utf-8")).hexdigest()
    return "s" + digest[:11]


def _dates(article: Article) -> list[str]:
    return [date[:10] for date in (article.published, *article.event_dates) if date]
