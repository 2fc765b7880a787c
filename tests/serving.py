"""A real uvicorn server on loopback, in a thread, for the web tests."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

from parallax.web import create_app


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
