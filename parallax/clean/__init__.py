"""Cleaning and describing: RawDocument in, Article out.

The body is separated from boilerplate, captions, credits and notes; every
separated paragraph is kept as a Block with its reason. Then the article is
described: title, outlet and republishing chain, wire credits, byline, dates,
language.
"""

from __future__ import annotations

import hashlib
import re

from parallax.clean import credits, learned, text
from parallax.clean.blocks import normalise, split_paragraphs
from parallax.clean.html import extract_html
from parallax.clean.language import detect_language
from parallax.clean.outlets import describe_outlets
from parallax.clean.recurring import FURNITURE_REASON
from parallax.errors import UnreadableDocument
from parallax.ingest.urls import web_url
from parallax.model import Article, Block, RawDocument
from parallax.text.dates import (
    dateline_date,
    event_dates,
    parse_published,
    parse_published_time,
    plausible_publication,
)

__all__ = ["article_id", "clean_document"]

_METADATA_OVERLOOKED = {learned.LEARNED_REASON, "section label", "site header"}
"""Reasons a byline or date line above the article is removed for when menus push it past
the top of the page: the classifier's, and the short headings of the page's top."""

MIN_WORDS = 8
"""Shorter bodies are menus, error pages or debris, not articles."""
MIN_WORDS_BESIDE_FORM = 50
"""Shorter bodies on a page that printed a template unrendered are what is left of its
sign-in form, not an article (two sentences of a brief are about 50 words). On GVA's 24
such pages the forms leave 0 to 34 words and the one article 180 (docs/benchmarks.md,
"Unrendered templates"); no page of the cleaning collections holds a placeholder."""

# Cleaning time grows with the text (here about 0.3 ms a paragraph and 0.6 s a
# megabyte), so a pathological document could take minutes. The per-document time
# limit is therefore kept as limits on size, far above any article: they give the
# same answer on every machine and under any load, where a clock would not. With
# the markup limits of clean.html the slowest document found takes about 7 s here
# (20,000 tags); the largest accepted text about 1.5 s (tests/test_hostile_input.py).
MAX_TEXT_CHARS = 1_000_000
"""Longest text cleaned as one article (a long feature is 50,000 characters)."""
MAX_PARAGRAPHS = 5_000
"""Most paragraphs cleaned as one article (a long feature has 300)."""

_DESK = re.compile(
    r"\b(?:staff|desk|newsroom|editors?|reporters?|agenc(?:y|ies)|press|news)\b", re.I
)
_BYLINE_NAMES = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b)\s*")


def clean_document(
    raw: RawDocument,
    furniture: frozenset[str] = frozenset(),
    body_model: learned.BodyModel | None = None,
) -> Article:
    """Clean and describe one document; raises UnreadableDocument when no article is in it.

    ``furniture``: keys of paragraphs known to be page furniture (``clean.recurring``).
    ``body_model``: the paragraph classifier for plain text; the packaged one by default.
    """
    captions: list[str] = []
    credit_texts: list[str] = []
    declared_outlet, declared_title = raw.outlet, raw.title
    published_hint, author_hint = raw.published, None
    if raw.is_html:
        extraction = extract_html(raw.content, raw.url)
        working = normalise(extraction.text)
        captions.extend(extraction.captions)
        credit_texts.extend(extraction.photo_credits)
        declared_outlet = declared_outlet or extraction.site_name
        declared_title = declared_title or extraction.title
        published_hint = published_hint or extraction.date
        author_hint = extraction.author
    else:
        working = normalise(raw.content)
    if len(working) > MAX_TEXT_CHARS:
        raise UnreadableDocument(
            f"text too long for one article ({len(working) / 1e6:.1f} million characters, "
            f"the limit is {MAX_TEXT_CHARS / 1e6:.0f} million)"
        )
    paragraphs = split_paragraphs(working)
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise UnreadableDocument(
            f"too many paragraphs for one article ({len(paragraphs)}, the limit is "
            f"{MAX_PARAGRAPHS}): a listing, a log or a whole site, not an article"
        )
    labels = text.rule_labels(
        paragraphs,
        known_title=declared_title,
        known_captions=set(captions),
        known_credits=set(credit_texts),
        furniture=furniture,
    )
    if not raw.is_html:
        # Markup already told the HTML extractor what the page's furniture is; scraped
        # text has only its shape left, which the learned classifier reads.
        labels = learned.relabel(paragraphs, labels, body_model or learned.load_body_model())
        labels = text.metadata_before_article(paragraphs, labels, _METADATA_OVERLOOKED)
    blocks = text.blocks_of(paragraphs, labels)
    body = [block for block in blocks if block.kind == "body"]
    article_text = "\n\n".join(block.text for block in body)
    words = len(article_text.split())
    holds_form = any(block.reason == text.UNRENDERED_REASON for block in blocks)
    if holds_form and words < MIN_WORDS_BESIDE_FORM:
        raise UnreadableDocument(
            "no article text found: a sign-in form or widget printed unrendered "
            f'("{{* … *}}") and fewer than {MIN_WORDS_BESIDE_FORM} words besides it'
        )
    if words < MIN_WORDS:
        if any(block.reason == FURNITURE_REASON for block in blocks):
            raise UnreadableDocument(
                "no article text found: what the page holds besides its title recurs on "
                "pages published months apart, or on other undated pages of its site (a "
                "sign-up form, paywall or log-in notice)"
            )
        raise UnreadableDocument(
            f"no article text found (fewer than {MIN_WORDS} words of body: "
            "empty page, index page or broken HTML)"
        )
    for block in blocks:
        if block.kind == "caption" and block.text not in captions:
            captions.append(block.text)
        if block.kind == "photo_credit" and block.text not in credit_texts:
            credit_texts.append(_credit_only(block.text))
    title = declared_title or _title(blocks)
    outlet, republished_by = describe_outlets(
        declared_outlet, blocks, [block.text for block in blocks]
    )
    published = _published(published_hint, blocks)
    wire_credits = _wire_credits(blocks, body)
    if outlet is None and body:
        # "CONSTANTA, March 5 (Reuters) -" with no other outlet named: the agency's own story.
        outlet = credits.dateline_agency(body[0].text)
    return Article(
        id=article_id(outlet, article_text),
        source=raw.source,
        url=web_url(raw.url),
        title=title,
        outlet=outlet,
        republished_by=republished_by,
        wire_credits=wire_credits,
        byline=_byline(raw.byline, author_hint, blocks),
        published=published.isoformat() if published else None,
        event_dates=event_dates(article_text, captions, published),
        language=detect_language(article_text),
        text=article_text,
        captions=captions,
        photo_credits=[credits.parse_photo_credit(c) for c in dict.fromkeys(credit_texts)],
        blocks=blocks,
        format=raw.format,
        published_at=parse_published_time(published_hint) if published else None,
    )


