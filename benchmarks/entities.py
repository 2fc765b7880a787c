"""Entity typing on ECB+ (issue 25): Parallax's people, organisations and places beside
bare spaCy, and the people a story shows twice.

Run from the repository root::

    .venv/bin/python benchmarks/entities.py                    # every topic, ~2 min
    .venv/bin/python benchmarks/entities.py --topics 1-12 --json /tmp/entities.json
    .venv/bin/python benchmarks/entities.py --systems parallax
    .venv/bin/python benchmarks/entities.py --record-gates     # tests/test_entities_gate.py

Data: ECB+ (Cybulska & Vossen, LREC 2014) in ``--data`` (``../shared/eval/ecbplus``), read
as ``benchmarks/stories.py`` reads it (``load_ecbplus``: tokens joined back into text, one
line per sentence, the URL sentence of ``*ecbplus.xml`` dropped). Each text goes through
Parallax as ``Corpus.run`` takes a text file: ``clean_document``, ``analyze_articles``,
then ``resolve_entities`` over every document of the run and ``apply_resolution``. Bare
spaCy is the model package Parallax loads (``parallax.nlp.MODELS``), loaded as it ships
(without the sentence-break component Parallax adds), ``nlp(text).ents`` on the same
cleaned text: PERSON is a person, ORG an organisation, GPE, LOC and FAC a place; NORP and
the rest are no entity.

Gold: named mentions only
-------------------------
ECB+ marks the participants, places and times of the events it annotates, named or not
("the actress", "police"), and only in some sentences, so it is no complete entity gold.
Only its *named* mentions of four tags are scored, each by the rule below (no model
decides it, so both systems face the same gold):

* rows: ``person`` = HUMAN_PART_PER; ``organisation`` = HUMAN_PART_ORG; ``place`` =
  HUMAN_PART_GPE (a country or state taking part: Parallax calls countries places) and
  LOC_GEO; ``facility`` = LOC_FAC, expected a place (Parallax types spaCy's FAC a place)
  but shown on its own row and left out of "overall", as a named building ("Betty Ford
  Center", "Promises") is as often the institution in it. HUMAN_PART_MET (metonymy:
  "Hollywood", "CNN"), HUMAN_PART_VEH, NON_HUMAN_PART and the generic tags are not scored.
* a *name token* starts with a capital, has two letters or more and is no function word
  ("He", "The", "In"); at the start of a sentence (or of a quotation) it must also be
  written capitalised mid-sentence somewhere in the corpus and not mostly lowercase there
  ("Lohan said" counts, "Police said" does not).
* a *name* is a run of name tokens, with "of", "de", "la", "van", "al", "bin", ".", "-"
  or "&" allowed between two of them ("Gulf of Aden", "George W . Bush"). A name of one
  word is none when the corpus mostly writes that word lowercase ("the President",
  "Police"), or it is a title ("CEO") or a nationality ("an American": Parallax's word
  lists; both Parallax and spaCy give these no entity by design).
* a person, organisation or participating place is named when the last word of its
  mention (a possessive 's aside) ends a name: "Lindsay Lohan", "The Associated Press"
  (scored as "Associated Press"), not "Lohan's lawyer" or "Bush administration". The
  gold span is that last name.
* a place or facility mention (often a whole phrase, "on a mountain in New Zealand",
  "clinic in Bayou La Batre , Ala") gives one gold mention per name inside it.
* sentences written in capitals or title case (headlines: more than half their words
  capitalised, two of them common words the corpus otherwise writes lowercase) say
  nothing about names; their mentions are counted as "not judged" and left out.

Scores
------
Spans are compared as character overlaps on the text the analysis read (the article text
after cleaning). Gold mentions the cleaner moved out of it (a headline taken as the title,
a dateline, boilerplate, or the whole document refused) are "not in text", reported by
reason: Parallax never sees them.

* ``found``: a system mention of the row's type overlaps the gold name; ``other type``:
  only mentions of another type do (the confusions are listed); ``missed``: none does.
* ``R`` = found / gold in text; ``R e2e`` = found / all gold (what the cleaner dropped
  counted as missed); ``type acc`` = found / (found + other type); ``exact`` = the found
  whose mention of the row's type has exactly the gold name's span (the hidden check of
  issue 25 scores exact spans; ECB+ keeps courtesy titles, "Mr. LaRue", which Parallax
  cuts, so 1.0 is not the aim).
* Precision is only defined where ECB+ looked: a system mention of a type, in a sentence
  with at least one markable of any kind, that overlaps a scored gold name is *judged*;
  ``P`` = the judged ones whose gold has its type. So ``P`` measures typing seen from
  the system's side (overall it is close to ``type acc``); which names a system invents
  cannot be told from this gold. ``F1`` = the harmonic mean of ``P`` and ``R``.
* A system mention in an annotated sentence that overlaps no markable at all is
  *unannotated* (counted, not called false: ECB+ annotates only the participants of its
  events); one overlapping only unscored markables ("Bush administration", a vehicle, an
  award ceremony) is ``other``; both are listed by tag to show what a system names there.
* Parallax's mentions are its names and short forms ("Lohan" for "Lindsay Lohan");
  descriptors ("the actress") are not names and are left out.

People shown twice
------------------
For each gold event (topic + ecb or ecbplus) the person entities Parallax resolved its
documents' mentions to (distinct entity ids); a person whose canonical name is one word
equal to the first or last word of another person's longer name in the same event
("Obama" beside "Barack Obama") is *shown twice*; so is one whose canonical name another
entity of the event also has. Counted twice: over the resolved entities, and over the
participants a comparison of the event would show, where one person is one participant
(``parallax.compare`` folds a lone name that fits exactly one person named in full,
``lexicon.names.person_owners``).

One person, one participant, against the annotators
-------------------------------------------------
ECB+ ties the mentions of one person across a topic's documents (``CROSS_DOC_COREF``:
its instance of ``HUMAN_PART_PER``). Each found gold name of a person with an instance is
paired with the Parallax person mention over it, and so with an entity and the
participant a comparison of its event would show. Per event: gold people *split* over
two or more participants, participants *merged* from two or more gold people, and
pairwise precision and recall of "one participant" against "one person" (pairs of found
names within an event). Markables in no coreference relation are left out: ECB+ does not
say who they are.

``--record-gates`` measures topics ``GATE_TOPICS`` and writes
``benchmarks/data/entity_gates.json`` (counts and ratios only, no text), which
tests/test_entities_gate.py checks against.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stories import (
    DEFAULT_DATA,
    REPO_ROOT,
    Document,
    code_version,
    load_ecbplus,
    parse_topic_spec,
)

GATES_FILE = REPO_ROOT / "benchmarks/data/entity_gates.json"
GATE_TOPICS = "1-4"
GATE_TOLERANCE = 0.01  # a gated figure may fall this far below the recorded one, no further
GATE_COMMAND = ".venv/bin/python benchmarks/entities.py --record-gates"
SYSTEMS = ("parallax", "spacy")

# Gold rows: the ECB+ tags each stands for, and the Parallax type it expects.
ROW_TAGS: dict[str, tuple[str, ...]] = {
    "person": ("HUMAN_PART_PER",),
    "organisation": ("HUMAN_PART_ORG",),
    "place": ("HUMAN_PART_GPE", "LOC_GEO"),
    "facility": ("LOC_FAC",),
}
ROW_TYPE = {
    "person": "person",
    "organisation": "organisation",
    "place": "place",
    "facility": "place",
}
OVERALL_ROWS = ("person", "organisation", "place")
TAG_ROW = {tag: row for row, tags in ROW_TAGS.items() for tag in tags}
# Tags whose whole mention is the participant, so its last word must end a name; the
# location tags are phrases with names inside ("in Queens").
HEADED_TAGS = {"HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE"}
SPACY_TYPES = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}

_FILE_RE = re.compile(r"^(\d+)_(\d+)(ecb|ecbplus)\.xml$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are no names wherever they stand (a pronoun or determiner
# starting a mention, a preposition starting a location phrase).
_FUNCTION_WORDS = _words(
    """
    a an the he she it they we you i his her its their our your my this that these those
    in on at of for from to by with near between inside into and or but as after before
    there here who which what when where us him them me
    """
)
# What may stand between two name tokens inside one name.
_PARTICLES = _words("of de del da di la le van von der al bin . - &")
_OPENERS = frozenset({'"', "“", "``", "'", "‘", "(", "[", ":", "--", "-"})
_POSSESSIVE = re.compile(r"(?:['’](?:s|m|d|re|ve|ll)|['’])$")


# ------------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class Token:
    """One corpus token and where it stands in the document's text (``start`` is None
    for the URL sentence ``load_ecbplus`` leaves out)."""

    t_id: int
    sentence: int
    text: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class GoldName:
    """A scored gold mention: the name part of an ECB+ mention, in raw-text offsets."""

    row: str
    tag: str
    start: int
    end: int
    text: str
    sentence: int
    # Who or what it is across the topic's documents: the annotators' cross-document
    # instance (``CROSS_DOC_COREF``'s note), a chain of this document; "" when the
    # markable is in no coreference relation (not annotated for it, not a person alone).
    instance: str = ""


@dataclass
class GoldDocument:
    """One document's text and everything the scorer needs from its annotation."""

    doc: Document
    names: list[GoldName]
    not_judged: Counter[str]
    markables: list[tuple[int, int, str]]  # raw span and tag of every markable
    annotated: dict[int, tuple[int, int]]  # raw span of every sentence with a markable

    @property
    def event(self) -> str:
        return self.doc.gold


