"""The collect stage: fetch every due source, keep the raw bytes, parse, store articles.

Order of work, which is what makes a killed run safe to repeat:

1. Raw documents left unparsed by an earlier, interrupted run are parsed first.
2. Each fetched response is stored as a raw document in its own transaction.
3. Parsing, the articles and sightings it yields, its rejects, the source's new
   validators (ETag, Last-Modified) and the raw document's ``parsed_at`` mark are then
   written in one transaction: either all of it lands or none of it does.

A source whose fetch fails is recorded in ``rejects`` and in the summary; the run goes on,
and the source is tried again after a backoff (:mod:`watchfloor.collect.health`). A source
the address guard refuses was not fetched: it is due again as soon as the policy changes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from watchfloor.collect.feeds import parse_feed
from watchfloor.collect.fetch import Fetcher, FetchPolicy
from watchfloor.collect.gdelt import parse_gdelt
from watchfloor.collect.health import next_attempt, policy_key
from watchfloor.collect.urls import canonicalize_url, content_hash
from watchfloor.config import CollectSettings, Settings
from watchfloor.errors import BlockedAddressError, FetchError, ParseError, WatchfloorError
from watchfloor.models import FetchResult, ParsedFeed
from watchfloor.models.records import RawPurpose, RejectStage, SourceKind, UpsertStatus
from watchfloor.store import queries as q
from watchfloor.store.db import Connection, Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SourceOutcome:
    """What one source gave in one run."""

    source_id: int
    name: str
    url: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    not_modified: bool = False
    error: str | None = None
    new_article_ids: list[int] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True, slots=True)
class CollectTotals:
    """A collect run's counts over all its sources."""

    sources: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    failed: int

    def to_json(self) -> dict[str, int]:
        """The totals as a JSON object (for ``collect --json``)."""
        return dataclasses.asdict(self)


@dataclass(slots=True)
class CollectSummary:
    """The outcome of a collect run, per source."""

    sources: list[SourceOutcome] = field(default_factory=list)
    resumed: int = 0  # raw documents from an interrupted run that were parsed now
    fulltext_fetched: int = 0
    fulltext_failed: int = 0

    @property
    def failed(self) -> list[SourceOutcome]:
        return [s for s in self.sources if s.failed]

    @property
    def new_article_ids(self) -> list[int]:
        return [i for s in self.sources for i in s.new_article_ids]

    def totals(self) -> CollectTotals:
        return CollectTotals(
            sources=len(self.sources),
            new=sum(s.new for s in self.sources),
            updated=sum(s.updated for s in self.sources),
            unchanged=sum(s.unchanged for s in self.sources),
            rejected=sum(s.rejected for s in self.sources),
            failed=len(self.failed),
        )


def fetch_policy(settings: Settings, *, allow_private: bool | None = None) -> FetchPolicy:
    """The fetcher's policy from the collect settings (a flag may allow private hosts)."""
    policy = FetchPolicy.from_settings(settings.collect)
    if allow_private is not None:
        policy = dataclasses.replace(policy, allow_private=allow_private)
    return policy


def parse_document(kind: SourceKind, result: FetchResult, *, fast: bool = True) -> ParsedFeed:
    """Turn a fetched feed or GDELT export into items (pages are handled apart).

    ``fast`` selects the lxml fast path for well-formed feeds (the ``fast_parse`` setting).
    """
    if kind == SourceKind.GDELT:
        return parse_gdelt(result.content, url=result.url)
    return parse_feed(result.content, url=result.url, content_type=result.content_type, fast=fast)


