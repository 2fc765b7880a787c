"""People, organisations and places named in one field of an article.

``find_mentions(doc, field)`` turns spaCy's entities into ``Mention`` objects and
corrects what the small English model gets wrong in news text:

* boundaries: a leading "the", a possessive "'s", nationality words and titles are
  cut off a name ("Kazakh President Kassym-Jomart Tokayev" -> "Kassym-Jomart
  Tokayev"); a given name the model left out is taken back in;
* types: a name tagged ORG becomes a person when it had a person's title, a
  role noun or a hyphenated given name in front of it, or when its surname is a
  person elsewhere in the document; a bare nationality word ("Kazakh") is no
  entity at all; a country name tagged NORP is a place; an app or social network
  tagged PERSON is an organisation;
* names the model missed: a plural name after "the" ("the Chiefs") is an organisation;
* credits: names in a photo or wire credit ("Bild: Pool/AP / Jane Doe",
  "Jane Doe/Getty Images") are dropped, a photographer is not a person of the story;
* context: role, affiliation and country of every person (``parallax.lexicon.roles``).

Given a ``TypeModel`` (the analysis passes the shipped one), the rules' type is one
signal among others and the learned typer decides (``parallax.nlp.entity_types``).

``find_descriptors(doc, knowledge, field)`` finds definite noun phrases that may stand for a
person or organisation named earlier ("the native Uzbek", "the think tank"); they
are candidates only, resolved or discarded by ``parallax.nlp.coref``.

Call order, per article: for every field's doc, ``find_mentions(doc, field)`` and
``find_descriptors(doc, knowledge, field)``; concatenate them all (body first, then captions
in order) and pass the list with ``{field: text}`` to
``parallax.nlp.coref.link_within_article``, which returns the final list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from parallax.lexicon.countries import country_from_name, country_from_word
from parallax.lexicon.names import PARTICLES
from parallax.lexicon.places import FEATURE_NAME_ENDS, FEATURE_NAME_STARTS
from parallax.lexicon.roles import (
    HONORIFICS,
    is_person_noun,
    is_title,
    person_context,
    word_set,
)
from parallax.lexicon.roles import POSSESSIVE as POSSESSIVE_CLITICS
from parallax.model import EntityType, Mention
from parallax.nlp.entity_types import LABEL_TYPES, Named, NameWords, retype

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from parallax.lexicon.knowledge import KnowledgeBase
    from parallax.nlp.entity_types import TypeModel

# Marks that open a photo or picture credit up to the end of its line.
CREDIT_MARK = re.compile(
    r"(?:\b(?:Photos?|Pictures?|Images?|Bild|Bilder|Foto|Fotos|Credits?|Quelle|Source)\s*:"
    r"|©|\((?:[A-Z]{2,5} )?Photo/)[^\n]*"
)
HYPHENATED_NAME = re.compile(r"^[A-Z][a-z]+-[A-Z][a-z]+$")
# Lowercase particles that may sit inside a name ("Institute for the Study of War").
NAME_PARTICLES = {"of", "for", "the", "and", "de", "del", "la", "von", "van", "der", "al", "bin"}
# The possessive clitics, and the bare apostrophe of a plural's ("the Dockers' Union").
POSSESSIVE = POSSESSIVE_CLITICS | {"'", "’"}
# Apps and social networks: the model takes some of them for people.
APPS = word_set(
    """
    telegram whatsapp instagram x tiktok youtube facebook twitter snapchat signal wechat
    vk vkontakte threads linkedin reddit weibo viber bluesky app playstore appstore
    """
)
# Photo and wire agencies: a name next to one is a credit.
CREDIT_AGENCIES = word_set(
    """
    AP AFP Reuters dpa DPA EPA Getty Sputnik Imago IMAGO Pool Anadolu Xinhua TASS
    Shutterstock Keystone Alamy ANP ANSA Ria RIA Kremlin.ru
    """
)
# Words that make a name an organisation's, never a person's.
ORG_NAME_WORDS = word_set(
    """
    College University Institute Institution Foundation Endowment Party Ministry Agency
    Bank Council Committee Group Inc Corp Corporation Ltd Company Association Union
    Center Centre Organisation Organization Fund Court Office Department Service Army
    Forces News Times Post Media Network Council Commission Front Movement League
    Alliance Federation Assembly Parliament Congress Senate Government Administration
    Club School Brigade Guard Police Airlines Railways Church United FC Rovers Athletic
    Wanderers Albion Hotspur
    Services Holdings Partners Capital Industries Systems Technologies Solutions Ventures
    Enterprises Investments Trading Shipping Shipbroking Logistics Terminals Bulk Lines
    Airways Motors Pharmaceuticals Petroleum Mining Insurance Securities Properties Foods
    Telecom Communications Resources Exchange Authority Bureau Institutes Labs Studios
    """
)
# Head nouns of a descriptor that stands for an organisation ("the think tank").
ORG_HEAD_NOUNS = word_set(
    """
    tank institute agency ministry company firm group organisation organization bank
    government administration party alliance bloc union council committee foundation
    university newspaper broadcaster outlet network regime cabinet operator club team
    carrier airline maker manufacturer retailer insurer lender broker
    """
)
# Nouns that name a body of state by its kind, not by its name.
BODY_NOUNS = word_set("court department commission office board authority")
INDEFINITE_ARTICLES = word_set("a an another")
# The last words of a name that say what kind of body or state it is.
KIND_WORDS = ORG_NAME_WORDS | word_set("Republic Kingdom State Province Region")
# Nouns after which "of X" names a place ("the cities of Bucha and Kiev").
PLACE_NOUNS = word_set(
    "city town village region province capital district oblast state county island"
)
# Nouns a place name modifies ("the Danube ports", "the Mekong delta"): a name in front
# of them is a place even when the model took it for a person.
GEOGRAPHY_NOUNS = word_set(
    "port harbour harbor route river delta valley basin coast shore border corridor "
    "canal strait crossing bridge dam estuary waterway lowlands plain plate"
)

# What the learned typer reads of these lists (``parallax.nlp.entity_types``).
NAME_WORDS = NameWords(
    institution_words=ORG_NAME_WORDS,
    feature_words=FEATURE_NAME_ENDS | FEATURE_NAME_STARTS,
    institution_nouns=ORG_HEAD_NOUNS,
    place_nouns=PLACE_NOUNS | GEOGRAPHY_NOUNS,
)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: EntityType


def classified_names(doc: Doc) -> list[Named]:
    """spaCy's entities as the rules correct them (boundaries, type), credits left out,
    each with the label spaCy gave it."""
    zones = [match.span() for match in CREDIT_MARK.finditer(doc.text)]
    # Surnames of people the model found; an acronym it once called a person ("SEACOM")
    # is no surname, and no evidence that its other mentions are people.
    person_surnames = {
        ent[-1].text
        for ent in doc.ents
        if ent.label_ == "PERSON" and not (len(ent) == 1 and ent.text.isupper())
    }
    # Surnames of people named in full, whom a lone word may stand for.
    full_name_surnames = {
        ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1
    }
    names: list[Named] = []
    for ent in doc.ents:
        candidate = _classify(
            doc[ent.start : ent.end], ent.label_, person_surnames, full_name_surnames
        )
        if candidate is None or _in_credit(doc, candidate, zones):
            continue
        names.append(Named(candidate.start, candidate.end, ent.label_, candidate.type))
    taken = {i for name in names for i in range(name.start, name.end)}
    return sorted(names + _plural_names(doc, taken), key=lambda name: name.start)


def _plural_names(doc: Doc, taken: set[int]) -> list[Named]:
    """Plural names after "the" that the model left untagged: mostly teams and bands
    ("the Colts", "the Kansas City Chiefs"), an organisation each. Nationalities
    ("the Kazakhs") are no entity."""
    found = []
    for token in doc:
        if not (
            token.tag_ == "NNPS"
            and not token.ent_type_
            and token.i not in taken
            and token.text[:1].isupper()
            and country_from_word(token.text) is None
        ):
            continue
        start = token.i
        while start > 0 and doc[start - 1].tag_ == "NNP" and not doc[start - 1].ent_type_:
            start -= 1
        end = token.i + 1
        # A body named for its members runs on past their possessive ("the Free Dockers'
        # Union").
        if end + 1 < len(doc) and doc[end].text in POSSESSIVE and doc[end + 1].tag_ == "NNP":
            end += 1
            while end < len(doc) and doc[end].tag_ == "NNP" and end not in taken:
                end += 1
        if start > 0 and doc[start - 1].lower_ == "the" and not taken & set(range(start, end)):
            found.append(Named(start, end, "", "organisation"))
    return found


def find_mentions(
    doc: Doc, field: str = "text", type_model: TypeModel | None = None
) -> list[Mention]:
    """The people, organisations and places ``doc`` names, in text order. With
    ``type_model`` the type of each name is that model's decision over the rules' verdict
    and its context (``parallax.nlp.entity_types``); without it, the rules'."""
    names = classified_names(doc)
    # The typer learned English sentences; another language's names keep the rules' types.
    if type_model is not None and doc.lang_ == "en":
        # It gives a name one type in the whole document, weighing all its mentions.
        names = retype(doc, names, type_model, NAME_WORDS)
    else:
        # Shown to be a place once ("on the Danube"), a name is one wherever the model
        # took it for a person or organisation ("the Danube route").
        retyped_places = {
            doc[name.start : name.end].text
            for name in names
            if name.label in ("PERSON", "ORG") and name.type == "place"
        }
        names = [
            replace(name, type="place")
            if name.type != "place" and doc[name.start : name.end].text in retyped_places
            else name
            for name in names
        ]
    # A name the typer made a person was bounded as the rules' type: bound it as a person's.
    candidates = [
        Candidate(
            *_without_loose_ends(
                doc, _person_start(doc, name) if name.type == "person" else name.start, name.end
            ),
            name.type,
        )
        for name in names
    ]
    # A name has a letter: a lone dash the model took for one is none.
    candidates = [c for c in candidates if any(ch.isalpha() for ch in doc[c.start : c.end].text)]
    mentions = []
    for candidate in _dedupe(candidates):
        span = doc[candidate.start : candidate.end]
        mention = Mention(
            text=span.text,
            type=candidate.type,
            start=span.start_char,
            end=span.end_char,
            field=field,
        )
        if candidate.type == "person":
            context = person_context(span)
            mention = replace(
                mention,
                role=context.role,
                affiliation=context.affiliation,
                country=context.country,
            )
        elif candidate.type == "place":
            mention = replace(mention, country=country_from_name(span.text))
        mentions.append(mention)
    return _affiliations_are_organisations(mentions)


