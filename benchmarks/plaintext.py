"""Cleaning already-scraped plain text: Parallax against keeping everything and trafilatura.

Run from the repository root::

    .venv/bin/python benchmarks/plaintext.py                 # both sets, a few minutes
    .venv/bin/python benchmarks/plaintext.py --sets l3s-gn1 --limit 100

Development data (outside the repository, ``--shared``):

* ``eval/l3s-gn1``: 621 news pages from 408 sites (2008), every text block labelled by
  people; the gold body is the blocks labelled full text.
* ``eval/article-extraction``: 181 news pages (2020) with their article body.

Each page is dumped to plain text the way a naive scraper does (``naive_dump``): every
visible block of the page a paragraph, menus, footers, teasers and cookie notices
included. Systems then see only that text, as Parallax sees a ``.txt`` file.

Rows, each scored against the gold body of the page:

* keep everything: the dump itself;
* Parallax: ``clean_document`` on the dump (its ``Article.text``);
* trafilatura on the dump (it gets text without markup, so it returns it whole or nothing);
* trafilatura on the HTML: the reference a text-only cleaner aims at.

Scorers:

* token F1: the ``\\w+`` tokens of output and gold as multisets; precision and recall per
  page, macro-averaged, F1 their harmonic mean (as ``benchmarks/extraction.py`` does);
* snippets: the scorer of trafilatura's own evaluation, emulated. For each page up to five
  snippets that must stay (from lines of the dump that are body) and five that must go
  (from the other lines), each the middle 8 words of its line; a snippet counts as found
  when its words appear in order in the output. Precision and recall pool all pages.
* decisive snippets: the same scorer on snippets placed where trafilatura's evaluation
  places its hand-picked ones (``decisive_snippets_of``): the start and the end of the
  article, a short line inside it, and the page lines nearest it.

``--dumps "text nodes"`` also dumps every text node a line (``text_node_dump``), as a
scraper calling a parser's ``get_text("\n")`` does.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

REPO_ROOT = Path(__file__).resolve().parents[1]
# The sibling scripts this one reads pages and fits models with are imported by name.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
SETS = ("l3s-gn1", "article-extraction")

# --------------------------------------------------------------------------- the naive dump

# Elements a browser does not show as text.
_INVISIBLE = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe",
    "object", "embed", "svg", "canvas", "select", "option", "button", "input", "textarea",
    "map", "area",
}  # fmt: skip
# Elements that start a new block of text (HTML's block-level and table cells).
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li",
    "main", "menu", "nav", "noframes", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "legend",
}  # fmt: skip


def naive_dump(html: str) -> str:
    """The visible text of a page, one paragraph per block, as a naive scraper writes it.

    Blocks are separated by a blank line; a ``<br>`` inside a block starts a new line.
    Nothing is judged: menus, footers, teasers and notices all stay.
    """
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        lines = [" ".join(line.split()) for line in "".join(current).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)
        current.clear()

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE or not tag or element.get("hidden") is not None:
            return
        is_block = tag in _BLOCK
        if is_block:
            flush()
        if tag == "br":
            current.append("\n")
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if is_block:
            flush()

    walk(root)
    flush()
    return "\n\n".join(blocks)


def text_node_dump(html: str) -> str:
    """Every text node of the page on its own line, as ``get_text("\\n")`` of a common
    HTML parser writes it: a sentence with a link in it falls apart into three lines."""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    lines: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE or not tag or element.get("hidden") is not None:
            return
        lines.append(element.text or "")
        for child in element:
            walk(child)
            lines.append(child.tail or "")

    walk(root)
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


DUMPS = {"blocks": naive_dump, "text nodes": text_node_dump}
"""The two ways of dumping a page: every block a paragraph (the issue's naive scraper, and
the default), and every text node a line."""


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Page:
    """One development page: its site, the naive dump and the gold body."""

    collection: str
    id: str
    site: str
    html: str
    dump: str
    gold: str
    title: str = ""
    dump_style: str = "blocks"


def site_of(url: str | None) -> str:
    """The host without "www.": pages of one site share their furniture, so folds split by it."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def load_l3s(root: Path, limit: int | None = None, dump: str = "blocks") -> list[Page]:
    from stories import page_urls

    urls = page_urls(root / "original")
    pages = []
    for path in sorted((root / "original").glob("*.html"))[:limit]:
        page_id = path.name.removesuffix(".html")
        blocks = json.loads((root / "gold_text" / f"{page_id}.blocks.json").read_text("utf-8"))
        gold = "\n".join(text for label, text in blocks if label == "fulltext")
        title = next((text for label, text in blocks if label == "headline"), "")
        html = path.read_text(encoding="utf-8", errors="replace")
        site = site_of(urls.get(page_id)) or page_id
        pages.append(Page("l3s-gn1", page_id, site, html, DUMPS[dump](html), gold, title, dump))
    return pages


