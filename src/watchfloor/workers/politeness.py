"""Per-host politeness across every worker: a shared rate limit in Redis.

Before a worker fetches a source, it claims the source's host for ``[schedule]
host_interval`` seconds with one atomic ``SET key NX PX``; a worker that finds the host
claimed waits for the claim to run out (its task is sent again with that countdown). So
however many workers run, one host gets at most one request per interval from them all.
Within one fetch, the fetcher's own ``per_host_limit`` still applies.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HostLimit"]

_PREFIX = "watchfloor:host:"


class HostLimit:
    """Claims on hosts, kept in the Redis at *url* (``redis://host:port/db``)."""

    def __init__(self, url: str, interval: float) -> None:
        self.url = url
        self.interval = interval
        self._client: Any = None

    @property
    def enabled(self) -> bool:
        return self.interval > 0 and self.url.startswith(("redis://", "rediss://"))

    def _redis(self) -> Any:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.url)
        return self._client

    def claim(self, host: str) -> float:
        """Claim *host*: 0.0 when it is ours now, else the seconds until it is free."""
        if not self.enabled:
            return 0.0
        key = _PREFIX + host.lower()
        millis = max(1, int(self.interval * 1000))
        if self._redis().set(key, b"1", nx=True, px=millis):
            return 0.0
        left = self._redis().pttl(key)
        return max(0.05, (left if left and left > 0 else millis) / 1000)
