"""Who wrote an article and who re-posted it: origin notes, self-references, site banners."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from parallax.model import Block

ORIGIN_NOTE = re.compile(
    r"^(?:read the (?:full |complete |whole )?original (?:article|story|post|report|piece) "
    r"(?:on|at|in|from)|this (?:article|story|post) "
    r"(?:was )?(?:originally|first) (?:appeared|published|ran) (?:on|in|at|by)|"
    r"(?:originally|first) (?:published|appeared) (?:on|in|at|by)|"
    r"(?:the )?original(?: article)?:|source:|via:?)\s+(?P<outlet>[^.]{2,80}?)\.?$",
    re.I,
)
AGGREGATOR_WELCOME = re.compile(r"^welcome to (?P<name>.{2,60}?),? (?:your|the) ", re.I)

_NAME = r"(?P<name>[A-Za-z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})"
# Ways an article refers to the outlet that published it.
# Each pattern with a word it cannot match without, checked first because
# a pattern that starts with a name tries every word of the text.
_SELF_REFERENCES = [
    ("reading", re.compile(r"\b(?:like|enjoy|love) reading " + _NAME + r"\b")),
    (" app", re.compile(r"\b[Tt]he " + _NAME + r" app\b")),
    ("asked by", re.compile(r"\b(?:when |as )?asked by " + _NAME + r"\b")),
    (" with ", re.compile(r"\b(?:conversation|interview|talk) with " + _NAME + r"(?=[\s,.])")),
    (" to ", re.compile(r"\b(?:told|tells|confirmed to|said to) " + _NAME + r"(?=[\s,.])")),
    ("d by", re.compile(r"\b(?:contacted|reached) by " + _NAME + r"\b")),
    ("learned", re.compile(r"\b" + _NAME + r" (?:has|had) learned\b")),
    ("follow", re.compile(r"\bfollow " + _NAME + r" on\b")),
]
_NOT_OUTLETS = {
    "the",
    "a",
    "an",
    "him",
    "her",
    "them",
    "us",
    "me",
    "you",
    "reporters",
    "journalists",
    "police",
    "officials",
    "local",
    "state",
    "media",
    "press",
    "this",
    "that",
    "his",
    "their",
    "our",
    "its",
    "one",
    "two",
    "many",
    "some",
    "other",
    "others",
    "people",
    "residents",
    "lawmakers",
    "parliament",
    "congress",
    "colleagues",
    "friends",
    "family",
}
_BANNER_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*[|:]\s+")


def origin_outlet(blocks: Iterable[Block]) -> str | None:
    for block in blocks:
        if block.kind == "origin":
            match = ORIGIN_NOTE.match(block.text)
            if match:
                return match.group("outlet").strip()
    return None


def site_names(blocks: Iterable[Block]) -> list[str]:
    """Names of the site the text was scraped from: banners at the top, 'Welcome to X' footers."""
    names: list[str] = []
    for position, block in enumerate(blocks):
        name = None
        if block.reason == "site header" and position == 0:
            name = _BANNER_SEPARATOR.split(block.text)[0].strip()
        elif block.reason == "site footer":
            welcome = AGGREGATOR_WELCOME.match(block.text)
            name = welcome.group("name").strip() if welcome else None
        if name and name not in names:
            names.append(name)
    return names


def self_named_outlet(texts: Iterable[str]) -> str | None:
    """The outlet an article names as itself ("asked by watson", "the watson app")."""
    counts: Counter[str] = Counter()
    for text in texts:
        for keyword, pattern in _SELF_REFERENCES:
            if keyword not in text:
                continue
            for match in pattern.finditer(text):
                name = _trim_name(match.group("name"))
                if name:
                    counts[name] += 1
    if not counts:
        return None
    name, hits = counts.most_common(1)[0]
    return name if hits >= 2 else None


def _trim_name(name: str) -> str | None:
    words = name.split()
    while words and words[-1].lower() in _NOT_OUTLETS | {"news", "agency"}:
        words.pop()
    if not words or words[0].lower() in _NOT_OUTLETS:
        return None
    return " ".join(words).strip(".,")


def describe_outlets(
    declared: str | None, blocks: list[Block], texts: Iterable[str]
) -> tuple[str | None, list[str]]:
    """The original outlet and the chain of sites that re-posted it.

    ``declared`` is what the container says (a JSON key, a feed title,
    og:site_name): the site we got the article from, which is the outlet
    unless the text says the article came from somewhere else.
    """
    origin = origin_outlet(blocks)
    self_named = self_named_outlet(texts)
    hosts = [name for name in [declared, *site_names(blocks)] if name]
    outlet = origin or self_named or declared
    chain: list[str] = []
    for name in [*hosts, self_named]:
        if name and not _same(name, outlet) and not any(_same(name, c) for c in chain):
            chain.append(name)
    if outlet is None and chain:
        # Only the re-posting site is known; saying so beats inventing an outlet.
        return None, chain
    return outlet, chain


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and re.sub(r"\W", "", a.lower()) == re.sub(r"\W", "", b.lower())
