"""Who said what: direct quotes in any quotation-mark style, and reported speech.

Three passes over a parsed field, each adding what the earlier ones left:

1. Direct quotes: spans between paired quotation marks (“…”, "…", „…“, «…», ‘…’,
   '…'), a quote split around its cue ("…," he said, "…" or "…," he said. "…") and
   quotes that run over several paragraphs. The speaker is the subject of the speech
   word beside the quotation, else of one in the paragraph before that ends in a
   colon ("The mayor continued:"), else a name after a dash ("“…” ― Name").
   Apostrophes ("leaders’") and unbalanced marks are read as text, never as an
   error. A quotation in several parts is one quote, as a reader takes it (and
   PolNeAR annotates it): its ``start`` is the first part's, its ``end`` the last
   part's, and its ``text`` is ``field[start:end]`` like every other span of the
   model, so the cue and the speaker between the parts lie inside it;
   ``quote_parts`` gives the parts alone. A transcript's turns ("BRANDAUER: Well, the
   …" paragraphs, two or more in a field) are direct quotes too, with or without
   marks: the label is the speaker and its colon the cue (``transcript_turns``).
2. Reported speech: a cue word with the clause it governs ("X said that …",
   "X warns Y that …", "X would not have expected …"). Whether a word in a
   given construction is a cue comes from a table learned on the PolNeAR
   training split (``cue_frames.tsv``, rebuilt by ``benchmarks/train_cues.py``):
   the rate at which the word, in that frame and with that kind of subject,
   introduced an attribution there. A quotation inside a reported statement ("X
   insisted that the port has “never been safer”") is part of that statement.
3. "according to X", which credits the rest of its clause to X.

The speaker is the cue's subject (or the "by"/"according to" object); linking
it to a person or organisation is the caller's job (``parallax.nlp.analysis``).

Every quote carries a confidence (0-1): how likely a reader accepts it as something
its speaker said. It is a logistic regression over a few signals of the quote
(``SIGNALS``), with the weights learned on PolNeAR train by
``benchmarks/train_quote_confidence.py`` (``quote_confidence.json``):

* ``cue_rate``: the cue table's rate for the cue word in its frame (0 without a cue);
* ``according_to``: the cue is "according to";
* ``direct``: the content is a quotation in quotation marks;
* ``credited_quotation``: a quotation in marks with a speaker (such quotations have a
  threshold of their own, ``parallax.model.QuoteThresholds``);
* ``transcript_turn``: a turn of a transcript ("BRANDAUER: …"), whose colon no cue table
  weighs;
* ``content_verb``: the content holds a verb (a clause, not a noun phrase like
  "took Twitter");
* ``content_length``: log(1 + words of the content);
* ``speaker_name``: the speaker names a person, organisation or group (a proper noun or
  a named entity);
* ``speaker_pronoun``: the speaker is a pronoun ("she", "they");
* ``speaker_noun``: the speaker is a common-noun group ("officials", "the agency");
  no speaker at all is the baseline the three speaker signals are measured against;
* ``hypothetical``: the cue has a modal ("would say", "could argue");
* ``cue_elsewhere``: the cue lies outside the content's sentences (a quote credited to
  the speaker of the quote before it);
* ``cue_before``: the cue comes before the content ("X said that …", not "…, X said");
* ``ends_sentence``: nothing but punctuation follows the content in its sentence (a
  whole clause, not one cut short);
* ``governs_ccomp``, ``governs_xcomp``, ``governs_object``, ``governs_prep``,
  ``parataxis``: what the cue of reported speech governs (``cue_frame``: "said that …",
  "wants to …", "accused X of …", "warned of …", "…, he said"); the content's edges are
  found more or less reliably in each, which the cue rate does not tell. Zero for a
  direct quote and "according to".
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import takewhile
from pathlib import Path
from typing import TYPE_CHECKING

from parallax.lexicon.roles import word_set
from parallax.model import Quote, is_credited_quotation
from parallax.nlp.entities import ORG_HEAD_NOUNS
from parallax.text.dates import dateline_end

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

CUE_TABLE = Path(__file__).parent / "data" / "cue_frames.tsv"
CONFIDENCE_MODEL = Path(__file__).parent / "data" / "quote_confidence.json"
# A cue is accepted when the learned rate reaches this; tuned on the training split.
CUE_THRESHOLD = 0.25
# A noun object (not a clause) is what was said only when the cue table's rate for the
# word with an object reaches this (chosen on the training split): verbs of judging
# ("accused", "criticized", "praised") reach it, "took", "struck", "signed" do not.
OBJECT_THRESHOLD = 0.6
# Minimum evidence before a table row counts; rarer keys back off to a coarser one.
MIN_EVIDENCE = 4

# Each opening mark and the marks that close it. Scraped text mixes and misprints its
# marks: a quotation opened with a straight mark may close with a curly one and the
# other way round ("The pier is safe,” said …), a curly mark may be printed the wrong
# way round ("Not yet,“ he said", a paragraph opening with ”). A mark only opens
# before a word and only closes before a space or punctuation (``_can_open``,
# ``_closing``), so the misprints cannot be read the other way.
_CLOSERS = {
    "“": '”“"',
    "”": "”“",
    "„": "“",
    "«": "»",
    "»": "«",
    "‘": "’",
    '"': '"”',
    "'": "'",
}
_OPENING_MARKS = ("“", "„", "«", "»", '"')
_CLOSING_MARKS = ("”", "“", "»", "«", '"')
_SPEAKER_DEPS = ("nsubj", "nsubjpass")
# What completes a verb after it: its object, the object's complement, the reason or
# manner ("attacked the mayor for …", "called the plan “reckless”").
_PREDICATE_DEPS = ("dobj", "dative", "oprd", "prep", "xcomp", "ccomp", "advcl", "acomp", "attr")
# Clauses a cue governs besides its speaker and circumstances: what was said, or more.
_CLAUSE_DEPS = ("ccomp", "xcomp", "advcl", "conj", "parataxis")
# Pronoun subjects that stand for a speaker (a person, a group, an institution).
_AGENT_PRONOUNS = {"he", "she", "they", "i", "we", "you", "it"}
_SPEECH_LEMMAS = {
    "say", "tell", "add", "write", "ask", "note", "argue", "explain", "insist", "warn",
    "declare", "claim", "state", "recall", "reply", "respond", "answer", "continue", "tweet",
    "post", "comment", "conclude", "admit", "acknowledge", "complain", "quip", "joke",
    "remark", "stress", "emphasize", "emphasise", "announce", "report", "describe", "predict",
    "suggest", "urge", "vow", "promise", "observe", "cry", "shout", "exclaim", "laugh",
    "estimate", "assess", "reckon", "think", "believe", "fear", "hope", "wonder", "point",
}  # fmt: skip


@dataclass(frozen=True)
class CueFrame:
    """How a candidate cue word is used: its lemma, what it governs, who its subject is."""

    lemma: str
    frame: str
    subject: str

    def table_keys(self) -> tuple[str, ...]:
        """Table keys from the most to the least specific."""
        return (
            f"{self.lemma}|{self.frame}|{self.subject}",
            f"{self.lemma}|{self.frame}|*",
            f"{self.lemma}|*|*",
        )


def cue_frame(token: Token) -> CueFrame:
    """The features the cue table is keyed on (shared by training and extraction)."""
    frame = "none"
    for dep in ("ccomp", "xcomp", "dobj"):
        if any(child.dep_ == dep for child in token.children):
            frame = dep
            break
    else:
        prep = next((c for c in token.children if c.dep_ == "prep" and list(c.children)), None)
        if prep is not None:
            frame = f"prep:{prep.lower_}"
        elif token.dep_ == "parataxis":
            frame = "parataxis"
    return CueFrame(token.lemma_.lower(), frame, _subject_kind(token))


def _subject(token: Token, quotation: tuple[int, int] | None = None) -> Token | None:
    # A closing quotation mark is sometimes parsed as the subject of the verb after it, and
    # a word inside the quotation as a second one ("“…, it will at some point,” said Anna
    # Berg": "it" and "Berg"): whoever said a quotation is not inside it.
    return next(
        (
            c
            for c in token.children
            if c.dep_ in _SPEAKER_DEPS
            and not c.is_punct
            and not (quotation and quotation[0] <= c.idx < quotation[1])
        ),
        None,
    )


def _subject_kind(token: Token) -> str:
    subject = _subject(token)
    if subject is None:
        return "none"
    if subject.lower_ in _AGENT_PRONOUNS or subject.ent_type_ in ("PERSON", "ORG", "NORP"):
        return "agent"
    return "other"


@lru_cache(maxsize=1)
def cue_table() -> dict[str, tuple[int, int]]:
    """key -> (times it was a cue, times seen) from the bundled table."""
    table: dict[str, tuple[int, int]] = {}
    with CUE_TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            table[row["key"]] = (int(row["cue"]), int(row["seen"]))
    return table


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """Lemmas the table has evidence for: no other word can be a cue."""
    return frozenset(key.split("|", 1)[0] for key in cue_table())


def cue_rate(frame: CueFrame) -> float:
    """How often words used like this one introduced an attribution in the training data."""
    table = cue_table()
    for key in frame.table_keys():
        cues, seen = table.get(key, (0, 0))
        if seen >= MIN_EVIDENCE:
            return cues / seen
    return 0.0


def find_quotes(
    doc: Doc, field: str = "text", text: str | None = None, model: ConfidenceModel | None = None
) -> list[Quote]:
    """Every direct quote and reported statement in a parsed field, in text order.

    ``text`` is ``doc.text`` when the caller has it already: spaCy rebuilds that
    string from the tokens on every access. ``model`` gives the confidences, the bundled
    one by default; ``benchmarks/train_quote_confidence.py`` passes its own, since the
    bundled weights may be for other signals while it learns new ones.
    """
    text = doc.text if text is None else text
    reported = list(_reported_speech(doc, text, field))
    # A transcript's turn is the whole of what its speaker said there; a quotation or
    # reported statement inside it is part of it.
    quotes: list[Quote] = list(transcript_turns(doc, text, field))
    turns = [(q.start, q.end) for q in quotes]
    # Quotations, not a word or two in marks (a scare quote, a poll's "strongly agree").
    spans = quoted_spans(text)
    statements = [span for span in spans if _is_statement(text, *span)]
    # A few words with their own punctuation inside the marks may be a remark ("“Not
    # even one,” he said"): kept only when a cue and speaker stand right beside them.
    remarks = {span for span in spans if _is_remark(text, *span)}
    widened: dict[int, Quote] = {}
    # Where a reported "clause" is cut short: at the cue of a quotation read into it.
    cuts: dict[int, int] = {}
    for quote in _direct_quotes(doc, text, field, sorted([*statements, *remarks])):
        if _overlaps_any(quote.start, quote.end, turns):
            continue
        participle = _by_participle(doc, quote)
        if (quote.start, quote.end) in remarks and not _credited_right_after(text, quote):
            continue
        # A quotation inside reported speech ("the minister insisted that the port has
        # “never been safer”") is part of that statement: the reported clause is the quote.
        # A "clause" that holds its own cue ("“…,” says X, who …") is a parse gone wrong.
        outer = next(
            (
                r
                for r in reported
                if r.start <= quote.start
                and _ends_within(text, quote, r)
                # "… delivered a message to the mayor: “…”": a colon hands over to the
                # quotation, which is what was said; the clause before it only frames it.
                and ":" not in text[r.start : quote.start]
                and r.end - r.start > len(quote.text)
                and not (r.cue_start is not None and r.start <= r.cue_start < r.end)
                # A "clause" holding the quotation's own participle of saying ("… choose
                # a side, saying, “…”", "continued by saying, “…”") is the quotation's
                # attribution read into another verb's clause, not a statement quoting it.
                and not (participle and _holds_cue(r, quote))
                # One cue for both, and the quotation's speaker inside the "clause": it is
                # the quotation as the parser read it, with the name taken into it ("“…,”
                # Anna Berg, …, said").
                and not (
                    r.cue_start == quote.cue_start
                    and quote.speaker_start is not None
                    and r.start <= quote.speaker_start < r.end
                )
            ),
            None,
        )
        # The clause the participle was read into ends where the participle begins.
        holder = next(
            (
                r
                for r in reported
                if participle
                and r.start < (quote.cue_start or 0)
                and _holds_cue(r, quote)
                and r.cue_start != quote.cue_start
                and _ends_within(text, quote, r)
            ),
            None,
        )
        if holder is not None and quote.cue_start is not None:
            cuts[id(holder)] = min(cuts.get(id(holder), holder.end), quote.cue_start)
        if outer is None:
            quotes.append(quote)
        elif id(outer) not in widened:
            # The clause is read up to the quotation's own last mark of punctuation.
            end = max(outer.end, quote.end)
            widened[id(outer)] = replace(outer, text=text[outer.start : end], end=end)
            quotes.append(widened[id(outer)])
    taken = [(q.start, q.end) for q in quotes]
    remaining = _cut_before(text, reported, cuts)
    for quote in remaining:
        if _across_marks(quote, statements) or _nested_in(quote, remaining):
            continue
        if not _overlaps_any(quote.start, quote.end, taken):
            quotes.append(quote)
            taken.append((quote.start, quote.end))
    quotes = [_without_dateline(text, quote) for quote in quotes]
    model = model or confidence_model()
    return [
        replace(quote, confidence=model.confidence(quote_signals(doc, quote)))
        for quote in _credit_follow_ups(text, sorted(quotes, key=lambda q: q.start))
    ]


def _nested_in(quote: Quote, reported: Sequence[Quote]) -> bool:
    """Whether a reported statement's cue lies inside what another speaker is reported to
    have said ("The strike showed how exposed the port is, says X": X's statement, in
    which "showed" is X's word, not the strike's saying). "According to" names its source
    outright and is never another's word."""
    if quote.cue == "according to":
        return False
    return quote.cue_start is not None and any(
        other is not quote
        and other.speaker is not None
        and other.start <= quote.cue_start < other.end
        and not (other.cue_start is not None and quote.start <= other.cue_start < quote.end)
        for other in reported
    )


