"""Canonical entities across articles: which mentions name the same person, org or place.

Work is done on distinct full names ("forms"), not on mentions, so ten thousand
articles that say "Kassym-Jomart Tokayev" cost one comparison, and candidate pairs
come from blocks of names sharing a consonant frame (``names.blocking_keys``), never
from all pairs. A form is anchored first: to a knowledge-base entity, or for places
to a country. Forms are then merged, best pairs first, when their names match and
their context does not object: a shared role and country or shared neighbours in
the articles support a merge, different countries or different given names forbid
it. A lone surname is settled per mention, by its article first, then by the
whole corpus: it joins the one entity with that surname, or stays on its own.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from parallax.lexicon.countries import country_from_name, country_name
from parallax.lexicon.knowledge import KnowledgeBase, KnownEntity
from parallax.lexicon.names import (
    MATCH_THRESHOLD,
    SURNAME_MATCH,
    blocking_keys,
    fold,
    given_names_alike,
    given_names_differ,
    name_similarity,
    name_tokens,
    normalise,
    surname,
    token_similarity,
)
from parallax.lexicon.places import FEATURE_NAME_ENDS, place_population
from parallax.lexicon.roles import word_set
from parallax.model import ArticleAnalysis, Entity, Mention, Resolution, Variant

# Organisations and places have no surname to anchor on: "Bern" and "Born" are a
# vowel apart, so their names must agree more closely than persons' do.
_THRESHOLD = {"person": MATCH_THRESHOLD, "organisation": 0.9, "place": 0.9}
# Context can tip a name pair this close to the threshold, never a vetoed one.
_CONTEXT_MARGIN = 0.1
_ROLE_BONUS = 0.1
_NEIGHBOUR_BONUS = 0.1

MentionRef = tuple[str, int]
# The model confuses these two for one name across articles; a person is another entity.
_VOTED_TYPES = ("place", "organisation")


@dataclass
class _Form:
    """One distinct full name of one type, with the context it appeared in."""

    type: str
    text: str
    articles: set[str] = field(default_factory=set)
    countries: Counter[str] = field(default_factory=Counter)
    roles: Counter[tuple[str, str | None]] = field(default_factory=Counter)

    @property
    def country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None

    @property
    def role(self) -> tuple[str, str | None] | None:
        return self.roles.most_common(1)[0][0] if self.roles else None


@dataclass
class _Cluster:
    type: str
    forms: list[str] = field(default_factory=list)
    known: KnownEntity | None = None
    country_code: str | None = None

    @property
    def anchor(self) -> str | None:
        if self.known:
            return self.known.id
        return f"country:{self.country_code}" if self.country_code else None


FormKey = tuple[str, str]


def _is_lone_surname(mention: Mention, voted: Mapping[str, str]) -> bool:
    """One word for a person, which the corpus does not vote another type (``_voted_types``)."""
    return (
        mention.type == "person"
        and len(name_tokens(mention.text)) == 1
        and normalise(mention.text) not in voted
    )


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[FormKey, FormKey] = {}
        self.members: dict[FormKey, list[FormKey]] = {}

    def add(self, key: FormKey) -> None:
        self.parent[key] = key
        self.members[key] = [key]

    def find(self, key: FormKey) -> FormKey:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: FormKey, b: FormKey) -> FormKey:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members.pop(b))
        return a


def _voted_types(analyses: Sequence[ArticleAnalysis]) -> dict[str, str]:
    """For a name typed differently in different articles ("Copenhagen", "Chivay" a place
    in some and an organisation in others; a club a person in one), the type most of its
    articles give it; on a tie a place, then an organisation, then a person. One word
    is voted a person never: the place or organisation it also names stays apart.

    A one-word "person" joins the vote when no person of the corpus (after this vote)
    bears the word as a given name or surname: "Constanta" called a person once and a
    place three times is the place. A person who does bear it stays apart ("Jordan" the
    player beside "Michael Jordan" and "Jordan" the country are two entities).
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        seen = {
            (mention.type, normalise(mention.text))
            for mention in analysis.mentions
            if (mention.kind == "name" and mention.type == "person")
            # A short form votes too: "Hafnia" for "Hafnia United" is an organisation.
            or (mention.kind in ("name", "short") and mention.type in _VOTED_TYPES)
        }
        for entity_type, name in seen:
            votes[name][entity_type] += 1

    def decided(counts: Counter[str]) -> str:
        return max(counts, key=lambda t: (counts[t], t == "place", t == "organisation"))

    borne = {
        token
        for name, counts in votes.items()
        if " " in name and "person" in counts and decided(counts) == "person"
        for token in (name.split()[0], name.split()[-1])
    }
    voted = {}
    for name, counts in votes.items():
        if name in borne:
            counts = Counter({t: n for t, n in counts.items() if t != "person"})
        if len(counts) < 2:
            continue
        best = decided(counts)
        # A full name a person in most articles is one in all; one word a person in
        # most stays apart from the place or organisation it also names ("Jordan").
        if best != "person" or " " in name:
            voted[name] = best
    return voted


