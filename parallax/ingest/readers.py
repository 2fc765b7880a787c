"""One reader per input format; each yields RawDocument or ReadFailure and never raises.

Containers (JSON Lines, feeds, WARC) yield one document per record, with the
record's position in ``source`` ("file.jsonl#3") so a failure names exactly
which record was bad while the rest of the file still goes through.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import feedparser

from parallax.errors import UnreadableDocument
from parallax.ingest.decode import (
    DEFAULT_MAX_BYTES,
    check_inflation,
    decode_bytes,
    gunzip,
    looks_gzipped,
    repair_mojibake,
)
from parallax.ingest.names import source_name
from parallax.ingest.warc import read_warc
from parallax.model import DocumentFormat, RawDocument, ReadFailure

ReadResult = Iterator[RawDocument | ReadFailure]

_HTML_SNIFF = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>")
_FEED_SNIFF = ("<rss", "<feed", "<rdf:rdf")
_MAX_BLANK_RUN = 10_000
_STREAM_SNIFF = 1 << 16


def read_file(
    path: Path, fmt: DocumentFormat | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ReadResult:
    """Read one input file of a known (or sniffed) format.

    ``max_bytes`` limits one document: a whole single-document file, or one record
    of a container (JSON Lines, WARC), which may itself be of any size.
    """
    source = source_name(path)
    try:
        if fmt is None and _is_warc(path):
            fmt = "warc"
        if fmt == "warc":
            yield from read_warc(path, max_bytes)
        elif fmt == "jsonl":
            yield from _read_jsonl(path, max_bytes)
        else:
            data = _read_bytes(path, max_bytes * (5 if fmt == "feed" else 1))
            yield from _read_single(source, data, fmt, max_bytes)
    except Exception as exc:  # even a reader's bug costs this file, not the batch (issue 23)
        yield _failure(source, exc)


def read_stream(stream: IO[bytes], source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read a stream (standard input) whose format only its content tells: JSON Lines when
    it starts with ``{`` (streamed record by record), else one document, text, HTML or a feed.
    """
    try:
        head = stream.read(_STREAM_SNIFF)
        whole = io.BufferedReader(_Replay(head, stream))
        if head.lstrip()[:1] == b"{":
            yield from _jsonl_lines(whole, source, max_bytes, lambda: None)
            return
        data = whole.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise UnreadableDocument(
                f"more than {max_bytes / 1e6:.0f} MB, above the limit for one article "
                "(raise it with --max-bytes)"
            )
        yield from _read_single(source, data, None, max_bytes)
    except Exception as exc:  # as for files: this input fails, the others go on
        yield _failure(source, exc)