def _affiliations_are_organisations(mentions: list[Mention]) -> list[Mention]:
    """A name of several words that heads someone's role ("Steppe Falcons president Sergei
    Bondar") is an organisation wherever the model took it, or a longer name it begins,
    for a person ("from Steppe Falcons Zaporizhzhia")."""
    heads = {m.affiliation for m in mentions if m.type == "person" and m.affiliation}
    heads = {head for head in heads if " " in head}
    if not heads:
        return mentions
    return [
        replace(m, type="organisation", role=None, affiliation=None, country=None)
        if m.type == "person" and any(m.text == h or m.text.startswith(h + " ") for h in heads)
        else m
        for m in mentions
    ]


def find_descriptors(doc: Doc, knowledge: KnowledgeBase, field: str = "text") -> list[Mention]:
    """Definite noun phrases that may refer back to a person or organisation
    (``knowledge`` tells an organisation's name from a descriptor's modifier).

    The returned mentions have ``kind="descriptor"`` and no ``refers_to`` yet;
    their ``type`` is a guess from the head noun, fixed once resolved.
    """
    descriptors = []
    for token in doc:
        guess = _descriptor_type(token)
        if guess is None:
            continue
        dets = [child for child in token.lefts if child.dep_ == "det"]
        if not dets or dets[0].lower_ not in ("the", "this", "that"):
            continue
        modifiers = doc[dets[0].i + 1 : token.i]
        if guess == "organisation" and any(_is_organisation_name(t, knowledge) for t in modifiers):
            # "the dpa news agency" names the agency, it does not refer back to one.
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        # "the political scientist Azamat Junisbai" introduces a name, it does not refer back.
        if following is not None and following.pos_ == "PROPN" and following.ent_type_:
            continue
        span = doc[dets[0].i : token.i + 1]
        descriptors.append(
            Mention(
                text=span.text,
                type=guess,
                start=span.start_char,
                end=span.end_char,
                field=field,
                kind="descriptor",
            )
        )
    return descriptors


