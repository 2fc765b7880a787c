"""The `parallax` command: a thin layer over the package's functions, no logic of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Column, Table
from typer.core import TyperGroup

from parallax import pipeline
from parallax.compare.render import to_html, to_markdown, to_rich
from parallax.errors import ParallaxError
from parallax.examples import ARTICLES_DIR
from parallax.ingest import DEFAULT_MAX_BYTES
from parallax.model import Entity, IngestReport, ReadFailure, Story
from parallax.nlp import DEFAULT_MODEL
from parallax.pipeline import AnalyzeReport, StoriesReport
from parallax.store import DEFAULT_DB, Store, StoredQuote
from parallax.store.export import (
    FORMATS,
    entity_record,
    export_articles,
    export_stories,
    quote_record,
    story_record,
)

app = typer.Typer(
    help="Parallax: news articles from many outlets in, a cross-referenced picture of events out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str, typer.Option("--db", envvar="PARALLAX_DB", help="SQLite file of the store.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Paths = Annotated[list[str], typer.Argument(help="Files, directories or glob patterns.")]
Workers = Annotated[
    int | None,
    typer.Option("--workers", help="Processes for cleaning (default: CPU count, max 4)."),
]
MaxBytes = Annotated[
    int, typer.Option("--max-bytes", help="Largest single document accepted, in bytes.")
]

Model = Annotated[str, typer.Option("--model", help="spaCy model: sm (fast) or md.")]
Processes = Annotated[
    int, typer.Option("--processes", min=1, help="Processes for the language analysis.")
]
KbFiles = Annotated[
    list[str] | None,
    typer.Option("--kb", help="Extra knowledge-base file (JSON); repeat for several."),
]
Limit = Annotated[int, typer.Option(help="At most this many.")]
Threshold = Annotated[
    float | None,
    typer.Option("--threshold", help="Story similarity threshold (default: the tuned one)."),
]


def main() -> None:
    try:
        app()
    except ParallaxError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(1)


def _ingest_with_progress(
    paths: list[str], store: Store, workers: int | None, max_bytes: int
) -> IngestReport:
    def show_failure(failure: ReadFailure) -> None:
        err.print(f"[yellow]skipped[/yellow] {failure.source}: {failure.reason}", highlight=False)

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]reading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=None, current="")

        def advance(source: str) -> None:
            progress.update(task, advance=1, current=Path(source).name[:40])

        return pipeline.ingest(
            paths,
            store,
            workers=workers,
            max_bytes=max_bytes,
            on_progress=advance,
            on_failure=show_failure,
        )


def _analyze_with_progress(
    store: Store, model: str, processes: int, kb: list[str] | None
) -> AnalyzeReport:
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("analyze", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return pipeline.analyze(
            store, model=model, n_process=processes, kb_paths=kb or (), on_progress=advance
        )


def _print_report(
    report: IngestReport | None,
    store: Store,
    analysis: AnalyzeReport | None = None,
    stories: StoriesReport | None = None,
) -> None:
    parts = [p for p in (report, analysis, stories) if p is not None]
    title = (
        "Summary"
        if len(parts) > 1
        else "Ingest summary"
        if report
        else "Analysis summary"
        if analysis
        else "Stories summary"
    )
    table = Table(title=title, show_header=False)
    if report:
        table.add_row("ingested", str(report.ingested))
        table.add_row("duplicates (already stored)", str(report.duplicates))
        table.add_row("failed", str(report.failed))
        table.add_row("articles in store", str(store.count()))
    if analysis:
        table.add_row("analysed", str(analysis.analysed))
        table.add_row("already analysed", str(analysis.skipped))
        table.add_row("analysis failed", str(analysis.failed))
        table.add_row("entities", str(analysis.entities))
        table.add_row("mentions", str(analysis.mentions))
        table.add_row("quotes", str(analysis.quotes))
        table.add_row("analysis time", f"{analysis.seconds:.1f} s")
    if stories:
        table.add_row("stories", str(stories.stories))
        table.add_row("new stories", str(stories.new_stories))
        table.add_row("articles grouped", str(stories.grouped))
        table.add_row("copies", str(stories.copies))
    table.add_row("database", str(store.path))
    out.print(table)
    failures = [(f.source, f.reason) for f in report.failures] if report else []
    failures += (
        [(f"{f.article_id} ({f.source})", f.reason) for f in analysis.failures] if analysis else []
    )
    if failures:
        out.print("[bold]Failed:[/bold]")
        for source, reason in failures:
            out.print(f"  {source}: {reason}", highlight=False)


@app.command()
def ingest(
    paths: Paths,
    db: DbOption = DEFAULT_DB,
    workers: Workers = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
) -> None:
    """Read, clean and store articles (text, HTML, JSON Lines, RSS/Atom, WARC; dirs and globs)."""
    with Store(db) as store:
        report = _ingest_with_progress(paths, store, workers, max_bytes)
        _print_report(report, store)


@app.command()
def analyze(
    db: DbOption = DEFAULT_DB,
    model: Model = DEFAULT_MODEL,
    processes: Processes = 1,
    kb: KbFiles = None,
) -> None:
    """Find people, organisations, places and quotes in articles not analysed yet, then
    resolve the entities across all stored articles."""
    with Store(db) as store:
        _print_report(None, store, _analyze_with_progress(store, model, processes, kb))


@app.command()
def run(
    paths: Paths,
    db: DbOption = DEFAULT_DB,
    workers: Workers = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    model: Model = DEFAULT_MODEL,
    processes: Processes = 1,
    kb: KbFiles = None,
) -> None:
    """Run the whole pipeline on PATHS (ingest, clean, describe, index, analyse, resolve,
    group into stories)."""
    with Store(db) as store:
        report = _ingest_with_progress(paths, store, workers, max_bytes)
        analysis = _analyze_with_progress(store, model, processes, kb)
        _print_report(report, store, analysis, pipeline.group_stories(store))


@app.command()
def group(db: DbOption = DEFAULT_DB, threshold: Threshold = None) -> None:
    """Find copies and place articles without a story into stories (run does it too);
    stored stories and your merges and splits are kept."""
    with Store(db) as store:
        _print_report(None, store, stories=pipeline.group_stories(store, threshold=threshold))


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to create the demo store.")] = (
        "parallax-demo.db"
    ),
    workers: Workers = None,
) -> None:
    """Run the pipeline on the bundled example articles, into a fresh database."""
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    with Store(db) as store:
        report = _ingest_with_progress([str(ARTICLES_DIR)], store, workers, DEFAULT_MAX_BYTES)
        analysis = _analyze_with_progress(store, DEFAULT_MODEL, 1, None)
        _print_report(report, store, analysis, pipeline.group_stories(store))
        largest = pipeline.largest_story(store)
        page = Path(db).with_suffix(".html")
        if largest is not None:
            comparison, documents = pipeline.compare(store, largest.id)
            page.write_text(to_html(comparison, documents), encoding="utf-8")
            out.print(
                f"\nThe largest story compared side by side: [bold]{escape(str(page))}[/bold]"
            )
    out.print("\n[bold]Where to look next:[/bold]")
    for command in (
        f"parallax articles --db {db}",
        f"parallax show <ID> --db {db}",
        f'parallax search "earthquake" --db {db}',
        f"parallax entities --type person --db {db}",
        f'parallax entity "Zhuravskyi" --db {db}',
        f"parallax quotes --db {db}",
        f"parallax stories --db {db}",
        f"parallax story <STORY ID> --db {db}",
        f"parallax compare <STORY ID> --db {db}",
        f"parallax serve --db {db}    # then open http://127.0.0.1:8000/",
        f"parallax export --format jsonl --db {db} --out articles.jsonl",
    ):
        out.print(f"  {command}", highlight=False)


@app.command()
def articles(
    db: DbOption = DEFAULT_DB,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List stored articles."""
    with Store(db) as store:
        rows = list(store.articles(outlet=outlet, limit=limit))
    if as_json:
        for article in rows:
            out.print_json(json.dumps(article.to_dict(), ensure_ascii=False))
        return
    table = Table("id", "published", "outlet", "title", "via")
    for article in rows:
        table.add_row(
            article.id,
            article.published or "",
            article.outlet or "",
            (article.title or "")[:70],
            ", ".join(article.republished_by),
        )
    out.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one article: clean text and every field, with what was removed and why."""
    with Store(db) as store:
        article = store.article(article_id)
    if article is None:
        raise ParallaxError(f"no article with id {article_id!r} in {db}")
    record = article.to_dict()
    if as_json:
        out.print_json(json.dumps(record, ensure_ascii=False))
        return
    fields = Table(show_header=False, title=article.title or article.id)
    for key in (
        "id",
        "source",
        "url",
        "outlet",
        "republished_by",
        "wire_credits",
        "byline",
        "published",
        "event_dates",
        "language",
        "captions",
        "photo_credits",
    ):
        value = record[key]
        fields.add_row(key, "\n".join(value) if isinstance(value, list) else str(value or ""))
    out.print(fields)
    out.print(article.text, highlight=False)
    if article.removed:
        removed = Table("removed as", "text", title="Removed")
        for block in article.removed:
            removed.add_row(block.reason, block.text[:120])
        out.print(removed)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words or an FTS5 query.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over titles and clean text."""
    with Store(db) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        for hit in hits:
            record = {
                "id": hit.article.id,
                "title": hit.article.title,
                "outlet": hit.article.outlet,
                "snippet": hit.snippet,
                "score": hit.score,
            }
            out.print_json(json.dumps(record, ensure_ascii=False))
        return
    table = Table("id", "outlet", "title", "snippet")
    for hit in hits:
        table.add_row(
            hit.article.id,
            escape(hit.article.outlet or ""),
            escape(hit.article.title or ""),
            escape(hit.snippet),
        )
    out.print(table)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")] = "jsonl",
    out_path: Annotated[
        str | None, typer.Option("--out", help="File to write (default stdout).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    stories: Annotated[
        bool, typer.Option("--stories", help="One record per story instead of per article.")
    ] = False,
) -> None:
    """Export every article, or every story (the contract in docs/schema.md)."""
    with Store(db) as store:
        if stories:
            count = export_stories(store.stories(), fmt, out_path)
        else:
            count = export_articles(
                store.articles(),
                fmt,
                out_path,
                analysis_of=store.analysis,
                links=store.story_links(),
            )
    if out_path:
        err.print(f"wrote {count} {'stories' if stories else 'articles'} to {out_path}")


