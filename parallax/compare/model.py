"""What a comparison of one story holds: the ``compare --json`` contract as dataclasses.

Every item points back at where it came from (``Source``: article, outlet, field
and character span), so a reader can check each point against its sentence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from parallax.contract import INTERNAL, derived, from_record_dict, key, record_dict
from parallax.model import QuoteKind

FactStatus = Literal["shared", "unique"]
FactCoverage = Literal["all", "some", "one"]
# Which claim groups a reader asks to see (``compare --show``).
CompareView = Literal["all", "differences", "shared"]
COMPARE_VIEWS: tuple[CompareView, ...] = ("all", "differences", "shared")
ConflictKind = Literal["participants", "number", "date", "name", "speaker"]


@dataclass(frozen=True)
class Source:
    """A span of one article: ``field`` is ``"text"`` (the body) or ``"caption:N"``."""

    article_id: str = key("the article the span is in")
    outlet: str = key("that article's outlet")
    start: int = key("where the span starts: a character offset into `field`")
    end: int = key("where it ends (exclusive), so `text == field[start:end]`")
    field: str = key("`text` (the clean body) or `caption:N` (the N-th caption)", default="text")
    text: str = key("the span's words", default="")
    speaker: str | None = key(
        "who said the span's words, when they are a quotation's and do not name their "
        "speaker (the canonical name when known)",
        default=None,
    )


@dataclass
class OutletView:
    """How one outlet reports one participant."""

    mentioned: bool = key("whether the outlet names it")
    variants: list[str] = key("the spellings it uses", default_factory=list)
    roles: list[str] = key("the roles it gives it", default_factory=list)
    mentions: int = key("how often it names it", default=0)
    listed: bool = key("whether it names it in a list of those taking part", default=False)
    sources: list[Source] = key("where it names it", default_factory=list)
    via: list[str] = key(
        'for a country, the people in its offices through whom the outlet brings it in ("Kyrgyz '
        'President Sadyr Japarov")',
        default_factory=list,
    )


@dataclass
class Participant:
    """A person, organisation or country the story's articles name, outlet by outlet."""

    entity_id: str = key("the entity's id; a country's is `country:` and its ISO code")
    canonical: str = key("the entity's name")
    type: str = key("`person`, `organisation` or `country`")
    by_outlet: dict[str, OutletView] = key("how each outlet of the story reports it, by outlet")
    country: str | None = key("its country's ISO code, when known", default=None)
    warnings: list[str] = key("doubts the knowledge base has about it", default_factory=list)

    @derived("the outlets that name it, in story order")
    def outlets(self) -> list[str]:
        return [outlet for outlet, view in self.by_outlet.items() if view.mentioned]


@dataclass
class Fact:
    """One claim group: a claim carried by one outlet (``unique``) or, in other words, by
    several (``shared``); two claims are one when ``parallax.same_claim`` says so."""

    text: str = key("the statement, as the first outlet words it")
    outlets: list[str] = key("the outlets that carry it")
    status: FactStatus = key("`shared` (in other words by two or more outlets) or `unique`")
    sources: list[Source] = key("its sentence in each article")
    numbers: list[str] = key("the figures it gives, as written", default_factory=list)
    dates: list[str] = key("the dates it gives, as written", default_factory=list)
    entities: list[str] = key("the canonical names of its actors and places", default_factory=list)
    coverage: FactCoverage = key(
        "`all` (every outlet of the story carries it), `some` (two or more, not all) or `one`",
        default="one",
    )
    disputed: bool = key(
        "whether a conflict points at one of its sources (the outlets give different "
        "figures or dates for it)",
        default=False,
    )


@dataclass
class Conflict:
    """Where outlets disagree; ``by_outlet`` says what each of them has."""

    kind: ConflictKind = key(
        "`participants` (different lists of who took part), `number` (different figures for "
        "one measure), `date`, `name` (one person spelled differently, or a name the "
        "knowledge base doubts) or `speaker` (one quote credited to different speakers)"
    )
    description: str = key("the disagreement in one line")
    by_outlet: dict[str, list[str]] = key("what each outlet says, by outlet")
    sources: list[Source] = key("the spans that disagree", default_factory=list)


