"""WARC reading at Common Crawl News scale: time and peak memory, Parallax beside warcio.

    .venv/bin/python benchmarks/warc_memory.py                      # 1 GB .warc.gz, ~4 min
    .venv/bin/python benchmarks/warc_memory.py --size-mb 200 --plain # also the plain .warc
    .venv/bin/python benchmarks/warc_memory.py --out /data/bench     # keep the archives there

Writes an archive of invented news pages (``--size-mb`` of gzip, one member per
record, as Common Crawl News does; ``--plain`` also the same records uncompressed),
then reads it in a fresh process per reader, so that each peak resident size
(``ru_maxrss`` of that child) is its own:

- ``parallax``: ``parallax.ingest.read_paths``, counting the documents it yields
  (each payload read, de-chunked, decoded to text);
- ``warcio``: warcio's plain ``ArchiveIterator``, reading each HTML response's
  ``content_stream()`` whole: the usual loop, the peer to beat.

Prints one markdown row per reader and archive: records, seconds, records/s,
MB/s (of the file as stored) and peak RSS. Memory must stay flat as the archive
grows: run two sizes to see it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_ONSETS = [
    "b",
    "br",
    "d",
    "f",
    "g",
    "h",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "z",
]
_NUCLEI = ["a", "e", "i", "o", "u", "ai", "ou", "ei"]
_CODAS = ["", "", "n", "r", "s", "l", "m", "th", "k"]
_PLAIN_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "said",
    "on",
    "for",
    "with",
    "was",
    "at",
    "by",
    "from",
    "council",
    "harbour",
    "minister",
    "river",
    "vote",
    "strike",
    "talks",
    "court",
    "budget",
    "police",
    "residents",
    "mayor",
    "storm",
    "port",
]


def _invented_word(rng: random.Random) -> str:
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
        for _ in range(rng.randint(1, 3))
    )


def _sentence_pool(rng: random.Random, size: int = 6000) -> list[str]:
    names = [_invented_word(rng).capitalize() for _ in range(800)]
    words = [_invented_word(rng) for _ in range(3000)] + _PLAIN_WORDS * 40
    pool = []
    for _ in range(size):
        body = [rng.choice(words) for _ in range(rng.randint(10, 28))]
        for slot in rng.sample(range(len(body)), 2):
            body[slot] = rng.choice(names)
        pool.append(" ".join(body).capitalize() + rng.choice([".", ".", ".", "?", '," he said.']))
    return pool


def _page(rng: random.Random, pool: list[str], number: int) -> bytes:
    title = " ".join(rng.choices(pool, k=1)[0].split()[:9]).rstrip(".?,")
    paragraphs = "".join(
        f"<p>{' '.join(rng.choices(pool, k=rng.randint(2, 5)))}</p>\n"
        for _ in range(rng.randint(8, 40))
    )
    menu = "".join(f'<li><a href="/s/{n}">{w}</a></li>' for n, w in enumerate(_PLAIN_WORDS[14:]))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | '
        f'Tidewater Courier</title><meta property="og:title" content="{title}">'
        '<meta property="article:published_time" content="2025-03-0'
        f'{number % 9 + 1}T08:00:00Z"></head>\n<body><nav><ul>{menu}</ul></nav>\n<article>'
        f"<h1>{title}</h1><figure><img src='/i/{number}.jpg'><figcaption>"
        f"{rng.choice(pool)} <span class='credit'>Photo: Tidewater Courier</span></figcaption>"
        f"</figure>\n{paragraphs}</article><footer>© 2025 Tidewater Courier</footer>"
        "</body></html>\n"
    ).encode()


def _record(uri: str, payload: bytes, number: int) -> bytes:
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Content-Length: %d\r\n\r\n" % len(payload)
    ) + payload
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>\r\n"
        f"WARC-Date: 2025-03-0{number % 9 + 1}T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def generate(folder: Path, size_mb: int, plain: bool) -> list[Path]:
    """The archive(s): ``size_mb`` of per-record gzip, and the same records plain."""
    rng = random.Random(20250301)
    pool = _sentence_pool(rng)
    gz_path = folder / f"news-{size_mb}mb.warc.gz"
    plain_path = folder / f"news-{size_mb}mb.warc"
    target = size_mb * 1_000_000
    with gz_path.open("wb") as gz_out, plain_path.open("wb") if plain else _Null() as out:
        number = 0
        while gz_out.tell() < target:
            record = _record(
                f"https://tidewater.example/2025/{number}", _page(rng, pool, number), number
            )
            gz_out.write(gzip.compress(record, compresslevel=6))
            out.write(record)
            number += 1
    return [gz_path, plain_path] if plain else [gz_path]


class _Null:
    def __enter__(self) -> _Null:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        return len(data)


def _child(reader: str, path: Path) -> None:
    """Run in a fresh interpreter: read the archive, print records, seconds and peak RSS."""
    started = time.perf_counter()
    records = 0
    if reader == "parallax":
        from parallax.ingest import read_paths
        from parallax.model import RawDocument

        records = sum(isinstance(item, RawDocument) for item in read_paths([path]))
    else:
        from warcio.archiveiterator import ArchiveIterator

        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response" and record.http_headers is not None:
                    content_type = record.http_headers.get_header("Content-Type") or ""
                    if "html" in content_type:
                        record.content_stream().read().decode("utf-8", "replace")
                        records += 1
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"records": records, "seconds": seconds, "peak_mb": peak_kb / 1024}))


def measure(reader: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", reader, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mb", type=int, default=1000, help="gzip archive size (MB)")
    parser.add_argument("--out", type=Path, help="folder for the archives (kept); default temp")
    parser.add_argument("--plain", action="store_true", help="also an uncompressed .warc")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    folder = args.out or Path(tempfile.mkdtemp(prefix="parallax-warc-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        paths = generate(folder, args.size_mb, args.plain)
        print(
            f"generated {', '.join(p.name for p in paths)} in "
            f"{time.perf_counter() - started:.0f} s\n"
        )
        print("| archive | reader | records | seconds | records/s | MB/s | peak RSS (MB) |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for path in paths:
            size_mb = path.stat().st_size / 1e6
            for reader in ("parallax", "warcio"):
                result = measure(reader, path)
                print(
                    f"| {path.name} ({size_mb:,.0f} MB) | {reader} | {result['records']:,.0f} | "
                    f"{result['seconds']:.1f} | {result['records'] / result['seconds']:,.0f} | "
                    f"{size_mb / result['seconds']:.1f} | {result['peak_mb']:.0f} |",
                    flush=True,
                )
    finally:
        if args.out is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
