"""Transliteration-aware name normalisation and similarity.

The same person reaches English text through Russian, German, Turkish or Uzbek
spellings: Mirziyoyev, Mirsijojew, Mirziyoev. ``fold`` maps one name token to a
phonetic key in which those alternations coincide, and ``skeleton`` keeps only its
consonant frame, which survives vowel changes (Shavkat / Şevket). Similarity is
then measured on the key as well as on the plain spelling, token by token, with
the surname carrying most of the weight: given names may be initials, missing, or
transliterated, but two clearly different given names mean two different people.

Two more questions about one person's name are answered here for every stage alike:
``spelling_variant`` says why two forms are mere variants (a title, a middle initial, a
short form) rather than a spelling a reader should see, and ``given_names_alike`` whether
another given name is a slip of the pen (Orhan / Erkan) rather than another person's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache

from rapidfuzz.distance import Indel, Levenshtein

from parallax.lexicon.roles import is_title

# Scores at or above this are the same name; the clustering and the knowledge base
# use it so that "match" means one thing everywhere.
MATCH_THRESHOLD = 0.85
# Given names scoring below this (after alignment) belong to different people.
GIVEN_CONFLICT = 0.7
# Surnames scoring at or above this are taken to be one surname.
SURNAME_MATCH = 0.85

# Letters that Unicode decomposition would strip to the wrong base letter: Turkish
# and Romanian ş/ș sound "sh" (Şevket = Shavkat), the rest have no decomposition.
_SPECIAL = str.maketrans(
    {
        "ş": "sh",
        "ș": "sh",
        # Romanian t-comma: the press writes Constanța as Constanta.
        "ţ": "t",
        "ț": "t",
        "ğ": "g",
        "ı": "i",
        "ß": "ss",
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
    }
)

# Ordered: longer spellings of one sound first, so "dsch" is not read as "d" + "sch".
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # A silent initial h before a vowel comes and goes (Huamani/Uamani).
        ("^h(?=[aeiou])", ""),
        ("dsch", "j"),
        ("tsch", "ch"),
        ("sch", "sh"),
        ("dzh", "j"),
        ("zh", "j"),
        ("dj", "j"),
        ("kh", "h"),
        ("gh", "g"),
        ("ph", "f"),
        ("th", "t"),
        ("ch", "h"),
        ("ck", "k"),
        ("x", "ks"),
        ("q", "k"),
        ("w", "v"),
        ("f+$", "v"),
        ("tz", "s"),
        ("ts", "s"),
        ("c(?=[eiy])", "s"),
        ("c", "k"),
        ("z", "s"),
        # Ukrainian renders as h what Russian renders as g (Serhiy/Sergei, Olha/Olga).
        ("g", "h"),
        # German/Russian j and English y are the same glide: Mirsijojew, Mirziyoyev.
        ("[jy]", "i"),
    )
)
_VOWEL_RUN = re.compile(r"[aeiou]{2,}")
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = frozenset("aeiou")
_NON_LETTER = re.compile(r"[^a-z]+")
_H_AFTER_CONSONANT = re.compile(r"(?<=[b-df-hj-np-tv-z])h")

_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "herr",
        "frau",
        "sen",
        "rep",
        "gen",
        "col",
        "lt",
        "capt",
    ]
)
# Generational suffixes, "Jr." and regnal numbers alike: John Smith Jr. is John Smith to the
# outlet that leaves it out.
_GENERATIONS = frozenset(["jr", "sr", "ii", "iii", "iv"])
# Lowercase words inside a name that are neither given name nor surname ("Lula da Silva",
# "Ursula von der Leyen").
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ibn",
        "bin",
        "bint",
        "ben",
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "di",
        "du",
        "la",
        "le",
        "dos",
        "das",
        "ter",
        "ten",
        "zu",
        "oglu",
        "ogli",
        "kyzy",
    ]
)
# For comparing initials: letters that different transliterations swap at a word start.
_INITIAL = str.maketrans("wyqc", "vjkk")


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Lowercase ASCII letters and single spaces: accents, punctuation and case dropped."""
    text = unicodedata.normalize("NFC", text).lower().translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_LETTER.sub(" ", text).split())


