"""The JSON API against its own OpenAPI schema, and its edges by hand.

The property tests let schemathesis generate requests for every GET operation of the
schema the app serves at ``/openapi.json`` and check each response in-process (no
server, no network): never a 5xx, a documented status code, a documented content type
and a body matching the documented schema (plus schemathesis' other default checks).

Unknown ids (404) and bad parameters (422, a readable ``detail`` plus ``errors``) are
documented in the schema like every other answer, so the property tests check them too.
The requests that once crashed or were wrongly accepted (an offset beyond SQLite's
integers, a NUL in a search, a Unix time taken as a date, concurrent requests sharing a
connection across threads) are kept as plain tests at the end.

The store is built once per module from the bundled example articles (with analysis,
so entities, quotes and stories exist); a second store of synthetic copies without
analysis has more articles than a page holds.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from parallax import pipeline
from parallax.examples import ARTICLES_DIR
from parallax.store import Store
from parallax.web.api import MAX_PAGE
from parallax.web.app import create_app as _create_app

BASE_URL = "http://testserver"


def create_app(db: Path, **options: Any) -> Any:
    """The app, answering for ``testserver`` too: the host name of in-process requests."""
    return _create_app(db, hosts=["testserver"], **options)


SQLITE_MAX_INT = 2**63 - 1


# -- the schema --------------------------------------------------------------------------


def _served_schema() -> schemathesis.schemas.BaseSchema:
    """The schema exactly as the app serves it. It does not depend on the store's content
    (``test_schema_does_not_depend_on_the_store``), so an empty throwaway store will do
    at collection time, before the module's store is built."""
    with tempfile.TemporaryDirectory(prefix="parallax-schema-") as folder:
        return schemathesis.openapi.from_asgi("/openapi.json", create_app(Path(folder) / "s.db"))


SERVED = _served_schema()
ITEM_PATHS = sorted(
    path
    for path, operations in SERVED.raw_schema["paths"].items()
    if "{" in path and "get" in operations
)
LIST_PATHS = sorted(
    path
    for path, operations in SERVED.raw_schema["paths"].items()
    if "get" in operations
    and any(p["name"] == "offset" for p in operations["get"].get("parameters", []))
)


def required(path: str) -> dict[str, str]:
    """A value for each parameter the schema says ``path`` requires (``q`` of search)."""
    parameters = SERVED.raw_schema["paths"][path]["get"].get("parameters", [])
    return {p["name"]: "strike" for p in parameters if p.get("required") and p["in"] == "query"}


CHECKED = SERVED.include(method="GET")