def _form_key(mention: Mention, voted: Mapping[str, str]) -> FormKey:
    name = normalise(mention.text)
    if mention.type in _VOTED_TYPES or mention.type == "person":
        return (voted.get(name, mention.type), name)
    return (mention.type, name)


def _collect(
    analyses: Sequence[ArticleAnalysis], voted: Mapping[str, str]
) -> tuple[dict[FormKey, _Form], dict[str, list[FormKey]]]:
    forms: dict[FormKey, _Form] = {}
    per_article: dict[str, list[FormKey]] = defaultdict(list)
    for analysis in analyses:
        for mention in analysis.mentions:
            if mention.kind != "name" or _is_lone_surname(mention, voted):
                continue
            key = _form_key(mention, voted)
            if not key[1]:
                continue
            form = forms.get(key)
            if form is None:
                form = forms[key] = _Form(type=key[0], text=mention.text)
            if analysis.article_id not in form.articles:
                form.articles.add(analysis.article_id)
                per_article[analysis.article_id].append(key)
            if mention.country:
                form.countries[mention.country] += 1
            if mention.role:
                form.roles[(mention.role.lower(), mention.country)] += 1
    return forms, per_article


def _anchor(form: _Form, kb: KnowledgeBase | None) -> tuple[KnownEntity | None, str | None]:
    if form.type == "place":
        code = country_from_name(form.text)
        if code:
            return None, code
    if kb is not None:
        return kb.link(form.text, form.type, form.country), None
    return None, None


class _Neighbours:
    """Which other forms share articles with a form, computed only when asked."""

    def __init__(self, forms: Mapping[FormKey, _Form], per_article: Mapping[str, list[FormKey]]):
        self.forms = forms
        self.per_article = per_article
        self.cache: dict[FormKey, set[FormKey]] = {}

    def of(self, key: FormKey) -> set[FormKey]:
        if key not in self.cache:
            found = {k for a in self.forms[key].articles for k in self.per_article[a]}
            found.discard(key)
            self.cache[key] = found
        return self.cache[key]

    def overlap(self, a: FormKey, b: FormKey) -> float:
        na, nb = self.of(a) - {b}, self.of(b) - {a}
        return len(na & nb) / len(na | nb) if na and nb else 0.0


def _pair_score(
    a: FormKey, b: FormKey, forms: Mapping[FormKey, _Form], neighbours: _Neighbours
) -> float:
    fa, fb = forms[a], forms[b]
    if fa.country and fb.country and fa.country != fb.country:
        return 0.0
    # Most pairs in a block differ in the surname already; name_similarity would
    # score them below the context margin anyway.
    if fa.type == "person" and (
        token_similarity(surname(fa.text), surname(fb.text)) < SURNAME_MATCH - _CONTEXT_MARGIN
    ):
        return 0.0
    score = name_similarity(fa.text, fb.text, fa.type)
    threshold = _THRESHOLD[fa.type]
    if threshold - _CONTEXT_MARGIN <= score < threshold:
        if fa.role is not None and fa.role == fb.role:
            score += _ROLE_BONUS
        score += _NEIGHBOUR_BONUS * neighbours.overlap(a, b)
    return score


def _candidate_pairs(forms: Mapping[FormKey, _Form]) -> set[tuple[FormKey, FormKey]]:
    blocks: dict[tuple[str, str], list[FormKey]] = defaultdict(list)
    for key, form in forms.items():
        for block in blocking_keys(form.text, form.type):
            blocks[(form.type, block)].append(key)
    pairs: set[tuple[FormKey, FormKey]] = set()
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b) if a < b else (b, a))
    return pairs


