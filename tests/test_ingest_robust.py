"""Issue 23, "nothing lost, a failure is never silent", for ingestion: bad input costs one
line naming it and why, the rest of the batch is stored, and the exit code tells the truth.

Every test reads real files (or standard input) into a real store through the real
`parallax` command (typer's CliRunner) or the package's own ingest.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from parallax.cli import app
from parallax.ingest import read_paths
from parallax.model import RawDocument, ReadFailure
from parallax.pipeline import ingest
from parallax.store import Store

ARTICLE = (
    "Dock workers at the Port of Velmar stopped work on Monday after talks over pay broke "
    "down, the dockers' union said. The strike is the first at the port in eleven years, "
    "and ships were waiting outside the harbour by the evening.\n"
)
OTHER = (
    "Flood water forced 1,200 people from the old town of Brenmoor overnight, the regional "
    "council said on Tuesday, as the river rose above its banks for the second time this "
    "winter and rescue teams used boats to reach stranded families.\n"
)
URL_MESSAGE = "is a URL, not a file; Parallax does not fetch (save the page and ingest the file)"


def parallax(*args: str | Path, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args], input=stdin)


def ingest_cli(db: Path, *paths: str | Path, stdin: str | bytes | None = None) -> Result:
    return parallax("ingest", *paths, "--db", db, "--workers", "1", stdin=stdin)


def skipped(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("skipped ")]


def stored(db: Path) -> dict[str, str]:
    """Source -> text of every stored article."""
    with Store(db) as store:
        return {article.source: article.text for article in store.articles()}


def failures(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return {failure.source: failure.reason for failure in store.failures()}


# -- 1. a byte-order mark that lies ----------------------------------------------------------


def test_a_false_utf16_mark_is_one_failure_and_the_batch_is_stored(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "x.txt").write_bytes(b"\xff\xfeA")  # printf '\xff\xfeA'
    (inputs / "y.txt").write_bytes(b"\xff\xfe\x00\xd8")  # a lone surrogate in UTF-16
    (inputs / "z.txt").write_text(OTHER, encoding="utf-16")  # a true mark still works
    db = tmp_path / "store.db"

    result = ingest_cli(db, inputs)

    assert result.exit_code == 0, result.output
    lines = skipped(result)
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"skipped {inputs / 'x.txt'}: starts with a UTF-16 byte-order mark")
    assert lines[1].startswith(f"skipped {inputs / 'y.txt'}: starts with a UTF-16 byte-order mark")
    assert set(stored(db)) == {str(inputs / "a.txt"), str(inputs / "z.txt")}
    assert set(failures(db)) == {str(inputs / "x.txt"), str(inputs / "y.txt")}


# -- 2. file names that are not UTF-8 --------------------------------------------------------


def _bytes_named(folder: Path, name: bytes, content: bytes) -> Path:
    """A file whose name is raw bytes, as an old Latin-1 archive unpacks."""
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(content)
    return Path(os.fsdecode(path))


def test_a_name_that_is_not_utf8_is_stored_escaped_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    _bytes_named(inputs, b"caf\xe9.txt", ARTICLE.encode())
    _bytes_named(inputs, b"r\xe9sum\xe9-empty.txt", b"")  # a failure with such a name too
    (inputs / "other.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "store.db"

    result = ingest_cli(db, inputs)

    assert result.exit_code == 0, result.output
    assert set(stored(db)) == {f"{inputs}/caf\\xe9.txt", str(inputs / "other.txt")}
    assert failures(db) == {f"{inputs}/r\\xe9sum\\xe9-empty.txt": "empty file"}
    assert skipped(result) == [f"skipped {inputs}/r\\xe9sum\\xe9-empty.txt: empty file"]

    # The same name each run: re-reading adds nothing and the export is valid JSON.
    again = ingest_cli(db, inputs)
    assert again.exit_code == 0, again.output
    exported = parallax("export", "--format", "jsonl", "--db", db)
    assert exported.exit_code == 0, exported.output
    sources = {json.loads(line)["source"] for line in exported.stdout.splitlines()}
    assert f"{inputs}/caf\\xe9.txt" in sources


def test_undecodable_names_on_every_store_engine(tmp_path: Path, db: str) -> None:
    """SQLite and PostgreSQL both: a name from the file system, and one a caller gives."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    _bytes_named(inputs, b"caf\xe9.txt", ARTICLE.encode())
    handed = RawDocument(source="Z\udcfcrich.txt", format="text", content=OTHER, is_html=False)
    with Store(db) as store:
        report = ingest(
            [inputs], store, documents=[handed, ReadFailure("bad\udcff.txt", "empty file")]
        )
        assert report.ingested == 2 and report.failed == 1
        assert {a.source for a in store.articles()} == {f"{inputs}/caf\\xe9.txt", "Z\\xfcrich.txt"}
        assert [f.source for f in store.failures()] == ["bad\\xff.txt"]