def ecbplus_files(data: Path) -> dict[str, Path]:
    """Every ECB+ file under ``data`` by its stem, in the layouts ``load_ecbplus`` reads."""
    found: dict[str, Path] = {}
    for pattern in ("ECB+/*/*.xml", "*/*.xml", "*.xml"):
        for path in sorted(data.glob(pattern)):
            if _FILE_RE.match(path.name):
                found.setdefault(path.stem, path)
    return found


def read_tokens(path: Path) -> tuple[ET.Element, list[ET.Element]]:
    root = ET.parse(path).getroot()
    return root, sorted(root.iter("token"), key=lambda t: int(t.get("t_id", "0")))


def align_tokens(doc: Document, elements: Sequence[ET.Element]) -> list[Token]:
    """Each token's offsets in ``doc.text``. The text is the tokens in order with some
    spaces left out (``detokenize``), so each is found after the previous one with only
    whitespace between."""
    tokens: list[Token] = []
    cursor = 0
    for element in elements:
        text = element.text or ""
        sentence = int(element.get("sentence", "0"))
        start: int | None = None
        if text and not (doc.kind == "ecbplus" and sentence == 0):
            found = doc.text.find(text, cursor)
            if found >= 0 and not doc.text[cursor:found].strip():
                start, cursor = found, found + len(text)
        end = None if start is None else start + len(text)
        tokens.append(Token(int(element.get("t_id", "0")), sentence, text, start, end))
    return tokens


def _word(text: str) -> str:
    return _POSSESSIVE.sub("", text)


def _is_capitalised(text: str) -> bool:
    word = _word(text)
    letters = sum(c.isalpha() for c in word)
    return letters >= 2 and word[:1].isupper() and word.casefold() not in _FUNCTION_WORDS


def _initial_positions(sentence: Sequence[Token]) -> set[int]:
    """Positions (in the sentence) where any word is capitalised: its first word and the
    first word after an opening quote, bracket or colon."""
    initial: set[int] = set()
    expect = True
    for i, token in enumerate(sentence):
        if token.text in _OPENERS:
            expect = True
        elif any(c.isalpha() for c in token.text):
            if expect:
                initial.add(i)
            expect = False
    return initial


@dataclass
class Lexicon:
    """How the corpus writes each word mid-sentence: capitalised or lowercase."""

    upper: Counter[str] = field(default_factory=Counter)
    lower: Counter[str] = field(default_factory=Counter)

    def add(self, sentence: Sequence[Token]) -> None:
        if _in_capitals(sentence):
            return
        initial = _initial_positions(sentence)
        for i, token in enumerate(sentence):
            word = _word(token.text)
            if i in initial or not word[:1].isalpha():
                continue
            (self.upper if word[0].isupper() else self.lower)[word.casefold()] += 1

    def common(self, word: str) -> bool:
        """Mostly written lowercase: a common word, whatever case it has here."""
        key = _word(word).casefold()
        return self.lower[key] > self.upper[key]

    def lone_name(self, word: str) -> bool:
        """A name on its own: not a common word capitalised ("the President", "People"),
        a title ("CEO") or a nationality ("an American"), which Parallax gives no entity
        by design (its word lists) and spaCy calls NORP."""
        from parallax.lexicon.countries import country_from_name, country_from_word
        from parallax.lexicon.roles import is_title

        word = _word(word)
        nationality = country_from_word(word) and not country_from_name(word)
        return not (self.common(word) or is_title(word) or nationality)

    def name_like(self, word: str) -> bool:
        """Written capitalised mid-sentence, and not mostly lowercase."""
        key = _word(word).casefold()
        return self.upper[key] > 0 and self.upper[key] >= self.lower[key]


