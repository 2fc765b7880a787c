"""The store's schema as an ordered list of migrations (see docs/schema.md).

A database records how many migrations it has had (SQLite in ``PRAGMA user_version``,
PostgreSQL in the table ``parallax_schema``); opening a store applies the missing ones
in one transaction each. Never edit a migration that has shipped: append a new one.

The migrations are written for SQLite; ``migration`` gives PostgreSQL the same tables
and columns, with its own types, its own full-text index and an explicit ``rowid``.
"""

from __future__ import annotations

import re

MIGRATIONS: list[str] = [
    # 1: articles, their classified paragraphs, the documents they were read from, failures.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        format TEXT NOT NULL,
        title TEXT,
        outlet TEXT,
        republished_by TEXT NOT NULL DEFAULT '[]',
        wire_credits TEXT NOT NULL DEFAULT '[]',
        byline TEXT NOT NULL DEFAULT '[]',
        published TEXT,
        event_dates TEXT NOT NULL DEFAULT '[]',
        language TEXT,
        text TEXT NOT NULL,
        captions TEXT NOT NULL DEFAULT '[]',
        photo_credits TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_published ON articles(published);

    CREATE TABLE blocks (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        text TEXT NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        PRIMARY KEY (article_id, position)
    );

    CREATE TABLE documents (
        fingerprint TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_article ON documents(article_id);

    CREATE TABLE failures (
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (source, reason)
    );

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: language analysis (mentions, quotes) per article and the entities they resolve to.
    """
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        analysed_at TEXT NOT NULL
    );
    CREATE INDEX analyses_model ON analyses(model);

    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        field TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL,
        kind TEXT NOT NULL,
        role TEXT,
        affiliation TEXT,
        country TEXT,
        refers_to INTEGER,
        entity_id TEXT,
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE INDEX mentions_type ON mentions(type);

    CREATE TABLE quotes (
        article_id TEXT NOT NULL REFERENCES analyses(article_id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        field TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT,
        cue_start INTEGER,
        cue_end INTEGER,
        speaker TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_mention INTEGER,
        speaker_role TEXT,
        speaker_entity_id TEXT,
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX quotes_speaker_entity ON quotes(speaker_entity_id);

    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        canonical TEXT NOT NULL,
        type TEXT NOT NULL,
        role TEXT,
        country TEXT,
        kb_id TEXT,
        description TEXT,
        articles INTEGER NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX entities_type ON entities(type, articles);

    CREATE TABLE entity_variants (
        entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        count INTEGER NOT NULL,
        outlets TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (entity_id, text)
    );
    """,
    # 3: stories (every report of one event), which story each article is in, and copies.
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT,
        start TEXT,
        "end" TEXT,
        outlets TEXT NOT NULL DEFAULT '[]',
        entities TEXT NOT NULL DEFAULT '[]',
        confidence REAL NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX stories_end ON stories("end");

    CREATE TABLE article_stories (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX article_stories_story ON article_stories(story_id);

    CREATE TABLE copies (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        duplicate_of TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    """,
    # 4: the time of publication, when the source gives one (orders same-day copies).
    """
    ALTER TABLE articles ADD COLUMN published_at TEXT;
    """,
    # 5: each article's copy signature (MinHash), kept so that grouping computes it once;
    # whether an article was placed into its story with its analysis at hand.
    """
    CREATE TABLE signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        minhash BLOB NOT NULL
    );
    ALTER TABLE article_stories ADD COLUMN analysed INTEGER NOT NULL DEFAULT 1;
    """,
    # 6: facts about the store itself, such as which command made it ("made_by": the demo
    # replaces only a store it made).
    """
    CREATE TABLE store_facts (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 7: the periods in which each short body paragraph was seen (clean.recurring): a
    # paragraph seen in enough of them is page furniture.
    """
    CREATE TABLE paragraph_sightings (
        key TEXT PRIMARY KEY,
        periods TEXT NOT NULL
    );
    """,
    # 8: why an article was not analysed (no model for its language), with no mentions.
    """
    ALTER TABLE analyses ADD COLUMN not_analysed TEXT;
    """,
    # 9: how likely a reader accepts each quote as said by its speaker (learned, 0-1);
    # NULL for quotes analysed before it was measured.
    """
    ALTER TABLE quotes ADD COLUMN confidence REAL;
    """,
    # 10: each story's comparison, computed when the story or the analyses under it change
    # (``state`` says for which) and read by ``compare`` and the web pages as stored (``page``:
    # the HTML of the comparison page's body, see ``compare.render.html_sections``); the
    # lists' orders as indexes, so that a page of a list reads its rows only; names folded
    # for case-insensitive lookup (``casefold``), indexed.
    """
    CREATE TABLE comparisons (
        story_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        comparison TEXT NOT NULL,
        documents TEXT NOT NULL,
        page TEXT NOT NULL
    );
    CREATE INDEX articles_order ON articles((published IS NULL), published, ingested_at, id);
    CREATE INDEX articles_outlet_order
        ON articles(outlet, (published IS NULL), published, ingested_at, id);
    CREATE INDEX stories_order ON stories(("end" IS NULL), "end" DESC, start DESC, id);
    CREATE INDEX articles_language ON articles(language);
    CREATE INDEX entities_order ON entities(articles DESC, canonical, id);
    CREATE INDEX entities_type_order ON entities(type, articles DESC, canonical, id);
    ALTER TABLE entities ADD COLUMN folded TEXT;
    UPDATE entities SET folded = casefold(canonical);
    CREATE INDEX entities_folded ON entities(folded);
    ALTER TABLE entity_variants ADD COLUMN folded TEXT;
    UPDATE entity_variants SET folded = casefold(text);
    CREATE INDEX entity_variants_folded ON entity_variants(folded);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


# SQLite's FTS5 table and the triggers that keep it in step with ``articles``.
_SQLITE_FTS = re.compile(r"CREATE VIRTUAL TABLE articles_fts.*END;", re.S)
_POSTGRES_FTS = """
    ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', left(text, 250000)), 'B')
    ) STORED;
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE FUNCTION casefold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT lower(value) $$;
"""
# Tables read "in the order stored": SQLite has an implicit rowid, PostgreSQL needs one.
_ROWID_TABLES = ("articles", "documents")


def migration(number: int, dialect: str) -> str:
    """Migration ``number`` (from 0) in the SQL of ``dialect`` ("sqlite" or "postgresql")."""
    script = MIGRATIONS[number]
    if dialect == "sqlite":
        return script
    script = _SQLITE_FTS.sub(lambda _: _POSTGRES_FTS, script)
    # Binary text order, as in SQLite, so that both engines sort names the same way;
    # REAL is single precision in PostgreSQL.
    script = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', script)
    script = re.sub(r"\bREAL\b", "DOUBLE PRECISION", script)
    script = re.sub(r"\bBLOB\b", "BYTEA", script)
    for table in _ROWID_TABLES:
        script = re.sub(
            rf"(CREATE TABLE {table} \()",
            r"\1\n        rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,",
            script,
        )
    return script
