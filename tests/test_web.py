"""`parallax serve` end to end: a real uvicorn server on loopback over a real SQLite store
built from the bundled examples, driven over HTTP and by a headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from parallax.store import Store
from parallax.web.api import MAX_PAGE
from tests.browsing import watch_page
from tests.serving import ARTICLE, Server, get


@pytest.fixture(scope="module")
def server(examples_db: Path) -> Iterator[Server]:
    with Server(examples_db) as running:
        yield running


def test_api_lists_and_pages_through_articles(server: Server, examples_db: Path) -> None:
    with Store(examples_db) as store:
        total = store.count()
    first = get(server, "/api/articles", limit=3).json()
    second = get(server, "/api/articles", limit=3, offset=3).json()
    assert len(first) == 3 and len(second) == 3
    assert not {a["id"] for a in first} & {a["id"] for a in second}
    assert len(get(server, "/api/articles", limit=10**6).json()) == min(total, MAX_PAGE)
    for key in ("id", "title", "outlet", "published", "text", "entities", "quotes", "story_id"):
        assert key in first[0]


def test_api_filters_articles_by_outlet_date_story_and_entity(server: Server) -> None:
    stories = get(server, "/api/stories").json()
    story = max(stories, key=lambda s: len(s["articles"]))
    in_story = get(server, "/api/articles", story=story["id"]).json()
    assert sorted(a["id"] for a in in_story) == sorted(story["articles"])
    outlet = in_story[0]["outlet"]
    assert {a["outlet"] for a in get(server, "/api/articles", outlet=outlet).json()} == {outlet}
    day = in_story[0]["published"]
    dated = get(server, "/api/articles", since=day, until=day).json()
    assert dated and {a["published"] for a in dated} == {day}
    entity = get(server, "/api/entities", type="person", limit=1).json()[0]
    naming = get(server, "/api/articles", entity=entity["id"]).json()
    assert naming and all(
        any(m["entity_id"] == entity["id"] for m in a["entities"]) for a in naming
    )


def test_api_story_compare_entities_quotes_and_search(server: Server) -> None:
    story = get(server, "/api/stories", limit=1).json()[0]
    shown = get(server, f"/api/stories/{story['id']}").json()
    assert {m["id"] for m in shown["members"]} == set(story["articles"])
    comparison = get(server, f"/api/stories/{story['id']}/compare").json()
    assert comparison["story_id"] == story["id"]
    assert {"outlets", "participants", "facts", "conflicts", "quotes"} <= set(comparison)
    outlet = comparison["outlets"][0]
    only = get(server, f"/api/stories/{story['id']}/compare", only_in=outlet).json()["facts"]
    assert all(f["outlets"] == [outlet] and f["status"] == "unique" for f in only)
    differences = get(server, f"/api/stories/{story['id']}/compare", show="differences").json()
    assert all(f["disputed"] for f in differences["facts"])
    assert get(server, f"/api/stories/{story['id']}/compare", show="nope").status_code == 422
    entity = get(server, "/api/entities", limit=1).json()[0]
    profile = get(server, f"/api/entities/{entity['id']}").json()
    assert profile["canonical"] == entity["canonical"] and profile["appears_in"]
    quotes = get(server, "/api/quotes", story=story["id"]).json()
    assert quotes and {q["article_id"] for q in quotes} <= set(story["articles"])
    hits = get(server, "/api/search", q="earthquake").json()
    assert hits and all("earthquake" in (h["snippet"] or "").lower() for h in hits[:3])


def test_api_errors_are_clear(server: Server) -> None:
    missing = get(server, "/api/stories/nosuchstory")
    assert missing.status_code == 404 and "nosuchstory" in missing.json()["detail"]
    bad = get(server, "/api/articles", since="yesterday")
    assert bad.status_code == 422 and "since" in bad.json()["detail"]
    page = get(server, "/articles/nosucharticle")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "nosucharticle" in page.text
    schema = get(server, "/openapi.json").json()
    for path in ("/api/articles", "/api/stories/{story_id}/compare", "/api/search"):
        assert path in schema["paths"]


def test_ingest_is_off_without_a_token(server: Server) -> None:
    response = httpx.post(
        server.url + "/api/ingest", files={"files": ("a.txt", ARTICLE.encode())}, timeout=60
    )
    assert response.status_code == 403


def test_ingest_with_a_token(tmp_path: Path, examples_db: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(examples_db.read_bytes())
    with Server(db, token="s3cret") as running:
        url = running.url + "/api/ingest"
        upload = {"files": ("../../lighthouse.txt", ARTICLE.encode())}
        refused = httpx.post(url, files=upload, headers={"Authorization": "Bearer nope"})
        assert refused.status_code == 401
        huge = {"files": ("big.txt", b"x" * (21 * 2**20))}
        too_big = httpx.post(url, files=huge, headers={"Authorization": "Bearer s3cret"})
        assert too_big.status_code == 413
        accepted = httpx.post(
            url, files=upload, headers={"Authorization": "Bearer s3cret"}, timeout=120
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["ingested"] == 1
        hits = httpx.get(running.url + "/api/search", params={"q": "Vardholm"}).json()
        assert [h["article"]["title"] for h in hits] == [
            "Lighthouse keepers return to Vardholm island"
        ]
    assert not (tmp_path.parent / "lighthouse.txt").exists()


def test_serving_goes_on_while_another_process_ingests(tmp_path: Path, examples_db: Path) -> None:
    db = tmp_path / "busy.db"
    db.write_bytes(examples_db.read_bytes())
    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(30):
        (folder / f"{number}.txt").write_text(
            ARTICLE.replace("Vardholm", f"Vardholm {number}"), encoding="utf-8"
        )
    with Server(db) as running:
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "parallax",
                "ingest",
                str(folder),
                "--db",
                str(db),
                "--workers",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        statuses = []
        while writer.poll() is None:
            statuses.append(httpx.get(running.url + "/api/stories", timeout=30).status_code)
        statuses.append(httpx.get(running.url + "/api/articles", timeout=30).status_code)
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        assert statuses and set(statuses) == {200}
        found = httpx.get(running.url + "/api/search", params={"q": "Vardholm"}).json()
        assert len(found) == 20  # the search page size: the new articles are served at once


def test_a_reader_clicks_through_the_site(server: Server, browser, tmp_path: Path) -> None:
    shots = Path(os.environ.get("PARALLAX_SCREENSHOTS", tmp_path))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, outside = watch_page(page, (server.url,))

    page.goto(server.url + "/")
    assert page.locator("h1").inner_text() == "Stories"
    page.screenshot(path=str(shots / "web-stories.png"))
    title = page.locator("tbody tr td a").first.inner_text()
    page.locator("tbody tr td a").first.click()
    assert title in page.locator("h1").first.inner_text()
    assert page.locator("#conflicts").count() == 1 and page.locator("#participants").count() == 1
    page.screenshot(path=str(shots / "web-story.png"))

    page.locator("#articles h3 a").first.click()  # from the comparison to an article's page
    assert page.url.startswith(server.url + "/articles/")
    page.screenshot(path=str(shots / "web-article.png"))
    entity_link = page.locator("article a.ent").first
    name = entity_link.inner_text()
    entity_link.click()
    assert page.url.startswith(server.url + "/entities/")
    assert page.locator("h2", has_text="Spellings").count() == 1
    assert name in page.locator("table").inner_text()
    page.screenshot(path=str(shots / "web-entity.png"))

    page.fill("nav input[type=search]", "strike")
    page.press("nav input[type=search]", "Enter")
    page.wait_for_url("**/search?q=strike")
    results = page.locator("main li, body li a")
    assert results.count() > 0
    results.first.click()
    assert page.url.startswith(server.url + "/articles/")
    page.screenshot(path=str(shots / "web-search-result.png"))

    assert errors == [] and outside == []


def test_article_text_marks_quotes_and_links_entities() -> None:
    from parallax.model import Mention, Quote
    from parallax.web.pages import marked_paragraphs

    text = "Mayor Ana Ruiz spoke.\n\n“We will rebuild <all> of it,” said Ruiz in Lima."
    quote_start = text.index("We")
    quote = Quote(
        text="We will rebuild <all> of it,", start=quote_start, end=quote_start + 28, kind="direct"
    )
    mentions = [
        Mention("Ana Ruiz", "person", 6, 14, entity_id="e:ruiz"),
        Mention(
            "Ruiz",
            "person",
            text.rindex("Ruiz"),
            text.rindex("Ruiz") + 4,
            kind="short",
            entity_id="e:ruiz",
        ),
        Mention("Lima", "place", text.index("Lima"), text.index("Lima") + 4, entity_id="e:lima"),
    ]
    first, second = (str(p) for p in marked_paragraphs(text, mentions, [quote]))
    assert first == 'Mayor <a class="ent person" href="/entities/e:ruiz">Ana Ruiz</a> spoke.'
    assert '<span class="quote">We will rebuild &lt;all&gt; of it,</span>' in second
    assert second.count('href="/entities/e:ruiz"') == 1
    assert '<a class="ent place" href="/entities/e:lima">Lima</a>' in second


def test_article_text_marks_the_parts_of_a_split_quote() -> None:
    from parallax.model import Mention, Quote
    from parallax.web.pages import marked_paragraphs

    text = "“We will rebuild every house,” Mayor Ruiz said, “and the school by spring.”"
    start, end = text.index("We"), text.index("spring") + len("spring.")
    quote = Quote(
        text=text[start:end],
        start=start,
        end=end,
        kind="direct",
        cue="said",
        cue_start=text.index("said"),
        cue_end=text.index("said") + 4,
        speaker="Mayor Ruiz",
        speaker_start=text.index("Mayor"),
        speaker_end=text.index("Ruiz") + 4,
    )
    ruiz = text.index("Ruiz")
    mentions = [Mention("Ruiz", "person", ruiz, ruiz + 4, entity_id="e:ruiz")]
    (body,) = (str(p) for p in marked_paragraphs(text, mentions, [quote]))
    # Each part is marked, the cue and speaker between them are not: the speaker's name
    # links to its page like any name outside a quote.
    assert body.count('<span class="quote">') == 2
    assert '<span class="quote">We will rebuild every house,</span>' in body
    assert '<span class="quote">and the school by spring.</span>' in body
    assert '</span>” Mayor <a class="ent person" href="/entities/e:ruiz">Ruiz</a> said, “' in body
