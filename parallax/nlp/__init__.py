"""Language analysis: people, organisations and places, and who said what.

spaCy parses each article's body and captions; small components on top of
its parse find mentions with corrected types, roles, in-article references
and quotes. Cross-article identity is ``parallax.resolve``'s job.
"""

from parallax.nlp.analysis import (
    DEFAULT_LIMITS,
    DEFAULT_QUOTE_THRESHOLDS,
    MIN_QUOTE_CONFIDENCE,
    AnalysisLimits,
    analyze_articles,
    analyze_docs,
    analyze_texts,
    apply_resolution,
    bounded_fields,
    link_speaker,
)
from parallax.nlp.quotes import find_quotes
from parallax.nlp.spacy_model import DEFAULT_MODEL, MODELS, load_pipeline

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MODEL",
    "DEFAULT_QUOTE_THRESHOLDS",
    "MIN_QUOTE_CONFIDENCE",
    "MODELS",
    "AnalysisLimits",
    "analyze_articles",
    "analyze_docs",
    "analyze_texts",
    "apply_resolution",
    "bounded_fields",
    "find_quotes",
    "link_speaker",
    "load_pipeline",
]
