"""The knowledge base of known people, organisations and places.

The bundled ``data/known_entities.json`` is extended by user files in the same
format (``load_knowledge_base(extra_paths)`` and the ``PARALLAX_KB`` environment
variable, paths separated by ``os.pathsep``). A user entity with a new id is
added; one with a bundled id adds its aliases and overrides the fields it gives.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError
from parallax.lexicon.names import (
    MATCH_THRESHOLD,
    blocking_keys,
    given_names_alike,
    given_names_differ,
    lookup_key,
    name_similarity,
    name_tokens,
    surname,
)
from parallax.lexicon.roles import is_title

ENV_VAR = "PARALLAX_KB"
_TYPES = frozenset({"person", "organisation", "place"})
# A runner-up this close to the best candidate makes a link a guess.
_AMBIGUITY_MARGIN = 0.03


class KnowledgeBaseError(ParallaxError):
    """A knowledge-base file cannot be read or is not in the expected format."""


@dataclass(frozen=True)
class KnownRole:
    role: str
    country: str | None = None
    org: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class KnownEntity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[KnownRole, ...] = ()
    country: str | None = None
    description: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def current_role(self) -> KnownRole | None:
        return next((role for role in self.roles if role.until is None), None)


@dataclass(frozen=True)
class KnowledgeBase:
    """Known entities with indexes by exact phonetic key and by blocking key."""

    entities: tuple[KnownEntity, ...] = ()
    as_of: str | None = None
    _by_key: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict, repr=False)
    _by_block: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict, repr=False)

    @cached_property
    def organisation_names(self) -> frozenset[str]:
        """Every name and alias of a known organisation, as written."""
        return frozenset(
            name
            for entity in self.entities
            if entity.type == "organisation"
            for name in entity.names
        )

    def get(self, entity_id: str) -> KnownEntity | None:
        return next((entity for entity in self.entities if entity.id == entity_id), None)

    def candidates(self, name: str, type: str) -> list[tuple[KnownEntity, float]]:
        """Known entities of ``type`` that ``name`` may stand for, best first.

        A full person name is compared with full names only, so "Ivanka Trump" is
        not taken for Donald Trump through his alias "Trump".
        """
        indexes = set(self._by_key.get((type, lookup_key(name)), ()))
        for block in blocking_keys(name, type):
            indexes.update(self._by_block.get((type, block), ()))
        full = type == "person" and len(name_tokens(name)) > 1
        scored = []
        for index in indexes:
            entity = self.entities[index]
            names = [n for n in entity.names if not full or len(name_tokens(n)) > 1]
            score = max(name_similarity(name, n, type) for n in names or entity.names)
            if score >= 0.5:
                scored.append((entity, score))
        return sorted(scored, key=lambda pair: (-pair[1], pair[0].id))

    def known_type(self, name: str) -> str | None:
        """The one type the knowledge base knows ``name`` exactly as (a name or an alias),
        else None ("Politico" an organisation; a name known as two types is neither)."""
        key = lookup_key(name)
        types = {t for t in ("person", "organisation", "place") if (t, key) in self._by_key}
        return types.pop() if len(types) == 1 else None

    def link(self, name: str, type: str, country: str | None = None) -> KnownEntity | None:
        """The one known entity ``name`` surely names, or None when unsure or ambiguous."""
        exact = self._by_key.get((type, lookup_key(name)), ())
        if len(exact) == 1:
            return self.entities[exact[0]]
        if exact:
            return None
        found = [
            (entity, score)
            for entity, score in self.candidates(name, type)
            if score >= MATCH_THRESHOLD and not (country and entity.country not in (None, country))
        ]
        if not found or (len(found) > 1 and found[1][1] > found[0][1] - _AMBIGUITY_MARGIN):
            return None
        # A lone word for a person, spelled otherwise than any known name, is as often
        # another word or name ("Mozilla" for Metsola, "Joan" for Kim Jong Un) as a
        # variant; a variant is linked through the full names beside it in the corpus.
        if type == "person" and len(name_tokens(name)) == 1 and found[0][1] < 1.0:
            return None
        return found[0][0]

    def check_name(
        self,
        name: str,
        type: str,
        *,
        role: str | None = None,
        country: str | None = None,
        slips_only: bool = False,
    ) -> str | None:
        """A warning when ``name`` looks like a known person with the wrong given name.

        Only a known person with the same surname is suspected, and only when the given
        name is a slip of theirs (``given_names_alike``: "Orhan" for Erkan Sönmez) or the
        mention's own country or office is theirs ("Viktor Lukashenko of Belarus"). A
        wholly different given name without such context is another person's ("Saddam
        Hussein" is not King Abdullah II bin Al-Hussein), as is a second spelling of the
        surname ("Temur Umarov" the analyst is not "Rustem Umerov" the minister). A
        country or office that differs from the known person's clears the suspicion.
        ``slips_only``: the surname does not single anyone out (several people of the
        corpus bear it: Humayun, Khizr and Imran Khan), so only a slip is suspected.
        """
        if type != "person" or len(name_tokens(name)) < 2 or self.link(name, type, country):
            return None
        suspects = {
            entity.id: entity
            for entity, _ in self.candidates(name, type)
            if any(
                surname(n) == surname(name)
                and given_names_differ(name, n)
                and (
                    given_names_alike(name, n)
                    or (not slips_only and _context_confirms(entity, role, country))
                )
                for n in entity.names
                if len(name_tokens(n)) > 1
            )
        }
        if len(suspects) != 1:
            return None
        (entity,) = suspects.values()
        if country and entity.country and country != entity.country:
            return None
        if (
            role
            and _is_office(role)
            and entity.roles
            and not any(_roles_agree(role, known) for known in entity.roles)
        ):
            return None
        about = f" ({entity.description})" if entity.description else ""
        return f"'{name}' is probably {entity.name}{about}: the given name differs"


def _context_confirms(entity: KnownEntity, role: str | None, country: str | None) -> bool:
    """Whether the mention's own country or office is the known person's."""
    if country and country == entity.country:
        return True
    return bool(
        role and _is_office(role) and any(_roles_agree(role, known) for known in entity.roles)
    )


def _is_office(role: str) -> bool:
    """An office ("Foreign Minister") can contradict a known person's; a description
    ("close Putin ally") cannot."""
    return any(is_title(word) for word in role.split())


# Words that make another office of a title: a vice president is not the President.
_OTHER_OFFICE = frozenset({"vice", "deputy", "assistant", "associate", "under"})


def _roles_agree(role: str, known: KnownRole) -> bool:
    words = set(role.lower().split())
    known_words = set(known.role.lower().split())
    return known_words <= words and not (words - known_words) & _OTHER_OFFICE


def build_knowledge_base(
    entities: Iterable[KnownEntity], as_of: str | None = None
) -> KnowledgeBase:
    entities = tuple(entities)
    by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_block: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, entity in enumerate(entities):
        for name in entity.names:
            by_key[(entity.type, lookup_key(name))].add(index)
            for block in blocking_keys(name, entity.type):
                by_block[(entity.type, block)].add(index)
    return KnowledgeBase(
        entities=entities,
        as_of=as_of,
        _by_key={key: tuple(sorted(value)) for key, value in by_key.items()},
        _by_block={key: tuple(sorted(value)) for key, value in by_block.items()},
    )


def _entity(raw: Any, source: str) -> KnownEntity:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
        raise KnowledgeBaseError(f"{source}: every entity needs an 'id' and a 'name': {raw!r}")
    if raw.get("type") not in _TYPES:
        raise KnowledgeBaseError(
            f"{source}: entity {raw['id']} has type {raw.get('type')!r}; "
            f"use one of {', '.join(sorted(_TYPES))}"
        )
    roles = tuple(
        KnownRole(
            role=r["role"],
            country=r.get("country"),
            org=r.get("org"),
            since=r.get("since"),
            until=r.get("until"),
        )
        for r in raw.get("roles") or ()
    )
    return KnownEntity(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        aliases=tuple(raw.get("aliases") or ()),
        roles=roles,
        country=raw.get("country"),
        description=raw.get("description"),
    )


def _parse(text: str, source: str) -> tuple[str | None, list[tuple[KnownEntity, frozenset[str]]]]:
    """The file's date and its entities, each with the keys it spelled out."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise KnowledgeBaseError(f"{source}: not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise KnowledgeBaseError(f"{source}: expected an object with an 'entities' list")
    return data.get("as_of"), [(_entity(raw, source), frozenset(raw)) for raw in data["entities"]]


