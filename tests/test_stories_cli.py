"""Stories end to end: `parallax run` on the bundled examples into a real SQLite file, then
the story commands and the export against the gold events and copies."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

import pytest
from test_analyze import GOLD, parallax, summary

from parallax.examples import ARTICLES_DIR
from parallax.store import Store
from parallax.store.schema import MIGRATIONS
from tests.stores import ENGINES, copy_store, new_store


def export(db: str, work: Path, *args: str) -> list[dict]:
    result = parallax("export", "--format", "jsonl", *args, "--db", db, cwd=work)
    return [json.loads(line) for line in result.stdout.splitlines()]


def show(db: str, work: Path, story_id: str) -> dict:
    return json.loads(parallax("story", story_id, "--json", "--db", db, cwd=work).stdout)


@pytest.fixture(scope="module", params=ENGINES)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The examples run twice into one store, exported after each run."""
    work = tmp_path_factory.mktemp("stories")
    db = new_store(request, request.param, work)
    examples = [str(ARTICLES_DIR), "--db", db, "--workers", "1"]
    first = parallax("run", *examples, cwd=work)
    records, stories = export(db, work), export(db, work, "--stories")
    again = parallax("run", *examples, cwd=work)
    return {
        "work": work,
        "db": db,
        "engine": request.param,
        "first": first.stdout,
        "again": again.stdout,
        "records": records,
        "stories": stories,
        "records_again": export(db, work),
        "stories_again": export(db, work, "--stories"),
    }


def gold_ids(records: list[dict]) -> list[str]:
    """The stored id of each gold article, in the gold's order (a re-post under the same
    outlet and body is the same stored article as what it re-posts)."""
    by_key = {(r["title"], r["outlet"]): r["id"] for r in records}
    return [by_key[(g["title"], g["outlet"])] for g in GOLD["articles"]]


def test_run_reports_stories(corpus: dict) -> None:
    assert summary(corpus["first"], "stories") == len(GOLD["events"])
    assert summary(corpus["first"], "new stories") == len(GOLD["events"])
    assert summary(corpus["first"], "articles grouped") == len(corpus["records"])
    assert summary(corpus["first"], "copies") >= 2


@pytest.mark.parametrize("event", sorted(GOLD["events"]))
def test_each_gold_event_is_its_own_story(corpus: dict, event: str) -> None:
    story_of = {r["id"]: r["story_id"] for r in corpus["records"]}
    ids = gold_ids(corpus["records"])
    inside = {
        story_of[i] for i, g in zip(ids, GOLD["articles"], strict=True) if g["event"] == event
    }
    outside = {
        story_of[i] for i, g in zip(ids, GOLD["articles"], strict=True) if g["event"] != event
    }
    assert len(inside) == 1 and None not in inside
    assert not inside & outside


def test_every_article_is_in_exactly_one_exported_story(corpus: dict) -> None:
    members = [a for story in corpus["stories"] for a in story["articles"]]
    assert sorted(members) == sorted(r["id"] for r in corpus["records"])
    for story in corpus["stories"]:
        records = [r for r in corpus["records"] if r["story_id"] == story["id"]]
        assert sorted(r["id"] for r in records) == sorted(story["articles"])
        assert story["outlets"] == sorted({r["outlet"] for r in records if r["outlet"]})


def test_export_stories_keys(corpus: dict) -> None:
    for story in corpus["stories"]:
        assert {
            "id",
            "title",
            "articles",
            "outlets",
            "start",
            "end",
            "entities",
            "confidence",
        } <= set(story)
        assert story["title"] and story["start"] <= story["end"]
        assert 0 < len(story["entities"]) <= 5
        assert 0.0 <= story["confidence"] <= 1.0


