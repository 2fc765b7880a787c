"""Rendering a Comparison: Markdown, the self-contained HTML page, rich renderables.

All content is invented: two outlets report a bridge reopening in a made-up town.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from rich.console import Console

from parallax.compare.model import (
    ArticleRef,
    Comparison,
    Conflict,
    Fact,
    OutletView,
    Participant,
    QuoteReport,
    Source,
)
from parallax.compare.render import to_html, to_markdown, to_rich

HG, NL = "Harbour Gazette", "Northern Ledger"
HG_URL = "https://harbour-gazette.example/wrenfield-bridge"

HG_TEXT = (
    "The Copperline Bridge in Wrenfield reopened to traffic on Tuesday after eight months "
    "of repairs.\n\n"
    "Mayor Ada Quillon cut the ribbon in front of about 300 residents.\n\n"
    "\u201cThis bridge joins the two halves of our town again,\u201d Quillon said.\n\n"
    "Engineers replaced 40 steel cables, the council said. "
    "Some readers wrote <b>angry</b> letters about the delay."
)
HG_CAPTION = "Mayor Ada Quillon on the Copperline Bridge on Tuesday."
NL_TEXT = (
    "Wrenfield's Copperline Bridge opened again on Tuesday following eight months of work.\n\n"
    "Mayor Ada Quillon, joined by council engineer Tomas Brell, led a crowd of about 500 "
    "people across the deck.\n\n"
    "\u201cThis bridge joins the two halves of our town again,\u201d the mayor said.\n\n"
    "Tolls | fees will stay suspended until June."
)
DOCUMENTS = {
    "hg1": {"text": HG_TEXT, "caption:0": HG_CAPTION},
    "nl1": {"text": NL_TEXT},
}


def src(article_id: str, fragment: str, field: str = "text") -> Source:
    """The Source of ``fragment``'s first occurrence in an invented document."""
    document = DOCUMENTS[article_id][field]
    start = document.index(fragment)
    outlet = HG if article_id == "hg1" else NL
    return Source(article_id, outlet, start, start + len(fragment), field, fragment)


HG_UNIQUE = [
    Fact(
        "Engineers replaced 40 steel cables, the council said.",
        [HG],
        "unique",
        [src("hg1", "Engineers replaced 40 steel cables, the council said.")],
    ),
    Fact(
        "Some readers wrote <b>angry</b> letters about the delay.",
        [HG],
        "unique",
        [src("hg1", "Some readers wrote <b>angry</b> letters about the delay.")],
    ),
]
NL_UNIQUE = [
    Fact(
        "Tolls | fees will stay suspended until June.",
        [NL],
        "unique",
        [src("nl1", "Tolls | fees will stay suspended until June.")],
    )
]


@pytest.fixture
def comparison() -> Comparison:
    quillon = Participant(
        "e-quillon",
        "Ada Quillon",
        "person",
        {
            HG: OutletView(
                True,
                ["Mayor Ada Quillon", "Quillon"],
                ["host"],
                2,
                sources=[src("hg1", "Mayor Ada Quillon"), src("hg1", "Quillon said")],
            ),
            NL: OutletView(
                True, ["Mayor Ada Quillon"], ["host"], 1, True, [src("nl1", "Mayor Ada Quillon")]
            ),
        },
    )
    brell = Participant(
        "e-brell",
        "Tomas Brell",
        "person",
        {
            HG: OutletView(False),
            NL: OutletView(
                True,
                ["Tomas Brell"],
                ["engineer | inspector"],
                1,
                sources=[src("nl1", "council engineer Tomas Brell, led a crowd")],
            ),
        },
    )
    shared = Fact(
        "The Copperline Bridge in Wrenfield reopened on Tuesday after eight months of repairs.",
        [HG, NL],
        "shared",
        [
            src(
                "hg1",
                "The Copperline Bridge in Wrenfield reopened to traffic on Tuesday after eight months of repairs.",
            ),
            src(
                "nl1",
                "Wrenfield's Copperline Bridge opened again on Tuesday following eight months of work.",
            ),
        ],
        coverage="all",
    )
    ribbon = Fact(
        "Mayor Ada Quillon opened the bridge before a crowd.",
        [HG, NL],
        "shared",
        [
            src("hg1", "Mayor Ada Quillon cut the ribbon in front of about 300 residents."),
            src("nl1", "Mayor Ada Quillon, joined by council engineer Tomas Brell,"),
        ],
    )
    crowd = Conflict(
        "number",
        "Crowd size differs",
        {HG: ["about 300 residents"], NL: ["about 500 people"]},
        [src("hg1", "about 300 residents"), src("nl1", "about 500 people")],
    )
    quote = QuoteReport(
        "Ada Quillon",
        "This bridge joins the two halves of our town again,",
        [HG, NL],
        "e-quillon",
        speakers_by_outlet={HG: "Ada Quillon", NL: "Ada Quillon"},
        sources=[
            src(
                "hg1",
                "\u201cThis bridge joins the two halves of our town again,\u201d Quillon said.",
            ),
            src(
                "nl1",
                "\u201cThis bridge joins the two halves of our town again,\u201d the mayor said.",
            ),
        ],
    )
    caption_fact = Fact(
        "Quillon stood on the bridge on Tuesday.",
        [HG],
        "unique",
        [src("hg1", HG_CAPTION, "caption:0")],
    )
    return Comparison(
        story_id="story-wrenfield",
        title="Copperline Bridge reopens in Wrenfield",
        outlets=[HG, NL],
        articles=[
            ArticleRef("hg1", HG, "Wrenfield's bridge is back", HG_URL, "2031-05-06"),
            ArticleRef("nl1", NL, "Copperline open again", "javascript:alert(1)", "2031-05-07"),
        ],
        participants=[quillon, brell],
        facts=[shared, ribbon, *HG_UNIQUE, caption_fact, *NL_UNIQUE],
        conflicts=[crowd],
        quotes=[quote],
        start="2031-05-06",
        end="2031-05-07",
    )


VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class PageChecker(HTMLParser):
    """Checks non-void tags balance; collects ids, hrefs, attributes and mark/paragraph text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.attributes: set[str] = set()
        self.marks: dict[str, str] = {}
        self.paragraphs: list[str] = []
        self._mark: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.attributes.update(values)
        if "id" in values:
            self.ids.append(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "mark":
            if self._mark is not None or "mark" in self.stack:
                self.errors.append("nested mark")
            self._mark = values.get("id")
            if self._mark:
                self.marks[self._mark] = ""
        if tag == "p":
            self.paragraphs.append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "mark":
            self._mark = None

    def handle_data(self, data: str) -> None:
        if self._mark:
            self.marks[self._mark] += data
        if "p" in self.stack:
            self.paragraphs[-1] += data


def check_page(page: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    internal = [href[1:] for href in checker.hrefs if href.startswith("#")]
    assert set(internal) <= set(checker.ids), "a link without a target"
    return checker


def section(markdown: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## ``."""
    body = markdown.split(f"\n## {heading}\n", 1)[1]
    return body.split("\n## ", 1)[0].strip()


def mark_id(source: Source) -> str:
    return f"src-{source.article_id}-{source.field.replace(':', '-')}-{source.start}"


# Markdown


def test_markdown_header_and_participants_table(comparison: Comparison) -> None:
    markdown = to_markdown(comparison)
    assert markdown.startswith("# Copperline Bridge reopens in Wrenfield\n")
    assert "story-wrenfield" in markdown
    assert "2031-05-06 – 2031-05-07" in markdown
    assert "| Participant | Harbour Gazette | Northern Ledger |" in markdown
    rows = [line for line in section(markdown, "Participants").splitlines() if line.startswith("|")]
    assert len(rows) == 4  # header, rule, two participants
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 4, row
    brell = next(row for row in rows if "Tomas Brell" in row)
    assert r"engineer \| inspector" in brell
    assert brell.split(" | ")[1] == "—"  # not in the Harbour Gazette
    assert "✓ Tomas Brell" in brell.split(" | ")[2]
    assert "in 1 of 2 outlets" in brell
    quillon = next(row for row in rows if "Ada Quillon" in row)
    assert "✓ Mayor Ada Quillon, Quillon; roles: host |" in quillon
    assert "listed" in quillon.split(" | ")[2] and "listed" not in quillon.split(" | ")[1]


def test_markdown_facts_by_outlet(comparison: Comparison) -> None:
    markdown = to_markdown(comparison)
    shared = section(markdown, "Shared claims").splitlines()
    assert shared[0] == (
        "- The Copperline Bridge in Wrenfield reopened on Tuesday after eight months of repairs."
        " — *Harbour Gazette, Northern Ledger*"
    )
    # Each other outlet's own wording follows its claim.
    assert shared[1] == (
        "  - Northern Ledger: Wrenfield's Copperline Bridge opened again on Tuesday following "
        "eight months of work."
    )
    assert len(shared) == 4
    assert section(markdown, "Only in Harbour Gazette").splitlines() == [
        "- Engineers replaced 40 steel cables, the council said.",
        r"- Some readers wrote \<b\>angry\</b\> letters about the delay.",
        "- Quillon stood on the bridge on Tuesday.",
    ]
    assert section(markdown, "Only in Northern Ledger").splitlines() == [
        r"- Tolls \| fees will stay suspended until June."
    ]
    order = [
        markdown.index(f"## {h}")
        for h in ("Participants", "Shared claims", "Only in Harbour Gazette", "Conflicts", "Quotes")
    ]
    assert order == sorted(order)


