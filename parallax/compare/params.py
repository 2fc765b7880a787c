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

    ``cross_encoder_pairs``: of a story's candidate pairs, at most this many (those the
    network is least sure of first) are also read by ``same_claim``'s cross-encoder, which
    judges about 65 pairs a second on two cores where the network judges thousands. None
    by default: on ECB+ 1-35 reading it did not improve alignment (precision 0.908, recall
    0.124, against 0.910 and 0.130 for the network alone), read in full it made a story of
    50 outlets take 14 s to compare and one of 200 take 140 s, and grouping compares every
    story it makes (even 32 a story took the story gate from 40 s to over ten minutes;
    docs/benchmarks.md). ``parallax.same_claim(a, b)`` always reads it.

    ``min_claim_words``: a clause or sentence with fewer words states no claim worth
    aligning ("he said", a caption credit).

    ``quote_overlap``/``quote_min_words``: two quotes are one when this share of the
    shorter one's content words (at least ``quote_min_words`` of them) is in the other:
    outlets trim and re-punctuate a quote, they rarely change more than a third of it.
    """

    same_claim: float = 0.5
    candidate_keys: int = 8
    cross_encoder_pairs: int = 0
    min_claim_words: int = 5
    quote_overlap: float = 0.6
    quote_min_words: int = 4


DEFAULT_PARAMS = CompareParams()
