"""Reading what the `parallax` command prints."""

from __future__ import annotations

import json
from typing import Any


def json_values(output: str) -> list[Any]:
    """Every JSON value in ``output``: one document, JSON Lines, or pretty-printed
    documents one after another."""
    decoder, text, values, at = json.JSONDecoder(), output.strip(), [], 0
    while at < len(text):
        value, at = decoder.raw_decode(text, at)
        values.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return values
