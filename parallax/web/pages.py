"""Server-rendered pages: stories, a story's comparison, and index pages of articles,
entities and quotes, each with its filters; an article, an entity, search.

The pages read the store through ``Corpus``, as the API does, and work without
JavaScript; nothing is loaded from outside the server. Lists show a page of ``PAGE``
rows and read only what they show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from parallax.compare.render import page_around, page_css
from parallax.ingest.urls import web_url
from parallax.model import Entity, Mention, Quote
from parallax.nlp import DEFAULT_QUOTE_THRESHOLDS
from parallax.nlp.quotes import quote_parts
from parallax.store import SearchHit
from parallax.web.api import _SQLITE_MAX_INT, CorpusDep, IsoDate, Language, checked_date

PAGE = 50
# Search hits a page: each has a snippet, and twenty are more than a reader scans.
SEARCH_PAGE = 20
# A page's lists of an entity's stories, articles and quotes stop here (with a link to
# the rest, or how many there are).
ENTITY_PAGE_ITEMS = 20
# The page number as far as its offset stays a SQLite integer (the API's offset bound).
PageNumber = Annotated[int, Query(ge=1, le=_SQLITE_MAX_INT // PAGE)]
ENTITY_TYPES = (("", "All"), ("person", "People"), ("organisation", "Organisations"),
                ("place", "Places"))  # fmt: skip


def _counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 story", "2 stories": a count with its noun."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def _outlet_count(entity: Entity) -> int:
    """How many outlets name an entity, by any spelling."""
    return len({outlet for variant in entity.variants for outlet in variant.outlets})


def _truncated_list(items: Sequence[str], shown: int) -> str:
    rest = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {rest} more" if rest > 0 else "")


def _highlighted(hit: SearchHit) -> Markup:
    """A search hit's snippet with its matching words in ``<mark>``."""
    parts, last = [], 0
    for start, end in hit.marks:
        parts += [escape(hit.snippet[last:start]), f"<mark>{escape(hit.snippet[start:end])}</mark>"]
        last = end
    return Markup("".join([*parts, escape(hit.snippet[last:])]))


TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
TEMPLATES.filters |= {
    "counted": _counted,
    "outlet_count": _outlet_count,
    "truncated_list": _truncated_list,
    "highlighted": _highlighted,
}
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Pages:
    """Where a list's page sits among its pages, and the addresses of its neighbours."""

    number: int
    last: int
    previous: str | None
    next: str | None
    previous_label: str = "Previous"
    next_label: str = "Next"


def pages_of(
    request: Request,
    number: int,
    total: int,
    labels: tuple[str, str] = ("Previous", "Next"),
    size: int = PAGE,
) -> Pages:
    last = max(1, -(-total // size))

    def address(page: int) -> str:
        return str(request.url.include_query_params(page=page).replace(scheme="", netloc=""))

    return Pages(
        number,
        last,
        address(number - 1) if number > 1 else None,
        address(number + 1) if number < last else None,
        *labels,
    )


def render(name: str, **context: object) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context))


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, corpus: CorpusDep, page: PageNumber = 1) -> HTMLResponse:
    total = corpus.count_stories()
    return render(
        "stories.html",
        stories=corpus.stories(limit=PAGE, offset=(page - 1) * PAGE),
        total=total,
        articles=len(corpus),
        pages=pages_of(request, page, total, ("Newer", "Older")),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, corpus: CorpusDep) -> HTMLResponse:
    story = corpus.story(story_id)
    if story is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id!r}")
    nav = TEMPLATES.get_template("nav.html").render(nav_story=story)
    before, after = page_around(story.title or story.id, nav=nav, stylesheet="/static/compare.css")
    return HTMLResponse(before.encode() + corpus.comparison_page(story) + after.encode())


