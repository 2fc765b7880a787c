"""Reading what the `parallax` command prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def parallax_output(*args: str, db: str, cwd: Path | None = None) -> str:
    """What ``parallax ARGS --db DB`` prints; the command must succeed."""
    result = subprocess.run(
        [sys.executable, "-m", "parallax", *args, "--db", db],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


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
