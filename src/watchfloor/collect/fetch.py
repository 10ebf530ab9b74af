"""Fetch URLs safely: size, time, redirect, retry and concurrency limits, and the SSRF guard.

One :class:`Fetcher` wraps one ``httpx.AsyncClient`` whose connections go through
:class:`~watchfloor.collect.netguard.GuardedNetworkBackend`, so no request reaches a
loopback, private or otherwise refused address unless the policy allows it. Bodies are
streamed and decompressed here (not by httpx) with an output bound, so a gzip bomb stops
at ``max_bytes`` with memory to match. Redirects are followed here, one hop at a time,
each hop re-checked. Local paths and ``file://`` URLs read a user's archived feed.

Usage::

    async with Fetcher(FetchPolicy()) as fetcher:
        result = await fetcher.fetch(url, etag=previous.etag)
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import mimetypes
import os
import random
import ssl
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpcore
import httpx

from watchfloor import __version__
from watchfloor.collect.netguard import GuardedNetworkBackend, HostGuard
from watchfloor.config import CollectSettings
from watchfloor.errors import (
    BlockedAddressError,
    FetchError,
    HTTPStatusError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from watchfloor.models import FetchResult

__all__ = ["DEFAULT_USER_AGENT", "FetchPolicy", "Fetcher", "supported_encodings"]

DEFAULT_USER_AGENT = f"watchfloor/{__version__} (+https://github.com/watchfloor/watchfloor)"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_IDLE_CONNECTIONS_PER_SLOT = 2
_DEFAULTS = CollectSettings()
"""The ``[collect]`` defaults: FetchPolicy's own defaults are these, written once in config."""
_BLOCKED_HINT = "pass --allow-private or add the host to allow_hosts in watchfloor.toml"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits every fetch obeys. Defaults are safe for fetching strangers' servers.

    Args:
        max_bytes: largest body accepted, counted after decompression.
        connect_timeout: seconds to resolve and connect.
        read_timeout: seconds without a byte from the server before giving up.
        total_timeout: seconds one ``fetch`` may take, retries and redirects included,
            counted from the moment it gets its connection slot (so a slow drip ends).
        retries: extra attempts after a timeout, connection error, 5xx or 429.
        backoff: first wait between attempts in seconds; it doubles each time.
        max_retry_after: longest ``Retry-After`` honoured, in seconds.
        max_redirects: redirects followed before :class:`TooManyRedirectsError`.
        per_host_limit: requests in flight to one ``host:port`` at once.
        max_concurrency: requests in flight overall.
        allow_private: let every host reach private and loopback addresses.
        allow_hosts: ``host`` or ``host:port`` entries exempt from the address guard.
        user_agent: the ``User-Agent`` header sent.
    """

    max_bytes: int = _DEFAULTS.max_bytes
    connect_timeout: float = _DEFAULTS.connect_timeout
    read_timeout: float = _DEFAULTS.read_timeout
    total_timeout: float = _DEFAULTS.total_timeout
    retries: int = _DEFAULTS.retries
    backoff: float = 0.5
    max_retry_after: float = 30.0
    max_redirects: int = _DEFAULTS.max_redirects
    per_host_limit: int = _DEFAULTS.per_host_limit
    max_concurrency: int = _DEFAULTS.max_concurrency
    allow_private: bool = _DEFAULTS.allow_private
    allow_hosts: tuple[str, ...] = _DEFAULTS.allow_hosts
    user_agent: str = DEFAULT_USER_AGENT

    @classmethod
    def from_settings(cls, settings: CollectSettings) -> FetchPolicy:
        """Build the policy from the ``[collect]`` settings."""
        return cls(
            max_bytes=settings.max_bytes,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            total_timeout=settings.total_timeout,
            retries=settings.retries,
            max_redirects=settings.max_redirects,
            per_host_limit=settings.per_host_limit,
            max_concurrency=settings.max_concurrency,
            allow_private=settings.allow_private,
            allow_hosts=tuple(settings.allow_hosts),
        )


# -- decompression with an output bound --------------------------------------------------

# Decoders hand out at most this much at a time, so memory stays near the body limit
# however well the input compresses (a zlib stream can expand about 1,000-fold).
_PIECE = 256 * 1024


class _Decoder(Protocol):
    def decode(self, data: bytes) -> Iterator[bytes]: ...

    def flush(self) -> Iterator[bytes]: ...


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        yield data

    def flush(self) -> Iterator[bytes]:
        yield from ()


class _Zlib:
    """gzip (all members) or deflate (zlib-wrapped or raw), in pieces of bounded size."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(self._wbits)
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._obj.decompress(data, _PIECE)
            except zlib.error:
                if self._gzip or self._started:
                    raise
                # Some servers send raw deflate under "deflate"; read it that way.
                self._wbits = -zlib.MAX_WBITS
                self._obj = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            if self._obj.unconsumed_tail:
                data = self._obj.unconsumed_tail
            elif self._obj.eof and self._obj.unused_data and self._gzip:
                # Concatenated gzip members form one valid body.
                data = self._obj.unused_data
                self._obj = zlib.decompressobj(self._wbits)
            else:
                data = b""
            if piece:
                yield piece

    def flush(self) -> Iterator[bytes]:
        while piece := self._obj.flush(_PIECE):
            yield piece
            if not self._obj.unconsumed_tail:
                return