# -- 3. exit codes that tell the truth ---------------------------------------------------------


def test_nothing_read_exits_non_zero(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    empty = tmp_path / "empty"
    empty.mkdir()
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "blank.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")

    missing = ingest_cli(db, "/nonexistent")
    assert missing.exit_code == 1
    assert skipped(missing) == ["skipped /nonexistent: no such file or directory"]
    assert "error: nothing could be read (1 failed)" in missing.stderr

    for inputs in ([empty], [tmp_path / "nothing-*.txt"], [empty, pictures]):
        result = ingest_cli(db, *inputs)
        assert result.exit_code == 1, result.output
        assert len(skipped(result)) == len(inputs)
        assert all(
            line.endswith(("no file matches this pattern", "no inputs found (empty directory)"))
            or ": no inputs found (none of its 1 files has an article suffix" in line
            for line in skipped(result)
        )
        assert "error: no inputs found" in result.stderr

    every_file_failed = ingest_cli(db, tmp_path / "blank.txt", tmp_path / "blank.jsonl")
    assert every_file_failed.exit_code == 1
    assert skipped(every_file_failed) == [
        f"skipped {tmp_path / 'blank.txt'}: empty file",
        f"skipped {tmp_path / 'blank.jsonl'}: empty file (no JSON Lines records)",
    ]
    assert stored(db) == {}


