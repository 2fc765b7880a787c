"""Atheris harness: bytes into every reader and the cleaner; any escaping exception is a crash.

    .venv/bin/python tests/fuzz/fuzz_readers.py -runs=20000 -timeout=30
    PARALLAX_FUZZ_TARGET=.warc.gz .venv/bin/python tests/fuzz/fuzz_readers.py -runs=5000

Without PARALLAX_FUZZ_TARGET the first input byte picks the file suffix (so the
format); with it every input is read as that suffix. Unless corpus directories
are given, the fuzzer starts from one valid file per format (``seeds.py``).
A reader must yield only RawDocument or ReadFailure, and a ReadFailure must name
the file; every document read is then cleaned, where a failure must be an
UnreadableDocument (the one exception the pipeline turns into a reason).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris
from seeds import seeds

with atheris.instrument_imports(include=["parallax"]):
    from parallax.clean import clean_document
    from parallax.errors import UnreadableDocument
    from parallax.ingest import read_paths
    from parallax.model import RawDocument, ReadFailure

SUFFIXES = sorted(seeds())
TARGET = os.environ.get("PARALLAX_FUZZ_TARGET")
WORK = Path(tempfile.mkdtemp(prefix="parallax-fuzz-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
MAX_BYTES = 1_000_000
"""Small, so inputs near the per-document limit are within the fuzzer's reach."""


def check(data: bytes) -> None:
    if TARGET:
        suffix = TARGET
    else:
        suffix, data = SUFFIXES[data[0] % len(SUFFIXES)] if data else SUFFIXES[0], data[1:]
    path = WORK / f"input{suffix}"
    path.write_bytes(data)
    for item in read_paths([path], MAX_BYTES):
        if isinstance(item, ReadFailure):
            assert item.source.startswith(str(path)), item
            assert item.reason, item
            continue
        assert isinstance(item, RawDocument), item
        try:
            clean_document(item)
        except UnreadableDocument as exc:
            assert str(exc), item.source


def main() -> None:
    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        corpus = WORK / "seeds"
        corpus.mkdir()
        for suffix, content in seeds().items():
            if TARGET and suffix != TARGET:
                continue
            prefix = b"" if TARGET else bytes([SUFFIXES.index(suffix)])
            (corpus / suffix.strip(".")).write_bytes(prefix + content)
        argv.append(str(corpus))
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
