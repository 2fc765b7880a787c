"""Web server load benchmark: a real uvicorn server on loopback over a store of 10k+ articles.

Run from the repository root::

    .venv/bin/python benchmarks/web.py                     # issue 29's store, 10 s per endpoint
    .venv/bin/python benchmarks/web.py --db /work/web-gva.db   # build once, reuse next time
    .venv/bin/python benchmarks/web.py --db /work/web-gva.db --endpoints /api/search ~300
    .venv/bin/python benchmarks/web.py --db /work/web-gva.db --check-p95 100 --write-docs
    .venv/bin/python benchmarks/web.py --corpus examples --articles 2000 --seconds 5
    .venv/bin/python benchmarks/web.py [--seconds 10] [--concurrency 8] [--timeout 60]

What it does
------------
1. Builds a store in a temporary folder, or in the file ``--db`` names (an existing file is
   used as it is, whatever it holds; one whose build failed is removed). ``--corpus`` says
   from what:

   * ``gva``: the store of issue 29, built as a user would. The 5,671 reports of
     ``../shared/eval/gva-incidents`` (``load_gva`` in ``benchmarks/stories.py``, which needs
     the ``bench`` extra), each also re-posted a day later by a second outlet
     (``with_reposts``: 11,342 records), are written in date order to one JSON Lines file
     in a temporary folder (``write_feed``: ``url``, ``title``, ``text``, ``published``,
     ``outlet`` when known), then read by the command line in subprocesses::

         python -m parallax ingest FEED.jsonl --db DB --workers N
         python -m parallax group --db DB

     with the Python running this script; each step's time is printed, with the start of
     the command's output (its summary). Not analysed (``parallax analyze`` is not run),
     so it has no entities or quotes, unless ``--analyse`` runs it between the two (about
     ten minutes). Grouping makes no story near the issue's 300 articles (5,671 reports
     of 3,368 events), so the largest stories are then merged into one of at least 300
     articles, as a reader would with ``parallax story merge`` (``Corpus.merge``, which
     stores the merged story's comparison; about two minutes). ``--articles`` does not
     apply. No text of the data is written anywhere but the temporary feed and the store.
   * ``shared``: ``--articles`` real news texts of ``../shared/eval`` (ECB+, the
     article-extraction gold bodies, PolNeAR; see ``build_scale_corpus`` in
     ``benchmarks/stories.py``), each cleaned by ``parallax.clean.clean_document`` as
     ingest does, with one of eight made-up outlets and a publication date in 2024
     assigned round-robin, written straight into the store. Cleaning runs on ``--workers``
     processes (about 30 ms a text on one core).
   * ``examples``: the bundled example articles read once through ``pipeline.ingest``,
     then copied under new ids up to ``--articles``, their sentences shuffled and about 10%
     of their words dropped, their dates moved by up to 60 days. Fast (seconds for 10k),
     but each story is many near-copies of one of 20 articles.
   * ``auto`` (default): ``gva`` when ``../shared/eval/gva-incidents/docs.tsv`` is there
     (and ``benchmarks/stories.py`` imports), else ``shared`` when that data is there,
     else ``examples``.

   For ``shared`` and ``examples``, ``pipeline.group_stories`` then groups the articles
   in this process (on text alone: no analysis) and its time is printed.
2. Prints the store: articles, stories and copies, the sizes of the largest stories, and
   the two stories measured: the one whose size is closest to 300 articles (issue 29's "a
   300-article story"; the larger of two equally close) and the largest (the most recent
   of equals). On the ``gva`` store both are the merged story.
3. Starts the server as ``parallax serve`` does (``parallax.web.app.serve(db, host=
   "127.0.0.1", port=...)``) in a subprocess on a free loopback port, and waits for it to
   answer.
4. For each endpoint in turn, sends one untimed request first (its latency is the "first
   ms" column: a cold cache shows there), then ``--concurrency`` client tasks (one
   ``httpx.AsyncClient``, keep-alive, loopback only) send requests back to back for
   ``--seconds``; no request is started after that, and none may take longer than
   ``--timeout``. An endpoint whose first request answers 404 (a page this version of the
   server does not have) is skipped with a note. The endpoints, in this order and under
   these names (``--endpoints NAME ...`` measures only the rows named, or, for a NAME that
   is no row's whole name, every row whose name contains it; a NAME that matches no row
   is noted):

   * ``/``: the home page (the most recent stories);
   * ``/stories/{id} ~300`` and ``/api/stories/{id}/compare ~300``: the HTML comparison
     page and the JSON comparison of the story of about 300 articles (the server may keep
     a comparison it made for the page, so the JSON row's first request can find it warm);
   * ``/stories/{id} largest`` and ``/api/stories/{id}/compare largest``: the same for the
     largest story (left out when it is the same story);
   * ``/api/search?q=WORD`` and ``/search?q=WORD``: full-text search, JSON and HTML, for
     ``--query``; by default ``police`` on the ``gva`` store (recognised by its re-posting
     outlets), else the most common word of four letters or more in 500 articles;
   * ``/api/articles?limit=50`` and ``/articles``: the first page of articles, JSON and
     HTML; ``/articles?outlet=NAME``: the HTML page of the outlet with the most articles;
   * ``/entities`` and ``/api/entities?limit=50``, ``/quotes`` and ``/api/quotes?limit=50``:
     the first page of entities and of quotes, HTML and JSON (empty on a store not analysed);
   * ``/entities/{id}``: the page of the entity named in the most articles (left out, with
     a note, when the store has no entity);
   * ``/articles/{id}``: the page of the first article of the ~300 story.
5. Prints one row per endpoint measured: requests (answered or failed), requests per second
   (requests over the time from the first request to the end of the last one), the median
   and 95th-percentile latency of the successful ones (ms, measured by the client, so they
   include the client's own overhead on this machine), the first request's latency, and
   errors (non-2xx answers, timeouts, dropped connections); the first error of each
   endpoint and the endpoints skipped are printed under the table. The server's standard
   error (its tracebacks, one for each failed request) is kept aside: its length and the
   last 30 lines of its first error (where the exception is), each cut to 300 characters,
   are printed above the table. Then stops the server and removes the temporary folder.

``--write-docs`` puts the table, with the date, the machine and the store it was measured
on, between the two ``benchmarks/web.py --write-docs`` markers of ``docs/benchmarks.md``.

The exit code is 1 when any request failed, or, with ``--check-p95 MS``, when any measured
endpoint's 95th percentile is above MS milliseconds (or it had no successful request); the
rows over the bound are named. Skipped endpoints are not checked.

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
import shlex
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
from typing import IO, TYPE_CHECKING
from urllib.parse import urlencode

import httpx

if TYPE_CHECKING:
    from parallax.model import Story

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO_ROOT.parent / "shared/eval"
GVA_DATA = SHARED_EVAL / "gva-incidents"
HOST = "127.0.0.1"
SEED = 20240702
STORY_SIZE = 300  # issue 29's "a 300-article story"
GVA_QUERY = "police"
OUTLETS = (
    "Harbour Ledger", "Daily Meridian", "Nordwind Post", "Eastgate Observer",
    "Coastline Courier", "Worldpulse 24", "Newsloom", "Reuters",
)  # fmt: skip
# The server as `parallax serve --db DB --port PORT` runs it.
SERVER_CODE = """
import sys
from parallax.web.app import serve
db, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
serve(db, host=host, port=port)
"""


# -- building the store -------------------------------------------------------------------


def resolve_corpus(corpus: str) -> str:
    """``corpus``, with ``auto`` made the first of gva, shared, examples that is usable."""
    if corpus != "auto":
        return corpus
    if (GVA_DATA / "docs.tsv").is_file() and _stories_usable("GVA reports"):
        return "gva"
    if (SHARED_EVAL / "ecbplus").is_dir() and _stories_usable("shared texts"):
        return "shared"
    return "examples"


def build_store(path: Path, n: int, corpus: str, workers: int, analyse: bool = False) -> None:
    if corpus == "gva":
        build_gva(path, workers, analyse=analyse)
        grow_story(path, STORY_SIZE)
        return
    from parallax import pipeline
    from parallax.store import Store

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


def build_gva(
    path: Path, workers: int, limit_events: int | None = None, analyse: bool = False
) -> None:
    """The GVA reports and their re-posts as one JSON Lines feed, through ``parallax
    ingest`` and ``parallax group`` (``limit_events``: the first N events only, for a
    quick try; the benchmark uses them all), and ``parallax analyze`` with ``analyse``."""
    if not (GVA_DATA / "docs.tsv").is_file():
        raise SystemExit(f"no GVA data: {GVA_DATA / 'docs.tsv'} is missing")
    stories = _stories_module()
    print(f"building the GVA store (reports and re-posts, ingest then group) in {path}")
    started = time.perf_counter()
    reports = stories.with_reposts(stories.load_gva(GVA_DATA, limit_events))
    with tempfile.TemporaryDirectory(prefix="parallax-web-feed-") as folder:
        feed = Path(folder) / "gva-reposted.jsonl"
        stories.write_feed(reports, feed)
        print(
            f"  feed: {len(reports):,} records ({feed.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        run_cli("ingest", str(feed), "--db", str(path), "--workers", str(max(1, workers)))
        if analyse:
            run_cli("analyze", "--db", str(path), "--processes", str(max(1, workers)))
        run_cli("group", "--db", str(path))


def grow_story(path: Path, size: int) -> None:
    """Merge the largest stories into the largest, as a reader would with ``parallax
    story merge``, until one has ``size`` articles: the GVA stories stay far smaller than
    the issue's 300-article story, whose page this measures. Each merge stores the merged
    story's comparison, as the command does; the time is printed."""
    from parallax import Corpus

    with Corpus(path, create=False) as corpus:
        stories = sorted(corpus.stories(), key=lambda s: -len(s.articles))
        if not stories or len(stories[0].articles) >= size:
            return
        started, into, merged = time.perf_counter(), stories[0], 0
        for other in stories[1:]:
            if len(into.articles) >= size:
                break
            into = corpus.merge(into.id, other.id)
            merged += 1
        print(
            f"  merged the {merged + 1} largest stories into story {into.id} of "
            f"{len(into.articles)} articles (as `parallax story merge` does) in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )


def run_cli(*args: str, shown_lines: int = 16) -> None:
    """``python -m parallax ARGS`` in the repository, timed. Its standard output is shown
    (the first ``shown_lines`` lines: the summary, then the start of any list of records
    refused), its standard error only counted, unless the command fails."""
    command = [sys.executable, "-m", "parallax", *args]
    shown = [os.path.relpath(sys.executable, REPO_ROOT), *command[1:]]
    print(f"  $ {shlex.join(shown)}", flush=True)
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    out, err = completed.stdout.splitlines(), completed.stderr.splitlines()
    if completed.returncode != 0:
        print("\n".join(out + err[-40:]))
        raise SystemExit(f"parallax {args[0]} exited with code {completed.returncode}")
    for line in out[:shown_lines]:
        print(f"    {line}")
    if len(out) > shown_lines:
        print(f"    ... {len(out) - shown_lines:,} more lines")
    if lines := [line for line in err if line.strip()]:
        print(f"    ({len(lines):,} lines on standard error, the first: {lines[0][:100]})")
    print(f"  parallax {args[0]}: {took:.1f} s", flush=True)


def _stories_usable(what: str) -> bool:
    try:
        _stories_module()
    except ImportError as error:
        print(f"  ({what} present but not usable here: {error})")
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


# -- what to measure ----------------------------------------------------------------------


@dataclass
class Survey:
    """What the benchmark needs to know of a store, read once before the server starts."""

    articles: int
    counts: dict[str, int]
    sizes: list[int]  # every story's size, largest first
    near: Story  # the story closest to STORY_SIZE articles
    largest: Story
    outlet: str | None  # the outlet with the most articles
    outlets: int
    entity: str | None  # the id of the entity named in the most articles
    article: str  # the id of one article (the first of ``near``)
    gva: bool  # the store of the gva corpus (its re-posting outlets are there)
    word: str  # the most common word of four letters or more in 500 articles


def survey(db: Path) -> Survey:
    from parallax.store import Store

    with Store(db) as store:
        stories = store.stories()  # the most recent first
        if not stories:
            raise SystemExit("the store has no stories: run 'parallax group' on it first")
        outlet_counts = Counter(o for o in store.outlets().values() if o)
        entities = store.entities(limit=1)
        words: Counter[str] = Counter()
        for article in store.articles(limit=500):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", article.text))
        articles, counts = store.count(), store.counts()
    size = {story.id: len(story.articles) for story in stories}
    near = min(stories, key=lambda s: (abs(size[s.id] - STORY_SIZE), -size[s.id]))
    return Survey(
        articles=articles,
        counts=counts,
        sizes=sorted(size.values(), reverse=True),
        near=near,
        largest=max(stories, key=lambda s: size[s.id]),  # the first, so most recent, of equals
        outlet=outlet_counts.most_common(1)[0][0] if outlet_counts else None,
        outlets=len(outlet_counts),
        entity=entities[0].id if entities else None,
        article=near.articles[0],
        gva=bool(set(outlet_counts) & _gva_repost_outlets()),
        word=words.most_common(1)[0][0] if words else GVA_QUERY,
    )


def _gva_repost_outlets() -> set[str]:
    try:
        return {name for name, _host in _stories_module().REPOST_OUTLETS}
    except ImportError:
        return set()


def endpoints(found: Survey, word: str) -> list[tuple[str, str]]:
    """(name, URL) of every endpoint measured, in order."""
    search = urlencode({"q": word})
    rows = [
        ("/", "/"),
        ("/stories/{id} ~300", f"/stories/{found.near.id}"),
        ("/api/stories/{id}/compare ~300", f"/api/stories/{found.near.id}/compare"),
    ]
    if found.largest.id != found.near.id:
        rows += [
            ("/stories/{id} largest", f"/stories/{found.largest.id}"),
            ("/api/stories/{id}/compare largest", f"/api/stories/{found.largest.id}/compare"),
        ]
    rows += [
        (f"/api/search?q={word}", f"/api/search?{search}"),
        (f"/search?q={word}", f"/search?{search}"),
        ("/api/articles?limit=50", "/api/articles?limit=50"),
        ("/articles", "/articles"),
    ]
    if found.outlet:
        rows.append(
            (f"/articles?outlet={found.outlet}", f"/articles?{urlencode({'outlet': found.outlet})}")
        )
    rows += [
        ("/entities", "/entities"),
        ("/api/entities?limit=50", "/api/entities?limit=50"),
        ("/quotes", "/quotes"),
        ("/api/quotes?limit=50", "/api/quotes?limit=50"),
    ]
    if found.entity:
        rows.append(("/entities/{id}", f"/entities/{found.entity}"))
    rows.append(("/articles/{id}", f"/articles/{found.article}"))
    return rows


def select(rows: list[tuple[str, str]], wanted: list[str] | None) -> list[tuple[str, str]]:
    """The rows ``wanted`` names: by whole name, else every row whose name contains it."""
    if not wanted:
        return rows
    names = [name for name, _url in rows]
    chosen: set[str] = set()
    for item in wanted:
        matches = {item} if item in names else {n for n in names if item in n}
        if not matches:
            print(f"  --endpoints {item!r} names no endpoint here")
        chosen |= matches
    if not chosen:
        raise SystemExit(f"no endpoint chosen; they are: {', '.join(names)}")
    return [(name, url) for name, url in rows if name in chosen]


# -- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(
    db: Path, port: int, log: IO[bytes] | None = None, wait: float = 60.0
) -> subprocess.Popen[bytes]:
    """The app under uvicorn in a subprocess, once it answers; its standard error to ``log``."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, str(db), HOST, str(port)], cwd=REPO_ROOT, stderr=log
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


def show_log(log: IO[bytes], lines: int = 30, width: int = 300) -> None:
    """How long the server's standard error is, and the end (where the exception is) of
    its first error: the last ``lines`` lines up to the second ``ERROR:`` line, each cut
    to ``width`` characters."""
    log.seek(0)
    text = log.read().decode("utf-8", "replace").splitlines()
    if not text:
        return
    starts = [i for i, line in enumerate(text) if line.startswith("ERROR:")]
    first = text[: starts[1]] if len(starts) > 1 else text
    shown = first[-lines:]
    print(
        f"server's standard error: {len(text):,} lines, {len(starts):,} errors; "
        f"the last {len(shown)} lines of the first:"
    )
    for line in shown:
        print(f"  | {line[:width]}{' ...' if len(line) > width else ''}")
    print()


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
    first: float | None = None  # seconds, the untimed first request (None when it failed)

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
) -> tuple[list[Result], list[str]]:
    """The results of the endpoints measured, and the names of those skipped (404)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        results, skipped = [], []
        for name, url in endpoints:
            first = None
            try:  # one untimed request first; it also shows a broken endpoint at once
                try:
                    sent = time.perf_counter()
                    warm = await client.get(url)
                except httpx.TransportError:  # a kept-alive connection the server dropped
                    sent = time.perf_counter()
                    warm = await client.get(url)
                if warm.status_code == 404:
                    print(f"  skipped {name}: {url} answered 404 (not in this version?)")
                    skipped.append(name)
                    continue
                if warm.is_success:
                    first = time.perf_counter() - sent
                else:
                    print(f"  warning: {url} answered {warm.status_code}: {warm.text[:200]}")
            except httpx.HTTPError as error:
                print(f"  warning: {url} failed: {type(error).__name__}: {error}")
            # Every request ends within `timeout`, so this bound is never the one that stops it.
            limit = seconds + timeout + 5
            result = await asyncio.wait_for(drive(client, name, url, seconds, concurrency), limit)
            result.first = first
            results.append(result)
            print(
                f"  {name}: {result.requests:,} requests, p95 "
                f"{percentile_ms(result.latencies, 0.95)} ms",
                flush=True,
            )
        return results, skipped


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile of ``values``, nearest rank; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def percentile_ms(values: list[float], q: float) -> str:
    """The ``q`` quantile of ``values`` (seconds) in ms, nearest rank; "-" for none."""
    value = percentile(values, q)
    return "-" if value is None else f"{value * 1000:.1f}"


