"""Who a short name or a descriptor stands for, within one article.

Call order, per article (the orchestrator's job)::

    mentions = []
    for field, doc in docs.items():          # "text" first, then "caption:0", ...
        mentions += find_mentions(doc, field)
        mentions += find_descriptors(doc, knowledge, field)
    mentions = link_within_article(mentions, texts)   # texts: {field: string}

``link_within_article`` marks a surname ("Tokayev", "Mr. Tokayev") as
``kind="short"`` pointing at the full name it shortens, retypes a surname the
model took for an organisation, and resolves each descriptor ("the native Uzbek",
"the Kremlin chief", "the think tank") to the entity it describes, by its head
noun and nationality against the earlier mentions' roles, countries and
affiliations, else the nearest compatible one. Descriptors it cannot resolve are
dropped. The returned list is ordered by field then position, so indices in
``refers_to`` are indices into the returned list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parallax.lexicon.countries import country_from_word
from parallax.lexicon.roles import LEADER_WORDS, is_title
from parallax.model import Mention
from parallax.nlp.entities import ORG_NAME_WORDS

# Heads of a descriptor that name a state's governing body.
STATE_BODY_NOUNS = frozenset({"government", "administration", "regime", "cabinet"})
QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"|„[^“”]*[“”]")


@dataclass(frozen=True)
class Profile:
    """What the article says about one named entity, gathered over all its mentions."""

    index: int
    words: frozenset[str]
    countries: frozenset[str]


def link_within_article(mentions: list[Mention], texts: dict[str, str]) -> list[Mention]:
    """``mentions`` with short forms and descriptors pointing at their full mentions."""
    fields = list(dict.fromkeys([*texts, *(m.field for m in mentions)]))
    ordered = sorted(mentions, key=lambda m: (fields.index(m.field), m.start, m.end))
    names = _recover_surnames([m for m in ordered if m.kind != "descriptor"], texts)
    names = _link_short_forms(sorted(names, key=lambda m: _position(m, fields)))
    quoted = {
        field: [match.span() for match in QUOTE.finditer(text)] for field, text in texts.items()
    }
    linked = list(names)
    heads = _heads(names)
    profiles = _profiles(names, heads)
    for descriptor in (m for m in ordered if m.kind == "descriptor"):
        if _overlaps_any(descriptor, linked):
            continue
        target = _resolve_descriptor(descriptor, names, heads, profiles, quoted, fields)
        if target is not None:
            antecedent = linked[target]
            linked.append(replace(descriptor, type=antecedent.type, refers_to=target))
    order = sorted(range(len(linked)), key=lambda i: _position(linked[i], fields))
    new_index = {old: new for new, old in enumerate(order)}
    return [
        replace(linked[old], refers_to=None)
        if linked[old].refers_to is None
        else replace(linked[old], refers_to=new_index[linked[old].refers_to])
        for old in order
    ]


def _position(mention: Mention, fields: list[str]) -> tuple[int, int, int]:
    return (fields.index(mention.field), mention.start, mention.end)


def _link_short_forms(names: list[Mention]) -> list[Mention]:
    """A lone surname is the person the article names in full with it; a lone first word
    of exactly one organisation's longer name is that organisation when the rest of the
    name only says what kind of body it is ("Hafnia" after "Hafnia United", not "Apple"
    after "Apple Music")."""
    full = [i for i, m in enumerate(names) if m.type == "person" and len(m.text.split()) > 1]
    firms: dict[str, set[str]] = {}
    for m in names:
        first, *rest = m.text.split()
        if m.type == "organisation" and rest and all(w in ORG_NAME_WORDS for w in rest):
            firms.setdefault(first, set()).add(m.text)
    linked = []
    for index, mention in enumerate(names):
        words = mention.text.split()
        target = None
        if mention.type == "person" and len(words) == 1:
            target = _full_name_for(mention, index, names, full)
        elif mention.type == "organisation" and len(firms.get(mention.text, ())) == 1:
            (name,) = firms[mention.text]
            target = _nearest([i for i, m in enumerate(names) if m.text == name], index)
        if target is not None:
            mention = replace(mention, kind="short", refers_to=target)
        linked.append(mention)
    return linked


def _full_name_for(
    mention: Mention, index: int, names: list[Mention], full: list[int]
) -> int | None:
    # A transcript's label writes the surname in capitals ("BRANDAUER:").
    fold = str.casefold if mention.text.isupper() else str
    matching = [i for i in full if fold(names[i].text.split()[-1]) == fold(mention.text)]
    if not matching:
        # A lone given name is the one person of the article named in full with it
        # ("Mitch" after "Mitch McConnell"); two of them ("Hillary" and "Bill Clinton"
        # do not clash, two Johns do) leave it alone.
        matching = [i for i in full if names[i].text.split()[0] == mention.text]
        if len({names[i].text for i in matching}) != 1:
            return None
    return _nearest(matching, index)


def _nearest(matching: list[int], index: int) -> int:
    """Of the mentions ``matching``, the nearest before ``index``, else the first after it."""
    earlier = [i for i in matching if i < index]
    return earlier[-1] if earlier else matching[0]


def _overlaps_any(descriptor: Mention, mentions: list[Mention]) -> bool:
    """Whether a name covers the descriptor's head ("Kremlin" in "the Kremlin chief" does not)."""
    return any(m.field == descriptor.field and m.start < descriptor.end <= m.end for m in mentions)