def test_markdown_conflicts_quotes_and_articles(comparison: Comparison) -> None:
    markdown = to_markdown(comparison)
    assert section(markdown, "Conflicts").splitlines() == [
        "- **number**: Crowd size differs",
        "  - Harbour Gazette: about 300 residents",
        "  - Northern Ledger: about 500 people",
    ]
    quotes = section(markdown, "Quotes")
    assert quotes.startswith("### Ada Quillon\n\n- \u201cThis bridge joins")
    assert "— *Harbour Gazette, Northern Ledger*" in quotes
    articles = section(markdown, "Articles")
    assert f"<{HG_URL}>" in articles
    assert "javascript" not in articles


def test_markdown_notes_a_different_speaker_and_reported_speech(comparison: Comparison) -> None:
    quote = replace(comparison.quotes[0], speakers_by_outlet={HG: "Ada Quillon", NL: None})
    reported = QuoteReport(None, "the deck would be repainted in autumn", [NL], kind="indirect")
    markdown = to_markdown(replace(comparison, quotes=[quote, reported]))
    assert "  - Northern Ledger names no speaker" in markdown
    unattributed = markdown.split("### Unattributed\n\n", 1)[1].splitlines()
    assert unattributed[:2] == [
        "- the deck would be repainted in autumn — *Northern Ledger*",
        "  - reported speech, not a direct quote",
    ]


# HTML


def test_html_is_well_formed_and_self_contained(comparison: Comparison) -> None:
    page = to_html(comparison, DOCUMENTS)
    assert page.startswith("<!DOCTYPE html>")
    checker = check_page(page)
    assert not {"src", "srcset"} & checker.attributes
    assert not [name for name in checker.attributes if name.startswith("on")]
    lowered = page.lower()
    for forbidden in ("src=", "<link", "<script", "<img", "url(", "@import", "@font-face"):
        assert forbidden not in lowered
    assert "http" not in page.replace(HG_URL, "")
    assert f'<a href="{HG_URL}">{HG_URL}</a>' in page
    assert 'href="javascript' not in page


def test_html_marks_wrap_exactly_their_sources(comparison: Comparison) -> None:
    checker = check_page(to_html(comparison, DOCUMENTS))
    for fact in [*HG_UNIQUE, *NL_UNIQUE, comparison.facts[0], comparison.facts[4]]:
        for source in fact.sources:
            assert checker.marks[mark_id(source)] == source.text
            assert f"#{mark_id(source)}" in checker.hrefs
    assert "src-hg1-caption-0-0" in checker.marks


def test_html_every_source_has_a_link_target(comparison: Comparison) -> None:
    page = to_html(comparison, DOCUMENTS)
    checker = check_page(page)
    sources = [
        *(s for p in comparison.participants for v in p.by_outlet.values() for s in v.sources),
        *(
            s
            for item in [*comparison.facts, *comparison.conflicts, *comparison.quotes]
            for s in item.sources
        ),
    ]
    for source in sources:
        # Merged marks take the first span's id and contain every span merged into them.
        containing = [text for text in checker.marks.values() if source.text in text]
        assert containing, source


def test_html_escapes_article_text(comparison: Comparison) -> None:
    page = to_html(comparison, DOCUMENTS)
    assert "<b>" not in page
    assert "&lt;b&gt;angry&lt;/b&gt;" in page
    checker = check_page(page)
    assert "Tolls | fees will stay suspended until June." in checker.paragraphs


def test_html_paragraphs_and_layout(comparison: Comparison) -> None:
    page = to_html(comparison, DOCUMENTS)
    checker = check_page(page)
    assert "Mayor Ada Quillon cut the ribbon in front of about 300 residents." in checker.paragraphs
    assert HG_CAPTION in checker.paragraphs
    assert (
        page.index('class="conflicts"')
        < page.index('id="participants"')
        < page.index('id="claims"')
        < page.index('id="articles"')
    )
    # Claim groups side by side: one row each, one column per outlet, with the filters.
    claims = page[page.index('id="claims"') : page.index('id="articles"')]
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", claims)
    assert head is not None and head.group(1) == "<th>Harbour Gazette</th><th>Northern Ledger</th>"
    rows = re.findall(r'<tr class="([^"]*)" title="([^"]*)">(.*?)</tr>', claims)
    by_text = {title: (classes.split(), cells) for classes, title, cells in rows}
    classes, cells = by_text["Engineers replaced 40 steel cables, the council said."]
    assert "only-0" in classes and "coverage-one" in classes
    assert cells.count('class="absent"') == 1 and cells.endswith('<td class="absent">—</td>')
    classes, cells = by_text[
        "The Copperline Bridge in Wrenfield reopened on Tuesday after eight months of repairs."
    ]
    assert "coverage-all" in classes and 'class="absent"' not in cells
    assert "only-1" in by_text["Tolls | fees will stay suspended until June."][0]
    for name in ("all", "differences", "shared", "only-0", "only-1"):
        assert f'<input type="radio" name="show" id="show-{name}"' in claims
    brell_row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Tomas Brell.*?</tr>", page, re.S)
    assert brell_row is not None
    assert 'class="partial"' in brell_row.group(0) and "in 1 of 2 outlets" in brell_row.group(0)
    assert 'class="absent"' in brell_row.group(0)


