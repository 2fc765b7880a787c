"""Role, affiliation and country of a named person, from the words around the name.

Two places carry them in news English: the words in front of a name
("Kazakh President Kassym-Jomart Tokayev", "Central Asia expert Temur Umarov",
"Kazakhstan's President ...", "President of Kazakhstan ...") and an apposition or
prepositional phrase after it ("Temur Umarov, an expert at the Carnegie Endowment,",
"Azamat Junisbai from Pitzer College", "Viktor Lukashenko of Belarus"). A
nationality word becomes the country; a title with a country reads
"President of Kazakhstan".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from parallax.lexicon.countries import country_from_name, country_from_word, country_name

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, for the word lists below."""
    return frozenset(text.split())


# Words that make up a person's title in front of or after a name (lowercase, no dot).
TITLE_WORDS = word_set(
    """
    president vice prime minister chancellor premier king queen prince princess emir
    sheikh sultan pope senator sen rep representative congressman congresswoman governor
    gov mayor general gen colonel col admiral secretary ambassador envoy chairman
    chairwoman chairperson ceo spokesman spokeswoman spokesperson speaker judge justice
    commander marshal leader chief deputy foreign defence defense interior finance
    energy health transport education economy agriculture environment trade labour labor
    culture treasury
    crown supreme lieutenant lt captain capt major sergeant ayatollah patriarch
    archbishop bishop rabbi imam professor prof minister-president head
    sheriff coroner detective det officer inspector superintendent constable trooper
    patrolman sgt cpl corporal commissioner maj adm cmdr coach
    """
)
# Courtesy titles: cut off a name, but they are no role.
HONORIFICS = word_set("mr mrs ms miss mx sir dame dr")
# Nouns for what a person does or is, beyond formal titles.
PERSON_NOUNS = word_set(
    """
    expert analyst scientist researcher scholar academic economist historian journalist
    reporter correspondent editor author writer official diplomat politician lawmaker
    legislator activist lawyer attorney prosecutor observer commentator founder director
    executive manager owner investor banker officer soldier commander strongman ruler
    autocrat dictator incumbent candidate challenger opponent rival ally adviser advisor
    aide consultant specialist native veteran negotiator mediator witness victim survivor
    resident citizen businessman businesswoman billionaire oligarch president minister
    leader chief head chairman spokesman spokeswoman spokesperson premier chancellor
    governor mayor ambassador envoy general professor
    guide farmer teacher doctor nurse driver pilot engineer worker student miner fisherman
    trader vendor shopkeeper coach player firefighter rescuer volunteer
    """
)
# Words for the person at the top, so "the Kremlin chief" can match a "President".
LEADER_WORDS = word_set("president leader chief head premier ruler strongman")
POSSESSIVE = {"'s", "’s", "‘s"}
AFFILIATION_PREPS = {"at", "of", "from", "with", "for"}
MODIFIER_DEPS = {"amod", "compound", "nmod"}


@dataclass(frozen=True)
class RoleContext:
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None


def is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLE_WORDS


def is_person_noun(word: str) -> bool:
    word = word.lower()
    # Professions in -ist are open-ended ("political scientist", "ecologist").
    return word in PERSON_NOUNS or (word.endswith("ist") and len(word) > 5)


def person_context(span: Span) -> RoleContext:
    """Role, affiliation and country of the person named by ``span`` in its doc."""
    before = _premodifiers(span)
    after = _postmodifiers(span)
    country = before.country or after.country
    role = before.role or after.role
    if role and country and _ends_in_title(role):
        role = f"{role[0].upper()}{role[1:]} of {country_name(country)}"
    affiliation = after.affiliation or before.affiliation
    return RoleContext(role=role, affiliation=affiliation, country=country)


def _ends_in_title(role: str) -> bool:
    return is_title(role.split()[-1]) and " of " not in role


