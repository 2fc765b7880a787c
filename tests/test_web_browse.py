"""Browsing the store as a researcher does (issue 29): the index pages of articles,
entities and quotes with their filters and paging, entity pages linked to their stories
and quotes, names on a comparison linked to their entity, the coverage chart, search
that finds other spellings and marks its hits; and the API's totals and next links.
A real uvicorn server on loopback over real SQLite stores, driven by httpx and by
headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from parallax import Corpus
from parallax.web.pages import PAGE
from tests.browsing import watch_page
from tests.serving import Server, get

# Invented articles, enough for several pages of the article index: two outlets, two
# languages, a date each.
OUTLETS = ("Fjord Gazette", "Lakeside Tribune")
WORDS = ("harbour", "ferry", "bridge", "market", "school", "clinic", "library", "station")


def _made_up(number: int) -> dict[str, str]:
    subject = WORDS[number % len(WORDS)]
    day = date(2025, 1, 1) + timedelta(days=number)
    if number % 5 == 0:
        text = (
            f"Die Stadt Nordheim hat am Montag die neue {subject.title()} Nummer {number} "
            "eröffnet. Der Bürgermeister sagte, die Arbeiten hätten zwei Jahre gedauert und "
            "mehr gekostet als geplant. Viele Einwohner kamen zur Feier auf den Marktplatz, "
            "wo die Blaskapelle bis zum Abend spielte und die Kinder der Schule ein Lied über "
            "die Geschichte der kleinen Stadt am Fluss sangen."
        )
        title = f"Nordheim eröffnet {subject.title()} {number}"
    else:
        text = (
            f"The town of Northam opened its new {subject} number {number} on Monday after "
            "two years of work. The mayor said the building cost more than planned but would "
            f"serve the town for decades. Hundreds of residents came to see the {subject} "
            "and the brass band played until the evening."
        )
        title = f"Northam opens {subject} {number}"
    return {
        "title": title,
        "text": text,
        "outlet": OUTLETS[number % 2],
        "published": day.isoformat(),
        "url": f"https://example.org/{number}",
    }


@pytest.fixture(scope="module")
def many_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of more than two pages of articles, ingested and grouped, not analysed."""
    path = tmp_path_factory.mktemp("browse") / "many.db"
    with Corpus(path) as corpus:
        report = corpus.ingest([_made_up(n) for n in range(2 * PAGE + 7)])
        assert report.ingested == 2 * PAGE + 7, report.failures
        corpus.group()
    return path


@pytest.fixture(scope="module")
def server(examples_db: Path) -> Iterator[Server]:
    with Server(examples_db) as running:
        yield running


@pytest.fixture(scope="module")
def many(many_db: Path) -> Iterator[Server]:
    with Server(many_db) as running:
        yield running


def _next_link(response: httpx.Response) -> str | None:
    found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return found.group(1) if found else None


# -- the API's paging ----------------------------------------------------------------


def test_every_api_list_gives_its_total_and_follows_next_links_to_the_end(many: Server) -> None:
    total = 2 * PAGE + 7
    first = get(many, "/api/articles", limit=40, outlet=OUTLETS[0])
    assert int(first.headers["x-total-count"]) == (total + 1) // 2
    seen, response = [], first
    while True:
        seen += [a["id"] for a in response.json()]
        assert {a["outlet"] for a in response.json()} == {OUTLETS[0]}
        following = _next_link(response)
        if following is None:
            break
        assert following.startswith(many.url) and "outlet=Fjord+Gazette" in following
        response = httpx.get(following, timeout=60)
        assert 'rel="prev"' in response.headers["link"]
    assert len(seen) == len(set(seen)) == (total + 1) // 2
    for path in ("/api/stories", "/api/entities", "/api/quotes"):
        answer = get(many, path, limit=1)
        assert int(answer.headers["x-total-count"]) >= len(answer.json())
    searched = get(many, "/api/search", q="Northam", limit=10)
    assert int(searched.headers["x-total-count"]) == total - len(range(0, total, 5))
    assert _next_link(searched) and len(searched.json()) == 10


def test_the_api_filters_articles_by_language_and_quotes_by_outlet(server: Server) -> None:
    languages = {a["language"] for a in get(server, "/api/articles", limit=500).json()}
    for language in languages - {None}:
        found = get(server, "/api/articles", language=language).json()
        assert found and {a["language"] for a in found} == {language}
    quotes = get(server, "/api/quotes", limit=500).json()
    outlet = quotes[0]["outlet"]
    mine = get(server, "/api/quotes", outlet=outlet, limit=500)
    assert {q["outlet"] for q in mine.json()} == {outlet}
    assert int(mine.headers["x-total-count"]) == sum(q["outlet"] == outlet for q in quotes)


def test_search_finds_an_entitys_other_spellings_and_marks_the_words(server: Server) -> None:
    entity = get(server, "/api/entities/Zhuravskyi").json()
    spellings = {v["text"] for v in entity["variants"]}
    assert len(spellings) > 2
    hits = get(server, "/api/search", q="Zhuravskyi").json()
    plain = get(server, "/api/search", q='"Zhuravskyi"').json()  # a phrase: no expansion
    assert len(hits) > len(plain)
    for hit in hits:
        marked = {hit["snippet"][start:end] for start, end in hit["marks"]}
        assert marked and all(any(word in s for s in spellings) for word in marked)


# -- pages in a browser --------------------------------------------------------------


