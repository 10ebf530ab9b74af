"""The enrich stage: turn stored articles into the facts reports are built from.

For each article not yet enriched by this version (or every article with ``redo``):
language, named entities, places resolved to the gazetteer, categories, country
relevance, dated events, and its story cluster. Work goes in batches ordered by
publication time; each batch commits on its own, so an interrupted run resumes where
it stopped. A failing article goes to ``rejects`` (stage ``enrich``) and the run goes on.

Several processes (Celery workers, on one machine or many) may enrich one store at once.
Each **claims** a batch of the oldest pending articles with a lease
(:func:`watchfloor.store.enrichment.claim_batch`), annotates it with no lock held (the
costly part: NER, places, embeddings), then takes the store's write lock for a short
step: it brings its story clusterer up to date with the state another worker saved,
assigns the batch's stories, writes the annotations of the articles it still owns, saves
the clusterer's state and releases its claims. A batch waits (up to ``order_wait``
seconds) for older batches still claimed by other workers, so stories are assigned in
publication order and the clusters are the ones a single process finds. A worker killed
mid-batch leaves its claims; once their lease has run out another worker takes them.
Writes replace an article's annotations, so enriching an article twice leaves one copy.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from watchfloor.enrich.resources import Resources, shared
from watchfloor.errors import EnrichError
from watchfloor.models.records import RejectStage
from watchfloor.store import enrichment as es
from watchfloor.store import queries as q
from watchfloor.store.db import Connection, Store
from watchfloor.store.enrichment import BODY_CHARS, ArticleInput

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from watchfloor.enrich.categorize import CategoryScore
    from watchfloor.enrich.entities import Entity
    from watchfloor.enrich.geoparse import ResolvedPlace
    from watchfloor.enrich.language import LanguageGuess
    from watchfloor.enrich.timex import DatedEvent

__all__ = [
    "BODY_CHARS",
    "CLUSTER_STATE_KEY",
    "DEFAULT_LEASE",
    "ENRICHER_VERSION",
    "Annotation",
    "ArticleInput",
    "EnrichSummary",
    "Enricher",
    "StageClock",
    "enrich",
    "pending_articles",
    "worker_id",
]

log = logging.getLogger(__name__)

#: Bump when a model, the gazetteer or a rule changes what enrichment produces;
#: articles enriched by another version are enriched again.
ENRICHER_VERSION = "2026.11.12"
CLUSTER_STATE_KEY = "cluster_state"
#: Seconds a claimed batch stays reserved for its worker; after that another may take it.
DEFAULT_LEASE = 300.0
#: Seconds a finished batch waits for older batches other workers still hold.
ORDER_WAIT = 60.0
#: Annotated batches a run keeps in hand while older batches of other workers hold them back.
MAX_HELD = 2
_POLL = 0.1


def worker_id() -> str:
    """A name for this enrich run's claims: host, process and a random part."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Annotation:
    """What enrichment found in one article, before clustering."""

    language: LanguageGuess
    code: str  # the detected language, or the feed's when detection could not tell
    entities: list[Entity]
    places: list[ResolvedPlace]
    categories: list[CategoryScore]
    countries: dict[str, tuple[float, bool]]  # country -> (relevance score, is about it)
    events: list[DatedEvent]
    embedding: npt.NDArray[np.float32]

    def rows(self, art: ArticleInput, *, cluster_id: str) -> es.EnrichmentRows:
        """What the store keeps of this annotation."""
        return es.EnrichmentRows(
            article_id=art.id,
            detected_language=self.code,
            language_confidence=self.language.confidence,
            cluster_id=cluster_id,
            enriched_version=ENRICHER_VERSION,
            entities=[es.EntityRow(e.label, e.text, e.start, e.end) for e in self.entities],
            places=[
                es.PlaceRow(
                    text=p.text,
                    start=p.start,
                    end=p.end,
                    in_title=p.start < art.title_end,
                    name=p.name,
                    country=p.country,
                    admin1=p.admin1,
                    feature=p.feature,
                    lat=p.lat,
                    lng=p.lng,
                    population=p.population,
                    gazetteer_key=p.key,
                    score=p.score,
                    demonym=p.demonym,
                    metonymy=p.metonymy,
                )
                for p in self.places
            ],
            categories=[es.CategoryRow(c.category, c.confidence) for c in self.categories],
            countries=[
                es.CountryRow(c, score, about) for c, (score, about) in self.countries.items()
            ],
            events=[
                es.EventRow(
                    text=e.text,
                    span_start=e.span[0],
                    span_end=e.span[1],
                    expression=e.expression,
                    start_date=e.start,
                    end_date=e.end,
                    precision=e.precision,
                    is_future=e.is_future,
                )
                for e in self.events
            ],
        )


