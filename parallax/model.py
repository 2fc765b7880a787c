"""The plain data classes that flow through the pipeline.

``RawDocument`` leaves the readers (``parallax.ingest``), ``Article`` leaves the
cleaner (``parallax.clean``) and is what the store keeps. ``Story``, ``Entity``,
``Mention`` and ``Quote`` are exported as they are; ``parallax.records`` declares the
rest of the export contract (docs/schema.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, get_args

from parallax.contract import key

DocumentFormat = Literal["text", "html", "jsonl", "feed", "warc"]

BlockKind = Literal[
    "title",
    "body",
    "boilerplate",
    "caption",
    "photo_credit",
    "wire_credit",
    "byline",
    "dateline",
    "origin",
]


@dataclass(frozen=True)
class RawDocument:
    """One article as a reader found it, before any cleaning.

    ``content`` is decoded text: HTML markup when ``is_html`` is true, plain
    text otherwise. Metadata that the container carried (a JSON Lines key, a
    feed item's date, a WARC target URI) travels alongside, never guessed here.
    """

    source: str
    format: DocumentFormat
    content: str
    is_html: bool
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadFailure:
    """A document that could not be read, and why, in words a user can act on."""

    source: str
    reason: str


@dataclass(frozen=True)
class Block:
    """One paragraph of the original text with what the cleaner decided about it.

    ``start``/``end`` are character offsets into the text the cleaner worked on
    (the plain text, or the text extracted from HTML), so every decision can be
    traced back to where it came from.
    """

    text: str
    kind: BlockKind
    reason: str
    start: int
    end: int


@dataclass(frozen=True)
class PhotoCredit:
    text: str
    photographer: str | None
    agency: str | None


@dataclass
class Article:
    """A cleaned and described article: the unit the store keeps and exports."""

    id: str
    source: str
    url: str | None
    title: str | None
    outlet: str | None
    republished_by: list[str]
    wire_credits: list[str]
    byline: list[str]
    published: str | None
    event_dates: list[str]
    language: str | None
    text: str
    captions: list[str]
    photo_credits: list[PhotoCredit]
    blocks: list[Block] = field(default_factory=list)
    format: DocumentFormat = "text"
    published_at: str | None = None  # with the time of day, when the source gives one

    @property
    def removed(self) -> list[Block]:
        return [block for block in self.blocks if block.kind not in ("title", "body")]

    def text_fields(self) -> list[tuple[str, str]]:
        """(field name, string) pairs of what it says, body first: ``text``, then
        ``caption:N`` for the N-th caption; mentions, quotes and sources index these."""
        return [("text", self.text)] + [
            (f"caption:{n}", caption) for n, caption in enumerate(self.captions)
        ]

    def to_dict(self) -> dict[str, Any]:
        """The article's object of the export contract (``parallax.records.ArticleFields``)."""
        # Imported here: the records are declared over this module's classes.
        from parallax.records import article_fields

        return article_fields(self).to_dict()


@dataclass
class IngestReport:
    """What one ingest did: counts a user reads at the end of a run."""

    ingested: int = 0
    duplicates: int = 0
    failures: list[ReadFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


EntityType = Literal["person", "organisation", "place"]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)
# The spellings users type for each type (``--type people``, ``type=ORG``).
_ENTITY_TYPE_NAMES: dict[str, EntityType] = {
    **{name: "person" for name in ("person", "persons", "people", "per")},
    **{
        name: "organisation"
        for name in ("organisation", "organisations", "organization", "organizations", "org")
    },
    **{name: "place" for name in ("place", "places", "location", "locations", "loc", "gpe")},
}


def entity_type(name: str) -> EntityType:
    """The entity type a user means by ``name`` (any case, singular or plural, British or
    American spelling); ValueError naming the valid types for anything else."""
    found = _ENTITY_TYPE_NAMES.get(name.strip().casefold())
    if found is None:
        raise ValueError(f"unknown entity type {name!r}: use {', '.join(ENTITY_TYPES)}")
    return found


MentionKind = Literal["name", "short", "descriptor"]
QuoteKind = Literal["direct", "indirect"]


@dataclass(frozen=True)
class Mention:
    """One mention of a person, organisation or place in one field of an article.

    ``field`` is ``"text"`` or ``"caption:N"`` (the N-th caption, from 0) and
    ``start``/``end`` index that field's string. ``kind`` says how it names the
    entity: the name itself, a short form ("Tokayev", "Mr. Tokayev") or a
    descriptor ("the native Uzbek", "the think tank"); short forms and descriptors
    point with ``refers_to`` at the index of the full mention they stand for, in
    the article's list of mentions. ``entity_id``/``canonical`` are filled in by
    ``parallax.resolve`` once the mention is linked across articles.
    """

    text: str
    type: EntityType
    start: int
    end: int
    field: str = "text"
    kind: MentionKind = "name"
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    refers_to: int | None = None
    entity_id: str | None = None
    canonical: str | None = None


@dataclass(frozen=True)
class Quote:
    """What somebody said or is reported to think, with the span it came from.

    ``start``/``end`` index the quoted content in ``field``; the cue ("said",
    "according to") and the speaker's words have spans of their own in the same
    field. ``speaker_mention`` is the index of the speaker's mention in the
    article's list of mentions, when the speaker is a known person or organisation.
    """

    text: str
    start: int
    end: int
    kind: QuoteKind
    field: str = "text"
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_mention: int | None = None
    speaker_entity_id: str | None = None
    speaker_role: str | None = None
    # How likely a reader accepts it as said by its speaker (0-1, learned on PolNeAR);
    # None for quotes analysed before it was measured.
    confidence: float | None = None


def as_thresholds(min_confidence: float | QuoteThresholds) -> QuoteThresholds:
    """One threshold for every quote, or the thresholds given."""
    if isinstance(min_confidence, QuoteThresholds):
        return min_confidence
    return QuoteThresholds.uniform(min_confidence)


def is_credited_quotation(quote: Quote) -> bool:
    """Whether a quote is words in quotation marks credited to a speaker: what a reader
    checks first, and kept at a threshold of its own (``QuoteThresholds``)."""
    return quote.kind == "direct" and quote.speaker is not None


@dataclass(frozen=True)
class QuoteThresholds:
    """The confidence a quote needs to be listed: quotations in marks credited to a
    speaker have a threshold of their own, every other quote (reported speech, a
    quotation nobody is credited with) the ``reported`` one. ``uniform`` gives one
    threshold for all, as an explicit ``--min-confidence`` asks."""

    reported: float
    credited_quotation: float

    @classmethod
    def uniform(cls, threshold: float) -> QuoteThresholds:
        return cls(threshold, threshold)

    def for_kind(self, credited_quotation: bool) -> float:
        """The threshold of a credited quotation, or of any other quote."""
        return self.credited_quotation if credited_quotation else self.reported

    def keeps(self, quote: Quote) -> bool:
        """Whether ``quote`` reaches its threshold (one analysed before confidences were
        measured has none and is kept)."""
        threshold = self.for_kind(is_credited_quotation(quote))
        return quote.confidence is None or quote.confidence >= threshold


@dataclass(frozen=True)
class Variant:
    """One spelling of an entity's name, how often it occurs and which outlets use it."""

    text: str
    count: int
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    """One real person, organisation or place across every article that names it.

    ``kb_id`` links to the bundled or user knowledge base when the entity is a
    known one; ``warnings`` flag what looks wrong, such as a first name that
    contradicts the known one ("Viktor Lukashenko" for Alexander Lukashenko).
    """

    id: str
    canonical: str
    type: EntityType
    variants: tuple[Variant, ...] = ()
    articles: int = 0
    role: str | None = None
    country: str | None = None
    kb_id: str | None = None
    description: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleAnalysis:
    """What the language analysis found in one article (body and captions).

    Caption credits are not analysed: a photographer is not a person of the story.
    ``truncated`` names the fields ("text", "caption:N") analysed only in part, as
    the analysis bounds one article (``parallax.nlp.AnalysisLimits``); it is not stored.
    ``not_analysed`` says why an article has no mentions and quotes although the analysis
    ran: no model for its language is installed (it is not read as English).
    """

    article_id: str
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    model: str = ""
    truncated: tuple[str, ...] = ()
    not_analysed: str | None = None

    def with_quotes_from(self, min_confidence: float | QuoteThresholds) -> ArticleAnalysis:
        """The analysis with only the quotes whose confidence reaches ``min_confidence``,
        one threshold or one per kind of quote (a quote analysed before confidences were
        measured has none and stays)."""
        thresholds = as_thresholds(min_confidence)
        return replace(self, quotes=tuple(q for q in self.quotes if thresholds.keeps(q)))


@dataclass(frozen=True)
class Resolution:
    """Entities across a set of articles, and which entity each mention names.

    ``links`` maps (article id, index of the mention in that article's
    ``ArticleAnalysis.mentions``) to an entity id; short forms and descriptors
    are linked through the full mention they refer to.
    """

    entities: tuple[Entity, ...] = ()
    links: dict[tuple[str, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """Every report of one real-world event: its articles, when, who reported it, and about whom.

    ``confidence`` is how tightly the articles hang together (the mean similarity of
    each article to the rest of the story; 1.0 for a single article).
    """

    id: str = key("`s` and 11 hex digits; stable: a story keeps its id across runs")
    title: str = key(
        "the title of its earliest article that has one (the first report names the event; "
        "follow-ups narrow it)"
    )
    articles: tuple[str, ...] = key(
        "its article ids, earliest first (publication date, then storing order)"
    )
    outlets: tuple[str, ...] = key("distinct outlets of its articles, sorted", default=())
    start: str | None = key(
        "the earliest of its articles' `published` and `event_dates`",
        shape=date | None,
        default=None,
    )
    end: str | None = key(
        "the latest of its articles' `published` and `event_dates`",
        shape=date | None,
        default=None,
    )
    entities: tuple[str, ...] = key(
        "canonical names of the entities named by the most of its articles, at most 5",
        default=(),
    )
    confidence: float = key(
        "share of pairs of its articles naming at least 2 entities in common (1.0 for one article)",
        default=1.0,
    )