def test_html_overlapping_nested_and_odd_spans() -> None:
    text = "Alpha beta gamma delta.\n\nEpsilon zeta eta theta.\n\nIota kappa."
    documents = {"a1": {"text": text}}

    def at(fragment: str) -> tuple[int, int]:
        start = text.index(fragment)
        return start, start + len(fragment)

    spans = {
        "sentence": at("Alpha beta gamma delta."),
        "nested": at("beta gamma"),
        "same start": at("Alpha beta"),
        "partial": at("delta.\n\nEpsilon zeta"),  # overlaps the sentence and crosses a paragraph
        "leading space": (at("Iota kappa.")[0] - 2, at("Iota kappa.")[1]),
        "out of range": (len(text) - 3, len(text) + 40),
        "whitespace only": (at("\n\nIota")[0], at("\n\nIota")[0] + 2),
    }
    facts = [
        Fact(
            name,
            ["Harbour Gazette"],
            "unique",
            [Source("a1", "Harbour Gazette", s, e, "text", text[s:e])],
        )
        for name, (s, e) in spans.items()
    ]
    facts.append(
        Fact("missing field", [HG], "unique", [Source("a1", HG, 0, 5, "caption:3", "Alpha")])
    )
    facts.append(Fact("other article", [HG], "unique", [Source("zz", HG, 0, 5, "text", "Alpha")]))
    comparison = Comparison(
        "s", "Overlaps", [HG], [ArticleRef("a1", HG, "T", None, None)], [], facts, [], []
    )
    page = to_html(comparison, documents)
    checker = check_page(page)

    def target(fact_text: str) -> str | None:
        """Where the claim's row links to (each claim group is a row titled with it)."""
        row = re.search(r'<tr [^>]*title="' + re.escape(fact_text) + r'">(.*?)</tr>', page, re.S)
        assert row is not None, fact_text
        found = re.search(r'<a href="#([^"]+)"', row.group(1))
        return found.group(1) if found else None

    merged = mark_id(facts[0].sources[0])
    for name in ("sentence", "nested", "same start", "partial"):
        assert target(name) == merged
    # The merged mark runs from the sentence to the end of "Epsilon zeta", split at the break.
    assert checker.marks[merged] == "Alpha beta gamma delta."
    assert "<mark>Epsilon zeta</mark>" in page
    assert checker.marks[target("leading space")] == "Iota kappa."
    # Clipped to the text, it lies inside the previous span and shares its mark.
    assert target("out of range") == target("leading space")
    # Nothing left to mark, or nothing to mark in: the link goes to the article.
    assert target("whitespace only") == "article-a1"
    assert target("missing field") == "article-a1"
    # An article that is not on the page gets no link at all.
    assert target("other article") is None
    assert "other article" in page


def test_renderers_accept_an_empty_comparison() -> None:
    empty = Comparison("s0", "Nothing yet", [], [], [], [], [], [])
    assert "No conflicts between outlets found." in to_markdown(empty)
    check_page(to_html(empty, {}))
    console = Console(record=True, width=120)
    for renderable in to_rich(empty):
        console.print(renderable)
    assert "Nothing yet" in console.export_text()


# Terminal


def rich_text(comparison: Comparison) -> str:
    console = Console(record=True, width=120)
    for renderable in to_rich(comparison):
        console.print(renderable)
    return console.export_text()


def test_rich_shows_participants_facts_and_conflicts(comparison: Comparison) -> None:
    output = rich_text(comparison)
    for expected in (
        "Copperline Bridge reopens in Wrenfield",
        "Ada Quillon",
        "Tomas Brell",
        "Harbour Gazette",
        "Northern Ledger",
        "Crowd size differs",
        "about 500 people",
        "Only in Harbour Gazette",
        "Only in Northern Ledger",
        "Engineers replaced 40 steel cables",
        "This bridge joins the two halves",
    ):
        assert expected in output


def test_rich_truncates_long_facts_and_prints_brackets_literally(comparison: Comparison) -> None:
    long_fact = Fact(
        "[bold]Ferry[/bold] timetables " + "will change again " * 20 + "FINAL-WORD",
        [NL],
        "unique",
        [],
    )
    output = rich_text(replace(comparison, facts=[*comparison.facts, long_fact]))
    assert "[bold]Ferry[/bold] timetables" in output
    assert "…" in output
    assert "FINAL-WORD" not in output
