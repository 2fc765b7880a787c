"""A comparison for people: a Markdown report, a self-contained HTML page, terminal renderables.

The HTML page ends with every article, each sentence a comparison draws on highlighted,
and every point above links to its sentence, so a reader can check it in context.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

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

TEXT_LIMIT = 200
# The HTML page's "only in" filters are styled one per outlet column; a story of more
# outlets than this keeps the other filters.
MAX_FILTERED_OUTLETS = 24
NOT_MENTIONED = "—"
UNATTRIBUTED = "Unattributed"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CAPTION = re.compile(r"caption:(\d+)")

SpanKey = tuple[str, str, int, int]  # article id, field, start, end


# What the three formats share


def _date_range(comparison: Comparison) -> str:
    if comparison.start and comparison.end and comparison.start != comparison.end:
        return f"{comparison.start} – {comparison.end}"
    return comparison.start or comparison.end or "unknown"


def _ordered_union(*groups: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for group in groups for item in group))


def _shared_facts(comparison: Comparison) -> list[Fact]:
    return [fact for fact in comparison.facts if fact.status == "shared"]


def _unique_by_outlet(comparison: Comparison) -> dict[str, list[Fact]]:
    """Each outlet's unique facts, in the comparison's outlet order; outlets without any dropped."""
    unique = [fact for fact in comparison.facts if fact.status == "unique"]
    outlets = _ordered_union(comparison.outlets, (o for fact in unique for o in fact.outlets))
    groups = {outlet: [fact for fact in unique if outlet in fact.outlets] for outlet in outlets}
    return {outlet: facts for outlet, facts in groups.items() if facts}


def _other_wordings(fact: Fact) -> list[tuple[str, str]]:
    """(outlet, wording) of each source after the first that words the claim otherwise,
    with who said it when it is a quotation's words."""
    return [
        (source.outlet, _with_speaker(_truncate(source.text), source))
        for source in fact.sources[1:]
        if source.text and source.text != fact.text
    ]


def _first_wording(fact: Fact, truncate: bool = False) -> str:
    """The claim as the first outlet words it, with who said it when it is a quotation's."""
    text = _truncate(fact.text) if truncate else fact.text
    return _with_speaker(text, fact.sources[0]) if fact.sources else text


def _quoted_by(source: Source) -> str:
    """ "(Ionut Vladescu, quoted)" after words that are a quotation's, so that they do not
    read as the outlet's own claim; nothing otherwise."""
    return f"({source.speaker}, quoted)" if source.speaker else ""


def _html_quoted_by(source: Source) -> str:
    if not source.speaker:
        return ""
    return f'<span class="quoted-by">{escape(_quoted_by(source))}</span> '


def _with_speaker(text: str, source: Source) -> str:
    return f"{text} {_quoted_by(source)}" if source.speaker else text


def _quotes_by_speaker(quotes: Iterable[QuoteReport]) -> dict[str, list[QuoteReport]]:
    groups: dict[str, list[QuoteReport]] = {}
    for quote in quotes:
        groups.setdefault(quote.speaker or UNATTRIBUTED, []).append(quote)
    return groups


def _quoted(quote: QuoteReport) -> str:
    # Quotation marks only around words actually quoted, not around a paraphrase.
    return f"“{quote.text}”" if quote.kind == "direct" else quote.text


def _quote_notes(quote: QuoteReport) -> list[str]:
    """A paraphrase said to be one, and outlets that give the words to someone else."""
    notes = ["reported speech, not a direct quote"] if quote.kind != "direct" else []
    return notes + [
        f"{outlet} attributes it to {speaker}" if speaker else f"{outlet} names no speaker"
        for outlet, speaker in quote.speakers_by_outlet.items()
        if speaker != quote.speaker
    ]


def _coverage(participant: Participant, outlets: Sequence[str]) -> str | None:
    """``"in 1 of 3 outlets"`` when only some outlets mention the participant."""
    mentioned = [outlet for outlet in outlets if _view(participant, outlet).mentioned]
    if 0 < len(mentioned) < len(outlets):
        return f"in {len(mentioned)} of {len(outlets)} outlets"
    return None


def _view(participant: Participant, outlet: str) -> OutletView:
    return participant.by_outlet.get(outlet) or OutletView(mentioned=False)


def _view_details(view: OutletView) -> list[str]:
    """Roles, who brings a country in, and list membership: the cell after the spellings."""
    details = [f"roles: {', '.join(view.roles)}"] if view.roles else []
    details += [f"via {', '.join(view.via)}"] if view.via else []
    return [*details, "listed"] if view.listed else details


def _web_url(url: str | None) -> str | None:
    # Only http(s): a javascript: or data: "url" must never become a link.
    if url and urlsplit(url).scheme in ("http", "https") and not re.search(r"[\s<>]", url):
        return url
    return None


