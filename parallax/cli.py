"""The `parallax` command: a thin layer over the package's functions, no logic of its own."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table
from typer.core import TyperArgument, TyperGroup

from parallax import __version__
from parallax.compare.model import COMPARE_VIEWS
from parallax.compare.render import to_rich
from parallax.corpus import DEMO_MAKER, Corpus, demo_page, make_way_for_demo
from parallax.errors import ParallaxError
from parallax.examples import ARTICLES_DIR
from parallax.ingest import DEFAULT_MAX_BYTES, printable
from parallax.ingest.sources import NO_INPUTS, found_nothing
from parallax.model import IngestReport, Quote, ReadFailure
from parallax.nlp import DEFAULT_MODEL, DEFAULT_QUOTE_THRESHOLDS
from parallax.nlp.quotes import words_said
from parallax.pipeline import AnalyzeReport, StoriesReport
from parallax.records import SearchResult
from parallax.store import DEFAULT_DB
from parallax.store.export import FORMATS
from parallax.stories.params import GroupingParams, with_settings


class _WordArgument(TyperArgument):
    """An argument shown the way command-line tools show one: a word (``PATH...``), with
    no ``{braces}`` and no Python type beside it."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        return name if self.required else f"[{name}]"


class _Commands(TyperGroup):
    """Every command's arguments shown as words, and each command listed with the first
    sentence of its help, whole (click would cut it at the terminal's width)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        for param in command.params if command is not None else ():
            if type(param) is TyperArgument:
                param.__class__ = _WordArgument
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, _first_sentence(command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _first_sentence(text: str) -> str:
    words = " ".join(text.split())
    end = words.find(". ")
    return words if end < 0 else words[: end + 1]


def _version(value: bool) -> None:
    if value:
        out.print(f"parallax {__version__}", highlight=False)
        raise typer.Exit()


app = typer.Typer(
    cls=_Commands,
    help="Parallax: news articles from many outlets in, a cross-referenced picture of events out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="PARALLAX_DB",
        metavar="STORE",
        help="The store: a SQLite file, or a postgresql://USER@HOST/DATABASE URL.",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document instead of a table.")
]
JsonLinesOption = Annotated[
    bool, typer.Option("--jsonl", help="Print JSON Lines, one object per line, as a stream.")
]
Paths = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH...", help="Files, directories or glob patterns; - reads standard input."
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        metavar="N",
        help="Processes for cleaning, or with run --engine dask the workers of a local "
        "cluster (default: CPU count, max 4).",
    ),
]
MaxBytes = Annotated[
    int,
    typer.Option(
        "--max-bytes", metavar="BYTES", help="Largest single document accepted, in bytes."
    ),
]

Model = Annotated[
    str, typer.Option("--model", metavar="NAME", help="spaCy model: sm (fast) or md.")
]
Processes = Annotated[
    int | None,
    typer.Option(
        "--processes",
        min=1,
        metavar="N",
        help="Processes for the language analysis (default: CPU count, max 4, from 40 "
        "articles to analyse on; one below).",
    ),
]
KbFiles = Annotated[
    list[str] | None,
    typer.Option(
        "--kb", metavar="FILE", help="Extra knowledge-base file (JSON); repeat for several."
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="local|dask",
        help="Where cleaning and analysis run: local (a process pool) or dask (a cluster).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://HOST:PORT); default: a local cluster of --workers.",
    ),
]
Limit = Annotated[int, typer.Option(metavar="N", help="At most this many.")]
MinConfidence = Annotated[
    float | None,
    typer.Option(
        metavar="P",
        min=0.0,
        max=1.0,
        help="Only quotes whose confidence (0-1) reaches this; 0 keeps every quote found. "
        "By default quotations in marks credited to a speaker are kept from "
        f"{DEFAULT_QUOTE_THRESHOLDS.credited_quotation:g} and every other quote from "
        f"{DEFAULT_QUOTE_THRESHOLDS.reported:g}: each right nine times in ten on the "
        "development data.",
        show_default=False,
    ),
]
Threshold = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        metavar="NUMBER",
        help="Probability an article must reach to join a story, 0-1 (default: the tuned one).",
    ),
]
StorySettings = Annotated[
    list[str] | None,
    typer.Option(
        "--story-param",
        metavar="NAME=VALUE",
        help="Set one grouping parameter (GroupingParams: seed_cosine=0.2, "
        "split.max_cut=0.5); repeat for several. Unknown names list the valid ones.",
    ),
]


def _grouping(settings: list[str] | None) -> GroupingParams | None:
    if not settings:
        return None
    try:
        return with_settings(GroupingParams(), settings)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--story-param") from None


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Parallax: news articles from many outlets in, a cross-referenced picture of events
    out. Every command takes --db (or PARALLAX_DB); -h after a command explains it."""


