"""The JSON API under ``/api``: the export contract's objects, read through ``Corpus``.

Every route opens the store for the request (SQLite in WAL mode lets another process
ingest meanwhile) and answers with the same records the CLI's ``--json`` and the export
write (``parallax.records``), so there is one model of the data. Lists are pages: the
``X-Total-Count`` header says how many there are in all, and a ``Link`` header gives the
``next`` (and ``prev``) page's address. Answers are written straight from the records
(their schema is declared once, in the contract, and checked by the tests), not checked
again on every request.
"""

from __future__ import annotations

import hmac
import json
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from parallax.compare import Comparison
from parallax.compare.model import CompareView
from parallax.contract import api_model, record_dict
from parallax.corpus import Corpus
from parallax.errors import ParallaxError
from parallax.ingest.readers import read_file
from parallax.ingest.sources import format_from_name
from parallax.model import Entity, IngestReport, RawDocument, ReadFailure, Story
from parallax.nlp import DEFAULT_QUOTE_THRESHOLDS
from parallax.records import ArticleHit, ArticleRecord, EntityProfile, QuoteRecord, StoryDetail
from parallax.records import article_fields as article_fields_of

# A client asking for more gets this many: a page is for reading, the export for bulk.
MAX_PAGE = 500
MAX_UPLOAD_BYTES = 20 * 2**20
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 2**20  # the files and the multipart framing around them
MAX_UPLOAD_FILES = 1000
_SQLITE_MAX_INT = 2**63 - 1


class Problem(BaseModel):
    """What went wrong, in one line a person can act on; ``errors`` itemises bad parameters."""

    detail: str
    errors: list[dict[str, Any]] = []


def each_parameter_once(request: Request) -> None:
    """Refuse a query parameter given more than once ("offset=x&offset=0"): every
    parameter of the API is one value, and reading the last would accept what the first
    got wrong."""
    params = request.query_params
    repeated = sorted({key for key in params if len(params.getlist(key)) > 1})
    if repeated:
        raise HTTPException(422, f"give each parameter once: {', '.join(repeated)} repeated")


router = APIRouter(
    prefix="/api",
    dependencies=[Depends(each_parameter_once)],
    responses={
        404: {"model": Problem, "description": "No such article, story or entity"},
        422: {"model": Problem, "description": "A parameter is not valid"},
    },
)
# The headers of a page of a list (RFC 8288 links), as the schema declares them.
PAGE_HEADERS = {
    "X-Total-Count": {
        "description": "How many items the list holds in all, over every page",
        "schema": {"type": "integer"},
    },
    "Link": {
        "description": 'The next and previous pages\' addresses: `<URL>; rel="next"`',
        "schema": {"type": "string"},
    },
}
PAGED = {200: {"description": "One page of the list", "headers": PAGE_HEADERS}}
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
Language = Annotated[str | None, Query(max_length=16, description="An ISO 639-1 code, e.g. `en`.")]


def open_corpus(request: Request) -> Iterator[Corpus]:
    """The corpus for one request: the store opened, never created (the app checked it)."""
    corpus = Corpus(request.app.state.db, create=False)
    try:
        yield corpus
    finally:
        corpus.close()


CorpusDep = Annotated[Corpus, Depends(open_corpus)]


def page_size(limit: int) -> int:
    return min(limit, MAX_PAGE)


def json_response(data: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False), media_type="application/json", headers=headers
    )


def paged(request: Request, items: list[Any], total: int, limit: int, offset: int) -> Response:
    """One page of a list, with its total and its neighbours' addresses in the headers."""
    links = []
    if offset + limit < total:
        after = request.url.include_query_params(limit=limit, offset=offset + limit)
        links.append(f'<{after}>; rel="next"')
    if offset > 0:
        before = request.url.include_query_params(limit=limit, offset=max(0, offset - limit))
        links.append(f'<{before}>; rel="prev"')
    headers = {"X-Total-Count": str(total)}
    if links:
        headers["Link"] = ", ".join(links)
    return json_response(items, headers)


def checked_date(name: str, value: str | None) -> str | None:
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise HTTPException(
                status_code=422, detail=f"query.{name}: {value!r} is not a calendar date"
            ) from None
    return value


def not_found(what: str, key: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} {key!r}")