def _premodifiers(span: Span) -> RoleContext:
    doc = span.doc
    members = {token.i for token in span}
    chain: list[Token] = []
    country = None
    index = span.start - 1
    # "President of Kazakhstan Kasim Tokayev": the title sits before "of <country>".
    for size in (1, 2, 3):
        of = index - size
        if of < 1 or doc[of].lower_ != "of" or not is_title(doc[of - 1].text):
            continue
        code = country_from_name(doc[of + 1 : index + 1].text)
        if code:
            country = code
            members.update(range(of, index + 1))
            index = of - 1
            break
    has_noun = False
    while index >= 0:
        token = doc[index]
        if token.text in POSSESSIVE:
            code = _possessive_country(doc, index)
            if chain and code:
                country = country or code
            break
        if not _attached(token, members):
            break
        nationality = country_from_word(token.text)
        if token.lower_.rstrip(".") in HONORIFICS:
            pass
        elif nationality and token.pos_ in ("ADJ", "PROPN", "NOUN") and not token.is_lower:
            country = country or nationality
        elif (
            is_title(token.text)
            or is_person_noun(token.text)  # capitalised, the model takes it for a name's
            or (token.pos_ == "NOUN" and token.tag_ == "NN")
        ):
            chain.append(token)
            has_noun = True
        elif (token.pos_ == "PROPN" and has_noun) or (token.pos_ == "ADJ" and chain):
            chain.append(token)
        else:
            break
        members.add(token.i)
        index -= 1
    chain.reverse()
    role = "".join(token.text_with_ws for token in chain).strip() or None
    return RoleContext(role=role, country=country, affiliation=_leading_name(chain))


def _leading_name(chain: list[Token]) -> str | None:
    """The name a title is of, at the head of a role ("Steppe Falcons" in "Steppe Falcons
    president", "Apple" in "Apple CEO"): proper nouns straight before a title word, none
    of them a person's name ("Donald Trump spokesman" names no organisation)."""
    names: list[Token] = []
    for token in chain:
        if token.pos_ != "PROPN" or is_title(token.text):
            break
        names.append(token)
    after = chain[len(names)] if len(names) < len(chain) else None
    if not names or after is None or not is_title(after.text):
        return None
    if any(token.ent_type_ == "PERSON" for token in names):
        return None
    return "".join(token.text_with_ws for token in names).strip()


def _attached(token: Token, members: set[int]) -> bool:
    """Whether the parser hangs ``token`` on the name or its modifiers, or the name on it."""
    return token.head.i in members or any(token.doc[i].head.i == token.i for i in members)


def _possessive_country(doc: Doc, index: int) -> str | None:
    end = index
    start = end
    while start > 0 and doc[start - 1].ent_type_ == "GPE":
        start -= 1
    return country_from_name(doc[start:end].text) if start < end else None


def _postmodifiers(span: Span) -> RoleContext:
    doc = span.doc
    for token in span:
        for child in token.rights:
            if child.dep_ == "appos" and _is_role_noun(child) and child.i >= span.end:
                return _apposition(child)
    if span.end + 1 < len(doc) and doc[span.end].lower_ in AFFILIATION_PREPS:
        return _prepositional_object(doc[span.end])
    return RoleContext()


def _is_role_noun(token: Token) -> bool:
    # "(3rd R)" after a name in a caption is a position in the photo, not a role.
    counted = any(child.dep_ in ("nummod", "amod") and child.like_num for child in token.lefts)
    return token.pos_ == "NOUN" and (token.is_lower or is_title(token.text)) and not counted


def _apposition(head: Token) -> RoleContext:
    doc = head.doc
    country = None
    words = [head.text]
    index = head.i - 1
    while index >= 0 and doc[index].head.i == head.i and doc[index].dep_ in MODIFIER_DEPS:
        code = country_from_word(doc[index].text)
        if code and not doc[index].is_lower:
            country = code
            index -= 1
            continue
        # A modifier with its own modifiers is one word of the role: "Kyiv-based".
        first = doc[index].left_edge.i
        words.insert(0, doc[first : index + 1].text)
        index = first - 1
    context = RoleContext(role=" ".join(words), country=country)
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ in AFFILIATION_PREPS:
            found = _prepositional_object(prep)
            return RoleContext(
                role=context.role,
                affiliation=found.affiliation,
                country=context.country or found.country,
            )
    return context


def _prepositional_object(prep: Token) -> RoleContext:
    doc = prep.doc
    index = prep.i + 1
    if index < len(doc) and doc[index].lower_ == "the":
        index += 1
    if index >= len(doc) or not doc[index].ent_type_:
        return RoleContext()
    label = doc[index].ent_type_
    end = index
    while (
        end < len(doc)
        and doc[end].ent_type_ == label
        and not (end > index and doc[end].ent_iob_ == "B")
    ):
        end += 1
    text = doc[index:end].text
    if label == "ORG":
        return RoleContext(affiliation=text)
    if label == "GPE" and prep.lower_ in ("of", "from"):
        return RoleContext(country=country_from_name(text))
    return RoleContext()