def _may_join(
    a: list[FormKey],
    b: list[FormKey],
    anchors: Mapping[FormKey, str | None],
    forms: Mapping[FormKey, _Form],
) -> bool:
    """Complete-link veto: no two names across the clusters may contradict each other."""
    anchor_a = next((anchors[k] for k in a if anchors[k]), None)
    anchor_b = next((anchors[k] for k in b if anchors[k]), None)
    if anchor_a and anchor_b and anchor_a != anchor_b:
        return False
    if forms[a[0]].type != "person":
        return True
    return not any(given_names_differ(forms[x].text, forms[y].text) for x in a for y in b)


def _cluster(
    forms: Mapping[FormKey, _Form],
    per_article: Mapping[str, list[FormKey]],
    kb: KnowledgeBase | None,
) -> tuple[list[_Cluster], dict[FormKey, int]]:
    anchored = {key: _anchor(form, kb) for key, form in forms.items()}
    anchors = {
        key: known.id if known else (f"country:{code}" if code else None)
        for key, (known, code) in anchored.items()
    }
    groups = _UnionFind()
    for key in forms:
        groups.add(key)
    # Forms anchored to one known entity are one entity, whatever their spelling.
    first_with_anchor: dict[str, FormKey] = {}
    for key, anchor in anchors.items():
        if anchor is None:
            continue
        if anchor in first_with_anchor:
            groups.union(groups.find(first_with_anchor[anchor]), groups.find(key))
        else:
            first_with_anchor[anchor] = key

    neighbours = _Neighbours(forms, per_article)
    scored = []
    for a, b in _candidate_pairs(forms):
        score = _pair_score(a, b, forms, neighbours)
        if score >= _THRESHOLD[forms[a].type]:
            scored.append((score, a, b))
    for _, a, b in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        root_a, root_b = groups.find(a), groups.find(b)
        if root_a != root_b and _may_join(
            groups.members[root_a], groups.members[root_b], anchors, forms
        ):
            groups.union(root_a, root_b)

    clusters: list[_Cluster] = []
    index_of: dict[FormKey, int] = {}
    for root, members in sorted(groups.members.items()):
        cluster = _Cluster(type=root[0], forms=[forms[k].text for k in sorted(members)])
        for key in members:
            known, code = anchored[key]
            cluster.known = cluster.known or known
            cluster.country_code = cluster.country_code or code
            index_of[key] = len(clusters)
        clusters.append(cluster)
    return clusters, index_of


class _Linker:
    """Settles each mention on a cluster, adding clusters for surnames and KB matches."""

    def __init__(
        self,
        clusters: list[_Cluster],
        index_of: dict[FormKey, int],
        kb: KnowledgeBase | None,
    ):
        self.clusters = clusters
        self.index_of = index_of
        self.kb = kb
        self.by_anchor = {c.anchor: i for i, c in enumerate(clusters) if c.anchor}
        self.by_block: dict[str, set[int]] = defaultdict(set)
        for index, cluster in enumerate(clusters):
            if cluster.type == "person":
                for text in cluster.forms:
                    for block in blocking_keys(text):
                        self.by_block[block].add(index)
        self.lone: dict[str, int] = {}
        self.corpus_choice: dict[str, int | None] = {}

    def _new(self, cluster: _Cluster) -> int:
        self.clusters.append(cluster)
        if cluster.anchor:
            self.by_anchor[cluster.anchor] = len(self.clusters) - 1
        return len(self.clusters) - 1

    def _bears(self, index: int, name: str) -> bool:
        """Whether a cluster has a full name with the surname ``name``."""
        return any(
            token_similarity(surname(text), name) >= SURNAME_MATCH
            for text in self.clusters[index].forms
        )

    def _corpus_surname(self, name: str) -> int | None:
        """The one entity with this surname in the corpus, else in the knowledge base."""
        if name in self.corpus_choice:
            return self.corpus_choice[name]
        found = {
            index
            for block in blocking_keys(name)
            for index in self.by_block.get(block, ())
            if self._bears(index, name)
        }
        choice = None
        if len(found) == 1:
            choice = next(iter(found))
        elif not found and self.kb is not None:
            known = self.kb.link(name, "person")
            if known is not None:
                choice = self.by_anchor.get(known.id)
                if choice is None:
                    choice = self._new(_Cluster(type="person", known=known))
        self.corpus_choice[name] = choice
        return choice

    def lone_surname(self, text: str, article_forms: Sequence[FormKey]) -> int:
        name = surname(text)
        here = {
            self.index_of[key]
            for key in article_forms
            if key[0] == "person" and self._bears(self.index_of[key], name)
        }
        if len(here) == 1:
            return here.pop()
        choice = None if here else self._corpus_surname(name)
        if choice is not None:
            return choice
        # Ambiguous or unknown: one entity per surname spelling, kept apart from all.
        if name not in self.lone:
            self.lone[name] = self._new(_Cluster(type="person", forms=[]))
        return self.lone[name]


