"""What a comparison of one story holds: the ``compare --json`` contract as dataclasses.

Every item points back at where it came from (``Source``: article, outlet, field
and character span), so a reader can check each point against its sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FactStatus = Literal["shared", "unique"]
ConflictKind = Literal["participants", "number", "date", "name", "speaker"]


@dataclass(frozen=True)
class Source:
    """A span of one article: ``field`` is ``"text"`` (the body) or ``"caption:N"``."""

    article_id: str
    outlet: str
    start: int
    end: int
    field: str = "text"
    text: str = ""


@dataclass
class OutletView:
    """How one outlet reports one participant."""

    mentioned: bool
    variants: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: int = 0
    listed: bool = False  # named in a list of those taking part
    sources: list[Source] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # people in its offices, for a country


@dataclass
class Participant:
    entity_id: str
    canonical: str
    type: str
    by_outlet: dict[str, OutletView]
    country: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return [outlet for outlet, view in self.by_outlet.items() if view.mentioned]


@dataclass
class Fact:
    """One statement, carried by one outlet (``unique``) or in other words by several."""

    text: str
    outlets: list[str]
    status: FactStatus
    sources: list[Source]
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # canonical names of its actors and places


@dataclass
class Conflict:
    """Where outlets disagree; ``by_outlet`` says what each of them has."""

    kind: ConflictKind
    description: str
    by_outlet: dict[str, list[str]]
    sources: list[Source] = field(default_factory=list)


@dataclass
class QuoteReport:
    """One quote, and every outlet that carries it (possibly in slightly other words)."""

    speaker: str | None
    text: str
    outlets: list[str]
    speaker_entity_id: str | None = None
    kind: str = "direct"
    speakers_by_outlet: dict[str, str | None] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)


@dataclass
class ArticleRef:
    id: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None


@dataclass
class Comparison:
    story_id: str
    title: str
    outlets: list[str]
    articles: list[ArticleRef]
    participants: list[Participant]
    facts: list[Fact]
    conflicts: list[Conflict]
    quotes: list[QuoteReport]
    start: str | None = None
    end: str | None = None
    # The texts the sources point into ({article id: {field: string}}), for the HTML
    # view's marked sentences; not part of the JSON contract.
    documents: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``compare --json`` object: plain JSON types only."""
        data = asdict(self)
        del data["documents"]
        for participant, original in zip(data["participants"], self.participants, strict=True):
            participant["outlets"] = original.outlets
        return data

    def to_markdown(self) -> str:
        """The comparison as a Markdown report."""
        from parallax.compare.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """The comparison as a self-contained HTML page, each point linked to its
        sentence in the articles' texts."""
        from parallax.compare.render import to_html

        return to_html(self)
