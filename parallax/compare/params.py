"""The comparison's settings, in one place, each with the evidence for its value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompareParams:
    """How claims are split, aligned across outlets and quotes matched.

    ``same_claim``: two claims of different outlets are one claim when
    ``parallax.same_claim`` gives them this much or more. 0.5 is the model's own
    decision point (its output is a logistic probability fitted on MSRP's human
    judgements; ECB+ 1-35 alignment at 0.5: precision 0.910, recall 0.130,
    docs/benchmarks.md), and the point the issue fixes for the public function.

    ``candidate_keys``: only claims sharing one of each other's rarest features (content
    words, figures, entities) are scored: two statements of one claim share at least one,
    and a story of many articles does not score every pair. Eight is what the word
    test before it used; it keeps a 50-article story's comparison near a second
    (``benchmarks/compare.py``).

    ``min_claim_words``: a clause or sentence with fewer words states no claim worth
    aligning ("he said", a caption credit).

    ``quote_overlap``/``quote_min_words``: two quotes are one when this share of the
    shorter one's content words (at least ``quote_min_words`` of them) is in the other:
    outlets trim and re-punctuate a quote, they rarely change more than a third of it.
    """

    same_claim: float = 0.5
    candidate_keys: int = 8
    min_claim_words: int = 5
    quote_overlap: float = 0.6
    quote_min_words: int = 4


DEFAULT_PARAMS = CompareParams()