@dataclass
class QuoteReport:
    """One quote, and every outlet that carries it (possibly in slightly other words)."""

    speaker: str | None = key(
        "who said it (the entity's canonical name when known), as the first outlet credits it"
    )
    text: str = key("the words quoted")
    outlets: list[str] = key("the outlets that carry it")
    speaker_entity_id: str | None = key("the speaker's entity id", default=None)
    kind: str = key("`direct` or `indirect` (reported speech)", shape=QuoteKind, default="direct")
    speakers_by_outlet: dict[str, str | None] = key(
        "whom each outlet credits it to, by outlet", default_factory=dict
    )
    sources: list[Source] = key("the quote in each article", default_factory=list)


@dataclass
class ArticleRef:
    """One article of the compared story."""

    id: str = key("the article's id")
    outlet: str = key(
        "its outlet; an article without a publisher is credited to its URL's host or file name"
    )
    title: str | None = key("its title")
    url: str | None = key("its URL")
    published: str | None = key("its publication date", shape=date | None)
    not_analysed: str | None = key(
        "why its people and quotes are missing from the comparison (no model for its "
        "language); null when it was analysed",
        default=None,
    )


@dataclass
class Comparison:
    """What each outlet reports about one story, side by side, and where they disagree
    (``parallax compare STORY_ID --json``)."""

    story_id: str = key("the story's id")
    title: str = key("the story's title")
    outlets: list[str] = key("the story's outlets, in story order")
    articles: list[ArticleRef] = key("the story's articles")
    participants: list[Participant] = key(
        "every person, organisation and country named, those named by the most outlets first"
    )
    facts: list[Fact] = key(
        "claim groups: the bodies' claims (sentences, or clauses of long ones) aligned across "
        "outlets; those in a conflict first, then shared by all, by some, only in one"
    )
    conflicts: list[Conflict] = key("where the outlets disagree")
    quotes: list[QuoteReport] = key(
        "every attributed quote once, however many outlets carry it, ordered by speaker"
    )
    start: str | None = key("the story's first date", shape=date | None, default=None)
    end: str | None = key("the story's last date", shape=date | None, default=None)
    # The texts the sources point into ({article id: {field: string}}), for the HTML
    # view's marked sentences; not part of the JSON contract.
    documents: dict[str, dict[str, str]] = field(
        default_factory=dict, repr=False, compare=False, metadata=INTERNAL
    )

    def filtered(self, show: CompareView = "all", only_in: str | None = None) -> Comparison:
        """The comparison with only some of its claim groups: ``differences`` (those a
        conflict points at), ``shared`` (those every outlet carries), and with ``only_in``
        those that outlet alone carries (its name in any case). Conflicts, participants
        and quotes stay whole."""
        facts = self.facts
        if show == "differences":
            facts = [fact for fact in facts if fact.disputed]
        elif show == "shared":
            facts = [fact for fact in facts if fact.coverage == "all"]
        if only_in is not None:
            wanted = only_in.casefold()
            facts = [
                fact
                for fact in facts
                if fact.status == "unique" and fact.outlets[0].casefold() == wanted
            ]
        return replace(self, facts=facts)

    def to_dict(self) -> dict[str, Any]:
        """The ``compare --json`` object: the declared keys, plain JSON types only."""
        return record_dict(self)

    def to_json(self) -> str:
        """The ``compare --json`` object as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, comparison: str, documents: str = "{}") -> Comparison:
        """The comparison ``to_json`` wrote, with the texts its sources point into
        (``documents`` as JSON) for the renderers that quote them."""
        found = from_record_dict(cls, json.loads(comparison))
        found.documents = json.loads(documents)
        return found

    def to_markdown(self) -> str:
        """The comparison as a Markdown report."""
        from parallax.compare.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """The comparison as a self-contained HTML page, each point linked to its
        sentence in the articles' texts."""
        from parallax.compare.render import to_html

        return to_html(self)
