"""The enrich stage: turn stored articles into the facts reports are built from.

For each article not yet enriched by this version (or every article with ``redo``):
language, named entities, places resolved to the gazetteer, categories, country
relevance, dated events, and its story cluster. Work goes in batches ordered by
publication time; each batch commits on its own, so an interrupted run resumes where
it stopped. A failing article goes to ``rejects`` (stage ``enrich``) and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
    "ENRICHER_VERSION",
    "Annotation",
    "ArticleInput",
    "EnrichSummary",
    "Enricher",
    "enrich",
    "pending_articles",
]

log = logging.getLogger(__name__)

#: Bump when a model, the gazetteer or a rule changes what enrichment produces;
#: articles enriched by another version are enriched again.
ENRICHER_VERSION = "2026.11.8"
CLUSTER_STATE_KEY = "cluster_state"


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


def _embed_thread_setup(resources: Resources) -> None:
    """Give the embedding thread one engine thread: the main thread's NER holds the other core."""
    from watchfloor.enrich.embed import use_engine_threads

    try:
        use_engine_threads(1, resources.embedder)
    except EnrichError as exc:  # no model: the first embedding call reports it properly
        log.debug("embedding thread setup skipped: %s", exc)


class Enricher:
    """Enrich articles batch by batch with the loaded models of *resources* (the shared
    :func:`watchfloor.enrich.resources.shared` ones by default)."""

    def __init__(self, resources: Resources | None = None) -> None:
        self.resources = resources or shared()
        self._pool = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="watchfloor-embed",
            initializer=_embed_thread_setup,
            initargs=(self.resources,),
        )
        self._pending: dict[tuple[int, ...], Future[Any]] = {}

    def prefetch(self, batch: Sequence[ArticleInput]) -> None:
        """Start embedding *batch* in the background; :meth:`annotate` picks the result up.

        The embedder releases the GIL, so while the caller clusters and writes the batch
        before, the second core already embeds this one. Only the latest prefetch is kept.
        """
        from watchfloor.enrich.embed import embed_texts, lead_text

        key = tuple(a.id for a in batch)
        if key not in self._pending:
            self._pending.clear()
            leads = [lead_text(a.title, a.body) for a in batch]
            self._pending[key] = self._pool.submit(
                embed_texts, leads, model=self.resources.embedder
            )

    def _vectors(self, batch: Sequence[ArticleInput]) -> Future[Any]:
        self.prefetch(batch)
        return self._pending.pop(tuple(a.id for a in batch))

    @property
    def geoparser(self) -> Any:
        return self.resources.geoparser

    def annotate(self, batch: list[ArticleInput]) -> list[Annotation]:
        """Everything but clustering for a batch; one annotation per article."""
        from watchfloor.enrich.entities import load_nlp, ner_entities
        from watchfloor.enrich.language import detect_language
        from watchfloor.enrich.relevance import country_relevance, is_about
        from watchfloor.enrich.timex import extract_dated_events

        texts = [a.text for a in batch]
        res = self.resources
        ident = res.language_identifier
        langs = [
            detect_language(t, hint=a.language, identifier=ident)
            for t, a in zip(texts, batch, strict=True)
        ]
        codes = [
            g.code if g.known else (a.language or "und") for g, a in zip(langs, batch, strict=True)
        ]
        # One title+lead vector per article serves both categories and story clusters. It is
        # computed in a thread beside spaCy's NER and the rule-based stages (see prefetch).
        pending_vectors = self._vectors(batch)
        english = [i for i, c in enumerate(codes) if c in ("en", "und")]
        ents: dict[int, list[Any]] = {i: [] for i in range(len(batch))}
        nlp = load_nlp()
        for i, doc in zip(
            english, nlp.pipe([texts[i] for i in english], batch_size=32), strict=True
        ):
            ents[i] = ner_entities(doc)
        per_article = []
        for i, art in enumerate(batch):
            hint = art.source_countries[0] if len(art.source_countries) == 1 else None
            places = self.geoparser.resolve(texts[i], ents[i], country_hint=hint, language=codes[i])
            counts: dict[str, list[int]] = {}
            for p in places:
                slot = counts.setdefault(p.country, [0, 0])
                slot[0 if p.start < art.title_end else 1] += 1
            actors = [e.text for e in ents[i] if e.label in ("ORG", "NORP", "PERSON")]
            scores = country_relevance(
                title=art.title,
                text=art.body,
                language=codes[i],
                places=[(c, n[0], n[1]) for c, n in counts.items()],
                actors=actors,
                source_countries=list(art.source_countries),
                settings=res.settings.relevance,
                table=res.country_table,
            )
            events = extract_dated_events(texts[i], art.published, language=codes[i])
            per_article.append((places, scores, events))
        vectors = pending_vectors.result()
        cats = res.categorizer.categorize_many([(a.title, a.body) for a in batch], vectors=vectors)
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


def _save_clusterer(conn: Connection, clusterer: Any) -> None:
    es.save_state(conn, CLUSTER_STATE_KEY, clusterer.state().to_dict())


def enrich(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = 64,
    enricher: Enricher | None = None,
    on_start: Callable[[int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> EnrichSummary:
    """Enrich new and changed articles (all of them with ``redo``).

    Args:
        store: an initialised store.
        redo: recompute everything, e.g. after a model or gazetteer change; clusters
            are rebuilt from scratch.
        batch_size: articles per transaction.
        enricher: loaded models to reuse across calls (a fresh one by default).
        on_start: called with the number of articles to enrich.
        on_batch: called with the number of articles just finished.
    """
    from watchfloor.enrich.cluster import ClusterItem

    enricher = enricher or Enricher()
    summary = EnrichSummary()
    with store.begin() as conn:
        ids = pending_articles(conn, redo=redo)
        if redo:
            es.reset_clusters(conn, CLUSTER_STATE_KEY)
    if on_start is not None:
        on_start(len(ids))
    if not ids:
        return summary
    with store.connect() as conn:
        clusterer = _load_clusterer(conn)
    chunks = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    with store.connect() as conn:
        upcoming = es.load_inputs(conn, chunks[0])
    for number in range(len(chunks)):
        batch = upcoming
        results: list[Annotation | None]
        try:
            results = list(enricher.annotate(batch))
        except Exception as exc:  # one bad batch must not stop the run
            results = _annotate_one_by_one(enricher, batch, store, exc)
        if number + 1 < len(chunks):
            with store.connect() as conn:
                upcoming = es.load_inputs(conn, chunks[number + 1])
            enricher.prefetch(upcoming)  # embedded while this batch is clustered and written
        good = [(a, r) for a, r in zip(batch, results, strict=True) if r is not None]
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
        horizon = clusterer.horizon()
        if items and horizon is not None and min(i.published for i in items) < horizon:
            # Late arrivals (a feed fetched days after the others, a backfill): bring back
            # the stored stories around their time so they can still join them.
            with store.connect() as conn:
                clusterer = _rebuild_clusterer(conn, items)
        assigned = clusterer.add(items) if items else {}
        with store.begin() as conn:
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
            _save_clusterer(conn, clusterer)
        summary.failed += len(batch) - len(good)
        if on_batch is not None:
            on_batch(len(batch))
    return summary


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
