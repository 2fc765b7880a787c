"""WARC archives (Common Crawl News style), streamed record by record in bounded memory.

warcio parses the records; what it does not guard against is guarded here, so that a
multi-gigabyte archive, plain or gzipped per record (or, as `gzip` leaves it, as one
stream), is read with memory bounded by a few times ``max_bytes``, whatever it holds:

- warcio reads a header line whole, however long: a line longer than ``_MAX_LINE``
  stops the archive (a damaged or hostile file could otherwise make it gigabytes);
- warcio reports a corrupt gzip member on stderr and drops the rest of it silently,
  and reads a member cut short as if it were whole: both are failures here;
- inflation is checked against the compressed bytes read (``check_inflation``), so a
  decompression bomb stops the archive instead of being inflated to its end;
- payloads are read raw (at most ``max_bytes``) and their HTTP chunking and
  compression undone here under the same limit: warcio's ``content_stream`` reads a
  whole HTTP chunk (up to 2 GB) and inflates it in one call.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.utils import BUFF_SIZE

from parallax.errors import UnreadableDocument
from parallax.ingest.decode import check_inflation, decode_bytes, gunzip
from parallax.ingest.names import source_name
from parallax.model import RawDocument, ReadFailure

_MAX_LINE = 1 << 16
"""Longest WARC or HTTP header line accepted: real ones are well under a kilobyte."""
_MAX_BLANK_RUN = 1000
"""Blank lines in a row that end an archive: records are separated by two."""


class DamagedArchive(UnreadableDocument):
    """The archive cannot be read past this point; the records before it stand."""


class _GuardedReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader with bounded lines, loud gzip errors and a decompression-bomb check."""

    def __init__(self, stream: IO[bytes], allowance: int) -> None:
        self.allowance = allowance
        self.deflated = 0
        self.inflated = 0
        self.blank_run = 0
        self.member = 0
        """Which gzip member is being read: the last one is the one a truncation cuts."""
        self.cut = False
        """The last gzip member ended before its end marker: the file was truncated."""
        super().__init__(stream, block_size=BUFF_SIZE)

    def readline(self, length: int | None = None) -> bytes:
        want = _MAX_LINE + 1 if length is None else min(length, _MAX_LINE + 1)
        line = b""
        while len(line) < want and not line.endswith(b"\n"):
            self._fillbuff()
            if self.empty():
                break
            line += self.buff.readline(want - len(line))
        if len(line) > _MAX_LINE:
            raise DamagedArchive(f"a header line longer than {_MAX_LINE // 1024} KB")
        self.blank_run = self.blank_run + 1 if line and not line.strip() else 0
        if self.blank_run > _MAX_BLANK_RUN:
            raise DamagedArchive(f"more than {_MAX_BLANK_RUN} blank lines in a row")
        return line

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor is None or not data:
            return data
        try:
            out: bytes = self.decompressor.decompress(data)
        except zlib.error as exc:
            if self.deflated == 0:  # not gzip at all: warcio goes on reading it as plain WARC
                self.decompressor = None
                return data
            raise DamagedArchive(f"corrupt gzip data ({exc})") from exc
        self.deflated += len(data)
        self.inflated += len(out)
        check_inflation(self.inflated, self.deflated, self.allowance)
        return out

    def read_next_member(self) -> bool:
        started: bool = super().read_next_member()
        self.member += started
        return started

    def _process_read(self, data: bytes) -> None:
        if not data and self.decompressor is not None and self.deflated:
            self.cut = self.cut or not self.decompressor.eof
        super()._process_read(data)


