"""When a source is tried next: its interval after a success, an exponential backoff after
a failure, and at once after a refusal by a fetch policy that has since changed.

A refusal by policy (a private address while private addresses are not allowed) is not a
fetch: nothing was asked of the server. The refusing policy's key is stored with the
source, and :meth:`watchfloor.store.queries.Source.is_due` compares it with the policy of
the run deciding: ``collect --allow-private`` after a refusal fetches the source at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from watchfloor.collect.fetch import FetchPolicy
from watchfloor.config import CollectSettings

__all__ = ["backoff_seconds", "next_attempt", "policy_key"]


def policy_key(policy: FetchPolicy) -> str:
    """A short, stable description of what the address guard lets through."""
    hosts = ",".join(sorted(h.lower() for h in policy.allow_hosts))
    return f"private={'yes' if policy.allow_private else 'no'};hosts={hosts}"


def backoff_seconds(failures: int, *, every: int, settings: CollectSettings) -> int:
    """Seconds to wait after the *failures*-th failure in a row (1 for the first).

    ``retry_after`` after the first, doubling with each further failure, never more than
    the larger of ``max_backoff`` and the source's own interval.
    """
    cap = max(settings.max_backoff, every)
    if failures <= 0:
        return every
    exponent = min(failures - 1, 40)  # 2**40 seconds is far past any cap
    return int(min(settings.retry_after * (2**exponent), cap))


def next_attempt(
    when: datetime, *, every: int, failures: int, settings: CollectSettings
) -> datetime:
    """When a source fetched (or refused) at *when* is next due; *failures* counts the
    failures in a row including this attempt (0 after a success)."""
    return when + timedelta(seconds=backoff_seconds(failures, every=every, settings=settings))
