"""Turn what a user typed (files, directories, globs) into a list of input files with formats."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class InputFile:
    path: Path
    format: DocumentFormat | None
    """None when the name does not tell: the reader sniffs the content."""


def format_from_name(path: Path) -> DocumentFormat | None:
    name = path.name.lower()
    for suffix in sorted(_SUFFIX_FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return _SUFFIX_FORMATS[suffix]
    return None


def expand_inputs(paths: Iterable[str | Path]) -> Iterator[InputFile | ReadFailure]:
    """Expand files, directories (recursively) and glob patterns, in a stable order.

    A file named explicitly is always read (its format sniffed if the name does
    not tell); inside directories only files with a known article suffix are
    taken, so a folder of pages with images beside them just works.
    """
    seen: set[Path] = set()
    for raw in paths:
        text = str(raw)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            yield ReadFailure(text, "no file matches this pattern")
            continue
        for match in matches:
            path = Path(match)
            if path.is_dir():
                # List the whole tree first: a file removed later is then reported, not missed.
                listing = [
                    InputFile(child, format_from_name(child))
                    for child in sorted(path.rglob("*"))
                    if not _is_hidden(child.relative_to(path)) and child.is_file()
                ]
                for item in listing:
                    if item.format is not None and item.path not in seen:
                        seen.add(item.path)
                        yield item
            elif path.is_file():
                if path not in seen:
                    seen.add(path)
                    yield InputFile(path, format_from_name(path))
            elif not path.exists():
                yield ReadFailure(str(path), "no such file or directory")
            else:
                yield ReadFailure(str(path), "not a regular file")


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