class _Brotli:
    def __init__(self) -> None:
        import brotli

        self._obj = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        yield self._obj.process(data, output_buffer_limit=_PIECE)
        # Output held back by the limit must be drained before more input goes in.
        while not self._obj.can_accept_more_data():
            yield self._obj.process(b"", output_buffer_limit=_PIECE)

    def flush(self) -> Iterator[bytes]:
        while not self._obj.is_finished():
            piece: bytes = self._obj.process(b"", output_buffer_limit=_PIECE)
            if not piece:
                return
            yield piece


@functools.cache
def _brotli_available() -> bool:
    try:
        import brotli

        # Older brotli releases cannot bound their output; decoding them is not safe.
        decompressor = brotli.Decompressor()
        decompressor.process(b"", output_buffer_limit=1)
        decompressor.can_accept_more_data()
    except (ImportError, TypeError, AttributeError):
        return False
    return True


def _decode_errors() -> tuple[type[Exception], ...]:
    if _brotli_available():
        import brotli

        return (zlib.error, brotli.error)
    return (zlib.error,)


def supported_encodings() -> tuple[str, ...]:
    """Return the content codings this fetcher decodes with a size bound."""
    return ("gzip", "deflate", "br") if _brotli_available() else ("gzip", "deflate")


def _decoders(content_encoding: str | None) -> list[_Decoder]:
    """Return decoders to apply in order for a ``Content-Encoding`` header."""
    if not content_encoding:
        return []
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    makers: dict[str, Callable[[], _Decoder]] = {
        "gzip": lambda: _Zlib(gzip=True),
        "x-gzip": lambda: _Zlib(gzip=True),
        "deflate": lambda: _Zlib(gzip=False),
    }
    if _brotli_available():
        makers["br"] = _Brotli
    # Codings are listed in the order applied, so they are undone in reverse. An unknown
    # coding is passed through as is, like httpx does; the size limit still holds.
    return [makers.get(coding, _Identity)() for coding in reversed(codings)]


class _BoundedBody:
    """Collect decoded bytes, raising as soon as they pass ``max_bytes``."""

    def __init__(self, url: str, max_bytes: int, content_encoding: str | None) -> None:
        self._url = url
        self._max = max_bytes
        self._decoders = _decoders(content_encoding)
        self._parts: list[bytes] = []
        self.size = 0

    def _push(self, data: bytes, start: int) -> None:
        if start == len(self._decoders):
            self._take(data)
            return
        for piece in self._decoders[start].decode(data):
            if piece:
                self._push(piece, start + 1)

    def _take(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._max:
            raise ResponseTooLargeError(
                f"{self._url} is larger than {self._max:,} bytes after decompression; "
                "raise max_bytes in watchfloor.toml if this source is trusted",
                url=self._url,
            )
        if data:
            self._parts.append(data)

    def feed(self, raw: bytes) -> None:
        try:
            self._push(raw, 0)
        except _decode_errors() as exc:
            raise FetchError(f"cannot decompress {self._url}: {exc}", url=self._url) from exc

    def finish(self) -> bytes:
        try:
            for index, decoder in enumerate(self._decoders):
                for piece in decoder.flush():
                    self._push(piece, index + 1)
        except _decode_errors() as exc:
            raise FetchError(f"cannot decompress {self._url}: {exc}", url=self._url) from exc
        return b"".join(self._parts)


# -- the fetcher -----------------------------------------------------------------------


@dataclass(slots=True)
class _Answer:
    url: str
    status: int
    headers: dict[str, str]
    content: bytes = b""
    reason: str = ""


class _RetryableStatus(Exception):
    def __init__(self, answer: _Answer) -> None:
        super().__init__(answer.status)
        self.answer = answer


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on the guarded network backend."""

    def __init__(self, guard: HostGuard, ssl_context: ssl.SSLContext, limits: httpx.Limits):
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        # httpx has no public way to pass a network backend, so the pool it built is
        # replaced by an identical one that connects through the guard.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedNetworkBackend(guard),
        )


def _lower_headers(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _now() -> datetime:
    return datetime.now(UTC)


def _retry_after(value: str | None) -> float | None:
    """Read a ``Retry-After`` header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - _now()).total_seconds())


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connecting timed out ({text})"
    if isinstance(exc, httpx.ReadTimeout):
        return "the server sent nothing within read_timeout"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return text


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "the site refuses access; check whether the source needs credentials"
    if status in (404, 410):
        return "check the URL or remove the source"
    if status == 429:
        return "the site is rate limiting; collect it less often"
    if status >= 500:
        return "the server is failing; try again later"
    return "check the URL"


