"""Full-text search over posts, in the database's own engine.

SQLite: an FTS5 table whose rowid is the post's id, with the headline,
byline, body and the text of the post's updates and corrections. Triggers
keep it in step with every write, whoever makes it: the admin, the services,
imports, bulk updates and raw SQL alike, which no service-level call could
promise.

PostgreSQL: GIN indexes over the very expressions newsroom.queries searches
(the planner uses an expression index only for an identical expression), so
nothing has to be kept in step at all.
"""

from django.db import migrations

from soundoff.lib.fulltext import vendor_sql

def updates_of(post_id: str) -> str:
    """The text of a post's updates, one column of its row."""
    return (
        "(SELECT coalesce(group_concat(text, char(10)), '')"
        f" FROM newsroom_postupdate WHERE post_id = {post_id})"
    )


def refresh_updates(post_id: str) -> str:
    return f"UPDATE newsroom_post_fts SET updates = {updates_of(post_id)} WHERE rowid = {post_id};"


SQLITE = [
    """CREATE VIRTUAL TABLE newsroom_post_fts USING fts5(
        headline, byline, body, updates, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    # A new post has no updates yet.
    """CREATE TRIGGER newsroom_post_fts_insert AFTER INSERT ON newsroom_post BEGIN
        INSERT INTO newsroom_post_fts (rowid, headline, byline, body, updates)
        VALUES (new.id, new.headline, new.byline, new.body, '');
    END""",
    f"""CREATE TRIGGER newsroom_post_fts_update
    AFTER UPDATE OF id, headline, byline, body ON newsroom_post BEGIN
        DELETE FROM newsroom_post_fts WHERE rowid = old.id;
        INSERT INTO newsroom_post_fts (rowid, headline, byline, body, updates)
        VALUES (new.id, new.headline, new.byline, new.body, {updates_of("new.id")});
    END""",
    """CREATE TRIGGER newsroom_post_fts_delete AFTER DELETE ON newsroom_post BEGIN
        DELETE FROM newsroom_post_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER newsroom_postupdate_fts_insert AFTER INSERT ON newsroom_postupdate BEGIN
        {refresh_updates("new.post_id")}
    END""",
    f"""CREATE TRIGGER newsroom_postupdate_fts_update AFTER UPDATE ON newsroom_postupdate BEGIN
        {refresh_updates("old.post_id")}
        {refresh_updates("new.post_id")}
    END""",
    f"""CREATE TRIGGER newsroom_postupdate_fts_delete AFTER DELETE ON newsroom_postupdate BEGIN
        {refresh_updates("old.post_id")}
    END""",
    # The posts already there.
    f"""INSERT INTO newsroom_post_fts (rowid, headline, byline, body, updates)
    SELECT id, headline, byline, body, {updates_of("newsroom_post.id")} FROM newsroom_post""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER newsroom_postupdate_fts_delete",
    "DROP TRIGGER newsroom_postupdate_fts_update",
    "DROP TRIGGER newsroom_postupdate_fts_insert",
    "DROP TRIGGER newsroom_post_fts_delete",
    "DROP TRIGGER newsroom_post_fts_update",
    "DROP TRIGGER newsroom_post_fts_insert",
    "DROP TABLE newsroom_post_fts",
]

# Exactly as django.contrib.postgres.search compiles newsroom.search_postgresql's
# POST_DOCUMENT and UPDATE_DOCUMENT (a test checks that the plan uses them).
POSTGRESQL = [
    """CREATE INDEX newsroom_post_search ON newsroom_post USING gin ((
        setweight(to_tsvector('simple'::regconfig, COALESCE("headline", '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE("byline", '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, COALESCE("body", '')), 'C')
    ))""",
    """CREATE INDEX newsroom_postupdate_search ON newsroom_postupdate USING gin ((
        to_tsvector('simple'::regconfig, COALESCE("text", ''))
    ))""",
]

POSTGRESQL_REVERSE = [
    "DROP INDEX newsroom_postupdate_search",
    "DROP INDEX newsroom_post_search",
]


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_editors_keep_categories_and_corrections")]

    operations = [
        vendor_sql(
            {"sqlite": SQLITE, "postgresql": POSTGRESQL},
            reverse={"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE},
        )
    ]