def test_partial_failure_and_all_duplicates_exit_zero(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfeA")

    partial = ingest_cli(db, good, tmp_path / "bad.txt", "/nonexistent")
    assert partial.exit_code == 0, partial.output
    assert len(skipped(partial)) == 2
    listed = partial.stdout.split("Failed:")[1]
    assert "bad.txt" in listed and "/nonexistent" in listed

    duplicates = ingest_cli(db, good)
    assert duplicates.exit_code == 0, duplicates.output
    assert re.search(r"duplicates \(already stored\)\s*│\s*1", duplicates.stdout)


def test_run_exits_non_zero_when_nothing_is_read(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    empty = tmp_path / "empty"
    empty.mkdir()
    for path, message in (("/nonexistent", "nothing could be read"), (empty, "no inputs found")):
        result = parallax("run", path, "--db", db, "--workers", "1")
        assert result.exit_code == 1, result.output
        assert f"error: {message}" in result.stderr


# -- 4. legacy Western text is read as cp1252 ------------------------------------------------

WESTERN_NAMES = [
    "Muñoz", "São Paulo", "Zürich", "François", "Ibáñez", "Peña", "Málaga", "Bogotá",
    "Québec", "Göteborg", "Açores", "Düsseldorf", "Crème brûlée", "Ålesund", "Søren",
    "Reykjavík", "Þór", "Núñez", "Gonçalves", "Citroën", "Noël", "Straße", "Jürgen",
    "Brasília", "Conceição", "Piñera", "Hélène", "Østergaard", "Zoë", "Saint-Étienne",
    "Ísafjörður", "Malmö", "Gaëlle", "Sánchez", "Ñuñoa", "Æbeltoft",
]  # fmt: skip
OTHER_NAMES = ["Gdańsk", "Łódź", "Dvořák", "İstanbul", "Šiauliai", "Kraków", "Москва"]
FILLER = re.findall(
    r"\S+",
    "the mayor said on Tuesday that the council would meet again next week to discuss the "
    "budget, and officials from the new port confirmed the talks",
)


def _texts(rng: random.Random, names: list[str], count: int) -> list[str]:
    """Short and long news-like texts naming a few, or many, accented places and people."""
    texts = []
    for _ in range(count):
        parts: list[str] = []
        for _ in range(rng.choice([1, 1, 2, 3, 5, 10, 30, 200])):
            parts += rng.sample(FILLER, rng.randint(1, 12))
            parts += rng.sample(names, rng.randint(1, 2))
        texts.append(" ".join(parts) + ".\n")
    return texts


def test_latin1_text_is_read_as_latin1_in_every_trial(tmp_path: Path) -> None:
    rng = random.Random(23)
    trials = {
        "cp1252": _texts(rng, WESTERN_NAMES, 300),
        "latin-1": _texts(rng, WESTERN_NAMES, 300),
        "utf-8": _texts(rng, WESTERN_NAMES + OTHER_NAMES, 100),
    }
    trials["cp1252"].append("Muñoz said São Paulo would wait.\n")  # the reported cases
    expected: dict[str, str] = {}
    for codec, texts in trials.items():
        for n, text in enumerate(texts):
            path = tmp_path / f"{codec}-{n:03}.txt"
            path.write_bytes(text.encode(codec))
            expected[str(path)] = text

    read = {item.source: item for item in read_paths([tmp_path])}

    assert len(read) == len(expected) == 701
    wrong = [
        (source, expected[source][:60], getattr(item, "content", item))
        for source, item in read.items()
        if getattr(item, "content", None) != expected[source]
    ]
    assert wrong == [], f"{len(wrong)} of {len(expected)} trials misread: {wrong[:3]}"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Předseda vlády řekl, že Česká republika podpoří návrh příští týden v Bruselu.", "cp1250"),
        ("Prezydent powiedział, że rząd przyjmie ustawę w przyszłym tygodniu w Gdańsku.", "cp1250"),
        (
            "Cumhurbaşkanı, hükümetin yasayı gelecek hafta kabul edeceğini söyledi İstanbul'da.",
            "cp1254",
        ),
        ("Президент заявил, что правительство примет закон на следующей неделе.", "cp1251"),
        (
            "Il sindaco ha detto che la città sarà più sicura e che potrà votare lunedì perché è giusto.",
            "cp1252",
        ),
    ],
)
def test_strong_evidence_still_reads_other_code_pages(
    tmp_path: Path, text: str, codec: str
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(" ".join([text] * 3).encode(codec))
    (item,) = read_paths([path])
    assert isinstance(item, RawDocument) and item.content == " ".join([text] * 3)


def test_a_latin1_file_is_stored_with_its_accents(tmp_path: Path) -> None:
    text = ARTICLE.replace("the dockers' union said", "union leader Ana Muñoz said in São Paulo")
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    db = tmp_path / "store.db"
    result = ingest_cli(db, tmp_path / "latin1.txt")
    assert result.exit_code == 0, result.output
    (body,) = stored(db).values()
    assert "Ana Muñoz said in São Paulo" in body


def test_text_garbled_before_it_was_saved_is_repaired(tmp_path: Path) -> None:
    """UTF-8 read as cp1252 before it was saved ("Muñoz" as "MuÃ±oz"): in a file and in a
    JSON Lines record, the store holds the words as written; Portuguese "SÃO" stays."""
    garbled = "union leader Ana MuÃ±oz said itâ€™s over in SÃO PAULO"
    text = ARTICLE.replace("the dockers' union said", garbled)
    (tmp_path / "garbled.txt").write_text(text, encoding="utf-8")
    record = {"url": "https://example.org/a", "text": OTHER + " FranÃ§ois Vidal agreed."}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "store.db"
    result = ingest_cli(db, tmp_path / "garbled.txt", tmp_path / "feed.jsonl")
    assert result.exit_code == 0, result.output
    bodies = " ".join(stored(db).values())
    assert "Ana Muñoz said it’s over in SÃO PAULO" in bodies
    assert "François Vidal agreed" in bodies
    assert "Ã" not in bodies.replace("SÃO", "")


# -- 5. names printed escaped -----------------------------------------------------------------


def test_names_and_urls_cannot_drive_the_terminal_or_forge_lines(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "red\x1b[31m.txt").write_text("", encoding="utf-8")
    (inputs / "two\nskipped forged.txt").write_text("", encoding="utf-8")
    (inputs / "[bold]markup.txt").write_text("", encoding="utf-8")
    records = [
        {"url": "http://example.com/\x1b[2J\x1b[31mcleared", "text": "too short"},
        {"url": "http://example.com/a\r\nskipped forged too", "text": "too short"},
        {"url": "http://example.com/\u202eevil", "text": "too short"},
    ]
    (inputs / "feed.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in records), encoding="utf-8"
    )
    db = tmp_path / "store.db"

    result = ingest_cli(db, inputs)

    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\r" not in stream and "\u202e" not in stream
    lines = skipped(result)
    assert len(lines) == 6, result.stderr  # one line each, none forged
    shown = "\n".join(lines)
    for escaped in (
        "red\\x1b[31m.txt: empty file",
        "two\\nskipped forged.txt: empty file",
        "[bold]markup.txt: empty file",
        "http://example.com/\\x1b[2J\\x1b[31mcleared: no article text found",
        "http://example.com/a\\r\\nskipped forged too: no article text found",
        "http://example.com/\\u202eevil: no article text found",
    ):
        assert escaped in shown
    # The summary wraps at the terminal's width, wherever the temporary path's length puts
    # the breaks: compared without whitespace, the name still shows its newline escaped.
    listed = "".join(result.stdout.split("Failed:")[1].split())
    assert "two\\nskippedforged.txt" in listed
    assert result.exit_code == 1  # and nothing could be read


# -- 6. URLs and standard input ---------------------------------------------------------------


def test_a_url_is_said_to_be_no_file(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = ingest_cli(db, "https://example.com/news")
    assert result.exit_code == 1
    assert skipped(result) == [f"skipped https://example.com/news: {URL_MESSAGE}"]

    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    mixed = ingest_cli(db, "http://example.com/a", good)
    assert mixed.exit_code == 0
    assert skipped(mixed) == [f"skipped http://example.com/a: {URL_MESSAGE}"]


PAGE = f"""<!doctype html><html><head><title>Brenmoor floods</title></head>
<body><article><h1>Flood forces 1,200 from Brenmoor old town</h1><p>{OTHER}</p></article></body></html>
"""


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (ARTICLE, {"<stdin>": ("text", "Dock workers at the Port of Velmar")}),
        (PAGE, {"<stdin>": ("html", "Flood water forced 1,200 people")}),
        (
            "\n"
            + json.dumps({"url": "https://example.com/strike", "text": ARTICLE})
            + "\n"
            + json.dumps({"title": "Floods", "html": PAGE})
            + "\n",
            {
                "https://example.com/strike": ("jsonl", "Dock workers"),
                "<stdin>#3": ("jsonl", "Flood water forced"),
            },
        ),
        (
            ARTICLE.encode("latin-1").replace(b"dockers'", b"docker\xe9s"),
            {"<stdin>": ("text", "dockerés")},
        ),
    ],
    ids=["text", "html", "jsonl", "latin-1"],
)
def test_dash_reads_standard_input_of_each_kind(
    tmp_path: Path, stdin: str | bytes, expected: dict[str, tuple[str, str]]
) -> None:
    db = tmp_path / "store.db"
    result = ingest_cli(db, "-", stdin=stdin)
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        articles = {article.source: article for article in store.articles()}
    assert set(articles) == set(expected)
    for source, (fmt, words) in expected.items():
        assert articles[source].format == fmt
        assert words in articles[source].text


def test_empty_standard_input_is_a_failure(tmp_path: Path) -> None:
    result = ingest_cli(tmp_path / "store.db", "-", stdin="")
    assert result.exit_code == 1
    assert skipped(result) == ["skipped <stdin>: empty file"]
