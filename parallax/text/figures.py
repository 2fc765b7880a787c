"""Figures in a sentence and what they count: "3,400 dock workers", "a 12% pay rise",
"a magnitude 6.4 quake", "four people died".

A figure carries what it counts (``unit``: the noun after it, "%" for a share), the
measure its clause names when there is one (``measure``: the dead, the injured, a
magnitude...), how exactly it is meant (``qualifier``: "about", "at least", "at most")
and whether its clause is about a second happening of the kind (an aftershock beside the
quake). Two figures disagree only when both measure one thing and no reading of their
qualifiers lets both be true (``figures_agree``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from parallax.text.words import WORD, stem, stop_words

Qualifier = Literal["exact", "about", "at least", "at most"]

_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    )
}
_NUMBER = re.compile(
    r"(?<![\w.,:])([$€£]\s?)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(_NUMBER_WORDS)
    + r")\b(?:\s+(million|billion|thousand))?(\s*(?:%|per\s?cent|percent))?"
    + r"(?=((?:\s+[A-Za-z][\w'’-]*){0,4}))",
    re.IGNORECASE,
)
# Words that say what a figure measures, whichever noun it counts ("four people died",
# "killing three", "2,000 residents had been evacuated").
MEASURES = {
    **dict.fromkeys(("died", "dead", "killed", "killing", "deaths", "fatalities", "toll"), "dead"),
    **dict.fromkeys(("injured", "wounded", "hurt", "injuring", "injuries"), "injured"),
    **dict.fromkeys(("evacuated", "evacuees", "displaced", "homeless"), "evacuated"),
    **dict.fromkeys(("stranded", "trapped", "stuck"), "stranded"),
    **dict.fromkeys(("missing",), "missing"),
    **dict.fromkeys(("arrested", "detained"), "arrested"),
    **dict.fromkeys(("magnitude",), "magnitude"),
}
# Of the injured, those who died since: not a measure of the event to set against its toll.
LATER_DEATHS = "injured who died"
# A clause about one of these is about a second happening of the event's kind: its
# magnitude is not the main quake's.
_SECOND_HAPPENING = re.compile(r"\b(?:aftershocks?|foreshocks?|tremors?)\b", re.IGNORECASE)
_QUALIFIERS: tuple[tuple[re.Pattern[str], Qualifier], ...] = (
    (
        re.compile(
            r"\b(?:about|around|roughly|some|nearly|almost|approximately|an estimated|"
            r"estimated|close to|up to around)\s+$",
            re.IGNORECASE,
        ),
        "about",
    ),
    (re.compile(r"\b(?:more than|over|at least|in excess of|upwards of)\s+$", re.I), "at least"),
    (
        re.compile(r"\b(?:fewer than|less than|under|up to|at most|no more than)\s+$", re.I),
        "at most",
    ),
)
_MONTH_OR_NUMBER_SIGN = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s$|\bNo\.\s$"
)
_MEASURE_BEFORE = re.compile(
    r"\b(magnitude)[\s-]+(?:of\s+|at\s+|to\s+)?(\d+(?:\.\d+)?)\b", re.IGNORECASE
)
# A time of day counts nothing: "at 7 p.m.", "just after 6:00 pm".
_CLOCK = re.compile(r"(?::\d\d)?\s*(?:[ap]\.\s?m\b|[ap]m\b)", re.IGNORECASE)
_NEXT_FIGURE = re.compile(r"\b(?:\d|(?:" + "|".join(_NUMBER_WORDS) + r")\b)", re.IGNORECASE)
_CLAUSE_EDGE = re.compile(r"[,;:.()–—]|\band\b|\bwhile\b|\bbut\b")
# Rounding a writer may do without being wrong: "about 4,000" for 3,870.
ABOUT_TOLERANCE = 0.05


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence: ``text[start:end]`` is the figure and what it counts."""

    written: str
    value: float
    unit: str
    measure: str | None
    qualifier: Qualifier
    start: int
    end: int
    second_happening: bool = False

    @property
    def key(self) -> str:
        """What it measures: the measure its clause names, else the noun it counts."""
        key = self.measure or self.unit
        return f"{key} (second happening)" if self.second_happening else key


