"""Stop words: the function words that say nothing of what a text is about."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache


@lru_cache(maxsize=64)
def stop_words(language: str | None = None) -> frozenset[str]:
    """English stop words, with those of ``language`` when spaCy has a list for it: in a
    stream of English news the few articles in another language share its function words
    ("que", "para"), and those words are rare enough in the stream to weigh."""
    from spacy.lang.en.stop_words import STOP_WORDS

    if not language or language == "en" or not re.fullmatch(r"[a-z]{2,3}", language):
        return frozenset(STOP_WORDS)
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset(STOP_WORDS)
    return frozenset(STOP_WORDS) | frozenset(module.STOP_WORDS)
