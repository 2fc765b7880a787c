"""Cleaning scraped plain text with the learned paragraph classifier (issue 28), on naive
dumps written for these tests, and the parts of benchmarks/plaintext.py that score it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from parallax.clean import clean_document
from parallax.clean.blocks import split_paragraphs
from parallax.clean.learned import (
    FEATURE_NAMES,
    LEARNED_REASON,
    SEQUENCE_FEATURE_NAMES,
    WordScores,
    load_body_model,
    paragraph_features,
    sequence_features,
    token_count,
    word_grams,
)
from parallax.clean.text import UNRENDERED_REASON, rule_labels
from parallax.errors import UnreadableDocument
from parallax.model import Article, RawDocument
from tests.benchmarking import benchmark_module

DATA = Path(__file__).parent / "data" / "plaintext"
MODEL = Path(__file__).resolve().parents[1] / "parallax" / "clean" / "data" / "body_model.json"


def _clean(name: str) -> Article:
    text = (DATA / name).read_text(encoding="utf-8")
    return clean_document(RawDocument(name, "text", text, is_html=False))


def _body_paragraphs(name: str) -> list[str]:
    """The fixture's article paragraphs: the long lines that end a sentence, but for the
    cookie notice and the teasers (a teaser's headline is glued to its summary,
    "...pay deal is agreedThe two-day strike ...")."""
    lines = [line.strip() for line in (DATA / name).read_text(encoding="utf-8").split("\n\n")]
    return [
        line
        for line in lines
        if len(line.split()) >= 20
        and line.endswith((".", '"'))
        and "cookies" not in line
        and not re.search(r"[a-z][A-Z][a-z]", line)
    ]


@pytest.mark.parametrize("name", ["harbour-dump.txt", "quarry-dump.txt"])
def test_every_article_paragraph_of_a_dump_is_kept(name: str) -> None:
    article = _clean(name)
    body = _body_paragraphs(name)
    assert len(body) == 6
    assert all(paragraph in article.text for paragraph in body)


def test_menus_notices_comments_and_footers_of_a_dump_go() -> None:
    article = _clean("harbour-dump.txt")
    for junk in ("Skip to main content", "Sport", "We use cookies", "Ferry timetable cut",
                 "Jorun K. says", "It took them long enough", "Privacy policy", "©"):  # fmt: skip
        assert junk not in article.text, junk
    assert article.title == "Harbour board votes to rebuild storm-damaged north pier"


def test_a_byline_and_date_below_the_menus_are_read() -> None:
    # Fifteen lines of menu and notices stand above them: past the rules' top of the page.
    article = _clean("harbour-dump.txt")
    assert article.byline == ["Ilse Marrow"]
    assert article.published == "2026-03-14"
    assert "Published 14 March" not in article.text


def test_the_classifier_removes_what_no_rule_knows() -> None:
    article = _clean("quarry-dump.txt")
    learned = [block.text for block in article.blocks if block.reason == LEARNED_REASON]
    assert "Northvale Evening Post, Harbour Street 4, 4110 Northvale" in learned
    assert "Northvale Evening Post, Harbour Street 4" not in article.text
    # The rules alone keep that address line as article text.
    paragraphs = split_paragraphs((DATA / "quarry-dump.txt").read_text(encoding="utf-8"))
    address = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Northvale Evening"
                                                                            " Post, Harbour"))  # fmt: skip
    assert rule_labels(paragraphs)[address] is None


def test_an_article_written_a_sentence_a_line_comes_through_whole() -> None:
    sentences = [
        "Dock workers in Velmora voted to end their strike on Monday.",
        "The vote was close.",
        "Work resumed at six.",
        "The union said the new contract raises pay by four per cent over two years.",
        "Ships that had waited offshore for a week began to berth in the afternoon.",
        '"It is a fair deal," said the union\'s secretary, Lena Brekke.',
        "No one was hurt.",
    ]
    text = "Velmora dockers end strike\n" + "\n".join(sentences)
    article = clean_document(RawDocument("s.txt", "text", text, is_html=False))
    assert all(sentence in article.text for sentence in sentences)
    assert article.title == "Velmora dockers end strike"


def test_html_is_left_to_the_markup_extractor() -> None:
    # The classifier reads plain text only: HTML has its markup, which says more.
    html = (
        "<html><body><article><h1>Quarry vote</h1>"
        + "".join(f"<p>{p}</p>" for p in _body_paragraphs("quarry-dump.txt"))
        + "<p>Short line.</p></article></body></html>"
    )
    article = clean_document(RawDocument("q.html", "html", html, is_html=True))
    assert all(block.reason != LEARNED_REASON for block in article.blocks)


def test_the_packaged_model_reads_the_features_the_code_computes() -> None:
    stored = json.loads(MODEL.read_text(encoding="utf-8"))
    assert tuple(stored["feature_names"]) == FEATURE_NAMES
    assert tuple(stored["sequence_feature_names"]) == SEQUENCE_FEATURE_NAMES
    model = load_body_model()
    first, second = model.paragraphs, model.sequence
    assert first.hidden.shape == (len(FEATURE_NAMES), len(first.output))
    assert second.hidden.shape == (
        len(FEATURE_NAMES) + len(SEQUENCE_FEATURE_NAMES), len(second.output))  # fmt: skip
    assert 0.0 < model.threshold < 1.0


def test_a_word_score_reads_words_and_word_pairs_and_is_bounded() -> None:
    assert word_grams("Sign up, SIGN-UP 24/7!") == {"sign", "up", "sign up", "up sign"}
    words = WordScores({"sign up": -2.0, "sign": -1.0, "said": 1.0}, 0.5)
    # two weights found: the bias plus their sum over one more than the root of their count
    assert words.score("Sign up now") == pytest.approx(0.5 - 3.0 / (2**0.5 + 1))
    assert words.score("nothing known here") == 0.5
    assert WordScores({"said": 100.0}, 0.0).score("he said") == 8.0
    assert words.scores([]).shape == (0,)


def test_the_packaged_word_score_knows_furniture_from_reporting() -> None:
    words = load_body_model().words
    furniture = [
        "Sign up for our newsletter",
        "All rights reserved",
        "Share this article on Facebook",
        "Click here to read more",
    ]
    reporting = [
        "The council said on Tuesday that the bridge would reopen after repairs.",
        "Police said the man was taken to hospital, where he later died.",
    ]
    assert max(words.scores(furniture)) < min(words.scores(reporting))
    assert 1_000 < len(words.weights) < 200_000


def test_the_second_pass_reads_the_verdicts_around_a_paragraph() -> None:
    verdicts = np.array([0.1, 0.9, 0.8, 0.2, 0.95])
    rows = sequence_features(verdicts)
    assert rows.shape == (5, len(SEQUENCE_FEATURE_NAMES))
    column = {name: i for i, name in enumerate(SEQUENCE_FEATURE_NAMES)}
    middle = rows[3]
    assert middle[column["probability"]] == 0.2
    assert middle[column["probability at -1"]] == 0.8
    assert middle[column["probability at +1"]] == 0.95
    assert middle[column["probability at +2"]] == 0.0  # past the end
    assert middle[column["likely paragraphs on both sides"]] == 1.0
    assert rows[0][column["likely paragraphs on both sides"]] == 0.0
    assert sequence_features(np.zeros(0)).shape == (0, len(SEQUENCE_FEATURE_NAMES))


def test_a_page_unlike_any_fitted_on_still_gets_a_probability() -> None:
    paragraphs = split_paragraphs("\n".join(["word " * 3000, "x", "|" * 500]))
    features = paragraph_features(paragraphs, rule_labels(paragraphs), load_body_model().words)
    probabilities = load_body_model().probabilities(features * 1e6)
    assert np.all(np.isfinite(probabilities)) and len(probabilities) == 3
    assert load_body_model().probabilities(np.zeros((0, len(FEATURE_NAMES)))).shape == (0,)


def test_unspaced_scripts_count_two_characters_a_word() -> None:
    # One whitespace-separated token, plus one word for every two of its 11 characters.
    assert token_count("港の北桟橋が再建される") == 6
    assert token_count("The north pier reopens") == 4


# ----------------------------------------------------------------- the benchmark's parts


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    with benchmark_module("plaintext.py", "plaintext_benchmark") as module:
        yield module


def test_the_naive_dump_keeps_every_visible_block(bench) -> None:  # type: ignore[no-untyped-def]
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<script>var x = 1;</script><h1>Pier <em>rebuilt</em></h1>"
        "<p>First line<br>second line</p><div hidden>secret</div>"
        "<footer>Footer text</footer></body></html>"
    )
    assert bench.naive_dump(html) == (
        "Home News\n\nPier rebuilt\n\nFirst line\nsecond line\n\nFooter text"
    )
    assert bench.naive_dump("") == ""


def test_body_share_and_the_scorers(bench) -> None:  # type: ignore[no-untyped-def]
    gold = "The pier reopens in May after repairs. Fishermen welcomed the news."
    grams = bench.gold_grams(gold)
    assert bench.body_share("The pier reopens in May", grams) == 1.0
    assert bench.body_share("Subscribe to our newsletter today", grams) == 0.0
    scores = bench.token_f1([(gold, gold), (gold, "")])
    assert scores["precision"] == 1.0 and scores["recall"] == 0.5
    page = bench.Page("t", "1", "site", "", "The pier reopens in May after repairs.\n\n"
                      "Subscribe to our newsletter for daily news", gold)  # fmt: skip
    snippets = bench.snippets_of(page)
    assert snippets.keep and snippets.drop
    assert bench.snippet_scores([(snippets, gold)]) == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0}  # fmt: skip
    assert bench.snippet_scores([(snippets, page.dump)])["precision"] == 0.5


def test_decisive_snippets_sit_at_the_edges_of_the_article(bench) -> None:  # type: ignore[no-untyped-def]
    gold = (
        "Harbour crews began lifting the old pier deck on Monday morning. The new deck goes "
        "home to the same piles.\nWork should end before the summer ferries return."
    )
    dump = "\n".join([
        "Home", "Sport and leisure pages", "Harbour crews began lifting the old pier deck on "
        "Monday morning.", "The new deck goes home to the same piles.", "Work should end "
        "before the summer ferries return.", "Share this story with friends", "Contact us",
    ])  # fmt: skip
    body = bench.aligned_body(dump.splitlines(), gold)
    # "home" is a word of the article, but the menu's "Home" stands where the article is not.
    assert body == [False, False, True, True, True, False, False]
    page = bench.Page("t", "2", "site", "", dump, gold)
    snippets = bench.decisive_snippets_of(page)
    assert snippets.keep[:2] == (
        "harbour crews began lifting the",
        "before the summer ferries return",
    )
    assert snippets.drop[:2] == ("sport and leisure pages", "share this story with friends")
    assert bench.snippet_scores([(snippets, gold)])["f1"] == 1.0
    lead_lost = gold.replace("Harbour crews began lifting the old pier deck on Monday morning.", "")
    assert bench.snippet_scores([(snippets, lead_lost)])["recall"] < 1.0


_ARTICLE = [
    "The harbour board voted on Tuesday to rebuild the old timber pier, which storms closed "
    "two winters ago, and said the work would start in the spring if the money arrives.",
    "Fishermen who moor along the pier have waited for a decision since the closure, and "
    "several of them told the meeting they had lost a season of landings to the delay.",
    "The board chair said the new deck would stand half a metre higher than the old one, "
    "so that the spring tides of the coming decades would not reach the planks again.",
    "A public drop-in session on the plans will be held at the library next month, and the "
    "drawings can be seen at the harbour office until the end of the year.",
]


def test_a_comment_label_above_the_article_is_not_the_comment_section() -> None:
    # A toolbar of menu lines with "Comment" among them stands over the article, far down
    # a dump with many menu lines: the article below it is not readers' comments.
    menu = [f"Section {n}" for n in range(24)]
    text = "\n\n".join([*menu, "Comment", *_ARTICLE, "About us", "Contact"])
    labels = rule_labels(split_paragraphs(text))
    reasons = [label[0].reason if label else None for label in labels]
    assert reasons[24] == "comment form"
    assert all(reason != "comment form" for reason in reasons[25:29])


def test_a_comment_form_after_the_article_still_opens_the_comment_section() -> None:
    comments = [
        "Great news, about time they fixed it, my grandfather fished off that pier for years.",
        "Who is paying for this though? The board never says where the money comes from.",
    ]
    text = "\n\n".join(["Home", "News", *_ARTICLE, "Leave a Reply", *comments])
    labels = rule_labels(split_paragraphs(text))
    reasons = [label[0].reason if label else None for label in labels]
    assert reasons[2:6] == [None] * 4
    assert reasons[6:] == ["comment form"] * 3


def test_only_a_later_copy_of_a_paragraph_is_repeated() -> None:
    paragraphs = split_paragraphs(
        "Home\n\nNews\n\nA line of the article.\n\nHome\n\nA line of the article."
    )
    rows = paragraph_features(paragraphs, rule_labels(paragraphs), load_body_model().words)
    repeated = rows[:, FEATURE_NAMES.index("repeated in document")]
    assert repeated.tolist() == [0, 0, 0, 1, 1]


def test_an_article_dumped_twice_keeps_its_first_copy() -> None:
    # A page that renders its article twice (a print view, a second layout) is dumped with
    # both copies; the reader wants the article once, not twice and not never.
    dump = (DATA / "harbour-dump.txt").read_text(encoding="utf-8")
    body = _body_paragraphs("harbour-dump.txt")
    twice = dump + "\n\n" + "\n\n".join(body) + "\n\nShare this article\n\nContact us"
    article = clean_document(RawDocument("twice.txt", "text", twice, is_html=False))
    for paragraph in body:
        assert article.text.count(paragraph) == 1, paragraph


# A sign-in form as a content system prints it when its template is not rendered: field
# placeholders with the form's prompts between them (written for this test).
_SIGN_IN_FORM = [
    "Log in with your existing account: {* socialLoginButtons *}",
    "Log in with your Harbour Gazette profile",
    "Good to see you again. Please log in",
    "Why do we need this?",
    "No account yet?",
    "A confirmation link went to {* data_emailAddress *}. Open it to finish signing up.",
]


def test_a_page_that_kept_only_an_unrendered_sign_in_form_is_refused() -> None:
    # The crawl kept the form, not the article: storing it would give every such page the
    # same "text", and the stories would join unrelated reports through it.
    text = "\n\n".join([*_SIGN_IN_FORM, "Thanks for joining us, we hope to see you often."])
    with pytest.raises(UnreadableDocument, match="printed unrendered"):
        clean_document(RawDocument("form.txt", "text", text, is_html=False))


def test_an_article_beside_an_unrendered_form_keeps_its_text_and_loses_the_form() -> None:
    text = "\n\n".join([*_SIGN_IN_FORM, *_ARTICLE])
    article = clean_document(RawDocument("form-and-article.txt", "text", text, is_html=False))
    assert article.text == "\n\n".join(_ARTICLE)
    form = [block for block in article.blocks if block.kind != "body"]
    assert [block.text for block in form] == _SIGN_IN_FORM
    assert {block.reason for block in form} == {UNRENDERED_REASON}


def test_reporting_between_two_placeholders_is_not_taken_for_a_form() -> None:
    # A paragraph of article length between two placeholders means they are two widgets of
    # the page with the article between them, not one form.
    text = "\n\n".join([_SIGN_IN_FORM[0], *_ARTICLE, _SIGN_IN_FORM[-1]])
    labels = rule_labels(split_paragraphs(text))
    reasons = [label[0].reason if label else None for label in labels]
    assert reasons == [UNRENDERED_REASON, *[None] * len(_ARTICLE), UNRENDERED_REASON]
