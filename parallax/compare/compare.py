"""Compare what each outlet reports about one story.

Pure functions over the stored articles, their analyses and the resolved
entities of one story:

    participants   who and which countries each outlet names, how and in which role
    facts          the body's sentences aligned across outlets: shared or unique
    conflicts      different lists of participants, numbers, dates, spellings, speakers
    quotes         who is quoted where, the same quote carried by several outlets
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from parallax.clean.dates import DateMention, find_dates
from parallax.compare.model import (
    ArticleRef,
    Comparison,
    Conflict,
    ConflictKind,
    Fact,
    OutletView,
    Participant,
    QuoteReport,
    Source,
)
from parallax.lexicon.countries import country_from_name, country_name
from parallax.lexicon.names import normalise, owner_of_short_name
from parallax.lexicon.roles import is_title
from parallax.model import Article, ArticleAnalysis, Entity, Mention, Quote, Story
from parallax.nlp.analysis import article_fields

# Two sentences state the same fact when the IDF-weighted cosine of their content words,
# figures and entities reaches this. Read on the seeds and the bundled examples: the same
# fact in other words scores 0.25-0.5 there, the best pair of different facts 0.22. A
# wrong "shared" misleads more than a missed one, so the bar sits above that.
FACT_SIMILARITY = 0.25
FACT_KEYS = 8
# Two quotes are one when this share of the shorter one's content words (at least
# QUOTE_MIN_WORDS of them) is in the other.
QUOTE_OVERLAP = 0.6
QUOTE_MIN_WORDS = 4
MIN_FACT_WORDS = 5

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|No|vs)\.$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    )
}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(_NUMBER_WORDS)
    + r")\b(?:\s+(million|billion|thousand))?(?=((?:\s+[A-Za-z][a-z-]*){0,2}))",
    re.IGNORECASE,
)
# Words that say what a figure measures, whichever noun it counts ("four people died",
# "killing three", "2,000 residents had been evacuated").
_MEASURES = {
    **dict.fromkeys(("died", "dead", "killed", "killing", "deaths", "fatalities"), "dead"),
    **dict.fromkeys(("injured", "wounded", "hurt", "injuring", "injuries"), "injured"),
    **dict.fromkeys(("evacuated", "evacuees", "displaced", "homeless"), "evacuated"),
    **dict.fromkeys(("stranded", "trapped", "stuck"), "stranded"),
    **dict.fromkeys(("missing",), "missing"),
    **dict.fromkeys(("arrested", "detained"), "arrested"),
    **dict.fromkeys(("magnitude",), "magnitude"),
}
_MONTH_OR_NUMBER_SIGN = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s$|\bNo\.\s$"
)
_MEASURE_BEFORE = re.compile(
    r"\b(magnitude)[\s-]+(?:of\s+|at\s+|to\s+)?(\d+(?:\.\d+)?)\b", re.IGNORECASE
)
_PARTICIPATION = re.compile(
    r"\b(?:took part|take part|taking part|takes part|attend(?:ed|s|ing)?|present|"
    r"join(?:ed|s)?|participat\w*|among (?:those|the) (?:present|guests|attending)|guests?|"
    r"delegations?|gathered|arrived)\b",
    re.IGNORECASE,
)
# What may stand between two members of one list: separators and the role words of the
# next member ("Tokayev, Kyrgyz President Sadyr Japarov", "Lukashenko of Belarus").
_LIST_SEPARATOR = re.compile(r"^(?:,|and|or|&|along with|as well as|plus|of|the|as)$")
_GAP_TOKEN = re.compile(r",|&|along with|as well as|[^\s,]+")
_STOP_WORDS: frozenset[str] | None = None


@dataclass
class Sentence:
    article_id: str
    outlet: str
    start: int
    end: int
    text: str
    mentions: list[Mention] = field(default_factory=list)

    def source(self) -> Source:
        return Source(self.article_id, self.outlet, self.start, self.end, "text", self.text)


def _article_ref(article: Article, analysis: ArticleAnalysis | None) -> ArticleRef:
    reason = analysis.not_analysed if analysis else None
    return ArticleRef(
        article.id, outlet_of(article), article.title, article.url, article.published, reason
    )


def compare_story(
    story: Story,
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entities: Iterable[Entity] = (),
) -> Comparison:
    """The comparison of one story's ``articles`` (in the story's order)."""
    known = {entity.id: entity for entity in entities}
    outlets = _unique(outlet_of(article) for article in articles)
    participants = find_participants(articles, analyses, known)
    sentences = [s for article in articles for s in split_sentences(article, analyses)]
    groups = align_sentences(sentences)
    facts = [_fact(group) for group in groups]
    facts.sort(key=lambda fact: fact.status != "shared")
    quotes = find_quote_reports(articles, analyses, known)
    conflicts = (
        participant_list_conflicts(participants)
        + story_number_conflicts(sentences)
        + figure_conflicts(groups)
        + name_conflicts(participants)
        + speaker_conflicts(quotes)
    )
    return Comparison(
        story_id=story.id,
        title=story.title,
        outlets=outlets,
        articles=[_article_ref(a, analyses.get(a.id)) for a in articles],
        participants=participants,
        facts=facts,
        conflicts=conflicts,
        quotes=quotes,
        start=story.start,
        end=story.end,
        documents={a.id: dict(article_fields(a)) for a in articles},
    )


def outlet_of(article: Article) -> str:
    """The outlet an article is credited to: its publisher, else its source's name."""
    if article.outlet:
        return article.outlet
    source = article.url or article.source
    return re.sub(r"^\w+://(?:www\.)?", "", source).split("/")[0] or article.id