def _is_organisation_name(token: Token, knowledge: KnowledgeBase) -> bool:
    return token.ent_type_ in ("ORG", "PERSON") or token.text in knowledge.organisation_names


def _descriptor_type(token: Token) -> EntityType | None:
    # A predicate ("Japarov was the only leader ...") describes, it does not refer.
    if token.tag_ in ("NNS", "NNPS") or token.dep_ in ("compound", "amod", "attr", "appos"):
        return None
    if token.pos_ == "NOUN" and token.lower_ in ORG_HEAD_NOUNS:
        return "organisation"
    if token.pos_ == "NOUN" and is_person_noun(token.lower_):
        return "person"
    # A capitalised title or nationality as the head: "the Kazakh President", "the native Uzbek".
    if token.pos_ == "PROPN" and (is_title(token.text) or country_from_word(token.text)):
        return "person"
    return None


def _classify(
    span: Span, label: str, person_surnames: set[str], full_name_surnames: set[str]
) -> Candidate | None:
    """The entity ``span`` really is, with corrected boundaries, or None if it is none."""
    etype = LABEL_TYPES.get(label)
    if etype is None:
        return None
    doc = span.doc
    start, end = span.start, _across_particles(doc, span.start, span.end)
    if etype == "person" and span.text.casefold() in APPS:
        return Candidate(start, end, "organisation")
    while start < end and doc[start].lower_ == "the":
        start += 1
    if etype in ("person", "organisation") and _names_a_geographic_feature(
        doc, start, end, person_surnames, etype
    ):
        etype = "place"
    while end > start and doc[end - 1].text in POSSESSIVE:
        end -= 1
    # A place's name without the noun of its kind the model ran on into ("Arequipa city",
    # "Erzincan province"): one place, however an article says which it means.
    while etype == "place" and end - start > 1 and _is_kind_of_place(doc[end - 1]):
        end -= 1
    titled = False
    # Nationality words and titles in front belong to the role, not the name; in a place's
    # name they are part of it ("Vatican City", "Panama City"), and in an institution's
    # ("the Foreign Ministry", "the Energy Department").
    institution = doc[end - 1].text in ORG_NAME_WORDS
    while (
        not institution
        and start < end - 1
        and ((_is_nationality(doc[start]) and etype != "place") or _is_title_token(doc[start]))
    ):
        titled = titled or _is_title_token(doc[start])
        start += 1
    if start >= end:
        return None
    # A ministry's word before a title ("Energy" in "Estonian Energy Minister Kaarel
    # Tammsaar") is part of the role, not an organisation or a person.
    one_word = end - start == 1 and end < len(doc)
    if one_word and is_title(doc[start].text) and is_title(doc[end].text):
        return None
    name = doc[start:end]
    # A name is capitalised: "the valley" and "night" are no names, whatever the model says.
    if not any(char.isupper() for char in name.text):
        return None
    # An institution's common noun alone ("the Court", "the Council", "the Department")
    # points back at a body named in full, or at none: it names nothing by itself.
    if (
        etype == "organisation"
        and end - start == 1
        and name[0].lower_ in ORG_HEAD_NOUNS | BODY_NOUNS
    ):
        return None
    # A plural common noun opening a sentence ("Vessels will be asked …") is no organisation.
    if label == "ORG" and end - start == 1 and name[0].tag_ == "NNS" and name[0].is_sent_start:
        return None
    # Coordinated with a place ("as far away as Sivas and Erzurum"), a name is a place.
    if (
        etype != "place"
        and end - start == 1
        and name.text not in full_name_surnames
        and _coordinated_with_a_place(name)
    ):
        etype = "place"
    text = doc[start:end].text
    if _is_nationality_phrase(doc[start:end]):
        return None
    # "another former Soviet Republic", "an Irish Company": one of a kind, said with a
    # capital, is no name. (An indefinite article alone is no sign: "an angry Nichols".)
    if doc[end - 1].text in KIND_WORDS and any(
        child.dep_ == "det" and child.lower_ in INDEFINITE_ARTICLES
        for child in doc[start:end].root.children
    ):
        return None
    if country_from_name(text) and label != "ORG":
        return Candidate(start, end, "place")
    # A group named by its people ("Soviet", "Central Asian") is not an organisation.
    if label == "NORP" and not any(token.text in ORG_NAME_WORDS for token in doc[start:end]):
        return None
    if _names_a_place_noun(doc[start:end]) or _is_feature_name(doc[start:end]):
        return Candidate(start, end, "place")
    # The model takes institutions named after a building for one ("the Wilson Center").
    if label == "FAC" and any(token.text in ORG_NAME_WORDS for token in doc[start:end]):
        return Candidate(start, end, "organisation")
    # ... and clubs or universities named after a place for it ("Hafnia United").
    if (
        label in ("GPE", "LOC", "PERSON")
        and end - start >= 2
        and doc[end - 1].text in ORG_NAME_WORDS
    ):
        return Candidate(start, end, "organisation")
    if etype == "organisation":
        end = _cut_at_lowercase(doc, start, end)
        if start >= end:
            return None
        if _looks_like_person(doc, start, end, titled, person_surnames):
            etype = "person"
    if etype == "person":
        start, end = _person_bounds(doc, start, end)
        if start >= end or _is_nationality_phrase(doc[start:end]):
            return None
    return Candidate(start, end, etype)