def _by_participle(doc: Doc, quote: Quote) -> bool:
    """Whether a quotation's cue is a participle of saying ("…, saying, “…”", "by adding,
    “…”"): one the parser may hang inside another verb's reported clause, though the
    quotation is what it introduces."""
    if quote.cue_start is None:
        return False
    cue = doc.char_span(quote.cue_start, quote.cue_end or quote.cue_start + 1, "expand")
    return cue is not None and _is_saying_participle(cue.root)


def _is_saying_participle(token: Token) -> bool:
    return token.tag_ == "VBG" and token.lemma_.lower() in _SPEECH_LEMMAS


def _holds_cue(clause: Quote, quote: Quote) -> bool:
    return quote.cue_start is not None and clause.start <= quote.cue_start < clause.end


def _cut_before(text: str, reported: Sequence[Quote], cuts: dict[int, int]) -> list[Quote]:
    """Reported statements ending where a quotation's cue read into them begins
    (``cuts``, by the statement's id): in "X said the mayor will have to choose, saying,
    “…”" X said "the mayor will have to choose", and the quotation is a quote of its own."""
    kept = []
    for clause in reported:
        if id(clause) in cuts:
            end = clause.start + len(text[clause.start : cuts[id(clause)]].rstrip(" ,;:–—-"))
            if end - clause.start < 2:
                continue
            clause = replace(clause, text=text[clause.start : end], end=end)
        kept.append(clause)
    return kept


