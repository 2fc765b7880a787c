"""Sentence pairs from ECB+ that do or do not report the same event, for ``same_claim``.

ECB+ (``../shared/eval/ecbplus/ECB+/<topic>/*.xml``) is news text in tokens, with action
mentions (markables named ``ACTION_*`` or ``NEG_*``) tied across documents to event
instances (``CROSS_DOC_COREF`` relations whose ``note`` is the instance id, ``ACT...`` or
``NEG...``). Two sentences from different documents of one topic are:

- the same (``same=True``) when both hold a mention of one action instance;
- not the same when both hold action mentions tied to instances but share none.

Sentences whose action mentions have no cross-document instance are left out: the
annotators linked only a selection of sentences, so outside it "no shared instance"
says nothing.

``.venv/bin/python benchmarks/claim_pairs.py`` prints the counts per topic.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ecbplus" / "ECB+"
TOPICS = tuple(range(1, 36))
# Closing marks and clitics ("'s", "n't", either apostrophe) lean left; opening marks right.
_CLITIC = re.compile(r" ([’']) ?(s|re|ve|ll|d|m)\b")
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}”]|''|n[’']t\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{$“‘]|``) ")


@dataclass(frozen=True)
class ClaimPair:
    a: str
    b: str
    topic: int
    doc_a: str
    doc_b: str
    same: bool


@dataclass(frozen=True)
class _Sentence:
    doc: str
    text: str
    instances: frozenset[str]


def detokenise(tokens: Iterable[str]) -> str:
    """Tokens back to running text: no space before closing punctuation or clitics."""
    text = " ".join(tokens)
    text = _CLITIC.sub(r"\1\2", text)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    return text.replace("``", '"').replace("''", '"')


def read_document(path: Path) -> list[_Sentence]:
    """The sentences of one document that hold an action mention tied to an instance."""
    root = ET.parse(path).getroot()
    words: dict[str, list[str]] = defaultdict(list)
    sentence_of: dict[str, str] = {}
    for token in root.iter("token"):
        words[token.get("sentence", "")].append(token.text or "")
        sentence_of[token.get("t_id", "")] = token.get("sentence", "")
    # An action mention's sentences are those of its anchor tokens.
    mention_sentences: dict[str, set[str]] = {}
    markables = root.find("Markables")
    for markable in markables if markables is not None else ():
        if markable.tag.startswith(("ACTION", "NEG")):
            anchors = [a.get("t_id", "") for a in markable.iter("token_anchor")]
            found = {sentence_of[t] for t in anchors if t in sentence_of}
            if found:
                mention_sentences[markable.get("m_id", "")] = found
    instances: dict[str, set[str]] = defaultdict(set)
    relations = root.find("Relations")
    for relation in relations if relations is not None else ():
        note = relation.get("note", "")
        if relation.tag != "CROSS_DOC_COREF" or not note.startswith(("ACT", "NEG")):
            continue
        for source in relation.iter("source"):
            for sentence in mention_sentences.get(source.get("m_id", ""), ()):
                instances[sentence].add(note)
    return [
        _Sentence(path.name, detokenise(words[s]), frozenset(found))
        for s, found in sorted(instances.items(), key=lambda item: int(item[0] or 0))
    ]


def topic_pairs(directory: Path, topic: int) -> list[ClaimPair]:
    """Every cross-document pair of linked sentences in one topic, labelled."""
    sentences = [
        sentence
        for path in sorted((directory / str(topic)).glob("*.xml"))
        for sentence in read_document(path)
    ]
    return [
        ClaimPair(x.text, y.text, topic, x.doc, y.doc, bool(x.instances & y.instances))
        for x, y in combinations(sentences, 2)
        if x.doc != y.doc and x.text != y.text
    ]


def load_ecbplus(directory: Path = ECBPLUS, topics: Sequence[int] = TOPICS) -> list[ClaimPair]:
    """The labelled pairs of the given topics (those present on disk)."""
    return [
        pair
        for topic in topics
        if (directory / str(topic)).is_dir()
        for pair in topic_pairs(directory, topic)
    ]


def main() -> int:
    if not ECBPLUS.is_dir():
        print(f"ECB+ not found at {ECBPLUS}")
        return 0
    pairs = load_ecbplus()
    by_topic: dict[int, list[bool]] = defaultdict(list)
    for pair in pairs:
        by_topic[pair.topic].append(pair.same)
    for topic, labels in sorted(by_topic.items()):
        print(f"topic {topic:>2}: {len(labels):>6} pairs, {sum(labels):>5} the same")
    print(f"all: {len(pairs)} pairs, {sum(p.same for p in pairs)} the same")
    return 0


if __name__ == "__main__":
    sys.exit(main())
