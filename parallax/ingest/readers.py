"""One reader per input format; each yields RawDocument or ReadFailure and never raises.

Containers (JSON Lines, feeds, WARC) yield one document per record, with the
record's position in ``source`` ("file.jsonl#3") so a failure names exactly
which record was bad while the rest of the file still goes through.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import feedparser
from warcio.archiveiterator import ArchiveIterator

from parallax.errors import UnreadableDocument
from parallax.ingest.decode import DEFAULT_MAX_BYTES, decode_bytes, gunzip, looks_gzipped
from parallax.model import DocumentFormat, RawDocument, ReadFailure

ReadResult = Iterator[RawDocument | ReadFailure]

_HTML_SNIFF = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>")
_FEED_SNIFF = ("<rss", "<feed", "<rdf:rdf")


def read_file(
    path: Path, fmt: DocumentFormat | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ReadResult:
    """Read one input file of a known (or sniffed) format."""
    source = str(path)
    try:
        if fmt == "warc":
            yield from _read_warc(path, max_bytes)
        elif fmt == "jsonl":
            yield from _read_jsonl(path, max_bytes)
        else:
            data = _read_bytes(path, max_bytes * (5 if fmt == "feed" else 1))
            yield from _read_single(source, data, fmt, max_bytes)
    except FileNotFoundError:
        yield ReadFailure(source, "file disappeared before it could be read")
    except PermissionError:
        yield ReadFailure(source, "permission denied")
    except IsADirectoryError:
        yield ReadFailure(source, "is a directory")
    except UnreadableDocument as exc:
        yield ReadFailure(source, str(exc))
    except OSError as exc:
        yield ReadFailure(source, f"cannot be read ({exc.strerror or exc})")


def _read_bytes(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise UnreadableDocument(
            f"file is {size / 1e6:.1f} MB, above the {limit / 1e6:.0f} MB limit for one article "
            "(raise it with --max-bytes)"
        )
    data = path.read_bytes()
    return gunzip(data, limit) if looks_gzipped(data) else data


def _read_single(
    source: str, data: bytes, fmt: DocumentFormat | None, max_bytes: int
) -> ReadResult:
    if fmt == "feed":
        yield from _read_feed(source, data, max_bytes)
        return
    text = decode_bytes(data, html=fmt != "text")
    if fmt is None:
        fmt = _sniff(text)
        if fmt == "feed":
            yield from _read_feed(source, data, max_bytes)
            return
    yield RawDocument(source=source, format=fmt, content=text, is_html=fmt == "html")


def _sniff(text: str) -> DocumentFormat:
    head = text[:2048].lstrip().lower()
    if head.startswith(("<?xml", *_FEED_SNIFF)) and any(m in head for m in _FEED_SNIFF):
        return "feed"
    if head.startswith("<") and any(marker in head for marker in _HTML_SNIFF):
        return "html"
    return "text"


def _read_jsonl(path: Path, max_bytes: int) -> ReadResult:
    source = str(path)
    with _open_maybe_gzip(path) as handle:
        for number, line in enumerate(_bounded_lines(handle, max_bytes), start=1):
            record_source = f"{source}#{number}"
            if line is None:
                yield ReadFailure(record_source, f"line longer than {max_bytes / 1e6:.0f} MB")
                continue
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield ReadFailure(record_source, f"not valid JSON ({exc})")
                continue
            try:
                yield document_from_mapping(item, record_source, "jsonl")
            except UnreadableDocument as exc:
                yield ReadFailure(record_source, str(exc))


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
    byline = item.get("byline", item.get("author", item.get("authors")))
    if isinstance(byline, str):
        byline = [byline]
    return RawDocument(
        source=_string(item.get("url")) or source,
        format=fmt,
        content=content,
        is_html=is_html,
        url=_string(item.get("url")),
        title=_string(item.get("title")),
        outlet=_string(item.get("outlet") or item.get("source_name") or item.get("site")),
        published=_string(item.get("published") or item.get("date")),
        byline=tuple(str(name) for name in byline or () if name),
    )


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_feed(source: str, data: bytes, max_bytes: int) -> ReadResult:
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
            content=content,
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


def _read_warc(path: Path, max_bytes: int) -> ReadResult:
    source = str(path)
    number = 0
    # The newest record is held back until the archive is known to go on past it:
    # warcio hands out a record cut off by truncation as if it were whole.
    pending: tuple[int, RawDocument | ReadFailure] | None = None
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        try:
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                number += 1
                result = _warc_response(record, f"{source}#{number}", max_bytes)
                if pending is not None:
                    yield pending[1]
                pending = (records.get_record_offset(), result)
        except Exception as exc:  # warcio raises several unrelated types on damaged archives
            yield ReadFailure(
                source,
                f"truncated or damaged WARC archive after {number} response records "
                f"({type(exc).__name__})",
            )
            return
        last_offset = records.get_record_offset()
        cut = _last_gzip_member_cut(handle, last_offset)
    if pending is not None:
        if cut and pending[0] == last_offset:
            reason = "truncated WARC record: the archive ends inside it"
            yield ReadFailure(f"{source}#{number}", reason)
        else:
            yield pending[1]
    if cut:
        yield ReadFailure(source, "truncated WARC archive: the last record is cut off")


def _warc_response(record: Any, record_source: str, max_bytes: int) -> RawDocument | ReadFailure:
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if content_type and "html" not in content_type and "xml" not in content_type:
        return ReadFailure(record_source, f"not an HTML response ({content_type})")
    uri = record.rec_headers.get_header("WARC-Target-URI")
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        return ReadFailure(record_source, "response larger than the limit for one article")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return ReadFailure(record_source, f"truncated WARC record ({missing} bytes missing)")
    try:
        html = decode_bytes(payload, html=True)
    except UnreadableDocument as exc:
        return ReadFailure(record_source, str(exc))
    return RawDocument(
        source=uri or record_source,
        format="warc",
        content=html,
        is_html=True,
        url=uri,
        published=record.rec_headers.get_header("WARC-Date"),
    )


def _last_gzip_member_cut(handle: IO[bytes], offset: int) -> bool:
    """Whether a gzipped archive's last member ends early (warcio reads such a cut silently)."""
    handle.seek(offset)
    if handle.read(2) != b"\x1f\x8b":
        return False
    handle.seek(offset)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while chunk := handle.read(1 << 16):
            decompressor.decompress(chunk, 1 << 20)
            if decompressor.eof:
                return False
    except zlib.error:
        return True
    return not decompressor.eof


def _open_maybe_gzip(path: Path) -> IO[bytes]:
    handle = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.close()
        return gzip.open(path, "rb")
    handle.seek(0)
    return handle


def _bounded_lines(handle: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """Lines of a binary stream, yielding None for a line over the limit (skipped, not held)."""
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line