def _merge(base: KnownEntity, extra: KnownEntity, given: frozenset[str]) -> KnownEntity:
    aliases = tuple(dict.fromkeys((*base.aliases, *extra.aliases, extra.name)))
    changes: dict[str, Any] = {"aliases": tuple(a for a in aliases if a != base.name)}
    for key in ("roles", "country", "description", "type"):
        if key in given:
            changes[key] = getattr(extra, key)
    return replace(base, **changes)


@cache
def _bundled() -> tuple[str | None, tuple[KnownEntity, ...]]:
    text = (
        resources.files("parallax.lexicon")
        .joinpath("data/known_entities.json")
        .read_text(encoding="utf-8")
    )
    as_of, entities = _parse(text, "bundled knowledge base")
    return as_of, tuple(entity for entity, _ in entities)


def _env_paths() -> list[str]:
    return [path for path in os.environ.get(ENV_VAR, "").split(os.pathsep) if path]


def load_knowledge_base(extra_paths: Sequence[str | Path] = ()) -> KnowledgeBase:
    """The bundled knowledge base extended by ``PARALLAX_KB`` files, then ``extra_paths``."""
    as_of, bundled = _bundled()
    entities = {entity.id: entity for entity in bundled}
    for path in [*_env_paths(), *extra_paths]:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise KnowledgeBaseError(f"cannot read knowledge base {path}: {error}") from None
        _, extra = _parse(text, str(path))
        for entity, given in extra:
            known = entities.get(entity.id)
            entities[entity.id] = _merge(known, entity, given) if known else entity
    return build_knowledge_base(entities.values(), as_of)
