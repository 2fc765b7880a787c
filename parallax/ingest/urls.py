"""Which article URLs are kept: only web addresses a reader's browser may follow."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r'[\s<>"\x00-\x1f\x7f]')


def web_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) address with a host, else None: a feed's
    ``javascript:``, ``vbscript:`` or ``data:`` "link" must never become the article's."""
    if not value:
        return None
    value = value.strip()
    if _UNSAFE.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value
