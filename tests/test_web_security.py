"""`parallax serve` keeps out what does not belong: links that are not web addresses,
scripts and styles from anywhere but the server, other sites' host names (DNS
rebinding), unasked-for uploads, and numbers too big for the store. Each test runs
against a real uvicorn server on loopback unless it says otherwise."""

from __future__ import annotations

import json
import re
import select
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from parallax import pipeline
from parallax.ingest.urls import web_url
from parallax.store import Store
from parallax.web.api import MAX_PAGE
from tests.browsing import watch_page
from tests.serving import ARTICLE, Server, free_port

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(examples_db: Path) -> Iterator[Server]:
    with Server(examples_db) as running:
        yield running


@pytest.fixture
def store_copy(examples_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.db"
    db.write_bytes(examples_db.read_bytes())
    return db


def get(server: Server, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(server.url + path, timeout=60, **kwargs)


def raw_request(port: int, head: str, timeout: float = 10) -> str:
    """Send a request's head only (no body, whatever it declares) and return the answer's
    status line and headers: a server that waits for the body times out."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(head.encode("latin-1"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode("latin-1")


# -- 1. links that are not web addresses ---------------------------------------------------


def test_only_http_addresses_are_kept() -> None:
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "//elsewhere.example/x",
        "http:///nohost",
        'https://a.example/"onmouseover="alert(1)',
        "",
        None,
    ):
        assert web_url(bad) is None, bad
    for good in ("https://news.example/a/1?x=2#p", "http://news.example"):
        assert web_url(good) == good


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>River Wire</title>
<item><title>Lighthouse keepers return</title><link>javascript:alert(document.domain)</link>
<pubDate>Sat, 12 Apr 2025 10:00:00 GMT</pubDate><description>{text}</description></item>
<item><title>Second item</title><link>https://river.example/2</link>
<pubDate>Sat, 12 Apr 2025 11:00:00 GMT</pubDate><description>{other}</description></item>
</channel></rss>"""


def test_a_feeds_script_link_is_not_stored_or_linked(tmp_path: Path) -> None:
    feed = tmp_path / "wire.rss"
    other = ARTICLE.replace("Vardholm", "Nordholm").replace("Friday", "Monday")
    feed.write_text(FEED.format(text=ARTICLE, other=other), encoding="utf-8")
    db = tmp_path / "feed.db"
    with Store(db) as store:
        pipeline.ingest([feed], store, workers=1)
        urls = {a.title: a.url for a in store.articles()}
        ids = {a.title: a.id for a in store.articles()}
    assert urls == {
        "Lighthouse keepers return": None,
        "Second item": "https://river.example/2",
    }
    with Server(db) as running:
        page = get(running, f"/articles/{ids['Lighthouse keepers return']}")
        assert page.status_code == 200 and "javascript:" not in page.text
        assert ">original<" not in page.text
        kept = get(running, f"/articles/{ids['Second item']}")
        assert '<a href="https://river.example/2" rel="noreferrer noopener">original</a>' in (
            kept.text
        )


@pytest.mark.parametrize(
    "stored", ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<b>x</b>"]
)
def test_a_script_link_in_an_old_store_is_not_rendered(store_copy: Path, stored: str) -> None:
    """A store written before URLs were checked may hold anything: the page links only
    http(s) addresses, and the story page does not either."""
    with Store(store_copy) as store:
        links = store.story_links([a.id for a in store.articles()])
        article = next(a for a in store.articles() if a.url and links[a.id].story_id)
        story = store.story(links[article.id].story_id)
    with sqlite3.connect(store_copy) as connection:
        connection.execute("UPDATE articles SET url = ? WHERE id = ?", (stored, article.id))
    with Server(store_copy) as running:
        page = get(running, f"/articles/{article.id}")
        assert page.status_code == 200
        assert stored.split(":")[0] + ":" not in page.text and ">original<" not in page.text
        story_page = get(running, f"/stories/{story.id}")
        assert story_page.status_code == 200
        assert f'href="{stored.split(":")[0]}:' not in story_page.text


# -- 2. the policy headers -----------------------------------------------------------------

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}


def _assert_guarded(response: httpx.Response) -> None:
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
        if part.strip()
    )
    for directive, value in POLICY.items():
        assert policy[directive] == value, (response.url, directive, policy)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] in ("no-referrer", "same-origin")