def _fold_vowel_run(match: re.Match[str]) -> str:
    # A glide next to a vowel is a transliteration artefact (Tokayev/Tokaev,
    # Kiev/Kyiv), and German umlaut spellings put a second vowel after the first
    # (Schroeder/Schröder): keep the run's first real vowel.
    run = match.group(0)
    vowels = run.replace("i", "")
    return vowels[0] if vowels else "i"


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """The phonetic key of one normalised name token."""
    key = token
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    key = _VOWEL_RUN.sub(_fold_vowel_run, key)
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """The consonant frame of a folded key; a leading vowel is kept as one class."""
    if not key:
        return ""
    # An h after a consonant is where ASCII renderings lose a diacritic (Şevket as
    # Sevket, Šimon as Simon), so the frame ignores it.
    key = _H_AFTER_CONSONANT.sub("", key)
    head = "a" if key[0] in _VOWELS else key[0]
    return _DOUBLE.sub(r"\1", head + "".join(c for c in key[1:] if c not in _VOWELS))


@lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """Normalised tokens of a name without honorifics and generational suffixes."""
    tokens = [token for token in normalise(name).split() if token not in _HONORIFICS]
    if len(tokens) > 2 and tokens[-1] in _GENERATIONS:
        tokens.pop()
    return tuple(tokens)


def owner_of_short_name(
    short: str, full_names: Iterable[str], named_in: Mapping[str, AbstractSet[str]] | None = None
) -> str | None:
    """The one name of ``full_names`` that the lone given name or surname ``short`` fits
    ("Tara" or "Reid" -> "Tara Reid"); None when ``short`` is a full name, or when no
    name fits.

    When several fit ("Bush" beside George W. and Laura Bush), ``named_in`` (the articles
    that name each, ``short`` among them) decides: the one its own articles name in
    full; when they name none of them, the one named in more articles than all the others
    together (a story about Chris Weitz's film that mentions his brother Paul once means
    Chris by "Weitz"). Without ``named_in``, when its articles name several, or when none
    has that majority, None."""
    tokens = name_tokens(short)
    if len(tokens) != 1:
        return None
    fits = sorted(
        full
        for full in full_names
        if len(words := name_tokens(full)) > 1 and tokens[0] in (words[0], words[-1])
    )
    if len(fits) == 1:
        return fits[0]
    if not fits or named_in is None:
        return None
    said_in = named_in.get(short, set())
    beside = [full for full in fits if said_in & named_in.get(full, set())]
    if beside:
        return beside[0] if len(beside) == 1 else None
    reach = {full: len(named_in.get(full, ())) for full in fits}
    best = max(fits, key=reach.__getitem__)
    return best if 2 * reach[best] > sum(reach.values()) else None


