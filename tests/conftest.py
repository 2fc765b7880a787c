from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stores import ENGINES, new_store

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
    analyses = list(analyze_articles(articles, knowledge=load_knowledge_base()))
    resolution = resolve_entities(
        analyses, {a.id: a.outlet for a in articles}, load_knowledge_base()
    )
    return articles, [apply_resolution(a, resolution) for a in analyses], resolution


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """The URL of a real PostgreSQL server started for this test session. Its tests skip
    when none can be started, unless PARALLAX_REQUIRE_POSTGRES is set (CI sets it)."""
    from tests.stores import NoPostgres, postgres_server

    # Not under pytest's temporary folder: the server may run as another user (when the
    # tests run as root), who cannot enter that private folder.
    folder = Path(tempfile.mkdtemp(prefix="parallax-postgres-"))
    try:
        with postgres_server(folder) as url:
            yield url
    except NoPostgres as exc:
        if os.environ.get("PARALLAX_REQUIRE_POSTGRES"):
            pytest.fail(f"no PostgreSQL server could be started: {exc}")
        pytest.skip(f"no PostgreSQL server could be started: {exc}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=ENGINES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store location on each engine: a SQLite file, a PostgreSQL database."""
    folder = tmp_path / "stores"  # apart from the inputs a test writes to tmp_path
    folder.mkdir()
    return new_store(request, request.param, folder)


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real SQLite store of the bundled examples, ingested, analysed, grouped and its
    stories compared once per test session, as ``parallax run`` does. Read it; tests that
    write copy it first."""
    from parallax import Corpus
    from parallax.examples import ARTICLES_DIR

    path = tmp_path_factory.mktemp("examples") / "examples.db"
    with Corpus(path) as corpus:
        corpus.run([ARTICLES_DIR], workers=1)
    return path


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags without which Chromium keeps trying to reach its own services from a closed network.
QUIET_CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (CI installs it; elsewhere the
    tests that need it skip when it is absent). Per module: Playwright's sync API keeps
    an event loop running while it is open, which asyncio.run in later tests cannot share."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("no chromium on this machine: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_CHROMIUM)
        yield launched
        launched.close()
