"""The JSON API under ``/api``: the export contract's objects, read from the store.

Every route opens the store for the request (SQLite in WAL mode lets another
process ingest meanwhile) and answers with the same records the CLI's ``--json``
and the export write (``parallax.store.export``), so there is one model of the data.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel

from parallax import pipeline
from parallax.compare import Comparison
from parallax.errors import ParallaxError
from parallax.model import Story
from parallax.store import Store
from parallax.store.export import article_record, entity_record, quote_record, story_record

# A client asking for more gets this many: a page is for reading, the export for bulk.
MAX_PAGE = 500
MAX_UPLOAD_BYTES = 20 * 2**20
_SQLITE_MAX_INT = 2**63 - 1


class Problem(BaseModel):
    """What went wrong, in one line a person can act on; ``errors`` itemises bad parameters."""

    detail: str
    errors: list[dict[str, Any]] = []


router = APIRouter(
    prefix="/api",
    responses={
        404: {"model": Problem, "description": "No such article, story or entity"},
        422: {"model": Problem, "description": "A parameter is not valid"},
    },
)
Limit = Annotated[
    int, Query(ge=1, le=_SQLITE_MAX_INT, description=f"Page size (at most {MAX_PAGE} given).")
]
Offset = Annotated[int, Query(ge=0, le=_SQLITE_MAX_INT, description="How many to skip.")]
IsoDate = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="An ISO date, e.g. 2025-03-05.",
        json_schema_extra={"format": "date"},
    ),
]


def open_store(request: Request):  # type: ignore[no-untyped-def]
    store = Store(request.app.state.db)
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(open_store)]


_COMPARISONS: OrderedDict[tuple[object, ...], Comparison]
_COMPARISONS = OrderedDict()
COMPARISONS_KEPT = 64
_COMPARISONS_LOCK = threading.Lock()  # requests run on a pool of worker threads


def cached_compare(store: Store, story: Story) -> Comparison:
    """``pipeline.compare``, remembered while the story's articles, the analyses and the
    entities stay as they are: a big story takes a second to compare, and is read often."""
    key = (str(store.path), story.id, story.articles, store.analysis_state())
    with _COMPARISONS_LOCK:
        if key in _COMPARISONS:
            _COMPARISONS.move_to_end(key)
            return _COMPARISONS[key]
    found = pipeline.compare(store, story.id)
    with _COMPARISONS_LOCK:
        _COMPARISONS[key] = found
        if len(_COMPARISONS) > COMPARISONS_KEPT:
            _COMPARISONS.popitem(last=False)
    return found


def _page(limit: int) -> int:
    return min(limit, MAX_PAGE)


def _checked_date(name: str, value: str | None) -> str | None:
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise HTTPException(
                status_code=422, detail=f"query.{name}: {value!r} is not a calendar date"
            ) from None
    return value


def _not_found(what: str, key: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} {key!r}")


@router.get("/articles", summary="Articles, earliest first, filtered and paginated")
def list_articles(
    store: StoreDep,
    outlet: str | None = None,
    since: IsoDate = None,
    until: IsoDate = None,
    story: str | None = None,
    entity: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    found = list(
        store.articles(
            outlet=outlet,
            since=_checked_date("since", since),
            until=_checked_date("until", until),
            story_id=story,
            entity_id=entity,
            limit=_page(limit),
            offset=offset,
        )
    )
    links = store.story_links([a.id for a in found])
    return [article_record(a, store.analysis(a.id), links.get(a.id)) for a in found]


@router.get("/articles/{article_id}", summary="One article with its spans")
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    article = store.article(article_id)
    if article is None:
        raise _not_found("article", article_id)
    link = store.story_links([article.id]).get(article.id)
    return article_record(article, store.analysis(article.id), link)


@router.get("/stories", summary="Stories, the most recent first")
def list_stories(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
    return [story_record(s) for s in store.stories(limit=_page(limit), offset=offset)]


@router.get("/stories/{story_id}", summary="One story with its articles")
def get_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    story = store.story(story_id)
    if story is None:
        raise _not_found("story", story_id)
    members = [a for a in map(store.article, story.articles) if a is not None]
    return story_record(story, members=members, links=store.story_links(story.articles))


@router.get("/stories/{story_id}/compare", summary="One story's comparison across outlets")
def compare_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    story = store.story(story_id)
    if story is None:
        raise _not_found("story", story_id)
    comparison = cached_compare(store, story)
    return comparison.to_dict()


@router.get("/entities", summary="Entities with their spellings, most named first")
def list_entities(
    store: StoreDep,
    type: Annotated[str | None, Query(pattern="^(person|organisation|place)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    return [entity_record(e) for e in store.entities(type=type, limit=_page(limit), offset=offset)]


@router.get("/entities/{name_or_id}", summary="One entity: variants, articles, quotes")
def get_entity(name_or_id: str, store: StoreDep) -> dict[str, Any]:
    entity = store.entity(name_or_id)
    if entity is None:
        raise _not_found("entity", name_or_id)
    return entity_record(
        entity,
        appears_in=store.entity_articles(entity.id),
        quotes=store.quotes(speaker=entity.id),
    )


@router.get("/quotes", summary="Quotes, by speaker and by story")
def list_quotes(
    store: StoreDep,
    speaker: str | None = None,
    story: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    found = store.quotes(speaker=speaker, story_id=story, limit=_page(limit), offset=offset)
    return [quote_record(q) for q in found]


@router.get("/search", summary="Full-text search over titles and bodies")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Limit = 20,
) -> list[dict[str, Any]]:
    return [
        {"article": hit.article.to_dict(), "snippet": hit.snippet, "score": hit.score}
        for hit in store.search(q, limit=_page(limit))
    ]


class IngestResult(BaseModel):
    ingested: int
    duplicates: int
    failures: list[dict[str, str]]
    stories: int


@router.post("/ingest", summary="Add articles (needs the server's token)")
async def ingest(
    request: Request,
    files: Annotated[list[UploadFile], File(description="Article files, any input format")],
    authorization: Annotated[str | None, Header()] = None,
) -> IngestResult:
    token = request.app.state.token
    if token is None:
        raise HTTPException(status_code=403, detail="ingest is off: start the server with --token")
    if authorization != f"Bearer {token}":
        raise HTTPException(
            status_code=401, detail="a valid 'Authorization: Bearer' token is needed"
        )
    with tempfile.TemporaryDirectory(prefix="parallax-upload-") as folder:
        total = 0
        for number, upload in enumerate(files):
            data = await upload.read(MAX_UPLOAD_BYTES + 1 - total)
            total += len(data)
            if total > MAX_UPLOAD_BYTES:
                raise HTTPException(
                    status_code=413, detail=f"uploads over {MAX_UPLOAD_BYTES} bytes are refused"
                )
            # Only the name's last part and suffix are kept: nothing can point outside the folder.
            name = Path(upload.filename or "upload").name or "upload"
            (Path(folder) / f"{number:04d}-{name}").write_bytes(data)
        with Store(request.app.state.db) as store:
            try:
                report = pipeline.ingest([folder], store, workers=1)
                pipeline.analyze(store)
                stories = pipeline.group_stories(store)
            except ParallaxError as error:
                raise HTTPException(status_code=422, detail=str(error)) from error
    return IngestResult(
        ingested=report.ingested,
        duplicates=report.duplicates,
        failures=[
            {"source": Path(f.source).name.split("-", 1)[-1], "reason": f.reason}
            for f in report.failures
        ],
        stories=stories.stories,
    )