def _is_kind_of_place(token: Token) -> bool:
    return token.is_lower and token.lower_ in PLACE_NOUNS


def _across_particles(doc: Doc, start: int, end: int) -> int:
    """The end of a name that runs on over lowercase particles to a capitalised word the
    model left out or took for a name of its own ("Cruz" of "Cruz del Cóndor", "Ursula
    von der" and "Leyen")."""
    after = end
    while after < len(doc) and doc[after].is_lower and doc[after].lower_ in PARTICLES:
        after += 1
    ends_in_particle = doc[end - 1].is_lower and doc[end - 1].lower_ in PARTICLES
    if (after == end and not ends_in_particle) or after >= len(doc):
        return end
    word = doc[after]
    if word.pos_ == "PROPN" and word.shape_.startswith("X") and word.ent_type_ not in (
        "DATE", "TIME", "CARDINAL", "ORDINAL",
    ):  # fmt: skip
        return after + 1
    return end


def _coordinated_with_a_place(name: Span) -> bool:
    root = name.root
    linked = [child for child in root.children if child.dep_ == "conj"]
    if root.dep_ == "conj":
        linked.append(root.head)
    return any(token.ent_type_ in ("GPE", "LOC") and token.ent_iob_ != "O" for token in linked)


def _is_feature_name(name: Span) -> bool:
    words = [token.text for token in name]
    if len(words) >= 2 and words[-1] in FEATURE_NAME_ENDS:
        return True
    return len(words) == 2 and words[0] in FEATURE_NAME_STARTS and words[1] not in ORG_NAME_WORDS


