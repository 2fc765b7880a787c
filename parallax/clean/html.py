"""HTML pages: trafilatura finds the article; captions and credits come from the markup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from parallax.clean import credits

_CAPTION_CLASS = re.compile(r"caption|legend|bildunterschrift|image-text|img-text", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline-photo|photographer|image-source|quelle", re.I)
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "pre",
    "td",
}


@dataclass
class HtmlExtraction:
    text: str
    title: str | None = None
    site_name: str | None = None
    author: str | None = None
    date: str | None = None
    captions: list[str] = field(default_factory=list)
    photo_credits: list[str] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of an HTML page or fragment, captions and credits split out."""
    tree = _parse(html)
    if tree is None:
        return HtmlExtraction(text="")
    captions, photo_credits = _captions_and_credits(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
    )
    text = (document.text or "") if document is not None else ""
    if not text.strip():
        text = fragment_text(_parse(html))
    return HtmlExtraction(
        text=text,
        title=document.title if document is not None else None,
        site_name=document.sitename if document is not None else None,
        author=document.author if document is not None else None,
        date=document.date if document is not None else None,
        captions=captions,
        photo_credits=photo_credits,
    )


def _parse(html: str) -> lxml.html.HtmlElement | None:
    # lxml rejects str input that declares an encoding; the text is already decoded.
    cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return None


def _captions_and_credits(tree: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    captions: list[str] = []
    photo_credits: list[str] = []
    caption_nodes = tree.xpath("//figcaption") + [
        node
        for node in tree.xpath("//*[@class]")
        if _CAPTION_CLASS.search(node.get("class", ""))
        and not node.xpath("ancestor::figcaption")
        and not node.xpath(".//figcaption")
    ]
    for node in caption_nodes:
        credit_nodes = [
            child
            for child in node.iter()
            if child is not node
            and isinstance(child.tag, str)
            and _CREDIT_CLASS.search(child.get("class", "") or "")
        ]
        credit_texts = [_squash(child.text_content()) for child in credit_nodes]
        caption = _squash(node.text_content())
        for credit in credit_texts:
            caption = caption.replace(credit, " ")
            credit = _strip_marker(credit)
            if credit and credit not in photo_credits:
                photo_credits.append(credit)
        caption = _squash(caption)
        split = credits.split_trailing_credit(caption)
        if split:
            caption, credit = split
            if credit not in photo_credits:
                photo_credits.append(credit)
        if caption and caption not in captions:
            captions.append(caption)
    for node in tree.xpath("//*[@class]"):
        if _CREDIT_CLASS.search(node.get("class", "")) and not node.xpath("ancestor::figcaption"):
            credit = _strip_marker(_squash(node.text_content()))
            if credit and len(credit.split()) <= 14 and credit not in photo_credits:
                photo_credits.append(credit)
    return captions, photo_credits


def _strip_marker(credit: str) -> str:
    marked = credits.standalone_credit(credit)
    return (marked or credit).strip(" ()")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def fragment_text(tree: lxml.html.HtmlElement | None) -> str:
    """Text of an HTML fragment (a feed item, a JSON field) with one paragraph per block element."""
    if tree is None:
        return ""
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    paragraphs = []
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag not in _BLOCK_TAGS:
            continue
        if any(isinstance(a.tag, str) and a.tag in _BLOCK_TAGS for a in node.iterancestors()):
            continue
        text = _squash(node.text_content())
        if text:
            paragraphs.append(text)
    if not paragraphs:
        paragraphs = [_squash(tree.text_content())]
    return "\n\n".join(p for p in paragraphs if p)