def print_table(results: list[Result]) -> None:
    for line in table_lines(results):
        print(line)
    for r in results:
        if r.first_error:
            print(f"  {r.name}: first error: {r.first_error}")


def table_lines(results: list[Result]) -> list[str]:
    """The results as a Markdown table, its columns aligned."""
    header = ("endpoint", "requests", "req/s", "p50 ms", "p95 ms", "first ms", "errors")
    rows = [
        (
            r.name,
            f"{r.requests:,}",
            f"{r.requests / r.elapsed:.1f}" if r.elapsed else "-",
            percentile_ms(r.latencies, 0.50),
            percentile_ms(r.latencies, 0.95),
            "-" if r.first is None else f"{r.first * 1000:.1f}",
            str(r.errors),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if i else "-" * (w + 2) for i, w in enumerate(widths)
    )
    return [(line + " |").format(*header), rule + "|", *((line + " |").format(*r) for r in rows)]


DOCS = REPO_ROOT / "docs" / "benchmarks.md"
DOCS_START = "<!-- benchmarks/web.py --write-docs: from here -->"
DOCS_END = "<!-- benchmarks/web.py --write-docs: to here -->"


def write_docs(results: list[Result], found: Survey, args: argparse.Namespace) -> None:
    """Put the table, with what it was measured on, between the markers in
    docs/benchmarks.md (``--write-docs``)."""
    page = DOCS.read_text(encoding="utf-8")
    if DOCS_START not in page or DOCS_END not in page:
        raise SystemExit(f"{DOCS} has no {DOCS_START!r} ... {DOCS_END!r} to write between")
    before, rest = page.split(DOCS_START, 1)
    _, after = rest.split(DOCS_END, 1)
    largest = len(found.largest.articles)
    measured = (
        f"Measured {date.today().isoformat()} by `.venv/bin/python benchmarks/web.py"
        f"{' --analyse' if args.analyse else ''}` on {os.cpu_count()} cores (client and "
        f"server on one machine), Python {sys.version.split()[0]}: {found.articles:,} "
        f"articles, {len(found.sizes):,} stories (the largest of {largest} articles), "
        f"{args.concurrency} clients, {args.seconds:g} s per endpoint."
    )
    block = "\n".join([DOCS_START, "", measured, "", *table_lines(results), "", DOCS_END])
    DOCS.write_text(before + block + after, encoding="utf-8")
    print(f"the table is written in {DOCS.relative_to(REPO_ROOT)}")


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        choices=("auto", "gva", "shared", "examples"),
        default="auto",
        help="what to build the store from (default auto: gva when its data is there)",
    )
    parser.add_argument(
        "--articles", type=int, default=10_000, help="store size for shared, examples (10000)"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="load per endpoint (10)")
    parser.add_argument("--concurrency", type=int, default=8, help="client tasks (default 8)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, s (60)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for cleaning (ingest --workers for gva; default: CPU count)",
    )
    parser.add_argument(
        "--query", help="search word (default: police for gva, else the most common)"
    )
    parser.add_argument("--db", type=Path, help="store to use, or to build and keep")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="write the table into docs/benchmarks.md (between its markers)",
    )
    parser.add_argument(
        "--analyse",
        action="store_true",
        help="gva: also run `parallax analyze` (entities and quotes; about 10 minutes)",
    )
    parser.add_argument(
        "--endpoints",
        nargs="+",
        metavar="NAME",
        help="measure only these rows (a whole name, or a part of names)",
    )
    parser.add_argument(
        "--check-p95",
        type=float,
        metavar="MS",
        help="exit code 1 when an endpoint's p95 is above MS milliseconds",
    )
    args = parser.parse_args(argv)
    if args.articles < 20 or args.seconds <= 0 or args.concurrency < 1:
        parser.error("--articles must be at least 20, --seconds and --concurrency positive")

    with tempfile.TemporaryDirectory(prefix="parallax-web-bench-") as folder:
        db = args.db or Path(folder) / "bench.db"
        if args.db and args.db.exists():
            print(f"using the existing store {db}")
        else:
            try:
                corpus = resolve_corpus(args.corpus)
                build_store(db, args.articles, corpus, args.workers, args.analyse)
            except BaseException:
                for leftover in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm"))):
                    leftover.unlink(missing_ok=True)  # not reused half-built next time
                raise
        return bench(db, args)


