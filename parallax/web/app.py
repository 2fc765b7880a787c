"""The web application: the JSON API and the pages over one store."""

from __future__ import annotations

import errno
import gc
import socket
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parallax.errors import ParallaxError
from parallax.store import Store
from parallax.web import api, pages

# Host names a browser on this machine uses for a server on loopback; any other name in
# a request's Host header is refused, so that a page from elsewhere whose name was pointed
# at 127.0.0.1 (DNS rebinding) cannot read the store through the reader's browser.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")

# Every answer's headers: no script or style but the server's own files, nothing from
# other hosts, no framing, no type guessing, no address of this server given away.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


# Requests read the store on worker threads, this many at once; the others wait their
# turn. More threads than cores share the interpreter's lock with the thread that sends
# the answers, and every answer comes later: at 8 clients on 2 cores, 2 threads answer a
# page of 50 articles at p95 78 ms, 4 at 107 ms, 8 at 172 ms (docs/benchmarks.md).
REQUEST_THREADS = 2


@asynccontextmanager
async def _request_threads(app: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    yield


class _Parallax(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's own error middleware, so that a 500 has the headers too.
        checked = TrustedHostMiddleware(super().build_middleware_stack(), self.state.hosts)
        return _SecurityHeaders(checked)


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_names(hosts: Iterable[str]) -> list[str]:
    """The Host header names allowed: loopback's, and each of ``hosts`` (an IPv6 address
    in brackets, as it appears in a URL)."""
    names = list(LOOPBACK_HOSTS)
    for host in hosts:
        name = host.strip().lower()
        if ":" in name and not name.startswith("["):
            name = f"[{name}]"
        if name and name not in names:
            names.append(name)
    return names


def create_app(
    db: str | Path,
    *,
    token: str | None = None,
    hosts: Iterable[str] = (),
    threads: int = REQUEST_THREADS,
) -> FastAPI:
    """The application serving the store at ``db``; ``token`` turns on ``POST /api/ingest``
    for clients that send it. Requests are answered only for loopback host names and the
    names in ``hosts`` (others get 400), on ``threads`` worker threads at once."""
    if threads < 1:
        raise ValueError(f"a server needs at least one request thread, not {threads}")
    Store(db).close()  # fails early, with the store's own message, on a file that is not one
    app = _Parallax(
        title="Parallax",
        summary="News articles, their entities, quotes and stories, compared across outlets.",
        version="1",
        # Swagger UI and ReDoc load scripts from a CDN: off; the schema stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
        lifespan=_request_threads,
    )
    app.state.db = str(db)
    app.state.threads = threads
    app.state.token = token
    app.state.hosts = host_names(hosts)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        headers = getattr(error, "headers", None)  # e.g. Allow on a 405
        if _wants_json(request):
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=headers
            )
        page = pages.error_page(request, error.status_code, str(error.detail))
        page.headers.update(headers or {})
        return page

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        if _wants_json(request):
            errors = jsonable_encoder(error.errors(), custom_encoder={Exception: str})
            return JSONResponse({"detail": problems, "errors": errors}, status_code=422)
        return pages.error_page(request, 422, problems)

    @app.exception_handler(ParallaxError)
    async def parallax_error(request: Request, error: ParallaxError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": str(error)}, status_code=422)
        return pages.error_page(request, 422, str(error))

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


class PortInUse(OSError):
    """The port to serve on is taken by another server."""


def listening_socket(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A socket bound to ``host``:``port``, for ``serve``: binding first tells a busy port
    apart before anything is printed or started. Raises ``PortInUse``, or ``OSError``."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(error.errno, f"port {port} is in use") from error
        raise
    return sock


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    hosts: Iterable[str] = (),
    sock: socket.socket | None = None,
    threads: int = REQUEST_THREADS,
) -> None:
    """Serve the store until interrupted, on ``sock`` if given (see ``listening_socket``),
    else on ``host``:``port``. ``hosts`` are more host names to answer for besides
    loopback's and ``host``; ``threads`` requests are answered at once."""
    import uvicorn

    app = create_app(db, token=token, hosts=[host, *hosts], threads=threads)
    if sock is None:
        sock = listening_socket(host, port)
    # What is loaded now lives as long as the server: out of the collector's way, so that
    # a collection during a request walks only what requests made.
    gc.collect()
    gc.freeze()
    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
