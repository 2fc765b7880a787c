"""Server-rendered pages: story list, story comparison, article, entity, search.

The pages read the same store and records as the API and work without
JavaScript; nothing is loaded from outside the server.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from parallax.compare.render import page_css, to_html
from parallax.ingest.urls import web_url
from parallax.model import Mention, Quote
from parallax.nlp import MIN_QUOTE_CONFIDENCE
from parallax.web.api import _SQLITE_MAX_INT, StoreDep, cached_compare

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
router = APIRouter(include_in_schema=False)
PAGE = 50
# The page number as far as its offset stays a SQLite integer (the API's offset bound).
PageNumber = Annotated[int, Query(ge=1, le=_SQLITE_MAX_INT // PAGE)]


def render(name: str, **context: object) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context))


@router.get("/", response_class=HTMLResponse)
def story_list(store: StoreDep, page: PageNumber = 1) -> HTMLResponse:
    stories = store.stories(limit=PAGE + 1, offset=(page - 1) * PAGE)
    return render(
        "stories.html",
        stories=stories[:PAGE],
        page=page,
        more=len(stories) > PAGE,
        counts=store.counts(),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, store: StoreDep) -> HTMLResponse:
    story = store.story(story_id)
    if story is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id!r}")
    comparison = cached_compare(store, story)
    nav = TEMPLATES.get_template("nav.html").render(nav_story=story)
    page = to_html(
        comparison, nav=nav, article_href="/articles/{id}", stylesheet="/static/compare.css"
    )
    return HTMLResponse(page)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, store: StoreDep) -> HTMLResponse:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
    analysis = store.analysis(article.id)
    mentions = [m for m in analysis.mentions if m.field == "text"] if analysis else []
    link = store.story_links([article.id]).get(article.id)
    return render(
        "article.html",
        article=article,
        original=web_url(article.url),  # a store written before URLs were checked may hold any
        body=marked_paragraphs(article.text, mentions, analysis.quotes if analysis else []),
        quotes=analysis.quotes if analysis else [],
        story=store.story(link.story_id) if link and link.story_id else None,
        duplicate_of=link.duplicate_of if link else None,
        entities={
            q.speaker_entity_id: entity
            for q in (analysis.quotes if analysis else [])
            if q.speaker_entity_id and (entity := store.entity(q.speaker_entity_id))
        },
    )


@router.get("/entities/{name_or_id}", response_class=HTMLResponse)
def entity_page(name_or_id: str, store: StoreDep) -> HTMLResponse:
    entity = store.entity(name_or_id)
    if entity is None:
        raise HTTPException(status_code=404, detail=f"no entity {name_or_id!r}")
    return render(
        "entity.html",
        entity=entity,
        articles=store.entity_articles(entity.id),
        quotes=store.quotes(speaker=entity.id, min_confidence=MIN_QUOTE_CONFIDENCE),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    hits = store.search(q, limit=PAGE) if q.strip() else []
    return render("search.html", q=q, hits=hits)


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
    entity's page (a mention crossing a quote's edge or a paragraph break is left plain)."""
    quote_spans = sorted((q.start, q.end) for q in quotes if q.field == "text" and q.end > q.start)
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