# --------------------------------------------------------------------------- participants


def find_participants(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entities: Mapping[str, Entity],
) -> list[Participant]:
    """Every person, organisation and country the story's articles name, by outlet.

    A country counts as mentioned by an outlet that names it or names someone in an
    office of it ("Tajik President Emomali Rakhmon"); members of a list of those taking
    part are marked ``listed``.
    """
    outlets = _unique(outlet_of(article) for article in articles)
    found: dict[str, Participant] = {}
    order: Counter[str] = Counter()
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        outlet = outlet_of(article)
        listed = listed_members(article, analysis)
        for index, mention in enumerate(analysis.mentions):
            # Across articles the resolved entity's type wins over one article's reading.
            entity = entities.get(mention.entity_id or "")
            if entity is not None and entity.type != mention.type:
                mention = replace(mention, type=entity.type)
            source = _mention_source(article, outlet, mention)
            key = _participant_key(mention)
            if key is not None:
                participant = _participant(found, key, mention, entities, outlets)
                view = participant.by_outlet[outlet]
                view.mentioned = True
                view.mentions += 1
                view.sources.append(source)
                view.listed |= index in listed
                if mention.kind != "descriptor" and mention.text not in view.variants:
                    view.variants.append(mention.text)
                if mention.role and mention.role not in view.roles:
                    view.roles.append(mention.role)
                order[key] += 1
            if mention.type == "person" and mention.country and mention.role:
                # Someone in an office of a country brings the country into the story.
                country = _participant(found, f"country:{mention.country}", None, entities, outlets)
                view = country.by_outlet[outlet]
                view.mentioned = True
                view.sources.append(source)
                if mention.text not in view.via:
                    view.via.append(mention.text)
                view.listed |= index in listed
                order[f"country:{mention.country}"] += 1
    _fold_short_names(found, order)
    ranked = sorted(
        found.values(),
        key=lambda p: (-len(p.outlets), _TYPE_ORDER.get(p.type, 9), -order[p.entity_id]),
    )
    return ranked


_TYPE_ORDER = {"person": 0, "country": 1, "organisation": 2}


def _fold_short_names(found: dict[str, Participant], order: Counter[str]) -> None:
    """One person, one participant: people of one name are one participant, and a lone
    given name or surname that fits exactly one person the story names in full is that
    person ("Tara" and "Reid" beside "Tara Reid"), though resolution across the whole
    store kept them apart (there the name may fit others)."""
    people: dict[str, Participant] = {}
    for participant in [p for p in found.values() if p.type == "person"]:
        name = normalise(participant.canonical)
        if name in people:
            _merge_participant(participant, people[name], found, order)
        else:
            people[name] = participant
    for name, short in list(people.items()):
        owner = owner_of_short_name(name, people)
        if owner is not None:
            _merge_participant(short, people[owner], found, order)


def _merge_participant(
    part: Participant, into: Participant, found: dict[str, Participant], order: Counter[str]
) -> None:
    for outlet, view in part.by_outlet.items():
        target = into.by_outlet[outlet]
        target.mentioned |= view.mentioned
        target.mentions += view.mentions
        target.listed |= view.listed
        target.sources.extend(view.sources)
        target.variants.extend(v for v in view.variants if v not in target.variants)
        target.roles.extend(r for r in view.roles if r not in target.roles)
    order[into.entity_id] += order.pop(part.entity_id, 0)
    del found[part.entity_id]


