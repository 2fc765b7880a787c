"""Compare what each outlet reports about one story.

Pure functions over the stored articles, their analyses and the resolved
entities of one story:

    participants   who and which countries each outlet names, how and in which role
    facts          claim groups: each outlet's claims aligned by the learned test of
                   the same claim, shared by all, by some, or only in one
    conflicts      different lists of participants, figures of one measure, dates of one
                   happening, real spelling differences, speakers
    quotes         who is quoted where, the same quote carried by several outlets
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from itertools import combinations

from parallax.compare.align import ClaimScorer, align_claims
from parallax.compare.claims import Claim, split_claims
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
from parallax.compare.params import DEFAULT_PARAMS, CompareParams
from parallax.lexicon.countries import country_from_name, country_name
from parallax.lexicon.names import normalise, person_owners, spelling_variant
from parallax.lexicon.roles import is_title
from parallax.model import Article, ArticleAnalysis, Entity, Mention, Quote, Story
from parallax.text.dates import years_in
from parallax.text.figures import MEASURES, Figure, figures_agree
from parallax.text.sentences import sentence_spans
from parallax.text.words import WORD, name_key, stop_words

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
# Measures of the event itself, compared story-wide whatever claim states them.
_EVENT_MEASURES = frozenset(MEASURES.values())
# The conflicts that are about what claims say (the rest are about who is named how).
_OF_CLAIMS = frozenset({"number", "date"})
_COVERAGE_ORDER = {"all": 0, "some": 1, "one": 2}
# A year named in a claim from this one on dates it ("in 1939 an earthquake destroyed...").
BACKGROUND_SINCE = 1800


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
    score: ClaimScorer | None = None,
    params: CompareParams = DEFAULT_PARAMS,
) -> Comparison:
    """The comparison of one story's ``articles`` (in the story's order).

    ``score`` tells whether two claims are one (``ClaimModel.score_pairs``); by default
    the shipped model of ``parallax.same_claim``, its cross-encoder reading at most
    ``params.cross_encoder_pairs`` pairs."""
    if score is None:
        from parallax.text.same_claim import load_claim_model

        model = load_claim_model(with_cross_encoder=params.cross_encoder_pairs > 0)
        score = partial(model.score_pairs, cross_encoder_pairs=params.cross_encoder_pairs)
    known = {entity.id: entity for entity in entities}
    outlets = _unique(outlet_of(article) for article in articles)
    # Who each article lists as taking part: read once, for the participants and the claims.
    listed = {
        article.id: listed_members(article, analyses[article.id])
        for article in articles
        if article.id in analyses
    }
    participants = find_participants(articles, analyses, known, listed)
    claims = [
        claim
        for article in articles
        for claim in split_claims(
            article, outlet_of(article), analyses.get(article.id), params.min_claim_words
        )
    ]
    lists = participant_list_links(claims, analyses, listed)
    groups = align_claims(claims, score, params, linked=lists)
    quotes = find_quote_reports(articles, analyses, known, params)
    conflicts = (
        participant_list_conflicts(participants)
        + event_figure_conflicts(claims, story_years(articles))
        + claim_conflicts(groups)
        + name_conflicts(participants)
        + speaker_conflicts(quotes)
    )
    disputed = {
        (s.article_id, s.start) for c in conflicts for s in c.sources if c.kind in _OF_CLAIMS
    }
    if any(c.kind == "participants" for c in conflicts):
        # The lists that differ are the claims linked as lists.
        disputed |= {(claims[i].article_id, claims[i].start) for pair in lists for i in pair}
    facts = [_fact(group, outlets, disputed) for group in groups]
    # Differences first, then what all outlets share, what some share, what one alone says.
    facts.sort(key=lambda fact: (not fact.disputed, _COVERAGE_ORDER[fact.coverage]))
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
        documents={a.id: dict(a.text_fields()) for a in articles},
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
    listed: Mapping[str, set[int]] | None = None,
) -> list[Participant]:
    """Every person, organisation and country the story's articles name, by outlet.

    A country counts as mentioned by an outlet that names it or names someone in an
    office of it ("Tajik President Emomali Rakhmon"); members of a list of those taking
    part are marked ``listed`` (``listed``: each article's ``listed_members``, read here
    when not given).
    """
    outlets = _unique(outlet_of(article) for article in articles)
    found: dict[str, Participant] = {}
    order: Counter[str] = Counter()
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        outlet = outlet_of(article)
        members = listed[article.id] if listed is not None else listed_members(article, analysis)
        for index, mention in enumerate(analysis.mentions):
            # Across articles the resolved entity's type wins over one article's reading.
            entity = entities.get(mention.entity_id or "")
            if entity is not None and entity.type != mention.type:
                mention = replace(mention, type=entity.type)
            if _is_own_outlet(mention, outlet):
                continue  # "(Reuters) -" in Reuters' own report: it takes no part
            source = _mention_source(article, outlet, mention)
            key = _participant_key(mention)
            if key is not None:
                participant = _participant(found, key, mention, entities, outlets)
                view = participant.by_outlet[outlet]
                view.mentioned = True
                view.mentions += 1
                view.sources.append(source)
                view.listed |= index in members
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
                view.listed |= index in members
                order[f"country:{mention.country}"] += 1
    _fold_short_names(found, order)
    ranked = sorted(
        found.values(),
        key=lambda p: (-len(p.outlets), _TYPE_ORDER.get(p.type, 9), -order[p.entity_id]),
    )
    return ranked


_TYPE_ORDER = {"person": 0, "country": 1, "organisation": 2}


def _is_own_outlet(mention: Mention, outlet: str) -> bool:
    """Whether a name in an article is the outlet that published it (whatever type the
    model gave it: an unknown outlet's name reads like a person's as often as not)."""
    return name_key(outlet) in (name_key(mention.text), name_key(mention.canonical or ""))


def _fold_short_names(found: dict[str, Participant], order: Counter[str]) -> None:
    """One person, one participant: the people of a story that ``person_owners`` finds to
    be one ("Tara" and "Reid" beside "Tara Reid", "Anthony LaCalamita III" beside "Anthony
    LaCalamita", "Weitz" beside Chris Weitz, named in most articles, and Paul Weitz) are
    one participant, though resolution across the whole store kept them apart (there the
    name may fit others)."""
    people = [p for p in found.values() if p.type == "person"]
    named_in: dict[str, set[str]] = defaultdict(set)
    for participant in people:
        for view in participant.by_outlet.values():
            named_in[participant.canonical].update(source.article_id for source in view.sources)
    owners = person_owners((p.canonical for p in people), named_in)
    first: dict[str, Participant] = {}
    for participant in people:
        first.setdefault(participant.canonical, participant)
    for participant in people:
        owner = first[owners[participant.canonical]]
        if owner is not participant:
            _merge_participant(participant, owner, found, order)


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


def participant_list_links(
    claims: Sequence[Claim],
    analyses: Mapping[str, ArticleAnalysis],
    listed: Mapping[str, set[int]],
) -> set[tuple[int, int]]:
    """Pairs of claims (indexes into ``claims``) that are one claim because each lists who
    took part (``listed``: each article's ``listed_members``): per outlet the claim naming
    the most members of its lists, linked across outlets, whether or not the lists agree
    (their difference is a ``participants`` conflict). One outlet's "Kazakhstan also took
    part, with Belarus and Armenia" and another's "Tokayev, Japarov and Mirziyoyev were
    among those present" say one thing in other words, which no test of the same wording
    finds."""
    listed_at = {
        article_id: {analyses[article_id].mentions[index].start for index in members}
        for article_id, members in listed.items()
    }
    best: dict[str, tuple[int, int]] = {}  # outlet -> (members named, claim index)
    for index, claim in enumerate(claims):
        starts = listed_at.get(claim.article_id, set())
        named = sum(claim.start <= start < claim.end for start in starts)
        if named >= 2 and named > best.get(claim.outlet, (0, -1))[0]:
            best[claim.outlet] = (named, index)
    return set(combinations(sorted(index for _, index in best.values()), 2))


def _list_gap(gap: str) -> bool:
    tokens = _GAP_TOKEN.findall(gap.strip())
    if not any(_LIST_SEPARATOR.match(token) for token in tokens):
        return False
    return all(
        _LIST_SEPARATOR.match(token) or token[:1].isupper() or is_title(token) for token in tokens
    )


# --------------------------------------------------------------------------- facts


def _fact(group: Sequence[Claim], outlets: Sequence[str], disputed: set[tuple[str, int]]) -> Fact:
    carried = _unique(claim.outlet for claim in group)
    return Fact(
        text=group[0].text,
        outlets=carried,
        status="shared" if len(carried) > 1 else "unique",
        sources=[claim.source() for claim in group],
        numbers=_unique(f.written for claim in group for f in claim.figures),
        dates=_unique(claim.date_text(d) for claim in group for d in claim.dates),
        entities=_unique(m.canonical or m.text for claim in group for m in claim.mentions),
        disputed=any((claim.article_id, claim.start) in disputed for claim in group),
        coverage="one"
        if len(carried) == 1
        else ("all" if len(carried) == len(outlets) else "some"),
    )


def event_figure_conflicts(claims: Sequence[Claim], years: set[int]) -> list[Conflict]:
    """Outlets giving figures for one measure of the event (the dead, the injured, the
    evacuated, the magnitude...) that cannot both be true, wherever in the story they
    state them. Each outlet's largest figure is its toll ("two of the injured died" is
    part of a count, not one); a second happening (an aftershock) is measured apart, and
    a claim naming a year other than the story's (``years``) tells of another event ("in
    1939 an earthquake killed tens of thousands")."""
    told: dict[str, dict[str, list[tuple[Figure, Claim]]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        if years and set(years_in(claim.text, earliest=BACKGROUND_SINCE)) - years:
            continue
        for figure in claim.figures:
            if figure.measure in _EVENT_MEASURES:
                told[figure.key][claim.outlet].append((figure, claim))
    conflicts = []
    for key, by_outlet in told.items():
        tolls = {
            outlet: max(found, key=lambda fc: fc[0].value) for outlet, found in by_outlet.items()
        }
        if _disagree([figure for figure, _ in tolls.values()]):
            conflicts.append(
                _conflict(
                    "number",
                    f"Different figures for the {key}",
                    {outlet: [figure.written] for outlet, (figure, _) in tolls.items()},
                    [claim for _, claim in tolls.values()],
                )
            )
    return conflicts


def story_years(articles: Sequence[Article]) -> set[int]:
    """The years a story's articles were published in or report."""
    dates = [d for a in articles for d in (a.published, *a.event_dates) if d]
    return {int(d[:4]) for d in dates}


def _disagree(figures: Sequence[Figure]) -> bool:
    return any(not figures_agree(a, b) for i, a in enumerate(figures) for b in figures[i + 1 :])


# --------------------------------------------------------------------------- quotes


def find_quote_reports(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    entities: Mapping[str, Entity],
    params: CompareParams = DEFAULT_PARAMS,
) -> list[QuoteReport]:
    """Every attributed quote, one report per quote however many outlets carry it,
    ordered by speaker."""
    ignored = stop_words() | {"said", "says", "according"}
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
            if speaker and name_key(speaker) == name_key(outlet):
                continue  # "according to information from <the outlet>": its own reporting
            speaker_id = speaker_entity.id if speaker_entity else None
            words = {w.lower() for w in WORD.findall(quote.text)} - ignored
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
                    if outlet not in report.outlets and _same_quote(words, other, params)
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


def _same_quote(a: set[str], b: set[str], params: CompareParams) -> bool:
    shorter = min(len(a), len(b))
    return len(a & b) >= max(params.quote_min_words, params.quote_overlap * shorter)


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


def claim_conflicts(groups: Sequence[Sequence[Claim]]) -> list[Conflict]:
    """One claim told by several outlets with figures of one counted thing that cannot
    both be true (the event's own measures are compared story-wide instead), or with
    dates of its happening that differ."""
    conflicts = []
    for group in groups:
        if len({claim.outlet for claim in group}) > 1:
            conflicts += _figure_conflicts(group)
            conflicts += _date_conflicts(group)
    return conflicts


def _figure_conflicts(group: Sequence[Claim]) -> list[Conflict]:
    told: dict[str, dict[str, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for claim in group:
        for figure in claim.figures:
            if figure.measure not in _EVENT_MEASURES:
                told[figure.key][claim.outlet].append(figure)
    conflicts = []
    for key, by_outlet in told.items():
        # Outlets disagree when no figure one gives fits any the other gives.
        outlets = list(by_outlet)
        if any(
            not any(figures_agree(a, b) for a in by_outlet[x] for b in by_outlet[y])
            for i, x in enumerate(outlets)
            for y in outlets[i + 1 :]
        ):
            written = {outlet: [f.written for f in found] for outlet, found in by_outlet.items()}
            what = "shares" if key == "%" else key
            conflicts.append(_conflict("number", f"Different figures for {what}", written, group))
    return conflicts


def _date_conflicts(group: Sequence[Claim]) -> list[Conflict]:
    days: dict[str, set[tuple[int, int]]] = defaultdict(set)
    written: dict[str, set[str]] = defaultdict(set)
    for claim in group:
        for mention in claim.dates:
            days[claim.outlet].add((mention.month, mention.day))
            written[claim.outlet].add(claim.date_text(mention))
    if len(days) < 2 or set.intersection(*days.values()):
        return []
    return [_conflict("date", "Different dates for the same happening", written, group)]


def _conflict(
    kind: ConflictKind,
    what: str,
    by_outlet: Mapping[str, Iterable[str]],
    claims: Sequence[Claim],
) -> Conflict:
    told = {outlet: sorted(set(values)) for outlet, values in by_outlet.items()}
    details = "; ".join(f"{outlet}: {', '.join(values)}" for outlet, values in told.items())
    return Conflict(kind, f"{what}: {details}", told, [c.source() for c in _unique_claims(claims)])


def _unique_claims(claims: Sequence[Claim]) -> list[Claim]:
    return list({(c.article_id, c.start): c for c in claims}.values())


def name_conflicts(participants: Sequence[Participant]) -> list[Conflict]:
    """One person under different spellings, and names the knowledge base doubts."""
    conflicts = []
    for participant in participants:
        if participant.type != "person":
            continue
        spellings = differing_spellings(
            {o: view.variants for o, view in participant.by_outlet.items() if view.mentioned}
        )
        if spellings:
            conflicts.append(
                Conflict(
                    kind="name",
                    description=f"{participant.canonical} is spelled "
                    + "; ".join(f"{', '.join(v)} ({o})" for o, v in spellings.items()),
                    by_outlet=spellings,
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


def differing_spellings(forms: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The forms of one person's name, by outlet, of outlets that spell it otherwise than
    another outlet does: no form of one is a form of the other ("Mirsijoyev" against
    "Mirziyoyev, Sevket Mirziyoyev"). One outlet's own two forms are variants, not a
    difference between outlets (a caption's "Kasim Comert Tokayev" beside its body's
    "Kassym-Jomart Tokayev", which the other outlet writes too); so are a middle initial,
    a title, a short form, accents or a nickname (``lexicon.names.spelling_variant``)."""
    # A name in capitals is a headline's or a label's ("WASSERMAN SCHULTZ RESIGNS"), not
    # how the outlet spells it.
    forms = {outlet: [f for f in found if not f.isupper()] for outlet, found in forms.items()}
    forms = {outlet: found for outlet, found in forms.items() if found}
    # A lone surname or given name says nothing of how the outlet spells the whole name
    # ("Bondar" beside "Serhij Bondar" and "Sergei Bondar"): only the fullest forms count.
    fullest = {
        outlet: [f for f in found if " " in f.strip()] or list(found)
        for outlet, found in forms.items()
    }
    differing: set[str] = set()
    for a, b in combinations(forms, 2):
        if not any(_same_spelling(x, y) for x in fullest[a] for y in fullest[b]):
            differing |= {a, b}
    return {outlet: fullest[outlet] for outlet in forms if outlet in differing}


def _same_spelling(x: str, y: str) -> bool:
    return normalise(x) == normalise(y) or spelling_variant(x, y) is not None


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
