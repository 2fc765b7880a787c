"""Bytes to text: detect binary input and unknown encodings before anything parses them."""

from __future__ import annotations

import re
import zlib

from charset_normalizer import from_bytes

from parallax.errors import UnreadableDocument

DEFAULT_MAX_BYTES = 20_000_000
"""Largest single document accepted: far above any real article, far below a memory problem."""

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


def gunzip(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress gzip data without ever holding more than ``max_bytes`` of output."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise UnreadableDocument(f"corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise UnreadableDocument(
            f"decompresses to more than {max_bytes / 1e6:.0f} MB, above the limit for one article"
        )
    if not decompressor.eof:
        raise UnreadableDocument("truncated gzip data (the file ends mid-stream)")
    return out


def looks_gzipped(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


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
    control = sum(sample.count(bytes([byte])) for byte in _CONTROL_BYTES)
    return control > len(sample) * 0.05