@router.get("/articles", response_class=HTMLResponse)
def article_list(
    request: Request,
    corpus: CorpusDep,
    outlet: Annotated[str, Query(max_length=500)] = "",
    language: Language = None,
    since: IsoDate = None,
    until: IsoDate = None,
    entity: Annotated[str, Query(max_length=500)] = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    # An empty field of the filter form means "any".
    filters = {
        "outlet": outlet or None,
        "language": language or None,
        "since": checked_date("since", since or None),
        "until": checked_date("until", until or None),
        "entity": entity or None,
    }
    total = corpus.count_articles(**filters)
    return render(
        "articles.html",
        rows=corpus.article_rows(**filters, limit=PAGE, offset=(page - 1) * PAGE),
        total=total,
        filters=filters,
        filtered=any(filters.values()),
        facets=corpus.facets(),
        pages=pages_of(request, page, total),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, corpus: CorpusDep) -> HTMLResponse:
    store = corpus.store
    article = store.article(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
    analysis = store.analysis(article.id)
    mentions = [m for m in analysis.mentions if m.field == "text"] if analysis else []
    quotes = analysis.quotes if analysis else ()
    link = store.story_links([article.id]).get(article.id)
    speakers = {q.speaker_entity_id for q in quotes if q.speaker_entity_id}
    return render(
        "article.html",
        article=article,
        original=web_url(article.url),  # a store written before URLs were checked may hold any
        body=marked_paragraphs(article.text, mentions, quotes),
        quotes=quotes,
        story=corpus.story(link.story_id) if link and link.story_id else None,
        duplicate_of=link.duplicate_of if link else None,
        entities={e.id: e for e in store.entities(ids=speakers)} if speakers else {},
    )


@router.get("/entities", response_class=HTMLResponse)
def entity_list(
    request: Request,
    corpus: CorpusDep,
    type: Annotated[str, Query(pattern="^(person|organisation|place)?$")] = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    total = corpus.count_entities(type=type or None)
    return render(
        "entities.html",
        entities=corpus.entities(type=type or None, limit=PAGE, offset=(page - 1) * PAGE),
        total=total,
        type=type,
        types=ENTITY_TYPES,
        pages=pages_of(request, page, total),
    )


@router.get("/entities/{name_or_id}", response_class=HTMLResponse)
def entity_page(name_or_id: str, corpus: CorpusDep) -> HTMLResponse:
    entity = corpus.entity(name_or_id)
    if entity is None:
        raise HTTPException(status_code=404, detail=f"no entity {name_or_id!r}")
    articles = corpus.article_rows(entity=entity.id, limit=ENTITY_PAGE_ITEMS + 1)
    quote_filters = {"speaker": entity.id, "min_confidence": DEFAULT_QUOTE_THRESHOLDS}
    return render(
        "entity.html",
        entity=entity,
        stories=corpus.entity_stories(entity.id, limit=ENTITY_PAGE_ITEMS),
        story_total=corpus.count_entity_stories(entity.id),
        articles=articles[:ENTITY_PAGE_ITEMS],
        more_articles=len(articles) > ENTITY_PAGE_ITEMS,
        quotes=corpus.quotes(**quote_filters, limit=ENTITY_PAGE_ITEMS),
        quote_total=corpus.count_quotes(**quote_filters),
    )


@router.get("/quotes", response_class=HTMLResponse)
def quote_list(
    request: Request,
    corpus: CorpusDep,
    speaker: Annotated[str, Query(max_length=500)] = "",
    outlet: Annotated[str, Query(max_length=500)] = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    filters = {"speaker": speaker or None, "outlet": outlet or None}
    total = corpus.count_quotes(**filters)
    return render(
        "quotes.html",
        quotes=corpus.quotes(**filters, limit=PAGE, offset=(page - 1) * PAGE),
        total=total,
        filters=filters,
        filtered=any(filters.values()),
        outlets=corpus.facets()["outlet"],
        pages=pages_of(request, page, total),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    corpus: CorpusDep,
    q: Annotated[str, Query(max_length=500)] = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    if not q.strip():
        return render(
            "search.html", q=q, hits=[], spellings=[], total=0, pages=pages_of(request, 1, 0)
        )
    spellings = corpus.other_spellings(q)
    total = corpus.count_matches(q, spellings=spellings)
    offset = (page - 1) * SEARCH_PAGE
    return render(
        "search.html",
        q=q,
        hits=corpus.search_hits(q, limit=SEARCH_PAGE, offset=offset, spellings=spellings),
        spellings=spellings,
        total=total,
        pages=pages_of(request, page, total, size=SEARCH_PAGE),
    )


_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<circle cx="6" cy="8" r="5" fill="#0b57d0"/><circle cx="10" cy="8" r="5" fill="#d29922" '
    'fill-opacity=".7"/></svg>'
)


# Styles are files, not inline: the Content-Security-Policy allows only the server's own.
@router.get("/static/site.css")
def site_css() -> Response:
    return _css(TEMPLATES.get_template("site.css").render())


@router.get("/static/compare.css")
def compare_css() -> Response:
    return _css(page_css() + "\n" + TEMPLATES.get_template("nav.css").render())


def _css(text: str) -> Response:
    return Response(text, media_type="text/css")


@router.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for it on every site; answering spares a 404 in every page's console.
    return Response(_ICON, media_type="image/svg+xml")


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    page = TEMPLATES.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(page, status_code=status)


def marked_paragraphs(
    text: str, mentions: Sequence[Mention], quotes: Sequence[Quote] = ()
) -> list[Markup]:
    """The body as paragraphs: each quote marked, each entity mention a link to its
    entity's page (a mention crossing a quote's edge or a paragraph break is left plain).
    A quotation split around its cue is marked part by part: the "he said" between the
    parts is not what was said."""
    quote_spans = sorted(
        part
        for q in quotes
        if q.field == "text" and q.end > q.start
        for part in quote_parts(text, q)
        if part[1] > part[0]
    )
    opens: dict[int, list[str]] = defaultdict(list)
    closes: dict[int, list[str]] = defaultdict(list)
    taken_until = 0
    for start, end in quote_spans:
        if start >= taken_until:
            opens[start].append('<span class="quote">')
            closes[end].insert(0, "</span>")
            taken_until = end
    position = 0
    for mention in sorted(mentions, key=lambda m: m.start):
        inside = [q for q in quote_spans if q[0] < mention.end and mention.start < q[1]]
        crosses = any(not (q[0] <= mention.start and mention.end <= q[1]) for q in inside)
        if (
            not mention.entity_id
            or mention.start < position
            or crosses
            or "\n\n" in text[mention.start : mention.end]
        ):
            continue
        href = f"/entities/{escape(mention.entity_id)}"
        opens[mention.start].append(f'<a class="ent {mention.type}" href="{href}">')
        closes[mention.end].insert(0, "</a>")
        position = mention.end
    out: list[str] = []
    for index, char in enumerate(text):
        out += closes.get(index, ())
        out += opens.get(index, ())
        out.append(escape(char))
    out += closes.get(len(text), ())
    paragraphs = "".join(out).split("\n\n")
    return [Markup(p) for p in _balanced(paragraphs) if p.strip()]


def _balanced(paragraphs: list[str]) -> list[str]:
    """Close a quote span at a paragraph's end and reopen it in the next one."""
    balanced, carry = [], 0
    for paragraph in paragraphs:
        opened = paragraph.count('<span class="quote">') - paragraph.count("</span>")
        balanced.append('<span class="quote">' * carry + paragraph + "</span>" * (carry + opened))
        carry += opened
    return balanced