def _failure(source: str, exc: Exception) -> ReadFailure:
    """What went wrong reading ``source``, in words a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return ReadFailure(source, "file disappeared before it could be read")
    if isinstance(exc, PermissionError):
        return ReadFailure(source, "permission denied")
    if isinstance(exc, IsADirectoryError):
        return ReadFailure(source, "is a directory")
    if isinstance(exc, UnreadableDocument):
        return ReadFailure(source, str(exc))
    if isinstance(exc, OSError):
        return ReadFailure(source, f"cannot be read ({exc.strerror or exc})")
    return ReadFailure(source, f"cannot be read ({type(exc).__name__}: {exc})")


class _Replay(io.RawIOBase):
    """A stream with its first bytes, already read to sniff it, put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._head[: len(buffer)]
        self._head = self._head[len(data) :]
        if not data:
            data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _is_warc(path: Path) -> bool:
    """A WARC under another name: read as an archive, not refused as one huge document."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if looks_gzipped(head):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _read_bytes(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise UnreadableDocument(
            f"file is {size / 1e6:.1f} MB, above the {limit / 1e6:.0f} MB limit for one article "
            "(raise it with --max-bytes)"
        )
    with path.open("rb") as handle:
        if looks_gzipped(handle.read(2)):
            handle.seek(0)
            return gunzip(handle, limit)
        handle.seek(0)
        # The size measured, not the limit: read(n) allocates n bytes up front.
        data = handle.read(size + 1)
    if len(data) > size:
        raise UnreadableDocument("file grew while it was being read")
    return data


def _read_single(
    source: str, data: bytes, fmt: DocumentFormat | None, max_bytes: int
) -> ReadResult:
    if fmt == "feed":
        yield from _read_feed(source, data, max_bytes)
        return
    text = decode_bytes(data, html=fmt != "text")
    if fmt is None:
        fmt = sniff_format(text)
        if fmt == "feed":
            yield from _read_feed(source, data, max_bytes)
            return
    yield RawDocument(source=source, format=fmt, content=text, is_html=fmt == "html")


def sniff_format(text: str) -> DocumentFormat:
    """What a decoded document is, from its first characters: a feed, HTML or text."""
    head = text[:2048].lstrip().lower()
    if head.startswith(("<?xml", *_FEED_SNIFF)) and any(m in head for m in _FEED_SNIFF):
        return "feed"
    if head.startswith("<") and any(marker in head for marker in _HTML_SNIFF):
        return "html"
    return "text"


def _read_jsonl(path: Path, max_bytes: int) -> ReadResult:
    source = source_name(path)
    with path.open("rb") as raw:
        gzipped = looks_gzipped(raw.read(2))
        raw.seek(0)
        handle: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw

        def guard() -> None:
            if gzipped:
                check_inflation(handle.tell(), raw.tell(), max_bytes)

        yield from _jsonl_lines(handle, source, max_bytes, guard)


def _jsonl_lines(
    handle: IO[bytes], source: str, max_bytes: int, guard: Callable[[], None]
) -> ReadResult:
    number = 0
    records = False
    try:
        for number, line in enumerate(_bounded_lines(handle, max_bytes, guard), start=1):
            records = records or line is None or bool(line.strip())
            yield from _jsonl_record(line, f"{source}#{number}", max_bytes)
    except UnreadableDocument as exc:
        yield ReadFailure(source, f"{exc} (at line {number + 1})")
    except EOFError:
        yield ReadFailure(
            source, f"truncated gzip data: the file ends mid-stream (at line {number + 1})"
        )
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield ReadFailure(source, f"corrupt gzip data at line {number + 1} ({exc})")
    else:
        if not records:  # an empty container gave nothing: said, not passed over in silence
            yield ReadFailure(source, "empty file (no JSON Lines records)")


def _jsonl_record(line: bytes | None, source: str, max_bytes: int) -> ReadResult:
    if line is None:
        yield ReadFailure(source, f"line longer than {max_bytes / 1e6:.0f} MB")
        return
    if not line.strip():
        return
    try:
        item = json.loads(line)
    except RecursionError:
        yield ReadFailure(source, "not valid JSON (nested too deeply)")
        return
    except ValueError as exc:  # also bad UTF-8 and integers too long to convert
        yield ReadFailure(source, f"not valid JSON ({exc})")
        return
    try:
        yield document_from_mapping(item, source, "jsonl")
    except UnreadableDocument as exc:
        yield ReadFailure(source, str(exc))


def document_from_mapping(item: Any, source: str, fmt: DocumentFormat) -> RawDocument:
    """Build a document from a JSON object with the documented keys (see docs/schema.md)."""
    if not isinstance(item, dict):
        raise UnreadableDocument("a JSON Lines record must be an object")
    html = item.get("html")
    text = item.get("text") or item.get("content") or item.get("body")
    if isinstance(html, str) and html.strip():
        content, is_html = html, True
    elif isinstance(text, str) and text.strip():
        content, is_html = text, False
    else:
        raise UnreadableDocument('record has neither "text" nor "html"')
    return RawDocument(
        source=_string(item.get("url")) or source,
        format=fmt,
        content=_unicode(content),
        is_html=is_html,
        url=_string(item.get("url")),
        title=_string(item.get("title")),
        outlet=_string(item.get("outlet") or item.get("source_name") or item.get("site")),
        published=_string(item.get("published") or item.get("date")),
        byline=_names(item.get("byline", item.get("author", item.get("authors")))),
    )


def _string(value: Any) -> str | None:
    return _unicode(value.strip()) or None if isinstance(value, str) else None


def _names(value: Any) -> tuple[str, ...]:
    """A byline as a string, a list of strings, or a list of {"name": ...} objects."""
    items = value if isinstance(value, list) else [value]
    names = (item.get("name") if isinstance(item, dict) else item for item in items)
    return tuple(name for name in map(_string, names) if name)


def _unicode(text: str) -> str:
    """JSON can escape lone surrogates ("\\ud800") that no UTF-8 file or store can hold;
    and a record's text may have been decoded wrongly before (``repair_mojibake``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return repair_mojibake(text)


_ENTITY_DECLARATIONS = [
    ("<!ENTITY".encode(codec), "<!IGNORED".encode(codec))
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
]


def _read_feed(source: str, data: bytes, max_bytes: int) -> ReadResult:
    # Real feeds never declare entities; a "billion laughs" bomb does, and expat
    # expands it to some 100 MB before its own guard stops it. A declaration made
    # invalid sends feedparser to its lenient parser, which expands no entities.
    for declaration, invalid in _ENTITY_DECLARATIONS:
        data = data.replace(declaration, invalid)
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = "feed has no items"
        if parsed.get("bozo"):
            reason = f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
        yield ReadFailure(source, reason)
        return
    outlet = _string(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        record_source = f"{source}#{number}"
        content, is_html = _entry_content(entry)
        if not content.strip():
            yield ReadFailure(record_source, "feed item has no content or summary")
            continue
        if len(content) > max_bytes:
            yield ReadFailure(record_source, "feed item larger than the limit for one article")
            continue
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        if not authors and entry.get("author"):
            authors = [entry["author"]]
        yield RawDocument(
            source=record_source,
            format="feed",
            content=repair_mojibake(content),
            is_html=is_html,
            url=_string(entry.get("link")),
            title=_string(entry.get("title")),
            outlet=outlet,
            published=_feed_date(entry),
            byline=tuple(authors),
        )


def _entry_content(entry: Any) -> tuple[str, bool]:
    candidates = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    best = max(candidates, key=lambda c: len(c.get("value") or ""), default=None)
    if best is None:
        return "", False
    return best.get("value") or "", "html" in (best.get("type") or "html")


def _feed_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return None


def _bounded_lines(
    handle: IO[bytes], max_bytes: int, guard: Callable[[], None]
) -> Iterator[bytes | None]:
    """Lines of a binary stream, yielding None for a line over the limit (skipped, not held).

    ``guard`` runs after every read: it stops a decompression bomb, which could
    otherwise inflate without end inside one line. A run of more than
    ``_MAX_BLANK_RUN`` empty lines stops the file too: each costs a loop turn, and a
    gzip of nothing but newlines would take hours.
    """
    blank_run = 0
    while True:
        line = handle.readline(max_bytes + 1)
        guard()
        if not line:
            return
        blank_run = blank_run + 1 if not line.strip() else 0
        if blank_run > _MAX_BLANK_RUN:
            raise UnreadableDocument(f"more than {_MAX_BLANK_RUN} empty lines in a row")
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = handle.readline(1 << 20)
                guard()
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line