def _ends_within(text: str, quote: Quote, clause: Quote) -> bool:
    """Whether ``quote`` ends inside ``clause``, or past it only by the punctuation that
    American style puts inside the closing mark ("… a “war of words.”"): a clause's span
    ends at its last word, the quotation's at its last character."""
    return quote.end <= clause.end or not text[clause.end : quote.end].strip(".,;:!?…")


def _across_marks(quote: Quote, marked: Sequence[tuple[int, int]]) -> bool:
    """Whether a reported statement's cue stands inside a quotation and its content
    outside it: a parse that ran over the closing mark ("“… Oh my,” X shot back" read as
    the quotation's verb reporting "X shot back")."""
    if quote.cue_start is None:
        return False
    inside = next((span for span in marked if span[0] <= quote.cue_start < span[1]), None)
    return inside is not None and not (inside[0] <= quote.start and quote.end <= inside[1])


def _credit_follow_ups(text: str, quotes: list[Quote]) -> list[Quote]:
    """A quote standing on its own right after an attribution in the same paragraph
    ("X said there was concern. “Especially ethnic Kazakhs are afraid.”") is X's;
    an unattributed quote of a few words is a scare quote, not a statement."""
    credited: list[Quote] = []
    for quote in quotes:
        if quote.kind == "direct" and quote.speaker is None:
            if len(quote.text.split()) < 6 and not quote.text.rstrip().endswith((".", "!", "?")):
                continue
            before = next((q for q in reversed(credited) if q.speaker is not None), None)
            if before is not None and is_transcript_turn(before):
                before = None  # a turn holds its speaker's paragraphs (``_turn_end``)
            standalone = re.search(r"(?:^|[.!?:][\"”’]?\s+)[“\"„«‘']?$", text[: quote.start])
            # Across a paragraph break only from a quotation that ends the paragraph just
            # before: "“…,” Lind said.\n\n“And the boats are gone …”" is Lind's still.
            same_paragraph = before is not None and "\n" not in text[before.end : quote.start]
            next_paragraph = (
                before is not None
                and before is credited[-1]
                and before.kind == "direct"
                and _opens_next_paragraph(text, before.end, quote.start)
            )
            if before is not None and standalone and (same_paragraph or next_paragraph):
                quote = replace(
                    quote,
                    cue=before.cue,
                    cue_start=before.cue_start,
                    cue_end=before.cue_end,
                    speaker=before.speaker,
                    speaker_start=before.speaker_start,
                    speaker_end=before.speaker_end,
                )
        credited.append(quote)
    return credited


