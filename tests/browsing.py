"""Watching what a page does in the headless browser."""

from __future__ import annotations


def watch_page(page, allowed: tuple[str, ...]) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Lists that fill with the page's console errors and uncaught exceptions, and with
    every request whose URL starts with none of ``allowed``."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    return errors, outside