def _names_a_geographic_feature(
    doc: Doc, start: int, end: int, person_surnames: set[str], etype: EntityType
) -> bool:
    """A river, sea or mountain the model took for a person or organisation: a name
    modifying a noun of geography ("the Danube ports"), or a bare name after "the"
    heading its phrase ("on the Danube", "the Rhine was low"), as English gives people no
    article. "the Obama administration" (a modifier), "the Kennedys" (a family of a named
    person) and "the Dalai Lama" (a title) stay people."""
    if start >= end:
        return False
    name = doc[start:end]
    if name.root.dep_ == "compound" and name.root.head.lemma_.lower() in GEOGRAPHY_NOUNS:
        return True
    # Organisations take "the" ("the Pentagon"); only people are told apart by it.
    if etype != "person" or start == 0 or doc[start - 1].lower_ != "the":
        return False
    family = name.root.tag_ == "NNPS" or (
        name.text.endswith("s") and name.text[:-1] in person_surnames
    )
    return (
        name.root.dep_ != "compound"
        and not family
        and not any(_is_title_token(token) or token.lower_ == "lama" for token in name)
    )


def _is_nationality(token: Token) -> bool:
    return token.pos_ in ("PROPN", "ADJ", "NOUN") and country_from_word(token.text) is not None


def _is_nationality_phrase(span: Span) -> bool:
    """A nationality word ("Kazakh", "Britons"), which names people, not the country; a
    country's own name used as an adjective ("New Zealand officials", "US troops") is
    still the country."""
    return country_from_word(span.text) is not None and country_from_name(span.text) is None


def _is_title_token(token: Token) -> bool:
    return is_title(token.text) or token.lower_.rstrip(".") in HONORIFICS


def _names_a_place_noun(span: Span) -> bool:
    """A name hanging off "the cities of ..." or "the town of ..." is a place."""
    node = span.root
    for _ in range(3):
        if node.dep_ == "conj":
            node = node.head
            continue
        if node.dep_ == "pobj" and node.head.lower_ in ("of", "in"):
            return node.head.head.lemma_.lower() in PLACE_NOUNS
        break
    return False