# --------------------------------------------------------------------------- direct quotes


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside paired quotation marks, marks excluded.

    A mark only opens after a space, an opening bracket or the start of a line
    and only closes before a space, punctuation or the end, so apostrophes in
    "leaders’" or "don't" never pair up. A quote still open at the end of its
    paragraph closes there: the next paragraph reopens it, as news style does
    for quotes over several paragraphs.
    """
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH.finditer(text):
        spans.extend(_quoted_in_paragraph(text, paragraph.start(), paragraph.end()))
    return spans


def _quoted_in_paragraph(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    i = start
    while i < end:
        char = text[i]
        if char in _CLOSERS and _can_open(text, i, start):
            close = _closing(text, i, end)
            if close is None:
                if i + 1 < end and char in '“”„«"':
                    yield i + 1, end
                return
            if close > i + 1:
                yield i + 1, close
            i = close + 1
            continue
        i += 1


def _can_open(text: str, i: int, paragraph_start: int) -> bool:
    before = text[i - 1] if i > paragraph_start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:,") and not after.isspace()


def _closing(text: str, i: int, end: int) -> int | None:
    closers = _CLOSERS[text[i]]
    j = i + 1
    while j < end:
        if text[j] in closers:
            after = text[j + 1] if j + 1 < end else " "
            if after.isspace() or not after.isalnum():
                return j
        j += 1
    return None


def _direct_quotes(
    doc: Doc, text: str, field: str, statements: Sequence[tuple[int, int]]
) -> Iterator[Quote]:
    """Each quotation in quotation marks (``statements``: the spans of ``quoted_spans``
    that ``_is_statement``) as one quote: the parts of a quotation split around its cue,
    or carried on into the next paragraph, are joined into one."""
    previous: Quote | None = None
    for start, end in statements:
        cue = _cue_near(doc, len(text), start, end)
        if cue is None:
            cue = _quotative_verb(doc, text, start) or _tag_verb(doc, text, end)
        according = (
            _according_beside(doc, text, start, end)
            if cue is None or _is_according_to(cue)
            else None
        )
        if according is not None:
            cue, speaker = according
        elif cue is None:
            cue, speaker = _colon_attribution(doc, text, start)
            speaker = speaker or _dash_speaker(doc, text, end)
        else:
            speaker = _speaker_of(cue, (start, end)) or _named_next_to(doc, text, cue, end)
        if speaker is not None and _is_no_speaker(speaker):
            speaker = None  # said, but by nobody the text names
        if previous is not None and (
            _split_around_cue(doc, text, previous, start, cue)
            or (cue is None and speaker is None and _continues(text, previous, start))
        ):
            # One statement, one quote: it runs from the first part to the last, with the
            # cue and speaker between the parts inside it, so that ``text`` stays
            # ``field[start:end]`` as every consumer of a quote's span reads it.
            previous = replace(previous, text=text[previous.start : end], end=end)
            continue
        if previous is not None:
            yield previous
        previous = _quote(text, field, start, end, "direct", cue, speaker)
        if according is not None:
            to = according[0].nbor()
            previous = replace(previous, cue="according to", cue_end=to.idx + len(to.text))
    if previous is not None:
        yield previous


# A transcript's speaker label opening a paragraph, after an opening mark a page may
# have wrapped the transcript in: "BRANDAUER: Well, …", "\"MARTA QUINTANA: …". Capitals
# only (at least two letters: "Q:" and "A:" are an interview's roles, not names), one to
# four words.
_TURN_LABEL = re.compile(
    r"^[ \t\u00a0]*[\"“„«]?[ \t\u00a0]*"
    r"(?P<label>[A-Z][A-Z.'’-]*[A-Z.](?: [A-Z][A-Z.'’-]*[A-Z.]){0,3})"
    r"[ \t\u00a0]*(?P<colon>:)[ \t\u00a0]+(?P<said>\S[^\n]*)",
    re.MULTILINE,
)
_PARAGRAPH = re.compile(r"[^\n]+")
_NAME_WORD = re.compile(r"\b[A-Z][\w'’-]*")
# The cue of a transcript's turn: the colon after its speaker's label.
TRANSCRIPT_CUE = ":"
# A field is a transcript when paragraphs open with the labels of at least this many
# speakers: a dialogue. "UPDATE:" paragraphs, however many, are an editor's notes.
MIN_TRANSCRIPT_SPEAKERS = 2


def is_transcript_turn(quote: Quote) -> bool:
    """Whether ``quote`` is a turn of a transcript (``transcript_turns``)."""
    return quote.kind == "direct" and quote.cue == TRANSCRIPT_CUE


def transcript_turns(doc: Doc, text: str, field: str = "text") -> Iterator[Quote]:
    """The turns of a transcript in ``text``: each paragraph opening with a speaker's
    label in capitals ("BRANDAUER: …") is what that speaker said, with the speaker's
    paragraphs after it (``_turn_end``). A label is taken for a speaker's name when it
    has several words ("MARTA QUINTANA"), is the surname of such a label, labels two
    turns or more, or names somebody elsewhere in the text ("BRANDAUER:" beside "Ilse
    Brandauer"): a lone "VIDEO:" is none. Nothing is a turn unless
    ``MIN_TRANSCRIPT_SPEAKERS`` speakers take turns."""
    found = [m for m in _TURN_LABEL.finditer(text) if re.search(r"\w", m["said"])]
    if not found:
        return
    turns_of = Counter(m["label"] for m in found)
    surnames = {label.split()[-1] for label in turns_of if " " in label}
    # Names written as a sentence writes them, outside the turns ("McCain" for "MCCAIN").
    written = {
        word.casefold()
        for word in _NAME_WORD.findall(_TURN_LABEL.sub("", text))
        if not word.isupper()
    }

    def names_somebody(label: str) -> bool:
        return (
            " " in label or label in surnames or turns_of[label] >= 2 or label.casefold() in written
        )

    turns = [m for m in found if names_somebody(m["label"])]
    if len({m["label"] for m in turns}) < MIN_TRANSCRIPT_SPEAKERS:
        return
    for match, following in zip(turns, [*turns[1:], None], strict=True):
        end = _turn_end(text, match.span("said"), following.start() if following else None)
        speaker = doc.char_span(*match.span("label"), alignment_mode="contract")
        if speaker is None or not len(speaker):
            continue
        yield replace(
            _quote(text, field, match.start("said"), end, "direct", None, speaker),
            cue=TRANSCRIPT_CUE,
            cue_start=match.start("colon"),
            cue_end=match.end("colon"),
        )


def _turn_end(text: str, said: tuple[int, int], next_turn: int | None) -> int:
    """Where a turn whose first paragraph holds ``said`` ends: the paragraphs after it
    are its speaker's still up to the next turn (``next_turn``), unless one is a stage
    direction ("(CROSSTALK.)", "[…]") or a mark of words left out ("…"), which ends it.
    The last turn is its own paragraph: after a transcript come the writer's words or a
    credit to the writer."""
    start, end = said
    if next_turn is not None:
        for paragraph in _PARAGRAPH.finditer(text, end, next_turn):
            line = paragraph.group().strip(' \t\u00a0"“”„«»')
            if not re.search(r"\w", line) or (line[:1] in "([" and line.rstrip(".")[-1:] in ")]"):
                break
            end = paragraph.end()
    while end > start + 1 and text[end - 1] in " \t\u00a0\"”»’'":
        end -= 1
    return end


def quote_parts(text: str, quote: Quote) -> list[tuple[int, int]]:
    """What was said of a quote, as spans of ``text`` in order: the parts in quotation
    marks of a quotation joined across its cue or over paragraphs (without the cue and
    speaker between them); the quote's own span for any other quote."""
    if quote.kind == "direct" and not is_transcript_turn(quote):
        # Only the quote's own paragraphs are read: a page marks every quote of an article.
        first = text.rfind("\n", 0, quote.start) + 1
        last = text.find("\n", quote.end)
        spans = quoted_spans(text[first : last if last >= 0 else len(text)])
        parts = [
            (first + s, first + e)
            for s, e in spans
            if quote.start <= first + s
            and first + e <= quote.end
            and _is_statement(text, first + s, first + e)
        ]
        if parts:
            return parts
    return [(quote.start, quote.end)]


def words_said(quote: Quote) -> str:
    """The quote's words without its cue and speaker: a quotation split around its cue
    ("…,” says Andriy Lytvyn, a football agent. “…") reads "… … …", its parts joined by
    an ellipsis; any other quote is its text. Needs only the quote, not its field."""
    cue_start, cue_end = quote.cue_start, quote.cue_end
    if quote.kind != "direct" or cue_start is None or cue_end is None:
        return quote.text
    if not quote.start < cue_start < quote.end:
        return quote.text
    after = max(cue_end, quote.speaker_end or cue_end) - quote.start
    before = quote.text[: cue_start - quote.start]
    rest = quote.text[after:]
    closing = max(before.rfind(mark) for mark in _CLOSING_MARKS)
    opening = min((i for i in (rest.find(mark) for mark in _OPENING_MARKS) if i >= 0), default=-1)
    if closing < 0 or opening < 0:
        return quote.text
    first = before[:closing].rstrip(" ,")
    return f"{first} … {rest[opening + 1 :].strip()}"


def _is_statement(text: str, start: int, end: int) -> bool:
    """Whether words in quotation marks can be a statement, not a scare-quoted word or a
    title."""
    return len(text[start:end].split()) >= 4


def _is_remark(text: str, start: int, end: int) -> bool:
    """Words in quotation marks too few for ``_is_statement`` that end in their own mark
    of punctuation, as a remark reported with "he said" does."""
    return not _is_statement(text, start, end) and text[start:end].rstrip().endswith(
        (",", "?", "!", ".")
    )


def _credited_right_after(text: str, quote: Quote) -> bool:
    """Whether a quote's cue and speaker stand right beside its marks, with nothing else
    between: after it ("“Not even one,” he said"; "“Why?” asked the mayor"), or before it
    ("the crowd chanted “What curfew?”")."""
    if quote.cue_start is None or quote.cue_end is None or quote.speaker_start is None:
        return False
    after = min(quote.cue_start, quote.speaker_start)
    if quote.end <= after:
        return not text[quote.end : after].strip(" ”\"’'\u00a0")
    return quote.cue_end <= quote.start and not text[quote.cue_end : quote.start].strip(
        " ,:“\"‘'\u00a0"
    )


def _split_around_cue(doc: Doc, text: str, previous: Quote, start: int, cue: Token | None) -> bool:
    """Whether a quotation carries on the one before it across that one's cue, in the
    same paragraph: "…,” he said, “…” or "…,” the mayor said. “…”."""
    if previous.cue_start is None or previous.cue_end is None or "\n" in text[previous.end : start]:
        return False
    # The cue, and the speaker with it, lie between the two parts, and the second part
    # has no cue of its own.
    if not previous.end <= previous.cue_start < previous.cue_end <= start:
        return False
    # The second part opens a clause or a sentence: after "on CNN's" it is a title.
    gap = text[previous.end : start].rstrip(" “\"„«‘'")
    if not gap.endswith((",", ".", ":", ";", "—", "–")):
        return False
    between = doc.char_span(previous.end, start, alignment_mode="contract")
    cue_span = doc.char_span(previous.cue_start, previous.cue_end, alignment_mode="contract")
    if between is None or cue_span is None or not len(cue_span):
        return False
    # The second part opens the sentence after the cue's ("…,” said X, who ran the board
    # for a decade. “…”): all between is the cue's sentence, and a clause in it, a
    # participle's too ("…,” she said, clapping. “…”", "…,” he said, referring to the
    # plan. “…”), ended with it and introduces nothing, unless it reports a statement of
    # its own ("…,” he said, adding that the council had paid. “…”).
    if _ends_cue_sentence(gap, between, cue_span[0]) and not any(
        _reports_a_clause(t) for t in between if t.i != cue_span[0].i
    ):
        return cue is None or cue.idx == previous.cue_start or between.start <= cue.i < between.end
    if cue is not None and cue.idx != previous.cue_start:
        return False
    # Nothing but the cue's own clause between the parts (its speaker, when and where it
    # was said): a word outside it ("…,” he said. He added that …) or in a clause the cue
    # governs ("…,” he said, adding that …; "…,” but he said that the footage “…”)
    # belongs to something else than the rest of the first part.
    return all(_is_blank(t) or _in_cue_clause(t, cue_span[0]) for t in between)


def _ends_cue_sentence(gap: str, between: Span, cue: Token) -> bool:
    """Whether the words between two parts of a quotation (``gap``, without the second
    part's opening mark) are the rest of the cue's sentence, ended by a full stop."""
    if not gap.endswith((".", "!", "?")):
        return False
    sentence = cue.sent
    return all(_is_blank(t) or sentence.start <= t.i < sentence.end for t in between)


def _reports_a_clause(token: Token) -> bool:
    return _is_speech_word(token) and any(c.dep_ == "ccomp" for c in token.children)


def _in_cue_clause(token: Token, cue: Token) -> bool:
    """Whether a word hangs off the cue other than through a clause the cue governs."""
    while token.i != cue.i:
        if token.head.i == token.i:
            return False  # the root reached without passing the cue
        if token.head.i == cue.i and token.dep_ in _CLAUSE_DEPS:
            return False
        token = token.head
    return True


def _continues(text: str, previous: Quote, start: int) -> bool:
    """Whether a quote opening a paragraph carries on the quote of the paragraph before:
    news style leaves that quotation unclosed at its paragraph's end. A closed one followed
    by a new quotation is two quotes (the second credited by ``_credit_follow_ups``)."""
    if previous.speaker is None:
        return False
    # An unclosed quotation runs to its paragraph's end (``quoted_spans``); a closed one
    # ends at its closing mark.
    return text.startswith("\n", previous.end) and _opens_next_paragraph(text, previous.end, start)


def _opens_next_paragraph(text: str, end: int, start: int) -> bool:
    """Whether ``start`` opens the paragraph after the one ``end`` lies in, with nothing
    but the rest of that paragraph and an opening mark between."""
    between = text[end:start]
    pieces = [piece.strip() for piece in between.split("\n") if piece.strip()]
    return "\n" in between and 0 < len(pieces) <= 2 and len(pieces[-1]) == 1


def _is_speech_word(token: Token) -> bool:
    """A verb that attributes a quote next to it: the usual speech verbs, or any verb the
    cue table found to introduce attributions at least as often as the cue threshold."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    return (
        lemma in _SPEECH_LEMMAS
        or cue_rate(CueFrame(lemma, "*", "*")) >= CUE_THRESHOLD
        # Governing a clause, as a quotation it attributes is parsed: "reads" so used
        # ("“…,” the letter reads") is a cue far more often than "read" is.
        or (
            any(child.dep_ == "ccomp" for child in token.children)
            and cue_rate(cue_frame(token)) >= CUE_THRESHOLD
        )
    )


def _cue_near(doc: Doc, length: int, start: int, end: int) -> Token | None:
    """The speech word attributing a quote: after it in the same sentence ("…," she said),
    else before it ("She said: “…”"), else the one governing the quote's first word."""
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None or not len(first):
        return None
    after = [t for t in first[-1].sent if t.idx >= end] if end < length else []
    before = [t for t in first[0].sent if t.idx + len(t) <= start]
    last_sentence = doc[first[-1].i].sent
    after += [t for t in last_sentence if t.idx >= end and t not in after]
    for candidates in (after[:8], list(reversed(before))[:12]):
        for token in candidates:
            if _is_speech_word(token):
                return token
    described = _after_a_described_speaker(after, end)
    if described is not None:
        return described
    tag = _attribution_after(doc, end, last_sentence.end)
    if tag is not None:
        return tag
    for token in first:
        head = token.head
        if not (start <= head.idx < end) and head.lemma_.lower() in _SPEECH_LEMMAS:
            return head
    return None


# The words after a quotation a tag's subject and verb are looked for in ("the harbour
# master scoffed" is four): set from reading, measured on both PolNeAR splits.
TAG_WORDS = 6


def _tag_verb(doc: Doc, text: str, end: int) -> Token | None:
    """The verb of "“…,” Oliver barked." or "“…?” reacted the mayor.", whatever the verb:
    a quotation that stops on a comma, a question or an exclamation hands its sentence
    to who said it, in the next few words, a verb with its subject beside it and nothing
    it governs but that subject and when or how."""
    closing = text[end - 1 : end] in (",", "?", "!") or text[end : end + 2] in ("”,", '",')
    if not closing:
        return None
    last = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
    if last is None or not len(last):
        return None
    words: list[Token] = []
    for token in doc[last.end :]:
        if token.is_punct and not words:
            continue  # the closing mark and its comma
        if token.is_space or token.is_punct or len(words) == TAG_WORDS:
            break
        words.append(token)
    for token in words:
        if token.pos_ != "VERB":
            continue
        children = list(token.children)
        subjects = [c for c in children if c.dep_ in _SPEAKER_DEPS and c in words]
        governs = [c for c in children if c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp")]
        if subjects and not any(c.idx >= end for c in governs):
            return token
    return None


# The most words a speaker the parser missed may have between a quotation and its cue
# ("the presumptive nominee, Anna Berg" is beyond it: a description needs the parse).
MAX_NAME_WORDS = 5


def _named_next_to(doc: Doc, text: str, cue: Token, end: int) -> Span | None:
    """The speaker of a cue after a quotation when the parser gave the cue no subject (it
    read a word of the name as a verb, or the name as part of the verb or the quotation):
    the few words ending in a name between the closing mark and the cue ("“…,”
    screenwriter Anna Berg wrote"), else the name that opens them ("“…,” Anna Berg, an
    engineer, said"), else the noun phrase right after the cue ("“…,” said Anna Berg, a
    confidant who …")."""
    if cue.idx < end or text[end : cue.idx].count("\n"):
        return None
    between = doc.char_span(end, cue.idx, alignment_mode="expand")
    tokens = [t for t in between if t.i < cue.i] if between is not None else []
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not words:
        after = next((chunk for chunk in doc.noun_chunks if chunk.start == cue.i + 1), None)
        if after is None or after.root.pos_ not in ("PROPN", "NOUN"):
            return None
        return after
    name = doc[words[0].i : cue.i]
    if (
        len(words) <= MAX_NAME_WORDS
        and not any(t.is_punct and t.text != "-" for t in name)
        and words[-1].pos_ == "PROPN"
    ):
        return name
    # "“…,” Anna Berg, a harbour engineer, said" with the name parsed into the quotation:
    # the name that opens the words between, with the words before it ("Texas delegate
    # Anna Berg").
    phrase = list(takewhile(lambda t: t.pos_ in ("PROPN", "NOUN", "ADJ"), name))
    while phrase and phrase[-1].pos_ != "PROPN":
        phrase.pop()
    return doc[phrase[0].i : phrase[-1].i + 1] if phrase else None


# How many tokens after a quotation its cue may stand behind a speaker with a description
# ("“…,” Anna Berg, a harbour engineer at the port authority, said").
DESCRIBED_SPEAKER_TOKENS = 20


def _after_a_described_speaker(after: Sequence[Token], end: int) -> Token | None:
    """The cue of "“…,” <speaker and description> said", beyond the few words a cue is
    looked for in: the first verb after the quotation, when it is a speech word whose
    subject stands between the quotation and it, and that reports no clause of its own
    ("On “The Morning Show,” the senator, a candidate for governor, said she …": the
    quotation is a title)."""
    verb = next((t for t in after[:DESCRIBED_SPEAKER_TOKENS] if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or not _is_speech_word(verb):
        return None
    if any(c.dep_ in ("ccomp", "xcomp") and c.idx >= end for c in verb.children):
        return None
    subject = _subject(verb)
    return verb if subject is not None and end <= subject.idx < verb.idx else None


def _quotative_verb(doc: Doc, text: str, start: int) -> Token | None:
    """The verb a quotation follows straight after a comma or colon ("the mayor shot
    back, “…”", "the crowd chanted: “…”"): whatever its word, in that frame it introduces
    what its subject said."""
    head = text[:start].rstrip(" “\"„«‘'\u00a0")
    if not head.endswith((",", ":")) or "\n" in text[len(head) : start]:
        return None
    before = doc.char_span(max(0, len(head) - 1), len(head), alignment_mode="expand")
    if before is None or not len(before) or before[0].i == 0:
        return None
    word = doc[before[0].i - 1]
    if word.pos_ in ("ADP", "ADV", "PART") and word.i > 0:  # "shot back", "went on"
        word = doc[word.i - 1]
    if word.pos_ != "VERB" or _speaker_of(word) is None:
        return None
    return word


# How far into the sentence after a quotation its speech word may stand: past a speaker
# of a few words ("a narrator in the new ad asks").
ATTRIBUTION_AFTER_WORDS = 10


def _attribution_after(doc: Doc, end: int, next_sentence: int) -> Token | None:
    """The speech word of "“…?” he asked." when the parser starts a sentence after the
    closing mark: the next sentence follows the quotation on its line, and its speech word
    (in its first few words) reports nothing else: it governs no clause, as "She said
    the port …" after a quotation does."""
    if next_sentence >= len(doc):
        return None
    sentence = doc[next_sentence].sent
    gap = doc.text[end : sentence.start_char]
    if "\n" in gap or gap.strip(" ”\"»«’'.,?!"):
        return None
    for token in list(sentence)[:ATTRIBUTION_AFTER_WORDS]:
        if _is_speech_word(token) and not any(c.dep_ in ("ccomp", "xcomp") for c in token.children):
            return token
    return None


# "“…” ― Name" on the quotation's line.
_DASH_AFTER = re.compile(r"[”\"»’']?[ \u00a0]*[―—–][ \u00a0]*([^\n.,;:!?(]{2,60})")
# The same credit on a line of its own after the quotation's paragraph: "“…”\n\n- Name."
# (a hyphen too, as a line opening; a place or a title may follow the name).
_DASH_LINE = re.compile(
    r"[”\"»’']?[.!?]?[ \u00a0]*\n+[ \u00a0]*[―—–-][ \u00a0]*([^\n.,;:!?(]{2,60})[^\n]{0,40}(?:\n|$)"
)


def _dash_speaker(doc: Doc, text: str, end: int) -> Span | None:
    """ "“…” ― Name" (a reader's comment, an epigraph) credits the quotation to the name
    after the dash: a person or organisation, or a few words that are all proper nouns."""
    found = _DASH_AFTER.match(text[end : end + 80]) or _DASH_LINE.match(text[end : end + 120])
    if found is None:
        return None
    span = doc.char_span(end + found.start(1), end + found.end(1), alignment_mode="contract")
    if span is None or not len(span):
        return None
    names = [e for e in span.ents if e.label_ in ("PERSON", "ORG")]
    if names:
        return names[0]
    words = [t for t in span if not _is_blank(t)]
    return span if 0 < len(words) <= 5 and all(t.pos_ == "PROPN" for t in words) else None


# What a name before a colon is when the sentence is about it rather than by it.
_NOT_THE_SPEAKER = ("pobj", "dobj", "dative", "poss")


def _colon_attribution(doc: Doc, text: str, start: int) -> tuple[Token | None, Span | None]:
    """The cue and speaker of a quotation after a colon: "Name: “…”", and a paragraph
    ending in a colon before the quotation's own ("The mayor continued:\n\n“…”"). The
    speaker is the subject of a speech word in the sentence before the colon, else the
    last person or organisation named there before the colon that the sentence is not
    about (``_NOT_THE_SPEAKER``)."""
    # At most one paragraph break between, and then the colon ends its paragraph.
    head = text[:start].rstrip(" “\"„«‘'").rstrip()
    if text[len(head) : start].count("\n") > 2 or not head.endswith(":"):
        return None, None
    colon = len(head) - 1
    sentence = doc.char_span(max(0, colon - 1), colon, alignment_mode="expand")
    if sentence is None or not len(sentence):
        return None, None
    own = sentence[0].sent
    cue = next((t for t in reversed(own) if t.idx < colon and _is_speech_word(t)), None)
    speaker = _speaker_of(cue) if cue is not None else None
    if speaker is not None and not _is_no_speaker(speaker):
        return cue, speaker
    # Only a name in the colon's own sentence ("Mark Cuban." before "Partial transcript as
    # follows:" did not say what follows), and not one the sentence is about: "a message
    # to Trump:", "in an interview with CNN:", "Obama's questioners were hostile:".
    start_of_window = max(own.start_char, colon - 80)
    names = [
        e
        for e in own.ents
        if e.label_ in ("PERSON", "ORG")
        and start_of_window <= e.start_char
        and e.end_char <= colon
        and e.root.dep_ not in _NOT_THE_SPEAKER
    ]
    return None, (names[-1] if names else None)


# --------------------------------------------------------------------------- reported speech


def _reported_speech(doc: Doc, text: str, field: str) -> Iterator[Quote]:
    lemmas = cue_lemmas()
    for token in doc:
        if token.lower_ == "according" and _is_according_to(token):
            quote = _according_to(doc, text, field, token)
            if quote is not None:
                yield quote
            continue
        if token.pos_ not in ("VERB", "AUX", "NOUN") or token.lemma_.lower() not in lemmas:
            continue
        frame = cue_frame(token)
        if frame.frame == "none" or cue_rate(frame) < CUE_THRESHOLD:
            continue
        # "He did not say which supplies …": nothing was said.
        if any(child.dep_ == "neg" for child in token.children):
            continue
        if _is_hearsay(token):
            continue
        content = _content_of(token, frame)
        if content is None:
            continue
        # A parse can run across a paragraph break; what was said stays in the cue's paragraph.
        paragraph_start = text.rfind("\n", 0, token.idx) + 1
        paragraph_end = text.find("\n", token.idx)
        start = max(content[0], paragraph_start)
        end = min(content[1], paragraph_end if paragraph_end >= 0 else len(text))
        if end - start < 2:
            continue
        # A clause before a colon or semicolon is not what the verb after it reports:
        # "X tries to understand the decision: in the end, Kazakhstan and Russia share a
        # long history" (a colon opens an explanation; reported speech runs "…, X said").
        if end <= token.idx and re.search(r"[:;]", text[end : token.idx]):
            continue
        speaker = _speaker_of(token)
        if speaker is not None and _is_no_speaker(speaker):
            continue
        # A noun with nobody behind it ("criticism of the West", "on his side") attributes
        # nothing.
        if token.pos_ == "NOUN" and speaker is None:
            continue
        yield _quote(text, field, start, end, "indirect", token, speaker)


def _is_that_clause(token: Token) -> bool:
    """Whether ``token`` heads a clause opened by "that" hanging off a noun."""
    return token.dep_ in ("acl", "ccomp", "relcl") and any(
        child.dep_ == "mark" and child.lower_ == "that" for child in token.children
    )


def _is_hearsay(cue: Token) -> bool:
    """Whether the cue says what others say of its subject, not what the subject said:
    "the club is said to be interested", "a striker reported to have agreed terms". A
    passive cue, or one followed by "to be" or "to have", whose infinitive it governs; the
    parser reads the short form ("a club said to be …") as active, hence the two verbs."""
    for child in cue.children:
        if child.dep_ != "xcomp" or child.i <= cue.i:
            continue
        infinitive = any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children)
        # A participle without "have" is passive ("reported to"); with it, perfect ("has
        # called on the city to act").
        participle = cue.tag_ == "VBN" and not any(a.lemma_ == "have" for a in cue.children)
        passive = participle or any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children)
        if infinitive and (passive or child.lemma_ in ("be", "have")):
            return True
    return False


def _content_of(token: Token, frame: CueFrame) -> tuple[int, int] | None:
    if frame.frame.startswith("prep:"):
        prep = next(c for c in token.children if c.dep_ == "prep" and list(c.children))
        objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if not objects:
            return None
        # "said in a statement that …": the parser hangs the clause on the statement, and
        # the clause is what was said, not the statement.
        clause = next((c for c in objects[0].children if _is_that_clause(c)), None)
        if clause is None and prep.lower_ in _CIRCUMSTANCE:
            return None  # "saying during the debate": when it was said, not what
        return _hull((clause or objects[0]).subtree)
    if frame.frame == "parataxis":
        head = token.head
        own = {t.i for t in token.subtree}
        return _hull(t for t in head.subtree if t.i not in own and not t.is_punct)
    child = next((c for c in token.children if c.dep_ == frame.frame), None)
    if child is None:
        return None
    if (
        frame.frame == "dobj"
        and frame.lemma not in _SPEECH_LEMMAS
        and not any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in child.subtree)
    ):
        # An object noun is what was said after a verb of saying ("announced the plan") or
        # of judging, which the cue table knows by how often its object was the content
        # ("accused", "criticized", "cited", "called"); after another verb it is what was
        # done ("took Twitter", "passed his medical").
        if cue_rate(frame) < OBJECT_THRESHOLD:
            return None
        # What was said is the object with what completes it: "attacked the mayor for
        # closing the bridge", "called the plan “reckless and late”".
        return _hull(
            t
            for c in token.children
            if c.i > token.i and c.dep_ in _PREDICATE_DEPS
            for t in c.subtree
        )
    return _hull(child.subtree)


# Subjects that name nobody: a relative pronoun ("which reported"), an unresolved "it" or
# "one", a figure.
_NO_SPEAKER = {"which", "who", "whom", "that", "it", "one", "this", "these", "those", "what"}
# Prepositions of when or how something was said, not of who said it ("at", "of", "from"
# and "for" give an affiliation: "an analyst at …", "a spokesman for …").
_CIRCUMSTANCE = word_set("in on during after before since while when via through")
# Nouns after which "according to" means "in proportion to" or "as set out by", not "as
# said by": "split according to each country's share", "paid according to the length".
CRITERION_NOUNS = word_set(
    """
    share length size number amount proportion weight formula rule plan schedule law way
    need needs ability means capacity population distance age income rank order merit
    """
)


def _is_no_speaker(speaker: Span) -> bool:
    """A pronoun that names nobody ("which", "it") or a lone figure; "73 percent" (of
    those asked) is a group of people."""
    return len(speaker) == 1 and (speaker[0].lower_ in _NO_SPEAKER or speaker[0].like_num)


def _is_according_to(token: Token) -> bool:
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.lower_ == "according" and following is not None and following.lower_ == "to"


# "“…,” according to CNN" / "According to the paper, “…”": the phrase right beside the
# quotation, a comma at most between.
_ACCORDING_AFTER = re.compile(r"[”\"’»']?,?[”\"’»']?[ \u00a0]+according[ \u00a0]+to\b")
_ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording to [^,.;:!?“”\"\n]{1,80},[ \u00a0]*[“\"„«‘']?$")


def _according_beside(doc: Doc, text: str, start: int, end: int) -> tuple[Token, Span] | None:
    """The cue and source of a quotation credited by "according to" right beside it,
    with nothing else to credit it: "“…,” according to CNN", "According to the
    newspaper, “…”"."""
    after = _ACCORDING_AFTER.match(text, end)
    if after is not None:
        at = after.end() - len("according to")
    else:
        window = max(0, start - 120)
        before = _ACCORDING_BEFORE.search(text[window:start])
        if before is None:
            return None
        at = window + before.start()
    found = doc.char_span(at, at + len("according"), alignment_mode="contract")
    if found is None or len(found) != 1 or not _is_according_to(found[0]):
        return None
    according = found[0]
    objects = [c for c in according.nbor().children if c.dep_ == "pobj"]
    if not objects or _is_a_criterion(objects[0]):
        return None
    return according, _source_phrase(objects[0])


def _according_to(doc: Doc, text: str, field: str, according: Token) -> Quote | None:
    to = according.doc[according.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if objects and _is_a_criterion(objects[0]):
        # "split according to each country's share", "paid according to the length":
        # a measure, not a source.
        return None
    source = _source_phrase(objects[0]) if objects else None
    phrase = {t.i for t in according.subtree} | {t.i for t in to.subtree}
    clause = according.head
    while clause.dep_ not in ("ROOT", "ccomp", "conj", "advcl") and clause.head.i != clause.i:
        clause = clause.head
    content = _hull(t for t in clause.subtree if t.i not in phrase and not t.is_punct)
    if content is None:
        return None
    cue_end = to.idx + len(to.text)
    return Quote(
        text=text[content[0] : content[1]],
        start=content[0],
        end=content[1],
        kind="indirect",
        field=field,
        cue="according to",
        cue_start=according.idx,
        cue_end=cue_end,
        speaker=source.text if source is not None else None,
        speaker_start=source.start_char if source is not None else None,
        speaker_end=source.end_char if source is not None else None,
    )


def _source_phrase(head: Token) -> Span:
    """The noun phrase of a source without what a comma adds after it: "the port
    authority", not "the port authority, which said it expected …"; for a report or
    figures from or by someone, that someone ("according to figures from the ministry",
    "data published by the water authority")."""
    if head.pos_ == "NOUN":
        for inner in (head, *(c for c in head.children if c.dep_ == "acl")):
            for prep in inner.children:
                if prep.dep_ in ("prep", "agent") and prep.lower_ in ("from", "by"):
                    objects = [c for c in prep.children if c.dep_ == "pobj"]
                    if objects and (objects[0].ent_type_ or objects[0].pos_ == "PROPN"):
                        return _source_phrase(objects[0])
    end = head.right_edge.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "appos", "punct"):
            end = min(end, child.left_edge.i - 1)
    while end > head.i and head.doc[end].is_punct:
        end -= 1
    return head.doc[head.left_edge.i : end + 1]


def _is_a_criterion(head: Token) -> bool:
    """Whether the object of "according to" is a measure or a rule, not a source."""
    return head.pos_ == "NOUN" and head.lemma_.lower() in CRITERION_NOUNS


def _without_dateline(text: str, quote: Quote) -> Quote:
    """A statement opening a wire story starts after its dateline ("ERZINCAN, Turkey (AP)
    — A strong earthquake struck …, officials said"): the dateline is the agency's, not
    what the officials said."""
    cut = dateline_end(text[quote.start : quote.end])
    if not cut or quote.kind != "indirect":
        return quote
    return replace(quote, start=quote.start + cut, text=text[quote.start + cut : quote.end])


# --------------------------------------------------------------------------- shared


# How many clauses up a cue without a subject looks for who spoke: a participle may hang on
# a clause that hangs on another ("hinted at it by mentioning … and adding, “…”").
GOVERNING_CLAUSES = 3


def _speaker_of(cue: Token, quotation: tuple[int, int] | None = None) -> Span | None:
    """Who the cue says spoke: its subject (outside ``quotation``, the span of the quoted
    words when the cue attributes a quotation), else the clause's it hangs on, else its
    agent ("was told by …")."""
    doc = cue.doc
    subject = _subject(cue, quotation) or _governing_subject(cue, quotation)
    if subject is None:
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        objects = [c for c in agent.children if c.dep_ == "pobj"] if agent is not None else []
        subject = objects[0] if objects else None
    if subject is None:
        return None
    if cue.dep_ == "relcl" and subject.lower_ in ("who", "whom"):
        # "the senator, who joked …": who spoke is the person the clause describes ("which"
        # and "that" stay unresolved: their nouns are as often a report or a rule), and the
        # name a description stands beside ("Anna Berg, an engineer who argued …").
        subject = cue.head.head if cue.head.dep_ == "appos" else cue.head
    # A relative clause after the name belongs to the description, and a phrase of when or
    # where it was said to the saying ("the native Kazakh in an earlier conversation").
    tokens = [
        t
        for t in subject.subtree
        if not t.is_punct
        and not (quotation and _beyond(t, subject, quotation))
        and not any(
            a.dep_ in ("relcl", "acl")
            or (a.dep_ == "prep" and a.head.i == subject.i and _is_circumstance(a))
            for a in _up_to(t, subject)
        )
    ]
    if not tokens:
        return None
    start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
    # The closing bracket is punctuation the loop left out: "Rep. Anna Berg (D-Wis.)".
    if doc[start:end].text.count("(") > doc[start:end].text.count(")") and (
        end < len(doc) and doc[end].text == ")"
    ):
        end += 1
    return doc[start:end]


def _governing_subject(cue: Token, quotation: tuple[int, int] | None = None) -> Token | None:
    """The subject of the clause a cue without one hangs on: "…, saying “…”", "telling
    them that …", "… before asking her, “…”", "criticized for saying that …". A participle
    of saying looks up to ``GOVERNING_CLAUSES`` clauses up ("hinted at it by mentioning …
    and adding, “…”"), and to the speaker when the clause is what a speaker said."""
    # Only a participle of saying looks further than the clause it hangs on: another verb's
    # clause is often not what its subject said ("order", "consider").
    speaking = _is_saying_participle(cue)
    token = cue
    for _ in range(GOVERNING_CLAUSES if speaking else 1):
        if token.dep_ in ("conj", "xcomp", "advcl"):
            token = token.head
        elif token.dep_ == "pcomp" and token.head.dep_ == "prep":
            token = token.head.head  # past the preposition
        else:
            return None
        if (
            speaking
            and token.dep_ == "ccomp"
            and _is_speech_word(token.head)
            # A verb of saying inside the quotation is the quoted words' own ("…, telling
            # reporters, “A lot of people said …”", misread as governing the sentence).
            and not (quotation and quotation[0] <= token.head.idx < quotation[1])
        ):
            # "X said the port would reopen, adding, “…”": the parser hangs the participle
            # on the reported clause's verb, but the one adding is the one saying.
            return _subject(token.head)
        subject = _subject(token)
        if subject is not None:
            return subject
    return None


def _beyond(token: Token, subject: Token, quotation: tuple[int, int]) -> bool:
    """Whether ``token`` lies in the quotation or on its far side from the subject: a
    parse that hangs words of the quotation on the speaker does not make them the name."""
    start, end = quotation
    return token.idx < end if subject.idx >= end else token.idx >= start


def _is_circumstance(prep: Token) -> bool:
    """Whether a preposition after a speaker tells when or where it was said: "in an
    interview", "at the presentation"; "at" a name or an institution is where the speaker
    works ("an analyst at Nordbank", "a geophysicist at the university")."""
    if prep.lower_ == "at":
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        return bool(objects) and not (
            objects[0].ent_type_
            or objects[0].pos_ == "PROPN"
            or objects[0].lemma_.lower() in ORG_HEAD_NOUNS
        )
    return prep.lower_ in _CIRCUMSTANCE


def _up_to(token: Token, top: Token) -> Iterator[Token]:
    # spaCy hands out a new Token object on every access: compare positions, not identity.
    while token.i != top.i and token.head.i != token.i:
        yield token
        token = token.head


def _quote(
    text: str,
    field: str,
    start: int,
    end: int,
    kind: str,
    cue: Token | None,
    speaker: Span | None,
) -> Quote:
    return Quote(
        text=text[start:end],
        start=start,
        end=end,
        kind=kind,  # type: ignore[arg-type]
        field=field,
        cue=cue.text if cue is not None else None,
        cue_start=cue.idx if cue is not None else None,
        cue_end=cue.idx + len(cue.text) if cue is not None else None,
        speaker=speaker.text if speaker is not None else None,
        speaker_start=speaker.start_char if speaker is not None else None,
        speaker_end=speaker.end_char if speaker is not None else None,
    )


def _hull(tokens: Iterable[Token]) -> tuple[int, int] | None:
    tokens = list(tokens)
    if not tokens:
        return None
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _overlaps_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


# --------------------------------------------------------------------------- confidence

# The signals of a quote the confidence is computed from, in the order of
# ``quote_signals`` (described in the module docstring).
SIGNALS = (
    "cue_rate",
    "according_to",
    "direct",
    "credited_quotation",
    "transcript_turn",
    "content_verb",
    "content_length",
    "speaker_name",
    "speaker_pronoun",
    "speaker_noun",
    "hypothetical",
    "cue_elsewhere",
    "cue_before",
    "ends_sentence",
    "governs_ccomp",
    "governs_xcomp",
    "governs_object",
    "governs_prep",
    "parataxis",
)
# The frames of ``cue_frame`` behind the last five signals, in their order ("prep:" for
# any preposition).
_SIGNAL_FRAMES = ("ccomp", "xcomp", "dobj", "prep", "parataxis")
_MODALS = {"would", "could", "might", "may", "should", "can"}
_NAMED = ("PERSON", "ORG", "NORP", "GPE")


@dataclass(frozen=True)
class ConfidenceModel:
    """A logistic regression over ``SIGNALS``: weights in that order and a bias."""

    weights: tuple[float, ...]
    bias: float

    def confidence(self, signals: Sequence[float]) -> float:
        score = self.bias + sum(w * x for w, x in zip(self.weights, signals, strict=True))
        return 1.0 / (1.0 + math.exp(-score))


@lru_cache(maxsize=1)
def confidence_model() -> ConfidenceModel:
    """The bundled weights; they must name exactly ``SIGNALS``, or a retrained file and
    this module disagree about what each weight multiplies."""
    data = json.loads(CONFIDENCE_MODEL.read_text(encoding="utf-8"))
    weights: dict[str, float] = data["weights"]
    if tuple(weights) != SIGNALS:
        raise ValueError(f"{CONFIDENCE_MODEL} weighs {tuple(weights)}, not {SIGNALS}")
    return ConfidenceModel(tuple(float(w) for w in weights.values()), float(data["bias"]))


def quote_signals(doc: Doc, quote: Quote) -> tuple[float, ...]:
    """The values of ``SIGNALS`` for a quote found in ``doc``."""
    content = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    # A quotation joined across its cue holds the cue and the speaker between its parts:
    # they are not what was said.
    not_said = [
        (start, end)
        for start, end in (
            (quote.cue_start, quote.cue_end),
            (quote.speaker_start, quote.speaker_end),
        )
        if start is not None and end is not None
    ]
    words = (
        [t for t in content if not _is_blank(t) and not any(s <= t.idx < e for s, e in not_said)]
        if content is not None
        else []
    )
    cue = (
        doc.char_span(quote.cue_start, quote.cue_end, alignment_mode="expand")
        if quote.cue_start is not None and quote.cue_end is not None
        else None
    )
    cue_token = cue[0] if cue is not None and len(cue) else None
    hypothetical = cue_token is not None and any(
        c.dep_ == "aux" and c.lower_ in _MODALS for c in cue_token.children
    )
    sentences = {t.sent.start for t in (words[0], words[-1])} if words else set()
    elsewhere = cue_token is not None and bool(sentences) and cue_token.sent.start not in sentences
    ends_sentence = bool(words) and all(
        _is_blank(t) for t in doc[words[-1].i + 1 : words[-1].sent.end]
    )
    name, pronoun, noun = _speaker_kind(doc, quote)
    frame = cue_frame(cue_token) if cue_token is not None else None
    governs = (
        frame.frame.split(":", 1)[0]
        if frame is not None and quote.kind == "indirect" and quote.cue != "according to"
        else None
    )
    return (
        cue_rate(frame) if frame is not None else 0.0,
        float(quote.cue == "according to"),
        float(quote.kind == "direct"),
        float(is_credited_quotation(quote)),
        float(is_transcript_turn(quote)),
        float(any(t.pos_ in ("VERB", "AUX") for t in words)),
        math.log1p(len(words)),
        float(name),
        float(pronoun),
        float(noun),
        float(hypothetical),
        float(elsewhere),
        float(quote.cue_start is not None and quote.cue_start < quote.start),
        float(ends_sentence),
        *(float(governs == frame_name) for frame_name in _SIGNAL_FRAMES),
    )


def _is_blank(token: Token) -> bool:
    return token.is_punct or token.is_space


def _speaker_kind(doc: Doc, quote: Quote) -> tuple[bool, bool, bool]:
    """(a name, a pronoun, a common noun): what the speaker's words are, all False
    without a speaker."""
    if quote.speaker_start is None or quote.speaker_end is None:
        return False, False, False
    if is_transcript_turn(quote):
        return True, False, False  # a label in capitals, which the tagger may misread
    span = doc.char_span(quote.speaker_start, quote.speaker_end, alignment_mode="expand")
    if span is None or not len(span):
        return False, False, False
    if any(t.ent_type_ in _NAMED or t.pos_ == "PROPN" for t in span):
        return True, False, False
    root = span.root
    return False, root.pos_ == "PRON", root.pos_ == "NOUN"