def _participant_key(mention: Mention) -> str | None:
    if mention.type in ("person", "organisation"):
        return mention.entity_id
    code = country_from_name(mention.canonical or mention.text)
    return f"country:{code}" if code else None


def _participant(
    found: dict[str, Participant],
    key: str,
    mention: Mention | None,
    entities: Mapping[str, Entity],
    outlets: Sequence[str],
) -> Participant:
    if key not in found:
        entity = entities.get(key)
        if key.startswith("country:"):
            code = key.split(":", 1)[1]
            canonical, kind, country = country_name(code), "country", code
        else:
            canonical = (entity.canonical if entity else None) or (
                mention.canonical or mention.text if mention else key
            )
            kind = mention.type if mention else "person"
            country = (entity.country if entity else None) or (mention and mention.country)
        found[key] = Participant(
            entity_id=key,
            canonical=canonical,
            type=kind,
            by_outlet={outlet: OutletView(mentioned=False) for outlet in outlets},
            country=country or None,
            warnings=list(entity.warnings) if entity else [],
        )
    return found[key]


def _mention_source(article: Article, outlet: str, mention: Mention) -> Source:
    text = _field_text(article, mention.field)
    return Source(
        article.id,
        outlet,
        mention.start,
        mention.end,
        mention.field,
        text[mention.start : mention.end],
    )


def _field_text(article: Article, field_name: str) -> str:
    if field_name == "text":
        return article.text
    index = int(field_name.split(":", 1)[1])
    return article.captions[index] if index < len(article.captions) else ""


def listed_members(article: Article, analysis: ArticleAnalysis) -> set[int]:
    """Indexes of the mentions named in a list of those taking part: a sentence about
    taking part, attending or being present, naming two or more people or countries
    one after another with only separators and role words between them."""
    mentions = [
        (index, m)
        for index, m in enumerate(analysis.mentions)
        if m.field == "text"
        and (m.type == "person" or (m.type == "place" and _participant_key(m) is not None))
    ]
    members: set[int] = set()
    for start, end in sentence_spans(article.text):
        sentence = article.text[start:end]
        if not _PARTICIPATION.search(sentence):
            continue
        inside = [(i, m) for i, m in mentions if start <= m.start < end]
        if len(inside) < 2:
            continue
        run: list[int] = []
        for (i, m), nxt in zip(inside, [*inside[1:], None], strict=True):
            run.append(i)
            if nxt is None or not _list_gap(article.text[m.end : nxt[1].start]):
                if len(run) >= 2:
                    members.update(run)
                run = []
    return members


def _list_gap(gap: str) -> bool:
    tokens = _GAP_TOKEN.findall(gap.strip())
    if not any(_LIST_SEPARATOR.match(token) for token in tokens):
        return False
    return all(
        _LIST_SEPARATOR.match(token) or token[:1].isupper() or is_title(token) for token in tokens
    )


# --------------------------------------------------------------------------- facts


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


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def split_sentences(article: Article, analyses: Mapping[str, ArticleAnalysis]) -> list[Sentence]:
    """The statements of a body: its sentences, without headings and fragments."""
    analysis = analyses.get(article.id)
    mentions = [m for m in analysis.mentions if m.field == "text"] if analysis else []
    outlet = outlet_of(article)
    found = []
    for start, end in sentence_spans(article.text):
        text = article.text[start:end]
        # List bullets open a sentence without being part of it.
        start += len(text) - len(text.lstrip("•*–—-· \t"))
        text = article.text[start:end].strip()
        end = start + len(text)
        # A heading has no closing punctuation; a fragment too few words to state much.
        if not re.search(r"[.!?…][\"”’)]*$", text) or len(_WORD.findall(text)) < MIN_FACT_WORDS:
            continue
        inside = [m for m in mentions if start <= m.start < end]
        found.append(Sentence(article.id, outlet, start, end, text, inside))
    return found