def process_raw(
    conn: Connection,
    raw: q.RawDocument,
    source: q.Source,
    outcome: SourceOutcome,
    *,
    fast_parse: bool = True,
) -> None:
    """Parse one stored raw document and store what it yields, in the caller's transaction.

    Used by collect, by the resume step after a killed run, and by ``reparse``.
    """
    result = raw.as_fetch_result()
    if source.kind == SourceKind.PAGE:
        _process_page(conn, raw, source, result, outcome)
        q.mark_parsed(conn, raw.id, error=outcome.error)
        return
    try:
        parsed = parse_document(source.kind, result, fast=fast_parse)
    except ParseError as exc:
        outcome.error = f"parse failed: {exc}"
        outcome.rejected += 1
        q.add_reject(
            conn,
            stage=RejectStage.PARSE,
            error=str(exc),
            source_id=source.id,
            raw_id=raw.id,
            url=raw.final_url,
            detail=raw.body[:2000].decode("utf-8", "replace"),
        )
        q.mark_parsed(conn, raw.id, error=str(exc))
        return
    if parsed.bozo:
        q.add_reject(
            conn,
            stage=RejectStage.PARSE,
            error=f"malformed document, partial parse kept: {parsed.bozo_reason}",
            source_id=source.id,
            raw_id=raw.id,
            url=raw.final_url,
        )
    for reject in parsed.rejects:
        outcome.rejected += 1
        q.add_reject(
            conn,
            stage=RejectStage.ITEM,
            error=reject.error,
            source_id=source.id,
            raw_id=raw.id,
            url=raw.final_url,
            detail=reject.raw,
        )
    language = source.language or parsed.language
    entries = [
        q.ItemToStore(
            item,
            canonicalize_url(item.url) if item.url else None,
            content_hash(item.title, item.summary or item.content),
        )
        for item in parsed.items
    ]
    stored = q.upsert_articles(
        conn,
        entries,
        source_id=source.id,
        raw_id=raw.id,
        seen_at=raw.fetched_at,
        kind=SourceKind.GDELT if source.kind == SourceKind.GDELT else SourceKind.FEED,
        language=language,
    )
    for done in stored:
        if done.status == UpsertStatus.NEW:
            outcome.new += 1
            outcome.new_article_ids.append(done.article_id)
        elif done.status == UpsertStatus.UPDATED:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    q.mark_parsed(conn, raw.id)


def _process_page(
    conn: Connection,
    raw: q.RawDocument,
    source: q.Source,
    result: FetchResult,
    outcome: SourceOutcome,
) -> None:
    from watchfloor.collect.pages import extract_page  # trafilatura loads slowly

    try:
        page = extract_page(result.content, url=result.url, content_type=result.content_type)
    except ParseError as exc:
        outcome.error = f"no main text: {exc}"
        outcome.rejected += 1
        q.add_reject(
            conn,
            stage=RejectStage.PAGE,
            error=str(exc),
            source_id=source.id,
            raw_id=raw.id,
            url=raw.final_url,
        )
        return
    version = q.add_page_version(
        conn,
        source_id=source.id,
        raw_id=raw.id,
        title=page.title or source.name,
        text=page.text,
        text_hash=page.text_hash,
        page_date=(
            None
            if page.date is None
            else datetime(page.date.year, page.date.month, page.date.day, tzinfo=UTC)
        ),
        fetched_at=raw.fetched_at,
    )
    if version is None:
        outcome.unchanged += 1
    elif version.version == 1:
        outcome.new += 1
    else:
        outcome.updated += 1


def _next(
    source: q.Source, when: datetime, failed: bool, settings: CollectSettings | None
) -> datetime:
    failures = source.consecutive_failures + 1 if failed else 0
    return next_attempt(
        when,
        every=source.every_seconds,
        failures=failures,
        settings=settings or CollectSettings(),
    )


def resume_unparsed(store: Store, settings: CollectSettings | None = None) -> int:
    """Parse raw documents an interrupted run stored but never parsed."""
    with store.connect() as conn:
        pending = q.raw_documents_for(conn, unparsed_only=True)
    done = 0
    for raw in pending:
        with store.begin() as conn:
            if raw.source_id is None:
                q.mark_parsed(conn, raw.id, error="source removed before parsing")
                continue
            source = q.get_source(conn, raw.source_id)
            outcome = SourceOutcome(source.id, source.name, source.url)
            process_raw(
                conn, raw, source, outcome, fast_parse=(settings or CollectSettings()).fast_parse
            )
            if outcome.error is None:
                q.record_source_result(
                    conn,
                    source.id,
                    when=raw.fetched_at,
                    status=raw.status,
                    error=None,
                    etag=raw.headers.get("etag"),
                    last_modified=raw.headers.get("last-modified"),
                    next_attempt_at=_next(source, raw.fetched_at, False, settings),
                )
        done += 1
    return done


