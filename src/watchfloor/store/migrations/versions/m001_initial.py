"""Initial schema: sources, raw documents, articles, sightings, page versions, rejects.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("countries", sa.JSON, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("every_seconds", sa.Integer, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_fetched_at", UTCDateTime),
        sa.Column("last_success_at", UTCDateTime),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_table(
        "raw_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("parsed_at", UTCDateTime),
        sa.Column("parse_error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_raw_documents"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            ondelete="SET NULL",
            name="fk_raw_documents_source_id_sources",
        ),
    )
    op.create_index(
        "ix_raw_documents_source_id_fetched_at", "raw_documents", ["source_id", "fetched_at"]
    )
    op.create_index("ix_raw_documents_parsed_at", "raw_documents", ["parsed_at"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("canonical_url", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("guid", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("geo", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("published_at", UTCDateTime, nullable=False),
        sa.Column("date_estimated", sa.Boolean, nullable=False),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("source_id", sa.Integer),
        sa.Column("raw_id", sa.Integer),
        sa.Column("fulltext_raw_id", sa.Integer),
        sa.Column("enriched_version", sa.String(32)),
        sa.Column("enriched_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], ondelete="SET NULL", name="fk_articles_source_id_sources"
        ),
        sa.ForeignKeyConstraint(
            ["raw_id"],
            ["raw_documents.id"],
            ondelete="SET NULL",
            name="fk_articles_raw_id_raw_documents",
        ),
        sa.ForeignKeyConstraint(
            ["fulltext_raw_id"],
            ["raw_documents.id"],
            ondelete="SET NULL",
            name="fk_articles_fulltext_raw_id_raw_documents",
        ),
    )
    op.create_index("ix_articles_guid", "articles", ["guid"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_enriched_version", "articles", ["enriched_version"])
    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("source_id", sa.Integer),
        sa.Column("raw_id", sa.Integer),
        sa.Column("url", sa.Text),
        sa.Column("guid", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("seen_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sightings"),
        sa.UniqueConstraint(
            "article_id", "source_id", "raw_id", name="uq_sightings_article_id_source_id_raw_id"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            ondelete="CASCADE",
            name="fk_sightings_article_id_articles",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            ondelete="SET NULL",
            name="fk_sightings_source_id_sources",
        ),
        sa.ForeignKeyConstraint(
            ["raw_id"],
            ["raw_documents.id"],
            ondelete="SET NULL",
            name="fk_sightings_raw_id_raw_documents",
        ),
    )
    op.create_index("ix_sightings_source_id", "sightings", ["source_id"])
    op.create_table(
        "page_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("raw_id", sa.Integer),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("page_date", UTCDateTime),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_page_versions"),
        sa.UniqueConstraint("source_id", "version", name="uq_page_versions_source_id_version"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            ondelete="CASCADE",
            name="fk_page_versions_source_id_sources",
        ),
        sa.ForeignKeyConstraint(
            ["raw_id"],
            ["raw_documents.id"],
            ondelete="SET NULL",
            name="fk_page_versions_raw_id_raw_documents",
        ),
    )
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("source_id", sa.Integer),
        sa.Column("raw_id", sa.Integer),
        sa.Column("article_id", sa.Integer),
        sa.Column("url", sa.Text),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_rejects"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], ondelete="SET NULL", name="fk_rejects_source_id_sources"
        ),
        sa.ForeignKeyConstraint(
            ["raw_id"],
            ["raw_documents.id"],
            ondelete="SET NULL",
            name="fk_rejects_raw_id_raw_documents",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            ondelete="SET NULL",
            name="fk_rejects_article_id_articles",
        ),
    )
    op.create_index("ix_rejects_stage_created_at", "rejects", ["stage", "created_at"])

    # Full-text search over articles: FTS5 on SQLite, a generated tsvector on PostgreSQL.
    # The 'simple' configuration does no stemming, so it treats every language alike.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, summary, content, content='articles', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, summary, content) "
            "VALUES (new.id, new.title, new.summary, new.content); END"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, summary, content) "
            "VALUES ('delete', old.id, old.title, old.summary, old.content); END"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary, content ON articles "
            "BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, summary, content) "
            "VALUES ('delete', old.id, old.title, old.summary, old.content); "
            "INSERT INTO articles_fts(rowid, title, summary, content) "
            "VALUES (new.id, new.title, new.summary, new.content); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, '') "
            "|| ' ' || coalesce(content, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")