@router.get(
    "/articles",
    summary="Articles, earliest first, filtered and paginated",
    response_model=list[api_model(ArticleRecord)],
    responses=PAGED,
)
def list_articles(
    request: Request,
    corpus: CorpusDep,
    outlet: str | None = None,
    since: IsoDate = None,
    until: IsoDate = None,
    story: str | None = None,
    entity: str | None = None,
    language: Language = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    filters = {
        "outlet": outlet,
        "since": checked_date("since", since),
        "until": checked_date("until", until),
        "story": story,
        "entity": entity,
        "language": language,
    }
    found = corpus.articles(**filters, limit=page_size(limit), offset=offset)
    total = corpus.count_articles(**filters)
    return paged(request, found.to_dicts(), total, page_size(limit), offset)


@router.get(
    "/articles/{article_id}",
    summary="One article with its spans",
    response_model=api_model(ArticleRecord),
)
def get_article(article_id: str, corpus: CorpusDep) -> Response:
    article = corpus.article(article_id)
    if article is None:
        raise not_found("article", article_id)
    return json_response(record_dict(article))


@router.get(
    "/stories",
    summary="Stories, the most recent first",
    response_model=list[api_model(Story)],
    responses=PAGED,
)
def list_stories(
    request: Request, corpus: CorpusDep, limit: Limit = 50, offset: Offset = 0
) -> Response:
    found = corpus.stories(limit=page_size(limit), offset=offset)
    return paged(request, found.to_dicts(), corpus.count_stories(), page_size(limit), offset)


@router.get(
    "/stories/{story_id}",
    summary="One story with its articles",
    response_model=api_model(StoryDetail),
)
def get_story(story_id: str, corpus: CorpusDep) -> Response:
    story = corpus.story(story_id)
    if story is None:
        raise not_found("story", story_id)
    return json_response(corpus.story_record(story.id))


@router.get(
    "/stories/{story_id}/compare",
    summary="One story's comparison across outlets",
    response_model=api_model(Comparison),
)
def compare_story(
    story_id: str,
    corpus: CorpusDep,
    show: Annotated[
        CompareView,
        Query(
            description="Which claim groups: `all`, `differences` (those a conflict points "
            "at) or `shared` (those every outlet carries)"
        ),
    ] = "all",
    only_in: Annotated[
        str | None,
        Query(max_length=500, description="Only the claims this outlet alone carries"),
    ] = None,
) -> Response:
    story = corpus.story(story_id)
    if story is None:
        raise not_found("story", story_id)
    if show == "all" and only_in is None:  # as stored, not read into objects and back
        return Response(corpus.comparison_json(story), media_type="application/json")
    return json_response(corpus.compare(story.id).filtered(show, only_in).to_dict())


@router.get(
    "/entities",
    summary="Entities with their spellings, most named first",
    response_model=list[api_model(Entity)],
    responses=PAGED,
)
def list_entities(
    request: Request,
    corpus: CorpusDep,
    type: Annotated[str | None, Query(pattern="^(person|organisation|place)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    found = corpus.entities(type=type, limit=page_size(limit), offset=offset)
    total = corpus.count_entities(type=type)
    return paged(request, found.to_dicts(), total, page_size(limit), offset)


@router.get(
    "/entities/{name_or_id}",
    summary="One entity: variants, articles, quotes",
    response_model=api_model(EntityProfile),
)
def get_entity(name_or_id: str, corpus: CorpusDep) -> Response:
    entity = corpus.entity(name_or_id)
    if entity is None:
        raise not_found("entity", name_or_id)
    return json_response(corpus.entity_record(entity.id))


@router.get(
    "/quotes",
    summary="Quotes, by speaker, story and outlet",
    response_model=list[api_model(QuoteRecord)],
    responses=PAGED,
)
def list_quotes(
    request: Request,
    corpus: CorpusDep,
    speaker: str | None = None,
    story: str | None = None,
    outlet: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Only quotes whose confidence reaches this; 0 keeps every quote "
            "found. Without it quotations in marks credited to a speaker are kept from "
            f"{DEFAULT_QUOTE_THRESHOLDS.credited_quotation:g} and every other quote from "
            f"{DEFAULT_QUOTE_THRESHOLDS.reported:g}",
        ),
    ] = None,
) -> Response:
    filters = {
        "speaker": speaker,
        "story": story,
        "outlet": outlet,
        "min_confidence": min_confidence,
    }
    found = corpus.quotes(**filters, limit=page_size(limit), offset=offset)
    total = corpus.count_quotes(**filters)
    return paged(request, found.to_dicts(), total, page_size(limit), offset)


@router.get(
    "/search",
    summary="Full-text search over titles and bodies; a name finds its entity's other "
    "spellings too",
    response_model=list[api_model(ArticleHit)],
    responses=PAGED,
)
def search(
    request: Request,
    corpus: CorpusDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    spellings = corpus.other_spellings(q)
    hits = [
        {
            "article": record_dict(article_fields_of(hit.article)),
            "snippet": hit.snippet,
            "score": hit.score,
            "marks": [list(mark) for mark in hit.marks],
        }
        for hit in corpus.search_hits(q, limit=page_size(limit), offset=offset, spellings=spellings)
    ]
    total = corpus.count_matches(q, spellings=spellings)
    return paged(request, hits, total, page_size(limit), offset)


class IngestResult(BaseModel):
    ingested: int
    duplicates: int
    failures: list[dict[str, str]]
    stories: int


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "Article files, any input format, named with their "
                        "suffix (.txt, .html, .jsonl, .rss, .atom, .xml, .warc)",
                    }
                },
            }
        }
    },
}


