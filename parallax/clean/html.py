"""HTML pages: trafilatura finds the article; captions and credits come from the markup."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from parallax.clean import credits
from parallax.errors import UnreadableDocument

_CAPTION_CLASS = re.compile(r"caption|legend|bildunterschrift|image-text|img-text", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline-photo|photographer|image-source|quelle", re.I)
# XPath's contains() runs in C over every class attribute; dropping each word's first
# letter makes it match "Caption" and "caption" alike. The regexes above confirm.
_CLASS_ATTRIBUTES = etree.XPath(
    "//@class["
    + " or ".join(
        f"contains(., '{word[1:]}')"
        for word in _CAPTION_CLASS.pattern.split("|") + _CREDIT_CLASS.pattern.split("|")
    )
    + "]"
)
_FIGCAPTIONS = etree.XPath("//figcaption")
_PAGE_TAG = re.compile(r"<!doctype\s+html|<(?:html|head|body)[\s>]", re.I)
_TITLE_START = re.compile(r"<title[^>]*>[^<]*", re.I)
_TITLE_END = re.compile(r"</title", re.I)
MAX_TAG = 1 << 16
"""Longest single tag accepted: libxml2 checks each attribute against all before it,
so one tag with 200,000 attributes takes minutes to parse."""
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{MAX_TAG}}}")
MAX_TAGS = 20_000
"""Most tags in a page: extraction costs about 0.3 ms a tag, and the largest of the 181
news pages in the extraction benchmark has 1,800."""
MAX_DEPTH = 255
"""libxml2 stops parsing at 256 nested elements and drops everything after that point."""
DOUBTFUL_WORDS = 100
"""trafilatura reads each page fast (its own extractor alone). When that reading is
doubtful (``_doubtful``: fewer words than this, or table rows), it reads the page again
comparing its extractor with its fallbacks, and that text is kept when it is shorter (the
fast one took the layout's menus) or the fast one had fewer words than this. On L3S-GN1's
621 pages of 2008, half of them built of layout tables, token F1 of the cleaned text
0.872 -> 0.891; on the 181 article-extraction pages of 2020 unchanged at 0.974, the second
reading needed on 7 % of them. 100 is the best of 50 / 100 / 150 on L3S-GN1 (0.883 /
0.889 / 0.889, read before the text cleaner) and ties 50 on article-extraction (150:
0.972). Reading every page the slow
way instead: L3S-GN1 0.898 but article-extraction 0.972 and about twice the time
(docs/benchmarks.md, "Pages of layout tables")."""
LAYOUT_CELL_WORDS = 50
"""A table cell this long is prose, not data: the page is laid out in tables, and is read
again without them (the article's own paragraphs, no menu rows). On L3S-GN1 token F1
0.904 -> 0.923, on article-extraction 0.967 -> 0.968; flat from 30 to 100 words on L3S-GN1
(0.923 / 0.923 / 0.923 / 0.922), the same at each on article-extraction, whose data tables
have short cells (docs/benchmarks.md, "Pages read as fragments, and prose in table cells")."""
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
    """Main text and metadata of an HTML page or fragment, captions and credits split out.

    Raises UnreadableDocument for markup too costly or impossible to parse: more than
    ``MAX_TAGS`` tags, a tag longer than ``MAX_TAG`` characters, or a page that is
    empty because it nests too deeply.
    """
    tags = html.count("<") - html.count("</")
    if tags > MAX_TAGS:
        raise UnreadableDocument(
            f"too much markup for one article page (about {tags} tags, the limit is {MAX_TAGS})"
        )
    if _LONG_TAG.search(html):
        raise UnreadableDocument(
            f"an HTML tag longer than {MAX_TAG // 1024} KB (hostile or broken markup)"
        )
    extraction = _extract(html, url)
    if not extraction.text.strip() and _nesting_too_deep(html):
        raise UnreadableDocument(
            f"HTML nested more than {MAX_DEPTH} elements deep: the parser stops there "
            "and the text after that point is lost"
        )
    return extraction


def is_page(html: str) -> bool:
    """Whether ``html`` is a whole page rather than a fragment (a feed item's body, a JSON
    field): it declares a doctype, or has an html, head or body tag. The tags are looked
    for anywhere, not only near the start: a crawled page may open with kilobytes of
    scripts and comments before its body, or have lost its opening tags (27 of L3S-GN1's
    621 pages), and read as a fragment all its menus are text."""
    return _PAGE_TAG.search(html) is not None


def close_title(html: str) -> str:
    """``html`` with its title closed where its text ends, when the page never closes it:
    a parser reads everything after an unclosed ``<title>`` as the title, so the page has
    no body and its scripts become text (8 of L3S-GN1's 621 pages, cut by their crawler)."""
    start = _TITLE_START.search(html)
    if start is None or _TITLE_END.search(html, start.end()):
        return html
    return f"{html[: start.end()]}</title>{html[start.end() :]}"


def _extract(html: str, url: str | None) -> HtmlExtraction:
    if not is_page(html):
        # A fragment (feed item, JSON field) is the article itself: no page to search.
        fragment = _parse_fragment(html)
        metadata = page_metadata(fragment) if fragment is not None else {}
        captions, photo_credits = (
            _captions_and_credits(fragment) if fragment is not None else ([], [])
        )
        return HtmlExtraction(
            text=fragment_text(fragment),
            captions=captions,
            photo_credits=photo_credits,
            **{key: value for key, value in metadata.items() if key != "title"},
        )
    html = close_title(html)
    # trafilatura's own loader: it repairs markup that a bare lxml parse loses content on.
    tree = load_html(html)
    if tree is None:
        return HtmlExtraction(text="")
    captions, photo_credits = _captions_and_credits(tree)
    metadata = page_metadata(tree)
    text = _main_text(tree, url, fast=True)
    if _doubtful(text) and (fuller_tree := load_html(html)) is not None:
        # A fresh tree: trafilatura prunes the one it reads.
        fuller = _main_text(fuller_tree, url, fast=False)
        words = len(text.split())
        if fuller.strip() and (words < DOUBTFUL_WORDS or len(fuller.split()) < words):
            text = fuller
    if _laid_out(text) and (plain_tree := load_html(html)) is not None:
        plain = _main_text(plain_tree, url, fast=False, tables=False)
        if plain.strip():
            text = plain
    if not text.strip():
        text = fragment_text(_parse_fragment(html))
    return HtmlExtraction(text=text, captions=captions, photo_credits=photo_credits, **metadata)


def _main_text(
    tree: lxml.html.HtmlElement, url: str | None, fast: bool, tables: bool = True
) -> str:
    """trafilatura's article text; ``fast`` skips its comparison with other extractors,
    ``tables`` keeps tables, as rows of cells."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=tables,
        include_images=False,
        include_formatting=False,
        fast=fast,
    )
    return (document.text or "") if document is not None else ""


def _doubtful(text: str) -> bool:
    """Whether trafilatura's fast reading looks like a miss: under ``DOUBTFUL_WORDS`` words,
    or laid out in table rows (a page built of layout tables, whose menus come out as
    rows)."""
    return len(text.split()) < DOUBTFUL_WORDS or any(
        line.startswith("|") for line in text.splitlines()
    )


def _laid_out(text: str) -> bool:
    """Whether a reading holds a table cell of prose (``LAYOUT_CELL_WORDS`` words or more):
    the page is laid out in tables, and a table reading runs the article's paragraphs, with
    the menus beside them, into one row."""
    return any(
        len(cell.split()) >= LAYOUT_CELL_WORDS
        for line in text.splitlines()
        if line.startswith("|")
        for cell in line.split(" | ")
    )


def _nesting_too_deep(html: str) -> bool:
    """Whether parsing stopped at libxml2's depth limit (asked only of a page with no text)."""
    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return False
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def page_metadata(tree: lxml.html.HtmlElement) -> dict[str, str | None]:
    """Title, site name, author and publication date from the page's own metadata.

    Read straight from meta tags, JSON-LD and <time>: the markup publishers fill
    for search engines and social cards. (trafilatura's metadata pass guesses more
    but costs more than half of its extraction time.)
    """
    meta = _meta_tags(tree)
    found: dict[str, str | None] = {}
    for key, paths in _META_PATHS.items():
        found[key] = next((value for path in paths for value in _values(tree, meta, path)), None)
    ld = _json_ld(tree)
    for key, ld_key in (("date", "datePublished"), ("author", "author")):
        found[key] = found[key] or ld.get(ld_key)
    declared = meta.get("og:title") or meta.get("twitter:title") or ld.get("headline")
    title = declared or _headline(tree)
    found["title"] = _strip_site_suffix(title, found["site_name"]) if title else None
    return found


# Where a page's <title> runs headline, section and site together ("Headline - Sport - Site").
_TITLE_PARTS = re.compile(r"\s+(?:[|–—>»:-]|::)\s+")
_HEADINGS = etree.XPath("//h1 | //h2 | //h3")
_WORD = re.compile(r"\w+")
_MARKUP = re.compile(r"</?[a-z]+[ >/]|=\"|\{")


def _headline(tree: lxml.html.HtmlElement) -> str | None:
    """The headline of a page that declares none (no og:title, twitter:title or JSON-LD):
    the heading its <title> repeats, else the longest part of the <title>, else the first
    <h1>. Older pages put the site's name or the section in the first <h1> ("Sport",
    "Latest News") and the headline in a later <h1>, <h2> or <h3>; the <title> nearly
    always holds the headline, with section and site. Checked on the L3S-GN1 pages
    (docs/benchmarks.md, "Headlines of pages that declare none")."""
    page_title = next((_squash(node.text_content()) for node in tree.iter("title")), "")
    if _MARKUP.search(page_title):  # broken markup ran on into the <title>
        page_title = ""
    title_words = _words(page_title)
    best: tuple[int, str | None] = (0, None)
    for node in _HEADINGS(tree):
        heading = _squash(node.text_content())
        words = _WORD.findall(heading.lower())
        shared = sum(word in title_words for word in words)
        # Most of the heading is in the title, and it is more than a section's name.
        most_in_title = words and shared >= 0.8 * len(words)
        if most_in_title and shared >= min(3, len(title_words)) and shared > best[0]:
            best = (shared, heading)
    if best[1]:
        return best[1]
    parts = [part for part in _TITLE_PARTS.split(page_title) if part.strip()]
    if parts:
        return max(parts, key=lambda part: len(_WORD.findall(part)))
    return next((_squash(node.text_content()) for node in tree.iter("h1")), None) or None


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _parse_fragment(html: str) -> lxml.html.HtmlElement | None:
    # lxml rejects str input that declares an encoding; the text is already decoded.
    cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return None


# Meta tags by their name or property; anything else is an XPath.
_META_PATHS: dict[str, list[str]] = {
    "site_name": ["og:site_name", "application-name", "publisher"],
    "author": [
        "author",
        "article:author",
        "byl",
        "sailthru.author",
        "//*[@rel='author']",
        "//*[@itemprop='author']//*[@itemprop='name']",
    ],
    "date": [
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "parsely-pub-date",
        "sailthru.date",
        "//*[@itemprop='datePublished']/@datetime",
        "//time[@datetime]/@datetime",
    ],
}


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """First non-empty content of each meta tag, keyed by lower-cased name/property/itemprop."""
    tags: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = _squash(node.get("content") or "")
        if key and content:
            tags.setdefault(key.lower(), content)
    return tags


def _values(tree: lxml.html.HtmlElement, meta: dict[str, str], path: str) -> list[str]:
    if not path.startswith("/"):
        return [meta[path]] if path in meta else []
    values = []
    for value in tree.xpath(path):
        text = _squash(value if isinstance(value, str) else value.text_content())
        if text:
            values.append(text)
    return values


def _json_ld(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """headline, datePublished and author names of the page's JSON-LD article, if any."""
    found: dict[str, str] = {}
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack and len(found) < 3:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
                continue
            if not isinstance(item, dict):
                continue
            stack.extend(value for value in item.values() if isinstance(value, list | dict))
            for key in ("headline", "datePublished"):
                if isinstance(item.get(key), str) and key not in found:
                    found[key] = item[key]
            authors = item.get("author")
            if authors and "author" not in found and "headline" in item:
                names = [
                    a.get("name") if isinstance(a, dict) else a
                    for a in (authors if isinstance(authors, list) else [authors])
                ]
                names = [name for name in names if isinstance(name, str) and name]
                if names:
                    found["author"] = "; ".join(names)
    return found


def _strip_site_suffix(title: str, site_name: str | None) -> str:
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and site_name and parts[-1].strip().lower() == site_name.lower():
        return " - ".join(parts[:-1]).strip()
    return title


def _captions_and_credits(tree: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    captions: list[str] = []
    photo_credits: list[str] = []
    classes = _CLASS_ATTRIBUTES(tree)
    caption_nodes = [
        node
        for node in _FIGCAPTIONS(tree)
        + [value.getparent() for value in classes if _CAPTION_CLASS.search(value)]
        if _is_caption_node(node)
    ]
    for node in caption_nodes:
        credit_nodes = [
            child
            for child in node.iterdescendants()
            if isinstance(child.tag, str) and _CREDIT_CLASS.search(child.get("class") or "")
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
    credit_nodes = [value.getparent() for value in classes if _CREDIT_CLASS.search(value)]
    for node in credit_nodes:
        if _inside_caption(node):
            continue
        credit = _strip_marker(_squash(node.text_content()))
        if credit and len(credit.split()) <= 14 and credit not in photo_credits:
            photo_credits.append(credit)
    return captions, photo_credits


def _is_caption_node(node: lxml.html.HtmlElement) -> bool:
    """A caption that is not part of a bigger caption; a caption-classed wrapper around
    a figcaption leaves the caption to the figcaption."""
    if _inside_caption(node):
        return False
    return node.tag == "figcaption" or node.find(".//figcaption") is None


def _inside_caption(node: lxml.html.HtmlElement) -> bool:
    return any(
        ancestor.tag == "figcaption" or _CAPTION_CLASS.search(ancestor.get("class") or "")
        for ancestor in node.iterancestors()
    )


def _strip_marker(credit: str) -> str:
    marked = credits.standalone_credit(credit)
    return (marked or credit).strip(" ()")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _drop_tree(node: lxml.html.HtmlElement) -> None:
    """``node.drop_tree()``, which joins the node's tail to the text before it: lxml refuses
    to set text holding a NUL or another control character its parser let through (and
    loses the text it was replacing), so those are taken out of the two texts first."""
    previous, parent = node.getprevious(), node.getparent()
    if node.tail and _NOT_XML.search(node.tail):
        node.tail = _NOT_XML.sub("", node.tail)
    if previous is not None and previous.tail and _NOT_XML.search(previous.tail):
        previous.tail = _NOT_XML.sub("", previous.tail)
    if previous is None and parent is not None and parent.text and _NOT_XML.search(parent.text):
        parent.text = _NOT_XML.sub("", parent.text)
    node.drop_tree()


def fragment_text(tree: lxml.html.HtmlElement | None) -> str:
    """Text of an HTML fragment (a feed item, a JSON field) with one paragraph per block element."""
    if tree is None:
        return ""
    # Captions were read from the markup already; here they would read as body text.
    for bad in tree.xpath("//script|//style|//noscript|//figcaption"):
        _drop_tree(bad)
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