def test_the_article_index_filters_and_pages(many: Server, browser) -> None:
    page = browser.new_page()
    errors, outside = watch_page(page, (many.url,))
    page.goto(many.url + "/")
    page.click("nav.site >> text=Articles")
    assert page.locator("#total").inner_text().startswith(f"{2 * PAGE + 7} articles")
    assert page.locator("tbody tr").count() == PAGE
    page.click("nav.pager >> text=Next")
    assert "page=2" in page.url and page.locator("tbody tr").count() == PAGE
    page.click("nav.pager >> text=Next")
    assert page.locator("tbody tr").count() == 7 and page.locator("a[rel=next]").count() == 0

    page.goto(many.url + "/articles")
    page.select_option("select[name=language]", "de")
    page.select_option("select[name=outlet]", OUTLETS[0])
    page.fill("input[name=since]", "2025-01-01")
    page.fill("input[name=until]", "2025-02-28")
    page.click("form.filters button")
    rows = page.locator("tbody tr")
    expected = [
        n
        for n in range(2 * PAGE + 7)
        if n % 5 == 0 and n % 2 == 0 and date(2025, 1, 1) + timedelta(days=n) <= date(2025, 2, 28)
    ]
    assert rows.count() == len(expected) > 0
    for row in range(rows.count()):
        cells = rows.nth(row).locator("td")
        assert cells.nth(1).inner_text() == OUTLETS[0] and cells.nth(3).inner_text() == "de"
    assert page.locator("#total").inner_text().startswith(f"{len(expected)} article")
    assert errors == [] and outside == []


def test_entity_index_and_pages_link_stories_quotes_and_comparisons(
    server: Server, browser
) -> None:
    page = browser.new_page()
    errors, outside = watch_page(page, (server.url,))
    page.goto(server.url + "/entities")
    every = page.locator("tbody tr").count()
    page.click("nav.tabs >> text=People")
    assert "type=person" in page.url
    types = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"person"} and len(types) < every
    first = page.locator("tbody tr").first
    assert int(first.locator("td").nth(2).inner_text()) >= 1  # articles
    assert int(first.locator("td").nth(3).inner_text()) >= 1  # outlets

    page.goto(server.url + "/entities/Zhuravskyi")
    assert page.locator("#stories + ul li").count() >= 1
    page.locator("#stories + ul a").first.click()
    assert "/stories/" in page.url
    # On the comparison page, a participant's name leads back to its entity page.
    participant = page.locator("#participants a.entity").first
    name = participant.inner_text()
    participant.click()
    assert "/entities/" in page.url and page.locator("h1").inner_text() == name
    assert errors == [] and outside == []


def test_the_quote_index_filters_by_speaker_and_outlet(server: Server, browser) -> None:
    page = browser.new_page()
    errors, outside = watch_page(page, (server.url,))
    page.goto(server.url + "/quotes")
    total = int(page.locator("#total").inner_text().split()[0])
    speaker = page.locator("blockquote .meta a[href^='/entities/']").first
    name = speaker.inner_text()
    page.fill("input[name=speaker]", name)
    page.click("form.filters button")
    shown = page.locator("blockquote")
    assert 0 < shown.count() < total
    assert set(page.locator("blockquote .meta a[href^='/entities/']").all_inner_texts()) == {name}
    speaker = page.locator("blockquote .meta a[href^='/entities/']").first
    speaker.click()
    assert page.locator("h1").inner_text() == name
    assert page.locator("#quotes ~ blockquote").count() >= 1

    page.goto(server.url + "/quotes")
    outlet = page.locator("select[name=outlet] option").nth(1).get_attribute("value")
    page.select_option("select[name=outlet]", outlet)
    page.click("form.filters button")
    for meta in page.locator("blockquote .meta").all_inner_texts():
        assert f"({outlet}" in meta
    assert errors == [] and outside == []


def test_a_story_page_draws_its_coverage_over_time(server: Server, browser) -> None:
    story = max(get(server, "/api/stories").json(), key=lambda s: len(s["articles"]))
    comparison = get(server, f"/api/stories/{story['id']}/compare").json()
    dated = [a for a in comparison["articles"] if a["published"]]
    page = browser.new_page()
    errors, outside = watch_page(page, (server.url,))
    page.goto(server.url + f"/stories/{story['id']}")
    chart = page.locator("figure.coverage svg")
    assert chart.count() == 1 and chart.bounding_box()["width"] > 300
    dots = page.locator("figure.coverage svg circle")
    assert dots.count() == len(dated)
    rows = page.locator("figure.coverage svg text[text-anchor=end]").all_text_contents()
    assert rows == comparison["outlets"]
    dots.first.click()
    assert "/articles/" in page.url
    assert errors == [] and outside == []


def test_the_search_page_marks_hits_and_names_the_other_spellings(server: Server, browser) -> None:
    page = browser.new_page()
    errors, outside = watch_page(page, (server.url,))
    page.goto(server.url + "/")
    page.fill("nav input[type=search]", "Zhuravskyi")
    page.press("nav input[type=search]", "Enter")
    page.wait_for_url("**/search?q=Zhuravskyi")
    total = page.locator("#total").inner_text()
    assert "also spelled" in total and "Zhuravsky" in total
    assert page.locator("ul.hits li").count() == int(total.split()[0])
    assert page.locator("ul.hits mark").count() >= page.locator("ul.hits li").count()
    assert errors == [] and outside == []


def test_requests_beyond_the_threads_wait_their_turn_and_are_all_answered(
    examples_db: Path,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with pytest.raises(ValueError, match="at least one request thread"):
        Server(examples_db, threads=0)
    with Server(examples_db, threads=1) as running, ThreadPoolExecutor(12) as clients:
        assert running.app.state.threads == 1
        answers = list(clients.map(lambda _: get(running, "/api/articles"), range(12)))
    assert [answer.status_code for answer in answers] == [200] * 12
    assert len({answer.text for answer in answers}) == 1