def align_sentences(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Groups of sentences stating one fact, in order of first appearance.

    A sentence joins the group holding its most similar sentence of another outlet
    when they are similar enough. Candidates are the sentences sharing one of its
    strongest (rarest) features: two sentences stating one fact share at least one, and
    a story of many articles does not compare every pair through words like "said".
    """
    features = [_features(sentence) for sentence in sentences]
    df = Counter(feature for found in features for feature in set(found))
    total = len(sentences)
    vectors = [_weigh(found, df, total) for found in features]
    groups: list[list[Sentence]] = []
    group_of: list[int] = []
    index: dict[str, list[int]] = defaultdict(list)
    for position, (sentence, vector) in enumerate(zip(sentences, vectors, strict=True)):
        # A feature of one sentence only can match nothing: the keys are the rarest of the rest.
        shared = [feature for feature in vector if df[feature] > 1]
        keys = sorted(shared, key=lambda feature: -vector[feature])[:FACT_KEYS]
        candidates = {other for feature in keys for other in index[feature]}
        best, best_score = None, FACT_SIMILARITY
        for other in candidates:
            if sentences[other].outlet == sentence.outlet:
                continue
            score = _cosine(vector, vectors[other])
            if score >= best_score:
                best, best_score = other, score
        if best is None:
            group_of.append(len(groups))
            groups.append([sentence])
        else:
            group_of.append(group_of[best])
            groups[group_of[best]].append(sentence)
        for feature in vector:
            index[feature].append(position)
    return groups


def _features(sentence: Sentence) -> list[str]:
    words = [
        _stem(word.lower())
        for word in _WORD.findall(sentence.text)
        if word.lower() not in _stop_words() and len(word) > 2
    ]
    figures = [f"#{value}" for value, _, _ in _quantities(sentence.text)]
    names = [f"@{m.entity_id}" for m in sentence.mentions if m.entity_id]
    names += [f"@country:{m.country}" for m in sentence.mentions if m.country]
    return words + figures + names


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _stop_words() -> frozenset[str]:
    global _STOP_WORDS
    if _STOP_WORDS is None:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP_WORDS = frozenset(STOP_WORDS) | {"said", "says", "according"}
    return _STOP_WORDS


def _weigh(features: list[str], df: Counter[str], total: int) -> dict[str, float]:
    counts = Counter(features)
    weights = {f: (1 + math.log(n)) * math.log((1 + total) / df[f]) for f, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {f: w / norm for f, w in weights.items() if w > 0}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


def _fact(group: list[Sentence]) -> Fact:
    outlets = _unique(sentence.outlet for sentence in group)
    first = group[0]
    return Fact(
        text=first.text,
        outlets=outlets,
        status="shared" if len(outlets) > 1 else "unique",
        sources=[sentence.source() for sentence in group],
        numbers=_unique(written for s in group for written, _, _ in _quantities(s.text)),
        dates=_unique(_date_text(s.text, d) for s in group for d in find_dates(s.text)),
        entities=_unique(m.canonical or m.text for s in group for m in s.mentions),
    )


def _date_text(text: str, mention: DateMention) -> str:
    return text[mention.start : mention.end]


def _quantities(text: str) -> list[tuple[str, float, str]]:
    """(as written, value, key) for each counted thing: ("8,000 soldiers", 8000.0,
    "soldier"); the key is the measure when the words around name one ("four people
    died" -> "dead"), else the unit noun."""
    found = []
    for match in _NUMBER.finditer(text):
        figure, scale, following = match.groups()
        word = figure.lower()
        if word in _NUMBER_WORDS and not figure.islower():
            continue  # "One of the ..." opens a sentence, it counts nothing
        value = float(_NUMBER_WORDS[word] if word in _NUMBER_WORDS else figure.replace(",", ""))
        unit = next((w for w in following.split() if w not in _stop_words()), "")
        before = text[max(0, match.start() - 12) : match.start()]
        if (
            not unit.islower()  # "19 October", "9.47 on Sunday", nothing counted
            or (value >= 1900 and value < 2100 and "," not in figure and not scale)
            or _MONTH_OR_NUMBER_SIGN.search(before)  # "April 24", "No. 3"
        ):
            continue
        value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}.get(scale or "", 1)
        written = f"{figure} {scale}" if scale else figure
        measure = _measure(text, match.start(), match.start() + len(written))
        found.append((f"{written} {unit}", value, measure or _stem(unit)))
    for match in _MEASURE_BEFORE.finditer(text):
        if not any(value == float(match[2]) for _, value, _ in found):
            found.append((match[0], float(match[2]), _MEASURES[match[1].lower()]))
    return found


def _measure(text: str, start: int, end: int) -> str | None:
    """The measure named in the figure's clause: two words before it or four after."""
    before = re.split(r"[,;:.()–—]|\band\b", text[max(0, start - 30) : start])[-1]
    after = re.split(r"[,;:.()–—]|\band\b", text[end : end + 50])[0]
    # The words after the figure say more than those before ("four died and 57 injured").
    words = _WORD.findall(after)[:5] + _WORD.findall(before)[-2:][::-1]
    return next((_MEASURES[w.lower()] for w in words if w.lower() in _MEASURES), None)


def story_number_conflicts(sentences: Sequence[Sentence]) -> list[Conflict]:
    """Outlets giving different figures for one measure of the event (the dead, the
    injured, the evacuated, the magnitude...), wherever in the story they state it."""
    told: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    values: dict[str, dict[str, set[float]]] = defaultdict(lambda: defaultdict(set))
    where: dict[str, list[Sentence]] = defaultdict(list)
    measures = set(_MEASURES.values())
    for sentence in sentences:
        for written, value, key in _quantities(sentence.text):
            if key in measures:
                told[key][sentence.outlet].add(written)
                values[key][sentence.outlet].add(value)
                where[key].append(sentence)
    return [
        _conflict("number", f"Different figures for the {key}", by_outlet, where[key])
        for key, by_outlet in told.items()
        if len(by_outlet) > 1 and not set.intersection(*values[key].values())
    ]


# --------------------------------------------------------------------------- quotes


def find_quote_reports(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entities: Mapping[str, Entity],
) -> list[QuoteReport]:
    """Every attributed quote, one report per quote however many outlets carry it,
    ordered by speaker."""
    reports: list[QuoteReport] = []
    words_of: list[set[str]] = []
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        outlet = outlet_of(article)
        for quote in analysis.quotes:
            speaker_entity = _speaker_entity(quote, entities)
            if (quote.kind != "direct" and not speaker_entity) or (
                speaker_entity and speaker_entity.type == "place"
            ):
                continue  # a place does not speak: the analysis misread the sentence
            speaker = speaker_entity.canonical if speaker_entity else quote.speaker
            speaker_id = speaker_entity.id if speaker_entity else None
            words = {w.lower() for w in _WORD.findall(quote.text)} - _stop_words()
            source = Source(
                article.id,
                outlet,
                quote.start,
                quote.end,
                quote.field,
                _field_text(article, quote.field)[quote.start : quote.end],
            )
            match = next(
                (
                    report
                    for report, other in zip(reports, words_of, strict=True)
                    if outlet not in report.outlets and _same_quote(words, other)
                ),
                None,
            )
            if match is None:
                reports.append(
                    QuoteReport(
                        speaker=speaker,
                        text=quote.text,
                        outlets=[outlet],
                        speaker_entity_id=speaker_id,
                        kind=quote.kind,
                        speakers_by_outlet={outlet: speaker},
                        sources=[source],
                    )
                )
                words_of.append(words)
            else:
                match.outlets.append(outlet)
                match.speakers_by_outlet[outlet] = speaker
                match.sources.append(source)
    reports.sort(key=lambda r: ((r.speaker or "~").lower(), r.kind != "direct"))
    return reports


def _speaker_entity(quote: Quote, entities: Mapping[str, Entity]) -> Entity | None:
    entity = entities.get(quote.speaker_entity_id or "")
    # An institution is only credited when the speaker's words name it: "the government"
    # resolved to a town's council is a guess a reader should not be shown as fact.
    if entity and entity.type == "organisation":
        words = normalise(quote.speaker or "")
        named = [normalise(v.text) for v in entity.variants] + [normalise(entity.canonical)]
        if not any(name and name in words for name in named):
            return None
    return entity


def _same_quote(a: set[str], b: set[str]) -> bool:
    shorter = min(len(a), len(b))
    return len(a & b) >= max(QUOTE_MIN_WORDS, QUOTE_OVERLAP * shorter)


# --------------------------------------------------------------------------- conflicts


def participant_list_conflicts(participants: Sequence[Participant]) -> list[Conflict]:
    """Outlets that list who took part, and disagree on who: compared by country, so
    "Kazakhstan" in one list and "Kazakh President Tokayev" in another agree."""
    listed: dict[str, set[str]] = defaultdict(set)
    sources: list[Source] = []
    for participant in participants:
        code = participant.country if participant.type in ("country", "person") else None
        if not code:
            continue
        for outlet, view in participant.by_outlet.items():
            if view.listed:
                listed[outlet].add(country_name(code))
                sources += [s for s in view.sources if s.field == "text"][:1]
    if len(listed) < 2:
        return []
    union = set().union(*listed.values())
    missing = {name: [outlet for outlet in listed if name not in listed[outlet]] for name in union}
    differing = sorted(name for name, absent in missing.items() if absent)
    if not differing:
        return []
    details = "; ".join(f"{name} not in {', '.join(missing[name])}'s list" for name in differing)
    return [
        Conflict(
            kind="participants",
            description=f"The outlets list different participants: {details}",
            by_outlet={outlet: sorted(names) for outlet, names in listed.items()},
            sources=sources,
        )
    ]


def figure_conflicts(groups: Sequence[Sequence[Sentence]]) -> list[Conflict]:
    """The same fact told by several outlets with different figures for one counted
    thing (measures of the event are compared story-wide instead), or different dates."""
    conflicts = []
    for group in groups:
        if len({sentence.outlet for sentence in group}) > 1:
            conflicts += _number_conflicts(group)
            conflicts += _date_conflicts(group)
    return conflicts


def _number_conflicts(group: Sequence[Sentence]) -> list[Conflict]:
    told: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    values: dict[str, set[float]] = defaultdict(set)
    measures = set(_MEASURES.values())
    for sentence in group:
        for written, value, unit in _quantities(sentence.text):
            if unit not in measures:
                told[unit][sentence.outlet].add(written)
                values[unit].add(value)
    return [
        _conflict("number", f"Different figures for {unit}", by_outlet, group)
        for unit, by_outlet in told.items()
        if len(by_outlet) > 1 and len(values[unit]) > 1
    ]


def _date_conflicts(group: Sequence[Sentence]) -> list[Conflict]:
    days: dict[str, set[tuple[int, int]]] = defaultdict(set)
    written: dict[str, set[str]] = defaultdict(set)
    for sentence in group:
        for mention in find_dates(sentence.text):
            days[sentence.outlet].add((mention.month, mention.day))
            written[sentence.outlet].add(_date_text(sentence.text, mention))
    if len(days) < 2 or set.intersection(*days.values()):
        return []
    return [_conflict("date", "Different dates for the same event", written, group)]


def _conflict(
    kind: ConflictKind,
    what: str,
    by_outlet: Mapping[str, Iterable[str]],
    group: Sequence[Sentence],
) -> Conflict:
    told = {outlet: sorted(values) for outlet, values in by_outlet.items()}
    details = "; ".join(f"{outlet}: {', '.join(values)}" for outlet, values in told.items())
    return Conflict(kind, f"{what}: {details}", told, [s.source() for s in group])


def name_conflicts(participants: Sequence[Participant]) -> list[Conflict]:
    """One person under different spellings, and names the knowledge base doubts."""
    conflicts = []
    for participant in participants:
        if participant.type != "person":
            continue
        spellings = {
            outlet: [v for v in view.variants if _is_full_name(v)]
            for outlet, view in participant.by_outlet.items()
            if view.mentioned
        }
        distinct = {normalise(v) for found in spellings.values() for v in found}
        if len(distinct) > 1:
            conflicts.append(
                Conflict(
                    kind="name",
                    description=f"{participant.canonical} is spelled "
                    + "; ".join(f"{', '.join(v)} ({o})" for o, v in spellings.items() if v),
                    by_outlet={o: v for o, v in spellings.items() if v},
                    sources=[s for view in participant.by_outlet.values() for s in view.sources],
                )
            )
        for warning in participant.warnings:
            conflicts.append(
                Conflict(
                    kind="name",
                    description=warning,
                    by_outlet={
                        o: view.variants
                        for o, view in participant.by_outlet.items()
                        if view.mentioned
                    },
                    sources=[s for view in participant.by_outlet.values() for s in view.sources],
                )
            )
    return conflicts


def _is_full_name(text: str) -> bool:
    return len(text.split()) >= 2 and not any(is_title(w) for w in text.split()[:1])


def speaker_conflicts(quotes: Sequence[QuoteReport]) -> list[Conflict]:
    """One quote credited to different speakers by different outlets."""
    conflicts = []
    for report in quotes:
        speakers = {s for s in report.speakers_by_outlet.values() if s}
        if len(speakers) > 1:
            conflicts.append(
                Conflict(
                    kind="speaker",
                    description=f"“{_clip(report.text)}” is credited to "
                    + "; ".join(f"{s} ({o})" for o, s in report.speakers_by_outlet.items()),
                    by_outlet={o: [s or "?"] for o, s in report.speakers_by_outlet.items()},
                    sources=report.sources,
                )
            )
    return conflicts


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