def load_article_extraction(
    root: Path, limit: int | None = None, dump: str = "blocks"
) -> list[Page]:
    from extraction import load_pages

    pages = []
    for page in load_pages(root, limit):
        site = site_of(page.url) or page.id
        dumped = DUMPS[dump](page.html)
        pages.append(
            Page("article-extraction", page.id, site, page.html, dumped, page.gold, "", dump)
        )
    return pages


def load_set(name: str, shared: Path, limit: int | None = None, dump: str = "blocks") -> list[Page]:
    """A development set's pages, dumped to text by ``DUMPS[dump]``."""
    if name == "l3s-gn1":
        return load_l3s(shared / "eval/l3s-gn1", limit, dump)
    if name == "article-extraction":
        return load_article_extraction(shared / "eval/article-extraction", limit, dump)
    raise ValueError(f"unknown development set {name!r}; choose from {', '.join(SETS)}")


# --------------------------------------------------------------------------- labels

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return [token.lower() for token in _TOKEN.findall(text)]


def _grams(words: Sequence[str], n: int) -> Iterator[tuple[str, ...]]:
    return (tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def body_share(paragraph: str, gold_grams: set[tuple[str, ...]], n: int = 3) -> float:
    """Share of the paragraph's words inside a word n-gram of the gold body.

    Paragraphs shorter than n words count as one gram. A dump paragraph is body when most
    of its words are (``paragraph_labels``).
    """
    words = tokens(paragraph)
    if not words:
        return 0.0
    if len(words) < n:
        return float(tuple(words) in gold_grams)
    covered = [False] * len(words)
    for i, gram in enumerate(_grams(words, n)):
        if gram in gold_grams:
            covered[i : i + n] = [True] * n
    return sum(covered) / len(words)


def gold_grams(gold: str, n: int = 3) -> set[tuple[str, ...]]:
    """Every word n-gram of the gold body, and every shorter run, for short paragraphs."""
    words = tokens(gold)
    grams: set[tuple[str, ...]] = set()
    for size in range(1, n + 1):
        grams.update(_grams(words, size))
    return grams


def joined_fragments(gold: str) -> str:
    """Gold text one paragraph a line, with the pieces L3S-GN1 cut at links joined again:
    the page as clean text, an article and nothing else."""
    paragraphs: list[str] = []
    for line in (line.strip() for line in gold.splitlines()):
        if not line:
            continue
        continues = line[:1].islower() or line[:1] in ",.;:)"
        if paragraphs and (continues or not paragraphs[-1].endswith((".", "!", "?", '"', "”"))):
            paragraphs[-1] += ("" if line[:1] in ",.;:)" else " ") + line
        else:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- scorers


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int


def token_counts(gold: str, predicted: str) -> Counts:
    gold_bag, predicted_bag = Counter(tokens(gold)), Counter(tokens(predicted))
    tp = sum((gold_bag & predicted_bag).values())
    return Counts(tp, sum(predicted_bag.values()) - tp, sum(gold_bag.values()) - tp)


def token_f1(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Macro precision and recall over pages of (gold, predicted), F1 their harmonic mean.

    A page with an empty output stays out of the precision mean and costs recall.
    """
    counts = [token_counts(gold, predicted) for gold, predicted in pairs]
    precision = statistics.fmean([c.tp / (c.tp + c.fp) for c in counts if c.tp + c.fp] or [0])
    recall = statistics.fmean([c.tp / (c.tp + c.fn) for c in counts if c.tp + c.fn] or [0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


@dataclass(frozen=True)
class Snippets:
    keep: tuple[str, ...]
    drop: tuple[str, ...]


def snippets_of(page: Page, per_kind: int = 5, seed: int = 0) -> Snippets:
    """Snippets that must stay and must go, drawn from the labelled paragraphs of the dump.

    A snippet is the middle 8 words of a paragraph (the whole of a shorter one, at least
    3 words); one that also occurs in the other kind's text is dropped as ambiguous.
    """
    grams = gold_grams(page.gold)
    rng = random.Random(f"{seed}:{page.collection}:{page.id}")
    keep: list[str] = []
    drop: list[str] = []
    for paragraph in page.dump.splitlines():
        words = tokens(paragraph)
        if len(words) < 3:
            continue
        middle = max(0, (len(words) - 8) // 2)
        snippet = " ".join(words[middle : middle + 8])
        share = body_share(paragraph, grams)
        if share >= 0.9:
            keep.append(snippet)
        elif share <= 0.1:
            drop.append(snippet)
    gold_text = " ".join(tokens(page.gold))
    drop = [s for s in drop if s not in gold_text]
    keep = [s for s in dict.fromkeys(keep) if drop.count(s) == 0]
    rng.shuffle(keep)
    rng.shuffle(drop)
    return Snippets(tuple(keep[:per_kind]), tuple(dict.fromkeys(drop))[:per_kind])


def aligned_body(paragraphs: Sequence[str], gold: str) -> list[bool]:
    """Which paragraphs are the gold body, read in order.

    The dump's words are matched to the gold body's by one monotone alignment
    (``difflib``); a paragraph is body when most of its words are matched. Unlike
    ``body_share``, a menu word that also occurs somewhere in the article ("Home",
    "Twitter", "By") is not body: it stands where the article is not.
    """
    words: list[str] = []
    owner: list[int] = []
    for index, paragraph in enumerate(paragraphs):
        paragraph_words = tokens(paragraph)
        words.extend(paragraph_words)
        owner.extend([index] * len(paragraph_words))
    matched = [False] * len(words)
    matcher = SequenceMatcher(None, words, tokens(gold), autojunk=False)
    for start, _, size in matcher.get_matching_blocks():
        matched[start : start + size] = [True] * size
    counts = Counter(owner)
    hits = Counter(index for index, hit in zip(owner, matched, strict=True) if hit)
    return [counts[i] > 0 and hits[i] * 2 >= counts[i] for i in range(len(paragraphs))]


_DECISIVE_WORDS = 5
"""Words in a decisive snippet: trafilatura's hand-picked snippets run from one word to a
sentence, most of them a few words."""


def decisive_snippets_of(page: Page, seed: int = 0) -> Snippets:
    """Snippets where trafilatura's own evaluation puts them, emulated.

    Its snippets are picked by hand, "mostly at the beginning and the end of the main text
    where errors often happen", with "segments in particular sections (e.g. quotes or
    lists)" and "difficult segments" to catch what should have gone. So the ones that must
    stay are the first words of the article's first paragraph, the last words of its last,
    one short line inside it (a subheading or a list item) and the middle of one other
    paragraph; those that must go are the page line nearest the article on each side and
    two other page lines. Body is read by ``aligned_body``; a line shorter than the
    snippet is taken whole.
    """
    paragraphs = [p for p in page.dump.splitlines() if tokens(p)]
    line_words = [tokens(p) for p in paragraphs]
    body = aligned_body(paragraphs, page.gold)
    rng = random.Random(f"decisive:{seed}:{page.collection}:{page.id}")
    articles = [i for i, is_body in enumerate(body) if is_body and len(line_words[i]) >= 3]
    if not articles:
        return Snippets((), ())
    first, last = articles[0], articles[-1]

    def words(index: int, where: str) -> str:
        line = line_words[index]
        if len(line) <= _DECISIVE_WORDS:
            return " ".join(line)
        start = {"start": 0, "end": len(line) - _DECISIVE_WORDS,
                 "middle": (len(line) - _DECISIVE_WORDS) // 2}[where]  # fmt: skip
        return " ".join(line[start : start + _DECISIVE_WORDS])

    keep = [words(first, "start"), words(last, "end")]
    inside = [i for i in range(first + 1, last) if body[i]]
    short = [i for i in inside if len(line_words[i]) < 8]
    if short:
        keep.append(words(rng.choice(short), "start"))
    longer = [i for i in inside if len(line_words[i]) >= 8]
    if longer:
        keep.append(words(rng.choice(longer), "middle"))
    page_lines = [i for i, is_body in enumerate(body) if not is_body]
    nearest = [max((i for i in page_lines if i < first), default=None),
               min((i for i in page_lines if i > last), default=None)]  # fmt: skip
    chosen = [i for i in nearest if i is not None]
    others = [i for i in page_lines if i not in chosen]
    chosen += rng.sample(others, min(2, len(others)))
    gold_text = " ".join(tokens(page.gold))
    drop = [s for s in dict.fromkeys(words(i, "start") for i in chosen) if s not in gold_text]
    kept = [s for s in dict.fromkeys(keep) if s not in drop]
    return Snippets(tuple(kept), tuple(drop))


def snippet_scores(pairs: Sequence[tuple[Snippets, str]]) -> dict[str, float]:
    tp = fp = fn = 0
    for snippets, predicted in pairs:
        text = " ".join(tokens(predicted))
        found = [s in text for s in snippets.keep]
        tp += sum(found)
        fn += len(found) - sum(found)
        fp += sum(s in text for s in snippets.drop)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


# --------------------------------------------------------------------------- systems

System = Callable[[Page], str]


def keep_everything(page: Page) -> str:
    return page.dump


def parallax_cleaner(body_model: object = None) -> System:
    """Parallax's cleaner on the dump, with the packaged paragraph model or ``body_model``."""
    from parallax.clean import clean_document
    from parallax.errors import UnreadableDocument
    from parallax.model import RawDocument

    def clean(page: Page) -> str:
        raw = RawDocument(source=f"{page.id}.txt", format="text", content=page.dump, is_html=False)
        try:
            return clean_document(raw, body_model=body_model).text
        except UnreadableDocument:
            return ""

    return clean


def held_out_cleaner(other: str, shared: Path, limit: int | None) -> System:
    """Parallax with its paragraph model fitted as the packaged one is (every dump style,
    with clean copies) but on the other development set only, so that the row scores pages
    the model never saw; the packaged model has seen both sets. Threshold 0.5."""
    from train_plaintext import body_model_of, fit, load_prepared

    fitted = fit(load_prepared(shared, limit, list(DUMPS), [other])[other])
    return parallax_cleaner(body_model_of(fitted))


def trafilatura_on_dump(page: Page) -> str:
    """Trafilatura given the dump as the simplest page: each paragraph a ``<p>``."""
    import html

    import trafilatura

    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in page.dump.splitlines() if p.strip())
    return trafilatura.extract(f"<html><body>{paragraphs}</body></html>") or ""


def trafilatura_on_html(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html) or ""


HELD_OUT = "Parallax, model fitted on the other set"
SYSTEMS = ("keep everything", "Parallax", HELD_OUT, "trafilatura on the dump",
           "trafilatura on the HTML")  # fmt: skip
GATES = REPO_ROOT / "benchmarks/data/plaintext_gates.json"
GATE_COMMAND = ".venv/bin/python benchmarks/plaintext.py --record-gates"


def systems_for(
    names: Sequence[str], other: str, shared: Path, limit: int | None = None
) -> dict[str, System]:
    """The named systems; ``other`` names the other development set, for the held-out row."""
    builders: dict[str, Callable[[], System]] = {
        "keep everything": lambda: keep_everything,
        "Parallax": parallax_cleaner,
        HELD_OUT: lambda: held_out_cleaner(other, shared, limit),
        "trafilatura on the dump": lambda: trafilatura_on_dump,
        "trafilatura on the HTML": lambda: trafilatura_on_html,
    }
    return {name: builders[name]() for name in names}


def run(pages: Sequence[Page], systems: dict[str, System]) -> list[dict[str, object]]:
    snippets = [snippets_of(page) for page in pages]
    decisive = [decisive_snippets_of(page) for page in pages]
    rows = []
    for name, system in systems.items():
        start = time.perf_counter()
        outputs = [system(page) for page in pages]
        seconds = time.perf_counter() - start
        tokens_scores = token_f1([(p.gold, out) for p, out in zip(pages, outputs, strict=True)])
        snippet = snippet_scores(list(zip(snippets, outputs, strict=True)))
        decisive_scores = snippet_scores(list(zip(decisive, outputs, strict=True)))
        rows.append({"system": name, "token": tokens_scores, "snippets": snippet,
                     "decisive": decisive_scores, "seconds": seconds})  # fmt: skip
    return rows


def whole_recall(pages: Sequence[Page]) -> float:
    """Token recall of Parallax given each page's gold body as the text: an article with
    nothing around it must come through whole."""
    clean = parallax_cleaner()
    copies = [replace(page, dump=joined_fragments(page.gold)) for page in pages]
    return token_f1([(page.gold, clean(page)) for page in copies if page.gold.strip()])["recall"]


def gate_figures(shared: Path) -> dict[str, dict[str, float]]:
    """What tests/test_plaintext_gate.py checks: token F1 and decisive-snippet F1 of the
    packaged model and of one fitted on the other set only, and the recall on gold bodies,
    for each set."""
    pages = {name: load_set(name, shared) for name in SETS}
    figures = {}
    for name in SETS:
        other = next(other for other in SETS if other != name)
        systems = systems_for(["Parallax", HELD_OUT], other, shared)
        rows = {row["system"]: row for row in run(pages[name], systems)}
        figures[name] = {
            "token_f1": round(rows["Parallax"]["token"]["f1"], 4),
            "held_out_token_f1": round(rows[HELD_OUT]["token"]["f1"], 4),
            "decisive_f1": round(rows["Parallax"]["decisive"]["f1"], 4),
            "held_out_decisive_f1": round(rows[HELD_OUT]["decisive"]["f1"], 4),
            "whole_recall": round(whole_recall(pages[name]), 4),
        }
    return figures


def record_gates(shared: Path) -> None:
    GATES.write_text(json.dumps({
        "about": "Parallax cleaning the naive dumps of the development pages "
                 "(tests/test_plaintext_gate.py fails when a figure falls more than the "
                 "tolerance below)",
        "command": GATE_COMMAND,
        "date": date.today().isoformat(),
        "tolerance": 0.005,
        "figures": gate_figures(shared),
    }, indent=2) + "\n", encoding="utf-8")  # fmt: skip


def format_rows(collection: str, pages: int, rows: Sequence[dict]) -> str:
    lines = [
        f"{collection} ({pages} pages)",
        f"  {'system':<40} {'token P':>8} {'R':>6} {'F1':>6}   {'snippet P':>9} {'R':>6} "
        f"{'F1':>6}   {'decisive P':>10} {'R':>6} {'F1':>6}  {'s':>6}",
    ]
    for row in rows:
        t, s, d = row["token"], row["snippets"], row["decisive"]
        lines.append(
            f"  {row['system']:<40} {t['precision']:>8.3f} {t['recall']:>6.3f} {t['f1']:>6.3f}"
            f"   {s['precision']:>9.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}"
            f"   {d['precision']:>10.3f} {d['recall']:>6.3f} {d['f1']:>6.3f}  "
            f"{row['seconds']:>6.1f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    parser.add_argument("--dumps", nargs="+", default=["blocks"], choices=list(DUMPS),
                        help="how pages are dumped to text (default: blocks)")  # fmt: skip
    parser.add_argument("--record-gates", action="store_true", help=f"write {GATES.name}")
    args = parser.parse_args(argv)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    if args.record_gates:
        record_gates(args.shared)
        print(GATES.read_text(encoding="utf-8"))
        return 0
    print(f"{date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    for name in args.sets:
        other = next(other for other in SETS if other != name)
        systems = systems_for(args.systems, other, args.shared, args.limit)
        for dump in args.dumps:
            pages = load_set(name, args.shared, args.limit, dump)
            rows = run(pages, systems)
            print(format_rows(f"{name}, dumped as {dump}", len(pages), rows), flush=True)
        print(f"  Parallax given the gold body as text: recall {whole_recall(pages):.3f} "
              f"(text that is already an article comes through whole)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