def _in_capitals(sentence: Sequence[Token]) -> bool:
    words = [t.text for t in sentence if sum(c.isalpha() for c in t.text) >= 2]
    caps = [w for w in words if w.isupper()]
    return len(caps) >= 3 and 2 * len(caps) >= len(words)


def _in_title_case(sentence: Sequence[Token], lexicon: Lexicon) -> bool:
    initial = _initial_positions(sentence)
    words = [
        (i, t.text)
        for i, t in enumerate(sentence)
        if i not in initial and sum(c.isalpha() for c in t.text) >= 2
    ]
    capitalised = [w for _, w in words if w[:1].isupper()]
    common = [w for w in capitalised if lexicon.common(w)]
    return 2 * len(capitalised) > len(words) and len(common) >= 2


def _name_tokens(sentence: Sequence[Token], lexicon: Lexicon) -> list[bool]:
    initial = _initial_positions(sentence)
    return [
        _is_capitalised(t.text) and (i not in initial or lexicon.name_like(t.text))
        for i, t in enumerate(sentence)
    ]


def _name_runs(is_name: Sequence[bool], sentence: Sequence[Token]) -> list[tuple[int, int]]:
    """Runs ``[first, last]`` of name tokens, particles allowed between two of them."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(sentence):
        if not is_name[i]:
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < len(sentence):
            if is_name[j]:
                last = j
            elif sentence[j].text.casefold() not in _PARTICLES:
                break
            j += 1
        runs.append((first, last))
        i = last + 1
    return runs


def gold_names(
    tag: str, positions: Sequence[int], sentence: Sequence[Token], is_name: Sequence[bool]
) -> list[tuple[int, int]]:
    """The scored names of one mention (its token positions in its sentence), as
    ``[first, last]`` positions: see the module's docstring."""
    inside = set(positions)
    runs = [
        (max(first, min(inside)), min(last, max(inside)))
        for first, last in _name_runs(is_name, sentence)
        if inside & set(range(first, last + 1))
    ]
    runs = [(a, b) for a, b in runs if is_name[a] and is_name[b]]
    if tag not in HEADED_TAGS:
        return runs
    words = [p for p in sorted(inside) if any(c.isalpha() for c in _word(sentence[p].text))]
    if not words or not is_name[words[-1]]:
        return []
    return [run for run in runs if run[1] == words[-1]]


def read_gold(
    path: Path, doc: Document, lexicon: Lexicon, parsed: tuple[ET.Element, list[ET.Element]]
) -> GoldDocument:
    root, elements = parsed
    tokens = align_tokens(doc, elements)
    by_id = {t.t_id: t for t in tokens}
    sentences: dict[int, list[Token]] = defaultdict(list)
    for token in tokens:
        if token.start is not None:
            sentences[token.sentence].append(token)
    place = {t.t_id: (t.sentence, i) for s in sentences.values() for i, t in enumerate(s)}
    unjudged = {s for s, toks in sentences.items() if _in_capitals(toks)}
    unjudged |= {s for s, toks in sentences.items() if _in_title_case(toks, lexicon)}
    is_name = {s: _name_tokens(toks, lexicon) for s, toks in sentences.items()}

    names: list[GoldName] = []
    not_judged: Counter[str] = Counter()
    markables: list[tuple[int, int]] = []
    annotated: set[int] = set()
    seen: set[tuple[str, int, int]] = set()
    instance_of = _instances(root, doc.doc_id)
    found = root.find("Markables")
    for markable in [] if found is None else list(found):
        anchored = [by_id.get(int(a.get("t_id", "0"))) for a in markable.iter("token_anchor")]
        kept = [t for t in anchored if t is not None and t.t_id in place]
        if not kept:
            continue
        for sentence_no in {place[t.t_id][0] for t in kept}:
            annotated.add(sentence_no)
        first, last = min(t.start for t in kept), max(t.end for t in kept)  # type: ignore[type-var]
        markables.append((first, last, markable.tag))
        row = TAG_ROW.get(markable.tag)
        if row is None:
            continue
        sentence_no = place[kept[0].t_id][0]
        sentence = sentences[sentence_no]
        positions = [place[t.t_id][1] for t in kept if place[t.t_id][0] == sentence_no]
        for first, last in gold_names(markable.tag, positions, sentence, is_name[sentence_no]):
            if first == last and not lexicon.lone_name(sentence[first].text):
                continue
            if sentence_no in unjudged:
                not_judged[row] += 1
                continue
            start = sentence[first].start
            end = sentence[last].end
            assert start is not None and end is not None
            end -= len(sentence[last].text) - len(_word(sentence[last].text))
            if (row, start, end) in seen:
                continue  # the same name annotated twice (nested mentions)
            seen.add((row, start, end))
            m_id = markable.get("m_id", "")
            instance = instance_of.get(m_id, "")
            text = doc.text[start:end]
            names.append(GoldName(row, markable.tag, start, end, text, sentence_no, instance))
    spans = {
        s: (toks[0].start, toks[-1].end)
        for s, toks in sentences.items()
        if s in annotated and s not in unjudged
    }
    return GoldDocument(doc, names, not_judged, markables, spans)  # type: ignore[arg-type]


def _instances(root: ET.Element, doc_id: str) -> dict[str, str]:
    """Each coreferent markable's instance: the cross-document note, or a chain of the
    document for the few ``INTRA_DOC_COREF`` relations that carry none."""
    instance_of: dict[str, str] = {}
    relations = root.find("Relations")
    for relation in [] if relations is None else list(relations):
        if relation.tag == "CROSS_DOC_COREF" and relation.get("note"):
            instance = relation.get("note", "")
        elif relation.tag in ("CROSS_DOC_COREF", "INTRA_DOC_COREF"):
            instance = f"{doc_id}@{relation.get('r_id', '')}"
        else:
            continue
        for source in relation.iter("source"):
            instance_of[source.get("m_id", "")] = instance
    return instance_of


