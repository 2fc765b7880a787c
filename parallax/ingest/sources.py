"""Turn what a user typed (files, directories, globs) into a list of input files with formats."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from parallax.ingest.names import source_name
from parallax.model import DocumentFormat, ReadFailure

_SUFFIX_FORMATS: dict[str, DocumentFormat] = {
    ".warc": "warc",
    ".warc.gz": "warc",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
    ".txt": "text",
    ".text": "text",
    ".txt.gz": "text",
}


STDIN = "-"
"""The argument that means standard input, as for most Unix tools."""
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
NOT_A_FILE_URL = "is a URL, not a file; Parallax does not fetch (save the page and ingest the file)"
NO_INPUTS = "no inputs found"
NO_MATCH = "no file matches this pattern"


@dataclass(frozen=True)
class InputFile:
    path: Path
    format: DocumentFormat | None
    """None when the name does not tell: the reader sniffs the content."""


@dataclass(frozen=True)
class StandardInput:
    """``-`` among the inputs: standard input, read once, its format sniffed."""


def format_from_name(path: Path) -> DocumentFormat | None:
    name = path.name.lower()
    for suffix in sorted(_SUFFIX_FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return _SUFFIX_FORMATS[suffix]
    return None


def expand_inputs(
    paths: Iterable[str | Path],
) -> Iterator[InputFile | StandardInput | ReadFailure]:
    """Expand files, directories (recursively) and glob patterns, in a stable order.

    A file named explicitly is always read (its format sniffed if the name does
    not tell); inside directories only files with a known article suffix are
    taken, so a folder of pages with images beside them just works. What yields
    nothing to read (a missing path, an empty folder, a pattern matching nothing,
    a URL) is a failure naming it: an input is never skipped in silence.
    """
    seen: set[Path] = set()
    stdin_seen = False
    for raw in paths:
        text = os.fspath(raw)
        if text == STDIN and isinstance(raw, str):
            if not stdin_seen:
                stdin_seen = True
                yield StandardInput()
            continue
        if _URL.match(text) and not Path(text).exists():
            yield ReadFailure(source_name(text), NOT_A_FILE_URL)
            continue
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            yield ReadFailure(source_name(text), NO_MATCH)
            continue
        for match in matches:
            yield from _expand_one(Path(match), seen)


def _expand_one(path: Path, seen: set[Path]) -> Iterator[InputFile | ReadFailure]:
    if path.is_dir():
        # List the whole tree first: a file removed later is then reported, not missed.
        listing = [
            InputFile(child, format_from_name(child))
            for child in sorted(path.rglob("*"))
            if not _is_hidden(child.relative_to(path)) and child.is_file()
        ]
        known = [item for item in listing if item.format is not None]
        if not known:
            yield ReadFailure(source_name(path), _empty_folder_reason(len(listing)))
        for item in known:
            if item.path not in seen:
                seen.add(item.path)
                yield item
    elif path.is_file():
        if path not in seen:
            seen.add(path)
            yield InputFile(path, format_from_name(path))
    elif not path.exists():
        yield ReadFailure(source_name(path), "no such file or directory")
    else:
        yield ReadFailure(source_name(path), "not a regular file")


def _empty_folder_reason(files: int) -> str:
    if not files:
        return f"{NO_INPUTS} (empty directory)"
    return (
        f"{NO_INPUTS} (none of its {files} files has an article suffix: "
        ".txt, .html, .jsonl, .rss, .xml, .warc, …; name one file to have it sniffed)"
    )


def found_nothing(failure: ReadFailure) -> bool:
    """The failure of an input that named nothing to read (an empty folder, a pattern that
    matches no file), as opposed to something that could not be read."""
    return failure.reason == NO_MATCH or failure.reason.startswith(NO_INPUTS)


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
