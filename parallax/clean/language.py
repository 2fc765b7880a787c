"""Language identification with a lazily built detector over the languages news comes in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_LANGUAGES = [
    Language.ENGLISH,
    Language.GERMAN,
    Language.FRENCH,
    Language.SPANISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.DUTCH,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.POLISH,
    Language.TURKISH,
    Language.ARABIC,
    Language.CHINESE,
    Language.JAPANESE,
    Language.SWEDISH,
    Language.DANISH,
    Language.BOKMAL,
    Language.FINNISH,
    Language.CZECH,
    Language.ROMANIAN,
    Language.HUNGARIAN,
    Language.GREEK,
    Language.KOREAN,
    Language.HINDI,
    Language.INDONESIAN,
    Language.PERSIAN,
    Language.HEBREW,
]


@dataclass(frozen=True)
class Detection:
    """How the language of a text is detected (one detector per process, built on first use).

    ``sample_chars``: only the start of the text is read, so time and memory do not grow
    with it; 400 characters settle news prose. ``languages``: the languages news comes in
    (all of lingua's 75 cost 1.3 GB). ``low_accuracy``: lingua's trigram models only.
    Evidence (``benchmarks/bounds.py``, docs/benchmarks.md, "Bounds on one article"):
    the low-accuracy detector holds about half the memory of the high-accuracy one once
    every language has been seen, is faster, and names the same language on every
    sample of the 27 languages (also cut to 40 characters) and on the English news and
    the bundled examples; lingua documents its lower accuracy for texts under about 120
    characters, far below the sample.
    """

    sample_chars: int = 400
    languages: tuple[Language, ...] = tuple(_LANGUAGES)
    low_accuracy: bool = True
    min_words: int = 3  # fewer words than this are too little to tell


DEFAULT_DETECTION = Detection()


@lru_cache(maxsize=2)
def detector(detection: Detection = DEFAULT_DETECTION) -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*detection.languages)
    if detection.low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def detect_language(text: str, detection: Detection = DEFAULT_DETECTION) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little to tell."""
    sample = text[: detection.sample_chars]
    if len(sample.split()) < detection.min_words:
        return None
    language = detector(detection).detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None
