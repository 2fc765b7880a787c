"""The store: one schema (docs/schema.md) behind the CLI, the export and, later, the API."""

from parallax.store.store import (
    ArticleRow,
    SearchHit,
    Store,
    StoredDocument,
    StoredQuote,
    StoryLink,
)

DEFAULT_DB = "parallax.db"

__all__ = [
    "DEFAULT_DB",
    "ArticleRow",
    "SearchHit",
    "Store",
    "StoredDocument",
    "StoredQuote",
    "StoryLink",
    "open_store",
]


def open_store(db: str | None = None) -> Store:
    return Store(db or DEFAULT_DB)
