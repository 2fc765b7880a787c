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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from parallax.model import Article, ArticleAnalysis, EntityType, Mention, Quote, Resolution
from parallax.nlp.coref import link_within_article
from parallax.nlp.entities import find_descriptors, find_mentions
from parallax.nlp.quotes import find_quotes
from parallax.nlp.spacy_model import DEFAULT_MODEL, MODELS, load_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from parallax.resolve.knowledge import KnowledgeBase

BATCH_ARTICLES = 32
# Pronouns that stand for one person; "they" and "it" are as often groups or institutions.
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
# A speaker phrase names a person before an organisation before a place ("analysts from
# the Institute for the Study of War, a Washington think tank" speak for the institute).
_SPEAKER_PRIORITY = {"person": 0, "organisation": 1, "place": 2}


def article_fields(article: Article) -> list[tuple[str, str]]:
    """(field name, string) pairs the analysis reads, body first."""
    fields = [("text", article.text)]
    fields += [(f"caption:{n}", caption) for n, caption in enumerate(article.captions)]
    return fields


def analyze_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = BATCH_ARTICLES,
    n_process: int = 1,
) -> Iterator[ArticleAnalysis]:
    """Mentions and quotes of every article, streamed in the input order."""
    nlp = load_pipeline(model)
    model_name = MODELS.get(model, model)
    iterator = iter(articles)
    while batch := list(islice(iterator, batch_size)):
        fields = [article_fields(article) for article in batch]
        texts = [text for article_fields_ in fields for _, text in article_fields_]
        docs = iter(nlp.pipe(texts, batch_size=64, n_process=n_process))
        for article, article_fields_ in zip(batch, fields, strict=True):
            parsed = {name: next(docs) for name, _ in article_fields_}
            yield analyze_docs(article.id, parsed, model_name)


def analyze_docs(article_id: str, docs: dict[str, Doc], model: str = "") -> ArticleAnalysis:
    """The analysis of one article from its parsed fields ({field: Doc}, body first)."""
    candidates: list[Mention] = []
    quotes: list[Quote] = []
    texts = {field: doc.text for field, doc in docs.items()}
    for field, doc in docs.items():
        candidates += find_mentions(doc, field)
        candidates += find_descriptors(doc, field)
        found = find_quotes(doc, field, texts[field])
        candidates += speaker_names(doc, found, candidates)
        quotes += found
    mentions = link_within_article(candidates, texts)
    linked = [link_speaker(quote, mentions) for quote in quotes]
    return ArticleAnalysis(article_id, tuple(mentions), tuple(linked), model)


def speaker_names(doc: Doc, quotes: Sequence[Quote], known: Sequence[Mention]) -> list[Mention]:
    """Names that speak but that the entity model missed ("…, Vedmosti reported."): a
    speaker written as a proper name is somebody. A known person or organisation of the
    knowledge base decides the type; else one word is taken for an organisation (an outlet
    or agency reporting) and several for a person, and in-article linking corrects a lone
    surname of a person named earlier."""
    found: list[Mention] = []
    for quote in quotes:
        if quote.speaker_start is None or quote.speaker_end is None:
            continue
        if any(
            m.field == quote.field and m.start < quote.speaker_end and quote.speaker_start < m.end
            for m in [*known, *found]
        ):
            continue
        span = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="contract")
        if span is None:
            continue
        words = [t for t in span if t.lower_ not in ("the", "a", "an")]
        if not 0 < len(words) <= 4 or not all(t.pos_ == "PROPN" and t.is_title for t in words):
            continue
        name = doc[words[0].i : words[-1].i + 1]
        found.append(
            Mention(
                text=name.text,
                type=_speaker_type(name.text, len(words)),
                start=name.start_char,
                end=name.end_char,
                field=quote.field,
            )
        )
    return found


def _speaker_type(name: str, words: int) -> EntityType:
    kb = default_knowledge_base()
    for entity_type in ("person", "organisation"):
        if kb.link(name, entity_type) is not None:
            return entity_type  # type: ignore[return-value]
    return "organisation" if words == 1 else "person"


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    # Imported here: parallax.resolve reads parallax.nlp's word lists, not the other way round.
    from parallax.resolve.knowledge import load_knowledge_base

    return load_knowledge_base()


def analyze_texts(texts: Sequence[str], *, model: str = DEFAULT_MODEL) -> list[ArticleAnalysis]:
    """Analyse bare strings as one-field articles (benchmarks, quick experiments)."""
    nlp = load_pipeline(model)
    return [
        analyze_docs(str(n), {"text": doc}, MODELS.get(model, model))
        for n, doc in enumerate(nlp.pipe(texts, batch_size=64))
    ]


def link_speaker(quote: Quote, mentions: Sequence[Mention]) -> Quote:
    """Point a quote at the mention its speaker is: the person or organisation named in the
    speaker's words, or for a pronoun ("he said") the nearest person named before it."""
    if quote.speaker_start is None or quote.speaker_end is None:
        return quote
    inside = [
        (i, m)
        for i, m in enumerate(mentions)
        if m.field == quote.field and quote.speaker_start <= m.start < quote.speaker_end
    ]
    index: int | None = None
    if inside:
        index = min(inside, key=lambda pair: (_SPEAKER_PRIORITY[pair[1].type], pair[1].start))[0]
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
