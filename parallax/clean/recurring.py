"""Page furniture: paragraphs a site repeats on pages published months apart.

A sign-up form ("Get email notifications…"), a paywall notice or a log-in widget
is printed by a site's template on every page, so a scraper keeps it as text, and
on some pages it is all the scraper kept. No rule about one page tells it from a
short news paragraph; the collection does: the same words recur on the same
site's pages published months apart. A story's own words recur only while it is
news (wire copies and quoted statements are published within days of each
other), so recurrence across periods, not across documents, is the signal. A
paragraph is furniture when its own site printed it in several periods, or when
it stands in a run of paragraphs that each recur so on any site (a network of
sites shares one template, each site printing it a few times). A single
sentence recurring across sites is not enough: stock sentences of reporting ("No
arrests have been made.") recur so, and are text.

A page without a date has no period; it counts as one of its own (``UNDATED_PAGE``),
one per story told: a crawl of undated pages learns a site's paywall or menu from several
of its stories, as a dated feed learns it from several months. On its own site a story
is known by its headline and longest paragraph; across sites by its longest paragraph
alone, since each site retitles a wire story: one wire story printed by three sites is
one story, and text, while a network's paywall block printed over three sites' own
stories is furniture.

The sightings (in which periods a site printed each short paragraph) are kept in
the store, so that a feed read day by day learns its furniture as one read at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from tld import get_fld

from parallax.model import Article

__all__ = [
    "FURNITURE_REASON",
    "UNDATED_PAGE",
    "RecurrenceParams",
    "furniture_of",
    "paragraph_key",
    "sightings",
    "site_of",
]

FURNITURE_REASON = "recurs on pages published months apart, or on undated pages (page furniture)"
ANY_SITE = "*"

_NOT_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class RecurrenceParams:
    """When a recurring paragraph is taken for page furniture.

    Evidence (docs/benchmarks.md, "Page furniture"): on the 5,671 GVA reports
    (2013-2017) sign-up, paywall and log-in blocks recur on 15 to 47 pages each, spread
    over years; with these values 73 reports that held nothing else are refused and the
    largest story falls from 47 reports to 14 (the variants measured are in the docs).
    The week of real news and ECB+ (undated) have no paragraph recurring across periods,
    so their figures do not move. The values were set before measuring, not tuned.
    """

    period_days: int = 30
    """Length of one period: wire copies and follow-ups of one event fall within it."""
    min_periods: int = 3
    """Distinct periods a paragraph must be seen in to be furniture."""
    min_run: int = 3
    """Paragraphs, each recurring on any site, that make a template's block."""
    max_gap: int = 1
    """Paragraphs of a page's own that may stand between two of a block's."""
    max_words: int = 40
    """Longer paragraphs are not tracked: furniture is short, and the store stays small."""


def paragraph_key(text: str) -> str:
    """The identity of a paragraph across pages: case, punctuation, spacing and
    figures (dates, counts) do not count."""
    canonical = _NOT_WORD.sub(" ", _DIGITS.sub("0", text.lower())).strip()
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=8).hexdigest()


def site_of(url: str | None, outlet: str | None) -> str | None:
    """The site that printed a page: the domain its address registers ("bbc.co.uk" for
    news.bbc.co.uk, by the public suffix list), else its host, else its outlet. One
    site's sections print one template from hosts of their own (travel., sport.), and a
    network of local papers from one host each (campbelltown.yourguide.com.au)."""
    host = urlsplit(url).hostname if url else None
    if host:
        return get_fld(host, fix_protocol=True, fail_silently=True) or host.removeprefix("www.")
    return outlet.strip().lower() if outlet and outlet.strip() else None


def _word_count(text: str) -> int:
    """Words, not the cells' bars of a table row ("| Home | | UK | | Sport |")."""
    return len(_WORD.findall(text))


def _period(published: str | None, params: RecurrenceParams) -> int | None:
    if not published:
        return None
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return None
    return day.toordinal() // params.period_days


UNDATED_PAGE = -1
"""Periods are days // period_days, never negative: an undated page's own period is a
negative number drawn from its longest paragraph (``_undated_periods``), so that copies and
versions of one story, which share it, count once."""


def _undated_periods(article: Article) -> tuple[int, int]:
    """An undated page's own period on its site, and across sites.

    With the headline on the page's own site: on a site whose footer is longer than its
    stories (a newspaper's terms of service) the paragraph alone is the footer, and every
    story of the site would count as one. Without it across sites (see the module)."""
    body = [block.text for block in article.blocks if block.kind == "body"]
    longest = paragraph_key(max(body, key=len)) if body else article.url or article.source
    return _period_of(f"{article.title or ''}\t{longest}"), _period_of(longest)


def _period_of(identity: str) -> int:
    digest = hashlib.blake2b(identity.encode("utf-8"), digest_size=5).digest()
    return UNDATED_PAGE - int.from_bytes(digest)


def sightings(articles: Iterable[Article], params: RecurrenceParams) -> dict[str, set[int]]:
    """In which periods each short body paragraph of ``articles`` was printed, by its site
    and by any site; keyed "site<TAB>paragraph key" and "*<TAB>paragraph key". An undated
    page is a period of its own, one per story told (``UNDATED_PAGE``)."""
    seen: dict[str, set[int]] = {}
    for article in articles:
        site = site_of(article.url, article.outlet)
        if site is None:
            continue
        period = _period(article.published, params)
        on_site, across = (period, period) if period is not None else _undated_periods(article)
        for block in article.blocks:
            if block.kind == "body" and _word_count(block.text) <= params.max_words:
                key = paragraph_key(block.text)
                seen.setdefault(f"{site}\t{key}", set()).add(on_site)
                seen.setdefault(f"{ANY_SITE}\t{key}", set()).add(across)
    return seen


def furniture_of(
    article: Article, seen: Mapping[str, set[int]], params: RecurrenceParams
) -> frozenset[str]:
    """The keys of ``article``'s body paragraphs that are page furniture, given the
    ``sightings`` known (the article's own included)."""
    site = site_of(article.url, article.outlet)
    if site is None:
        return frozenset()
    # A removed paragraph (a share bar, say) does not break a template's block.
    keys = [paragraph_key(b.text) for b in article.blocks if b.kind == "body"]
    found = {k for k in keys if len(seen.get(f"{site}\t{k}", ())) >= params.min_periods}
    recurring = [
        at
        for at, k in enumerate(keys)
        if len(seen.get(f"{ANY_SITE}\t{k}", ())) >= params.min_periods
    ]
    run: list[int] = []
    for at in [*recurring, None]:
        # One line of its own ("Whenever <reporter> posts…") may sit inside the block.
        if at is not None and (not run or at - run[-1] <= params.max_gap + 1):
            run.append(at)
            continue
        if len(run) >= params.min_run:
            found.update(keys[i] for i in run)
        run = [at] if at is not None else []
    return frozenset(found)