def person_owners(
    names: Iterable[str], named_in: Mapping[str, AbstractSet[str]] | None = None
) -> dict[str, str]:
    """One person, one name among the people of one story: each of ``names`` mapped to
    the name that stands for its person (itself, most often). ``named_in``: the story's
    articles that name each, which decide a lone name that fits several people.

    - Forms with the same words once honorifics and generational suffixes are set aside
      are one person, under the first given ("Anthony LaCalamita III", "Anthony
      LaCalamita").
    - A full name that runs on past another full name is that person: a headline read as
      a name ("Lindsay Lohan Checks Into Rehab" beside "Lindsay Lohan"); so is one that
      adds only initials or a title in front ("D. A. Lowell Anger", "Rev. Louis Gigante").
    - A lone given name or surname that fits exactly one full name is that person, or,
      fitting several, the one named in more articles than the others together
      (``owner_of_short_name``).
    """
    names = list(names)
    first_of: dict[tuple[str, ...], str] = {}
    for name in names:
        first_of.setdefault(name_tokens(name), name)
    full = [tokens for tokens in first_of if len(tokens) > 1]
    owner_of: dict[tuple[str, ...], str] = {}
    for tokens, name in first_of.items():
        # The shortest full name it starts with, or ends with after initials and titles
        # ("D. A. Lowell Anger"), so that no owner has an owner of its own.
        within = [
            o
            for o in full
            if len(o) < len(tokens)
            and (
                tokens[: len(o)] == o
                or (
                    tokens[-len(o) :] == o
                    and all(len(t) == 1 or _is_title_word(t) for t in tokens[: -len(o)])
                )
            )
        ]
        owner_of[tokens] = first_of[min(within, key=len)] if len(tokens) > 1 and within else name
    people = set(owner_of.values())
    # An owner is named wherever any of its forms is ("Manager Tony DiLeo", "Tony DiLeo").
    owner_named_in: dict[str, set[str]] | None = None
    if named_in is not None:
        owner_named_in = {}
        for name in names:
            owner_named_in.setdefault(owner_of[name_tokens(name)], set()).update(
                named_in.get(name, ())
            )
    for tokens, owner in owner_of.items():
        if len(tokens) == 1:
            fitted = owner_of_short_name(owner, people - {owner}, owner_named_in)
            owner_of[tokens] = fitted or owner
    return {name: owner_of[name_tokens(name)] for name in names}