def load_gold(data: Path, topics: set[int] | None) -> list[GoldDocument]:
    """The documents of ``topics`` with their gold names. Which words are names is read
    from the whole corpus in ``data``, so a document's gold is the same whichever topics
    are loaded with it."""
    files = ecbplus_files(data)
    parsed = {stem: read_tokens(path) for stem, path in files.items()}
    docs = load_ecbplus(data, None)
    lexicon = Lexicon()
    for doc in docs:
        sentences: dict[int, list[Token]] = defaultdict(list)
        for token in align_tokens(doc, parsed[doc.doc_id][1]):
            if token.start is not None:
                sentences[token.sentence].append(token)
        for sentence in sentences.values():
            lexicon.add(sentence)
    return [
        read_gold(files[doc.doc_id], doc, lexicon, parsed[doc.doc_id])
        for doc in docs
        if topics is None or doc.topic in topics
    ]


# ------------------------------------------------------------------ text and systems


@dataclass(frozen=True)
class SystemMention:
    start: int
    end: int
    type: str
    text: str
    entity_id: str | None = None
    canonical: str | None = None


@dataclass
class Analysed:
    """One document after cleaning: the text the systems read (None when the cleaner
    refused it), how raw offsets map onto it, and each system's mentions."""

    gold: GoldDocument
    text: str | None
    body: list[tuple[int, int, int, str]]  # raw start, raw end, text offset, block text
    removed: list[tuple[int, int, str]]  # raw spans the cleaner took out, by kind
    refused: str | None = None
    mentions: dict[str, list[SystemMention]] = field(default_factory=dict)

    def locate(self, start: int, end: int) -> tuple[int, int] | str:
        """Where raw ``[start, end)`` is in the analysed text, or why it is not there."""
        if self.text is None:
            return "refused"
        surface = self.gold.doc.text[start:end]
        for raw_start, raw_end, offset, block in self.body:
            if not raw_start <= start < raw_end:
                continue
            guess = start - raw_start
            if block[guess : guess + len(surface)] == surface:
                return offset + guess, offset + guess + len(surface)
            # The block's text differs from the raw paragraph: the nearest occurrence.
            hits = [m.start() for m in re.finditer(re.escape(surface), block)]
            if hits:
                near = min(hits, key=lambda h: abs(h - guess))
                return offset + near, offset + near + len(surface)
            return "not found"
        for raw_start, raw_end, kind in self.removed:
            if raw_start <= start < raw_end:
                return kind
        return "between paragraphs"


def clean(gold: GoldDocument) -> tuple[Any, Analysed]:
    """The document cleaned as ``Corpus.run`` cleans a text file, its id the file's."""
    from parallax.clean import clean_document
    from parallax.errors import ParallaxError
    from parallax.model import RawDocument

    doc = gold.doc
    raw = RawDocument(source=f"{doc.doc_id}.txt", format="text", content=doc.text, is_html=False)
    try:
        article = replace(clean_document(raw), id=doc.doc_id)
    except ParallaxError as exc:
        return None, Analysed(gold, None, [], [], refused=str(exc))
    body: list[tuple[int, int, int, str]] = []
    removed: list[tuple[int, int, str]] = []
    offset = 0
    for block in article.blocks:
        if block.kind == "body":
            body.append((block.start, block.end, offset, block.text))
            offset += len(block.text) + 2  # the cleaner joins body paragraphs with "\n\n"
        else:
            removed.append((block.start, block.end, block.kind))
    return article, Analysed(gold, article.text, body, removed)


def run_parallax(articles: Sequence[Any], model: str) -> dict[str, list[SystemMention]]:
    """Names and short forms of every article, resolved across all of them (as
    ``Corpus.run`` resolves across its store)."""
    from parallax.nlp import analyze_articles, apply_resolution
    from parallax.resolve import load_knowledge_base, resolve_entities

    knowledge = load_knowledge_base()
    analyses = list(analyze_articles(articles, knowledge=knowledge, model=model))
    outlets = {article.id: article.outlet for article in articles}
    resolution = resolve_entities(analyses, outlets, knowledge)
    found: dict[str, list[SystemMention]] = {}
    for analysis in analyses:
        resolved = apply_resolution(analysis, resolution)
        found[analysis.article_id] = [
            SystemMention(m.start, m.end, m.type, m.text, m.entity_id, m.canonical)
            for m in resolved.mentions
            if m.field == "text" and m.kind != "descriptor"
        ]
    return found


@lru_cache(maxsize=2)
def bare_pipeline(model: str) -> Any:
    """The spaCy model Parallax analyses with, loaded as it ships: without the component
    Parallax adds (a line break ends a sentence), whose sentence bounds the recogniser
    heeds."""
    import spacy

    from parallax.nlp import MODELS

    module = importlib.import_module(MODELS.get(model, model))
    return spacy.load(module.model_path()) if hasattr(module, "model_path") else module.load()


def run_spacy(articles: Sequence[Any], model: str) -> dict[str, list[SystemMention]]:
    """``nlp(text).ents`` of the bare model on the texts Parallax read."""
    docs = bare_pipeline(model).pipe((a.text for a in articles), batch_size=64)
    return {
        article.id: [
            SystemMention(e.start_char, e.end_char, SPACY_TYPES[e.label_], e.text)
            for e in doc.ents
            if e.label_ in SPACY_TYPES
        ]
        for article, doc in zip(articles, docs, strict=True)
    }


