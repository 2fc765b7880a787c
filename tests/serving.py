"""A real uvicorn server on loopback, in a thread, for the web tests."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from parallax.web import create_app

# An upload the web tests send: an invented report, not in the bundled examples.
ARTICLE = (
    "Lighthouse keepers return to Vardholm island\n\n"
    "The last lighthouse on Vardholm island has been staffed again after twelve years of "
    "automatic operation, the coastal authority said on Friday. Two keepers will live on the "
    "island from April to October and guide the fishing fleet through the narrow sound. "
    "“The sound is too dangerous to leave to a machine alone,” said harbour master Ingrid "
    "Solvik. The authority will spend 1.2 million kroner on repairs to the keepers' house."
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A uvicorn server in a thread on 127.0.0.1, for ``create_app(db, **options)``;
    started on entering, stopped on leaving."""

    def __init__(self, db: Path, **options: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(db, **options)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="critical")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def get(server: Server, path: str, **params: object) -> httpx.Response:
    """A GET of ``path`` on ``server`` with query ``params``."""
    return httpx.get(server.url + path, params=params, timeout=60)
