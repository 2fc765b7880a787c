"""The web application: the JSON API and the pages over one store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax.errors import ParallaxError
from parallax.store import Store
from parallax.web import api, pages


def create_app(db: str | Path, *, token: str | None = None) -> FastAPI:
    """The application serving the store at ``db``; ``token`` turns on ``POST /api/ingest``
    for clients that send it."""
    Store(db).close()  # fails early, with the store's own message, on a file that is not one
    app = FastAPI(
        title="Parallax",
        summary="News articles, their entities, quotes and stories, compared across outlets.",
        version="1",
    )
    app.state.db = str(db)
    app.state.token = token
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


def serve(
    db: str | Path, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None
) -> None:
    """Serve the store until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="warning")
