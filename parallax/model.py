"""The plain data classes that flow through the pipeline.

``RawDocument`` leaves the readers (``parallax.ingest``), ``Article`` leaves the
cleaner (``parallax.clean``) and is what the store keeps. Field names of
``Article`` are the export contract described in ``docs/schema.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

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

    @property
    def removed(self) -> list[Block]:
        return [block for block in self.blocks if block.kind not in ("title", "body")]

    def to_dict(self) -> dict[str, Any]:
        """The export contract: one JSON-ready object per article."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "format": self.format,
            "title": self.title,
            "outlet": self.outlet,
            "republished_by": list(self.republished_by),
            "wire_credits": list(self.wire_credits),
            "byline": list(self.byline),
            "published": self.published,
            "event_dates": list(self.event_dates),
            "language": self.language,
            "text": self.text,
            "captions": list(self.captions),
            "photo_credits": [credit.text for credit in self.photo_credits],
            "photo_credit_parts": [asdict(credit) for credit in self.photo_credits],
            "removed": [
                {"text": block.text, "reason": block.reason, "kind": block.kind}
                for block in self.removed
            ],
        }


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