class _Archive(ArchiveIterator):  # type: ignore[misc]
    def __init__(self, handle: IO[bytes], allowance: int) -> None:
        super().__init__(handle)
        # Kept apart from self.reader, which warcio drops when the archive ends.
        self.guard = _GuardedReader(self.fh, allowance)
        self.reader = self.guard

    def _raise_invalid_gzip_err(self) -> None:
        """Read a WARC gzipped as one stream too: warcio refuses it only because it cannot
        seek to its records, which reading from start to end never needs."""


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | ReadFailure]:
    """Every HTML ``response`` record as a RawDocument, every bad one as a ReadFailure."""
    source = source_name(path)
    number = seen = 0
    # The newest record is held back, with its gzip member, until the archive is known
    # to go on past it: warcio hands out a record cut off by truncation as if whole.
    pending: tuple[int, RawDocument | ReadFailure] | None = None
    with path.open("rb") as handle:
        records = _Archive(handle, max_bytes)
        try:
            for record in records:
                seen += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                number += 1
                result = _response(record, f"{source}#{number}", max_bytes)
                if pending is not None:
                    yield pending[1]
                pending = (records.guard.member, result)
        except Exception as exc:
            # The pending record was read whole (its payload to the end): only what
            # follows it is damaged.
            if pending is not None:
                yield pending[1]
            yield _damaged(source, number, exc)
            return
    cut = records.guard.cut
    if pending is not None:
        if cut and pending[0] == records.guard.member:
            reason = "truncated WARC record: the archive ends inside it"
            yield ReadFailure(f"{source}#{number}", reason)
        else:
            yield pending[1]
    if cut:
        yield ReadFailure(source, "truncated WARC archive: the last record is cut off")
    elif seen == 0:
        yield ReadFailure(source, "empty file")


def _damaged(source: str, number: int, exc: Exception) -> ReadFailure:
    if isinstance(exc, UnreadableDocument):
        return ReadFailure(source, f"damaged WARC archive after {number} response records: {exc}")
    # warcio raises several unrelated types on damaged archives
    return ReadFailure(
        source,
        f"truncated or damaged WARC archive after {number} response records ({type(exc).__name__})",
    )


def _response(record: Any, record_source: str, max_bytes: int) -> RawDocument | ReadFailure:
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") or "").lower()
    if content_type and "html" not in content_type and "xml" not in content_type:
        return ReadFailure(record_source, f"not an HTML response ({content_type})")
    uri = record.rec_headers.get_header("WARC-Target-URI")
    body = record.raw_stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        return ReadFailure(
            record_source,
            f"response larger than the {max_bytes / 1e6:.0f} MB limit for one article",
        )
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return ReadFailure(record_source, f"truncated WARC record ({missing} bytes missing)")
    try:
        if (headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
            body = _dechunk(body)
        payload = _decode_content(body, headers.get_header("Content-Encoding"), max_bytes)
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


def _dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer coding. What does not parse as chunks is kept as it is,
    as warcio does: servers label plain bodies chunked, and archivers un-chunk without
    relabelling."""
    parts: list[bytes] = []
    position = 0
    while position < len(body):
        end = body.find(b"\r\n", position, position + 64)
        try:
            size = int(body[position:end].split(b";")[0], 16) if end > 0 else -1
        except ValueError:
            size = -1
        if size < 0:
            break
        if size == 0:
            return b"".join(parts)
        parts.append(body[end + 2 : end + 2 + size])
        position = end + 2 + size + 2
    return b"".join(parts) + body[position:]


def _decode_content(body: bytes, encoding: str | None, max_bytes: int) -> bytes:
    coding = (encoding or "identity").strip().lower()
    if coding in ("identity", "none", ""):
        return body
    if coding in ("gzip", "x-gzip"):
        return gunzip(io.BytesIO(body), max_bytes)
    if coding == "deflate":
        # Servers send "deflate" both zlib-wrapped (as specified) and raw.
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            decompressor = zlib.decompressobj(wbits)
            try:
                out = decompressor.decompress(body, max_bytes + 1)
            except zlib.error:
                continue
            if len(out) > max_bytes:
                raise UnreadableDocument(
                    f"decompresses to more than {max_bytes / 1e6:.0f} MB, "
                    "above the limit for one article"
                )
            return out
        raise UnreadableDocument("corrupt deflate-compressed response")
    raise UnreadableDocument(f"response compressed with {coding}, which cannot be read")
