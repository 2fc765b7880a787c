"""Canonical entities across articles: names, the knowledge base and the resolver."""

from parallax.resolve.entities import resolve_entities
from parallax.resolve.knowledge import (
    KnowledgeBase,
    KnowledgeBaseError,
    KnownEntity,
    KnownRole,
    build_knowledge_base,
    load_knowledge_base,
)
from parallax.resolve.names import (
    MATCH_THRESHOLD,
    blocking_keys,
    fold,
    given_names_differ,
    is_match,
    name_similarity,
    normalise,
    phonetic_key,
)

__all__ = [
    "MATCH_THRESHOLD",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnownEntity",
    "KnownRole",
    "blocking_keys",
    "build_knowledge_base",
    "fold",
    "given_names_differ",
    "is_match",
    "load_knowledge_base",
    "name_similarity",
    "normalise",
    "phonetic_key",
    "resolve_entities",
]