@dataclass(slots=True)
class EnrichSummary:
    """Counts per stage, for the summary table."""

    articles: int = 0
    failed: int = 0
    entities: int = 0
    places: int = 0
    categories: int = 0
    dated_events: int = 0
    clusters_touched: int = 0
    languages: dict[str, int] = field(default_factory=dict)


def pending_articles(conn: Connection, *, redo: bool) -> list[int]:
    """Ids of articles to enrich, oldest publication first."""
    return es.pending_articles(conn, version=ENRICHER_VERSION, redo=redo)


class StageClock:
    """CPU seconds spent in each enrichment stage (``time.process_time``), for benchmarks.

    Process time counts every thread, so the split is exact only when the enricher runs
    in one thread (``Enricher(threads=1)``); with two, the embedding thread's time lands
    in whatever stage the main thread is in.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            spent = time.process_time() - start
            self.seconds[stage] = self.seconds.get(stage, 0.0) + spent


@contextmanager
def _untimed(stage: str) -> Iterator[None]:
    yield


def _embed_thread_setup(resources: Resources) -> None:
    """Give the embedding thread one engine thread: the main thread's NER holds the other core."""
    from watchfloor.enrich.embed import use_engine_threads

    try:
        use_engine_threads(1, resources.embedder)
    except EnrichError as exc:  # no model: the first embedding call reports it properly
        log.debug("embedding thread setup skipped: %s", exc)