def article_id(outlet: str | None, body: str) -> str:
    """Content hash: the same body from the same outlet is the same article, wherever read."""
    canonical = re.sub(r"\s+", " ", body).strip().lower()
    digest = hashlib.sha256(f"{(outlet or '').lower()}\n{canonical}".encode()).hexdigest()
    return digest[:16]


def _credit_only(block_text: str) -> str:
    return credits.standalone_credit(block_text) or block_text


def _title(blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.kind == "title":
            return block.text
    body = [block for block in blocks if block.kind == "body"]
    # A headline the paragraph classifier took for page text stands last among the
    # headline-shaped lines it removed before the article starts.
    first_body = blocks.index(body[0]) if body else len(blocks)
    removed_before = [
        block.text
        for block in blocks[:first_body]
        if block.reason == learned.LEARNED_REASON and _headline_shaped(block.text)
    ]
    if removed_before:
        return removed_before[-1]
    # No headline in the text: the first sub-heading near the top, else the lead sentence.
    for block in body[:6]:
        if _headline_shaped(block.text):
            return block.text
    first = re.split(r"(?<=[.!?])\s+", body[0].text)[0] if body else ""
    return first or None


def _headline_shaped(text: str) -> bool:
    return 4 <= len(text.split()) <= 20 and not text.rstrip().endswith((".", "!", "?", "…"))


def _published(hint: str | None, blocks: list[Block]) -> object:
    parsed = parse_published(hint)
    if parsed:
        return parsed
    for block in blocks:
        if block.kind == "dateline":
            parsed = plausible_publication(dateline_date(block.text))
            if parsed:
                return parsed
    return None


def _wire_credits(blocks: list[Block], body: list[Block]) -> list[str]:
    agencies: list[str] = []
    for block in blocks:
        if block.kind == "wire_credit":
            agencies.extend(credits.wire_credit_line(block.text) or [])
    for block in body[:3]:
        agency = credits.dateline_agency(block.text)
        if agency:
            agencies.append(agency)
    return list(dict.fromkeys(agencies))


def _byline(declared: tuple[str, ...], author: str | None, blocks: list[Block]) -> list[str]:
    names = [name for entry in declared for name in byline_names(entry)]
    if not names and author:
        names = byline_names(author)
    if not names:
        for block in blocks:
            match = text.BYLINE.match(block.text) if block.kind == "byline" else None
            if match:
                names.extend(byline_names(match.group("names")))
    return list(dict.fromkeys(names))


def byline_names(raw: str) -> list[str]:
    """People in a byline string: "Jane Doe and John Roe, Associated Press" → both names.

    Handles "email (Name)" feed authors and drops agency or desk names.
    """
    value = raw.strip()
    parenthesised = re.search(r"\(([^()]+)\)?\s*$", value)
    if parenthesised and ("@" in value or not value.startswith("(")):
        value = parenthesised.group(1)
    value = re.sub(r"\S+@\S+", "", value)
    value = re.sub(r"^(?i:by)\s+", "", value.strip())
    names = []
    for part in _BYLINE_NAMES.split(value):
        part = part.strip(" .|-–—")
        if not part or credits.agencies_in(part) or _DESK.search(part):
            continue
        names.append(part)
    return names