def bench(db: Path, args: argparse.Namespace) -> int:
    found = survey(db)
    word = args.query or (GVA_QUERY if found.gva else found.word)
    rows = select(endpoints(found, word), args.endpoints)
    copies = found.counts.get("copies", 0)
    print(
        f"store: {found.articles:,} articles ({copies:,} copies) from {found.outlets:,} "
        f"outlets; {len(found.sizes):,} stories"
    )
    print(f"  largest stories: {', '.join(str(n) for n in found.sizes[:10])} articles")
    for label, story in (("~300", found.near), ("largest", found.largest)):
        print(
            f"  {label}: story {story.id}, {len(story.articles)} articles from "
            f"{len(story.outlets)} outlets"
        )
    print(f"  most articles: outlet {found.outlet!r}; entity: {found.entity or 'none'}")
    if not found.entity:
        print("  (no entity in the store, so /entities/{id} is not measured)")
    port = free_port()
    print(
        f"server: http://{HOST}:{port}; load: {args.concurrency} concurrent, "
        f"{args.seconds:g} s per endpoint; cores: {os.cpu_count()}",
        flush=True,
    )
    with tempfile.TemporaryFile() as log:
        try:
            server = start_server(db, port, log)
            try:
                results, skipped = asyncio.run(
                    run_load(
                        f"http://{HOST}:{port}", rows, args.seconds, args.concurrency, args.timeout
                    )
                )
            finally:
                stop_server(server)
        finally:
            print()
            show_log(log)
    print_table(results)
    if args.write_docs:
        write_docs(results, found, args)
    if skipped:
        print(f"  skipped (404): {', '.join(skipped)}")
    failed = any(r.errors for r in results)
    if args.check_p95 is not None:
        over = [
            r.name
            for r in results
            if (p95 := percentile(r.latencies, 0.95)) is None or p95 * 1000 > args.check_p95
        ]
        if over:
            print(f"p95 above {args.check_p95:g} ms: {', '.join(over)}")
        else:
            print(f"p95 within {args.check_p95:g} ms on every endpoint measured")
        failed = failed or bool(over)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
