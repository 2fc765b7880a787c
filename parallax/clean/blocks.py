"""Split text into paragraphs with their character spans, and the features rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERMINAL = (".", "!", "?", '"', "”", "’", "“", "»", "«", ")", ":", ";")
_ELLIPSIS = re.compile(r"(?:\.\s?\.\s?\.|…)\s*$")
_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*-]|\d+[.)])\s+")


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def ends_sentence(self) -> bool:
        return self.text.rstrip().endswith(_TERMINAL)

    @property
    def truncated(self) -> bool:
        return bool(_ELLIPSIS.search(self.text))

    @property
    def is_bullet(self) -> bool:
        return bool(_BULLET.match(self.text))

    @property
    def headline_like(self) -> bool:
        """Short, capitalised and without closing punctuation: a title, kicker or heading."""
        words = self.words
        return (
            0 < len(words) <= 25
            and not self.ends_sentence
            and not self.truncated
            and re.sub(r"^\W+", "", self.text)[:1].isupper()
        )


def normalise(text: str) -> str:
    """Unify line endings and invisible spaces so spans and rules see one form."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of plain text, each with its span in ``text``.

    Blank lines separate paragraphs. Inside a blank-line block, lines are
    joined only when they look hard-wrapped (similar lengths, not ending a
    sentence); otherwise each line is its own paragraph, as scraped text
    usually puts one paragraph per line.
    """
    paragraphs: list[Paragraph] = []
    for block in re.finditer(r"[^\n]+(?:\n[^\S\n]*[^\s][^\n]*)*", text):
        lines = list(re.finditer(r"[^\n]+", block.group()))
        lines = [line for line in lines if line.group().strip()]
        if _hard_wrapped([line.group() for line in lines]):
            paragraphs.append(_paragraph(text, block.start(), block.end(), joined=True))
            continue
        for line in lines:
            paragraphs.append(
                _paragraph(text, block.start() + line.start(), block.start() + line.end())
            )
    return paragraphs


def _paragraph(text: str, start: int, end: int, joined: bool = False) -> Paragraph:
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    content = raw.strip()
    if joined:
        content = re.sub(r"\s*\n\s*", " ", content)
    return Paragraph(content, start + lead, end - trail)


def _hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    body = [line.strip() for line in lines[:-1]]
    if not all(40 <= len(line) <= 100 for line in body):
        return False
    ending = sum(line.endswith(_TERMINAL) for line in body)
    return ending <= len(body) / 3
