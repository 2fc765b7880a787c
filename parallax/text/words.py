"""Words: the pattern of a word, a light stem, and the stop words that say nothing of what a
text is about."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# A word: letters first, then letters, digits, apostrophes or hyphens ("O'Neill", "ro-ro").
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def name_key(name: str) -> str:
    """A name as a lookup key: case, spacing, the apostrophe's form and a leading "the"
    set aside ("The Harbour Ledger" and "harbour ledger", "the United States")."""
    key = " ".join(name.replace("’", "'").split()).casefold()
    return key[4:] if key.startswith("the ") else key


def opening_lookahead(openings: Iterable[str], ignore_case: bool = True) -> str:
    """``(?=[...])`` over the characters ``openings`` start with: put before an alternation
    whose branches each open with one of them, it lets the engine pass over every other
    position at once, where without it each position tries every branch (a third of the
    time of the cleaner's channel terms on news text)."""
    letters = {opening[0] for opening in openings}
    if ignore_case:
        letters |= {letter.swapcase() for letter in letters}
    return "(?=[" + "".join(sorted(letters)) + "])"


def word_alternation(alternatives: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """``\\b(?:a|b|...)\\b`` over ``alternatives`` (regular expressions that each open with a
    literal letter), compiled to scan fast (``opening_lookahead``)."""
    if not all(a[0].isalnum() or a[0] == "@" for a in alternatives):
        raise ValueError("every alternative must open with a literal letter")
    lookahead = opening_lookahead(alternatives, bool(flags & re.IGNORECASE))
    return re.compile(rf"\b{lookahead}(?:{'|'.join(alternatives)})\b", flags)


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
    english = _spacy_stop_words("en")
    if not language or language == "en" or not re.fullmatch(r"[a-z]{2,3}", language):
        return english
    return english | _spacy_stop_words(language)


def _spacy_stop_words(language: str) -> frozenset[str]:
    """spaCy's stop-word list for ``language`` (empty when it has none), read from its own
    file: importing ``spacy.lang.<language>`` first compiles that language's tokenizer
    exceptions (1.7 s for French here) and spaCy itself (0.4 s), paid by every process
    that cleans, for a list of words (benchmarks/analysis_speed.py)."""
    spec = importlib.util.find_spec("spacy")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / language / "stop_words.py"
    if not path.is_file():
        return frozenset()
    source = importlib.util.spec_from_file_location(f"_parallax_stop_words_{language}", path)
    if source is None or source.loader is None:
        return frozenset()
    module = importlib.util.module_from_spec(source)
    source.loader.exec_module(module)
    return frozenset(getattr(module, "STOP_WORDS", ()))
