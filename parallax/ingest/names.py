"""Names of sources as stored and shown: always valid Unicode, never terminal commands.

A file name is bytes on POSIX; one that is not UTF-8 (``caf\\xe9.txt`` from an old Latin-1
archive) reaches Python with lone surrogates, which no store, JSON or terminal accepts.
Its source is stored with the undecodable bytes written as ``\\xNN`` escapes: readable,
stable across runs, and the same text a user sees in every message.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls (escape, newline, carriage return), format characters (right-to-left
overrides), lone surrogates and line/paragraph separators: what can move the cursor,
recolour a terminal or forge another line, so what a printed name must not carry raw."""


def source_name(path: str | Path) -> str:
    """A path as valid Unicode: undecodable bytes of its name become ``\\xNN`` escapes."""
    return storable(os.fspath(path))


def storable(text: str) -> str:
    """``text`` as valid Unicode, so UTF-8 (a store, JSON, a terminal) can hold it.

    Python carries undecodable bytes of file names and arguments as lone surrogates
    (``\\udce9`` for byte 0xE9): they become ``\\xe9`` again; any other lone surrogate
    is written as its ``\\uXXXX`` escape.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: control and format characters, line
    breaks and lone surrogates shown as Python escapes (``\\n``, ``\\x1b``, ``\\u202e``)."""
    if all(unicodedata.category(ch) not in _ESCAPED_CATEGORIES for ch in text):
        return text
    return "".join(
        repr(ch)[1:-1] if unicodedata.category(ch) in _ESCAPED_CATEGORIES else ch for ch in text
    )
