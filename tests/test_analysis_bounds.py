"""The analysis of one article is bounded: a huge article is analysed up to the limits, at a
paragraph or sentence boundary, and says so; language detection reads a bounded sample."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from parallax import pipeline
from parallax.clean import clean_document
from parallax.clean.language import DEFAULT_DETECTION, Detection, detect_language
from parallax.examples import ARTICLES_DIR
from parallax.model import Article, RawDocument
from parallax.nlp import DEFAULT_LIMITS, AnalysisLimits, analyze_articles, bounded_fields
from parallax.nlp.analysis import analyze_texts, cut
from parallax.resolve import load_knowledge_base
from parallax.store import Store

KNOWLEDGE = load_knowledge_base()

# The article paragraphs of the example text files, as the cleaner finds them (the files
# also hold menus, comments and footers, which a long concatenation must not be made of).
PARAGRAPHS = [
    paragraph
    for path in sorted(ARTICLES_DIR.glob("*.txt"))
    for paragraph in clean_document(
        RawDocument(path.name, "text", path.read_text(encoding="utf-8"), is_html=False)
    ).text.split("\n\n")
    if len(paragraph.split()) >= 8
]


def long_text(chars: int) -> str:
    """The example articles' paragraphs repeated to at least ``chars`` characters, each
    repetition numbered (a paragraph a page prints twice word for word is furniture)."""
    out: list[str] = []
    while sum(len(p) + 2 for p in out) < chars:
        n = len(out)
        repeat = n // len(PARAGRAPHS)
        paragraph = PARAGRAPHS[n % len(PARAGRAPHS)]
        out.append(f"Update {repeat}: {paragraph}" if repeat else paragraph)
    return "\n\n".join(out)


def article(text: str, captions: list[str] | None = None) -> Article:
    return Article(
        "a1", "a1.txt", None, None, None, [], [], [], None, [], "en", text, captions or [], []
    )


def test_a_cut_ends_at_a_paragraph_then_a_sentence_then_a_word() -> None:
    text = "First paragraph here.\n\nSecond one is longer. It has two sentences."
    assert cut(text, len(text)) == text
    assert cut(text, 40) == "First paragraph here."
    sentences = "One sentence ends. Another sentence runs on and on without end"
    assert cut(sentences, 30) == "One sentence ends."
    words = "a run of words without any sentence end at all"
    assert cut(words, 20) == "a run of words"
    assert cut("x" * 50, 20) == "x" * 20
    # Always a prefix: offsets into the article hold for what is analysed.
    long = long_text(30_000)
    for limit in (1_000, 7_777, 20_000):
        head = cut(long, limit)
        assert long.startswith(head) and limit / 2 <= len(head) <= limit
        assert long[len(head) :].startswith("\n\n")


def test_fields_are_bounded_body_and_captions_apart() -> None:
    limits = AnalysisLimits(max_chars=1_000, max_caption_chars=100)
    captions = ["A caption of some words." * 2, "Another caption, cut." * 4, "Skipped."]
    fields, truncated = bounded_fields(article(long_text(5_000), captions), limits)
    names = [name for name, _ in fields]
    assert names == ["text", "caption:0", "caption:1"]
    assert truncated == ("text", "caption:1", "caption:2")
    assert len(fields[0][1]) <= 1_000 and sum(len(t) for _, t in fields[1:]) <= 100
    whole, none = bounded_fields(article("Short text.", ["A caption."]))
    assert none == () and whole == [("text", "Short text."), ("caption:0", "A caption.")]
    unbounded = AnalysisLimits(max_chars=None, max_caption_chars=None)
    assert bounded_fields(article(long_text(5_000), captions), unbounded)[1] == ()


def test_a_long_article_is_analysed_up_to_the_limit_and_says_so() -> None:
    text = long_text(20_000)
    limits = AnalysisLimits(max_chars=4_000)
    (bounded,) = analyze_articles([article(text)], knowledge=KNOWLEDGE, limits=limits)
    analysed = len(cut(text, 4_000))
    assert bounded.truncated == ("text",)
    assert bounded.mentions and bounded.quotes
    assert all(m.end <= analysed for m in bounded.mentions)
    assert all(q.end <= analysed for q in bounded.quotes)
    # What is analysed is analysed as it would be as a whole article of that length.
    (head,) = analyze_articles([article(text[:analysed])], knowledge=KNOWLEDGE, limits=limits)
    assert head.truncated == ()
    assert replace(bounded, truncated=()) == head
    (text_analysis,) = analyze_texts([text], knowledge=KNOWLEDGE, limits=limits)
    assert text_analysis.truncated == ("text",)
    assert text_analysis.mentions == replace(head, article_id="0").mentions


def test_spacy_refuses_what_the_limits_would_not_let_through() -> None:
    from parallax.nlp import load_pipeline

    assert load_pipeline().max_length == DEFAULT_LIMITS.max_chars


def test_a_huge_article_is_stored_analysed_in_part(tmp_path: Path) -> None:
    """Through the cleaner and `analyze`: the report names the article cut, and every
    stored mention and quote lies in the analysed start."""
    assert DEFAULT_LIMITS.max_chars is not None
    huge = tmp_path / "huge.txt"
    huge.write_text("A very long report\n\n" + long_text(3 * DEFAULT_LIMITS.max_chars))
    with Store(tmp_path / "store.db") as store:
        pipeline.ingest([huge, ARTICLES_DIR / "reuters-constanta-talks.txt"], store, workers=1)
        (stored,) = [a for a in store.articles() if a.source.endswith("huge.txt")]
        assert len(stored.text) > DEFAULT_LIMITS.max_chars
        report = pipeline.analyze(store)
        assert report.analysed == 2 and report.truncated == [stored.id]
        analysis = store.analysis(stored.id)
    assert analysis is not None and analysis.mentions and analysis.quotes
    end = max([m.end for m in analysis.mentions] + [q.end for q in analysis.quotes])
    assert end <= DEFAULT_LIMITS.max_chars


SAMPLES = {
    "en": "The council voted on Tuesday to delay the new ferry tariff until the spring.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, die neue Gebühr für die Fähre zu verschieben.",
    "pt": "A câmara municipal decidiu na terça-feira adiar para a primavera a nova tarifa.",
    "es": "El ayuntamiento decidió el martes aplazar hasta la primavera la nueva tarifa.",
    "ru": "Городской совет во вторник решил отложить новый тариф на паром до весны.",
    "uk": "Міська рада у вівторок вирішила відкласти новий тариф на пором до весни.",
    "da": "Byrådet besluttede tirsdag at udskyde den nye færgetakst til foråret.",
    "nb": "Bystyret vedtok tirsdag å utsette den nye fergetaksten til våren.",
}


@pytest.mark.parametrize("low_accuracy", [True, False])
def test_language_detection_tells_close_languages_apart(low_accuracy: bool) -> None:
    detection = Detection(low_accuracy=low_accuracy)
    found = {code: detect_language(text, detection) for code, text in SAMPLES.items()}
    assert found == {code: code for code in SAMPLES}
    assert detect_language("Too short", detection) is None


def test_language_detection_reads_a_bounded_sample() -> None:
    """The default detector is the light one and reads only the start of a text."""
    assert DEFAULT_DETECTION.low_accuracy and DEFAULT_DETECTION.sample_chars == 400
    german_then_english = SAMPLES["de"] * 6 + " " + SAMPLES["en"] * 1_000
    assert detect_language(german_then_english) == "de"
    for path in sorted(ARTICLES_DIR.glob("*.txt")):
        assert detect_language(path.read_text(encoding="utf-8")) == "en"
