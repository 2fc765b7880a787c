"""Compare: what each outlet reports about one story, side by side, and where they disagree.

``compare_story`` builds a ``Comparison`` (the ``compare --json`` contract) from a
story's articles, analyses and entities; ``render`` turns it into a terminal view,
Markdown or a self-contained HTML page.
"""

from parallax.compare.compare import compare_story, outlet_of
from parallax.compare.model import (
    ArticleRef,
    Comparison,
    Conflict,
    Fact,
    OutletView,
    Participant,
    QuoteReport,
    Source,
)

__all__ = [
    "ArticleRef",
    "Comparison",
    "Conflict",
    "Fact",
    "OutletView",
    "Participant",
    "QuoteReport",
    "Source",
    "compare_story",
    "outlet_of",
]