def _looks_like_person(
    doc: Doc, start: int, end: int, titled: bool, person_surnames: set[str]
) -> bool:
    tokens = doc[start:end]
    if not len(tokens):
        return False  # nothing left once the lowercase tail was cut
    if any(token.text in ORG_NAME_WORDS for token in tokens) or tokens[0].lower_ == "the":
        return False
    if not all(token.shape_[0] == "X" or token.text == "-" for token in tokens):
        return False
    if titled or tokens[-1].text in person_surnames:
        return True
    first = tokens[:3].text if len(tokens) >= 3 and tokens[1].text == "-" else ""
    if HYPHENATED_NAME.match(first) and end - start >= 4:
        return True
    before = doc[start - 1] if start > 0 else None
    if before is None or not is_person_noun(before.lower_):
        return False
    # "said guide Maria Quispe": after a speech verb the model often takes the noun for a verb.
    return before.pos_ == "NOUN" or (before.i > 0 and doc[before.i - 1].lemma_ == "say")


def _person_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A person's name without a title in front, text after it, or a missing given name."""
    start = _after_leading_roles(doc, start, end)
    end = _cut_at_lowercase(doc, start, end)
    # The model often leaves out an unfamiliar given name: take back one capitalised word.
    if start > 0:
        before = doc[start - 1]
        if (
            before.pos_ == "PROPN"
            and before.shape_.startswith("Xx")
            and not before.ent_type_
            and not _is_title_token(before)
            and not _is_nationality(before)
            and not before.is_sent_start
        ):
            start -= 1
    return start, end


def _person_start(doc: Doc, name: Named) -> int:
    """Where a name the typer made a person starts once bounded as a person's, not as the
    rules' type: after the titles and roles in front and a sentence's opening verb,
    unless that leaves nothing."""
    start = _after_opening_verb(doc, _after_leading_roles(doc, name.start, name.end), name.end)
    return start if start < name.end else name.start


_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})


def _after_opening_verb(doc: Doc, start: int, end: int) -> int:
    """Past a sentence's first word when the tagger reads it as a verb: capitalised only
    because it opens the sentence, it is no given name ("Asserting Clinton had lied, ...",
    which would show a person "Asserting Clinton" beside Hillary Clinton)."""
    token = doc[start]
    if end - start > 1 and token.is_sent_start and token.tag_ in _VERB_TAGS:
        return start + 1
    return start


def _after_leading_roles(doc: Doc, start: int, end: int) -> int:
    """Where a person's name starts after the titles and the words for what someone does
    that the model ran into ("Attorney Terry White", "Manager Ed Stefanski"): they are
    the role (``person_context`` reads it), and kept in the name they would show one
    person twice, beside the name without them. ``end`` when it is all titles."""
    while start < end and (
        _is_title_token(doc[start]) or (end - start > 1 and is_person_noun(doc[start].lower_))
    ):
        start += 1
    return start


def _cut_at_lowercase(doc: Doc, start: int, end: int) -> int:
    """End a name before the first lowercase word or punctuation the model ran into."""
    for index in range(start, end):
        token = doc[index]
        # A possessive between two capitalised words is part of the name ("the Free
        # Dockers' Union", "Women's Institute").
        if token.text in POSSESSIVE and index + 1 < end and doc[index + 1].text[:1].isupper():
            continue
        lowercase_word = token.is_lower and token.lower_ not in NAME_PARTICLES
        if lowercase_word or (token.is_punct and token.text not in ("-", ".", "&")):
            return index
    return end


def _in_credit(doc: Doc, candidate: Candidate, zones: list[tuple[int, int]]) -> bool:
    span = doc[candidate.start : candidate.end]
    if any(lo <= span.start_char < hi for lo, hi in zones):
        return True
    if candidate.type != "person":
        return False
    before = doc[candidate.start - 1] if candidate.start > 0 else None
    after = doc[candidate.end] if candidate.end < len(doc) else None
    for neighbour in (before, after):
        if neighbour is None:
            continue
        if neighbour.text == "/" or neighbour.lower_ == "via":
            return True
        if neighbour.text in CREDIT_AGENCIES:
            return True
    return False


def _without_loose_ends(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name without the line breaks, dashes and stops the model ran it into at either
    end ("Evansville" and a paragraph break, "John Mitchell - -"). A stop that belongs to
    the name is in its token ("Jr.", "Calif.")."""
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        end -= 1
    while start < end and (doc[start].is_space or doc[start].is_punct):
        start += 1
    return start, end


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per token range, in text order (two ents may shrink to the same name)."""
    seen: set[tuple[int, int]] = set()
    unique = []
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if (candidate.start, candidate.end) in seen:
            continue
        if unique and candidate.start < unique[-1].end:
            continue
        seen.add((candidate.start, candidate.end))
        unique.append(candidate)
    return unique