def test_every_answer_carries_the_policy_headers(examples_db: Path) -> None:
    with Server(examples_db) as running:

        def boom() -> None:
            raise RuntimeError("a bug")

        running.app.add_api_route("/api/boom", boom)
        with Store(examples_db) as store:
            article = next(store.articles())
            story = store.stories(limit=1)[0]
        paths = {
            "/": 200,
            f"/stories/{story.id}": 200,
            f"/articles/{article.id}": 200,
            "/search?q=strike": 200,
            "/static/site.css": 200,
            "/static/compare.css": 200,
            "/favicon.ico": 200,
            "/api/stories": 200,
            "/openapi.json": 200,
            "/api/stories/nosuchstory": 404,
            "/articles/nosucharticle": 404,
            "/?page=0": 422,
            "/api/articles?since=yesterday": 422,
            "/api/boom": 500,
        }
        for path, status in paths.items():
            response = get(running, path)
            assert response.status_code == status, (path, response.text[:300])
            _assert_guarded(response)
        refused_host = get(running, "/", headers={"Host": "elsewhere.example"})
        assert refused_host.status_code == 400
        _assert_guarded(refused_host)
        ingest_off = httpx.post(running.url + "/api/ingest", files={"files": ("a.txt", b"x")})
        assert ingest_off.status_code == 403
        _assert_guarded(ingest_off)


def test_pages_have_no_inline_script_or_style(server: Server, examples_db: Path) -> None:
    with Store(examples_db) as store:
        article = next(store.articles())
        story = store.stories(limit=1)[0]
        entity = store.entities(limit=1)[0]
    for path in (
        "/",
        f"/stories/{story.id}",
        f"/articles/{article.id}",
        f"/entities/{entity.id}",
        "/search?q=strike",
        "/nosuchpage",
    ):
        page = get(server, path).text
        assert "<style" not in page and "<script" not in page and " style=" not in page, path
        assert re.search(r" on[a-z]+=", page) is None, path
        assert '<link rel="stylesheet" href="/static/' in page, path