def find_figures(text: str) -> list[Figure]:
    """The counted figures of ``text``; years, days of a month, times of day, "No. 3" and a
    sentence's opening "One of..." count nothing and are left out."""
    found: list[Figure] = []
    for match in _NUMBER.finditer(text):
        currency, figure, scale, percent, following = match.groups()
        word = figure.lower()
        if word in _NUMBER_WORDS and not figure.islower() and following.split()[:1] == ["of"]:
            continue  # "One of the ..." opens a sentence, it counts nothing
        value = float(_NUMBER_WORDS[word] if word in _NUMBER_WORDS else figure.replace(",", ""))
        nouns = [] if percent or currency else _counted(following)
        unit = "%" if percent else (currency.strip() if currency else " ".join(nouns))
        before = text[max(0, match.start() - 24) : match.start()]
        end = match.end(4) if percent else (match.end(3) if scale else match.end(2))
        measure = _measure(text, match.start(), end, value)
        if (
            not (unit or measure)  # "19 October", "9.47 on Sunday": nothing counted
            or (1900 <= value < 2100 and "," not in figure and not scale and not percent)
            or _MONTH_OR_NUMBER_SIGN.search(before)  # "April 24", "No. 3"
            or _CLOCK.match(text, match.end(2))
        ):
            continue
        value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}.get((scale or "").lower(), 1)
        if nouns:
            # The figure's span runs to the last counted word, as written.
            end = match.end(2) + following.index(nouns[-1]) + len(nouns[-1])
        found.append(
            Figure(
                written=text[match.start() : end],
                value=value,
                # The head noun says what is counted: "league goals" and "goals" are goals.
                unit=stem(nouns[-1]) if nouns else unit,
                measure=measure,
                qualifier=_qualifier(before),
                start=match.start(),
                end=end,
                second_happening=_second_happening(text, match.start(), end),
            )
        )
    for match in _MEASURE_BEFORE.finditer(text):
        if not any(f.value == float(match[2]) for f in found):
            found.append(
                Figure(
                    written=match[0],
                    value=float(match[2]),
                    unit="magnitude",
                    measure="magnitude",
                    qualifier=_qualifier(text[max(0, match.start() - 24) : match.start()]),
                    start=match.start(),
                    end=match.end(),
                    second_happening=_second_happening(text, match.start(), match.end()),
                )
            )
    return found


def figures_agree(a: Figure, b: Figure) -> bool:
    """Whether two figures of one measure can both be true: equal, within rounding when
    either is approximate, or within the bound a "more than"/"up to" sets. Two bounds the
    same way ("at least nine" / "at least seven") are two tolls, compared as figures."""
    if a.qualifier == b.qualifier and a.qualifier in ("at least", "at most"):
        a, b = replace(a, qualifier="about"), replace(b, qualifier="about")
    low_a, high_a = _range(a)
    low_b, high_b = _range(b)
    return low_a <= high_b and low_b <= high_a


def _range(figure: Figure) -> tuple[float, float]:
    value = figure.value
    if figure.qualifier == "about":
        return value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)
    if figure.qualifier == "at least":
        return value, float("inf")
    if figure.qualifier == "at most":
        return float("-inf"), value
    return value, value


def _counted(following: str) -> list[str]:
    """The words naming what a figure counts: up to two lowercase content words right
    after it ("3,400 workers", "30 league matches"), or after "of the ..."'s ("4,000 of
    the port's workers"); none when another word comes first ("five after ...")."""
    words = following.split()
    if words[:1] == ["of"]:
        rest = words[1:]
        while rest and (rest[0] in ("the", "its", "their") or rest[0].endswith(("'s", "’s"))):
            rest = rest[1:]
        words = rest
    ignored = stop_words()
    counted = []
    for word in words[:2]:
        # A verb ends what is counted ("3,400 workers stopped"), unless it names the
        # measure itself ("57 injured"); a second word counts only as a plural head noun
        # ("30 league matches", "dock workers").
        if (
            not word.islower()
            or word in ignored
            or (word.endswith("ed") and word not in MEASURES)
            or (counted and not word.endswith("s"))
        ):
            break
        counted.append(word)
    return counted


def _qualifier(before: str) -> Qualifier:
    return next((q for pattern, q in _QUALIFIERS if pattern.search(before)), "exact")


def _measure(text: str, start: int, end: int, value: float) -> str | None:
    """The measure named in the figure's clause: four words before it or five after. A
    death named after the figure wins ("three hurt people died" counts deaths: of the
    injured, those who died since); a figure under ten before "quake" is its magnitude
    ("a 6.4 earthquake")."""
    before = _CLAUSE_EDGE.split(text[max(0, start - 30) : start])[-1]
    # The next figure starts a count of its own ("five after two injured people died").
    after = _NEXT_FIGURE.split(_CLAUSE_EDGE.split(text[end : end + 50])[0])[0]
    following = [MEASURES.get(w.lower()) for w in WORD.findall(after)[:5]]
    if "dead" in following:
        # "Two injured people died" counts those of the injured who died since, part of
        # the toll and not the toll itself.
        if "injured" in following[: following.index("dead")]:
            return LATER_DEATHS
        return "dead"
    if value < 10 and re.match(r"\s*(?:-?magnitude\s+)?(?:earth)?quake", after, re.IGNORECASE):
        return "magnitude"
    words = WORD.findall(after)[:5] + WORD.findall(before)[-4:][::-1]
    return next((MEASURES[w.lower()] for w in words if w.lower() in MEASURES), None)


def _second_happening(text: str, start: int, end: int) -> bool:
    before = _CLAUSE_EDGE.split(text[max(0, start - 40) : start])[-1]
    after = _CLAUSE_EDGE.split(text[end : end + 40])[0]
    return bool(_SECOND_HAPPENING.search(before) or _SECOND_HAPPENING.search(after))