def _truncate(text: str, limit: int = TEXT_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    # Cut at a word boundary unless that would throw away most of the text.
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:") + "…"


# Markdown


def to_markdown(comparison: Comparison) -> str:
    """A Markdown report of the comparison."""
    sections = [
        _md_header(comparison),
        _md_participants(comparison),
        _md_shared(_shared_facts(comparison)),
        *(
            _md_facts(f"Only in {_md(outlet)}", facts)
            for outlet, facts in _unique_by_outlet(comparison).items()
        ),
        _md_conflicts(comparison.conflicts),
        _md_quotes(comparison.quotes),
        _md_articles(comparison.articles),
    ]
    return "\n\n".join(sections)


def _md(text: str) -> str:
    """One line of literal text: whitespace collapsed, Markdown punctuation escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_list(items: Sequence[str], empty: str) -> str:
    return "\n".join(f"- {item}" for item in items) if items else f"_{empty}_"


def _md_outlets(outlets: Iterable[str]) -> str:
    return "*" + ", ".join(_md(outlet) for outlet in outlets) + "*"


def _md_header(comparison: Comparison) -> str:
    return "\n".join(
        [
            f"# {_md(comparison.title)}",
            "",
            f"- **Story:** {_md(comparison.story_id)}",
            f"- **Dates:** {_md(_date_range(comparison))}",
            f"- **Outlets:** {', '.join(_md(outlet) for outlet in comparison.outlets)}",
        ]
    )


def _md_participants(comparison: Comparison) -> str:
    if not comparison.participants:
        return "## Participants\n\n_None found._"
    header = ["Participant", *comparison.outlets]
    rows = [
        [_md_participant_name(participant, comparison.outlets)]
        + [_md_cell(_view(participant, outlet)) for outlet in comparison.outlets]
        for participant in comparison.participants
    ]
    return "## Participants\n\n" + "\n".join(
        "| " + " | ".join(cells) + " |"
        for cells in [[_md(cell) for cell in header], ["---"] * len(header), *rows]
    )


def _md_participant_name(participant: Participant, outlets: Sequence[str]) -> str:
    parts = [f"**{_md(participant.canonical)}** ({_md(participant.type)})"]
    coverage = _coverage(participant, outlets)
    parts += [f"_{coverage}_"] if coverage else []
    parts += [f"⚠ {_md(warning)}" for warning in participant.warnings]
    return " ".join(parts)


def _md_cell(view: OutletView) -> str:
    if not view.mentioned:
        return NOT_MENTIONED
    spellings = "✓ " + ", ".join(_md(variant) for variant in view.variants)
    return "; ".join([spellings.rstrip(), *(_md(detail) for detail in _view_details(view))])


def _md_shared(facts: Sequence[Fact]) -> str:
    """Each shared claim as the first outlet words it, then the others' wordings."""
    items = [
        ("**Differs:** " if fact.disputed else "")
        + f"{_md(_first_wording(fact))} — {_md_outlets(fact.outlets)}"
        + "".join(f"\n  - {_md(outlet)}: {_md(text)}" for outlet, text in _other_wordings(fact))
        for fact in facts
    ]
    return "## Shared claims\n\n" + _md_list(items, "None.")


def _md_facts(heading: str, facts: Sequence[Fact]) -> str:
    return f"## {heading}\n\n" + _md_list([_md(_first_wording(fact)) for fact in facts], "None.")


def _md_conflicts(conflicts: Sequence[Conflict]) -> str:
    items = [
        f"**{_md(conflict.kind)}**: {_md(conflict.description)}"
        + "".join(
            f"\n  - {_md(outlet)}: {_md('; '.join(says)) or NOT_MENTIONED}"
            for outlet, says in conflict.by_outlet.items()
        )
        for conflict in conflicts
    ]
    return "## Conflicts\n\n" + _md_list(items, "No conflicts between outlets found.")


def _md_quotes(quotes: Sequence[QuoteReport]) -> str:
    groups = [
        f"### {_md(speaker)}\n\n"
        + _md_list(
            [
                f"{_md(_quoted(quote))} — {_md_outlets(quote.outlets)}"
                + "".join(f"\n  - {_md(note)}" for note in _quote_notes(quote))
                for quote in group
            ],
            "None.",
        )
        for speaker, group in _quotes_by_speaker(quotes).items()
    ]
    return "## Quotes\n\n" + ("\n\n".join(groups) if groups else "_None found._")


def _md_articles(articles: Sequence[ArticleRef]) -> str:
    return "## Articles\n\n" + _md_list([_md_article(article) for article in articles], "None.")


def _md_article(article: ArticleRef) -> str:
    url = _web_url(article.url)
    parts = [
        f"**{_md(article.outlet)}**",
        _md(article.title or article.id),
        _md(article.published or ""),
        f"<{url}>" if url else "",
        f"*not analysed: {_md(article.not_analysed)}*" if article.not_analysed else "",
    ]
    return " — ".join(part for part in parts if part)


# HTML


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    id: str


# Where the web pages link a comparison's articles and entities (``parallax serve``); the
# fragment stored with each comparison (``html_sections``) links there.
WEB_ARTICLE_HREF = "/articles/{id}"
WEB_ENTITY_HREF = "/entities/{id}"


@dataclass(frozen=True)
class ClaimsShown:
    """How much of the claims and participants tables a page shows: the columns of the
    ``outlets`` with the most articles, and the first ``rows`` claim groups (in the
    comparison's order, those in a conflict first) that one of them carries. None shows
    all."""

    outlets: int | None = None
    rows: int | None = None


# The web page's claims table: a story of 300 reports from 90 outlets has some 1,600 claim
# groups, a 5 MB table no reader scrolls through; the JSON keeps every one.
WEB_CLAIMS = ClaimsShown(outlets=12, rows=200)


def to_html(
    comparison: Comparison,
    documents: Mapping[str, Mapping[str, str]] | None = None,
    *,
    nav: str = "",
    article_href: str = "",
    entity_href: str = "",
    figure: str = "",
    stylesheet: str = "",
) -> str:
    """A self-contained HTML page; ``documents[article_id][field]`` is the text spans index
    into (default: the texts the comparison carries). For the web view: ``nav`` is trusted
    HTML put first in the body, ``article_href`` (e.g. ``/articles/{id}``) links each
    article's heading to its page, ``entity_href`` (e.g. ``/entities/{id}``) each person's,
    organisation's and speaker's name to theirs, ``figure`` is trusted HTML put after the
    header, and ``stylesheet`` is the address of ``page_css()``, linked instead of inlined
    (a Content-Security-Policy without inline styles)."""
    body = html_sections(
        comparison,
        documents,
        article_href=article_href,
        entity_href=entity_href,
        figure=figure,
    )
    return html_page(comparison.title, body, nav=nav, stylesheet=stylesheet)


def html_sections(
    comparison: Comparison,
    documents: Mapping[str, Mapping[str, str]] | None = None,
    *,
    article_href: str = "",
    entity_href: str = "",
    figure: str = "",
    claims: ClaimsShown = ClaimsShown(),
) -> str:
    """The body of ``to_html``'s page without its navigation: the header, ``figure``,
    then conflicts, participants, claims (as many as ``claims`` says), quotes and the
    articles."""
    documents = comparison.documents if documents is None else documents
    marks, targets = _plan_marks(comparison, documents)
    return "\n".join(
        [
            _html_header(comparison),
            *([figure] if figure else []),
            _html_conflicts(comparison.conflicts, targets),
            _html_participants(comparison, targets, entity_href, claims),
            _html_claims(comparison, targets, claims),
            _html_quotes(comparison.quotes, targets, entity_href),
            _html_articles(comparison.articles, documents, marks, article_href),
        ]
    )


def html_page(title: str, body: str, *, nav: str = "", stylesheet: str = "") -> str:
    """A whole page around ``body`` (trusted HTML) and ``nav`` (put first), with the
    comparison's stylesheet inlined, or linked from ``stylesheet``."""
    before, after = page_around(title, nav=nav, stylesheet=stylesheet)
    return before + body + after


def page_around(title: str, *, nav: str = "", stylesheet: str = "") -> tuple[str, str]:
    """What ``html_page`` puts before and after a body: a server joins them to a body it
    keeps as bytes without decoding it."""
    style = (
        f'<link rel="stylesheet" href="{escape(stylesheet)}">'
        if stylesheet
        else f"<style>\n{_CSS}\n</style>"
    )
    before, after = _PAGE.split("{body}")
    return before.format(title=escape(title), style=style) + f"{nav}\n", after


def page_css() -> str:
    """The comparison page's stylesheet (see ``to_html``'s ``stylesheet``)."""
    return _CSS


def _slug(value: str) -> str:
    return _NOT_ID.sub("-", value)


def _mark_id(article_id: str, field: str, start: int) -> str:
    return f"src-{_slug(article_id)}-{_slug(field)}-{start}"


def _article_anchor(article_id: str) -> str:
    return f"article-{_slug(article_id)}"


def _key(source: Source) -> SpanKey:
    return (source.article_id, source.field, source.start, source.end)


def _all_sources(comparison: Comparison) -> Iterator[Source]:
    for participant in comparison.participants:
        for view in participant.by_outlet.values():
            yield from view.sources
    for item in (*comparison.facts, *comparison.conflicts, *comparison.quotes):
        yield from item.sources


def _caption_fields(fields: Iterable[str]) -> list[str]:
    captions = [field for field in fields if _CAPTION.fullmatch(field)]
    return sorted(captions, key=lambda field: int(field.split(":")[1]))


def _is_rendered(field: str) -> bool:
    return field == "text" or _CAPTION.fullmatch(field) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span clipped to the text and stripped of whitespace; None if nothing is left."""
    start, end = max(start, 0), min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _plan_marks(
    comparison: Comparison, documents: Mapping[str, Mapping[str, str]]
) -> tuple[dict[tuple[str, str], list[_Mark]], dict[SpanKey, str]]:
    """Marks per (article, field), and the element id each Source's link points at.

    A Source that cannot be marked (no such document, field or span) points at its
    article; one whose article is not on the page has no target and gets no link.
    """
    rendered = {article.id for article in comparison.articles}
    spans: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for source in _all_sources(comparison):
        if source.article_id in rendered:
            spans.setdefault((source.article_id, source.field), set()).add(
                (source.start, source.end)
            )
    marks: dict[tuple[str, str], list[_Mark]] = {}
    targets: dict[SpanKey, str] = {}
    for (article_id, field), pairs in spans.items():
        text = documents.get(article_id, {}).get(field) if _is_rendered(field) else None
        owners: dict[tuple[int, int], str] = {}
        if text is not None:
            marks[(article_id, field)], owners = _merge_spans(article_id, field, text, pairs)
        fallback = _article_anchor(article_id)
        for start, end in pairs:
            targets[(article_id, field, start, end)] = owners.get((start, end), fallback)
    return marks, targets


def _merge_spans(
    article_id: str, field: str, text: str, pairs: Iterable[tuple[int, int]]
) -> tuple[list[_Mark], dict[tuple[int, int], str]]:
    """Non-overlapping marks over the spans, and the mark each span ends up in.

    Overlapping or nested spans merge into one mark (marks cannot nest across
    each other), which takes the id of the span that starts first.
    """
    trimmed = [(span, pair) for pair in pairs if (span := _trim(text, *pair))]
    trimmed.sort(key=lambda item: (item[0][0], -item[0][1]))
    marks: list[_Mark] = []
    owners: dict[tuple[int, int], str] = {}
    for (start, end), pair in trimmed:
        if marks and start < marks[-1].end:
            marks[-1] = replace(marks[-1], end=max(marks[-1].end, end))
        else:
            marks.append(_Mark(start, end, _mark_id(article_id, field, pair[0])))
        owners[pair] = marks[-1].id
    return marks, owners


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, whitespace stripped."""
    position = 0
    for separator in _PARAGRAPH_BREAK.finditer(text):
        if span := _trim(text, position, separator.start()):
            yield span
        position = separator.end()
    if span := _trim(text, position, len(text)):
        yield span


def _marked(text: str, start: int, end: int, marks: Sequence[_Mark]) -> str:
    """text[start:end] escaped, with the parts of marks that fall inside it wrapped.

    A mark that crosses a paragraph break is split; its id goes on the first part.
    Marks start on a non-space character, which always lies in some paragraph.
    """
    parts: list[str] = []
    position = start
    for mark in marks:
        if mark.end <= start or mark.start >= end:
            continue
        piece_start, piece_end = max(mark.start, start), min(mark.end, end)
        id_attribute = f' id="{mark.id}"' if piece_start == mark.start else ""
        parts.append(escape(text[position:piece_start]))
        parts.append(f"<mark{id_attribute}>{escape(text[piece_start:piece_end])}</mark>")
        position = piece_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def _field_html(text: str, marks: Sequence[_Mark]) -> str:
    return "\n".join(
        f"<p>{_marked(text, start, end, marks)}</p>" for start, end in _paragraphs(text)
    )


def _link(source: Source, targets: Mapping[SpanKey, str], label: str) -> str:
    target = targets.get(_key(source))
    if target is None:
        return escape(label)
    title = f' title="{escape(source.text)}"' if source.text else ""
    return f'<a href="#{target}"{title}>{escape(label)}</a>'


def _outlet_links(
    outlets: Iterable[str], sources: Sequence[Source], targets: Mapping[SpanKey, str]
) -> str:
    """Each outlet linked to its sentence(s); outlets without a Source plain."""
    links: list[str] = []
    for outlet in _ordered_union(outlets, (source.outlet for source in sources)):
        own = [source for source in sources if source.outlet == outlet]
        links += [
            _link(source, targets, outlet if n == 1 else f"{outlet} ({n})")
            for n, source in enumerate(own, 1)
        ] or [escape(outlet)]
    return ", ".join(links)


def _numbered_links(sources: Sequence[Source], targets: Mapping[SpanKey, str]) -> str:
    return " ".join(_link(source, targets, str(n)) for n, source in enumerate(sources, 1))


def _html_section(section_id: str, heading: str, body: str, css_class: str = "") -> str:
    class_attribute = f' class="{css_class}"' if css_class else ""
    return (
        f'<section id="{section_id}"{class_attribute}>\n<h2>{escape(heading)}</h2>\n'
        f"{body}\n</section>"
    )


def _html_none(message: str) -> str:
    return f'<p class="none">{escape(message)}</p>'


def _html_header(comparison: Comparison) -> str:
    outlets = "".join(
        f'<li><a href="#{_article_anchor(article.id)}">{escape(article.outlet)}</a>'
        f"{': ' + escape(article.title) if article.title else ''}</li>"
        for article in comparison.articles
    )
    return (
        f"<header>\n<h1>{escape(comparison.title)}</h1>\n"
        f'<p class="meta">{escape(_date_range(comparison))} · '
        f"{_counted(len(comparison.outlets), 'outlet')}: "
        f"{escape(', '.join(comparison.outlets))} · "
        f"story {escape(comparison.story_id)}</p>\n"
        f'<ul class="articles">{outlets}</ul>\n</header>'
    )


def _html_conflicts(conflicts: Sequence[Conflict], targets: Mapping[SpanKey, str]) -> str:
    if not conflicts:
        return _html_section(
            "conflicts", "Conflicts", _html_none("No conflicts between outlets found."), "agree"
        )
    body = "\n".join(_html_conflict(conflict, targets) for conflict in conflicts)
    return _html_section("conflicts", "Conflicts", body, "conflicts")


def _html_conflict(conflict: Conflict, targets: Mapping[SpanKey, str]) -> str:
    outlets = _ordered_union(conflict.by_outlet, (source.outlet for source in conflict.sources))
    rows = "".join(
        f"<dt>{escape(outlet)}</dt><dd>"
        f"{escape('; '.join(conflict.by_outlet.get(outlet, [])) or NOT_MENTIONED)} "
        f'<span class="refs">'
        f"{_numbered_links([s for s in conflict.sources if s.outlet == outlet], targets)}"
        f"</span></dd>"
        for outlet in outlets
    )
    return (
        f'<div class="conflict"><p><span class="kind">{escape(conflict.kind)}</span> '
        f"{escape(conflict.description)}</p><dl>{rows}</dl></div>"
    )


def _html_participants(
    comparison: Comparison,
    targets: Mapping[SpanKey, str],
    entity_href: str = "",
    shown: ClaimsShown = ClaimsShown(),
) -> str:
    """Every participant as a row, each outlet's view in its column (the columns of the
    outlets ``shown`` keeps, and says so)."""
    if not comparison.participants:
        return _html_section("participants", "Participants", _html_none("None found."))
    outlets = _most_covered(comparison.outlets, comparison.articles, shown.outlets)
    head = "".join(f'<th scope="col">{escape(outlet)}</th>' for outlet in outlets)
    rows = "\n".join(
        _html_participant(participant, outlets, targets, entity_href)
        for participant in comparison.participants
    )
    note = ""
    if len(outlets) < len(comparison.outlets):
        note = (
            f'<p class="meta">Showing the {len(outlets)} of {len(comparison.outlets)} outlets '
            "with the most articles; the comparison's JSON has every one.</p>\n"
        )
    table = (
        f'{note}<div class="scroll"><table class="participants">\n'
        f'<thead><tr><th scope="col">Participant</th>{head}</tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody></table></div>"
    )
    return _html_section("participants", "Participants", table)


def _html_participant(
    participant: Participant,
    outlets: Sequence[str],
    targets: Mapping[SpanKey, str],
    entity_href: str = "",
) -> str:
    coverage = _coverage(participant, outlets)
    name = (
        f"{_entity_link(participant.canonical, participant.entity_id, entity_href)} "
        f'<span class="type">{escape(participant.type)}</span>'
        + (f' <span class="badge">{escape(coverage)}</span>' if coverage else "")
        + "".join(
            f'<br><span class="warning">⚠ {escape(warning)}</span>'
            for warning in participant.warnings
        )
    )
    cells = "".join(_html_view(_view(participant, outlet), targets) for outlet in outlets)
    row_class = ' class="partial"' if coverage else ""
    return f'<tr{row_class}><th scope="row">{name}</th>{cells}</tr>'


def _html_view(view: OutletView, targets: Mapping[SpanKey, str]) -> str:
    if not view.mentioned:
        return f'<td class="absent" title="not mentioned">{NOT_MENTIONED}</td>'
    details = "".join(
        f'<br><span class="detail">{escape(detail)}</span>' for detail in _view_details(view)
    )
    mentions = (
        f'<br><span class="refs">mentions: {_numbered_links(view.sources, targets)}</span>'
        if view.sources
        else ""
    )
    return f'<td class="present">✓ {escape(", ".join(view.variants))}{details}{mentions}</td>'


def _html_claims(
    comparison: Comparison, targets: Mapping[SpanKey, str], shown: ClaimsShown = ClaimsShown()
) -> str:
    """Every claim group as a row, each outlet's wording in its column, with filters
    (radio buttons and the stylesheet, no script): all, differences, shared by all, only
    in one outlet. ``shown`` may keep some columns and rows only, and says so."""
    if not comparison.facts:
        return _html_section("claims", "Claims side by side", _html_none("None."))
    every = _ordered_union(comparison.outlets, (o for f in comparison.facts for o in f.outlets))
    outlets = _most_covered(every, comparison.articles, shown.outlets)
    kept = set(outlets)
    facts = [f for f in comparison.facts if any(s.outlet in kept for s in f.sources)]
    facts = facts[: shown.rows] if shown.rows is not None else facts
    note = ""
    if len(facts) < len(comparison.facts) or len(outlets) < len(every):
        note = (
            f'<p class="meta">Showing {len(facts):,} of {len(comparison.facts):,} claim groups'
            f" and {len(outlets)} of {len(every)} outlets (those with the most articles); the "
            "comparison's JSON has every one.</p>\n"
        )
    column = {outlet: n for n, outlet in enumerate(outlets)}
    filters = [("all", "All"), ("differences", "Differences"), ("shared", "Shared by all")]
    filters += [(f"only-{column[o]}", f"Only in {o}") for o in outlets[:MAX_FILTERED_OUTLETS]]
    buttons = "\n".join(
        f'<input type="radio" name="show" id="show-{name}"{" checked" if n == 0 else ""}>'
        f'<label for="show-{name}">{escape(label)}</label>'
        for n, (name, label) in enumerate(filters)
    )
    head = "".join(f"<th>{escape(outlet)}</th>" for outlet in outlets)
    rows = "\n".join(_html_claim_row(fact, outlets, column, targets) for fact in facts)
    table = (
        f'<table class="claims">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n'
        "</table>"
    )
    return _html_section(
        "claims",
        "Claims side by side",
        f'{note}<div class="claim-filters">\n{buttons}\n{table}\n</div>',
    )


def _most_covered(
    outlets: Sequence[str], articles: Sequence[ArticleRef], most: int | None
) -> list[str]:
    """The ``most`` outlets with the most articles (all with None), in their order."""
    if most is None or len(outlets) <= most:
        return list(outlets)
    counts = Counter(article.outlet for article in articles)
    kept = set(sorted(outlets, key=lambda outlet: -counts[outlet])[:most])
    return [outlet for outlet in outlets if outlet in kept]


def _html_claim_row(
    fact: Fact,
    outlets: Sequence[str],
    column: Mapping[str, int],
    targets: Mapping[SpanKey, str],
) -> str:
    classes = ["claim", f"coverage-{fact.coverage}"]
    if fact.disputed:
        classes.append("disputed")
    if fact.status == "unique" and fact.outlets[0] in column:
        classes.append(f"only-{column[fact.outlets[0]]}")
    cells = []
    for outlet in outlets:
        own = [source for source in fact.sources if source.outlet == outlet]
        if not own:
            cells.append('<td class="absent">—</td>')
            continue
        said = "<br>".join(
            f"{escape(_truncate(source.text))} {_html_quoted_by(source)}"
            f"{_link(source, targets, '↓')}"
            for source in own
        )
        cells.append(f"<td>{said}</td>")
    return f'<tr class="{" ".join(classes)}" title="{escape(fact.text)}">{"".join(cells)}</tr>'


def _html_quotes(
    quotes: Sequence[QuoteReport], targets: Mapping[SpanKey, str], entity_href: str = ""
) -> str:
    groups = _quotes_by_speaker(quotes)
    if not groups:
        return _html_section("quotes", "Quotes", _html_none("None found."))
    body = "\n".join(
        f'<div class="speaker"><h3>'
        f"{_entity_link(speaker, group[0].speaker_entity_id, entity_href)}</h3>"
        + "".join(_html_quote(quote, targets) for quote in group)
        + "</div>"
        for speaker, group in groups.items()
    )
    return _html_section("quotes", "Quotes", body)


def _entity_link(name: str, entity_id: str | None, entity_href: str) -> str:
    """The name, linked to its entity's page when there is one (a country the comparison
    found through people's offices has none)."""
    if not entity_href or not entity_id or entity_id.startswith("country:"):
        return escape(name)
    href = entity_href.format(id=url_quote(entity_id, safe=":"))
    return f'<a class="entity" href="{escape(href)}">{escape(name)}</a>'


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _html_quote(quote: QuoteReport, targets: Mapping[SpanKey, str]) -> str:
    notes = "".join(
        f'<br><span class="warning">{escape(note)}</span>' for note in _quote_notes(quote)
    )
    return (
        f"<blockquote><p>{escape(_quoted(quote))}</p>"
        f'<p class="via">— {_outlet_links(quote.outlets, quote.sources, targets)}{notes}</p>'
        f"</blockquote>"
    )


def _html_articles(
    articles: Sequence[ArticleRef],
    documents: Mapping[str, Mapping[str, str]],
    marks: Mapping[tuple[str, str], Sequence[_Mark]],
    article_href: str = "",
) -> str:
    body = "\n".join(
        _html_article(article, documents.get(article.id, {}), marks, article_href)
        for article in articles
    )
    return _html_section("articles", "Articles", body or _html_none("None."))


def _html_article(
    article: ArticleRef,
    fields: Mapping[str, str],
    marks: Mapping[tuple[str, str], Sequence[_Mark]],
    article_href: str = "",
) -> str:
    url = _web_url(article.url)
    heading = escape(f"{article.outlet}: {article.title or article.id}")
    if article_href:
        href = escape(article_href.format(id=url_quote(article.id, safe="")))
        heading = f'<a href="{href}">{heading}</a>'
    meta = [escape(article.published)] if article.published else []
    meta += [f'<a href="{escape(url)}">{escape(url)}</a>'] if url else []
    if article.not_analysed:
        meta.append(f"not analysed: {escape(article.not_analysed)}")
    body = (
        _field_html(fields["text"], marks.get((article.id, "text"), []))
        if "text" in fields
        else _html_none("Text not available.")
    )
    captions = "".join(
        f'<div class="caption"><span class="label">Caption {n}</span>\n'
        f"{_field_html(fields[field], marks.get((article.id, field), []))}</div>"
        for n, field in enumerate(_caption_fields(fields), 1)
    )
    return (
        f'<article id="{_article_anchor(article.id)}" class="source">\n'
        f"<h3>{heading}</h3>\n"
        + (f'<p class="meta">{" · ".join(meta)}</p>\n' if meta else "")
        + f'<div class="body">\n{body}\n</div>{captions}\n</article>'
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{style}
</head>
<body>
{body}
</body>
</html>
"""

_CSS = """\
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 75rem; padding: 1.5rem; background: #fff; color: #1f2328;
  font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .8rem; padding-bottom: .2rem;
  border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 1rem 0 .5rem; }
a { color: #0a58ca; }
.meta, .type, .detail, .refs, .via, .none { color: #57606a; }
.type, .detail, .refs, .label { font-size: .85rem; }
ul.articles { padding-left: 1.2rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; }
td.present { background: #f1f8f2; }
td.absent { background: #f6f8fa; color: #8c959f; text-align: center; }
.quoted-by { color: #57606a; font-style: italic; }
tr.partial th { box-shadow: inset 4px 0 #d97706; }
.badge { display: inline-block; margin-left: .2rem; padding: 0 .45rem; border-radius: .7rem;
  background: #fff1c2; color: #7a4a00; font-size: .8rem; font-weight: normal; }
.warning { color: #9a3412; font-size: .85rem; }
.conflicts { background: #fff5f3; border: 2px solid #c62828; border-radius: .5rem;
  padding: .2rem 1rem .8rem; }
.conflicts h2 { color: #b71c1c; border: 0; margin-top: .6rem; }
.agree { background: #f1f8f2; border: 1px solid #9bc9a3; border-radius: .5rem; padding: 0 1rem; }
.agree h2 { border: 0; }
.conflict + .conflict { border-top: 1px solid #efc0ba; }
.kind { display: inline-block; padding: 0 .4rem; border-radius: .3rem; background: #c62828;
  color: #fff; font-size: .75rem; font-weight: 600; letter-spacing: .04em;
  text-transform: uppercase; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .4rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.facts li { margin-bottom: .4rem; }
.claim-filters > input { position: absolute; opacity: 0; }
.claim-filters > label { display: inline-block; margin: 0 .3rem .6rem 0; padding: .1rem .7rem;
  border: 1px solid #d0d7de; border-radius: 1rem; cursor: pointer; font-size: .9rem; }
.claim-filters > input:checked + label { background: #0a58ca; border-color: #0a58ca;
  color: #fff; }
.claim-filters > input:focus-visible + label { outline: 2px solid #d97706; }
table.claims td { font-size: .92rem; }
tr.claim.disputed td:not(.absent) { background: #fff5f3; }
tr.claim.disputed td:first-child { box-shadow: inset 4px 0 #c62828; }
#show-differences:checked ~ table tr.claim:not(.disputed),
#show-shared:checked ~ table tr.claim:not(.coverage-all) { display: none; }
blockquote { margin: .6rem 0; padding: .1rem 1rem; border-left: 4px solid #8c959f;
  background: #f6f8fa; }
blockquote p { margin: .4rem 0; }
.source { border-top: 1px solid #d0d7de; margin-top: 1.5rem; }
.caption { margin: .8rem 0; padding-left: .8rem; border-left: 3px solid #d0d7de;
  font-style: italic; color: #3d444d; }
mark { background: #fff3a3; color: inherit; }
mark:target { background: #ffd24d; outline: 2px solid #d97706; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .conflict, .facts li, blockquote, tr { break-inside: avoid; }
  #articles { break-before: page; }
  mark, .conflicts, .kind, td.present, .badge { print-color-adjust: exact;
    -webkit-print-color-adjust: exact; }
}"""
# One "only in" filter rule per outlet column (a stylesheet cannot count).
_CSS += (
    ",\n".join(
        f"#show-only-{n}:checked ~ table tr.claim:not(.only-{n})"
        for n in range(MAX_FILTERED_OUTLETS)
    )
    + " { display: none; }\n"
)


# Terminal (rich)


def to_rich(comparison: Comparison) -> list[RenderableType]:
    """Renderables for a terminal: header, participants, facts, conflicts, quotes."""
    return [
        _rich_header(comparison),
        _rich_participants(comparison),
        _rich_shared(_shared_facts(comparison)),
        *(_rich_unique(outlet, facts) for outlet, facts in _unique_by_outlet(comparison).items()),
        _rich_conflicts(comparison.conflicts),
        _rich_quotes(comparison.quotes),
    ]


def _rich_none(message: str) -> Text:
    return Text(message, style="dim")


def _rich_table(title: str, *headers: str, show_lines: bool = False) -> Table:
    # Text, not str, so brackets in outlet names are not read as rich markup.
    table = Table(title=Text(title, style="bold"), show_lines=show_lines)
    for header in headers:
        table.add_column(Text(header))
    return table


def _rich_header(comparison: Comparison) -> Panel:
    lines = Text("\n").join(
        [
            Text.assemble(("story ", "dim"), comparison.story_id),
            Text.assemble(("dates ", "dim"), _date_range(comparison)),
            Text.assemble(("outlets ", "dim"), ", ".join(comparison.outlets)),
        ]
    )
    return Panel(lines, title=Text(comparison.title, style="bold"), title_align="left")


def _rich_participants(comparison: Comparison) -> RenderableType:
    if not comparison.participants:
        return _rich_none("No participants found.")
    table = _rich_table("Participants", "participant", *comparison.outlets, show_lines=True)
    for participant in comparison.participants:
        coverage = _coverage(participant, comparison.outlets)
        name = Text.assemble(
            (participant.canonical, "bold"),
            (f"\n{participant.type}", "dim"),
            (f"\n{coverage}", "yellow") if coverage else "",
            *((f"\n⚠ {warning}", "yellow") for warning in participant.warnings),
        )
        table.add_row(
            name, *(_rich_view(_view(participant, outlet)) for outlet in comparison.outlets)
        )
    return table


def _rich_view(view: OutletView) -> Text:
    if not view.mentioned:
        return Text(NOT_MENTIONED, style="dim")
    return Text.assemble(
        ("✓ ", "green"),
        ", ".join(view.variants),
        *((f"\n{detail}", "dim") for detail in _view_details(view)),
    )


def _rich_shared(facts: Sequence[Fact]) -> RenderableType:
    if not facts:
        return _rich_none("No shared claims.")
    table = _rich_table("Shared claims", "claim", "outlets")
    for fact in facts:
        said = Text("differs: ", style="bold red") if fact.disputed else Text()
        said.append(_first_wording(fact, truncate=True))
        for outlet, text in _other_wordings(fact):
            said.append(f"\n{outlet}: ", style="dim")
            said.append(text)
        table.add_row(said, Text(", ".join(fact.outlets)))
    return table


def _rich_unique(outlet: str, facts: Sequence[Fact]) -> Table:
    table = _rich_table(f"Only in {outlet}", "claim")
    for fact in facts:
        table.add_row(Text(_first_wording(fact, truncate=True)))
    return table


def _rich_conflicts(conflicts: Sequence[Conflict]) -> Panel:
    if not conflicts:
        return Panel(
            Text("No conflicts between outlets found."),
            title=Text("Conflicts"),
            border_style="green",
            title_align="left",
        )
    body = Group(*(_rich_conflict(conflict) for conflict in conflicts))
    return Panel(
        body, title=Text("Conflicts", style="bold red"), border_style="red", title_align="left"
    )


def _rich_conflict(conflict: Conflict) -> Text:
    text = Text.assemble((conflict.kind, "bold yellow"), "  ", (conflict.description, "bold"))
    for outlet, says in conflict.by_outlet.items():
        text.append(f"\n  {outlet}: ", style="yellow")
        text.append("; ".join(says) or NOT_MENTIONED)
    return text


def _rich_quotes(quotes: Sequence[QuoteReport]) -> RenderableType:
    groups = _quotes_by_speaker(quotes)
    if not groups:
        return _rich_none("No quotes found.")
    table = _rich_table("Quotes", "speaker", "quote", "outlets")
    for speaker, group in groups.items():
        for n, quote in enumerate(group):
            notes = "".join(f"\n{note}" for note in _quote_notes(quote))
            table.add_row(
                Text(speaker, style="bold") if n == 0 else Text(""),
                Text(_truncate(_quoted(quote))),
                Text.assemble(", ".join(quote.outlets), (notes, "yellow")),
                end_section=n == len(group) - 1,
            )
    return table
