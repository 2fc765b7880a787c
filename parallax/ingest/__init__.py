"""Readers: any news source in, RawDocument (or a ReadFailure saying why not) out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from parallax.ingest.decode import DEFAULT_MAX_BYTES
from parallax.ingest.readers import document_from_mapping, read_file, sniff_format
from parallax.ingest.sources import InputFile, expand_inputs
from parallax.model import RawDocument, ReadFailure

__all__ = ["DEFAULT_MAX_BYTES", "document_from_mapping", "read_paths", "sniff_format"]


def read_paths(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | ReadFailure]:
    """Every document under the given files, directories and globs, lazily and in order."""
    for item in expand_inputs(paths):
        if isinstance(item, InputFile):
            yield from read_file(item.path, item.format, max_bytes)
        else:
            yield item