def _link(
    analyses: Sequence[ArticleAnalysis],
    linker: _Linker,
    per_article: Mapping[str, list[FormKey]],
    voted: Mapping[str, str],
) -> dict[MentionRef, int]:
    links: dict[MentionRef, int] = {}
    for analysis in analyses:
        article = analysis.article_id
        mentions = analysis.mentions
        forms = per_article.get(article, ())
        lone, pointing = [], []
        for index, mention in enumerate(mentions):
            if mention.kind != "name":
                pointing.append(index)
            elif _is_lone_surname(mention, voted):
                lone.append(index)
            else:
                key = _form_key(mention, voted)
                if key in linker.index_of:
                    links[(article, index)] = linker.index_of[key]
        for index in lone:
            links[(article, index)] = linker.lone_surname(mentions[index].text, forms)
        for index in pointing:
            target = _antecedent(mentions, index)
            mention = mentions[index]
            if target is not None:
                if (article, target) in links:
                    links[(article, index)] = links[(article, target)]
            elif mention.kind == "short" and mention.type == "person" and name_tokens(mention.text):
                links[(article, index)] = linker.lone_surname(mention.text, forms)
    return _short_places(_short_organisations(analyses, links, linker.clusters), linker.clusters)


def _short_organisations(
    analyses: Sequence[ArticleAnalysis], links: dict[MentionRef, int], clusters: list[_Cluster]
) -> dict[MentionRef, int]:
    """An organisation known by one word, where no article says which body it is, is the
    body that word stands for in the articles that do say ("Hafnia" alone in one article,
    a short form of "Hafnia United" in three), when that is one body and the word is known
    to no knowledge base."""
    stands_for: dict[str, set[int]] = defaultdict(set)
    for analysis in analyses:
        for index, mention in enumerate(analysis.mentions):
            target = links.get((analysis.article_id, index))
            if (
                mention.kind == "short"
                and target is not None
                and " " not in mention.text
                and clusters[target].type == "organisation"
            ):
                stands_for[normalise(mention.text)].add(target)
    return _fold_short_names(links, clusters, "organisation", stands_for)


def _short_places(links: dict[MentionRef, int], clusters: list[_Cluster]) -> dict[MentionRef, int]:
    """A place known by the first words of a natural feature's name is that feature
    ("the Baltic" beside "the Baltic Sea", "Colca" beside "Colca Canyon"), when the store
    names one such feature and the short name is neither a known place nor a town of its
    own: "Jordan" is a country beside "Jordan Valley", "Mississippi" a state beside the
    river."""
    features: dict[str, set[int]] = defaultdict(set)
    for index, cluster in enumerate(clusters):
        if cluster.type != "place":
            continue
        for text in cluster.forms:
            *head, last = text.split()
            if head and last in FEATURE_NAME_ENDS:
                features[normalise(" ".join(head))].add(index)
    return _fold_short_names(
        links, clusters, "place", features, lambda cluster: not place_population(cluster.forms[0])
    )


def _fold_short_names(
    links: dict[MentionRef, int],
    clusters: list[_Cluster],
    kind: str,
    stands_for: Mapping[str, set[int]],
    may_fold: Callable[[_Cluster], bool] = lambda cluster: True,
) -> dict[MentionRef, int]:
    """``links`` with each unanchored cluster of ``kind`` known by one name moved into the
    one cluster ``stands_for`` gives that name, when there is exactly one and ``may_fold``
    lets it go."""
    moved: dict[int, int] = {}
    for index, cluster in enumerate(clusters):
        names = {normalise(text) for text in cluster.forms}
        if cluster.type != kind or cluster.anchor or len(names) != 1:
            continue
        targets = stands_for.get(next(iter(names)), set()) - {index}
        if len(targets) == 1 and may_fold(cluster):
            moved[index] = targets.pop()
    return {ref: moved.get(cluster, cluster) for ref, cluster in links.items()}


def _antecedent(mentions: Sequence[Mention], index: int) -> int | None:
    """The name mention a short form or descriptor stands for, following chains."""
    seen = {index}
    target = mentions[index].refers_to
    while target is not None and 0 <= target < len(mentions) and target not in seen:
        if mentions[target].kind == "name":
            return target
        seen.add(target)
        target = mentions[target].refers_to
    return None


