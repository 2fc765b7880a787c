"""Parallax: news articles from many outlets in, a cross-referenced picture of events out.

The public API (docs/api.md)::

    import parallax

    with parallax.open("news.db") as corpus:       # a SQLite file or a postgresql:// URL
        corpus.run(["articles/"])                   # ingest, analyse, resolve, group
        corpus.stories().to_pandas()
        corpus.compare(story_id).to_html()

    parallax.analyze(html)                          # one article, no store
    parallax.same_claim(a, b)                       # do two sentences state one claim? 0-1

Only the names in ``__all__`` are public and versioned; every module is an
implementation detail that may change between releases.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Where each public name lives. Loaded on first use: ``import parallax`` stays cheap for
# the worker processes that import one submodule only.
_PUBLIC = {
    "open": "parallax.corpus",
    "analyze": "parallax.corpus",
    "Corpus": "parallax.corpus",
    "Records": "parallax.corpus",
    "ArticleRecord": "parallax.corpus",
    "QuoteRecord": "parallax.corpus",
    "SearchResult": "parallax.corpus",
    "RunReport": "parallax.corpus",
    "Story": "parallax.model",
    "Entity": "parallax.model",
    "Variant": "parallax.model",
    "IngestReport": "parallax.model",
    "ReadFailure": "parallax.model",
    "AnalyzeReport": "parallax.pipeline",
    "AnalysisFailure": "parallax.pipeline",
    "StoriesReport": "parallax.pipeline",
    "Comparison": "parallax.compare",
    "Participant": "parallax.compare",
    "OutletView": "parallax.compare",
    "Fact": "parallax.compare",
    "Conflict": "parallax.compare",
    "QuoteReport": "parallax.compare",
    "Source": "parallax.compare",
    "ArticleRef": "parallax.compare",
    "ParallaxError": "parallax.errors",
    "same_claim": "parallax.text.same_claim",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'parallax' has no attribute {name!r}")


def __dir__() -> list[str]:
    return [*globals(), *__all__]
