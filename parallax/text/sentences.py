"""Sentences and clauses of a body, as character spans."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|No|vs)\.$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*")
# Where one sentence may hold two claims: a semicolon, a spaced dash, or ", while" /
# ", but" / ", whereas" opening a second clause. Commas alone join a list or a phrase.
_CLAUSE_BREAK = re.compile(r"\s*;\s+|\s+[–—]\s+|,\s+(?=(?:while|but|whereas)\s)")
# A clause shorter than this states no claim of its own ("one provided an element of
# surprise" has six words and stays a claim; "he said" does not).
MIN_CLAUSE_WORDS = 5


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a body; abbreviations do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s + _lead(text[s:e]), e) for s, e in spans if text[s:e].strip()]


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of the sentence ``text[start:end]`` that each state a claim: split at
    a semicolon, a spaced dash or a contrasting ", while"/", but", when both sides have at
    least ``MIN_CLAUSE_WORDS`` words and the break is not inside a quotation; otherwise
    the whole sentence."""
    cuts = [start]
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        # A quotation is one speaker's statement, not two claims ("“We cannot guard every
        # metre, but we can fix faster.”").
        if _inside_quotation(text[start : match.start()]):
            continue
        before = text[cuts[-1] : match.start()]
        after = text[match.end() : end]
        if _words(before) >= MIN_CLAUSE_WORDS and _words(after) >= MIN_CLAUSE_WORDS:
            cuts += [match.start(), match.end()]
    cuts.append(end)
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


def _inside_quotation(opening: str) -> bool:
    """Whether a quotation opened in ``opening`` (the sentence up to a point) is still
    open there."""
    curly = opening.count("“") - opening.count("”") + opening.count("«") - opening.count("»")
    return curly > 0 or opening.count('"') % 2 == 1


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())