def main() -> None:
    try:
        app(prog_name="parallax")
    except ParallaxError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(1)


def _print_json(document: Any) -> None:
    # Plain stdout, not the rich console: rich wraps long lines at the terminal's width,
    # which would cut a JSON string in two.
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _printed_as_json(records: list[dict[str, Any]], as_json: bool, as_jsonl: bool) -> bool:
    """Print ``records`` as one JSON array (--json) or as JSON Lines (--jsonl); whether
    either was asked for."""
    if as_json and as_jsonl:
        raise typer.BadParameter("--json and --jsonl are two formats: choose one")
    if as_json:
        _print_json(records)
    elif as_jsonl:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return as_json or as_jsonl


def _show_failure(failure: ReadFailure) -> None:
    err.print(f"[yellow]skipped[/yellow] {_shown(failure.source)}: {_shown(failure.reason)}")


def _shown(text: str) -> str:
    """Text from the inputs (a file name, a record's url) as printed: control characters
    and line breaks escaped so it cannot recolour the terminal or forge a line, and
    brackets escaped so rich does not read them as markup."""
    return escape(printable(text))


def _exit_unless_read(report: IngestReport) -> None:
    """Exit 1 when no input gave a document: every one failed, or there was none. A batch
    that read anything (stored now or before) exits 0, its failures listed (README, Inputs)."""
    if report.ingested or report.duplicates:
        return
    if all(found_nothing(failure) for failure in report.failures):
        err.print(f"[red]error:[/red] {NO_INPUTS}")
    else:
        err.print(f"[red]error:[/red] nothing could be read ({report.failed} failed)")
    raise typer.Exit(1)