@lru_cache(maxsize=200_000)
def _split(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Given names (particles dropped) and the surname of a tokenised person name."""
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index] not in PARTICLES:
            given = tuple(t for t in tokens[:index] if t not in PARTICLES)
            return given, tokens[index]
    return (), tokens[-1]


def surname(name: str) -> str:
    """The normalised surname of a person name ("" for an empty name)."""
    tokens = name_tokens(name)
    return _split(tokens)[1] if tokens else ""


def given_names(name: str) -> tuple[str, ...]:
    tokens = name_tokens(name)
    return _split(tokens)[0] if tokens else ()


def phonetic_key(name: str) -> str:
    """The folded form of a whole name, token by token."""
    return _joined(name_tokens(name))[1]


def lookup_key(name: str) -> str:
    """The key under which a name finds its exact matches: an acronym's letters, or the
    phonetic key (an acronym is not pronounced as spelled: "House" is not "OSCE")."""
    return "=" + _letters(name).lower() if is_acronym(name) else phonetic_key(name)


def blocking_keys(name: str, entity_type: str = "person") -> tuple[str, ...]:
    """Cheap keys that transliteration variants of a name share at least one of.

    The consonant frame of the surname (persons) or of the whole name (others),
    by its start and by its end, so a variant that differs at one end still meets
    its twin through the other. Other names must agree more closely than persons'
    surnames, so their keys are longer and their blocks smaller.
    """
    tokens = name_tokens(name)
    if not tokens:
        return ()
    if entity_type == "person":
        frame, size = skeleton(fold(_split(tokens)[1])), 4
    else:
        frame, size = "".join(skeleton(fold(token)) for token in tokens), 6
    # The three-letter start catches a variant whose frame differs in its fourth letter
    # and at its end alike (Pălcuță rendered as Palcuta).
    return (f"<{frame[:size]}", f">{frame[-size:]}", f"^{frame[: size - 1]}")


def token_similarity(a: str, b: str) -> float:
    """Similarity of two normalised tokens, transliteration alternations forgiven."""
    if a == b:
        return 1.0
    key_a, key_b = fold(a), fold(b)
    if key_a == key_b:
        return 1.0
    score = Indel.normalized_similarity(key_a, key_b)
    frame_a = skeleton(key_a)
    if (
        len(frame_a) >= 2
        and frame_a == skeleton(key_b)
        and _shape(key_a) == _shape(key_b)
        and (len(frame_a) > 2 or _close_vowels_only(key_a, key_b))
    ):
        # Same consonants, different vowels in the same places: Shavkat / Sevket, Emomali /
        # Imamali; not Cruz / Kairys, where a vowel comes and goes between consonants.
        score = max(score, 0.9)
    return score


# Vowels transliterations swap for one another (Kiev / Kyiv, Gorbachov / Gorbachev).
_CLOSE_VOWELS = frozenset({frozenset("ei"), frozenset("ou")})


def _close_vowels_only(key_a: str, key_b: str) -> bool:
    """Whether two folded keys differ only by close vowels, letter for letter: with two
    consonants, the vowels carry the name (Tony is not Tajani, Moon not Myung)."""
    return len(key_a) == len(key_b) and all(
        a == b or frozenset((a, b)) in _CLOSE_VOWELS for a, b in zip(key_a, key_b, strict=True)
    )


@lru_cache(maxsize=200_000)
def _shape(key: str) -> str:
    """Where a folded key has vowels: each run of vowels one "V", consonants as they are."""
    key = _H_AFTER_CONSONANT.sub("", key)
    return re.sub("[" + "".join(_VOWELS) + "]+", "V", key)


def _given_token_similarity(a: str, b: str, initial_stands_in: bool) -> float:
    if len(a) == 1 or len(b) == 1:
        if len(a) > 1 and not initial_stands_in:
            return 0.0
        return 1.0 if a[0].translate(_INITIAL) == b[0].translate(_INITIAL) else 0.0
    if _familiar(a, b):
        return 1.0  # "Tim" is how papers write Timothy
    return token_similarity(a, b)


def given_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """How well the given names of the shorter list find a partner in the longer one.

    ``None`` when either side has none: a missing given name is no evidence either way.
    """
    if not a or not b:
        return None
    shorter, longer = sorted((a, b), key=len)
    # When one side has extra given names, an initial among them cannot vouch for a
    # full given name on the other: "Ivanka" is not the "J." of "Donald J. Trump".
    same_length = len(a) == len(b)
    scores = [max(_given_token_similarity(t, u, same_length) for u in longer) for t in shorter]
    return sum(scores) / len(scores)


def given_names_differ(a: str, b: str) -> bool:
    """Same surname, but given names that belong to two different people."""
    tokens_a, tokens_b = name_tokens(a), name_tokens(b)
    if len(tokens_a) < 2 or len(tokens_b) < 2:
        return False
    given_a, surname_a = _split(tokens_a)
    given_b, surname_b = _split(tokens_b)
    if token_similarity(surname_a, surname_b) < SURNAME_MATCH:
        return False
    given = given_similarity(given_a, given_b)
    return given is not None and given < GIVEN_CONFLICT


# Given names a slip of the pen or ear apart score at or above this on rapidfuzz's normalised
# Levenshtein similarity (1 - edits / length of the longer), as spelled: Orhan / Erkan
# 0.6, Rita / Rosa and Aino / Anni 0.5, Rustem / Rustam 0.83. Two people's given names score
# below it: Hillary / Bill 0.43, Saddam / Abdullah 0.29, Temur / Rustem 0.17, Peter / Frank,
# Mihai / Ionut and Dmytro / Oksana 0. Levenshtein, not Indel: Indel counts a changed letter
# twice and so ranks Hillary / Bill (0.55) above Rita / Rosa (0.5). A rhyme scores as high
# (Chris / Boris 0.6, Jim / Tim 0.67), so a slip must also keep the name's first sound.
GIVEN_SLIP = 0.5

# Familiar forms of given names that English-language news prints for the full name and
# that do not keep its opening letters ("Bill" for William, "Ted" for Edward).
_FAMILIAR_BY_HAND: tuple[tuple[str, str], ...] = (
    ("bill", "william"),
    ("jim", "james"),
    ("bob", "robert"),
    ("ted", "edward"),
    ("ted", "theodore"),
    ("liz", "elizabeth"),
    ("rick", "richard"),
    ("dick", "richard"),
    ("chuck", "charles"),
    ("peggy", "margaret"),
    ("hank", "henry"),
    ("jack", "john"),
)


@cache
def familiar_forms() -> frozenset[frozenset[str]]:
    """Pairs of a given name and a familiar form of it: the hand list above and, from the
    ``nicknames`` package's curated English list (2,691 pairs), those whose familiar form
    keeps the name's first two letters ("Tim" for Timothy, "Geoff" for Geoffrey, "Katie"
    for Kathryn). The rest of that list pairs names that are not one ("Erin" for Aaron,
    "Peter" for Patrick), which would make two relatives of one surname one person; and
    a letter's difference is a spelling ("Hilary" for Hillary), which a comparison shows."""
    from nicknames import NickNamer

    pairs = {frozenset(pair) for pair in _FAMILIAR_BY_HAND}
    for name, familiar_ones in NickNamer().nickname_lookup.items():
        pairs.update(
            frozenset((name, familiar))
            for familiar in familiar_ones
            if familiar[:2] == name[:2] and Levenshtein.distance(familiar, name) > 1
        )
    return frozenset(pairs)


