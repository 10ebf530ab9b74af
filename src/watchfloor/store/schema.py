"""The store's tables, as SQLAlchemy Core metadata.

This module describes the schema as the migrations leave it at head; the migrations
in ``store/migrations/versions`` create and change it, append-only. A test checks
that the two agree on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone type: values are stored as naive UTC and given back aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: watchfloor stores aware UTC only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("countries", JSON, nullable=False),
    Column("language", String(16)),
    Column("every_seconds", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_fetched_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    # Admiralty reliability A-F (F: cannot be judged) and the official flag in force now;
    # their history is in source_grades (migration m004).
    Column("reliability", String(1), nullable=False, default="F", server_default="F"),
    Column("official", Boolean, nullable=False, default=False, server_default="0"),
    # Health (migration m006): when the source is next tried (its interval after a
    # success, an exponential backoff after a failure), and the fetch policy that refused
    # it (a refusal is not a fetch: a different policy makes the source due at once).
    Column("next_attempt_at", UTCDateTime),
    Column("refused_policy", Text),
)

source_grades = Table(
    "source_grades",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("reliability", String(1), nullable=False),
    Column("official", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Index(None, "source_id", "changed_at"),
)

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("purpose", String(16), nullable=False),  # feed, page, gdelt, article
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("body", LargeBinary, nullable=False),  # zlib-compressed bytes as received
    Column("body_sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("parsed_at", UTCDateTime),
    Column("parse_error", Text),
    Index(None, "source_id", "fetched_at"),
    Index(None, "parsed_at"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("canonical_url", Text, unique=True),
    Column("url", Text),
    Column("guid", Text),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("content", Text, nullable=False, default=""),
    Column("author", Text),
    Column("language", String(16)),
    Column("tags", JSON, nullable=False),
    Column("geo", JSON, nullable=False),
    Column("kind", String(16), nullable=False, default="feed"),
    Column("published_at", UTCDateTime, nullable=False),
    Column("date_estimated", Boolean, nullable=False, default=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("raw_id", Integer, ForeignKey("raw_documents.id", ondelete="SET NULL")),
    Column("fulltext_raw_id", Integer, ForeignKey("raw_documents.id", ondelete="SET NULL")),
    Column("enriched_version", String(32)),
    Column("enriched_at", UTCDateTime),
    Column("detected_language", String(16)),
    Column("language_confidence", Float),
    Column("cluster_id", String(32)),
    Index(None, "guid"),
    Index(None, "content_hash"),
    Index(None, "published_at"),
    Index(None, "published_at", "id"),  # the ids of a period from the index alone (m010)
    Index(None, "enriched_version"),
    Index(None, "cluster_id"),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("raw_id", Integer, ForeignKey("raw_documents.id", ondelete="SET NULL")),
    Column("url", Text),
    Column("guid", Text),
    Column("title", Text, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
    UniqueConstraint("article_id", "source_id", "raw_id"),
    Index(None, "source_id"),
)

page_versions = Table(
    "page_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("raw_id", Integer, ForeignKey("raw_documents.id", ondelete="SET NULL")),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("page_date", UTCDateTime),
    Column("fetched_at", UTCDateTime, nullable=False),
    UniqueConstraint("source_id", "version"),
)

rejects = Table(
    "rejects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stage", String(32), nullable=False),  # fetch, parse, item, fulltext, enrich, ...
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("raw_id", Integer, ForeignKey("raw_documents.id", ondelete="SET NULL")),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("url", Text),
    Column("error", Text, nullable=False),
    Column("detail", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    Index(None, "stage", "created_at"),
)

# --- enrichment (migration m002) -------------------------------------------------------


def _article_id() -> Column[int]:
    return Column(
        "article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    )


article_entities = Table(
    "article_entities",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_id(),
    Column("label", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Index(None, "article_id"),
)

article_places = Table(
    "article_places",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_id(),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("in_title", Boolean, nullable=False),
    Column("name", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("admin1", Text, nullable=False),
    Column("feature", String(16), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lng", Float, nullable=False),
    Column("population", BigInteger, nullable=False),  # 64-bit since m009: continents
    Column("gazetteer_key", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("demonym", Boolean, nullable=False),
    Column("metonymy", Boolean, nullable=False),
    Index(None, "article_id"),
    Index(None, "country"),
)

article_categories = Table(
    "article_categories",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("category", String(32), primary_key=True),
    Column("confidence", Float, nullable=False),
    # Covering (m008): the ids in a category are read from the index alone.
    Index(None, "category", "confidence", "article_id"),
)

article_countries = Table(
    "article_countries",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(2), primary_key=True),
    Column("score", Float, nullable=False),
    Column("is_about", Boolean, nullable=False),
    # Covering (m008): the ids of the articles about a country are read from the index.
    Index(None, "country", "score", "is_about", "article_id"),
    # Covers "about this country" (m010), for the country-week select.
    Index(None, "country", "is_about", "article_id"),
)

dated_events = Table(
    "dated_events",
    metadata,
    Column("id", Integer, primary_key=True),
    _article_id(),
    Column("text", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("expression", Text, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("precision", String(16), nullable=False),
    Column("is_future", Boolean, nullable=False),
    Index(None, "article_id"),
    Index(None, "start_date"),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("first_published", UTCDateTime, nullable=False),
    Column("last_published", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

stage_state = Table(
    "stage_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Articles an enrich worker is working on (migration m009): one row per claimed article,
# deleted when its enrichment is written; a row whose lease ran out (its worker died) may
# be claimed again by another worker.
enrich_claims = Table(
    "enrich_claims",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("worker", String(128), nullable=False),
    Column("claimed_until", UTCDateTime, nullable=False),
)


# --- reports (migration m003) ------------------------------------------------------------

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("country", String(2), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("generated_at", UTCDateTime, nullable=False),
    Column("backend", String(64), nullable=False),
    Column("analyst_version", String(32), nullable=False),
    Column("enricher_version", String(32), nullable=False),
    Column("article_ids", JSON, nullable=False),
    Column("threat_level", String(32), nullable=False),
    Column("threat_score", Float),  # null when the data were insufficient (m004)
    Column("report", JSON, nullable=False),
    # The web job that wrote it (m011): a job run again finds its report, never writes two.
    Column("job_id", Integer),
    Index(None, "country", "period_end"),
    Index(None, "job_id", unique=True),
)


# --- the LLM analyst (migration m005_llm) ------------------------------------------------

llm_cache = Table(
    "llm_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("model", String(200), nullable=False),
    Column("reply", Text, nullable=False),
    Column("tokens_in", Integer, nullable=False),
    Column("tokens_out", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

llm_translations = Table(
    "llm_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_hash", String(64), nullable=False),
    Column("model", String(200), nullable=False),
    Column("language", String(16), nullable=False),
    Column("original", Text, nullable=False),
    Column("translation", Text, nullable=False),
    Column("kept", Boolean, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("source_hash", "model"),
)

llm_runs = Table(
    "llm_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    Column("record", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "report_id"),
)


# --- watched countries and their alerts (migration m006) ----------------------------------

watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("country", String(2), nullable=False, unique=True),
    Column("cron", Text, nullable=False),  # five-field cron, read in ``timezone``
    Column("timezone", Text, nullable=False),  # IANA zone name
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_fire_at", UTCDateTime),  # the scheduled time of the last report written
    Column("last_report_id", Integer),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("country", String(2), nullable=False),
    Column("report_id", Integer, nullable=False),
    Column("kind", String(32), nullable=False),  # threat-level, top-development
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("delivery_error", Text),
    UniqueConstraint("report_id", "kind"),
)


__all__ = [
    "UTCDateTime",
    "alerts",
    "article_categories",
    "article_countries",
    "article_entities",
    "article_places",
    "articles",
    "clusters",
    "dated_events",
    "enrich_claims",
    "llm_cache",
    "llm_runs",
    "llm_translations",
    "metadata",
    "page_versions",
    "raw_documents",
    "rejects",
    "reports",
    "sightings",
    "source_grades",
    "sources",
    "stage_state",
    "watches",
]
