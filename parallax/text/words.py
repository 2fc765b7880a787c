"""Words: the pattern of a word, a light stem, and the stop words that say nothing of what a
text is about."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

# A word: letters first, then letters, digits, apostrophes or hyphens ("O'Neill", "ro-ro").
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def stem(word: str) -> str:
    """A word without its plural or verb ending: "workers" and "worker" count one thing."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


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