@dataclass(slots=True)
class _Slots:
    """The global semaphore plus one semaphore per ``host:port``."""

    per_host_limit: int
    total: asyncio.Semaphore
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    @asynccontextmanager
    async def hold(self, host_key: str) -> AsyncIterator[None]:
        host = self.hosts.get(host_key)
        if host is None:
            host = self.hosts[host_key] = asyncio.Semaphore(self.per_host_limit)
        # The host slot first, so a request stuck behind its host holds no global slot.
        async with host, self.total:
            yield


class Fetcher:
    """Fetch URLs and local files under a :class:`FetchPolicy`.

    An async context manager around one ``httpx.AsyncClient``; the constructor does no
    I/O (the client and its TLS context are built on entry). Use it from one event loop.

    Args:
        policy: the limits; the defaults when omitted.
        verify: ``True`` (system CA bundle via certifi), an ``ssl.SSLContext`` or a CA
            bundle path. TLS verification is never switched off by the fetcher itself.
    """

    def __init__(
        self, policy: FetchPolicy | None = None, *, verify: ssl.SSLContext | str | bool = True
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._guard = HostGuard(self.policy.allow_private, tuple(self.policy.allow_hosts))
        self._verify = verify
        self._client: httpx.AsyncClient | None = None
        self._exit = AsyncExitStack()
        self._slots = _Slots(
            per_host_limit=max(1, self.policy.per_host_limit),
            total=asyncio.Semaphore(max(1, self.policy.max_concurrency)),
        )

    async def __aenter__(self) -> Fetcher:
        self._open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client and its connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _open(self) -> httpx.AsyncClient:
        if self._client is None:
            policy = self.policy
            if isinstance(self._verify, ssl.SSLContext):
                context = self._verify
            else:
                context = httpx.create_ssl_context(verify=self._verify, trust_env=False)
            # The semaphores bound requests in flight; the pool may keep more connections
            # idle, so feeds spread over many hosts do not evict each other's keep-alive
            # connections on every request.
            pooled = max(1, policy.max_concurrency) * _IDLE_CONNECTIONS_PER_SLOT
            limits = httpx.Limits(max_connections=pooled, max_keepalive_connections=pooled)
            self._client = httpx.AsyncClient(
                transport=_GuardedTransport(self._guard, context, limits),
                follow_redirects=False,
                # Proxies from the environment would resolve hosts themselves and so
                # bypass the address guard; the fetcher connects directly.
                trust_env=False,
                timeout=httpx.Timeout(
                    connect=policy.connect_timeout,
                    read=policy.read_timeout,
                    write=policy.read_timeout,
                    pool=policy.total_timeout,
                ),
                headers={
                    "User-Agent": policy.user_agent,
                    "Accept-Encoding": ", ".join(supported_encodings()),
                },
            )
        return self._client

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch ``url`` (http, https, ``file://`` or a local path) and return its bytes.

        Args:
            url: what to fetch. A local path or ``file://`` URL reads the file.
            etag: the ETag from the previous fetch; sent as ``If-None-Match``.
            last_modified: the Last-Modified from the previous fetch; sent as
                ``If-Modified-Since``.

        Returns:
            A :class:`FetchResult`; status 304 with empty content when nothing changed.

        Raises:
            BlockedAddressError: the host, or a redirect target, is a refused address.
            UnsupportedSchemeError: not http, https, ``file://`` or a path.
            ResponseTooLargeError: the decompressed body passed ``max_bytes``.
            TooManyRedirectsError: more than ``max_redirects`` redirects.
            HTTPStatusError: a final 4xx or 5xx status.
            FetchError: timeouts, connection failures, unreadable files.
        """
        try:
            path = _local_path(url)
        except ValueError as exc:  # urlsplit on a broken IPv6 literal
            raise FetchError(f"cannot fetch {url}: invalid URL ({exc})", url=url) from exc
        if path is not None:
            return await asyncio.to_thread(
                _read_local, url, path, self.policy.max_bytes, etag, last_modified
            )
        _check_scheme(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(None) as deadline:
                return await self._follow(url, headers, deadline)
        except httpx.InvalidURL as exc:
            raise FetchError(f"cannot fetch {url}: invalid URL ({exc})", url=url) from exc
        except TimeoutError as exc:
            raise FetchError(
                f"gave up on {url} after {self.policy.total_timeout:g} s (total_timeout); "
                "the server is too slow or never finishes its response",
                url=url,
            ) from exc

    async def _follow(
        self, url: str, headers: dict[str, str], deadline: asyncio.Timeout
    ) -> FetchResult:
        redirects: list[str] = []
        current = url
        while True:
            answer = await self._with_retries(current, headers, deadline, origin=url)
            location = answer.headers.get("location")
            if answer.status in _REDIRECT_STATUSES and location:
                if len(redirects) >= self.policy.max_redirects:
                    raise TooManyRedirectsError(
                        f"{url} redirected more than {self.policy.max_redirects} times "
                        f"(last to {location}); fix the source URL or raise max_redirects",
                        url=url,
                    )
                redirects.append(current)
                current = str(httpx.URL(answer.url).join(location))
                # A redirect may point anywhere; only http and https are followed.
                _check_scheme(current, redirected_from=answer.url)
                continue
            if answer.status == 304:
                return FetchResult(url, answer.url, 304, answer.headers, b"", _now(), redirects)
            if answer.status >= 400:
                raise HTTPStatusError(
                    f"{answer.url} answered {answer.status} {answer.reason}".rstrip()
                    + f"; {_status_hint(answer.status)}",
                    url=url,
                    status=answer.status,
                )
            if 300 <= answer.status < 400:
                raise FetchError(
                    f"{answer.url} answered {answer.status} without a usable Location header",
                    url=url,
                )
            return FetchResult(
                url, answer.url, answer.status, answer.headers, answer.content, _now(), redirects
            )

    async def _with_retries(
        self, url: str, headers: dict[str, str], deadline: asyncio.Timeout, origin: str
    ) -> _Answer:
        policy = self.policy
        attempts = max(0, policy.retries) + 1
        for attempt in range(1, attempts + 1):
            wait = policy.backoff * 2 ** (attempt - 1) * (1 + random.random() / 4)
            try:
                answer = await self._attempt(url, headers, deadline)
            except BlockedAddressError as exc:
                via = f" (redirected from {origin})" if url != origin else ""
                raise BlockedAddressError(
                    f"refused {url}{via}: {exc}; {_BLOCKED_HINT}", url=url
                ) from None
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                # httpx parses Location itself; a malformed one will not improve on retry.
                bad_location = "location header" in str(exc).lower()
                if bad_location:
                    raise FetchError(
                        f"cannot fetch {url}: the redirect has an invalid URL ({exc})", url=origin
                    ) from exc
                if attempt == attempts:
                    tried = f" after {attempts} attempts" if attempts > 1 else ""
                    raise FetchError(
                        f"cannot fetch {url}{tried}: {_describe(exc)}", url=origin
                    ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {url}: {_describe(exc)}", url=origin) from exc
            except FetchError as exc:
                if exc.url is not None:
                    raise
                # Raised below httpx (an unknown host name): add the URL it concerns.
                raise FetchError(f"cannot fetch {url}: {exc}", url=origin) from exc
            else:
                if not (answer.status >= 500 or answer.status == 429) or attempt == attempts:
                    return answer
                retry_after = _retry_after(answer.headers.get("retry-after"))
                if retry_after is not None:
                    wait = min(retry_after, policy.max_retry_after)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _attempt(
        self, url: str, headers: dict[str, str], deadline: asyncio.Timeout
    ) -> _Answer:
        client = self._open()
        request = client.build_request("GET", url, headers=headers)
        host_key = f"{request.url.host}:{request.url.port or _default_port(request.url.scheme)}"
        async with self._slots.hold(host_key):
            if deadline.when() is None:
                # The whole-fetch deadline starts once the first attempt has its slot, so
                # time spent queued behind other feeds does not count against it.
                deadline.reschedule(asyncio.get_running_loop().time() + self.policy.total_timeout)
            response = await client.send(request, stream=True)
            try:
                answer = _Answer(
                    url=str(response.url),
                    status=response.status_code,
                    headers=_lower_headers(response.headers),
                    reason=response.reason_phrase,
                )
                if 200 <= answer.status < 300:
                    answer.content = await self._read_body(response, answer)
            finally:
                await response.aclose()
        return answer

    async def _read_body(self, response: httpx.Response, answer: _Answer) -> bytes:
        encoding = answer.headers.get("content-encoding")
        declared = answer.headers.get("content-length", "")
        if not encoding and declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise ResponseTooLargeError(
                f"{answer.url} declares {int(declared):,} bytes, over the {self.policy.max_bytes:,}"
                " byte limit; raise max_bytes in watchfloor.toml if this source is trusted",
                url=answer.url,
            )
        body = _BoundedBody(answer.url, self.policy.max_bytes, encoding)
        async for raw in response.aiter_raw():
            body.feed(raw)
        return body.finish()


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _check_scheme(url: str, redirected_from: str | None = None) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        via = f" (redirected from {redirected_from})" if redirected_from else ""
        what = "a local file" if scheme == "file" else f"scheme {scheme!r}"
        raise UnsupportedSchemeError(
            f"cannot fetch {url}{via}: {what} is not supported here; "
            "use http, https, or a local path given directly as the source",
            url=url,
        )


def _local_path(url: str) -> Path | None:
    """Return the file a source URL names, or ``None`` for a network URL."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        if parts.netloc not in ("", "localhost"):
            raise UnsupportedSchemeError(
                f"cannot fetch {url}: file URLs on another host ({parts.netloc}) are not "
                "supported; mount the share and give its local path",
                url=url,
            )
        return Path(url2pathname(parts.path))
    if parts.scheme == "":
        return Path(url).expanduser()
    if os.name == "nt" and len(parts.scheme) == 1:  # C:\feeds\x.xml
        return Path(url)
    return None


def _read_local(
    url: str, path: Path, max_bytes: int, etag: str | None, last_modified: str | None
) -> FetchResult:
    """Read a local feed file like a fetch: size-limited, with conditional answers."""
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_size > max_bytes:
                raise ResponseTooLargeError(
                    f"{path} is {stat.st_size:,} bytes, over the {max_bytes:,} byte limit; "
                    "raise max_bytes in watchfloor.toml if this file is trusted",
                    url=url,
                )
            # Read one byte past the limit: a file growing while read is caught too.
            content = handle.read(max_bytes + 1)
    except IsADirectoryError as exc:
        raise FetchError(
            f"cannot read {path}: it is a directory, not a feed file", url=url
        ) from exc
    except OSError as exc:
        raise FetchError(
            f"cannot read {path}: {exc.strerror or exc}; check the path of this source", url=url
        ) from exc
    if len(content) > max_bytes:
        raise ResponseTooLargeError(f"{path} grew past {max_bytes:,} bytes while read", url=url)
    file_etag = f'W/"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    file_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
    headers = {
        "content-length": str(len(content)),
        "etag": file_etag,
        "last-modified": file_modified,
    }
    content_type = mimetypes.guess_type(path.name)[0]
    if content_type:
        headers["content-type"] = content_type
    final_url = path.resolve().as_uri()
    unchanged = etag == file_etag if etag else last_modified == file_modified
    if (etag or last_modified) and unchanged:
        return FetchResult(url, final_url, 304, headers, b"", _now())
    return FetchResult(url, final_url, 200, headers, content, _now())
