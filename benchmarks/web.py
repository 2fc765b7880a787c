"""Web server load benchmark: a real uvicorn server on loopback over a store of N articles.

Run from the repository root::

    .venv/bin/python benchmarks/web.py                     # 10,000 articles, 10 s per endpoint
    .venv/bin/python benchmarks/web.py --articles 2000 --seconds 5
    .venv/bin/python benchmarks/web.py [--articles 10000] [--seconds 10] [--concurrency 8]
    .venv/bin/python benchmarks/web.py --db /tmp/web-10k.db   # build once, reuse next time

What it does
------------
1. Builds a store of ``--articles`` articles without the spaCy analysis (so no entities or
   quotes; stories are grouped on text alone), in a temporary folder unless ``--db`` names
   a file (an existing one is used as it is). ``--corpus`` says where the texts come from:

   * ``shared``: the real news texts of ``../shared/eval`` (ECB+, the article-extraction
     gold bodies, PolNeAR; see ``build_scale_corpus`` in ``benchmarks/stories.py``, which
     needs the ``bench`` extra), each cleaned by ``parallax.clean.clean_document`` as
     ingest does, with one of eight made-up outlets and a publication date in 2024
     assigned round-robin. Cleaning runs on ``--workers`` processes (about 30 ms a text
     on one core).
   * ``examples``: the bundled example articles read once through ``pipeline.ingest``,
     then copied under new ids with their sentences shuffled and about 10% of their words
     dropped, their dates moved by up to 60 days. Fast (seconds for 10k), but each story
     is many near-copies of one of 20 articles: at 2,000 articles the largest story has
     400, and one comparison of it takes over 10 s, so the story rows time out.
   * ``auto`` (default): ``shared`` when that data and its imports are there, else ``examples``.

   Then ``pipeline.group_stories`` groups them; its time is printed.
2. Starts ``uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=...))`` in a
   subprocess on a free loopback port (one server process, uvicorn's defaults otherwise),
   and waits for it to answer.
3. For each endpoint in turn, ``--concurrency`` client tasks (one ``httpx.AsyncClient``,
   keep-alive, loopback only) send requests back to back for ``--seconds``; no request is
   started after that, and none may take longer than ``--timeout``. The endpoints:

   * ``/stories/{id}``: the HTML comparison page of the story with the most articles;
   * ``/api/stories/{id}/compare``: the same story's comparison as JSON;
   * ``/api/search?q=WORD``: full-text search for the most common word of four letters or
     more (``--query`` to choose another);
   * ``/api/articles?limit=50``: the first page of articles.
4. Prints one row per endpoint: requests (answered or failed), requests per second
   (requests over the time from the first request to the end of the last one), the median
   and 95th-percentile latency of the successful ones (ms, measured by the client, so they
   include the client's own overhead on this machine), and errors (non-2xx answers,
   timeouts, dropped connections); the first error of each endpoint is printed under the
   table, the server's own tracebacks go to stderr. Then stops the server and removes the
   temporary store. The exit code is 1 when any request failed.

The client and the server share the machine (``os.cpu_count()`` is printed): the figures
are for comparing versions on one machine, not a capacity plan. Nothing leaves loopback.
``--concurrency 1`` gives the latency of one request at a time. A request the client
gave up on (``--timeout``) still runs to its end in the server, so the rows after a row
with timeouts pay for it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO_ROOT.parent / "shared/eval"
HOST = "127.0.0.1"
SEED = 20240702
OUTLETS = (
    "Harbour Ledger", "Daily Meridian", "Nordwind Post", "Eastgate Observer",
    "Coastline Courier", "Worldpulse 24", "Newsloom", "Reuters",
)  # fmt: skip
SERVER_CODE = """
import sys
import uvicorn
from parallax.web.app import create_app
db, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = uvicorn.Config(create_app(db), host=host, port=port, log_level="warning")
uvicorn.Server(config).run()
"""


# -- building the store -------------------------------------------------------------------


def build_store(path: Path, n: int, corpus: str, workers: int) -> None:
    from parallax import pipeline
    from parallax.store import Store

    if corpus == "auto":
        corpus = "shared" if _shared_available() else "examples"
    print(f"building a store of {n:,} articles from the {corpus} corpus in {path}")
    started = time.perf_counter()
    with Store(path) as store:
        if corpus == "shared":
            written = _write_shared(store, n, workers)
        else:
            written = _write_examples(store, n)
        built = time.perf_counter() - started
        print(f"  {written:,} articles stored in {built:.1f} s")
        report = pipeline.group_stories(store)
        grouped = time.perf_counter() - started - built
        print(
            f"  group_stories: {grouped:.1f} s for {report.grouped:,} articles "
            f"({report.stories:,} stories, {report.copies:,} copies)"
        )


def _shared_available() -> bool:
    if not (SHARED_EVAL / "ecbplus").is_dir():
        return False
    try:
        _stories_module()
    except ImportError as error:
        print(f"  (shared texts present but not usable here: {error}; using the examples)")
        return False
    return True


def _stories_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import stories  # benchmarks/stories.py; needs the bench extra (scikit-learn)
    finally:
        sys.path.pop(0)
    return stories


def _write_shared(store, n: int, workers: int) -> int:  # type: ignore[no-untyped-def]
    from parallax.pipeline import fingerprint

    stories = _stories_module()
    texts, ids = stories.build_scale_corpus(n, stories.DEFAULT_DATA)
    first = date(2024, 1, 1)
    documents = [
        _raw(doc_id, text, OUTLETS[i % len(OUTLETS)], (first + timedelta(i % 366)).isoformat())
        for i, (doc_id, text) in enumerate(zip(ids, texts, strict=True))
    ]
    written = 0
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        batch = []
        for document, result in zip(
            documents, pool.map(_clean, documents, chunksize=32), strict=True
        ):
            if result is not None:
                batch.append((fingerprint(document), result))
            if len(batch) >= 500:
                written += len(store.write_batch(batch)[0])
                batch = []
        written += len(store.write_batch(batch)[0])
    return written


def _raw(doc_id: str, text: str, outlet: str, published: str):  # type: ignore[no-untyped-def]
    from parallax.model import RawDocument

    return RawDocument(
        source=f"bench:{doc_id}",
        format="text",
        content=text,
        is_html=False,
        outlet=outlet,
        published=published,
    )


def _clean(document):  # type: ignore[no-untyped-def]
    from parallax.clean import clean_document
    from parallax.errors import ParallaxError

    try:
        return clean_document(document)
    except ParallaxError:
        return None  # too short to be an article; the store simply gets one fewer


_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def _perturb(text: str, rng: random.Random) -> str:
    """Sentences shuffled within each paragraph, about 10% of words dropped."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        sentences = [s for s in _SENTENCES.split(paragraph) if s.strip()]
        rng.shuffle(sentences)
        words = [w for w in " ".join(sentences).split() if rng.random() >= 0.1]
        if words:
            paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs)