def _variants(entity: Entity) -> str:
    return ", ".join(f"{variant.text} ×{variant.count}" for variant in entity.variants)


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="person, organisation or place.")
    ] = None,
    limit: Limit = 50,
    as_json: JsonOption = False,
) -> None:
    """List canonical entities, those in the most articles first, with their spellings."""
    with Store(db) as store:
        found = store.entities(type=entity_type, limit=limit)
    if as_json:
        out.print_json(json.dumps([entity_record(e) for e in found], ensure_ascii=False))
        return
    table = Table("id", "type", "entity", "articles", "variants")
    for entity in found:
        table.add_row(
            entity.id,
            entity.type,
            escape(entity.canonical),
            str(entity.articles),
            escape(_variants(entity)),
        )
    out.print(table)


@app.command()
def entity(
    name_or_id: Annotated[str, typer.Argument(help="Entity id, name, or any spelling of it.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one entity: what is known, every spelling and who uses it, articles, quotes."""
    with Store(db) as store:
        found = store.entity(name_or_id)
        if found is None:
            raise ParallaxError(
                f"no entity {name_or_id!r} in {db}: 'parallax entities' lists them "
                "(after 'parallax analyze')"
            )
        appears_in = store.entity_articles(found.id)
        quotes = store.quotes(speaker=found.id)
    if as_json:
        record = entity_record(found, appears_in=appears_in, quotes=quotes)
        out.print_json(json.dumps(record, ensure_ascii=False))
        return
    fields = Table(show_header=False, title=escape(found.canonical))
    for key, value in (
        ("id", found.id),
        ("type", found.type),
        ("role", found.role),
        ("country", found.country),
        ("knowledge base", found.kb_id),
        ("description", found.description),
        ("warnings", "\n".join(found.warnings)),
        ("articles", str(found.articles)),
    ):
        fields.add_row(key, escape(value or ""))
    out.print(fields)
    variants = Table("spelling", "count", "outlets", title="Variants")
    for variant in found.variants:
        variants.add_row(
            escape(variant.text), str(variant.count), escape(", ".join(variant.outlets))
        )
    out.print(variants)
    articles_table = Table("id", "published", "outlet", "title", title="Articles")
    for article in appears_in:
        articles_table.add_row(
            article.id,
            article.published or "",
            escape(article.outlet or ""),
            escape(article.title or ""),
        )
    out.print(articles_table)
    _print_quotes(quotes)


def _print_quotes(quotes: list[StoredQuote]) -> None:
    table = Table("published", "outlet", "speaker", "quote", title="Quotes")
    for stored in quotes:
        table.add_row(
            stored.published or "",
            escape(stored.outlet or ""),
            escape(stored.speaker_canonical or stored.quote.speaker or ""),
            escape(stored.quote.text),
        )
    out.print(table)


@app.command()
def quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[
        str | None, typer.Option(help="Only this speaker: entity id, name or spelling.")
    ] = None,
    limit: Limit = 100,
    as_json: JsonOption = False,
) -> None:
    """List quotes and reported speech with their speakers."""
    with Store(db) as store:
        found = store.quotes(speaker=speaker, limit=limit)
    if as_json:
        out.print_json(json.dumps([quote_record(q) for q in found], ensure_ascii=False))
        return
    _print_quotes(found)


def _dates(story: Story) -> str:
    if story.start == story.end:
        return story.start or ""
    return f"{story.start} – {story.end}"


@app.command(name="stories")
def list_stories(
    db: DbOption = DEFAULT_DB,
    limit: Limit = 50,
    as_json: JsonOption = False,
) -> None:
    """List stories (every report of one event), the most recent first."""
    with Store(db) as store:
        found = store.stories(limit=limit)
    if as_json:
        out.print_json(json.dumps([story_record(s) for s in found], ensure_ascii=False))
        return
    table = Table(Column("id", no_wrap=True), "title", "dates", "outlets", "articles")
    for story in found:
        table.add_row(
            story.id,
            escape(story.title[:70]),
            _dates(story),
            escape(", ".join(story.outlets)),
            str(len(story.articles)),
        )
    out.print(table)


class _StoryCommands(TyperGroup):
    """`parallax story ID` shows a story; `merge` and `split` change stories."""

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


story_app = typer.Typer(
    cls=_StoryCommands,
    help="Show a story (parallax story ID), or merge and split stories.",
    no_args_is_help=True,
)
app.add_typer(story_app, name="story")
StoryId = Annotated[str, typer.Argument(help="Story id (a unique prefix is enough).")]


@story_app.command(name="show")
def show_story(story_id: StoryId, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Show one story: its articles by outlet, copies marked with what they copy."""
    with Store(db) as store:
        found = store.story(story_id)
        if found is None:
            raise ParallaxError(f"no story {story_id!r} in {db}: 'parallax stories' lists them")
        members = [a for a in map(store.article, found.articles) if a is not None]
        record = story_record(found, members=members, links=store.story_links())
    if as_json:
        out.print_json(json.dumps(record, ensure_ascii=False))
        return
    fields = Table(show_header=False, title=escape(found.title))
    for key, value in (
        ("id", found.id),
        ("dates", _dates(found)),
        ("outlets", ", ".join(found.outlets)),
        ("entities", ", ".join(found.entities)),
        ("confidence", f"{found.confidence:.2f}"),
    ):
        fields.add_row(key, escape(value))
    out.print(fields)
    table = Table(
        "outlet",
        Column("id", no_wrap=True),
        "published",
        "title",
        Column("copy of", no_wrap=True),
        "placed by",
        title="Articles",
    )
    for member in sorted(record["members"], key=lambda m: m["outlet"] or ""):
        table.add_row(
            escape(member["outlet"] or ""),
            member["id"],
            member["published"] or "",
            escape(member["title"] or ""),
            member["duplicate_of"] or "",
            "you" if member["pinned"] else "grouping",
        )
    out.print(table)


@app.command(name="compare")
def compare_command(
    story_id: StoryId,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print it as Markdown.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write it as a self-contained HTML page here.")
    ] = None,
) -> None:
    """What each outlet reports about a story, side by side, and where they disagree."""
    with Store(db) as store:
        comparison, documents = pipeline.compare(store, story_id)
    if html is not None:
        html.write_text(to_html(comparison, documents), encoding="utf-8")
        out.print(f"wrote {html}", highlight=False)
    elif as_json:
        out.print_json(json.dumps(comparison.to_dict(), ensure_ascii=False))
    elif markdown:
        print(to_markdown(comparison))
    else:
        for renderable in to_rich(comparison):
            out.print(renderable)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(help="Turn on POST /api/ingest for clients sending this bearer token."),
    ] = None,
) -> None:
    """Serve the store: pages for people, a JSON API under /api (schema at /openapi.json)."""
    from parallax.web import serve as serve_store

    out.print(f"Parallax on http://{host}:{port}/  (API: /api, schema: /openapi.json)")
    serve_store(db, host=host, port=port, token=token)


@story_app.command()
def merge(
    into: Annotated[str, typer.Argument(help="Story that keeps its id.")],
    other: Annotated[str, typer.Argument(help="Story whose articles move into the first.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Move every article of the second story into the first; later runs keep it."""
    with Store(db) as store:
        merged = pipeline.merge_stories(store, into, other)
    out.print(f"story {merged.id} now has {len(merged.articles)} articles", highlight=False)


@story_app.command()
def split(
    story_id: StoryId,
    article_ids: Annotated[list[str], typer.Argument(help="Articles that leave the story.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Move these articles out of the story into a new one; later runs keep it."""
    with Store(db) as store:
        rest, new = pipeline.split_story(store, story_id, article_ids)
    out.print(
        f"story {new.id} has {len(new.articles)} articles; {rest.id} keeps {len(rest.articles)}",
        highlight=False,
    )


if __name__ == "__main__":
    main()