@router.post(
    "/ingest",
    summary="Add articles (needs the server's token)",
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={
        401: {"model": Problem, "description": "No token, or not the server's"},
        403: {"model": Problem, "description": "The server was started without --token"},
        413: {"model": Problem, "description": "The upload is over the limit"},
    },
)
async def ingest(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> IngestResult:
    # The token and the declared size are checked before a byte of the body is read, the
    # body is read only up to the limit, and the pipeline runs on a worker thread: the
    # server goes on answering meanwhile.
    _check_token(request.app.state.token, authorization)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_big()
    capped = Request(request.scope, _capped_receive(request.receive, MAX_BODY_BYTES))
    form = await capped.form(max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FILES)
    try:
        uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not uploads:
            raise HTTPException(status_code=422, detail="body.files: no file was uploaded")
        with tempfile.TemporaryDirectory(prefix="parallax-upload-") as folder:
            saved, refused = await _save_uploads(uploads, Path(folder))
            # On a thread of its own: the requests' threads go on answering meanwhile.
            report, stories = await to_thread.run_sync(
                _ingest_uploads, request.app.state.db, saved, limiter=_ingest_thread(request)
            )
    finally:
        await form.close()
    return IngestResult(
        ingested=report.ingested,
        duplicates=report.duplicates,
        failures=refused + [{"source": f.source, "reason": f.reason} for f in report.failures],
        stories=stories,
    )


def _check_token(token: str | None, authorization: str | None) -> None:
    if token is None:
        raise HTTPException(status_code=403, detail="ingest is off: start the server with --token")
    expected = f"Bearer {token}".encode()
    if authorization is None or not hmac.compare_digest(authorization.encode(), expected):
        raise HTTPException(
            status_code=401, detail="a valid 'Authorization: Bearer' token is needed"
        )


def _too_big() -> HTTPException:
    return HTTPException(
        status_code=413, detail=f"uploads over {MAX_UPLOAD_BYTES} bytes are refused"
    )


def _capped_receive(receive: Receive, limit: int) -> Receive:
    """``receive``, refusing (413) a body that grows over ``limit`` bytes: a streamed
    upload without a declared length is not read past it."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_big()
        return message

    return capped


async def _save_uploads(
    uploads: list[UploadFile], folder: Path
) -> tuple[list[tuple[str, Path]], list[dict[str, str]]]:
    """Each upload of a known article format written under ``folder`` with its own name
    (its last part only: nothing can point outside); the others named with the reason."""
    saved: list[tuple[str, Path]] = []
    refused: list[dict[str, str]] = []
    total = 0
    for number, upload in enumerate(uploads):
        name = Path(upload.filename or "").name or f"upload {number + 1}"
        data = await upload.read(MAX_UPLOAD_BYTES + 1 - total)
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise _too_big()
        if format_from_name(Path(name)) is None:
            refused.append({"source": name, "reason": UNKNOWN_SUFFIX})
            continue
        path = folder / f"{number:04d}" / name
        path.parent.mkdir()
        path.write_bytes(data)
        saved.append((name, path))
    return saved, refused


UNKNOWN_SUFFIX = (
    "not a known article file: name it with its format's suffix "
    "(.txt, .html, .jsonl, .rss, .atom, .xml, .warc)"
)


def _ingest_thread(request: Request) -> CapacityLimiter:
    """The one thread uploads are ingested on, one at a time (made on first use: a limiter
    belongs to the running event loop)."""
    state = request.app.state
    if not hasattr(state, "ingest_thread"):
        state.ingest_thread = CapacityLimiter(1)
    return state.ingest_thread  # type: ignore[no-any-return]


def _ingest_uploads(db: str, saved: list[tuple[str, Path]]) -> tuple[IngestReport, int]:
    """Ingest, analyse and group the saved uploads (on the ingest thread, with its own
    store connection), as ``parallax run`` does. Sources are the uploads' own names."""

    def documents() -> Iterator[RawDocument | ReadFailure]:
        for name, path in saved:
            for item in read_file(path, format_from_name(path)):
                yield replace(item, source=_renamed(item.source, path, name))

    with Corpus(db, create=False) as corpus:
        try:
            report = corpus.ingest(documents(), workers=1)
            corpus.analyze()
            stories = corpus.group()
        except ParallaxError as error:
            raise HTTPException(status_code=422, detail=str(error)) from error
    return report, stories.stories


def _renamed(source: str, path: Path, name: str) -> str:
    # A record's source is the file's path with "#n" or ":n" after it, or the record's URL.
    return name + source[len(str(path)) :] if source.startswith(str(path)) else source
