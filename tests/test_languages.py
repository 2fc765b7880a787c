"""An article is analysed with a model of its language, or marked as not analysed: a
German text read by the English model turns its nouns into people and places."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import parallax
from parallax.compare import compare_story
from parallax.compare.render import to_html, to_markdown
from parallax.model import ArticleAnalysis, Mention, Story
from parallax.nlp.spacy_model import model_for

GERMAN = (
    "Treffen der Minister in Lindenau ohne Ergebnis\n\n"
    "Das Treffen der Verkehrsminister in Lindenau ist am Dienstag ohne Einigung zu Ende "
    "gegangen. Die Sicherheit auf den Brücken bleibt nach Angaben der Behörden das "
    "wichtigste Thema, und die Gespräche sollen im Herbst fortgesetzt werden. Die "
    "Bürgermeisterin Ilse Harrach sagte, man habe viel gelernt, aber wenig entschieden."
)
FRENCH = (
    "La mairie de Rochebrune rouvre le pont du Moulin\n\n"
    "Camille Verdier, maire de Rochebrune, a annoncé mardi la réouverture du pont du "
    "Moulin après onze semaines de travaux. Les ingénieurs du département ont remplacé "
    "quarante poutres, et la circulation reprendra dès jeudi matin selon la préfecture."
)
ENGLISH = (
    "Lindenau ministers end talks without a deal\n\n"
    "Transport ministers meeting in Lindenau ended their talks on Tuesday without an "
    "agreement, the city's mayor Ilse Harrach said. Bridge safety remains the main "
    "question, and the talks will resume in the autumn, officials said."
)


def items() -> list[dict]:
    return [
        {"text": text, "title": text.split("\n")[0], "url": f"https://news.example/{name}"}
        for name, text in (("de", GERMAN), ("fr", FRENCH), ("en", ENGLISH))
    ]


def by_language(corpus: parallax.Corpus) -> dict[str, ArticleAnalysis]:
    languages = {a.id: a.language for a in corpus.store.articles()}
    return {languages[a.article_id]: a for a in corpus.store.analyses()}


def test_each_article_is_analysed_in_its_language_or_marked(tmp_path: Path) -> None:
    with parallax.Corpus(tmp_path / "store.db") as corpus:
        corpus.ingest(items())
        report = corpus.analyze()
        assert (report.analysed, report.no_model) == (2, {"de": 1})
        found = by_language(corpus)
        german, french, english = found["de"], found["fr"], found["en"]
        assert german.mentions == () and german.quotes == () and german.model == ""
        assert "German (de)" in (german.not_analysed or "")
        assert french.model == "fr_core_news_sm" and french.not_analysed is None
        assert "Camille Verdier" in {m.text for m in french.mentions if m.type == "person"}
        assert english.model == model_for("en") and english.not_analysed is None
        assert "Ilse Harrach" in {m.text for m in english.mentions if m.type == "person"}

        again = corpus.analyze()
        assert (again.analysed, again.skipped, again.no_model) == (0, 2, {"de": 1})


def test_an_earlier_english_reading_of_a_german_article_is_dropped(tmp_path: Path) -> None:
    with parallax.Corpus(tmp_path / "store.db") as corpus:
        corpus.ingest(items()[:1])
        (article,) = corpus.store.articles()
        wrong = Mention(text="Treffen", type="person", start=0, end=7, field="text")
        corpus.store.write_analyses([ArticleAnalysis(article.id, (wrong,), (), model_for("en"))])
        corpus.analyze()
        (analysis,) = corpus.store.analyses()
        assert analysis.mentions == () and analysis.not_analysed
        assert corpus.entities() == []


def test_show_export_and_compare_say_why(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with parallax.Corpus(db) as corpus:
        corpus.ingest(items())
        corpus.analyze()
        articles = list(corpus.store.articles())
        german = next(a for a in articles if a.language == "de")
        record = corpus.article(german.id).to_dict()
        assert "German (de)" in record["not_analysed"] and record["entities"] == []
        analyses = {a.article_id: a for a in corpus.store.analyses()}
        story = Story(id="s", title="Lindenau", articles=tuple(a.id for a in articles))
        comparison = compare_story(story, articles, analyses)
        refs = {ref.id: ref for ref in comparison.articles}
        assert "German" in (refs[german.id].not_analysed or "")
        assert all(refs[a.id].not_analysed is None for a in articles if a.id != german.id)
        assert "not analysed: no language model for German (de)" in to_markdown(comparison)
        assert "not analysed: no language model for German (de)" in to_html(comparison)
    shown = subprocess.run(
        [sys.executable, "-m", "parallax", "show", german.id, "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "German (de)" in json.loads(shown.stdout)["not_analysed"]
    summary = subprocess.run(
        [sys.executable, "-m", "parallax", "analyze", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "not analysed: no model for de" in summary.stdout