def test_syndicated_copies_are_marked(corpus: dict) -> None:
    records = {r["id"]: r for r in corpus["records"]}
    ids = gold_ids(corpus["records"])
    index = {(g["file"], g["record"]): n for n, g in enumerate(GOLD["articles"])}

    def root(article_id: str) -> str:
        return records[article_id]["duplicate_of"] or article_id

    copies = 0
    for copy_id, gold in zip(ids, GOLD["articles"], strict=True):
        if gold["duplicate_of"] is None:
            continue
        original_id = ids[index[(gold["duplicate_of"]["file"], gold["duplicate_of"]["record"])]]
        if copy_id == original_id:  # the same outlet's body re-posted: one article by design
            continue
        copies += 1
        assert root(copy_id) == root(original_id), (copy_id, original_id)
        assert records[copy_id]["duplicate_of"] or records[original_id]["duplicate_of"]
        assert records[copy_id]["story_id"] == records[original_id]["story_id"]
    assert copies >= 2
    marked = [r for r in records.values() if r["duplicate_of"]]
    assert all(records[r["duplicate_of"]]["duplicate_of"] is None for r in marked)


def test_rerun_changes_nothing(corpus: dict) -> None:
    assert summary(corpus["again"], "new stories") == 0
    assert summary(corpus["again"], "articles grouped") == 0
    for row in ("stories", "copies"):
        assert summary(corpus["again"], row) == summary(corpus["first"], row)
    assert corpus["records_again"] == corpus["records"]
    assert corpus["stories_again"] == corpus["stories"]


def test_story_shows_articles_with_copy_marks(corpus: dict) -> None:
    marked = next(r for r in corpus["records"] if r["duplicate_of"])
    shown = show(corpus["db"], corpus["work"], marked["story_id"][:6])
    assert shown["id"] == marked["story_id"]
    by_id = {m["id"]: m for m in shown["members"]}
    assert by_id[marked["id"]]["duplicate_of"] == marked["duplicate_of"]
    assert not any(m["pinned"] for m in shown["members"])
    table = parallax("story", shown["id"], "--db", corpus["db"], cwd=corpus["work"]).stdout
    assert marked["id"] in table and marked["duplicate_of"] in table