def _familiar(a: str, b: str) -> bool:
    """Whether one given name is a familiar form of the other (``familiar_forms``)."""
    return frozenset((a, b)) in familiar_forms()


def _given_tokens_alike(a: str, b: str) -> bool:
    """Whether one given name could stand for the other: its initial, its familiar form, or
    a slip of the pen or ear away from it."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if a == b or _familiar(a, b):
        return True
    key_a, key_b = fold(a), fold(b)
    if skeleton(key_a)[:1] != skeleton(key_b)[:1]:
        return False
    # As written, not folded: folding drops an initial "h" and merges vowels, which makes
    # "Humayun" a slip of "Imran" and "Martha" one of "Murray" (0.6 and 0.5 folded).
    return Levenshtein.normalized_similarity(a, b) >= GIVEN_SLIP


def given_names_alike(a: str, b: str) -> bool:
    """Whether the given names of two person names could be one person's written twice: the
    given names of the shorter list stand, in order, for given names of the longer.

    A first given name stands for the other's first as written, by its initial, a familiar
    form or a slip (``_given_tokens_alike``); written in full it may also be a middle name
    the person goes by ("Pat Leahy", Michael Patrick Leahy). A later one stands for a later
    one as written, familiar, or by its initial ("George W." for George Walker). So a
    middle initial is no given name: "Jim Bennett" is not the "J." of William J. Bennett.

    What tells a misremembered given name ("Orhan Sönmez" for Erkan Sönmez) from another
    person's ("Saddam Hussein" beside "Abdullah II bin Al-Hussein"). False when either name
    has no given name: a surname alone says nothing about them.
    """
    given_a, given_b = given_names(a), given_names(b)
    if not given_a or not given_b:
        return False
    shorter, longer = sorted((given_a, given_b), key=len)
    position = 0
    for index, token in enumerate(shorter):
        matched = next(
            (
                at
                for at in range(position, len(longer))
                if _stands_for(token, longer[at], index, at)
            ),
            None,
        )
        if matched is None:
            return False
        position = matched + 1
    return True


def _stands_for(token: str, other: str, index: int, at: int) -> bool:
    """Whether the ``index``-th given name of the shorter list can be the ``at``-th of the
    longer (see ``given_names_alike``)."""
    if index == 0 and at == 0:
        return _given_tokens_alike(token, other)
    if token == other or _familiar(token, other):
        return True
    initial = len(token) == 1 or len(other) == 1
    return index > 0 and initial and token[0] == other[0]


def _is_title_word(key: str) -> bool:
    # Plural too: a recogniser's span can swallow "Representatives" from "House of
    # Representatives Jim Jordan".
    return key in _HONORIFICS or is_title(key) or (key.endswith("s") and is_title(key[:-1]))


def _bare_name(name: str) -> tuple[list[str], list[str], bool, str | None]:
    """The words of a name without a leading title and a generational suffix, their keys
    (``normalise`` without spaces: "O'Neill" is "oneill"), whether a title was dropped, and
    the suffix dropped.

    The title is the longest run of leading words that ends in a title word, so an office
    of several words goes whole ("U.S. Rep.", "Supreme Court Justice"); the name keeps at
    least one word.
    """
    words = [word for word in name.split() if normalise(word)]
    keys = [normalise(word).replace(" ", "") for word in words]
    suffix = None
    if len(keys) > 1 and keys[-1] in _GENERATIONS:
        suffix = keys.pop()
        words.pop()
    title_end = max((i + 1 for i in range(len(keys) - 1) if _is_title_word(keys[i])), default=0)
    return words[title_end:], keys[title_end:], title_end > 0, suffix


def _omitted(tokens: tuple[str, ...], start: int) -> list[str]:
    """What given names one form has and the other lacks make of it: leaving out the first
    is a short form ("W. Bush"), any later one a middle name or initial."""
    return [
        "short form" if index == 0 else "middle initial" if len(token) == 1 else "middle name"
        for index, token in enumerate(tokens, start)
    ]


def _given_variant(token: str, other: str, index: int) -> str | None:
    """How the given name ``token`` writes ``other``, the ``index``-th given name of the
    longer form: "" as it is, a reason for a variant, None for another name."""
    if token == other:
        return ""
    if len(token) == 1 or len(other) == 1:
        if token[0] != other[0]:
            return None
        return "short form" if index == 0 else "middle initial"
    return "nickname" if _familiar(token, other) else None


def _structural_variant(tokens_a: tuple[str, ...], tokens_b: tuple[str, ...]) -> list[str] | None:
    """Why two token lists that spell their words differently name one person, or None."""
    if not tokens_a or not tokens_b:  # nothing of a name left once tokenised
        return None
    if len(tokens_a) == 1 or len(tokens_b) == 1:
        shorter, longer = sorted((tokens_a, tokens_b), key=len)
        if len(longer) == 1:
            return None
        given, last = _split(longer)
        alone = shorter[0]
        return ["short form"] if alone in (last, longer[-1], *given[:1]) else None
    (given_a, surname_a), (given_b, surname_b) = _split(tokens_a), _split(tokens_b)
    if surname_a != surname_b:
        return None
    shorter, longer = sorted((given_a, given_b), key=len)
    reasons: list[str] = []
    position = 0
    for token in shorter:
        for index in range(position, len(longer)):
            kind = _given_variant(token, longer[index], index)
            if kind is not None:
                break
        else:
            return None
        reasons += [*_omitted(longer[position:index], position), kind]
        position = index + 1
    reasons += _omitted(longer[position:], position)
    # Given names and surname agree, so the forms differ in a particle ("von der Leyen").
    return [reason for reason in reasons if reason] or ["short form"]


def spelling_variant(a: str, b: str) -> str | None:
    """Why two written forms of one person's name are variants to show as such, not a
    spelling difference between outlets; None when they differ in a way a reader should see.

    A name part spelled otherwise (Tokayev / Tokaev, Kassym-Jomart / Kasim Comert), another
    given name (Orhan / Erkan) or two different suffixes (Jr. / Sr.: father and son) give
    None. Otherwise the reason names each kind of difference, in this order, joined by ", ":

    * "title": a leading title or office ("Sen. Ted Cruz", "Representatives Jim Jordan");
    * "suffix": Jr., Sr., III on one form only;
    * "accents or case": the same letters once accents, case, spaces and punctuation are
      dropped (Sönmez / Sonmez, O'Neill / ONeill);
    * "short form": a surname or given name alone, or a given name's initial ("Boehner",
      "J. Boehner" for John Boehner);
    * "middle initial", "middle name": one form has one more (John A. Boehner);
    * "nickname": Bill for William, Jim for James.

    Titles and suffixes go first, so "Sen. John A. Boehner" / "Boehner" is "title, short
    form". Two identical forms are "identical".
    """
    words_a, keys_a, title_a, suffix_a = _bare_name(a)
    words_b, keys_b, title_b, suffix_b = _bare_name(b)
    if not words_a or not words_b or (suffix_a and suffix_b and suffix_a != suffix_b):
        return None
    reasons = ["title"] * (title_a or title_b) + ["suffix"] * (suffix_a != suffix_b)
    if words_a != words_b:
        if "".join(keys_a) == "".join(keys_b):
            reasons.append("accents or case")
        else:
            structure = _structural_variant(
                name_tokens(" ".join(words_a)), name_tokens(" ".join(words_b))
            )
            if structure is None:
                return None
            reasons += structure
    return ", ".join(dict.fromkeys(reasons)) or "identical"


@lru_cache(maxsize=200_000)
def _joined(tokens: tuple[str, ...]) -> tuple[str, str]:
    return " ".join(tokens), " ".join(fold(token) for token in tokens)


def _whole_similarity(tokens_a: tuple[str, ...], tokens_b: tuple[str, ...]) -> float:
    # Order-preserving on purpose: "European Council" is not "Council of Europe".
    plain_a, folded_a = _joined(tokens_a)
    plain_b, folded_b = _joined(tokens_b)
    return max(
        Indel.normalized_similarity(plain_a, plain_b),
        Indel.normalized_similarity(folded_a, folded_b),
    )


def _a_word_unmatched(tokens_a: tuple[str, ...], tokens_b: tuple[str, ...]) -> bool:
    """Whether a word of the shorter name has no spelling of it in the longer one: the
    International Maritime Organization is not the International Labour Organization,
    however alike the whole names read."""
    shorter, longer = sorted((tokens_a, tokens_b), key=len)
    return any(
        max(token_similarity(word, other) for other in longer) < WORD_MATCH for word in shorter
    )


def name_similarity(a: str, b: str, entity_type: str = "person") -> float:
    """How likely two names are spellings of one name, from 0 to 1.

    For persons the surname decides, and given names can only confirm (also as
    initials or transliterations) or veto: "Bill Clinton" and "Hillary Clinton"
    score at most 0.5. A surname alone against a full name scores by the surname.
    """
    if is_acronym(a) or is_acronym(b):
        # Letters of an acronym stand for words: one letter off is another body (ESA is
        # not OSCE, KO is not CoE), and they are not pronounced as spelled.
        return 1.0 if _letters(a).lower() == _letters(b).lower() else 0.0
    tokens_a, tokens_b = name_tokens(a), name_tokens(b)
    if not tokens_a or not tokens_b:
        return 0.0
    if len(tokens_a) == 1 and len(tokens_b) == 1:
        return token_similarity(tokens_a[0], tokens_b[0])
    if entity_type != "person":
        whole = _whole_similarity(tokens_a, tokens_b)
        return min(whole, 0.5) if _a_word_unmatched(tokens_a, tokens_b) else whole
    given_a, surname_a = _split(tokens_a)
    given_b, surname_b = _split(tokens_b)
    sur = token_similarity(surname_a, surname_b)
    if sur < SURNAME_MATCH - 0.1:
        return min(_whole_similarity(tokens_a, tokens_b), 0.7)
    given = given_similarity(given_a, given_b)
    if given is None:
        return 0.95 * sur
    score = 0.65 * sur + 0.35 * given
    return min(score, 0.5) if given < GIVEN_CONFLICT else score


# A word of one organisation or place name and its spelling in another ("Organisation",
# "Organization"; "Kyiv", "Kiev") score above this; two different words ("Maritime",
# "Labour": 0.31) below.
WORD_MATCH = 0.6


@lru_cache(maxsize=200_000)
def is_acronym(name: str) -> bool:
    """Two to six letters with at least two capitals, dots allowed: "WHO", "CoE", "U.N."."""
    letters = _letters(name)
    return 2 <= len(letters) <= 6 and letters.isalpha() and sum(c.isupper() for c in letters) >= 2


def _letters(name: str) -> str:
    return re.sub(r"[.\s]", "", name)


def is_match(a: str, b: str, entity_type: str = "person") -> bool:
    return name_similarity(a, b, entity_type) >= MATCH_THRESHOLD