class Enricher:
    """Enrich articles batch by batch with the loaded models of *resources* (the shared
    :func:`watchfloor.enrich.resources.shared` ones by default).

    Args:
        threads: 2 (the default) embeds in a second thread beside NER and embeds the next
            batch while the current one is written; 1 does everything in the calling
            thread, with one embedding engine thread: for a worker process that should
            use one core (as many worker processes as cores).
    """

    def __init__(
        self,
        resources: Resources | None = None,
        *,
        threads: int = 2,
        clock: StageClock | None = None,
    ) -> None:
        if threads not in (1, 2):
            raise EnrichError(f"Enricher threads must be 1 or 2, got {threads}")
        self.resources = resources or shared()
        self.threads = threads
        self.clock: Callable[[str], Any] = clock or _untimed
        self._pool = (
            ThreadPoolExecutor(
                max_workers=1,
                thread_name_prefix="watchfloor-embed",
                initializer=_embed_thread_setup,
                initargs=(self.resources,),
            )
            if threads == 2
            else None
        )
        self._inline_ready = False
        self._pending: dict[tuple[int, ...], Future[Any]] = {}

    @property
    def background(self) -> bool:
        """Whether embeddings are computed in a second thread (and batches prefetched)."""
        return self._pool is not None

    def prefetch(self, batch: Sequence[ArticleInput]) -> None:
        """Start embedding *batch* in the background; :meth:`annotate` picks the result up.

        The embedder releases the GIL, so while the caller clusters and writes the batch
        before, the second core already embeds this one. Only the latest prefetch is kept.
        """
        from watchfloor.enrich.embed import embed_texts, lead_text

        if self._pool is None:
            return
        key = tuple(a.id for a in batch)
        if key not in self._pending:
            self._pending.clear()
            leads = [lead_text(a.title, a.body) for a in batch]
            self._pending[key] = self._pool.submit(
                embed_texts, leads, model=self.resources.embedder
            )

    def _vectors(self, batch: Sequence[ArticleInput]) -> Future[Any]:
        if self._pool is None:
            from watchfloor.enrich.embed import embed_texts, lead_text

            if not self._inline_ready:
                _embed_thread_setup(self.resources)
                self._inline_ready = True
            done: Future[Any] = Future()
            with self.clock("embed"):
                leads = [lead_text(a.title, a.body) for a in batch]
                done.set_result(embed_texts(leads, model=self.resources.embedder))
            return done
        self.prefetch(batch)
        return self._pending.pop(tuple(a.id for a in batch))

    @property
    def geoparser(self) -> Any:
        return self.resources.geoparser

    def annotate(self, batch: list[ArticleInput]) -> list[Annotation]:
        """Everything but clustering for a batch; one annotation per article."""
        from watchfloor.enrich.entities import load_nlp, ner_entities
        from watchfloor.enrich.language import detect_language
        from watchfloor.enrich.relevance import country_relevance, is_about, place_candidates
        from watchfloor.enrich.timex import extract_dated_events

        texts = [a.text for a in batch]
        res = self.resources
        clock = self.clock
        with clock("language"):
            ident = res.language_identifier
            langs = [
                detect_language(t, hint=a.language, identifier=ident)
                for t, a in zip(texts, batch, strict=True)
            ]
            codes = [
                g.code if g.known else (a.language or "und")
                for g, a in zip(langs, batch, strict=True)
            ]
        # One title+lead vector per article serves both categories and story clusters. It is
        # computed in a thread beside spaCy's NER and the rule-based stages (see prefetch).
        pending_vectors = self._vectors(batch)
        english = [i for i, c in enumerate(codes) if c in ("en", "und")]
        ents: dict[int, list[Any]] = {i: [] for i in range(len(batch))}
        with clock("ner"):
            nlp = load_nlp()
            for i, doc in zip(
                english, nlp.pipe([texts[i] for i in english], batch_size=32), strict=True
            ):
                ents[i] = ner_entities(doc)
        per_article = []
        for i, art in enumerate(batch):
            hint = art.source_countries[0] if len(art.source_countries) == 1 else None
            with clock("geoparse"):
                places = self.geoparser.resolve(
                    texts[i], ents[i], country_hint=hint, language=codes[i]
                )
            with clock("relevance"):
                counts: dict[str, list[int]] = {}
                for p in places:
                    slot = counts.setdefault(p.country, [0, 0])
                    slot[0 if p.start < art.title_end else 1] += 1
                actors = [e.text for e in ents[i] if e.label in ("ORG", "NORP", "PERSON")]
                national = (
                    0 < len(art.source_countries) <= res.settings.relevance.max_source_countries
                )
                candidates = (
                    []
                    if national
                    else place_candidates(
                        texts[i],
                        [(e.text, e.label) for e in ents[i]],
                        [(p.text, p.country, p.feature) for p in places if not p.demonym],
                        lambda name: [
                            (g.country, g.feature, g.population)
                            for g, _alt in res.gazetteer.lookup(name)
                        ],
                    )
                )
                scores = country_relevance(
                    title=art.title,
                    text=art.body,
                    language=codes[i],
                    places=[(c, n[0], n[1]) for c, n in counts.items()],
                    actors=actors,
                    source_countries=list(art.source_countries),
                    settings=res.settings.relevance,
                    table=res.country_table,
                    place_names=[(p.text, p.country) for p in places if not p.demonym],
                    candidates=candidates,
                )
            with clock("dated events"):
                events = extract_dated_events(texts[i], art.published, language=codes[i])
            per_article.append((places, scores, events))
        vectors = pending_vectors.result()
        with clock("categorise"):
            cats = res.categorizer.categorize_many(
                [(a.title, a.body) for a in batch], vectors=vectors
            )
        about = res.settings.relevance.about_threshold
        return [
            Annotation(
                language=langs[i],
                code=codes[i],
                entities=ents[i],
                places=places,
                categories=cats[i],
                countries={c: (s, is_about(scores, c, about)) for c, s in scores.items()},
                events=events,
                embedding=vectors[i],
            )
            for i, (places, scores, events) in enumerate(per_article)
        ]


def _load_clusterer(conn: Connection) -> Any:
    from watchfloor.enrich.cluster import ClusterState, StoryClusterer

    value = es.load_state(conn, CLUSTER_STATE_KEY)
    if value is not None:
        try:
            return StoryClusterer.from_state(ClusterState.from_dict(value))
        except EnrichError as exc:
            log.warning("cluster state unreadable, starting afresh: %s", exc)
    return StoryClusterer()


def _rebuild_clusterer(conn: Connection, items: list[Any]) -> Any:
    """A clusterer holding the stored assignments around the items' publication times."""
    from watchfloor.enrich.cluster import ClusterItem, StoryClusterer

    window = StoryClusterer().window
    low = min(i.published for i in items) - 2 * window
    high = max(i.published for i in items) + 2 * window
    stored = [
        (
            ClusterItem(
                id=str(r.id),
                title=r.title,
                text=r.body,
                language=r.language or "und",
                published=r.published,
                entities=set(r.names),
                places=set(r.places),
            ),
            r.cluster_id,
        )
        for r in es.clustered_articles(conn, low, high)
    ]
    log.info("rebuilding story clusters from %d stored articles for late arrivals", len(stored))
    return StoryClusterer.rebuild(stored)