def test_merge_and_split_survive_regrouping(
    corpus: dict, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = copy_store(request, corpus["db"], tmp_path)
    first, second = corpus["stories"][0], corpus["stories"][1]
    parallax("story", "merge", first["id"], second["id"], "--db", db, cwd=tmp_path)
    merged = show(db, tmp_path, first["id"])
    assert sorted(merged["articles"]) == sorted(first["articles"] + second["articles"])
    assert {m["id"] for m in merged["members"] if m["pinned"]} == set(second["articles"])

    moved = first["articles"][:2]
    parallax("story", "split", first["id"], *(a[:10] for a in moved), "--db", db, cwd=tmp_path)
    after = {s["id"]: s for s in export(db, tmp_path, "--stories")}
    assert second["id"] not in after
    (new,) = [s for s in after.values() if sorted(s["articles"]) == sorted(moved)]
    assert sorted(after[first["id"]]["articles"]) == sorted(
        set(first["articles"] + second["articles"]) - set(moved)
    )

    regrouped = parallax("group", "--db", db, cwd=tmp_path).stdout
    assert summary(regrouped, "articles grouped") == 0
    run_again = parallax("run", str(ARTICLES_DIR), "--db", db, "--workers", "1", cwd=tmp_path)
    assert summary(run_again.stdout, "new stories") == 0
    assert {s["id"]: s for s in export(db, tmp_path, "--stories")} == after
    assert new["id"] in {r["story_id"] for r in export(db, tmp_path)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("story", "nosuchstory"), "no story 'nosuchstory'"),
        (("story", "merge", "nosuch", "other"), "no story 'nosuch'"),
    ],
)
def test_story_errors_are_one_line(corpus: dict, args: tuple[str, ...], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parallax", *args, "--db", corpus["db"]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_split_needs_a_member_and_leaves_one(corpus: dict) -> None:
    story = corpus["stories"][0]
    for articles in (["0000000000000000"], story["articles"]):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "parallax",
                "story",
                "split",
                story["id"],
                *articles,
                "--db",
                corpus["db"],
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1 and "error:" in result.stderr


def test_version_2_store_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    with sqlite3.connect(db) as connection:
        connection.executescript("".join(MIGRATIONS[:2]) + "PRAGMA user_version = 2;")
    connection.close()
    with Store(db) as store:
        assert store.schema_version == len(MIGRATIONS) == 10
        assert store.stories() == [] and store.story_links() == {}
        assert store.paragraph_sightings(["any"]) == {}
    with sqlite3.connect(db) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(articles)")}
    connection.close()
    assert "published_at" in columns


def test_seed_articles_are_one_story_and_stay_so(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "seeds.db")
    parallax("run", str(seeds_dir), "--db", db, "--workers", "1", cwd=tmp_path)
    (story,) = export(db, tmp_path, "--stories")
    assert len(story["articles"]) == 2
    parallax("run", str(ARTICLES_DIR), "--db", db, "--workers", "1", cwd=tmp_path)
    after = {s["id"]: s for s in export(db, tmp_path, "--stories")}
    assert after[story["id"]]["articles"] == story["articles"]
    stories_of: dict[str, set[str]] = defaultdict(set)
    for record in export(db, tmp_path):
        stories_of[record["story_id"]].add(record["id"])
    assert stories_of[story["id"]] == set(story["articles"])


def _peru_story(corpus: dict) -> dict:
    return next(s for s in corpus["stories_again"] if "Arequipa" in s["title"])


def test_compare_json_sets_outlets_side_by_side(corpus: dict) -> None:
    story = _peru_story(corpus)
    result = parallax("compare", story["id"], "--json", "--db", corpus["db"], cwd=corpus["work"])
    comparison = json.loads(result.stdout)
    assert comparison["story_id"] == story["id"]
    assert sorted(comparison["outlets"]) == sorted(story["outlets"])
    for participant in comparison["participants"]:
        assert set(participant["by_outlet"]) == set(comparison["outlets"])
    # The four outlets give three magnitudes; the written examples disagree on purpose.
    magnitude = [c for c in comparison["conflicts"] if "magnitude" in c["description"]]
    assert magnitude and len(magnitude[0]["by_outlet"]) >= 3
    spelled = [c for c in comparison["conflicts"] if c["kind"] == "name"]
    assert any("Taype" in c["description"] and "Taipe" in c["description"] for c in spelled)
    records = {r["id"]: r for r in corpus["records_again"]}
    for fact in comparison["facts"]:
        for source in fact["sources"]:
            body = records[source["article_id"]]["text"]
            assert body[source["start"] : source["end"]] == source["text"]


def test_compare_writes_markdown_and_a_self_contained_page(corpus: dict) -> None:
    story = _peru_story(corpus)
    work, db = corpus["work"], corpus["db"]
    markdown = parallax("compare", story["id"], "--markdown", "--db", db, cwd=work).stdout
    assert "Conflicts" in markdown and "Only in" in markdown
    page = work / "peru.html"
    parallax("compare", story["id"][:8], "--html", str(page), "--db", db, cwd=work)
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Arequipa" in html
    assert "<script" not in html and "src=" not in html and "<link" not in html


def test_compare_filters_claim_groups(corpus: dict) -> None:
    story = _peru_story(corpus)
    work, db = corpus["work"], corpus["db"]

    def facts(*options: str) -> list[dict]:
        result = parallax("compare", story["id"], "--json", *options, "--db", db, cwd=work)
        return json.loads(result.stdout)["facts"]

    every = facts()
    outlet = next(f["outlets"][0] for f in every if f["status"] == "unique")
    only = facts("--only-in", outlet.upper())
    assert only and all(f["status"] == "unique" and f["outlets"] == [outlet] for f in only)
    assert len(only) < len(every)
    assert all(f["disputed"] for f in facts("--show", "differences"))
    assert all(f["coverage"] == "all" for f in facts("--show", "shared"))
    for bad in (("--show", "everything"), ("--only-in", "No Such Outlet")):
        result = subprocess.run(
            [sys.executable, "-m", "parallax", "compare", story["id"], *bad, "--db", db],
            capture_output=True,
            text=True,
            cwd=work,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert bad[1] in result.stderr


def test_compare_an_unknown_story_is_one_clear_error(corpus: dict) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parallax", "compare", "nosuchstory", "--db", corpus["db"]],
        capture_output=True,
        text=True,
        cwd=corpus["work"],
    )
    assert result.returncode != 0
    assert "no story 'nosuchstory'" in result.stderr
    assert "Traceback" not in result.stderr


def test_articles_grouped_before_analysis_are_placed_again_once_analysed(
    corpus: dict, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = new_store(request, corpus["engine"], tmp_path)
    parallax("ingest", str(ARTICLES_DIR), "--db", db, "--workers", "1", cwd=tmp_path)
    parallax("group", "--db", db, cwd=tmp_path)
    with Store(db) as store:
        assert not any(link.analysed for link in store.story_links().values())
    parallax("analyze", "--db", db, cwd=tmp_path)
    parallax("group", "--db", db, cwd=tmp_path)
    with Store(db) as store:
        links = store.story_links()
        assert all(link.analysed for link in links.values() if link.story_id)
        assert len(store.signatures()) == store.count()

    def groups(stories: list[dict]) -> set[frozenset[str]]:
        return {frozenset(s["articles"]) for s in stories}

    assert groups(export(db, tmp_path, "--stories")) == groups(corpus["stories"])


def test_copy_signatures_are_computed_once(corpus: dict) -> None:
    from parallax import pipeline

    with Store(corpus["db"]) as store:
        assert len(store.signatures()) == store.count()
        report = pipeline.group_stories(store)
    assert report.signed == 0 and report.grouped == 0


def test_grouping_parameters_are_set_from_the_command_line(tmp_path: Path) -> None:
    """`--story-param NAME=VALUE` reaches the grouping: a threshold no article can reach
    leaves every article but the copies in a story of its own (the defaults group the
    examples into a few stories); an unknown name lists the valid ones."""
    from parallax.stories.params import GroupingParams, setting_names, with_settings

    assert with_settings(GroupingParams(), ["split.max_cut=0.4"]).split.max_cut == 0.4
    assert "seed_cosine" in setting_names() and "split.max_cut" in setting_names()
    db = str(tmp_path / "s.db")
    made = parallax("ingest", str(ARTICLES_DIR), "--db", db, "--workers", "1", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    apart = parallax(
        "group",
        "--db",
        db,
        "--story-param",
        "threshold=5",
        "--story-param",
        "seed_cosine=0.9",
        cwd=tmp_path,
    )
    assert apart.returncode == 0, apart.stderr
    with Store(db) as store:
        # Only copies (which always join their original's story) share one.
        assert len(store.stories()) == store.count() - store.counts()["copies"]
    wrong = subprocess.run(
        [sys.executable, "-m", "parallax", "group", "--db", db, "--story-param", "seed_cosin=0.2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert wrong.returncode != 0
    assert "unknown grouping parameter 'seed_cosin'" in wrong.stderr
    assert "seed_cosine" in wrong.stderr


def test_quotes_and_export_keep_the_confident_quotes(corpus: dict) -> None:
    from parallax.model import Quote
    from parallax.nlp import DEFAULT_QUOTE_THRESHOLDS

    work, db = corpus["work"], corpus["db"]
    quote_keys = [f.name for f in fields(Quote)]

    def quotes(*options: str) -> list[dict]:
        result = parallax("quotes", "--json", "--limit", "1000", *options, "--db", db, cwd=work)
        return json.loads(result.stdout)

    def by_default(record: dict) -> bool:
        """What the store's SQL filter must agree with: each kind's own threshold."""
        return DEFAULT_QUOTE_THRESHOLDS.keeps(Quote(**{k: record[k] for k in quote_keys}))

    every = quotes("--min-confidence", "0")
    shown = quotes()
    assert every and all(0 <= q["confidence"] <= 1 for q in every)
    assert len(shown) < len(every)
    assert [q["text"] for q in shown] == [q["text"] for q in every if by_default(q)]
    # An explicit threshold is one for every kind of quote.
    reported = DEFAULT_QUOTE_THRESHOLDS.reported
    uniform = quotes("--min-confidence", str(reported))
    assert [q["text"] for q in uniform] == [q["text"] for q in every if q["confidence"] >= reported]

    def exported(*options: str) -> int:
        result = parallax("export", *options, "--db", db, cwd=work)
        return sum(len(json.loads(line)["quotes"]) for line in result.stdout.splitlines())

    assert exported() == exported("--min-confidence", "0") == len(every)
    assert exported("--min-confidence", str(reported)) == len(uniform)
    refused = subprocess.run(
        [sys.executable, "-m", "parallax", "quotes", "--min-confidence", "2", "--db", db],
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert refused.returncode != 0 and "min-confidence" in refused.stderr
