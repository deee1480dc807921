"""Full-text search over comments for moderators, in the database's own
engine (see newsroom's 0004_post_search for why SQLite uses triggers and
PostgreSQL an expression index)."""

from django.db import migrations

from soundoff.lib.fulltext import vendor_sql

SQLITE = [
    """CREATE VIRTUAL TABLE discussion_comment_fts USING fts5(
        body, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER discussion_comment_fts_insert AFTER INSERT ON discussion_comment BEGIN
        INSERT INTO discussion_comment_fts (rowid, body) VALUES (new.id, new.body);
    END""",
    """CREATE TRIGGER discussion_comment_fts_update
    AFTER UPDATE OF id, body ON discussion_comment BEGIN
        DELETE FROM discussion_comment_fts WHERE rowid = old.id;
        INSERT INTO discussion_comment_fts (rowid, body) VALUES (new.id, new.body);
    END""",
    """CREATE TRIGGER discussion_comment_fts_delete AFTER DELETE ON discussion_comment BEGIN
        DELETE FROM discussion_comment_fts WHERE rowid = old.id;
    END""",
    "INSERT INTO discussion_comment_fts (rowid, body) SELECT id, body FROM discussion_comment",
]

SQLITE_REVERSE = [
    "DROP TRIGGER discussion_comment_fts_delete",
    "DROP TRIGGER discussion_comment_fts_update",
    "DROP TRIGGER discussion_comment_fts_insert",
    "DROP TABLE discussion_comment_fts",
]

# Exactly as django.contrib.postgres.search compiles moderation.search_postgresql's
# COMMENT_DOCUMENT.
POSTGRESQL = [
    """CREATE INDEX discussion_comment_search ON discussion_comment USING gin ((
        to_tsvector('simple'::regconfig, COALESCE("body", ''))
    ))""",
]

POSTGRESQL_REVERSE = ["DROP INDEX discussion_comment_search"]


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_groups"),
        ("discussion", "0001_initial"),
    ]

    operations = [
        vendor_sql(
            {"sqlite": SQLITE, "postgresql": POSTGRESQL},
            reverse={"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE},
        )
    ]