# -- stores and the client ---------------------------------------------------------------


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More articles than one page holds: the examples (not analysed) and copies of them
    under new ids, so that every article contains the word "the"."""
    path = tmp_path_factory.mktemp("web-big") / "big.db"
    with Store(path) as store:
        pipeline.ingest([ARTICLES_DIR], store, workers=1)
        originals = list(store.articles())
        copies = [
            replace(
                originals[n % len(originals)],
                id=f"synthetic{n:05d}",
                source=f"synthetic/{n}",
                text=f"Copy {n} of the article.\n\n{originals[n % len(originals)].text}",
                blocks=[],
            )
            for n in range(MAX_PAGE + 40)
        ]
        store.write_batch([(f"synthetic-{a.id}", a) for a in copies])
        assert store.count() == len(originals) + MAX_PAGE + 40
    return path


@pytest.fixture(scope="module")
def web_app(examples_db: Path):  # type: ignore[no-untyped-def]
    return create_app(examples_db)


def call(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to ``app`` in-process; an unhandled exception comes back as the 500 a
    server would send."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())


def get(app: Any, url: str, **params: Any) -> httpx.Response:
    return call(app, "GET", url, params=params)


def assert_error(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip(), response.json()
    for word in words:
        assert word in detail, detail
    return detail


# -- property tests ----------------------------------------------------------------------


def test_operations_are_all_covered() -> None:
    """The property test below sees every GET operation of the API (and no other kind
    slips out of it silently: the only other operation is the upload)."""
    served = {(op.method.upper(), op.path) for op in _operations(SERVED)}
    checked = {(op.method.upper(), op.path) for op in _operations(CHECKED)}
    assert {path for method, path in served if method == "GET"} == {path for _, path in checked}
    assert {(m, p) for m, p in served if m != "GET"} == {("POST", "/api/ingest")}
    assert len(checked) >= 9


def _operations(schema: schemathesis.schemas.BaseSchema) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def test_schema_does_not_depend_on_the_store(web_app: Any) -> None:
    response = get(web_app, "/openapi.json")
    assert response.status_code == 200
    assert response.json() == SERVED.raw_schema


GET_PATHS = sorted(op.path for op in _operations(CHECKED))


# One test per path, by pytest's own parametrize: the tests run in several processes
# (pytest-xdist), which know a test by its id, and schemathesis' parametrize gives every
# operation the same one, so that all but one went unrun there.
@pytest.mark.parametrize("path", GET_PATHS)
def test_get_operations_conform(path: str, web_app: Any) -> None:
    """No 5xx, documented status codes, content types and bodies, for generated requests
    (valid and invalid ones) to every GET operation."""

    operation = CHECKED[path]["GET"]
    modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)

    @given(case=strategies.one_of([operation.as_strategy(mode) for mode in modes]))
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(app=web_app, excluded_checks=[unsupported_method])

    conforms()


# -- by hand ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/articles", "/api/search"])
def test_a_huge_limit_gets_one_full_page(big_db: Path, path: str) -> None:
    app = create_app(big_db)
    params = {"q": "the"} if path == "/api/search" else {}
    response = get(app, path, limit=100_000, **params)
    assert response.status_code == 200, response.text
    assert len(response.json()) == MAX_PAGE == 500


def test_pages_of_articles_follow_on(big_db: Path) -> None:
    app = create_app(big_db)
    with Store(big_db) as store:
        total = store.count()
    first = get(app, "/api/articles", limit=100_000).json()
    rest = get(app, "/api/articles", limit=100_000, offset=MAX_PAGE).json()
    assert len(first) + len(rest) == total
    assert not {a["id"] for a in first} & {a["id"] for a in rest}


@pytest.mark.parametrize(
    ("path", "count"),
    [("/api/stories", "stories"), ("/api/entities", None), ("/api/quotes", "quotes")],
)
def test_a_huge_limit_gets_everything_below_a_page(
    web_app: Any, examples_db: Path, path: str, count: str | None
) -> None:
    # Every quote, not only the confident ones /api/quotes lists by default.
    every = {"min_confidence": 0} if count == "quotes" else {}
    response = get(web_app, path, limit=100_000, **every)
    assert response.status_code == 200, response.text
    found = response.json()
    with Store(examples_db) as store:
        expected = store.counts()[count] if count else len(store.entities())
    assert 0 < len(found) == expected <= MAX_PAGE


@pytest.mark.parametrize("path", LIST_PATHS)
def test_a_negative_offset_is_refused_readably(web_app: Any, path: str) -> None:
    detail = assert_error(get(web_app, path, offset=-1, **required(path)), 422, "offset")
    assert "greater than or equal to 0" in detail
    errors = get(web_app, path, offset=-1, **required(path)).json()["errors"]
    assert [e["loc"] for e in errors] == [["query", "offset"]]


@pytest.mark.parametrize("param", ["since", "until"])
def test_a_date_that_is_not_one_is_refused(web_app: Any, param: str) -> None:
    assert_error(get(web_app, "/api/articles", **{param: "notadate"}), 422, param)


def test_dates_filter_articles(web_app: Any) -> None:
    everything = get(web_app, "/api/articles", limit=500).json()
    dated = sorted(a["published"][:10] for a in everything if a["published"])
    middle = dated[len(dated) // 2]
    since = get(web_app, "/api/articles", since=middle, limit=500).json()
    until = get(web_app, "/api/articles", until=middle, limit=500).json()
    assert since and until
    assert all(a["published"][:10] >= middle for a in since)
    assert all(a["published"][:10] <= middle for a in until)


@pytest.mark.parametrize("path", ITEM_PATHS)
def test_an_unknown_id_is_a_json_404(web_app: Any, path: str) -> None:
    url = path.replace(path[path.index("{") : path.index("}") + 1], "no-such-thing-0000")
    assert_error(get(web_app, url), 404, "no-such-thing-0000")


@pytest.mark.parametrize("path", ITEM_PATHS)
def test_a_known_id_is_found(web_app: Any, examples_db: Path, path: str) -> None:
    """The 404 above is not a route that never finds anything."""
    with Store(examples_db) as store:
        known = {
            "article_id": next(store.articles()).id,
            "story_id": pipeline.largest_story(store).id,  # type: ignore[union-attr]
            "name_or_id": store.entities(limit=1)[0].id,
        }
    name = path[path.index("{") + 1 : path.index("}")]
    response = get(web_app, path.replace("{" + name + "}", known[name]))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json(), dict) and response.json()


@pytest.mark.parametrize("path", ["/stories/{}", "/articles/{}", "/entities/{}"])
def test_an_unknown_id_is_a_404_page(web_app: Any, path: str) -> None:
    response = get(web_app, path.format("no-such-thing-0000"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


UPLOAD = {
    "files": ("note.txt", b"Nothing to see here, and too short to be an article.", "text/plain")
}


def test_ingest_is_off_without_a_token(examples_db: Path) -> None:
    app = create_app(examples_db)
    with Store(examples_db) as store:
        before = store.count()
    response = call(app, "POST", "/api/ingest", files=UPLOAD)
    assert_error(response, 403, "token")
    response = call(app, "POST", "/api/ingest", files=UPLOAD, headers={"Authorization": "Bearer x"})
    assert_error(response, 403, "token")
    with Store(examples_db) as store:
        assert store.count() == before


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "secret", "Basic secret"])
def test_ingest_needs_the_right_token(examples_db: Path, authorization: str | None) -> None:
    app = create_app(examples_db, token="secret")
    headers = {"Authorization": authorization} if authorization else {}
    assert_error(call(app, "POST", "/api/ingest", files=UPLOAD, headers=headers), 401, "Bearer")


# -- edges that once went wrong ---------------------------------------------------------


def _served_case(path: str, **kwargs: Any) -> Any:
    return SERVED[path]["GET"].Case(**kwargs)


@pytest.mark.parametrize("path", ITEM_PATHS)
def test_404_is_documented(web_app: Any, path: str) -> None:
    name = path[path.index("{") + 1 : path.index("}")]
    case = _served_case(path, path_parameters={name: "no-such-thing-0000"})
    response = case.call(app=web_app)
    assert response.status_code == 404
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])


def test_422_body_is_documented(web_app: Any) -> None:
    case = _served_case("/api/articles", query={"offset": -1})
    response = case.call(app=web_app)
    assert response.status_code == 422
    case.validate_response(response, checks=[response_schema_conformance])


def test_405_names_the_allowed_methods(web_app: Any) -> None:
    response = call(web_app, "DELETE", "/api/articles")
    assert response.status_code == 405
    assert response.headers.get("allow") == "GET"


@pytest.mark.parametrize("path", LIST_PATHS)
def test_an_offset_beyond_sqlite_integers_is_refused(web_app: Any, path: str) -> None:
    assert_error(get(web_app, path, offset=SQLITE_MAX_INT + 1, **required(path)), 422, "offset")


def test_the_largest_offset_sqlite_takes_is_an_empty_page(web_app: Any) -> None:
    for path in LIST_PATHS:
        response = get(web_app, path, offset=SQLITE_MAX_INT, **required(path))
        assert response.status_code == 200, (path, response.text)
        assert response.json() == []


@pytest.mark.parametrize("q", ["\x00", "-\x00"])
def test_a_nul_in_a_search_finds_nothing_without_failing(web_app: Any, q: str) -> None:
    response = get(web_app, "/api/search", q=q)
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("value", ["0", "86400", "2024-07-02T00:00:00Z", "2024-13-45"])
def test_only_an_iso_date_is_a_date(web_app: Any, value: str) -> None:
    assert_error(get(web_app, "/api/articles", since=value), 422, "since")


@pytest.mark.parametrize("url", ["/api/articles", "/"])
def test_concurrent_requests(web_app: Any, url: str) -> None:
    """Each request opens the store on one worker thread and may read it on another."""

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=web_app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            answers = await asyncio.gather(*(client.get(url) for _ in range(16)))
        return [answer.status_code for answer in answers]

    statuses = asyncio.run(burst())
    assert statuses == [200] * len(statuses), statuses


def test_an_id_prefix_is_taken_literally(web_app: Any, examples_db: Path) -> None:
    with Store(examples_db) as store:
        article_id = next(iter(store.articles(limit=1))).id
    assert get(web_app, f"/api/articles/{article_id[:6]}").status_code == 200
    assert get(web_app, f"/api/articles/_{article_id[1:]}").status_code == 404
    assert get(web_app, "/api/stories/%25").status_code == 404


def test_a_parameter_given_twice_is_refused(web_app: Any) -> None:
    """Read by its last value, "offset=x&offset=0" would be accepted though one of its
    values is not a number."""
    response = get(web_app, "/api/search", q="parade", offset=["x", "0"])
    assert response.status_code == 422
    assert "offset" in response.json()["detail"]
    assert get(web_app, "/api/search", q="parade", offset="0").status_code == 200