class _Clusters:
    """This run's story clusterer, reloaded from the store when another worker saved a newer
    state since (the stamp of ``stage_state`` tells)."""

    def __init__(self) -> None:
        self.clusterer: Any = None
        self.stamp: Any = None

    def current(self, conn: Connection) -> Any:
        stamp = es.state_stamp(conn, CLUSTER_STATE_KEY)
        if self.clusterer is None or stamp != self.stamp:
            self.clusterer = _load_clusterer(conn)
            self.stamp = stamp
        return self.clusterer

    def save(self, conn: Connection, clusterer: Any) -> None:
        self.clusterer = clusterer
        self.stamp = es.save_state(conn, CLUSTER_STATE_KEY, clusterer.state().to_dict())


def _claim(
    store: Store,
    worker: str,
    size: int,
    lease: float,
    skip: Sequence[int],
    clock: Callable[[str], Any] = _untimed,
) -> list[ArticleInput]:
    with clock("claim and read"), store.begin() as conn:
        ids = es.claim_batch(
            conn,
            version=ENRICHER_VERSION,
            worker=worker,
            size=size,
            lease_seconds=lease,
            exclude=skip,
        )
    if not ids:
        return []
    with clock("claim and read"), store.connect() as conn:
        return es.load_inputs(conn, ids)