def _write_examples(store, n: int) -> int:  # type: ignore[no-untyped-def]
    from parallax import pipeline
    from parallax.examples import ARTICLES_DIR

    pipeline.ingest([ARTICLES_DIR], store, workers=1)
    originals = list(store.articles())
    written = len(originals)
    rng = random.Random(SEED)
    batch = []
    for k in range(n - written):
        original = originals[k % len(originals)]
        new_id = hashlib.sha256(f"{original.id}\x1f{k}".encode()).hexdigest()[:16]
        published = original.published
        if published:
            shift = timedelta(days=rng.randrange(61))
            published = (date.fromisoformat(published[:10]) + shift).isoformat()
        copy = replace(
            original,
            id=new_id,
            source=f"bench:copy-{k}-of-{original.id}",
            text=_perturb(original.text, rng),
            published=published,
            published_at=None,
            blocks=[b for b in original.blocks if b.kind not in ("title", "body")],
        )
        batch.append((f"bench-{new_id}", copy))
        if len(batch) >= 1000:
            written += len(store.write_batch(batch)[0])
            batch = []
    written += len(store.write_batch(batch)[0])
    return written


def common_word(db: Path) -> str:
    from parallax.store import Store

    counts: Counter[str] = Counter()
    with Store(db) as store:
        for article in store.articles(limit=500):
            counts.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", article.text))
    return counts.most_common(1)[0][0]


