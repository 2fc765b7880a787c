"""Charts drawn on the server as inline SVG: no script, no outside asset, nothing but
presentation attributes (the pages' Content-Security-Policy allows no inline style)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote as url_quote

from parallax.compare.model import ArticleRef


@dataclass(frozen=True)
class CoverageLayout:
    """The coverage chart's geometry, in pixels, and how many outlets get a row of their
    own (the others, those with the fewest articles, are counted under the chart)."""

    width: int = 760
    label_width: int = 190
    row_height: int = 20
    axis_height: int = 30
    margin: int = 12
    dot_radius: float = 4.5
    max_rows: int = 30
    label_chars: int = 26


def coverage_svg(
    articles: Sequence[ArticleRef],
    outlets: Sequence[str],
    *,
    article_href: str,
    layout: CoverageLayout | None = None,
) -> str:
    """A story's coverage over time: a row per outlet (in ``outlets``' order), a dot per
    article on the day it was published, each linked to the article (``article_href``,
    e.g. ``/articles/{id}``)
    and titled with its outlet, date and title. Undated articles are counted at the end
    of their row. Empty when no article has a date."""
    layout = layout or CoverageLayout()
    days = {a.id: _day(a.published) for a in articles}
    dated = [d for d in days.values() if d is not None]
    if not dated:
        return ""
    first, last = min(dated), max(dated)
    counts = Counter(a.outlet for a in articles)
    shown = _rows(outlets, counts, layout.max_rows)
    plot_left = layout.label_width
    plot_right = layout.width - layout.margin - 60  # room for an "N undated" note
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return (plot_left + plot_right) / 2
        return plot_left + (plot_right - plot_left) * (day - first).days / span

    height = layout.margin + len(shown) * layout.row_height + layout.axis_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coverage" role="img" '
        f'width="{layout.width}" height="{height}" viewBox="0 0 {layout.width} {height}" '
        f'aria-labelledby="coverage-title" font-family="sans-serif" font-size="12">',
        f'<title id="coverage-title">Which outlet reported when, {first.isoformat()}'
        f"{' to ' + last.isoformat() if last != first else ''}</title>",
    ]
    by_outlet: dict[str, list[ArticleRef]] = defaultdict(list)
    for article in articles:
        by_outlet[article.outlet].append(article)
    for row, outlet in enumerate(shown):
        y = layout.margin + row * layout.row_height + layout.row_height / 2
        parts.append(
            f'<text x="{plot_left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{escape(_short(outlet, layout.label_chars))}</text>"
            f'<line x1="{plot_left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e3e3e3"/>'
        )
        seen_on: Counter[date] = Counter()
        undated = 0
        for article in by_outlet[outlet]:
            day = days[article.id]
            if day is None:
                undated += 1
                continue
            # Several articles of one outlet on one day sit side by side.
            x = x_of(day) + seen_on[day] * layout.dot_radius * 1.6
            seen_on[day] += 1
            label = " · ".join(filter(None, [outlet, day.isoformat(), article.title]))
            href = article_href.format(id=url_quote(article.id, safe=""))
            parts.append(
                f'<a href="{escape(href)}"><circle cx="{x:.1f}" cy="{y:.1f}" '
                f'r="{layout.dot_radius}" fill="#0b57d0" fill-opacity="0.75">'
                f"<title>{escape(label)}</title></circle></a>"
            )
        if undated:
            parts.append(
                f'<text x="{plot_right + 10}" y="{y + 4:.1f}" fill="#666">{undated} undated</text>'
            )
    axis_y = layout.margin + len(shown) * layout.row_height + 4
    parts.append(
        f'<line x1="{plot_left}" x2="{plot_right}" y1="{axis_y}" y2="{axis_y}" stroke="#999"/>'
    )
    for day in _ticks(first, last):
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{axis_y}" y2="{axis_y + 4}" stroke="#999"/>'
            f'<text x="{x:.1f}" y="{axis_y + 17}" text-anchor="middle" fill="#333">'
            f"{day.isoformat()}</text>"
        )
    parts.append("</svg>")
    hidden = [outlet for outlet in outlets if outlet not in shown]
    note = ""
    if hidden:
        more = sum(counts[outlet] for outlet in hidden)
        note = (
            f'<p class="meta">and {len(hidden)} more outlets with {more} article'
            f"{'' if more == 1 else 's'}, not drawn</p>"
        )
    return (
        '<figure class="coverage" id="coverage">'
        "<figcaption>Coverage: which outlet reported when</figcaption>"
        + "".join(parts)
        + note
        + "</figure>"
    )


def _rows(outlets: Sequence[str], counts: Counter[str], max_rows: int) -> list[str]:
    """The outlets that get a row: all of them, or the ``max_rows`` with the most
    articles, kept in their given order."""
    if len(outlets) <= max_rows:
        return list(outlets)
    ranked = sorted(outlets, key=lambda outlet: -counts[outlet])[:max_rows]
    kept = set(ranked)
    return [outlet for outlet in outlets if outlet in kept]


def _ticks(first: date, last: date) -> list[date]:
    """The days labelled on the axis: the first, the last and, over a long span, the
    middle one."""
    if first == last:
        return [first]
    if (last - first).days < 4:
        return [first, last]
    return [first, first + (last - first) / 2, last]


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
