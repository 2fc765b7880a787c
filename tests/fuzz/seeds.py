"""Small valid inputs of every format, for fuzzers and property tests to mutate."""

from __future__ import annotations

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPH = (
    "The harbour board of Velmouth voted on Thursday to close the old ferry quay, "
    "a decision the fishing cooperative said it would challenge in court next month."
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Quay closes</title></head>"
    f"<body><article><h1>Quay closes</h1><p>{PARAGRAPH}</p><figure><figcaption>The quay."
    "<span class='credit'>Photo: L. Amsel</span></figcaption></figure>"
    f"<p>{PARAGRAPH}</p></article></body></html>"
)
FEED = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Velmouth Post</title>"
    f"<item><title>Quay</title><description>{PARAGRAPH}</description>"
    "<pubDate>Thu, 03 Apr 2025 10:00:00 GMT</pubDate></item></channel></rss>"
)


def warc(pages: list[str], *, gzipped: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for number, html in enumerate(pages):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://velmouth.example/{number}",
            "response",
            payload=io.BytesIO(html.encode()),
            http_headers=headers,
        )
        writer.write_record(record)
    return buffer.getvalue()


def seeds() -> dict[str, bytes]:
    """One valid file per suffix the readers know, keyed by suffix."""
    line = json.dumps({"title": "Quay", "text": PARAGRAPH, "outlet": "Velmouth Post"})
    return {
        ".txt": f"Quay closes\n\n{PARAGRAPH}\n\n{PARAGRAPH}".encode(),
        ".html": PAGE.encode(),
        ".jsonl": f"{line}\n{line}\n".encode(),
        ".rss": FEED.encode(),
        ".warc": warc([PAGE, PAGE], gzipped=False),
        ".warc.gz": warc([PAGE, PAGE], gzipped=True),
        ".txt.gz": gzip.compress(PARAGRAPH.encode()),
        ".jsonl.gz": gzip.compress(f"{line}\n".encode()),
        ".dat": PAGE.encode(),
    }
