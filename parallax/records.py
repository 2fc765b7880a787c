"""The records of the export contract (docs/schema.md), each declared once.

The export (JSON Lines, CSV, Parquet), the CLI's ``--json``, the library's ``Records``
and the API's response models are all these dataclasses (``parallax.contract`` derives
the rest). Records the pipeline already keeps as they are exported (``Story``,
``Entity``, ``Mention``, ``Quote``) are declared in ``parallax.model``; the ones here add
what the store knows about them. ``python -m parallax.records docs/schema.md`` rewrites
the docs' tables from these declarations (tests/test_contract.py checks them).
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from parallax.contract import generated_docs, key, record_dict
from parallax.model import (
    Article,
    BlockKind,
    DocumentFormat,
    Entity,
    Mention,
    PhotoCredit,
    Quote,
    Story,
)


@dataclass(frozen=True)
class RemovedPart:
    """A paragraph that is not body text, and why."""

    text: str
    reason: str
    kind: BlockKind


@dataclass(frozen=True)
class ArticleFields:
    """One cleaned and described article, before analysis and grouping."""

    id: str = key(
        "16 hex digits: hash of the outlet and the normalised clean body. The same article "
        "read twice, from any file or format, has one id."
    )
    source: str = key(
        "where it was read: a file path, `path#N` for the N-th record (1-based) of a JSON "
        "Lines file or feed, or the WARC target URI / JSON `url`"
    )
    url: str | None = key("the article's URL when the input gave one")
    format: str = key("`text`, `html`, `jsonl`, `feed` or `warc`", shape=DocumentFormat)
    title: str | None = key(
        "headline (from the input's metadata, the page's meta tags, or the headline line of "
        "scraped text)"
    )
    outlet: str | None = key(
        'the outlet that wrote the article: an origin note ("Read the original article on '
        'X"), the outlet naming itself ("asked by X", "the X app"), the input\'s metadata '
        "(JSON `outlet`, feed title, `og:site_name`), or a wire agency's dateline (\"BERLIN "
        '(dpa) -")'
    )
    republished_by: list[str] = key(
        "sites that re-posted it, nearest last: the site it was read from when that is not "
        'the outlet (aggregator banners, "Welcome to X" footers, the input\'s metadata)'
    )
    wire_credits: list[str] = key(
        'news agencies credited ("With material from the dpa", "(AP)", "Reuters '
        'contributed…", datelines), canonical short names (`AP`, `Reuters`, `AFP`, `dpa`, …)'
    )
    byline: list[str] = key("authors' names (agency and desk names removed)")
    published: str | None = key(
        "publication date (metadata, feed date, WARC date, or a dateline at the top of the "
        'text: "Published: March 5, 2025", "Posted: 08/02/2013 11:10 am EDT", "Last updated '
        '13:26 14/09/2013"; a numeric date is read month first after a 12-hour clock or a '
        "North American time zone, day first after a 24-hour clock or another zone, month "
        "first when the line gives neither)",
        shape=date | None,
    )
    published_at: str | None = key(
        "the moment of publication when the metadata gives a time of day, in UTC (`Z`) when "
        "it names its zone; orders copies published on one day",
        shape=datetime | None,
    )
    event_dates: list[str] = key(
        "calendar dates the body and captions state; years filled in from the publication "
        'date, the latest full date in the text, or the weekday ("Monday 12 May")',
        shape=list[date],
    )
    language: str | None = key("ISO 639-1 code")
    text: str = key("the clean body, paragraphs separated by a blank line")
    captions: list[str] = key("photo captions, without their credits")
    photo_credits: list[str] = key('photo credits as written, without labels such as "Photo:"')
    photo_credit_parts: list[dict[str, Any]] = key(
        "each credit split into photographer and agency chain", shape=list[PhotoCredit]
    )
    removed: list[dict[str, Any]] = key(
        "every paragraph that is not body text, with why it was removed",
        shape=list[RemovedPart],
    )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleRecord(ArticleFields):
    """One article as exported (``parallax export``): its clean text and description,
    the people, places and organisations it mentions, its quotes, its story and the
    earlier article it copies."""

    entities: list[dict[str, Any]] = key(
        "every mention of a person, organisation or place in the body and captions, in "
        "order; empty until the article is analysed (`parallax analyze`, or `parallax run`)",
        shape=list[Mention],
    )
    quotes: list[dict[str, Any]] = key(
        "direct quotes and reported speech, in order; empty until the article is analysed",
        shape=list[Quote],
    )
    not_analysed: str | None = key(
        "why `entities` and `quotes` are empty although the analysis ran: no language "
        "model for the article's language is installed (it is not read as English); null "
        "for an analysed article and one not analysed yet"
    )
    story_id: str | None = key(
        "the story (event) the article reports, see below; null until stories are grouped "
        "(`parallax run` or `parallax group`)"
    )
    duplicate_of: str | None = key(
        "id of the earliest article this one copies (syndicated wire copy, a re-post, a "
        "lightly edited version); copies are kept and join their original's story"
    )


def article_fields(article: Article) -> ArticleFields:
    """The contract's view of a cleaned article: its credits as text and as parts, and
    only the blocks that were removed."""
    return ArticleFields(
        id=article.id,
        source=article.source,
        url=article.url,
        format=article.format,
        title=article.title,
        outlet=article.outlet,
        republished_by=list(article.republished_by),
        wire_credits=list(article.wire_credits),
        byline=list(article.byline),
        published=article.published,
        published_at=article.published_at,
        event_dates=list(article.event_dates),
        language=article.language,
        text=article.text,
        captions=list(article.captions),
        photo_credits=[credit.text for credit in article.photo_credits],
        photo_credit_parts=[record_dict(credit) for credit in article.photo_credits],
        removed=[record_dict(RemovedPart(b.text, b.reason, b.kind)) for b in article.removed],
    )


@dataclass(frozen=True, kw_only=True)
class QuoteRecord(Quote):
    """One quote as ``parallax quotes --json`` prints it: the quote, its speaker's
    canonical name, and the article it is in."""

    speaker_canonical: str | None = key("the speaker's entity's canonical name")
    article_id: str = key("the article the quote is in")
    outlet: str | None = key("that article's outlet")
    published: str | None = key("that article's publication date", shape=date | None)
    title: str | None = key("that article's title")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


MARKS_DOC = (
    "where the query's words (or another spelling of the entity it names) are in `snippet`: "
    "[start, end] character offsets, end exclusive"
)


@dataclass(frozen=True)
class SearchResult:
    """One full-text search hit, best first."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None = key("the article's publication date", shape=date | None)
    snippet: str = key("the matching words in context")
    score: float = key("relevance: higher is better")
    marks: list[list[int]] = key(MARKS_DOC, default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleHit:
    """One answer of ``GET /api/search``: the article as cleaned, and where it matched."""

    article: ArticleFields
    snippet: str = key("the matching words in context")
    score: float = key("relevance: higher is better")
    marks: list[list[int]] = key(MARKS_DOC, default_factory=list)


@dataclass(frozen=True)
class ArticleBrief:
    """An article in a list: an entity's ``appears_in``."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None = key("publication date", shape=date | None)


@dataclass(frozen=True)
class StoryMember(ArticleBrief):
    """An article of a story (``parallax story ID --json``), with its copy link."""

    duplicate_of: str | None = key("the earlier article it copies")
    pinned: bool = key("a user placed it in this story (`parallax story merge` / `split`)")


@dataclass(frozen=True, kw_only=True)
class StoryDetail(Story):
    """One story with its articles (``parallax story ID --json``)."""

    members: tuple[StoryMember, ...] = key("its articles, in story order", default=())


@dataclass(frozen=True, kw_only=True)
class EntityProfile(Entity):
    """One entity with the articles naming it and its quotes (``parallax entity --json``)."""

    appears_in: tuple[ArticleBrief, ...] = key("the articles naming it", default=())
    quotes: tuple[QuoteRecord, ...] = key("what it is quoted saying", default=())


# The records whose tables docs/schema.md shows, generated from these declarations.
DOCUMENTED: tuple[type, ...] = (ArticleRecord, Story)


def main(argv: list[str]) -> int:
    """``python -m parallax.records docs/schema.md``: rewrite the docs' tables."""
    (path,) = argv
    page = Path(path)
    page.write_text(generated_docs(page.read_text(encoding="utf-8"), DOCUMENTED), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
