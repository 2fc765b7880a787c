"""The machinery of the export contract: every record is declared once, as a dataclass,
and the rest is derived from that declaration: the CSV columns, the Parquet schema, the
API's response models and the tables of docs/schema.md.

A field's annotation says what Python holds; its ``shape`` (``key(shape=...)``) says what
the value is in the contract when the two differ: ``date`` or ``datetime`` for an ISO
string (Parquet stores a real date or timestamp, the API names the format), a record
class for the dicts of a list (Parquet stores structs, the API types the items). Without
a shape the annotation is the shape. A ``dict[str, X]`` is an object whose keys are data
(an outlet's name) and whose values are all ``X``.

A record's keys are its fields, in declaration order, then its ``derived`` keys
(properties computed from the fields); a field whose metadata is ``INTERNAL`` is no key.
``record_dict`` writes a record's keys, and nothing else, as plain JSON values.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

# Nested records of at most this many fields are written out in the docs' type column
# (``{text, reason, kind}``); larger ones are named ("list of mention objects").
_INLINE_FIELDS = 4
R = TypeVar("R")


def key(
    doc: str,
    *,
    shape: Any = None,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
) -> Any:
    """A field of a record with what it means (``doc``, the docs' and the API's
    description) and, when the annotation alone does not say it, its ``shape``."""
    return dataclasses.field(
        default=default, default_factory=default_factory, metadata={"doc": doc, "shape": shape}
    )


# The metadata of a field a record keeps for its own use, which is no key of the contract
# (not written, not in the API's model or the docs):
# ``dataclasses.field(default_factory=dict, metadata=INTERNAL)``.
INTERNAL: Mapping[str, Any] = types.MappingProxyType({"contract": False})


class DerivedKey(property):
    """A key computed from a record's fields: a property the contract lists after them."""

    meaning: str
    shape: Any


def derived(doc: str, *, shape: Any = None) -> Callable[[Callable[[Any], Any]], DerivedKey]:
    """Declare a property as a key of its record (``doc`` as for ``key``; without a
    ``shape``, the property's return annotation is its shape)."""

    def declare(method: Callable[[Any], Any]) -> DerivedKey:
        found = DerivedKey(method, doc=doc)
        found.meaning = doc
        found.shape = shape or get_type_hints(method)["return"]
        return found

    return declare


@cache
def _keys(record: type) -> dict[str, tuple[Any, str]]:
    """Each key's shape and description, in order: the fields, then the derived keys."""
    hints = get_type_hints(record)
    found = {
        f.name: (f.metadata.get("shape") or hints[f.name], f.metadata.get("doc", ""))
        for f in dataclasses.fields(record)
        if f.metadata.get("contract", True)
    }
    for cls in reversed(record.__mro__):
        for name, value in vars(cls).items():
            if isinstance(value, DerivedKey):
                found[name] = (value.shape, value.meaning)
    return found


@cache
def shapes(record: type) -> dict[str, Any]:
    """Each key's name and shape, in declaration order: the keys of the record."""
    return {name: shape for name, (shape, _) in _keys(record).items()}


def docs_of(record: type) -> dict[str, str]:
    """Each key's description (empty when the record does not document its fields)."""
    return {name: doc for name, (_, doc) in _keys(record).items()}


def record_dict(record: Any) -> dict[str, Any]:
    """A record as plain JSON values: its declared keys, in order, and nothing else;
    nested records, lists and objects written the same way."""
    found = {}
    for name in shapes(type(record)):
        value = getattr(record, name)
        found[name] = value if type(value) in _SCALARS else _plain(value)
    return found