# -- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int, wait: float = 60.0) -> subprocess.Popen[bytes]:
    """The app under uvicorn in a subprocess, once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, str(db), HOST, str(port)], cwd=REPO_ROOT
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        try:
            if httpx.get(f"http://{HOST}:{port}/openapi.json", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"the server did not answer within {wait:.0f} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# -- the load ------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    elapsed: float = 0.0
    first_error: str | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors


async def drive(
    client: httpx.AsyncClient, name: str, url: str, seconds: float, concurrency: int
) -> Result:
    """``concurrency`` tasks sending ``url`` back to back until ``seconds`` have passed."""
    result = Result(name)
    started = time.perf_counter()
    deadline = started + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                response = await client.get(url)
            except httpx.HTTPError as error:
                result.errors += 1
                result.first_error = result.first_error or f"{type(error).__name__}: {error}"
                continue
            if response.is_success:
                result.latencies.append(time.perf_counter() - sent)
            else:
                result.errors += 1
                result.first_error = result.first_error or f"HTTP {response.status_code}"

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result


async def run_load(
    base: str, endpoints: list[tuple[str, str]], seconds: float, concurrency: int, timeout: float
) -> list[Result]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        results = []
        for name, url in endpoints:
            try:  # one untimed request first; it also shows a broken endpoint at once
                warm = await client.get(url)
                if not warm.is_success:
                    print(f"  warning: {url} answered {warm.status_code}: {warm.text[:200]}")
            except httpx.HTTPError as error:
                print(f"  warning: {url} failed: {type(error).__name__}: {error}")
            # Every request ends within `timeout`, so this bound is never the one that stops it.
            limit = seconds + timeout + 5
            results.append(
                await asyncio.wait_for(drive(client, name, url, seconds, concurrency), limit)
            )
        return results


def percentile_ms(values: list[float], q: float) -> str:
    """The ``q`` quantile of ``values`` (seconds) in ms, nearest rank; "-" for none."""
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000:.1f}"


def print_table(results: list[Result]) -> None:
    header = ("endpoint", "requests", "req/s", "p50 ms", "p95 ms", "errors")
    rows = [
        (
            r.name,
            f"{r.requests:,}",
            f"{r.requests / r.elapsed:.1f}" if r.elapsed else "-",
            percentile_ms(r.latencies, 0.50),
            percentile_ms(r.latencies, 0.95),
            str(r.errors),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    print((line + " |").format(*header))
    print(
        "|"
        + "|".join(("-" * (w + 1) + ":") if i else "-" * (w + 2) for i, w in enumerate(widths))
        + "|"
    )
    for row in rows:
        print((line + " |").format(*row))
    for r in results:
        if r.first_error:
            print(f"  {r.name}: first error: {r.first_error}")


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="store size (default 10000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per endpoint (10)")
    parser.add_argument("--concurrency", type=int, default=8, help="client tasks (default 8)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, s (60)")
    parser.add_argument("--corpus", choices=("auto", "shared", "examples"), default="auto")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="for cleaning")
    parser.add_argument("--query", help="search word (default: the most common one)")
    parser.add_argument("--db", type=Path, help="store to use, or to build and keep")
    args = parser.parse_args(argv)
    if args.articles < 20 or args.seconds <= 0 or args.concurrency < 1:
        parser.error("--articles must be at least 20, --seconds and --concurrency positive")

    with tempfile.TemporaryDirectory(prefix="parallax-web-bench-") as folder:
        db = args.db or Path(folder) / "bench.db"
        if args.db and args.db.exists():
            print(f"using the existing store {db}")
        else:
            build_store(db, args.articles, args.corpus, args.workers)
        return bench(db, args)


def bench(db: Path, args: argparse.Namespace) -> int:
    from parallax import pipeline
    from parallax.store import Store

    with Store(db) as store:
        articles = store.count()
        story = pipeline.largest_story(store)
    if story is None:
        raise SystemExit("the store has no stories: run 'parallax group' on it first")
    word = args.query or common_word(db)
    endpoints = [
        ("/stories/{id}", f"/stories/{story.id}"),
        ("/api/stories/{id}/compare", f"/api/stories/{story.id}/compare"),
        (f"/api/search?q={word}", f"/api/search?q={word}"),
        ("/api/articles?limit=50", "/api/articles?limit=50"),
    ]
    port = free_port()
    print(
        f"store: {articles:,} articles; largest story {story.id} has {len(story.articles)} "
        f"articles from {len(story.outlets)} outlets"
    )
    print(
        f"server: http://{HOST}:{port}; load: {args.concurrency} concurrent, "
        f"{args.seconds:g} s per endpoint; cores: {os.cpu_count()}"
    )
    server = start_server(db, port)
    try:
        results = asyncio.run(
            run_load(
                f"http://{HOST}:{port}", endpoints, args.seconds, args.concurrency, args.timeout
            )
        )
    finally:
        stop_server(server)
    print()
    print_table(results)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