def _recover_surnames(names: list[Mention], texts: dict[str, str]) -> list[Mention]:
    """Surnames of the article's people where the model missed or mistyped them.

    A surname of somebody named in full is that person wherever it appears
    again, even when the model saw a place in it ("Stubb and Scholz in Berlin").
    """
    surnames = {
        m.text.split()[-1]
        for m in names
        if m.type == "person" and m.kind == "name" and len(m.text.split()) > 1
    }
    recovered = []
    for mention in names:
        if mention.type != "person" and mention.text in surnames:
            mention = replace(mention, type="person", role=None, country=None)
        recovered.append(mention)
    covered = {(m.field, m.start) for m in names} | {(m.field, m.end) for m in names}
    for field, text in texts.items():
        for surname in surnames:
            for match in re.finditer(rf"\b{re.escape(surname)}\b", text):
                inside = any(m.field == field and m.start <= match.start() < m.end for m in names)
                if not inside and (field, match.start()) not in covered:
                    recovered.append(
                        Mention(surname, "person", match.start(), match.end(), field=field)
                    )
    return recovered


def _heads(mentions: list[Mention]) -> list[int]:
    """For each mention, the index of the full mention it stands for (itself when it is one)."""
    heads = []
    for index in range(len(mentions)):
        while mentions[index].refers_to is not None:
            index = mentions[index].refers_to  # type: ignore[assignment]
        heads.append(index)
    return heads


def _profiles(mentions: list[Mention], heads: list[int]) -> dict[int, Profile]:
    words: dict[int, set[str]] = {}
    countries: dict[int, set[str]] = {}
    for mention, head in zip(mentions, heads, strict=True):
        if mention.kind == "descriptor":
            continue
        bag = words.setdefault(head, set())
        for text in (mention.role, mention.affiliation):
            if text:
                bag.update(word.casefold() for word in re.findall(r"[\w-]+", text))
        if mention.country:
            countries.setdefault(head, set()).add(mention.country)
    return {
        head: Profile(head, frozenset(bag), frozenset(countries.get(head, ())))
        for head, bag in words.items()
    }


def _resolve_descriptor(
    descriptor: Mention,
    mentions: list[Mention],
    heads: list[int],
    profiles: dict[int, Profile],
    quoted: dict[str, list[tuple[int, int]]],
    fields: list[str],
) -> int | None:
    words = [
        w
        for w in re.findall(r"[\w-]+", descriptor.text)
        if w.casefold() not in ("the", "this", "that")
    ]
    if not words:
        return None
    head_word = words[-1].casefold()
    nationality = next((country_from_word(w) for w in words if country_from_word(w)), None)
    modifiers = {w.casefold() for w in words[:-1] if not country_from_word(w)}
    # Capitalised modifiers name something ("the New York businessman"): they must fit.
    named = any(w[:1].isupper() and not country_from_word(w) for w in words[:-1])
    # A nationality as the head ("the native Uzbek") describes a person, never an organisation.
    wanted = descriptor.type
    position = _position(descriptor, fields)
    recency: dict[int, tuple[int, int, int]] = {}
    for mention, head in zip(mentions, heads, strict=True):
        if mention.kind == "descriptor" or mention.type != wanted:
            continue
        if _position(mention, fields) >= position or _in_quote(mention, quoted):
            continue
        recency[head] = max(recency.get(head, (-1, -1, -1)), _position(mention, fields))
    scored = []
    for head, last_seen in recency.items():
        profile = profiles[head]
        if nationality and profile.countries and nationality not in profile.countries:
            continue
        score = 0
        if head_word in profile.words or (
            head_word in LEADER_WORDS and profile.words & LEADER_WORDS
        ):
            # An office ("the president") names its holder; a kind of person ("the
            # expert") fits whoever was last described as one of any kind.
            score += 2 if is_title(head_word) or head_word in LEADER_WORDS else 0
        score += len(modifiers & profile.words)
        if nationality and nationality in profile.countries and is_title(head_word):
            score += 1
        if score == 0 and profile.words and _contradicts(head_word, profile.words):
            continue
        # An office ("the governor", "the minister") names someone the article gave it,
        # not whoever was named last: "the Indiana governor" is not the beauty queen; nor
        # does a kind of person qualified by a name ("the New York businessman").
        if score == 0 and (is_title(head_word) or named):
            continue
        # "The government" is a state's: it does not stand for whichever organisation was
        # named last (a port operator, a town the model took for one), only for a body
        # named or described as one ("the Obama administration", "the Estonian cabinet").
        if head_word in STATE_BODY_NOUNS and head_word not in profile.words | _words_of(
            mentions[head].text
        ):
            continue
        scored.append((score, last_seen, head))
    if not scored:
        return None
    return max(scored)[2]


def _words_of(name: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in re.findall(r"[\w-]+", name))


def _contradicts(head_word: str, role_words: frozenset[str]) -> bool:
    """A descriptor naming an office ("the president") does not fit someone with another one."""
    return is_title(head_word) and not role_words & {head_word}


def _in_quote(mention: Mention, quoted: dict[str, list[tuple[int, int]]]) -> bool:
    # Someone named inside a quotation is rarely the speaker a later descriptor stands for.
    return any(lo < mention.start < hi for lo, hi in quoted.get(mention.field, []))
