"""Canonical entities across articles: names, the knowledge base and the resolver."""

from parallax.lexicon.knowledge import (
    KnowledgeBase,
    KnowledgeBaseError,
    KnownEntity,
    KnownRole,
    build_knowledge_base,
    load_knowledge_base,
)
from parallax.lexicon.names import (
    MATCH_THRESHOLD,
    blocking_keys,
    fold,
    given_names_differ,
    is_match,
    name_similarity,
    normalise,
    phonetic_key,
)
from parallax.resolve.entities import resolve_entities

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
