"""Where the per-article stages (cleaning, language analysis) run: a local process pool
(the default) or a Dask cluster. Either way results come back to the calling process in
input order, and only that process writes to the store."""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

from parallax.errors import ParallaxError

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

ENGINES = ("local", "dask")
T = TypeVar("T")
R = TypeVar("R")
H = TypeVar("H")  # a handle on a submitted chunk
# Chunks in flight per worker: enough that a worker never waits for its next chunk, few
# enough that a corpus of any size is never all in memory at once.
TASKS_PER_WORKER = 4
# How often a worker's watchdog thread checks that its parent is still there (seconds).
PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Engine(Protocol):
    """Applies a function to items elsewhere and gives the results back in input order;
    a context manager that stops its workers on exit."""

    def map(
        self, function: Callable[[T], R], items: Iterable[T], chunksize: int = 1
    ) -> Iterator[R]:
        """``function`` of every item, in input order; ``chunksize`` items travel together."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class LocalEngine(Engine):
    """A spawn process pool on this machine, started on first use; one worker runs
    everything in this process (no pool to start, nothing to pickle)."""

    def __init__(self, workers: int | None = None) -> None:
        self._workers = workers if workers is not None else default_workers()
        self._pool: multiprocessing.pool.Pool | None = None

    def map(
        self, function: Callable[[T], R], items: Iterable[T], chunksize: int = 1
    ) -> Iterator[R]:
        if self._workers <= 1:
            return map(function, items)
        if self._pool is None:
            # Spawn, not fork: a forked child would inherit the store's open SQLite handle.
            self._pool = multiprocessing.get_context("spawn").Pool(
                self._workers, initializer=die_with_parent, initargs=(os.getpid(),)
            )
        pool = self._pool
        return _in_order(
            lambda chunk: pool.apply_async(_apply, (function, chunk)),
            lambda task: task.get(),
            items,
            chunksize,
            TASKS_PER_WORKER * self._workers,
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class DaskEngine(Engine):
    """A Dask cluster: the one at ``scheduler`` ("tcp://host:port"), or else a local cluster
    of ``workers`` single-threaded worker processes, started for this engine and stopped
    with it."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ParallaxError(
                f"the dask engine needs Dask ({exc}): pip install 'parallax-news[dask]'"
            ) from exc
        self._cluster: LocalCluster | None = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=workers if workers is not None else default_workers(),
                # One thread per process: spaCy and the cleaners hold the GIL.
                threads_per_worker=1,
                processes=True,
                # Any free port: the scheduler always serves HTTP, by default on 8787,
                # and warns when that is taken (by another cluster, say).
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            self.client: Client = Client(self._cluster)
        else:
            try:
                self.client = Client(scheduler)
            except (OSError, TimeoutError) as exc:
                raise ParallaxError(
                    f"cannot reach the Dask scheduler at {scheduler} ({exc}); is 'dask "
                    "scheduler' running there? Leave out --scheduler for a local cluster"
                ) from exc

    @property
    def workers(self) -> int:
        """Worker threads in the cluster now (workers may join or leave a real cluster)."""
        return sum(self.client.nthreads().values())

    def map(
        self, function: Callable[[T], R], items: Iterable[T], chunksize: int = 1
    ) -> Iterator[R]:
        # pure=False: two equal chunks (the same document twice) are two tasks, as locally.
        return _in_order(
            lambda chunk: self.client.submit(_apply, function, chunk, pure=False),
            self._result,
            items,
            chunksize,
            TASKS_PER_WORKER * max(1, self.workers),
        )

    @staticmethod
    def _result(future: Future) -> list[Any]:
        try:
            return future.result()
        except ModuleNotFoundError as exc:
            raise ParallaxError(
                f"a Dask worker cannot run Parallax ({exc}): install parallax-news[dask] and "
                "the spaCy model on every worker (docs/dask.md)"
            ) from exc

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _in_order(
    submit: Callable[[list[T]], H],
    collect: Callable[[H], list[R]],
    items: Iterable[T],
    chunksize: int,
    window: int,
) -> Iterator[R]:
    """Results of ``items`` submitted in chunks, in input order, with at most ``window``
    chunks in flight: the input is read as results are taken, never all at once."""
    iterator = iter(items)
    chunks = iter(lambda: list(islice(iterator, chunksize)), [])
    pending = deque(submit(chunk) for chunk in islice(chunks, window))
    while pending:
        results = collect(pending.popleft())
        pending.extend(submit(chunk) for chunk in islice(chunks, 1))
        yield from results


def die_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` (the process that started it) ends,
    however it ends: a pool worker otherwise waits for tasks forever after a ``kill -9``
    of its parent, holding its memory (a spaCy model, hundreds of MB) and files.

    The initializer of every local pool. On Linux the kernel sends this process SIGKILL
    when its parent dies (``prctl(PR_SET_PDEATHSIG)``); should the parent have died before
    that was set, the parent is already another process and this one exits at once. A
    daemon thread also polls the parent, on any system: the kernel's signal goes out
    when the parent's *thread* that started the worker ends, and other systems have no
    such signal. (Dask's workers watch their nanny themselves.)
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl here: the watchdog thread still ends the worker
    if os.getppid() != parent:
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch_parent, args=(parent,), name="parallax-parent-watch", daemon=True
    )
    watchdog.start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)  # orphaned: nobody will read the results, so do not wait for the task


def _apply(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def make_engine(name: str, scheduler: str | None = None, workers: int | None = None) -> Engine:
    """The engine called ``name`` ("local" or "dask"); ``scheduler`` is Dask's only."""
    if name == "local":
        if scheduler is not None:
            raise ParallaxError("--scheduler needs --engine dask")
        return LocalEngine(workers)
    if name == "dask":
        return DaskEngine(scheduler, workers)
    raise ParallaxError(f"unknown engine {name!r}: one of {', '.join(ENGINES)}")
