"""Hostile files built cheaply: gigabytes of decompressed size without computing them."""

from __future__ import annotations

import zlib
from pathlib import Path

_BLOCK = bytes(1 << 20)


def zeros_gzip(path: Path, gigabytes: float, prefix: bytes = b"") -> int:
    """Write a gzip member that inflates to ``prefix`` and then ``gigabytes`` of zeros.

    After a full flush the compressor starts afresh, so each further megabyte of
    zeros compresses to the same bytes: they are computed once and repeated, and a
    10 GB bomb takes a fraction of a second to write. (The trailer's checksum is
    left zero: nothing may read that far.) Returns the file size.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = compressor.compress(prefix) + compressor.compress(_BLOCK)
    head += compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(_BLOCK) + compressor.flush(zlib.Z_FULL_FLUSH)
    with path.open("wb") as handle:
        handle.write(head)
        for _ in range(int(gigabytes * 1024) - 1):
            handle.write(repeat)
        handle.write(compressor.flush(zlib.Z_FINISH)[:-8] + bytes(8))
    return path.stat().st_size


def long_line(path: Path, size: int, *, prefix: bytes = b"", suffix: bytes = b"") -> None:
    """A file of one line of ``size`` bytes, written in chunks (never held in memory)."""
    chunk = b"word " * 13_107
    with path.open("wb") as handle:
        handle.write(prefix)
        written = 0
        while written < size:
            piece = chunk[: size - written]
            handle.write(piece)
            written += len(piece)
        handle.write(suffix)