def _entity_id(type: str, canonical: str) -> str:
    digest = hashlib.sha1(f"{type}\0{normalise(canonical)}".encode()).hexdigest()
    return f"e:{digest[:12]}"


def _canonical(cluster: _Cluster, name_counts: Counter[str]) -> str:
    if cluster.known:
        return cluster.known.name
    if cluster.country_code:
        return country_name(cluster.country_code)
    full = {t: n for t, n in name_counts.items() if len(name_tokens(t)) > 1}
    pool = full or name_counts
    # A person's name in capitals is a transcript's label or a shouting headline: the
    # name as a sentence writes it is shown when there is one ("Marta Quintana", not
    # "MARTA QUINTANA"). An organisation's capitals are its acronym, and stay.
    if cluster.type == "person" and any(not text.isupper() for text in pool):
        pool = {text: n for text, n in pool.items() if not text.isupper()}
    return min(pool, key=lambda text: (-pool[text], -len(text), text))


def _shared_surnames(clusters: Iterable[_Cluster]) -> frozenset[str]:
    """Surnames (folded) that two or more people of the corpus bear in full names, not
    counting people the knowledge base knows (the one a name may be mistaken for)."""
    bearers: Counter[str] = Counter()
    for cluster in clusters:
        if cluster.type == "person" and cluster.known is None:
            bearers.update(
                {fold(surname(form)) for form in cluster.forms if len(name_tokens(form)) > 1}
            )
    return frozenset(name for name, count in bearers.items() if count > 1)


