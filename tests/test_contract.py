"""One contract, declared once (parallax.records): JSON Lines, CSV, Parquet, the API's
OpenAPI schema and docs/schema.md all carry the declared keys, and the same values.

The exports are of a real SQLite store of the bundled examples (ingested, analysed,
grouped), through the library's ``Corpus.export`` as the CLI runs it."""

from __future__ import annotations

import asyncio
import csv
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import parallax
from parallax.compare import (
    ArticleRef,
    Comparison,
    Conflict,
    Fact,
    OutletView,
    Participant,
    QuoteReport,
    Source,
)
from parallax.contract import (
    api_model,
    arrow_row,
    arrow_schema,
    generated_docs,
    markdown_table,
    record_dict,
    shapes,
    type_text,
)
from parallax.model import Entity, Mention, Quote, Story, Variant
from parallax.records import (
    DOCUMENTED,
    ArticleBrief,
    ArticleRecord,
    EntityProfile,
    QuoteRecord,
    StoryDetail,
    StoryMember,
)
from parallax.store import Store
from parallax.store.export import export_articles
from parallax.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_KEYS = list(shapes(ArticleRecord))
STORY_KEYS = list(shapes(Story))


@pytest.fixture(scope="module")
def exported(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Articles and stories of the examples store in every format: ``{(what, format): path}``."""
    folder = tmp_path_factory.mktemp("contract")
    paths: dict[str, Any] = {}
    with parallax.open(examples_db) as corpus:
        for what in ("articles", "stories"):
            for fmt in ("jsonl", "csv", "parquet"):
                path = folder / f"{what}.{fmt}"
                assert corpus.export(path, format=fmt, stories=what == "stories") > 0
                paths[what, fmt] = path
    return paths


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize(("what", "keys"), [("articles", ARTICLE_KEYS), ("stories", STORY_KEYS)])
def test_every_format_has_the_declared_keys(
    exported: dict[str, Any], what: str, keys: list[str]
) -> None:
    records = _jsonl(exported[what, "jsonl"])
    header, rows = _csv(exported[what, "csv"])
    table = pq.read_table(exported[what, "parquet"])
    assert records and all(list(record) == keys for record in records)
    assert header == keys
    assert table.schema.names == keys
    assert len(rows) == table.num_rows == len(records)


def test_parquet_has_published_at_and_real_dates(exported: dict[str, Any]) -> None:
    schema = pq.read_schema(exported["articles", "parquet"])
    assert schema.field("published").type == pa.date32()
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("event_dates").type == pa.list_(pa.date32())
    stories = pq.read_schema(exported["stories", "parquet"])
    assert stories.field("start").type == stories.field("end").type == pa.date32()


def _from_json(shape_key: str, value: Any) -> Any:
    """A JSON Lines value as Parquet gives it back: dates and UTC moments for ISO strings."""
    if value is None:
        return None
    if shape_key in ("published", "start", "end"):
        return date.fromisoformat(value)
    if shape_key == "event_dates":
        return [date.fromisoformat(day) for day in value]
    if shape_key == "published_at":
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return value


@pytest.mark.parametrize("what", ["articles", "stories"])
def test_every_format_has_the_same_values(exported: dict[str, Any], what: str) -> None:
    records = _jsonl(exported[what, "jsonl"])
    _, rows = _csv(exported[what, "csv"])
    table = pq.read_table(exported[what, "parquet"]).to_pylist()
    for record, row, parquet in zip(records, rows, table, strict=True):
        assert parquet == {key: _from_json(key, value) for key, value in record.items()}
        for key, value in record.items():
            if isinstance(value, list):
                assert json.loads(row[key]) == value, key
            else:
                assert row[key] == ("" if value is None else str(value)), key


def test_a_moment_keeps_its_instant_in_parquet(examples_db: Path, tmp_path: Path) -> None:
    """The examples may give no time of day: one moment in UTC and one without a zone."""
    with Store(examples_db) as store:
        first, second = list(store.articles(limit=2))
    articles = [
        replace(first, published_at="2025-03-05T09:12:00Z"),
        replace(second, published_at="2025-03-05T11:40:00"),
    ]
    path = tmp_path / "moments.parquet"
    assert export_articles(articles, "parquet", path) == 2
    moments = pq.read_table(path).column("published_at").to_pylist()
    assert moments == [
        datetime(2025, 3, 5, 9, 12, tzinfo=UTC),
        datetime(2025, 3, 5, 11, 40, tzinfo=UTC),
    ]


def test_an_empty_export_still_names_its_columns(tmp_path: Path) -> None:
    export_articles([], "csv", tmp_path / "none.csv")
    assert _csv(tmp_path / "none.csv")[0] == ARTICLE_KEYS
    export_articles([], "parquet", tmp_path / "none.parquet")
    assert pq.read_schema(tmp_path / "none.parquet") == arrow_schema(ArticleRecord)


# -- the API -----------------------------------------------------------------------------


def _get(app: Any, url: str, **params: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get(url, params=params)

    return asyncio.run(send())


@pytest.fixture(scope="module")
def web_app(examples_db: Path) -> Any:
    return create_app(examples_db)


def _answer(openapi: dict[str, Any], path: str) -> dict[str, Any]:
    """The schema of a path's 200 answer, its ``$ref``s resolved one level."""
    found = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return _resolved(openapi, found["schema"])


def _resolved(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]  # type: ignore[no-any-return]
    return schema


LISTS = {
    "/api/articles": ARTICLE_KEYS,
    "/api/stories": STORY_KEYS,
    "/api/entities": list(shapes(parallax.Entity)),
    "/api/quotes": list(shapes(parallax.QuoteRecord)),
    "/api/search": ["article", "snippet", "score", "marks"],
}
ITEMS = {
    "/api/articles/{article_id}": ARTICLE_KEYS,
    "/api/stories/{story_id}": list(shapes(StoryDetail)),
    "/api/entities/{name_or_id}": list(shapes(EntityProfile)),
}


@pytest.mark.parametrize(("path", "keys"), LISTS.items())
def test_openapi_types_the_items_of_every_list(web_app: Any, path: str, keys: list[str]) -> None:
    openapi = _get(web_app, "/openapi.json").json()
    answer = _answer(openapi, path)
    assert answer["type"] == "array"
    item = _resolved(openapi, answer["items"])
    assert list(item["properties"]) == keys
    assert sorted(item["required"]) == sorted(keys)


@pytest.mark.parametrize(("path", "keys"), ITEMS.items())
def test_openapi_types_every_object(web_app: Any, path: str, keys: list[str]) -> None:
    openapi = _get(web_app, "/openapi.json").json()
    assert list(_answer(openapi, path)["properties"]) == keys


def test_openapi_names_date_formats_and_nested_objects(web_app: Any) -> None:
    openapi = _get(web_app, "/openapi.json").json()
    article = _resolved(openapi, _answer(openapi, "/api/articles")["items"])["properties"]
    assert {"format": "date", "type": "string"} in article["published"]["anyOf"]
    assert {"format": "date-time", "type": "string"} in article["published_at"]["anyOf"]
    assert article["event_dates"]["items"] == {"format": "date", "type": "string"}
    mention = _resolved(openapi, article["entities"]["items"])
    assert {"text", "type", "start", "end", "entity_id"} <= set(mention["properties"])
    assert article["id"]["description"].startswith("16 hex digits")


def test_the_api_answers_what_the_export_writes(web_app: Any, exported: dict[str, Any]) -> None:
    api = _get(web_app, "/api/articles", limit=500).json()
    assert api == _jsonl(exported["articles", "jsonl"])
    assert _get(web_app, "/api/stories", limit=500).json() == _jsonl(exported["stories", "jsonl"])


# -- the docs ----------------------------------------------------------------------------


def test_the_docs_tables_are_the_declarations() -> None:
    """docs/schema.md shows each documented record as declared; when this fails, run
    ``python -m parallax.records docs/schema.md`` and review the diff."""
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert generated_docs(page, DOCUMENTED) == page
    for record in DOCUMENTED:
        assert markdown_table(record) in page


@pytest.mark.parametrize(
    "record", [Mention, Quote, Entity, QuoteRecord, EntityProfile, StoryDetail]
)
def test_the_docs_name_every_key_of_the_other_records(record: type) -> None:
    """The records described in prose rather than in a table: every key is named."""
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    missing = [name for name in shapes(record) if f"`{name}`" not in page]
    assert not missing, f"docs/schema.md does not name {missing} of {record.__name__}"


@pytest.mark.parametrize("record", [Variant, ArticleBrief, StoryMember])
def test_the_docs_show_the_small_records_whole(record: type) -> None:
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert "`{" + ", ".join(shapes(record)) + "}`" in page


# -- the comparison (parallax.compare.model) ----------------------------------------------

COMPARE = "/api/stories/{story_id}/compare"
# The comparison's records its docs show whole: `{key, key, ...}`.
SMALL_COMPARED = [ArticleRef, OutletView, Fact, Conflict, QuoteReport, Source]


def _properties(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return _resolved(openapi, schema)["properties"]  # type: ignore[no-any-return]


def test_openapi_types_the_comparison(web_app: Any) -> None:
    openapi = _get(web_app, "/openapi.json").json()
    answer = _answer(openapi, COMPARE)
    top = answer["properties"]
    assert list(top) == list(shapes(Comparison))
    assert sorted(answer["required"]) == sorted(shapes(Comparison))
    assert all(value["description"] for value in top.values())
    assert {"format": "date", "type": "string"} in top["start"]["anyOf"]
    participant = _properties(openapi, top["participants"]["items"])
    assert list(participant) == list(shapes(Participant))
    assert participant["outlets"]["items"] == {"type": "string"}
    view = _properties(openapi, participant["by_outlet"]["additionalProperties"])
    assert list(view) == list(shapes(OutletView))
    fact = _properties(openapi, top["facts"]["items"])
    assert list(fact) == list(shapes(Fact))
    assert fact["status"]["enum"] == ["shared", "unique"]
    assert list(_properties(openapi, fact["sources"]["items"])) == list(shapes(Source))
    conflict = _properties(openapi, top["conflicts"]["items"])
    assert conflict["by_outlet"]["additionalProperties"]["items"] == {"type": "string"}
    assert list(_properties(openapi, top["quotes"]["items"])) == list(shapes(QuoteReport))
    assert list(_properties(openapi, top["articles"]["items"])) == list(shapes(ArticleRef))


def test_the_compare_route_answers_the_declared_comparison(web_app: Any, examples_db: Path) -> None:
    model = api_model(Comparison)
    with parallax.open(examples_db) as corpus:
        stories = [story.id for story in corpus.stories(limit=500)]
        assert stories
        for story_id in stories:
            answer = _get(web_app, f"/api/stories/{story_id}/compare").json()
            assert model.model_validate(answer)
            assert answer == corpus.compare(story_id).to_dict()
            assert list(answer) == list(shapes(Comparison))
            participants = answer["participants"]
            assert all(list(p) == list(shapes(Participant)) for p in participants)


def test_a_comparison_writes_its_declared_keys_and_no_other() -> None:
    source = Source("a1", "Gazette", 0, 5, "text", "Alpha")
    view = OutletView(mentioned=True, variants=["Alpha"], mentions=1, sources=[source])
    participant = Participant(
        "e:1", "Alpha", "person", {"Gazette": view, "Ledger": OutletView(False)}
    )
    comparison = Comparison(
        "s1",
        "T",
        ["Gazette", "Ledger"],
        [],
        [participant],
        [],
        [],
        [],
        documents={"a1": {"text": "Alpha beta"}},
    )
    data = comparison.to_dict()
    assert "documents" not in data and "documents" not in shapes(Comparison)
    assert data["participants"][0]["outlets"] == ["Gazette"]
    assert data["participants"][0]["by_outlet"]["Gazette"]["sources"] == [
        {
            "article_id": "a1",
            "outlet": "Gazette",
            "start": 0,
            "end": 5,
            "field": "text",
            "text": "Alpha",
            "speaker": None,
        }
    ]
    assert json.loads(json.dumps(data)) == data  # plain JSON types only


def test_the_contract_knows_objects_keyed_by_data() -> None:
    assert type_text(dict[str, list[str]]) == "object of lists of strings"
    assert type_text(dict[str, str | None]) == "object of strings or null"
    schema = arrow_schema(Conflict)
    assert schema.field("by_outlet").type == pa.map_(pa.string(), pa.list_(pa.string()))
    conflict = Conflict("number", "two figures", {"Gazette": ["6.4"], "Ledger": ["6.6"]})
    table = pa.Table.from_pylist([arrow_row(Conflict, record_dict(conflict))], schema)
    assert table.column("by_outlet").to_pylist() == [[("Gazette", ["6.4"]), ("Ledger", ["6.6"])]]


def _comparison_section() -> str:
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    start = page.index("## The comparison object")
    return page[start : page.index("\n## ", start + 1)]


@pytest.mark.parametrize("record", [Comparison, Participant])
def test_the_docs_name_every_key_of_the_comparison(record: type) -> None:
    """The comparison's table names each key of its large records (as `key` or as
    `participants[].key`), and not the HTML view's ``documents``."""
    section = _comparison_section()
    missing = [name for name in shapes(record) if not re.search(rf"[`.]{name}`", section)]
    assert not missing, f"docs/schema.md's comparison does not name {missing} of {record.__name__}"
    assert "documents" not in section


@pytest.mark.parametrize("record", SMALL_COMPARED)
def test_the_docs_show_the_comparisons_records_whole(record: type) -> None:
    assert "{" + ", ".join(shapes(record)) + "}" in _comparison_section()