def _print_report(
    report: IngestReport | None,
    corpus: Corpus,
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
        table.add_row("articles in store", str(len(corpus)))
    if analysis:
        table.add_row("analysed", str(analysis.analysed))
        table.add_row("already analysed", str(analysis.skipped))
        table.add_row("analysis failed", str(analysis.failed))
        if analysis.truncated:  # longer than the analysis reads of one article
            table.add_row("analysed in part (too long)", str(len(analysis.truncated)))
        for language, count in sorted(analysis.no_model.items()):
            table.add_row(f"not analysed: no model for {language}", str(count))
        table.add_row("entities", str(analysis.entities))
        table.add_row("mentions", str(analysis.mentions))
        table.add_row("quotes", str(analysis.quotes))
        table.add_row("analysis time", f"{analysis.seconds:.1f} s")
    if stories:
        table.add_row("stories", str(stories.stories))
        table.add_row("new stories", str(stories.new_stories))
        table.add_row("articles grouped", str(stories.grouped))
        table.add_row("copies", str(stories.copies))
    table.add_row("database", corpus.name)
    out.print(table)
    failures = [(f.source, f.reason) for f in report.failures] if report else []
    failures += (
        [(f"{f.article_id} ({f.source})", f.reason) for f in analysis.failures] if analysis else []
    )
    if failures:
        out.print("[bold]Failed:[/bold]")
        # One line per failure, never broken inside a path: a reader copies it to retry.
        for source, reason in failures:
            out.print(f"  {_shown(source)}: {_shown(reason)}", highlight=False, soft_wrap=True)


@app.command()
def ingest(
    paths: Paths,
    db: DbOption = DEFAULT_DB,
    workers: Workers = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
) -> None:
    """Read, clean and store articles (text, HTML, JSON Lines, RSS/Atom, WARC; dirs and globs)."""
    with Corpus(db) as corpus:
        report = corpus.ingest(
            paths, progress=True, workers=workers, max_bytes=max_bytes, on_failure=_show_failure
        )
        _print_report(report, corpus)
    _exit_unless_read(report)


@app.command()
def analyze(
    db: DbOption = DEFAULT_DB,
    model: Model = DEFAULT_MODEL,
    processes: Processes = None,
    kb: KbFiles = None,
) -> None:
    """Find people, organisations, places and quotes in articles not analysed yet, then
    resolve the entities across all stored articles."""
    with Corpus(db, create=False) as corpus:
        report = corpus.analyze(progress=True, model=model, processes=processes, kb=kb or ())
        _print_report(None, corpus, report)


@app.command()
def run(
    paths: Paths,
    db: DbOption = DEFAULT_DB,
    workers: Workers = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    model: Model = DEFAULT_MODEL,
    processes: Processes = None,
    kb: KbFiles = None,
    engine: EngineOption = "local",
    scheduler: Scheduler = None,
    story_settings: StorySettings = None,
) -> None:
    """Run the whole pipeline on PATHS (ingest, clean, describe, index, analyse, resolve,
    group into stories). With --engine dask, cleaning and analysis run on Dask workers
    (docs/dask.md); this process reads the inputs and writes the store either way."""
    grouping = _grouping(story_settings)
    with Corpus(db) as corpus:
        report = corpus.run(
            paths,
            progress=True,
            workers=workers,
            max_bytes=max_bytes,
            model=model,
            processes=processes,
            kb=kb or (),
            engine=engine,
            scheduler=scheduler,
            on_failure=_show_failure,
            grouping=grouping,
        )
        _print_report(report.ingest, corpus, report.analysis, report.stories)
    _exit_unless_read(report.ingest)


@app.command()
def group(
    db: DbOption = DEFAULT_DB,
    threshold: Threshold = None,
    story_settings: StorySettings = None,
) -> None:
    """Find copies and place articles without a story into stories (run does it too);
    stored stories and your merges and splits are kept."""
    grouping = _grouping(story_settings)
    with Corpus(db, create=False) as corpus:
        report = corpus.group(threshold=threshold, params=grouping, progress=True)
        _print_report(None, corpus, stories=report)


@app.command()
def demo(
    db: Annotated[
        str, typer.Option("--db", metavar="PATH", help="Where to create the demo store.")
    ] = ("parallax-demo.db"),
    workers: Workers = None,
) -> None:
    """Run the pipeline on the bundled example articles, into a fresh database (one the
    demo made before is replaced; any other store or file is kept, and is an error)."""
    make_way_for_demo(db)
    with Corpus(db) as corpus:
        corpus.store.record_fact("made_by", DEMO_MAKER)
        report = corpus.run([ARTICLES_DIR], progress=True, workers=workers)
        _print_report(report.ingest, corpus, report.analysis, report.stories)
        largest = corpus.largest_story()
        page = demo_page(db)
        if largest is not None:
            page.write_text(corpus.compare(largest.id).to_html(), encoding="utf-8")
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
    outlet: Annotated[str | None, typer.Option(metavar="OUTLET", help="Only this outlet.")] = None,
    limit: Annotated[int, typer.Option(metavar="N", help="At most this many.")] = 100,
    as_json: JsonOption = False,
    as_jsonl: JsonLinesOption = False,
) -> None:
    """List stored articles."""
    with Corpus(db, create=False) as corpus:
        rows = corpus.articles(outlet=outlet, limit=limit)
    if _printed_as_json(rows.to_dicts(), as_json, as_jsonl):
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
    article_id: Annotated[
        str, typer.Argument(metavar="ARTICLE", help="Article id (a unique prefix is enough).")
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one article: clean text and every field, with what was removed and why."""
    with Corpus(db, create=False) as corpus:
        article = corpus.article(article_id)
    if article is None:
        raise ParallaxError(f"no article with id {article_id!r} in {db}")
    record = article.to_dict()
    if as_json:
        _print_json(record)
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
        "not_analysed",
        "captions",
        "photo_credits",
        "story_id",
        "duplicate_of",
    ):
        value = record[key]
        fields.add_row(key, "\n".join(value) if isinstance(value, list) else str(value or ""))
    out.print(fields)
    out.print(article.text, highlight=False)
    if article.removed:
        removed = Table("removed as", "text", title="Removed")
        for block in article.removed:
            removed.add_row(block["reason"], block["text"][:120])
        out.print(removed)


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="Words or an FTS5 query.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(metavar="N", help="At most this many hits.")] = 20,
    as_json: JsonOption = False,
    as_jsonl: JsonLinesOption = False,
) -> None:
    """Full-text search over titles and clean text."""
    with Corpus(db, create=False) as corpus:
        hits = corpus.search(query, limit=limit)
    if _printed_as_json(hits.to_dicts(), as_json, as_jsonl):
        return
    table = Table("id", "outlet", "title", "snippet")
    for hit in hits:
        table.add_row(hit.id, escape(hit.outlet or ""), escape(hit.title or ""), _bold_marks(hit))
    out.print(table)


def _bold_marks(hit: SearchResult) -> str:
    """The snippet as console markup, the matching words in bold."""
    parts, last = [], 0
    for start, end in hit.marks:
        parts += [escape(hit.snippet[last:start]), f"[bold]{escape(hit.snippet[start:end])}[/bold]"]
        last = end
    return "".join([*parts, escape(hit.snippet[last:])])


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=f"One of {', '.join(FORMATS)}.")
    ] = "jsonl",
    out_path: Annotated[
        str | None, typer.Option("--out", metavar="FILE", help="File to write (default stdout).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    stories: Annotated[
        bool, typer.Option("--stories", help="One record per story instead of per article.")
    ] = False,
    min_confidence: Annotated[
        float,
        typer.Option(
            metavar="P",
            min=0.0,
            max=1.0,
            help="Only the quotes whose confidence (0-1) reaches this; by default every "
            "quote, each with its confidence.",
        ),
    ] = 0.0,
) -> None:
    """Export every article, or every story (the contract in docs/schema.md)."""
    with Corpus(db, create=False) as corpus:
        count = corpus.export(out_path, format=fmt, stories=stories, min_confidence=min_confidence)
    if out_path:
        err.print(f"wrote {count} {'stories' if stories else 'articles'} to {out_path}")


def _variants(variants: list[dict[str, Any]]) -> str:
    return ", ".join(f"{variant['text']} ×{variant['count']}" for variant in variants)


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    entity_type: Annotated[
        str | None, typer.Option("--type", metavar="TYPE", help="person, organisation or place.")
    ] = None,
    limit: Limit = 50,
    as_json: JsonOption = False,
    as_jsonl: JsonLinesOption = False,
) -> None:
    """List canonical entities, those in the most articles first, with their spellings."""
    with Corpus(db, create=False) as corpus:
        found = corpus.entities(type=entity_type, limit=limit).to_dicts()
    if _printed_as_json(found, as_json, as_jsonl):
        return
    table = Table("id", "type", "entity", "articles", "variants")
    for entity in found:
        table.add_row(
            entity["id"],
            entity["type"],
            escape(entity["canonical"]),
            str(entity["articles"]),
            escape(_variants(entity["variants"])),
        )
    out.print(table)


@app.command()
def entity(
    name_or_id: Annotated[
        str, typer.Argument(metavar="NAME", help="Entity id, name, or any spelling of it.")
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one entity: what is known, every spelling and who uses it, articles, quotes."""
    with Corpus(db, create=False) as corpus:
        record = corpus.entity_record(name_or_id)
    if as_json:
        _print_json(record)
        return
    fields = Table(show_header=False, title=escape(record["canonical"]))
    for key, value in (
        ("id", record["id"]),
        ("type", record["type"]),
        ("role", record["role"]),
        ("country", record["country"]),
        ("knowledge base", record["kb_id"]),
        ("description", record["description"]),
        ("warnings", "\n".join(record["warnings"])),
        ("articles", str(record["articles"])),
    ):
        fields.add_row(key, escape(value or ""))
    out.print(fields)
    variants = Table("spelling", "count", "outlets", title="Variants")
    for variant in record["variants"]:
        variants.add_row(
            escape(variant["text"]), str(variant["count"]), escape(", ".join(variant["outlets"]))
        )
    out.print(variants)
    articles_table = Table("id", "published", "outlet", "title", title="Articles")
    for article in record["appears_in"]:
        articles_table.add_row(
            article["id"],
            article["published"] or "",
            escape(article["outlet"] or ""),
            escape(article["title"] or ""),
        )
    out.print(articles_table)
    _print_quotes(record["quotes"])


def _print_quotes(quotes: list[dict[str, Any]]) -> None:
    table = Table("published", "outlet", "speaker", "cue", "confidence", "quote", title="Quotes")
    for quote in quotes:
        speaker = quote["speaker_canonical"] or quote["speaker"] or ""
        if speaker and quote["speaker_role"]:
            speaker = f"{speaker} ({quote['speaker_role']})"
        table.add_row(
            quote["published"] or "",
            escape(quote["outlet"] or ""),
            escape(speaker),
            escape(quote["cue"] or ""),
            "" if quote["confidence"] is None else f"{quote['confidence']:.2f}",
            escape(_words_said(quote)),
        )
    out.print(table)


def _words_said(record: dict[str, Any]) -> str:
    """A quote record's words without the cue between its parts (``words_said``)."""
    return words_said(Quote(**{f.name: record[f.name] for f in fields(Quote) if f.name in record}))


@app.command()
def quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Only this speaker: entity id, name or spelling."),
    ] = None,
    limit: Limit = 100,
    min_confidence: MinConfidence = None,
    as_json: JsonOption = False,
    as_jsonl: JsonLinesOption = False,
) -> None:
    """List quotes and reported speech with their speakers."""
    with Corpus(db, create=False) as corpus:
        found = corpus.quotes(speaker=speaker, limit=limit, min_confidence=min_confidence)
        found = found.to_dicts()
    if _printed_as_json(found, as_json, as_jsonl):
        return
    _print_quotes(found)


