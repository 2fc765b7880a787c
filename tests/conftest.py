from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seeds_dir() -> Path:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present on this machine")
    return seeds


@pytest.fixture(scope="session")
def seed_analysis():
    """The two seed articles cleaned, analysed and resolved against the knowledge base:
    (articles, analyses with entity ids, resolution). Parsed once per test session."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present on this machine")
    from parallax.clean import clean_document
    from parallax.model import RawDocument
    from parallax.nlp import analyze_articles, apply_resolution
    from parallax.resolve import load_knowledge_base, resolve_entities

    articles = [
        clean_document(
            RawDocument(source=str(p), format="text", content=p.read_text(), is_html=False)
        )
        for p in sorted(seeds.glob("*.txt"))
    ]
    analyses = list(analyze_articles(articles))
    resolution = resolve_entities(
        analyses, {a.id: a.outlet for a in articles}, load_knowledge_base()
    )
    return articles, [apply_resolution(a, resolution) for a in analyses], resolution
