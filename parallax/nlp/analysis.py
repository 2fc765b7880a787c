"""One article's analysis: parse each field, find mentions and quotes, connect them.

The fields are the clean body (``"text"``) and every caption (``"caption:N"``):
a caption naming "Uzbek President Shavkat Mirziyoyev" at the parade is evidence
too. Photo credits are never analysed. spaCy parses all fields of a batch of
articles in one ``nlp.pipe`` stream (``n_process`` worker processes if asked),
then small components run per article:

    find_mentions + find_descriptors   (parallax.nlp.entities)
    link_within_article                (parallax.nlp.coref)
    find_quotes                        (parallax.nlp.quotes)
    speaker linking                    (here: the speaker's words -> a mention)

What is parsed of one article is bounded (``AnalysisLimits``): parsing time and memory
grow with the text, and the cleaner accepts a million characters. A longer field is
analysed up to a paragraph or sentence boundary and the analysis names it in
``ArticleAnalysis.truncated``; mentions and quotes then all lie in the analysed part.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from parallax.model import (
    Article,
    ArticleAnalysis,
    EntityType,
    Mention,
    Quote,
    QuoteThresholds,
    Resolution,
)
from parallax.nlp.coref import link_within_article
from parallax.nlp.entities import find_descriptors, find_mentions
from parallax.nlp.entity_types import TypeModel, load_type_model
from parallax.nlp.quotes import CONFIDENCE_MODEL, find_quotes, is_transcript_turn
from parallax.nlp.spacy_model import DEFAULT_MODEL, MODELS, load_pipeline
from parallax.text.words import name_key

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from parallax.lexicon.knowledge import KnowledgeBase

BATCH_ARTICLES = 32


@dataclass(frozen=True)
class AnalysisLimits:
    """How much of one article the language analysis reads; ``None`` reads it all.

    ``max_chars`` bounds the body, ``max_caption_chars`` all captions together (after the
    body: a caption longer than the budget left is cut, the ones after it are skipped).
    A field is cut at the last paragraph break, else line break, else sentence end, else
    space in the second half of its budget, so no sentence is parsed half.

    Evidence (``benchmarks/bounds.py``, docs/benchmarks.md, "Bounds on one article"):
    time and peak memory grow with the text (memory about 3.5 MB per 1,000 characters
    above the loaded model's 170 MB, time a little faster than the length): 100,000
    characters took 4.2 s and 560 MB, a 980,000-character article 91 s and 3.3 GB.
    Real news is far shorter: the longest of 621 L3S-GN1 bodies has 19,053 characters
    and of 181 article-extraction bodies 53,372 (medians 2,069 and 3,158), so 100,000
    cuts no real article. Captions are a sentence or two each; 10,000 characters is
    dozens of them.
    """

    max_chars: int | None = 100_000
    max_caption_chars: int | None = 10_000


DEFAULT_LIMITS = AnalysisLimits()
_CONFIDENCE = json.loads(CONFIDENCE_MODEL.read_text(encoding="utf-8"))
# The confidence a quote needs to be listed by default (``parallax quotes``, the API, an
# entity's page), chosen with the weights on PolNeAR train and kept beside them
# (docs/benchmarks.md, "Quote confidence"): a quotation in marks credited to a speaker
# needs the lowest at which such quotations are right, speaker included, nine times in
# ten; every other quote the lowest at which all the quotes kept are. An explicit
# ``--min-confidence`` is one threshold for all; 0 lists every quote found.
DEFAULT_QUOTE_THRESHOLDS = QuoteThresholds(
    reported=_CONFIDENCE["default_min_confidence"],
    credited_quotation=_CONFIDENCE["credited_quotation_min_confidence"],
)
MIN_QUOTE_CONFIDENCE: float = DEFAULT_QUOTE_THRESHOLDS.reported
# Where a field may be cut, the best first: a paragraph, a line, a sentence, a word.
_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?…][\"'”’)\]]*\s"))
# Pronouns that stand for one person; "they" and "it" are as often groups or institutions.
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
# A speaker phrase names a person before an organisation before a place ("analysts from
# the Institute for the Study of War, a Washington think tank" speak for the institute).
_SPEAKER_PRIORITY = {"person": 0, "organisation": 1, "place": 2}


def bounded_fields(
    article: Article, limits: AnalysisLimits = DEFAULT_LIMITS
) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """The fields the analysis reads within ``limits``, each a prefix of the article's
    (so offsets into it hold), and the names of the fields cut or skipped."""
    fields: list[tuple[str, str]] = []
    truncated: list[str] = []
    budget = limits.max_caption_chars
    for name, text in article.text_fields():
        limit = limits.max_chars if name == "text" else budget
        if limit is not None and len(text) > limit:
            truncated.append(name)
            if limit <= 0:
                continue
            text = cut(text, limit)
        if name != "text" and budget is not None:
            # Cut, a caption spends what is left: the captions after it are skipped.
            budget = 0 if truncated and truncated[-1] == name else budget - len(text)
        fields.append((name, text))
    return fields, tuple(truncated)


def cut(text: str, limit: int) -> str:
    """The start of ``text`` up to ``limit`` characters, ending at the last paragraph
    break, else line break, else sentence end, else space in the second half of that."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for boundary in _BOUNDARIES:
        ends = [match.end() for match in boundary.finditer(head, limit // 2)]
        if ends:
            return head[: ends[-1]].rstrip()
    space = head.rfind(" ", limit // 2)
    return head[:space] if space > 0 else head


def analyze_articles(
    articles: Iterable[Article],
    *,
    knowledge: KnowledgeBase,
    model: str = DEFAULT_MODEL,
    batch_size: int = BATCH_ARTICLES,
    n_process: int = 1,
    limits: AnalysisLimits = DEFAULT_LIMITS,
) -> Iterator[ArticleAnalysis]:
    """Mentions and quotes of every article, streamed in the input order; each article
    read within ``limits``. ``knowledge`` types the speakers the entity model missed."""
    nlp = load_pipeline(model)
    model_name = MODELS.get(model, model)
    iterator = iter(articles)
    while batch := list(islice(iterator, batch_size)):
        bounded = [bounded_fields(article, limits) for article in batch]
        texts = [text for fields, _ in bounded for _, text in fields]
        _fit(nlp, texts)
        docs = iter(nlp.pipe(texts, batch_size=64, n_process=n_process))
        for article, (fields, truncated) in zip(batch, bounded, strict=True):
            parsed = {name: next(docs) for name, _ in fields}
            yield analyze_docs(article.id, parsed, knowledge, model_name, truncated)


def _fit(nlp: Language, texts: Sequence[str]) -> None:
    """Let spaCy take texts longer than its guard (``nlp.max_length``, set to the default
    limit) when limits chosen by the caller allow them; the guard stays raised."""
    longest = max(map(len, texts), default=0)
    if longest > nlp.max_length:
        nlp.max_length = longest


def analyze_docs(
    article_id: str,
    docs: dict[str, Doc],
    knowledge: KnowledgeBase,
    model: str = "",
    truncated: tuple[str, ...] = (),
    type_model: TypeModel | None = None,
) -> ArticleAnalysis:
    """The analysis of one article from its parsed fields ({field: Doc}, body first);
    ``truncated`` names the fields parsed only in part. ``type_model`` types the names
    (``parallax.nlp.entity_types``; the shipped weights when None)."""
    type_model = type_model or load_type_model()
    candidates: list[Mention] = []
    quotes: list[Quote] = []
    texts = {field: doc.text for field, doc in docs.items()}
    for field, doc in docs.items():
        candidates += _known_types(find_mentions(doc, field, type_model), knowledge)
        candidates += find_descriptors(doc, knowledge, field)
        found = find_quotes(doc, field, texts[field])
        candidates = _turn_speakers_are_people(candidates, found)
        candidates += speaker_names(doc, found, candidates, knowledge)
        quotes += found
    mentions = link_within_article(candidates, texts)
    linked = [link_speaker(quote, mentions, docs.get(quote.field)) for quote in quotes]
    return ArticleAnalysis(article_id, tuple(mentions), tuple(linked), model, truncated)


def _known_types(mentions: list[Mention], knowledge: KnowledgeBase) -> list[Mention]:
    """Names the knowledge base knows exactly, under one type, take that type: "in
    Politico" is the outlet, though the sentence reads like a place."""
    typed = []
    for mention in mentions:
        known = knowledge.known_type(mention.text)
        if known is not None and known != mention.type:
            mention = replace(mention, type=known, role=None, affiliation=None, country=None)
        typed.append(mention)
    return typed


def _turn_speakers_are_people(mentions: list[Mention], quotes: Sequence[Quote]) -> list[Mention]:
    """A transcript's speaker label names a person, whatever the model took the capitals
    for ("BRANDAUER" is no organisation)."""
    labels = {(q.field, q.speaker_start, q.speaker_end) for q in quotes if is_transcript_turn(q)}
    return [
        replace(m, type="person", role=None, affiliation=None, country=None)
        if (m.field, m.start, m.end) in labels and m.type != "person"
        else m
        for m in mentions
    ]


def speaker_names(
    doc: Doc, quotes: Sequence[Quote], known: Sequence[Mention], knowledge: KnowledgeBase
) -> list[Mention]:
    """Names that speak but that the entity model missed ("…, Vedmosti reported."): a
    speaker written as a proper name is somebody. A known person or organisation of the
    knowledge base decides the type; else one word is taken for an organisation (an outlet
    or agency reporting) and several for a person, and in-article linking corrects a lone
    surname of a person named earlier. Only a quote credible enough to be listed
    (``DEFAULT_QUOTE_THRESHOLDS``) makes its speaker somebody: "Ministers also backed a
    code" is no speech, and "Ministers" no name."""
    found: list[Mention] = []
    for quote in quotes:
        if quote.speaker_start is None or quote.speaker_end is None:
            continue
        if not DEFAULT_QUOTE_THRESHOLDS.keeps(quote):
            continue
        if any(
            m.field == quote.field and m.start < quote.speaker_end and quote.speaker_start < m.end
            for m in [*known, *found]
        ):
            continue
        span = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="contract")
        if span is None:
            continue
        turn = is_transcript_turn(quote)  # a transcript's label names who spoke, in capitals
        words = [t for t in span if t.lower_ not in ("the", "a", "an")]
        if not turn and (
            not 0 < len(words) <= 4 or not all(t.pos_ == "PROPN" and t.is_title for t in words)
        ):
            continue
        name = doc[words[0].i : words[-1].i + 1]
        found.append(
            Mention(
                text=name.text,
                type="person" if turn else _speaker_type(name.text, len(words), knowledge),
                start=name.start_char,
                end=name.end_char,
                field=quote.field,
            )
        )
    return found


def _speaker_type(name: str, words: int, knowledge: KnowledgeBase) -> EntityType:
    for entity_type in ("person", "organisation"):
        if knowledge.link(name, entity_type) is not None:
            return entity_type  # type: ignore[return-value]
    return "organisation" if words == 1 else "person"


def analyze_texts(
    texts: Sequence[str],
    *,
    knowledge: KnowledgeBase,
    model: str = DEFAULT_MODEL,
    limits: AnalysisLimits = DEFAULT_LIMITS,
) -> list[ArticleAnalysis]:
    """Analyse bare strings as one-field articles (benchmarks, quick experiments)."""
    nlp = load_pipeline(model)
    limit = limits.max_chars
    bounded = [text if limit is None else cut(text, limit) for text in texts]
    _fit(nlp, bounded)
    return [
        analyze_docs(
            str(n),
            {"text": doc},
            knowledge,
            MODELS.get(model, model),
            ("text",) if len(doc.text) < len(text) else (),
        )
        for n, (doc, text) in enumerate(zip(nlp.pipe(bounded, batch_size=64), texts, strict=True))
    ]


def link_speaker(quote: Quote, mentions: Sequence[Mention], doc: Doc | None = None) -> Quote:
    """Point a quote at the mention its speaker is: the person or organisation named in the
    speaker's words (a place only when the words are its name alone, a person only when
    the name qualifies no other of those words: ``doc``, the parse of the quote's field,
    tells), or for a pronoun ("he said") the nearest person named before it."""
    if quote.speaker_start is None or quote.speaker_end is None:
        return quote
    inside = [
        (_qualifies(quote, m, doc), i, m)
        for i, m in enumerate(mentions)
        if m.field == quote.field
        and quote.speaker_start <= m.start < quote.speaker_end
        # A place speaks only as itself ("Ukraine said"); in "energy ministers from the
        # countries around the Baltic Sea" it is where the speakers come from.
        and (m.type != "place" or name_key(quote.speaker or "") == name_key(m.text))
    ]
    # A person who qualifies another word is not the one speaking: in "Zhuravskyi's agent,
    # Vitaliy Moroz" or "Trump campaign spokesman Jason Miller" the agent and the
    # spokesman speak, and "the Clinton campaign" is not Clinton. An organisation may
    # speak through its people ("Pontica Terminals spokeswoman …"), after any other name.
    candidates = [c for c in inside if not (c[0] and c[2].type == "person")]
    index: int | None = None
    if candidates:
        index = min(candidates, key=lambda c: (c[0], _SPEAKER_PRIORITY[c[2].type], c[2].start))[1]
    elif (quote.speaker or "").lower() in _PERSON_PRONOUNS:
        before = [
            i
            for i, m in enumerate(mentions)
            if m.field == quote.field and m.type == "person" and m.end <= quote.speaker_start
        ]
        index = before[-1] if before else None
    if index is None:
        return quote
    full = _full_mention(index, mentions)
    return replace(quote, speaker_mention=full, speaker_role=mentions[full].role)


def _qualifies(quote: Quote, mention: Mention, doc: Doc | None) -> bool:
    """Whether a name in the speaker's words qualifies another of them: a possessive
    ("Zhuravskyi's agent") or, by the parse, a modifier ("the Clinton campaign"; not
    "Joel Pollak of Breitbart" or "Obama himself")."""
    after = (quote.speaker or "")[mention.end - (quote.speaker_start or 0) :]
    if re.match(r"['’]s?\b", after):
        return True
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand") if doc else None
    if span is None:
        return False
    root = span.root
    return (
        root.dep_ in ("compound", "poss", "nmod", "amod")
        and not span.start <= root.head.i < span.end
        and mention.end <= root.head.idx < (quote.speaker_end or 0)
        # A name cut at its hyphen ("Ban Ki" of "Ban Ki-moon") is not a modifier of its rest.
        and not doc.text.startswith("-", mention.end)
    )


def _full_mention(index: int, mentions: Sequence[Mention]) -> int:
    """Follow short forms and descriptors back to the full name they stand for."""
    seen = {index}
    while (target := mentions[index].refers_to) is not None and target not in seen:
        seen.add(target)
        index = target
    return index


def apply_resolution(analysis: ArticleAnalysis, resolution: Resolution) -> ArticleAnalysis:
    """The analysis with every mention and quote speaker carrying its canonical entity."""
    names = {entity.id: entity.canonical for entity in resolution.entities}
    mentions = []
    for index, mention in enumerate(analysis.mentions):
        entity_id = resolution.links.get((analysis.article_id, index))
        mentions.append(replace(mention, entity_id=entity_id, canonical=names.get(entity_id or "")))
    quotes = [
        replace(quote, speaker_entity_id=mentions[quote.speaker_mention].entity_id)
        if quote.speaker_mention is not None
        else quote
        for quote in analysis.quotes
    ]
    return replace(analysis, mentions=tuple(mentions), quotes=tuple(quotes))
