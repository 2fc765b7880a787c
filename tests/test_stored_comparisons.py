"""A story's comparison is computed when the story or its analyses change and stored;
reading it (the web pages, ``compare``) takes it from the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax import Corpus, pipeline
from parallax.compare import Comparison
from parallax.compare.chart import coverage_svg
from parallax.compare.render import (
    WEB_ARTICLE_HREF,
    WEB_CLAIMS,
    WEB_ENTITY_HREF,
    html_sections,
)
from parallax.errors import ParallaxError
from parallax.store import Store


def _copy(examples_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "stored.db"
    db.write_bytes(examples_db.read_bytes())
    return db


def test_run_stores_every_story_comparison_as_computed(examples_db: Path) -> None:
    with Store(examples_db) as store:
        stories = store.stories()
        assert set(store.comparison_states()) == {story.id for story in stories}
        for story in stories:
            stored, documents, page = (
                store.comparison(story.id, part)[1] for part in ("comparison", "documents", "page")
            )
            fresh = pipeline.compare(store, story.id)
            assert json.loads(stored) == fresh.to_dict()
            assert Comparison.from_json(stored, documents) == fresh
            assert Comparison.from_json(stored, documents).documents == fresh.documents
            figure = coverage_svg(fresh.articles, fresh.outlets, article_href=WEB_ARTICLE_HREF)
            assert page == html_sections(
                fresh,
                article_href=WEB_ARTICLE_HREF,
                entity_href=WEB_ENTITY_HREF,
                figure=figure,
                claims=WEB_CLAIMS,
            )
            assert '<figure class="coverage"' in page


def test_a_split_computes_only_the_stories_it_changes(examples_db: Path, tmp_path: Path) -> None:
    db = _copy(examples_db, tmp_path)
    with Corpus(db) as corpus:
        story = max(corpus.stories(), key=lambda s: len(s.articles))
        before = corpus.store.comparison_states()
        rest, new = corpus.split(story.id, [story.articles[-1]])
        after = corpus.store.comparison_states()
        changed = {sid for sid in after if before.get(sid) != after[sid]}
        assert changed == {rest.id, new.id}
        assert set(after) == {s.id for s in corpus.stories()}
        stored = json.loads(corpus.store.comparison(rest.id)[1])
        assert len(stored["articles"]) == len(story.articles) - 1
        assert [a["id"] for a in json.loads(corpus.comparison_json(new.id))["articles"]] == [
            story.articles[-1]
        ]


def test_a_story_changed_behind_the_corpus_is_compared_again_on_reading(
    examples_db: Path, tmp_path: Path
) -> None:
    db = _copy(examples_db, tmp_path)
    with Corpus(db) as corpus:
        story = max(corpus.stories(), key=lambda s: len(s.articles))
        kept = corpus.store.comparison(story.id)
        # The pipeline's own split does not refresh comparisons: the stored one is stale.
        pipeline.split_story(corpus.store, story.id, [story.articles[0]])
        assert corpus.store.comparison(story.id) == kept
        read = corpus.compare(story.id)
        assert story.articles[0] not in [a.id for a in read.articles]
        state, stored = corpus.store.comparison(story.id)
        assert state != kept[0] and json.loads(stored) == read.to_dict()


def test_analysing_again_changes_the_state_of_stories_it_touches(
    examples_db: Path, tmp_path: Path
) -> None:
    db = _copy(examples_db, tmp_path)
    with Corpus(db) as corpus:
        story = corpus.stories()[0]
        stamps = corpus.store.analysis_stamps(story.articles)
        version = corpus.store.fact("entities_version")
        state = pipeline.comparison_state(story, stamps, version)
        assert corpus.store.comparison(story.id)[0] == state
        assert pipeline.comparison_state(story, stamps, "another") != state
        fewer = {a: s for a, s in stamps.items() if a != story.articles[0]}
        assert pipeline.comparison_state(story, fewer, version) != state
        assert pipeline.refresh_comparisons(corpus.store) == 0  # nothing changed


def test_one_story_whose_comparison_fails_costs_the_others_nothing(
    examples_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _copy(examples_db, tmp_path)
    with Corpus(db) as corpus:
        corpus.store._db.execute("DELETE FROM comparisons")
        broken = corpus.stories()[0].id
        real_compare = pipeline.compare

        def compare_or_fail(store: Store, story_id: str) -> Comparison:
            if story_id == broken:
                raise IndexError("tuple index out of range")
            return real_compare(store, story_id)

        monkeypatch.setattr(pipeline, "compare", compare_or_fail)
        with pytest.raises(ParallaxError, match=f"1 of .* stories failed.*{broken}.*IndexError"):
            pipeline.refresh_comparisons(corpus.store)
        assert set(corpus.store.comparison_states()) == {s.id for s in corpus.stories()} - {broken}