def reparse(store: Store, *, source_id: int | None = None) -> CollectSummary:
    """Replay every stored raw document through the parsers (idempotent)."""
    summary = CollectSummary()
    with store.connect() as conn:
        docs = q.raw_documents_for(conn, source_id=source_id)
        known = {s.id: s for s in q.list_sources(conn)}
    outcomes: dict[int, SourceOutcome] = {}
    for raw in docs:
        if raw.source_id is None or raw.source_id not in known:
            continue
        source = known[raw.source_id]
        outcome = outcomes.setdefault(source.id, SourceOutcome(source.id, source.name, source.url))
        with store.begin() as conn:
            process_raw(conn, raw, source, outcome)
    summary.sources = list(outcomes.values())
    return summary


ProgressCallback = Callable[[SourceOutcome], None]


async def _collect_async(
    store: Store,
    due: list[q.Source],
    policy: FetchPolicy,
    on_done: ProgressCallback | None,
    settings: CollectSettings,
) -> list[SourceOutcome]:
    outcomes: list[SourceOutcome] = []
    key = policy_key(policy)

    async with Fetcher(policy) as fetcher:

        async def one(source: q.Source) -> SourceOutcome:
            outcome = SourceOutcome(source.id, source.name, source.url)
            when = datetime.now(UTC)
            try:
                result = await fetcher.fetch(
                    source.url, etag=source.etag, last_modified=source.last_modified
                )
            except FetchError as exc:
                outcome.error = str(exc)
                status = getattr(exc, "status", None)
                with store.begin() as conn:
                    q.add_reject(
                        conn,
                        stage=RejectStage.FETCH,
                        error=str(exc),
                        source_id=source.id,
                        url=source.url,
                    )
                    retry = _next(source, when, True, settings)
                    if isinstance(exc, BlockedAddressError):
                        q.record_source_refusal(
                            conn, source.id, error=str(exc), policy=key, next_attempt_at=retry
                        )
                    else:
                        q.record_source_result(
                            conn,
                            source.id,
                            when=when,
                            status=status,
                            error=str(exc),
                            next_attempt_at=retry,
                        )
                return outcome
            if result.not_modified:
                outcome.not_modified = True
                with store.begin() as conn:
                    q.record_source_result(
                        conn,
                        source.id,
                        when=when,
                        status=304,
                        error=None,
                        next_attempt_at=_next(source, when, False, settings),
                    )
                return outcome
            # The raw bytes land first, in their own transaction.
            with store.begin() as conn:
                raw_id = q.store_raw(
                    conn, result, purpose=RawPurpose.of_source(source.kind), source_id=source.id
                )
            with store.begin() as conn:
                raw = q.get_raw(conn, raw_id)
                process_raw(conn, raw, source, outcome, fast_parse=settings.fast_parse)
                q.record_source_result(
                    conn,
                    source.id,
                    when=when,
                    status=result.status,
                    error=outcome.error,
                    etag=result.etag,
                    last_modified=result.last_modified,
                    next_attempt_at=_next(source, when, outcome.error is not None, settings),
                )
            return outcome

        tasks = [asyncio.ensure_future(one(s)) for s in due]
        for next_done in asyncio.as_completed(tasks):
            outcome = await next_done
            outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome)
    order = {s.id: i for i, s in enumerate(due)}
    outcomes.sort(key=lambda o: order[o.source_id])
    return outcomes


def due_sources(
    store: Store,
    *,
    country: str | None = None,
    source_id: int | None = None,
    force: bool = False,
    now: datetime | None = None,
    policy: FetchPolicy | None = None,
    due_only: bool = False,
) -> list[q.Source]:
    """Sources to fetch now: due by their interval or backoff, or all matching ones when
    forced. With *policy*, a source an other policy refused is due at once."""
    now = now or datetime.now(UTC)
    key = None if policy is None else policy_key(policy)
    with store.connect() as conn:
        chosen = q.list_sources(conn, country=country, source_id=source_id)
    if force or (source_id is not None and not due_only):
        return [s for s in chosen if s.enabled or source_id is not None]
    return [s for s in chosen if s.is_due(now, key)]