def analyse(
    golds: Sequence[GoldDocument], systems: Sequence[str], model: str = "sm"
) -> tuple[list[Analysed], dict[str, float]]:
    """Every document cleaned and read by each system; the seconds each step took."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    cleaned = [clean(gold) for gold in golds]
    seconds["clean"] = time.perf_counter() - t0
    articles = [article for article, _ in cleaned if article is not None]
    runners = {"parallax": run_parallax, "spacy": run_spacy}
    for system in systems:
        t0 = time.perf_counter()
        found = runners[system](articles, model)
        for _, analysed in cleaned:
            analysed.mentions[system] = found.get(analysed.gold.doc.doc_id, [])
        seconds[system] = time.perf_counter() - t0
    return [analysed for _, analysed in cleaned], seconds


# ----------------------------------------------------------------------------- scorer


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class RowScore:
    """One gold row for one system; ``judged``/``right``/``unannotated``/``other`` count
    the system's mentions of the row's type in annotated sentences."""

    gold: int = 0
    in_text: int = 0
    found: int = 0
    exact: int = 0
    other_type: int = 0
    judged: int = 0
    right: int = 0
    unannotated: int = 0
    other: int = 0

    @property
    def missed(self) -> int:
        return self.in_text - self.found - self.other_type

    @property
    def recall(self) -> float:
        return self.found / self.in_text if self.in_text else 0.0

    @property
    def recall_e2e(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.found if self.found else 0.0

    @property
    def type_accuracy(self) -> float:
        seen = self.found + self.other_type
        return self.found / seen if seen else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.judged if self.judged else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: RowScore) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self, judged: bool = True) -> dict[str, Any]:
        """Counts and ratios; without ``judged`` (the facility row) no precision side."""
        counts = {**vars(self), "missed": self.missed}
        ratios = {
            "recall": self.recall,
            "recall_e2e": self.recall_e2e,
            "type_accuracy": self.type_accuracy,
            "exact_share": self.exact_share,
        }
        if judged:
            ratios |= {"precision_judged": self.precision, "f1": self.f1}
        else:
            for name in ("judged", "right", "unannotated", "other"):
                del counts[name]
        return {**counts, **{k: round(v, 4) for k, v in ratios.items()}}


@dataclass
class SystemScore:
    rows: dict[str, RowScore]
    confusions: Counter[tuple[str, str, str]]  # (gold tag, system type, gold name)
    missed: Counter[tuple[str, str]]  # (row, gold name)
    # (its type, markable tag or "no markable"): its texts, for ``other`` and unannotated
    others: dict[tuple[str, str], Counter[str]]

    @property
    def overall(self) -> RowScore:
        total = RowScore()
        for row in OVERALL_ROWS:
            total.add(self.rows[row])
        return total


@dataclass
class Located:
    """The gold of one document in analysed-text offsets."""

    names: list[tuple[GoldName, tuple[int, int]]]
    dropped: list[tuple[GoldName, str]]
    markables: list[tuple[int, int, str]]
    annotated: list[tuple[int, int]]


def locate(analysed: Analysed) -> Located:
    names: list[tuple[GoldName, tuple[int, int]]] = []
    dropped: list[tuple[GoldName, str]] = []
    for name in analysed.gold.names:
        where = analysed.locate(name.start, name.end)
        if isinstance(where, str):
            dropped.append((name, where))
        else:
            names.append((name, where))
    markables = [(analysed.locate(a, b), tag) for a, b, tag in analysed.gold.markables]
    sentences = [analysed.locate(a, b) for a, b in analysed.gold.annotated.values()]
    return Located(
        names,
        dropped,
        [(*span, tag) for span, tag in markables if not isinstance(span, str)],
        [s for s in sentences if not isinstance(s, str)],
    )


def score_system(docs: Sequence[tuple[Analysed, Located]], system: str) -> SystemScore:
    rows = {row: RowScore() for row in ROW_TAGS}
    others: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    confusions: Counter[tuple[str, str, str]] = Counter()
    missed: Counter[tuple[str, str]] = Counter()
    by_type = {ROW_TYPE[row]: rows[row] for row in OVERALL_ROWS}
    for analysed, located in docs:
        for name in analysed.gold.names:
            rows[name.row].gold += 1
        mentions = [(m, (m.start, m.end)) for m in analysed.mentions.get(system, [])]
        for name, span in located.names:
            row = rows[name.row]
            row.in_text += 1
            hits = [m for m, s in mentions if _overlaps(s, span)]
            if any(m.type == ROW_TYPE[name.row] for m in hits):
                row.found += 1
                row.exact += any(
                    m.type == ROW_TYPE[name.row] and (m.start, m.end) == span for m in hits
                )
            elif hits:
                row.other_type += 1
                widest = max(hits, key=lambda m: min(m.end, span[1]) - max(m.start, span[0]))
                confusions[name.tag, widest.type, name.text] += 1
            else:
                missed[name.row, name.text] += 1
        scored = [(n, s) for n, s in located.names if n.row in OVERALL_ROWS]
        for mention, span in mentions:
            if not any(a <= span[0] and span[1] <= b for a, b in located.annotated):
                continue
            row = by_type[mention.type]
            gold = [n for n, s in scored if _overlaps(s, span)]
            if gold:
                row.judged += 1
                row.right += any(ROW_TYPE[n.row] == mention.type for n in gold)
            elif tags := {t for a, b, t in located.markables if _overlaps((a, b), span)}:
                row.other += 1
                for tag in tags:
                    others[mention.type, tag][mention.text] += 1
            else:
                row.unannotated += 1
                others[mention.type, "no markable"][mention.text] += 1
    return SystemScore(rows, confusions, missed, dict(others))


# ------------------------------------------------------------------ people shown twice


@dataclass(frozen=True)
class Twice:
    event: str
    short: str
    short_docs: int
    full: str
    full_docs: int


def people_shown_twice(
    docs: Sequence[Analysed], as_participants: bool = False
) -> tuple[list[Twice], dict[str, int]]:
    """Per gold event, the person entities that look like another one of the event (see
    the module's docstring); and how many person entities the events have in all. With
    ``as_participants``, after folding them as the comparison does."""
    people: dict[str, dict[str, tuple[str, set[str]]]] = defaultdict(dict)
    for analysed in docs:
        event = analysed.gold.event
        for mention in analysed.mentions.get("parallax", []):
            if mention.type != "person" or mention.entity_id is None:
                continue
            canonical = mention.canonical or mention.text
            _, seen_in = people[event].setdefault(mention.entity_id, (canonical, set()))
            seen_in.add(analysed.gold.doc.doc_id)
    if as_participants:
        people = defaultdict(dict, {e: _as_participants(found) for e, found in people.items()})
    twice: list[Twice] = []
    for event, entities in sorted(people.items(), key=lambda kv: _event_key(kv[0])):
        named = sorted(entities.values(), key=lambda e: (-len(e[1]), e[0]))
        for short, short_docs in named:
            words = short.split()
            for full, full_docs in named:
                other = full.split()
                same = full.casefold() == short.casefold() and full_docs is not short_docs
                part = len(words) == 1 and len(other) > 1
                part = part and words[0].casefold() in (other[0].casefold(), other[-1].casefold())
                if same or part:
                    twice.append(Twice(event, short, len(short_docs), full, len(full_docs)))
                    break
    # The same canonical name twice is found from both sides: keep one.
    unique: dict[tuple[str, frozenset[str]], Twice] = {}
    for t in twice:
        unique.setdefault((t.event, frozenset((t.short, t.full))), t)
    totals = {"events": len(people), "people": sum(len(e) for e in people.values())}
    # The most visible first: the short form that reaches the most documents.
    ordered = sorted(
        unique.values(), key=lambda t: (-t.short_docs, -t.full_docs, _event_key(t.event))
    )
    return ordered, totals


def _as_participants(
    entities: dict[str, tuple[str, set[str]]],
) -> dict[str, tuple[str, set[str]]]:
    """The event's people as one participant each (``parallax.compare``'s folding)."""
    from parallax.lexicon.names import person_owners

    named_in = {canonical: seen_in for canonical, seen_in in entities.values()}
    owners = person_owners((canonical for canonical, _ in entities.values()), named_in)
    folded: dict[str, tuple[str, set[str]]] = {}
    for canonical, seen_in in entities.values():
        owner = owners[canonical]
        folded.setdefault(owner, (owner, set()))[1].update(seen_in)
    return folded


@dataclass
class OnePersonOne:
    """People as the annotators tell them apart (ECB+'s cross-document instances of
    ``HUMAN_PART_PER``) against the participants a comparison of each event shows."""

    people: int = 0  # gold people with a name Parallax found, summed over events
    split: int = 0  # of them, shown as two or more participants
    merged: int = 0  # participants that hold two or more gold people
    pairs_same: int = 0  # pairs of found gold names of one person (one event)
    pairs_joined: int = 0  # pairs shown as one participant
    pairs_right: int = 0  # pairs of one person shown as one participant
    split_examples: list[tuple[str, list[str]]] = field(default_factory=list)
    merged_examples: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_joined if self.pairs_joined else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_same if self.pairs_same else 1.0


def one_person_one_participant(
    located: Sequence[tuple[Analysed, Located]], as_participants: bool = True
) -> OnePersonOne:
    """Each found gold person name paired with the Parallax person mention over it, and
    through it with a participant (the resolved entity, folded as the comparison folds
    when ``as_participants``); scored per gold event, pairwise and by people split or
    merged."""
    from parallax.lexicon.names import person_owners

    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # event: (gold, ours, text)
    named_in: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for analysed, where in located:
        mentions = [
            m
            for m in analysed.mentions.get("parallax", [])
            if m.type == "person" and m.entity_id is not None
        ]
        for m in mentions:
            named_in[analysed.gold.event][m.canonical or m.text].add(analysed.gold.doc.doc_id)
        for name, (start, end) in where.names:
            if name.row != "person" or not name.instance:
                continue
            over = [(min(end, m.end) - max(start, m.start), m) for m in mentions]
            over = [(n, m) for n, m in over if n > 0]
            if over:
                mention = max(over, key=lambda pair: pair[0])[1]
                canonical = mention.canonical or mention.text
                found[analysed.gold.event].append((name.instance, canonical, name.text))
    score = OnePersonOne()
    for event, rows in sorted(found.items(), key=lambda kv: _event_key(kv[0])):
        people = named_in[event]
        owner = person_owners(people, people) if as_participants else {}
        shown = [(gold, owner.get(ours, ours), text) for gold, ours, text in rows]
        by_gold: dict[str, set[str]] = defaultdict(set)
        by_ours: dict[str, set[str]] = defaultdict(set)
        for gold, ours, _ in shown:
            by_gold[gold].add(ours)
            by_ours[ours].add(gold)
        score.people += len(by_gold)
        for ours_set in by_gold.values():
            if len(ours_set) > 1:
                score.split += 1
                score.split_examples.append((event, sorted(ours_set)))
        for ours, golds in by_ours.items():
            if len(golds) > 1:
                score.merged += 1
                texts = sorted({t for g, o, t in shown if o == ours})
                score.merged_examples.append((event, [ours, *texts]))
        for i, (gold_a, ours_a, _) in enumerate(shown):
            for gold_b, ours_b, _ in shown[i + 1 :]:
                score.pairs_same += gold_a == gold_b
                score.pairs_joined += ours_a == ours_b
                score.pairs_right += gold_a == gold_b and ours_a == ours_b
    return score


def _event_key(event: str) -> tuple[int, str]:
    topic, kind = event.split("/")
    return int(topic), kind


# --------------------------------------------------------------------------- the run


@dataclass
class Result:
    topics: list[int]
    documents: int
    refused: int
    systems: dict[str, SystemScore]
    dropped: Counter[tuple[str, str]]  # (row, reason)
    not_judged: Counter[str]
    twice: list[Twice]
    twice_as_participants: list[Twice]
    people: dict[str, int]
    seconds: dict[str, float]
    events: int = 0
    gold_people: dict[str, OnePersonOne] = field(default_factory=dict)  # entities, participants


def measure(data: Path, topics: str, systems: Sequence[str] = SYSTEMS) -> Result:
    """Load, clean, analyse and score the ``topics`` of ECB+ in ``data``."""
    t0 = time.perf_counter()
    available = sorted({int(stem.split("_")[0]) for stem in ecbplus_files(data)})
    chosen = parse_topic_spec(topics, available)
    if not chosen:
        raise SystemExit(f"none of topics {topics!r} is in {data} ({_spans(available)})")
    golds = load_gold(data, chosen)
    read = time.perf_counter() - t0
    docs, seconds = analyse(golds, systems)
    located = [(analysed, locate(analysed)) for analysed in docs]
    dropped: Counter[tuple[str, str]] = Counter()
    not_judged: Counter[str] = Counter()
    for analysed, where in located:
        dropped.update((name.row, reason) for name, reason in where.dropped)
        not_judged.update(analysed.gold.not_judged)
    twice, people = people_shown_twice(docs) if "parallax" in systems else ([], {})
    folded = people_shown_twice(docs, True)[0] if "parallax" in systems else []
    gold_people = (
        {
            "entities": one_person_one_participant(located, as_participants=False),
            "participants": one_person_one_participant(located),
        }
        if "parallax" in systems
        else {}
    )
    return Result(
        topics=sorted(chosen),
        documents=len(docs),
        refused=sum(a.text is None for a in docs),
        systems={system: score_system(located, system) for system in systems},
        dropped=dropped,
        not_judged=not_judged,
        twice=twice,
        twice_as_participants=folded,
        people=people,
        seconds={"read": read, **seconds},
        events=len({gold.event for gold in golds}),
        gold_people=gold_people,
    )


def format_table(result: Result) -> str:
    head = (
        f"{'type':<14}{'system':<10}{'gold':>6}{'in text':>9}{'found':>7}{'other type':>12}"
        f"{'missed':>8}{'R':>7}{'R e2e':>7}{'type acc':>10}{'exact':>7}{'P':>7}{'F1':>7}"
        f"{'unannot.':>10}{'other':>7}"
    )
    lines = [head, "-" * len(head)]
    for row in [*ROW_TAGS, "overall"]:
        if row == "facility":
            continue
        for system, scores in result.systems.items():
            lines.append(_table_line(row, system, scores))
    lines.append("")
    for system, scores in result.systems.items():
        lines.append(_table_line("facility*", system, scores))
    return "\n".join(lines)


def _table_line(row: str, system: str, scores: SystemScore) -> str:
    s = scores.overall if row == "overall" else scores.rows[row.rstrip("*")]
    judged = row != "facility*"
    p = f"{s.precision:>7.3f}" if judged else f"{'':>7}"
    f1 = f"{s.f1:>7.3f}" if judged else f"{'':>7}"
    unannotated = f"{s.unannotated:>10}{s.other:>7}" if judged else ""
    return (
        f"{row:<14}{system:<10}{s.gold:>6}{s.in_text:>9}{s.found:>7}{s.other_type:>12}"
        f"{s.missed:>8}{s.recall:>7.3f}{s.recall_e2e:>7.3f}{s.type_accuracy:>10.3f}"
        f"{s.exact_share:>7.3f}{p}{f1}{unannotated}"
    )


def report(result: Result, examples: int = 15) -> str:
    """Everything the run found, as printed."""
    out: list[str] = [format_table(result), ""]
    out.append(
        "R = found / gold names in the analysed text; R e2e = found / all gold names; "
        "type acc = found / (found + other type); "
        "exact = share of the found with the gold span;\nP = share of the system's mentions of "
        "the type, in sentences ECB+ annotated, that overlap a scored gold name and have "
        "its type;\nunannot. = its mentions there overlapping no ECB+ markable (ECB+ marks "
        "only event participants: not false, uncounted in P);\nother = overlapping only "
        "unscored markables. *facility (LOC_FAC) expects a place and is not in overall."
    )
    reasons = Counter(reason for (_, reason) in result.dropped.elements())
    gold_total = sum(s.gold for s in next(iter(result.systems.values())).rows.values())
    dropped_total = sum(reasons.values())
    out.append("")
    out.append(
        f"not in the analysed text: {dropped_total} of {gold_total} gold names "
        f"({dropped_total / max(gold_total, 1):.1%}): "
        + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
        + f" ({result.refused} documents refused by the cleaner)"
    )
    for row in ROW_TAGS:
        gold = next(iter(result.systems.values())).rows[row].gold
        lost = Counter({r: n for (w, r), n in result.dropped.items() if w == row})
        share = lost.total() / max(gold, 1)
        out.append(
            f"  {row:<13}{lost.total():>5} of {gold:>5} ({share:.1%}): "
            + ", ".join(f"{r} {n}" for r, n in lost.most_common())
        )
    out.append(
        "in headline-case or capitals sentences, not judged: "
        + ", ".join(f"{row} {result.not_judged[row]}" for row in ROW_TAGS)
    )
    for system, scores in result.systems.items():
        out.append("")
        out.append(f"{system}: gold type -> its type, when only another type overlaps")
        pairs: Counter[tuple[str, str]] = Counter()
        names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for (tag, found, text), n in scores.confusions.items():
            pairs[tag, found] += n
            names[tag, found][text] += n
        for (tag, found), n in pairs.most_common():
            shown = ", ".join(f"{t} ({c})" for t, c in names[tag, found].most_common(6))
            out.append(f"  {tag:<15} -> {found:<13}{n:>5}  {shown}")
        out.append(f"{system}: most often mistyped names")
        for (tag, found, text), n in scores.confusions.most_common(examples):
            out.append(f"  {n:>4}  {text!r}: {TAG_ROW[tag]} ({tag}) -> {found}")
        out.append(f"{system}: most often missed names")
        for row in ROW_TAGS:
            top = [(t, n) for (r, t), n in scores.missed.most_common() if r == row][:8]
            out.append(f"  {row:<13}" + ", ".join(f"{t} ({n})" for t, n in top))
        out.append(f"{system}: 'other' and 'unannot.' mentions, by the markable they overlap")
        for entity_type in ("person", "organisation", "place"):
            tags = sorted(
                ((tag, texts) for (t, tag), texts in scores.others.items() if t == entity_type),
                key=lambda item: -item[1].total(),
            )[:5]
            shown = "; ".join(
                f"{tag} {texts.total()}: " + ", ".join(t for t, _ in texts.most_common(3))
                for tag, texts in tags
            )
            out.append(f"  {entity_type:<13}{shown}")
    if result.people:
        out.append("")
        out.append(
            f"people shown twice: {len(result.twice)} in {result.people['events']} events "
            f"({result.people['people']} person entities in all); the {examples} most seen:"
        )
        for t in result.twice[:examples]:
            out.append(
                f"  {t.event:<11}{t.short!r} ({t.short_docs} docs) beside {t.full!r} "
                f"({t.full_docs} docs)"
            )
        out.append(
            f"as participants of a comparison (one person, one participant): "
            f"{len(result.twice_as_participants)} shown twice; the {examples} most seen:"
        )
        for t in result.twice_as_participants[:examples]:
            out.append(
                f"  {t.event:<11}{t.short!r} ({t.short_docs} docs) beside {t.full!r} "
                f"({t.full_docs} docs)"
            )
    if result.gold_people:
        out.append("")
        out.append(gold_people_table(result.gold_people, examples))
    return "\n".join(out)


def gold_people_table(scores: Mapping[str, OnePersonOne], examples: int = 15) -> str:
    """One person, one participant against the annotators' people, as printed."""
    head = f"{'shown as':<14}{'gold people':>12}{'split':>7}{'merged':>8}{'pair P':>8}{'pair R':>8}"
    lines = [
        "one person, one participant, against ECB+'s people (cross-document instances; "
        "found names only):",
        head,
        "-" * len(head),
    ]
    for view, s in scores.items():
        lines.append(
            f"{view:<14}{s.people:>12}{s.split:>7}{s.merged:>8}{s.precision:>8.3f}{s.recall:>8.3f}"
        )
    final = scores.get("participants")
    if final is not None:
        lines.append("split (one gold person, several participants):")
        lines += [
            f"  {event:<11}{' | '.join(names)}" for event, names in final.split_examples[:examples]
        ]
        lines.append("merged (one participant, several gold people): participant, then the names")
        lines += [
            f"  {event:<11}{names[0]!r}: {', '.join(names[1:])}"
            for event, names in final.merged_examples[:examples]
        ]
    return "\n".join(lines)


