"""Web: a JSON API under ``/api`` and server-rendered pages over the store
(``parallax serve``)."""

from parallax.web.app import create_app, serve

__all__ = ["create_app", "serve"]