def _build(
    cluster: _Cluster,
    refs: list[tuple[MentionRef, Mention]],
    outlets: Mapping[str, str | None],
    kb: KnowledgeBase | None,
    shared_surnames: frozenset[str] = frozenset(),
) -> Entity:
    counts: Counter[str] = Counter()
    name_counts: Counter[str] = Counter()
    used_by: dict[str, set[str]] = defaultdict(set)
    roles: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    named_in: dict[str, set[str]] = defaultdict(set)
    for (article, _), mention in refs:
        if mention.kind != "descriptor":
            counts[mention.text] += 1
            outlet = outlets.get(article)
            if outlet:
                used_by[mention.text].add(outlet)
        if mention.kind == "name":
            name_counts[mention.text] += 1
            named_in[mention.text].add(article)
        if mention.role:
            roles[mention.role] += 1
        if mention.country:
            countries[mention.country] += 1
    canonical = _canonical(cluster, name_counts or counts)
    role = roles.most_common(1)[0][0] if roles else None
    country = countries.most_common(1)[0][0] if countries else None
    known = cluster.known
    warnings: list[str] = []
    if known:
        current = known.current_role
        role = current.role if current else role
        country = known.country or (current.country if current else None) or country
    elif cluster.country_code:
        country = cluster.country_code
    elif kb is not None and cluster.type == "person":
        # A slip is one writer's, once: a name two articles give is someone's own name
        # ("Michelle Obama" is not Barack Obama with the wrong given name).
        for text in sorted(t for t in name_counts if len(named_in[t]) == 1):
            warning = kb.check_name(
                text,
                "person",
                role=role,
                country=country,
                slips_only=fold(surname(text)) in shared_surnames,
            )
            if warning and warning not in warnings:
                warnings.append(warning)
    variants = tuple(
        Variant(text=text, count=count, outlets=tuple(sorted(used_by[text])))
        for text, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return Entity(
        id=known.id if known else _entity_id(cluster.type, canonical),
        canonical=canonical,
        type=cluster.type,  # type: ignore[arg-type]
        variants=variants,
        articles=len({article for (article, _), _ in refs}),
        role=role,
        country=country,
        kb_id=known.id if known else None,
        description=known.description if known else None,
        warnings=tuple(warnings),
    )


def resolve_entities(
    analyses: Sequence[ArticleAnalysis],
    outlets: Mapping[str, str | None],
    kb: KnowledgeBase | None = None,
) -> Resolution:
    """Link every mention in ``analyses`` to one canonical entity across the articles.

    ``outlets`` maps article ids to the outlet that published them, for the
    variants' "who spells it how". Without ``kb`` only the articles themselves
    (and the country list, for places) decide.
    """
    voted = _voted_types(analyses)
    forms, per_article = _collect(analyses, voted)
    clusters, index_of = _cluster(forms, per_article, kb)
    linker = _Linker(clusters, index_of, kb)
    links = _link(analyses, linker, per_article, voted)

    refs: dict[int, list[tuple[MentionRef, Mention]]] = defaultdict(list)
    for analysis in analyses:
        for index, mention in enumerate(analysis.mentions):
            cluster = links.get((analysis.article_id, index))
            if cluster is not None:
                refs[cluster].append(((analysis.article_id, index), mention))
    shared = _shared_surnames(linker.clusters[index] for index in refs)
    entities: dict[str, Entity] = {}
    entity_links: dict[MentionRef, str] = {}
    for cluster_index, cluster_refs in refs.items():
        entity = _build(linker.clusters[cluster_index], cluster_refs, outlets, kb, shared)
        entities[entity.id] = entity
        for ref, _ in cluster_refs:
            entity_links[ref] = entity.id
    entities = _flag_namesakes(entities, entity_links)
    ordered = sorted(entities.values(), key=lambda e: (-e.articles, e.canonical, e.id))
    return Resolution(entities=tuple(ordered), links=entity_links)


def _flag_namesakes(
    entities: dict[str, Entity], links: Mapping[MentionRef, str]
) -> dict[str, Entity]:
    """Warn on a rarely used full name that looks like a better attested person with the
    wrong given name ("Orhan Sönmez" beside "Erkan Sönmez"): same surname, a given name
    spelled like theirs or the same role, never named in the same article, no conflicting
    office, and the same people around them."""
    articles_of: dict[str, set[str]] = defaultdict(set)
    present: dict[str, set[str]] = defaultdict(set)
    for (article, _), entity_id in links.items():
        articles_of[entity_id].add(article)
        present[article].add(entity_id)

    def company(entity_id: str) -> set[str]:
        return {other for a in articles_of[entity_id] for other in present[a]} - {entity_id}

    by_surname: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities.values():
        if entity.type == "person" and len(name_tokens(entity.canonical)) >= 2:
            by_surname[fold(surname(entity.canonical))].append(entity)
    flagged = dict(entities)
    for group in by_surname.values():
        for rare in group:
            for common in group:
                if not _looks_misnamed(rare, common, articles_of, company):
                    continue
                about = f" ({common.role})" if common.role else ""
                warning = (
                    f"'{rare.canonical}' may be {common.canonical}{about}: same surname, "
                    "named beside the same people, the given name differs"
                )
                current = flagged[rare.id]
                flagged[rare.id] = replace(current, warnings=(*current.warnings, warning))
    return flagged


def _looks_misnamed(
    rare: Entity,
    common: Entity,
    articles_of: Mapping[str, set[str]],
    company: Callable[[str], set[str]],
) -> bool:
    if rare.id == common.id or not given_names_differ(rare.canonical, common.canonical):
        return False
    # The same people around two namesakes are no sign of a slip: family and colleagues
    # share them. A slip keeps most of the given name ("Orhan" for Erkan); a wholly
    # different one ("Peter" beside Frank Keating) is another person unless both are
    # called by the same role ("union leader Mihai Vladescu" for Ionut Vladescu).
    if not given_names_alike(rare.canonical, common.canonical) and not _same_role(
        rare.role, common.role
    ):
        return False
    rare_count = sum(v.count for v in rare.variants)
    common_count = sum(v.count for v in common.variants)
    if rare_count >= common_count or articles_of[rare.id] & articles_of[common.id]:
        return False  # two people named in one article are two people
    if len(articles_of[rare.id]) > 1:
        # A slip is one writer's, once: a name two articles give is someone's own name
        # ("Rick Scott" beside the better-known "Rakeyia Scott" of a week's news).
        return False
    if rare.role and common.role and not _share_words(rare.role, common.role):
        return False
    return len(company(rare.id) & company(common.id)) >= 2


_FUNCTION_WORDS = frozenset({"of", "the", "a", "an", "and"})
# Relatives share a surname and the people around them: "grandson" said of two Joneses
# makes them brothers, not one man.
_KIN = word_set(
    "son daughter grandson granddaughter brother sister father mother wife husband widow "
    "widower uncle aunt nephew niece cousin"
)


def _share_words(a: str, b: str) -> bool:
    return bool((set(a.lower().split()) & set(b.lower().split())) - _FUNCTION_WORDS)


def _same_role(a: str | None, b: str | None) -> bool:
    """Whether two roles are one, word for word, and say what someone does rather than
    whose relative they are: "famous FBI director" is not "director"."""
    if not a or not b:
        return False
    words = set(a.lower().split()) - _FUNCTION_WORDS
    return words == set(b.lower().split()) - _FUNCTION_WORDS and not words & _KIN
