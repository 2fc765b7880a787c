"""Bytes to text: detect binary input and unknown encodings before anything parses them."""

from __future__ import annotations

import re
import zlib
from typing import IO

from charset_normalizer import from_bytes

from parallax.errors import UnreadableDocument

DEFAULT_MAX_BYTES = 20_000_000
"""Largest single document accepted: far above any real article, far below a memory problem."""

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


MAX_INFLATION = 200
"""How many times its compressed size a gzip container may inflate to, beyond one document's
worth: text and HTML compress 3 to 10 times, a decompression bomb (zeros) about 1000 times."""

_CHUNK = 1 << 16


def gunzip(handle: IO[bytes], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress a gzip stream read in chunks, never holding more than ``max_bytes`` of output.

    A bomb (gigabytes of zeros in a few megabytes) is refused as soon as the output
    passes the limit, so the cost is reading ``max_bytes``, not inflating the whole.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    try:
        while not decompressor.eof:
            chunk = decompressor.unconsumed_tail or handle.read(_CHUNK)
            # max_length is never 0 here (0 would mean "no limit" to zlib).
            out = decompressor.decompress(chunk, max_bytes + 1 - size)
            if not chunk and not out:
                raise UnreadableDocument("truncated gzip data (the file ends mid-stream)")
            size += len(out)
            if size > max_bytes:
                raise UnreadableDocument(
                    f"decompresses to more than {max_bytes / 1e6:.0f} MB, "
                    "above the limit for one article"
                )
            parts.append(out)
    except zlib.error as exc:
        raise UnreadableDocument(f"corrupt gzip data ({exc})") from exc
    return b"".join(parts)


def check_inflation(inflated: int, deflated: int, allowance: int) -> None:
    """Refuse a gzip container that inflates far beyond any text: a decompression bomb.

    ``allowance`` (one document's worth) lets a single very repetitive record through.
    """
    if inflated > allowance + MAX_INFLATION * deflated:
        raise UnreadableDocument(
            f"decompression bomb: {_size(deflated)} of gzip data inflate to more than "
            f"{_size(inflated)} (over {MAX_INFLATION} times), reading stopped"
        )


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.1f} KB"


def looks_gzipped(head: bytes) -> bool:
    return head[:2] == b"\x1f\x8b"


def decode_bytes(data: bytes, *, html: bool = False) -> str:
    """Decode document bytes to text, or raise UnreadableDocument saying why not.

    UTF-8 (with or without BOM) is tried first because it is by far the most
    common and the only encoding that validates itself; an HTML meta charset is
    trusted next; statistical detection is the last resort.
    """
    if not data.strip():
        raise UnreadableDocument("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if _looks_binary(data):
        raise UnreadableDocument("binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise UnreadableDocument("unknown text encoding (not UTF-8 and not detectable)")
    return data.decode(best.encoding, errors="replace")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass
    return control > len(sample) * 0.05