def result_json(result: Result) -> dict[str, Any]:
    """The whole result, names included (for a file outside the repository)."""
    return {
        "topics": result.topics,
        "documents": result.documents,
        "refused": result.refused,
        "seconds": {k: round(v, 1) for k, v in result.seconds.items()},
        "systems": {
            system: {
                "rows": {
                    row: s.figures(judged=row in OVERALL_ROWS) for row, s in scores.rows.items()
                },
                "overall": scores.overall.figures(),
                "confusions": [
                    {"tag": tag, "type": found, "name": text, "count": n}
                    for (tag, found, text), n in scores.confusions.most_common()
                ],
                "missed": [
                    {"row": row, "name": text, "count": n}
                    for (row, text), n in scores.missed.most_common()
                ],
                "other": [
                    {"type": t, "tag": tag, "names": dict(texts.most_common())}
                    for (t, tag), texts in sorted(scores.others.items())
                ],
            }
            for system, scores in result.systems.items()
        },
        "not_in_text": [
            {"row": row, "reason": reason, "count": n}
            for (row, reason), n in sorted(result.dropped.items())
        ],
        "not_judged": dict(result.not_judged),
        "people_shown_twice": [vars(t) for t in result.twice],
        "participants_shown_twice": [vars(t) for t in result.twice_as_participants],
        "people": result.people,
    }


