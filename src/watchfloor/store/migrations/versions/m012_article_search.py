"""PostgreSQL: the full-text index in a table of its own, ``article_search``, so that
writing an article's enrichment does not index its text again.

The ``tsvector`` was a generated column of ``articles`` with a GIN index on it. Writing
an article's enrichment updates its row (language, story, version), and as those columns
are indexed the update is not a HOT one: PostgreSQL inserts the new row version into
every index of the table, the GIN index too, which re-inserted every word of the article.
That was most of the cost of ``write_enrichments`` (13 s for 20,000 rows against 0.9 s
without the GIN index, docs/scaling.md). In ``article_search (article_id, search)`` the
vector is written once when the article is inserted (one statement per insert, COPY
included, through a statement trigger's transition table) and again only when its title,
summary or content change; it goes with its article (``ON DELETE CASCADE``). The
expression is the same, so searching finds the same articles. SQLite's FTS5 table is
already apart, and its triggers fire only on those columns.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

from alembic import op

revision = "m012"
down_revision = "m011"
branch_labels = None
depends_on = None


def _vector(row: str) -> str:
    return (
        f"to_tsvector('simple', coalesce({row}title, '') || ' ' || coalesce({row}summary, '') "
        f"|| ' ' || coalesce({row}content, ''))"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE article_search ("
        "article_id integer PRIMARY KEY "
        "CONSTRAINT fk_article_search_article_id_articles "
        "REFERENCES articles (id) ON DELETE CASCADE, "
        "search tsvector NOT NULL)"
    )
    op.execute("INSERT INTO article_search (article_id, search) SELECT id, search FROM articles")
    op.execute("DROP INDEX ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN search")
    op.execute("CREATE INDEX ix_article_search_search ON article_search USING gin (search)")
    op.execute(
        "CREATE FUNCTION articles_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO article_search (article_id, search) "
        f"SELECT n.id, {_vector('n.')} FROM new_articles n; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER articles_search_ai AFTER INSERT ON articles "
        "REFERENCING NEW TABLE AS new_articles "
        "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_inserted()"
    )
    op.execute(
        "CREATE FUNCTION articles_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN UPDATE article_search SET search = {_vector('NEW.')} "
        "WHERE article_id = NEW.id; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER articles_search_au AFTER UPDATE OF title, summary, content ON articles "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_updated()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER articles_search_au ON articles")
    op.execute("DROP TRIGGER articles_search_ai ON articles")
    op.execute("DROP FUNCTION articles_search_updated()")
    op.execute("DROP FUNCTION articles_search_inserted()")
    op.execute(
        "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        f"{_vector('')}) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")
    op.execute("DROP TABLE article_search")