def _dates(start: str | None, end: str | None) -> str:
    return start or "" if start == end else f"{start} – {end}"


@app.command(name="stories")
def list_stories(
    db: DbOption = DEFAULT_DB,
    limit: Limit = 50,
    as_json: JsonOption = False,
    as_jsonl: JsonLinesOption = False,
) -> None:
    """List stories (every report of one event), the most recent first."""
    with Corpus(db, create=False) as corpus:
        found = corpus.stories(limit=limit)
    if _printed_as_json(found.to_dicts(), as_json, as_jsonl):
        return
    table = Table(Column("id", no_wrap=True), "title", "dates", "outlets", "articles")
    for story in found:
        table.add_row(
            story.id,
            escape(story.title[:70]),
            _dates(story.start, story.end),
            escape(", ".join(story.outlets)),
            str(len(story.articles)),
        )
    out.print(table)


class _StoryCommands(_Commands):
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
StoryId = Annotated[
    str, typer.Argument(metavar="STORY", help="Story id (a unique prefix is enough).")
]


@story_app.command(name="show")
def show_story(story_id: StoryId, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Show one story: its articles by outlet, copies marked with what they copy."""
    with Corpus(db, create=False) as corpus:
        record = corpus.story_record(story_id)
    if as_json:
        _print_json(record)
        return
    fields = Table(show_header=False, title=escape(record["title"]))
    for key, value in (
        ("id", record["id"]),
        ("dates", _dates(record["start"], record["end"])),
        ("outlets", ", ".join(record["outlets"])),
        ("entities", ", ".join(record["entities"])),
        ("confidence", f"{record['confidence']:.2f}"),
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
        Path | None,
        typer.Option("--html", metavar="FILE", help="Write it as a self-contained HTML page here."),
    ] = None,
    show: Annotated[
        str,
        typer.Option(
            "--show",
            metavar="WHICH",
            help="Which claims: all, differences (those the outlets disagree on) or shared "
            "(those every outlet carries).",
        ),
    ] = "all",
    only_in: Annotated[
        str | None,
        typer.Option(
            "--only-in", metavar="OUTLET", help="Only the claims this outlet alone carries."
        ),
    ] = None,
) -> None:
    """What each outlet reports about a story, side by side, and where they disagree."""
    if show not in COMPARE_VIEWS:
        raise ParallaxError(f"--show takes one of {', '.join(COMPARE_VIEWS)}, not {show!r}")
    with Corpus(db, create=False) as corpus:
        comparison = corpus.compare(story_id)
    if only_in is not None and only_in.casefold() not in {o.casefold() for o in comparison.outlets}:
        raise ParallaxError(
            f"no outlet {only_in!r} in this story; its outlets: {', '.join(comparison.outlets)}"
        )
    comparison = comparison.filtered(show, only_in)  # type: ignore[arg-type]
    if html is not None:
        html.write_text(comparison.to_html(), encoding="utf-8")
        out.print(f"wrote {html}", highlight=False)
    elif as_json:
        _print_json(comparison.to_dict())
    elif markdown:
        print(comparison.to_markdown())
    else:
        for renderable in to_rich(comparison):
            out.print(renderable)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(metavar="HOST", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            metavar="TOKEN", help="Turn on POST /api/ingest for clients sending this bearer token."
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            help="Another host name clients use for this server (besides loopback's and "
            "--host); repeat for several. Requests naming any other host are refused.",
        ),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            metavar="N",
            help="Requests answered at once; more wait their turn (default: 2, see "
            "docs/benchmarks.md).",
        ),
    ] = None,
) -> None:
    """Serve the store: pages for people, a JSON API under /api (schema at /openapi.json)."""
    from parallax.web import serve as serve_store
    from parallax.web.app import PortInUse, listening_socket

    Corpus(db, create=False).close()  # a mistyped --db is an error, not a new empty store
    try:
        sock = listening_socket(host, port)  # a busy port is found before anything is printed
    except PortInUse:
        err.print(f"port {port} is in use; choose another with --port", highlight=False)
        raise typer.Exit(1) from None
    except OSError as error:
        err.print(f"cannot listen on {host}:{port}: {error.strerror or error}", highlight=False)
        raise typer.Exit(1) from None
    out.print(f"Parallax on http://{host}:{port}/  (API: /api, schema: /openapi.json)")
    chosen = {"threads": threads} if threads else {}  # else the server's default
    serve_store(db, host=host, port=port, token=token, hosts=allow_host or (), sock=sock, **chosen)


@story_app.command()
def merge(
    into: Annotated[str, typer.Argument(metavar="STORY", help="Story that keeps its id.")],
    other: Annotated[
        str, typer.Argument(metavar="STORY", help="Story whose articles move into the first.")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Move every article of the second story into the first; later runs keep it."""
    with Corpus(db, create=False) as corpus:
        merged = corpus.merge(into, other)
    out.print(f"story {merged.id} now has {len(merged.articles)} articles", highlight=False)


@story_app.command()
def split(
    story_id: StoryId,
    article_ids: Annotated[
        list[str], typer.Argument(metavar="ARTICLE...", help="Articles that leave the story.")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Move these articles out of the story into a new one; later runs keep it."""
    with Corpus(db, create=False) as corpus:
        rest, new = corpus.split(story_id, article_ids)
    out.print(
        f"story {new.id} has {len(new.articles)} articles; {rest.id} keeps {len(rest.articles)}",
        highlight=False,
    )


if __name__ == "__main__":
    main()