# ---------------------------------------------------------------------------- gates


def measure_gate(data: Path, systems: Sequence[str] = SYSTEMS) -> dict[str, Any]:
    """The figures ``GATES_FILE`` records for ``GATE_TOPICS``: counts and ratios only."""
    result = measure(data, GATE_TOPICS, systems)
    gold = next(iter(result.systems.values())).rows
    return {
        "topics": GATE_TOPICS,
        "documents": result.documents,
        "refused": result.refused,
        "gold": {row: s.gold for row, s in gold.items()},
        "in_text": {row: s.in_text for row, s in gold.items()},
        "not_judged": {row: result.not_judged[row] for row in ROW_TAGS},
        "systems": {
            system: {
                "overall": scores.overall.figures(),
                **{row: s.figures(judged=row in OVERALL_ROWS) for row, s in scores.rows.items()},
            }
            for system, scores in result.systems.items()
        },
        "people_shown_twice": len(result.twice) if "parallax" in systems else None,
        "participants_shown_twice": (
            len(result.twice_as_participants) if "parallax" in systems else None
        ),
        "one_person_one_participant": {
            view: {
                "people": score.people,
                "split": score.split,
                "merged": score.merged,
                "pair_precision": round(score.precision, 4),
                "pair_recall": round(score.recall, 4),
            }
            for view, score in result.gold_people.items()
        },
    }