def collect(
    store: Store,
    settings: Settings,
    *,
    country: str | None = None,
    source_id: int | None = None,
    force: bool = False,
    allow_private: bool | None = None,
    fulltext: bool = False,
    due_only: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_done: ProgressCallback | None = None,
) -> CollectSummary:
    """Fetch every due source concurrently and store what they bring.

    Args:
        store: an initialised store.
        settings: limits, timeouts and the private-address policy.
        country: only sources that serve this ISO 3166-1 alpha-2 code.
        source_id: only this source (fetched even when not due, unless ``due_only``).
        force: fetch matching sources even when they are not due yet.
        allow_private: override the settings' private-address policy.
        fulltext: also fetch each new article's page and keep its main text.
        due_only: with ``source_id``, fetch it only if it is due (a worker's task).
        on_start: called with the number of sources about to be fetched.
        on_done: called with each source's outcome as it finishes.
    """
    summary = CollectSummary()
    summary.resumed = resume_unparsed(store, settings.collect)
    policy = fetch_policy(settings, allow_private=allow_private)
    due = due_sources(
        store,
        country=country,
        source_id=source_id,
        force=force,
        policy=policy,
        due_only=due_only,
    )
    if on_start is not None:
        on_start(len(due))
    if due:
        summary.sources = asyncio.run(_collect_async(store, due, policy, on_done, settings.collect))
    if fulltext and summary.new_article_ids:
        ok, failed = fetch_fulltext(store, summary.new_article_ids, policy)
        summary.fulltext_fetched, summary.fulltext_failed = ok, failed
    return summary


def fetch_fulltext(
    store: Store, article_ids: Iterable[int], policy: FetchPolicy
) -> tuple[int, int]:
    """Fetch article pages and keep their main text, under the same safety rules."""
    from watchfloor.collect.extract import extract_article  # trafilatura loads slowly

    with store.connect() as conn:
        rows = q.article_links(conn, article_ids)
    # GDELT backfile rows carry gdelt:// identifiers, which are not addresses.
    targets = [
        (r.id, r.url, r.source_id)
        for r in rows
        if r.url and r.url.startswith(("http://", "https://"))
    ]

    async def run() -> tuple[int, int]:
        ok = failed = 0
        async with Fetcher(policy) as fetcher:

            async def one(article_id: int, url: str, source_id: int | None) -> bool:
                try:
                    result = await fetcher.fetch(url)
                except FetchError as exc:
                    with store.begin() as conn:
                        q.add_reject(
                            conn,
                            stage=RejectStage.FULLTEXT,
                            error=str(exc),
                            source_id=source_id,
                            article_id=article_id,
                            url=url,
                        )
                    return False
                with store.begin() as conn:
                    raw_id = q.store_raw(
                        conn, result, purpose=RawPurpose.ARTICLE, source_id=source_id
                    )
                try:
                    text = extract_article(
                        result.content, url=result.url, content_type=result.content_type
                    )
                except WatchfloorError as exc:
                    with store.begin() as conn:
                        q.add_reject(
                            conn,
                            stage=RejectStage.FULLTEXT,
                            error=str(exc),
                            source_id=source_id,
                            raw_id=raw_id,
                            article_id=article_id,
                            url=url,
                        )
                        q.mark_parsed(conn, raw_id, error=str(exc))
                    return False
                with store.begin() as conn:
                    q.set_fulltext(conn, article_id, text=text.text, raw_id=raw_id)
                    q.mark_parsed(conn, raw_id)
                return True

            results = await asyncio.gather(*(one(*t) for t in targets))
            ok = sum(1 for r in results if r)
            failed = len(results) - ok
        return ok, failed

    if not targets:
        return 0, 0
    return asyncio.run(run())


def import_snapshot(
    store: Store, source_id: int, path: str, *, captured_at: datetime
) -> SourceOutcome:
    """Store an archived capture of a source (a saved page or feed) as if fetched then.

    The bytes are kept as a raw document dated ``captured_at`` and parsed like a fetch,
    so an archive of a reference page yields its versions in the order they were taken.
    """
    from pathlib import Path

    if captured_at.tzinfo is None:
        raise WatchfloorError(f"capture time {captured_at} needs a time zone (e.g. Z)")
    content = Path(path).read_bytes()
    content_type = "text/html" if path.endswith((".html", ".htm")) else None
    result = FetchResult(
        requested_url=str(Path(path).resolve()),
        url=str(Path(path).resolve()),
        status=200,
        headers={"content-type": content_type} if content_type else {},
        content=content,
        fetched_at=captured_at.astimezone(UTC),
    )
    with store.connect() as conn:
        source = q.get_source(conn, source_id)
    outcome = SourceOutcome(source.id, source.name, source.url)
    with store.begin() as conn:
        raw_id = q.store_raw(
            conn, result, purpose=RawPurpose.of_source(source.kind), source_id=source.id
        )
    with store.begin() as conn:
        process_raw(conn, q.get_raw(conn, raw_id), source, outcome)
    return outcome