def enrich(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = 64,
    enricher: Enricher | None = None,
    on_start: Callable[[int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
    lease: float = DEFAULT_LEASE,
    order_wait: float = ORDER_WAIT,
    worker: str | None = None,
) -> EnrichSummary:
    """Enrich new and changed articles (all of them with ``redo``), batch by batch, beside
    any other process enriching the same store.

    Args:
        store: an initialised store.
        redo: recompute everything, e.g. after a model or gazetteer change; clusters
            are rebuilt from scratch.
        batch_size: articles per claim and per transaction.
        enricher: loaded models to reuse across calls (a fresh one by default).
        on_start: called with the number of articles pending (other workers' included).
        on_batch: called with the number of articles just finished.
        lease: seconds a claimed batch stays this run's; a batch not written by then may
            be taken by another worker (and is then written by whichever owns it).
        order_wait: longest wait, in seconds, for older batches other workers hold before
            this one's stories are assigned anyway.
        worker: the name claims are taken under (:func:`worker_id` by default).
    """
    enricher = enricher or Enricher()
    summary = EnrichSummary()
    me = worker or worker_id()
    if redo:
        with store.begin() as conn:
            es.lock_writes(conn)
            es.reset_clusters(conn, CLUSTER_STATE_KEY)
    with store.connect() as conn:
        total = es.count_pending(conn, version=ENRICHER_VERSION)
    if on_start is not None:
        on_start(total)
    if not total:
        return summary
    clusters = _Clusters()
    failed: list[int] = []  # not claimed again in this run: the next run retries them

    def claim() -> list[ArticleInput]:
        return _claim(store, me, batch_size, lease, failed, enricher.clock)

    def flush(block: bool) -> None:
        """Write the annotated batches in hand, oldest first. A batch that older batches of
        other workers hold back stays in hand; with *block*, wait for them instead."""
        while held:
            batch, results, since = held[0]
            late = since is not None and time.monotonic() - since >= order_wait
            if not _write(store, me, batch, results, clusters, summary, late, enricher.clock):
                held[0] = (batch, results, since or time.monotonic())
                if not block:
                    return
                time.sleep(_POLL)
                continue
            held.pop(0)
            if on_batch is not None:
                on_batch(len(batch))

    # Annotated batches not written yet, oldest first, each with when it was first held back.
    held: list[tuple[list[ArticleInput], list[Annotation | None], float | None]] = []
    try:
        batch = claim()
        while batch:
            results: list[Annotation | None]
            try:
                results = list(enricher.annotate(batch))
            except Exception as exc:  # one bad batch must not stop the run
                results = _annotate_one_by_one(enricher, batch, store, exc)
            failed.extend(a.id for a, r in zip(batch, results, strict=True) if r is None)
            held.append((batch, results, None))
            # Claimed before this batch is written: embedded meanwhile by the second thread,
            # or annotated next if an older batch of another worker holds this one back.
            batch = claim() if len(held) < MAX_HELD else []
            if batch:
                enricher.prefetch(batch)
                flush(block=False)
            else:  # nothing more to do meanwhile: write what is in hand, then look again
                flush(block=True)
                batch = claim()
    finally:
        _release(store, me)
    log.info(
        "enrich run %s: %d article(s) written, %d failed", me, summary.articles, summary.failed
    )
    return summary


def _release(store: Store, worker: str) -> None:
    """Give back what this run still holds (it stopped early: cancelled, an error)."""
    try:
        with store.begin() as conn:
            es.release_claims(conn, worker)
    except Exception as exc:  # the leases run out on their own; the first error matters
        log.warning("could not release enrich claims of %s (they expire): %s", worker, exc)


def _write(
    store: Store,
    worker: str,
    batch: list[ArticleInput],
    results: list[Annotation | None],
    clusters: _Clusters,
    summary: EnrichSummary,
    late: bool,
    clock: Callable[[str], Any] = _untimed,
) -> bool:
    """Assign the batch's stories and write what this worker still owns, under the store's
    write lock; False (nothing done) while another worker holds an older batch, unless the
    batch is *late* (it waited long enough)."""
    good = [(a, r) for a, r in zip(batch, results, strict=True) if r is not None]
    ids = [a.id for a in batch]
    first = batch[0]
    with store.begin() as conn:
        es.lock_writes(conn)
        if not late and es.older_claim_outstanding(conn, worker, first.published, first.id):
            return False
        mine = es.owned_claims(conn, worker, ids)
        # Collect revised these since they were read: leave them pending for their new text.
        stale = es.changed_articles(conn, [a for a, _ in good if a.id in mine])
        if stale:
            log.info(
                "enrich run %s: %d article(s) changed meanwhile, left pending", worker, len(stale)
            )
        kept = [(a, r) for a, r in good if a.id in mine and a.id not in stale]
        _cluster_and_write(conn, kept, clusters, summary, clock)
        # A stale article this worker claimed again (a later batch, its new text) stays
        # claimed for that batch; the others are given back.
        es.release_claims(conn, worker, [i for i in ids if i not in stale])
        summary.failed += len(batch) - len(good)
    return True


def _cluster_and_write(
    conn: Connection,
    good: list[tuple[ArticleInput, Annotation]],
    clusters: _Clusters,
    summary: EnrichSummary,
    clock: Callable[[str], Any],
) -> None:
    from watchfloor.enrich.cluster import ClusterItem

    if not good:
        return
    items = [
        ClusterItem(
            id=str(a.id),
            title=a.title,
            text=a.body,
            language=r.code,
            published=a.published,
            entities={e.text for e in r.entities if e.label in ("PERSON", "ORG")},
            places={p.key for p in r.places if not p.demonym},
            embedding=r.embedding,
        )
        for a, r in good
    ]
    with clock("cluster"):
        clusterer = clusters.current(conn)
        horizon = clusterer.horizon()
        if horizon is not None and min(i.published for i in items) < horizon:
            # Late arrivals (a feed fetched days after the others, a backfill): bring back
            # the stored stories around their time so they can still join them.
            clusterer = _rebuild_clusterer(conn, items)
        assigned = clusterer.add(items)
    with clock("store write"):
        es.write_enrichments(conn, [r.rows(a, cluster_id=assigned[str(a.id)]) for a, r in good])
        for _a, r in good:
            summary.articles += 1
            summary.entities += len(r.entities)
            summary.places += len(r.places)
            summary.categories += len(r.categories)
            summary.dated_events += len(r.events)
            summary.languages[r.code] = summary.languages.get(r.code, 0) + 1
        touched = set(assigned.values())
        es.refresh_clusters(conn, touched)
        summary.clusters_touched += len(touched)
    with clock("cluster state save"):
        clusters.save(conn, clusterer)


def _annotate_one_by_one(
    enricher: Enricher, batch: list[ArticleInput], store: Store, first: Exception
) -> list[Annotation | None]:
    """After a batch failed, find the article(s) at fault; reject them, keep the rest."""
    log.warning("enrich batch failed (%s); retrying article by article", first)
    out: list[Annotation | None] = []
    for art in batch:
        try:
            out.append(enricher.annotate([art])[0])
        except Exception as exc:  # recorded, not swallowed: it lands in rejects
            with store.begin() as conn:
                q.add_reject(
                    conn,
                    stage=RejectStage.ENRICH,
                    error=f"{type(exc).__name__}: {exc}",
                    article_id=art.id,
                    detail=art.title,
                )
            out.append(None)
    return out