def record_gates(data: Path) -> dict[str, Any]:
    """Measure the gate subset and write ``GATES_FILE``."""
    payload = {
        "about": "entity typing on ECB+ named gold mentions (benchmarks/entities.py); "
        "tests/test_entities_gate.py fails when Parallax's overall recall or F1, or the "
        "pairwise precision or recall of its participants against ECB+'s people, falls "
        "more than the tolerance below these figures, or when more participants are "
        "shown twice",
        "command": GATE_COMMAND,
        "date": date.today().isoformat(),
        "code": code_version(),
        "tolerance": GATE_TOLERANCE,
        "gated": ["recall", "f1"],
        "figures": measure_gate(data),
    }
    GATES_FILE.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return payload


# ----------------------------------------------------------------------------- main


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _spans(numbers: Sequence[int]) -> str:
    """``1-4,6``: the topics as ranges."""
    parts: list[str] = []
    for n in numbers:
        if parts and n == int(parts[-1].split("-")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ",".join(parts)


def _parse_systems(spec: str) -> list[str]:
    systems = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or not systems:
        raise SystemExit(f"unknown systems {unknown}: choose from {', '.join(SYSTEMS)}")
    return systems


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ECB+ folder")
    ap.add_argument("--topics", default="all", help="topics, e.g. 1-12,14 (default: all)")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="parallax,spacy")
    ap.add_argument("--json", type=Path, help="write the whole result (names too) here")
    ap.add_argument("--examples", type=int, default=15, help="examples per list")
    ap.add_argument(
        "--record-gates",
        action="store_true",
        help=f"measure topics {GATE_TOPICS} and write {GATES_FILE.relative_to(REPO_ROOT)}",
    )
    args = ap.parse_args(list(argv) if argv is not None else None)
    started = time.perf_counter()
    print(f"machine: {machine()}; date: {date.today().isoformat()}")
    if args.record_gates:
        print(json.dumps(record_gates(args.data), indent=2))
        print(f"run time: {time.perf_counter() - started:.1f} s")
        return 0
    result = measure(args.data, args.topics, _parse_systems(args.systems))
    topics = result.topics
    print(
        f"ECB+ topics {_spans(topics)} ({len(topics)} topics, {result.events} events), "
        f"{result.documents} documents"
    )
    print()
    print(report(result, args.examples))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result_json(result), indent=2), encoding="utf-8")
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"\nrun time: {time.perf_counter() - started:.1f} s ({steps})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
