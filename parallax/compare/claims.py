"""Claims: what each article states, one sentence or clause at a time, with its anchors.

A claim is a sentence of the body, or a clause of a long one (a semicolon, a spaced
dash, ", while"), with what pins it to the world: the entities it names (canonical ids,
so two spellings are one anchor), the figures it gives and what they count, the dates
of what happened (a wire dateline's day of filing is not one; captions are not claims)
and its speaker when it is a quotation's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parallax.compare.model import Source
from parallax.model import Article, ArticleAnalysis, Mention
from parallax.text.dates import DateMention, dateline_end, find_dates
from parallax.text.figures import Figure, find_figures
from parallax.text.sentences import clause_spans, sentence_spans
from parallax.text.words import WORD

_CLOSING_MARKS = '"”’)'
_CLOSED = re.compile(rf"[.!?…:][{_CLOSING_MARKS}]*$")
_BULLET = "•*–—-· \t"


@dataclass
class Claim:
    """One claim of one article: ``text == article.text[start:end]``."""

    article_id: str
    outlet: str
    start: int
    end: int
    text: str
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # Who said it, when the claim is a quotation's words that do not name their speaker:
    # "Our members have waited long enough." is the union leader's, not the outlet's.
    speaker: str | None = None

    def source(self) -> Source:
        return Source(
            self.article_id, self.outlet, self.start, self.end, "text", self.text, self.speaker
        )

    @property
    def anchors(self) -> frozenset[str]:
        """The entities and countries it names, by canonical id."""
        found = {m.entity_id for m in self.mentions if m.entity_id}
        found |= {f"country:{m.country}" for m in self.mentions if m.country}
        return frozenset(found)

    def date_text(self, mention: DateMention) -> str:
        return self.text[mention.start : mention.end]


def split_claims(
    article: Article, outlet: str, analysis: ArticleAnalysis | None, min_words: int
) -> list[Claim]:
    """The claims of a body, in order: its sentences without headings and fragments
    (fewer than ``min_words`` words), a long sentence split into its clauses."""
    mentions = [m for m in analysis.mentions if m.field == "text"] if analysis else []
    body = article.text
    claims = []
    sentences = []
    for number, (start, end) in enumerate(sentence_spans(body)):
        sentence = body[start:end]
        # List bullets open a sentence without being part of it.
        start += len(sentence) - len(sentence.lstrip(_BULLET))
        if number == 0:
            start += dateline_end(body[start:end])
        sentence = body[start:end].strip()
        end = start + len(sentence)
        # A claim keeps the closing marks after its full stop ("… come back.”"), which the
        # sentence's span leaves out: what it quotes stays closed when shown alone.
        while end < len(body) and body[end] in _CLOSING_MARKS:
            end += 1
        sentences.append((start, end))
    quotations = [
        (q.start, q.end)
        for q in (analysis.quotes if analysis else [])
        if q.field == "text" and q.kind == "direct"
    ]
    for start, end in _statements(body, sentences, quotations):
        # A heading has no closing punctuation.
        if not _CLOSED.search(body[start:end]):
            continue
        for clause_start, clause_end in clause_spans(body, start, end):
            text = body[clause_start:clause_end]
            if len(WORD.findall(text)) < min_words:
                continue
            speaker = _quoted_speaker(analysis, clause_start, clause_end)
            claims.append(
                Claim(
                    article_id=article.id,
                    outlet=outlet,
                    start=clause_start,
                    end=clause_end,
                    text=text,
                    mentions=[m for m in mentions if clause_start <= m.start < clause_end],
                    figures=find_figures(text),
                    dates=find_dates(text),
                    speaker=speaker,
                )
            )
    return claims


def _statements(
    body: str, sentences: list[tuple[int, int]], quotations: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The sentences, those a quotation runs across joined into one within a paragraph:
    "“We are not asking for luxury. We are asking to live where we work,” the union
    leader said." is one speaker's statement, not a claim of the outlet's followed by a
    claim in half-open marks."""
    joined: list[tuple[int, int]] = []
    for start, end in sentences:
        if joined:
            previous_start, previous_end = joined[-1]
            across = any(q_start < previous_end and start < q_end for q_start, q_end in quotations)
            if across and "\n" not in body[previous_end:start]:
                joined[-1] = (previous_start, end)
                continue
        joined.append((start, end))
    return joined


def _quoted_speaker(analysis: ArticleAnalysis | None, start: int, end: int) -> str | None:
    """The speaker of the direct quote holding most of ``text[start:end]`` when the
    speaker's words lie outside it: the canonical name when the speaker is known, else
    the words ("a spokeswoman")."""
    if analysis is None:
        return None
    for quote in analysis.quotes:
        if quote.field != "text" or quote.kind != "direct" or not quote.speaker:
            continue
        inside = min(end, quote.end) - max(start, quote.start)
        named_within = quote.speaker_start is not None and start <= quote.speaker_start < end
        if inside >= 0.8 * (end - start) and not named_within:
            if quote.speaker_mention is not None:
                mention = analysis.mentions[quote.speaker_mention]
                return mention.canonical or mention.text
            return quote.speaker
    return None
