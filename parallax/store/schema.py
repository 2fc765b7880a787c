"""The store's schema as an ordered list of migrations (see docs/schema.md).

``PRAGMA user_version`` holds how many migrations a database has had; opening
a store applies the missing ones in one transaction each. Never edit a
migration that has shipped: append a new one.
"""

from __future__ import annotations

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
]

SCHEMA_VERSION = len(MIGRATIONS)