# The types of the values that are already plain: most of a record's, checked at once (a
# page of 50 analysed articles holds some 190,000 values).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    if isinstance(value, list | tuple):
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    if isinstance(value, dict):
        return {
            name: item if type(item) in _SCALARS else _plain(item) for name, item in value.items()
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record_dict(value)
    return value


def from_record_dict(record: type[R], values: Mapping[str, Any]) -> R:
    """The record ``record_dict`` wrote: its fields read back from plain JSON values
    (nested records, lists, tuples and objects rebuilt the same way; derived keys, which
    are computed, and keys the record does not declare are ignored). A field the record
    keeps for its own use (``INTERNAL``) gets its default."""
    return _reader(record)(values)  # type: ignore[no-any-return]


@cache
def _reader(annotation: Any) -> Callable[[Any], Any]:
    """What turns a plain JSON value back into ``annotation``'s value; made once per
    annotation (reading type hints costs more than reading the values)."""
    annotation, _ = _optional(annotation)
    item = _item(annotation)
    if item is not None:
        read_item = _reader(item)
        as_tuple = get_origin(annotation) is tuple
        return lambda v: None if v is None else _listed(v, read_item, as_tuple)
    if get_origin(annotation) is dict:
        read_value = _reader(get_args(annotation)[1])
        return lambda v: None if v is None else {n: read_value(x) for n, x in v.items()}
    if dataclasses.is_dataclass(annotation):
        hints = get_type_hints(annotation)
        fields = [
            (f.name, _reader(hints[f.name]))
            for f in dataclasses.fields(annotation)
            if f.init and f.metadata.get("contract", True)
        ]
        return lambda v: (
            None
            if v is None
            else annotation(**{name: read(v[name]) for name, read in fields if name in v})
        )
    return lambda v: v


def _listed(values: Iterable[Any], read: Callable[[Any], Any], as_tuple: bool) -> Any:
    items = [read(v) for v in values]
    return tuple(items) if as_tuple else items


def _optional(shape: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``, else ``(shape, False)``."""
    if get_origin(shape) in (Union, types.UnionType):
        rest = [arg for arg in get_args(shape) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return shape, False


def _item(shape: Any) -> Any | None:
    """What a list or ``tuple[X, ...]`` holds, or None for anything else."""
    return get_args(shape)[0] if get_origin(shape) in (list, tuple) else None


def _values(shape: Any) -> Any | None:
    """What a ``dict[str, X]`` holds under each key (``X``), or None for anything else."""
    if get_origin(shape) is not dict:
        return None
    names, values = get_args(shape)
    if names is not str:
        raise TypeError(f"the contract's objects have string keys, not {names!r}")
    return values


def _scalar(shape: Any) -> type:
    if get_origin(shape) is Literal:
        return type(get_args(shape)[0])
    if shape in (str, int, float, bool, date, datetime):
        return shape  # type: ignore[no-any-return]
    raise TypeError(f"the contract has no type for {shape!r}")


# -- CSV and Parquet -----------------------------------------------------------------------


def csv_row(record: type, values: Mapping[str, Any]) -> dict[str, Any]:
    """One CSV row: the record's columns, lists and objects as JSON strings (a cell holds
    one string, and JSON reads back what JSON Lines has)."""
    return {
        name: json.dumps(values[name], ensure_ascii=False)
        if isinstance(values[name], list | tuple | dict)
        else values[name]
        for name in shapes(record)
    }


def arrow_schema(record: type) -> Any:
    """The Parquet schema of a record: list and struct columns, dates as ``date32``,
    moments as UTC timestamps."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(shape)) for name, shape in shapes(record).items()])


def _arrow_type(shape: Any) -> Any:
    import pyarrow as pa

    shape, _ = _optional(shape)
    item = _item(shape)
    if item is not None:
        return pa.list_(_arrow_type(item))
    values = _values(shape)
    if values is not None:
        return pa.map_(pa.string(), _arrow_type(values))
    if dataclasses.is_dataclass(shape):
        return pa.struct([(n, _arrow_type(s)) for n, s in shapes(shape).items()])  # type: ignore[arg-type]
    return {
        str: pa.string(),
        int: pa.int64(),
        float: pa.float64(),
        bool: pa.bool_(),
        date: pa.date32(),
        datetime: pa.timestamp("us", tz="UTC"),
    }[_scalar(shape)]


def arrow_row(record: type, values: Mapping[str, Any]) -> dict[str, Any]:
    """One row for ``pyarrow.Table.from_pylist``: ISO strings become dates and moments."""
    return {name: _arrow_value(shape, values[name]) for name, shape in shapes(record).items()}


def _arrow_value(shape: Any, value: Any) -> Any:
    if value is None:
        return None
    shape, _ = _optional(shape)
    item = _item(shape)
    if item is not None:
        return [_arrow_value(item, v) for v in value]
    values = _values(shape)
    if values is not None:
        return [(name, _arrow_value(values, v)) for name, v in value.items()]
    if dataclasses.is_dataclass(shape):
        return arrow_row(shape, value)  # type: ignore[arg-type]
    if shape is datetime:
        moment = datetime.fromisoformat(value)
        # A moment whose source named no zone is kept as written, read as UTC: a timestamp
        # column has one zone, and the JSON's naive value has no other to give.
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if shape is date:
        return date.fromisoformat(value)
    return value


# -- the API -----------------------------------------------------------------------------


@cache
def api_model(record: type) -> Any:
    """The pydantic model of a record, for FastAPI's ``response_model``: every key
    required (null where the record allows it), described, typed down to list items, and
    no other key (a record that grew a key the declaration lacks fails loudly)."""
    from pydantic import ConfigDict, Field, create_model

    docs = docs_of(record)
    fields: dict[str, Any] = {
        name: (_pydantic_type(shape), Field(description=docs[name] or None))
        for name, shape in shapes(record).items()
    }
    return create_model(
        record.__name__,
        __config__=ConfigDict(extra="forbid"),
        __doc__=record.__doc__,
        **fields,
    )


def _pydantic_type(shape: Any) -> Any:
    from pydantic import WithJsonSchema

    inner, nullable = _optional(shape)
    if nullable:
        return _pydantic_type(inner) | None
    item = _item(shape)
    if item is not None:
        return list[_pydantic_type(item)]  # type: ignore[misc]
    values = _values(shape)
    if values is not None:
        return dict[str, _pydantic_type(values)]  # type: ignore[misc]
    if dataclasses.is_dataclass(shape):
        return api_model(shape)  # type: ignore[arg-type]
    if shape in (date, datetime):
        # The value stays the ISO string the export writes; the schema names its format.
        fmt = "date" if shape is date else "date-time"
        return Annotated[str, WithJsonSchema({"type": "string", "format": fmt})]
    _scalar(shape)  # refuses a type the contract does not know
    return shape


# -- the docs ------------------------------------------------------------------------------

_WORDS = {
    str: ("string", "strings"),
    int: ("integer", "integers"),
    float: ("number", "numbers"),
    bool: ("boolean", "booleans"),
    date: ("ISO date", "ISO dates"),
    datetime: ("ISO date-time", "ISO date-times"),
}


def type_text(shape: Any, *, plural: bool = False) -> str:
    """How docs/schema.md names a shape: ``list of strings``, ``ISO date or null``."""
    inner, nullable = _optional(shape)
    if nullable:
        return f"{type_text(inner, plural=plural)} or null"
    item = _item(shape)
    if item is not None:
        return f"list{'s' if plural else ''} of {type_text(item, plural=True)}"
    values = _values(shape)
    if values is not None:
        return f"object of {type_text(values, plural=True)}"
    if dataclasses.is_dataclass(shape):
        names = list(shapes(shape))  # type: ignore[arg-type]
        if len(names) <= _INLINE_FIELDS:
            return "`{" + ", ".join(names) + "}`"
        return f"{shape.__name__.lower()} object{'s' if plural else ''}"  # type: ignore[union-attr]
    return _WORDS[_scalar(shape)][plural]


def markdown_table(record: type) -> str:
    """The docs' table of a record: one row per key, in declaration order."""
    docs = docs_of(record)
    rows = ["| key | type | meaning |", "| --- | --- | --- |"]
    rows += [
        f"| `{name}` | {type_text(shape)} | {_cell(docs[name])} |"
        for name, shape in shapes(record).items()
    ]
    return "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a bare bar would end the cell


def generated_docs(text: str, tables: Iterable[type]) -> str:
    """``text`` (docs/schema.md) with the table of each record rewritten from its
    declaration, between ``<!-- contract: Name -->`` and ``<!-- end contract -->``."""
    for record in tables:
        start = f"<!-- contract: {record.__name__} -->\n"
        end = "<!-- end contract -->"
        before, found, rest = text.partition(start)
        if not found:
            raise ValueError(f"the docs have no place for {record.__name__}: add {start!r}")
        _, _, after = rest.partition(end)
        text = f"{before}{start}{markdown_table(record)}\n{end}{after}"
    return text
