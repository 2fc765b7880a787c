"""Readers: any news source in, RawDocument (or a ReadFailure saying why not) out."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from parallax.ingest.decode import DEFAULT_MAX_BYTES
from parallax.ingest.names import printable, source_name, storable
from parallax.ingest.readers import document_from_mapping, read_file, read_stream, sniff_format
from parallax.ingest.sources import STDIN, InputFile, StandardInput, expand_inputs
from parallax.model import RawDocument, ReadFailure

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN",
    "STDIN_SOURCE",
    "document_from_mapping",
    "printable",
    "read_paths",
    "sniff_format",
    "source_name",
    "storable",
]

STDIN_SOURCE = "<stdin>"
"""The source of documents read from standard input (``-``); records add ``#N``."""


def read_paths(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | ReadFailure]:
    """Every document under the given files, directories and globs (``-``: standard
    input), lazily and in order."""
    for item in expand_inputs(paths):
        if isinstance(item, InputFile):
            yield from read_file(item.path, item.format, max_bytes)
        elif isinstance(item, StandardInput):
            # Looked up now, not at import: a test or a caller may have replaced it.
            yield from read_stream(sys.stdin.buffer, STDIN_SOURCE, max_bytes)
        else:
            yield item
