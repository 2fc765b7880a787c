"""Readers and bad input: every format in, one clear failure per bad document, nothing lost."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.ingest import read_paths
from parallax.model import RawDocument, ReadFailure
from parallax.pipeline import ingest
from parallax.store import Store

PARAGRAPHS = [
    "Flood water rose through the old town of Brenmoor overnight, forcing 1,200 residents "
    "from their homes on Saturday, April 12, 2025, the regional authority said.",
    "Rescue crews used boats to reach families stranded on upper floors along the river "
    "front, where the water stood more than a metre deep by dawn.",
    "\u201cWe have not seen the river this high in forty years,\u201d said hydrologist Maren "
    "Tobiassen, who has measured the Brenn since the 1980s.",
    "Schools stay closed until Wednesday and the rail line to the coast remains cut, the "
    "authority added in a statement published late on Saturday evening.",
]


def page(title: str = "Flood forces 1,200 from Brenmoor old town") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Valley Courier</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Valley Courier">
<meta property="article:published_time" content="2025-04-12T09:30:00Z">
<meta name="author" content="Pia Lindqvist"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<figure><img src="flood.jpg" alt=""><figcaption>A rescue boat on Quay Street.
<span class="credit">Photo: Arvid Holm/Valley Press</span></figcaption></figure>
{body}</article>
<footer><p>© 2025 Valley Courier. All rights reserved.</p></footer></body></html>"""


def write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
        for uri, html in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
            writer.write_record(record)


def read_all(*paths: Path | str) -> tuple[list[RawDocument], list[ReadFailure]]:
    items = list(read_paths(paths))
    docs = [item for item in items if isinstance(item, RawDocument)]
    failures = [item for item in items if isinstance(item, ReadFailure)]
    return docs, failures


def test_every_format_in_one_mixed_directory(tmp_path: Path, db: str) -> None:
    (tmp_path / "a.txt").write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    (tmp_path / "b.html").write_text(page(), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html.gz").write_bytes(gzip.compress(page("Second title").encode()))
    lines = [
        {
            "url": "https://example.test/1",
            "title": "One",
            "text": "\n\n".join(PARAGRAPHS),
            "outlet": "Brenn Daily",
            "published": "2025-04-12",
            "byline": "Ola Nord",
        },
        {"url": "https://example.test/2", "html": page("Two")},
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in PARAGRAPHS)
    (tmp_path / "e.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>River Wire</title>'
        "<item><title>Flood item</title><link>https://example.test/rss/1</link>"
        "<pubDate>Sat, 12 Apr 2025 10:00:00 GMT</pubDate>"
        f"<description>{content}</description></item></channel></rss>"
    )
    (tmp_path / "f.atom").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom Times</title><entry><title>Atom flood</title>"
        '<link href="https://example.test/atom/1"/><updated>2025-04-13T08:00:00Z</updated>'
        f'<author><name>Kai Berg</name></author><content type="html">{content}</content>'
        "</entry></feed>"
    )
    write_warc(tmp_path / "g.warc.gz", [("https://example.test/w/1", page("Warc one"))])
    (tmp_path / "notes.md").write_text("not an article format, ignored inside directories")

    docs, failures = read_all(tmp_path)
    assert failures == []
    formats = sorted(doc.format for doc in docs)
    assert formats == ["feed", "feed", "html", "html", "jsonl", "jsonl", "text", "warc"]
    jsonl = next(doc for doc in docs if doc.url == "https://example.test/1")
    assert (jsonl.outlet, jsonl.published, jsonl.byline) == (
        "Brenn Daily",
        "2025-04-12",
        ("Ola Nord",),
    )
    rss = next(doc for doc in docs if doc.format == "feed" and doc.outlet == "River Wire")
    assert rss.published == "2025-04-12T10:00:00Z" and rss.title == "Flood item"
    atom = next(doc for doc in docs if doc.outlet == "Atom Times")
    assert atom.byline == ("Kai Berg",)
    warc = next(doc for doc in docs if doc.format == "warc")
    assert warc.url == "https://example.test/w/1"

    with Store(db) as store:
        report = ingest([tmp_path], store, workers=1)
        assert report.failed == 0
        stored = {article.format: article for article in store.articles()}
    html = stored["html"]
    assert html.outlet == "Valley Courier"
    assert html.published == "2025-04-12"
    assert html.byline == ["Pia Lindqvist"]
    assert html.captions == ["A rescue boat on Quay Street."]
    assert [c.photographer for c in html.photo_credits] == ["Arvid Holm"]
    assert "All rights reserved" not in html.text and "Home" not in html.text
    assert PARAGRAPHS[2] in html.text
    assert stored["feed"].text.startswith("Flood water rose")