def test_pages_keep_their_styles_under_the_policy(server: Server, browser) -> None:
    """In Chromium, with the policy enforced: no violation, nothing loaded from outside,
    and the stylesheets apply (the nav bar is a flex row, the comparison's cells framed)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, outside = watch_page(page, (server.url,))
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(server.url + "/")
    assert page.eval_on_selector("nav.site", "e => getComputedStyle(e).display") == "flex"
    page.locator("tbody tr td a").first.click()
    # A click returns once the next page starts; its stylesheet applies once it has loaded.
    page.wait_for_load_state("load")
    assert page.locator("#conflicts").count() == 1
    assert page.eval_on_selector("nav.site", "e => getComputedStyle(e).display") == "flex"
    assert page.eval_on_selector("body", "e => getComputedStyle(e).maxWidth") == "1200px"
    page.locator("#articles h3 a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(server.url + "/articles/")
    assert page.eval_on_selector("body", "e => getComputedStyle(e).maxWidth") == "1152px"
    assert violations == [] and errors == [] and outside == []
    page.goto(server.url + "/articles/nosucharticle")  # an error page (its 404 is logged)
    assert page.eval_on_selector("nav.site", "e => getComputedStyle(e).display") == "flex"
    assert violations == [] and outside == []


# -- 3. host names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "[::1]", "127.0.0.1:{port}", "localhost:{port}"]
)
def test_loopback_names_are_answered(server: Server, host: str) -> None:
    response = get(server, "/api/stories", headers={"Host": host.format(port=server.port)})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "host", ["rebind.attacker.example", "rebind.attacker.example:{port}", "127.0.0.2", "local"]
)
def test_other_host_names_are_refused(server: Server, host: str) -> None:
    for path in ("/", "/api/stories", "/openapi.json"):
        response = get(server, path, headers={"Host": host.format(port=server.port)})
        assert response.status_code == 400, (host, path)
        assert "story" not in response.text.lower()


def test_a_host_the_server_was_started_for_is_answered(examples_db: Path) -> None:
    with Server(examples_db, hosts=["news.lan", "192.168.1.20", "fe80::1"]) as running:
        for host in ("news.lan", "news.lan:8000", "192.168.1.20", "[fe80::1]", "localhost"):
            assert get(running, "/", headers={"Host": host}).status_code == 200, host
        assert get(running, "/", headers={"Host": "other.lan"}).status_code == 400


# -- 4. no documentation pages from a CDN --------------------------------------------------


def test_no_docs_page_loads_scripts_from_outside(server: Server) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        response = get(server, path)
        assert response.status_code == 404
        assert "cdn" not in response.text.lower()
    schema = get(server, "/openapi.json")
    assert schema.status_code == 200 and "/api/articles" in schema.json()["paths"]


# -- 5. uploads: the token and the size first, ingestion off the event loop ----------------


@pytest.mark.parametrize(("token", "status"), [(None, 403), (TOKEN, 401)])
def test_ingest_refuses_before_reading_the_body(
    examples_db: Path, token: str | None, status: int
) -> None:
    """A gigabyte declared and not sent: the answer comes at once from the headers alone."""
    with Server(examples_db, token=token) as running:
        head = (
            "POST /api/ingest HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{running.port}\r\n"
            "Content-Type: multipart/form-data; boundary=xyz\r\n"
            f"Content-Length: {2**30}\r\n"
            + ("Authorization: Bearer wrong\r\n" if token else "")
            + "\r\n"
        )
        started = time.monotonic()
        answer = raw_request(running.port, head)
        assert answer.startswith(f"HTTP/1.1 {status} "), answer
        assert time.monotonic() - started < 5


def test_a_declared_size_over_the_limit_is_refused_before_reading(examples_db: Path) -> None:
    with Server(examples_db, token=TOKEN) as running:
        head = (
            "POST /api/ingest HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{running.port}\r\n"
            f"Authorization: Bearer {TOKEN}\r\n"
            "Content-Type: multipart/form-data; boundary=xyz\r\n"
            f"Content-Length: {2**30}\r\n\r\n"
        )
        answer = raw_request(running.port, head)
        assert answer.startswith("HTTP/1.1 413 "), answer


def test_a_streamed_body_is_not_read_past_the_limit(examples_db: Path) -> None:
    """No declared length (chunked): the server stops reading once over the limit and
    answers 413, long before the client would have sent everything."""
    with Server(examples_db, token=TOKEN) as running:
        conn = socket.create_connection(("127.0.0.1", running.port), timeout=30)
        conn.sendall(
            (
                "POST /api/ingest HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{running.port}\r\n"
                f"Authorization: Bearer {TOKEN}\r\n"
                "Content-Type: multipart/form-data; boundary=xyz\r\n"
                "Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        part = (
            b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n"
        )
        chunk = b"x" * 2**20
        sent, answer = 0, b""
        conn.setblocking(False)
        deadline = time.monotonic() + 60
        pending = b"%x\r\n%s\r\n" % (len(part), part)
        while time.monotonic() < deadline and sent < 200 * 2**20:
            readable, writable, _ = select.select([conn], [conn], [], 1)
            if readable:
                try:
                    data = conn.recv(65536)
                except ConnectionError:
                    break
                answer += data
                if not data or b"\r\n\r\n" in answer:
                    break
            if writable:
                if not pending:
                    pending = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                try:
                    count = conn.send(pending)
                except (BlockingIOError, ConnectionError):
                    continue
                sent += count
                pending = pending[count:]
        conn.close()
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        assert sent < 100 * 2**20


def test_ingest_with_a_token_still_works(store_copy: Path) -> None:
    with Server(store_copy, token=TOKEN) as running:
        url = running.url + "/api/ingest"
        too_big = httpx.post(url, files={"files": ("big.txt", b"x" * (21 * 2**20))}, headers=AUTH)
        assert too_big.status_code == 413
        accepted = httpx.post(
            url, files={"files": ("../lighthouse.txt", ARTICLE.encode())}, headers=AUTH, timeout=120
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["ingested"] == 1


def test_a_get_is_answered_while_an_upload_is_ingested(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline runs on a thread of its own: held in the middle of an ingest, the
    server still answers at once, even with one thread for requests."""

    inside, release = threading.Event(), threading.Event()
    real_analyze = pipeline.analyze

    def held_analyze(*args: Any, **kwargs: Any) -> Any:
        inside.set()
        assert release.wait(60)
        return real_analyze(*args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze", held_analyze)
    with Server(store_copy, token=TOKEN, threads=1) as running:
        result: dict[str, httpx.Response] = {}

        def upload() -> None:
            result["post"] = httpx.post(
                running.url + "/api/ingest",
                files={"files": ("lighthouse.txt", ARTICLE.encode())},
                headers=AUTH,
                timeout=120,
            )

        poster = threading.Thread(target=upload)
        poster.start()
        try:
            assert inside.wait(60), "the ingest did not start"
            started = time.monotonic()
            for path in ("/api/stories", "/", "/api/articles?limit=5"):
                assert httpx.get(running.url + path, timeout=5).status_code == 200
            assert time.monotonic() - started < 5
            assert "post" not in result  # still held
        finally:
            release.set()
            poster.join(120)
        assert result["post"].status_code == 200, result["post"].text
        assert result["post"].json()["ingested"] == 1


# -- 6. refused uploads are named; sources are the uploads' names --------------------------


def test_refused_uploads_are_named_and_sources_are_the_uploads_names(store_copy: Path) -> None:
    files = [
        ("files", ("lighthouse.txt", ARTICLE.encode())),
        ("files", ("notes.docx", b"PK\x03\x04 not an article format")),
        ("files", ("README", ARTICLE.replace("Vardholm", "Nordholm").encode())),
        ("files", ("../../../etc/passwd.md", b"root:x:0:0")),
    ]
    with Server(store_copy, token=TOKEN) as running:
        response = httpx.post(running.url + "/api/ingest", files=files, headers=AUTH, timeout=120)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ingested"] == 1
        refused = {f["source"]: f["reason"] for f in body["failures"]}
        assert set(refused) == {"notes.docx", "README", "passwd.md"}
        assert all("suffix" in reason for reason in refused.values())
        hits = httpx.get(running.url + "/api/search", params={"q": "Vardholm"}).json()
        assert [h["article"]["source"] for h in hits] == ["lighthouse.txt"]
    with Store(store_copy) as store:
        assert [a.source for a in store.articles() if "Vardholm" in a.text] == ["lighthouse.txt"]


def test_records_of_an_uploaded_file_keep_its_name(store_copy: Path) -> None:
    lines = "\n".join(
        [
            json.dumps({"title": "Keepers", "text": ARTICLE, "outlet": "Coast News"}),
            '{"title": "Broken"}',
        ]
    )
    with Server(store_copy, token=TOKEN) as running:
        response = httpx.post(
            running.url + "/api/ingest",
            files={"files": ("batch.jsonl", lines.encode())},
            headers=AUTH,
            timeout=120,
        )
        assert response.status_code == 200, response.text
        failures = response.json()["failures"]
        assert len(failures) == 1 and failures[0]["source"].startswith("batch.jsonl")
        assert "parallax-upload" not in response.text
    with Store(store_copy) as store:
        sources = [a.source for a in store.articles() if "Vardholm" in a.text]
    assert len(sources) == 1 and sources[0].startswith("batch.jsonl")


# -- 7. paging numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999", "0", "-1"])
def test_a_page_number_out_of_range_is_a_422_page(server: Server, page: str) -> None:
    response = get(server, "/", params={"page": page})
    assert response.status_code == 422, response.text[:300]
    assert "text/html" in response.headers["content-type"]
    assert "page" in response.text and "Traceback" not in response.text


def test_the_last_page_number_is_an_empty_page(server: Server) -> None:
    from parallax.web.pages import PAGE

    last = (2**63 - 1) // PAGE
    assert get(server, "/", params={"page": last}).status_code == 200
    assert get(server, "/", params={"page": last + 1}).status_code == 422


@pytest.mark.parametrize(
    "path", ["/api/articles", "/api/stories", "/api/entities", "/api/quotes", "/api/search"]
)
def test_the_api_returns_at_most_500(server: Server, path: str) -> None:
    params: dict[str, Any] = {"limit": 10**9}
    if path == "/api/search":
        params["q"] = "the"
    response = get(server, path, params=params)
    assert response.status_code == 200, response.text
    assert len(response.json()) <= MAX_PAGE == 500


# -- 8. a busy port ------------------------------------------------------------------------


def test_serve_says_when_the_port_is_in_use(examples_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "parallax",
                "serve",
                "--db",
                str(examples_db),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert f"port {port} is in use; choose another with --port" in done.stderr
    assert "Parallax on" not in done.stdout
    assert "Traceback" not in done.stderr


def test_serve_answers_on_its_port(examples_db: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "parallax", "serve", "--db", str(examples_db)),
            *("--port", str(port), "--allow-host", "news.lan"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                response = httpx.get(f"http://localhost:{port}/api/stories", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        _assert_guarded(response)
        refused = httpx.get(
            f"http://127.0.0.1:{port}/", headers={"Host": "attacker.example"}, timeout=5
        )
        assert refused.status_code == 400
        named = httpx.get(f"http://127.0.0.1:{port}/", headers={"Host": "news.lan"}, timeout=5)
        assert named.status_code == 200
    finally:
        process.terminate()
        process.wait(30)