def test_bad_inputs_each_get_one_reason_and_the_batch_goes_on(tmp_path: Path, db: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"   \n\n  ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "broken.html").write_text("<html><body><div><p>unclosed <b>tags <i>", "utf-8")
    unclosed = "".join(f"<div><p>{p}<b><i>" for p in reversed(PARAGRAPHS))
    (tmp_path / "unclosed.html").write_text(f"<html><body>{unclosed}", "utf-8")
    (tmp_path / "bad.jsonl").write_text('{"title": "no text"}\nnot json at all\n')
    (tmp_path / "empty.rss").write_text("<rss><channel><title>x</title></channel></rss>")
    huge = tmp_path / "huge.txt"
    with huge.open("w") as handle:
        line = "This sentence repeats to make a very large file. " * 20 + "\n"
        while handle.tell() < 50_000_000:
            handle.write(line)
    warc = tmp_path / "cut.warc.gz"
    write_warc(warc, [(f"https://example.test/{i}", page(f"Page {i}")) for i in range(3)])
    data = warc.read_bytes()
    warc.write_bytes(data[: int(len(data) * 0.8)])

    with Store(db) as store:
        report = ingest([tmp_path], store, workers=1)
        reasons = {Path(f.source.split("#")[0]).name: f.reason for f in report.failures}
        assert reasons["empty.txt"] == "empty file"
        assert reasons["blank.txt"] == "empty file"
        assert reasons["binary.txt"] == "binary file, not text or HTML"
        assert "no article text" in reasons["broken.html"]
        assert "MB limit" in reasons["huge.txt"]
        assert "truncated WARC archive" in reasons["cut.warc.gz"]
        assert reasons["empty.rss"] == "feed has no items"
        jsonl = {
            f.source.rsplit("#")[1]: f.reason for f in report.failures if "bad.jsonl" in f.source
        }
        assert jsonl["1"] == 'record has neither "text" nor "html"'
        assert jsonl["2"].startswith("not valid JSON")
        # the good text file and the complete WARC records before the cut made it in
        assert report.ingested >= 2
        sources = {a.source for a in store.articles()}
        assert str(good) in sources
        assert str(tmp_path / "unclosed.html") in sources
        assert {f.source for f in store.failures()} == {f.source for f in report.failures}


def test_other_encodings_are_detected(tmp_path: Path) -> None:
    text = "Der Bürgermeister von Köln sagte am Montag, dass die Straßen gesperrt blieben."
    (tmp_path / "latin1.txt").write_bytes(("\n\n".join([text] * 3)).encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(("\n\n".join([text] * 3)).encode("utf-16"))
    docs, failures = read_all(tmp_path)
    assert failures == []
    assert all("Bürgermeister von Köln" in doc.content for doc in docs)


def test_a_file_that_disappears_is_reported(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("\n\n".join(PARAGRAPHS))
    second.write_text("\n\n".join(PARAGRAPHS[:2]))
    items = read_paths([tmp_path])
    assert isinstance(next(items), RawDocument)
    os.remove(second)
    failure = next(items)
    assert failure == ReadFailure(str(second), "file disappeared before it could be read")


def test_glob_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("\n\n".join(PARAGRAPHS))
    docs, failures = read_all(
        str(tmp_path / "*.txt"), tmp_path / "missing.txt", str(tmp_path / "*.nope")
    )
    assert len(docs) == 1
    assert [f.reason for f in failures] == [
        "no such file or directory",
        "no file matches this pattern",
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_reingest_adds_nothing_and_same_article_twice_is_stored_once(
    tmp_path: Path, workers: int, db: str
) -> None:
    (tmp_path / "a.txt").write_text("\n\n".join(PARAGRAPHS))
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "a-again.txt").write_text("\n\n".join(PARAGRAPHS) + "\n\nLeave a Reply\n")
    with Store(db) as store:
        first = ingest([tmp_path], store, workers=workers)
        assert (first.ingested, first.duplicates) == (1, 1)
        second = ingest([tmp_path], store, workers=workers)
        assert (second.ingested, second.duplicates) == (0, 2)
        assert store.count() == 1
        assert len(store.documents()) == 2
