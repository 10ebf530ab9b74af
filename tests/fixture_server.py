"""A real HTTP server on loopback for tests: static files plus programmable routes.

Usage::

    from tests.fixture_server import FixtureServer, Reply, redirect

    with FixtureServer(directory=FIXTURES) as server:
        server.route("/feed", lambda request: Reply(body=b"<rss/>"))
        server.route("/old", redirect("/feed"))
        ...fetch server.url("/old")...
        assert server.hits("/feed") == 1

Every request is recorded (method, path, headers) before its handler runs, so a test can
prove that something did, or did not, reach the server. A handler takes the
:class:`RecordedRequest` and returns a :class:`Reply`; a reply whose body is an iterator is
streamed chunk by chunk without a Content-Length and the connection closes after it, which
is how slow drips, endless bodies and on-the-fly gzip bombs are served. The helpers below
build the common handlers. The server is a stdlib ``ThreadingHTTPServer`` on port 0 (any
free port) in a daemon thread; ``host="::1"`` serves IPv6 loopback, ``ssl_context`` HTTPS.
"""

from __future__ import annotations

import email.utils
import http.server
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "ConcurrencyProbe",
    "FixtureServer",
    "Flaky",
    "RecordedRequest",
    "Reply",
    "conditional",
    "drip",
    "endless",
    "gzip_bomb",
    "redirect",
    "static",
]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it. Header names are lower-cased."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    at: float
    client_port: int = 0  # distinct ports mean distinct connections


@dataclass
class Reply:
    """What a route answers.

    ``body`` as bytes is sent with a Content-Length; as an iterable it is streamed, with
    ``chunk_delay`` seconds between chunks, and the connection closes at the end.
    ``delay`` waits before the status line is sent (a slow server).
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""
    delay: float = 0.0
    chunk_delay: float = 0.0


Handler = Callable[[RecordedRequest], Reply]


def static(
    body: bytes | str,
    content_type: str = "text/plain; charset=utf-8",
    status: int = 200,
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> Handler:
    """Answer every request with the same body."""
    data = body.encode() if isinstance(body, str) else body
    all_headers = {"Content-Type": content_type, **(headers or {})}
    return lambda request: Reply(status=status, headers=dict(all_headers), body=data, delay=delay)


def redirect(location: str, status: int = 302) -> Handler:
    """Redirect to ``location`` (absolute, or a path on this server)."""
    return lambda request: Reply(status=status, headers={"Location": location})


def drip(chunk: bytes = b"x", interval: float = 0.05, count: int | None = None) -> Handler:
    """Send ``chunk`` every ``interval`` seconds, ``count`` times or forever."""

    def body() -> Iterator[bytes]:
        sent = 0
        while count is None or sent < count:
            yield chunk
            sent += 1

    return lambda request: Reply(body=body(), chunk_delay=interval)


def endless(chunk_size: int = 64 * 1024) -> Handler:
    """Send zeros as fast as the client reads, forever."""
    block = b"\0" * chunk_size

    def body() -> Iterator[bytes]:
        while True:
            yield block

    return lambda request: Reply(body=body())


def gzip_bomb(size: int = 1 << 30, block: int = 1 << 20) -> Handler:
    """Serve ``size`` zero bytes gzip-compressed, built block by block while sending.

    One GiB of zeros compresses to about 1 MB; the server never holds more than one
    uncompressed block, so the bomb costs the test nothing unless the client reads it all.
    """
    zeros = b"\0" * block

    def body() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        remaining = size
        while remaining > 0:
            piece = compressor.compress(zeros[: min(block, remaining)])
            remaining -= min(block, remaining)
            if piece:
                yield piece
        yield compressor.flush()

    return lambda request: Reply(
        headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}, body=body()
    )


def conditional(
    body: bytes,
    etag: str = '"v1"',
    last_modified: str = "Mon, 03 Nov 2025 10:00:00 GMT",
    content_type: str = "application/rss+xml",
) -> Handler:
    """Answer 304 when the request's If-None-Match or If-Modified-Since matches."""

    def handle(request: RecordedRequest) -> Reply:
        headers = {"ETag": etag, "Last-Modified": last_modified, "Content-Type": content_type}
        if_none_match = request.headers.get("if-none-match")
        if_modified_since = request.headers.get("if-modified-since")
        if if_none_match is not None:
            fresh = etag in [tag.strip() for tag in if_none_match.split(",")]
        elif if_modified_since is not None:
            since = email.utils.parsedate_to_datetime(if_modified_since)
            fresh = email.utils.parsedate_to_datetime(last_modified) <= since
        else:
            fresh = False
        if fresh:
            return Reply(status=304, headers={"ETag": etag, "Last-Modified": last_modified})
        return Reply(headers=headers, body=body)

    return handle


class Flaky:
    """Fail ``failures`` times with ``status``, then hand over to ``then``; counts calls."""

    def __init__(
        self,
        failures: int,
        then: Handler,
        status: int = 503,
        retry_after: str | None = None,
    ) -> None:
        self.failures = failures
        self.then = then
        self.status = status
        self.retry_after = retry_after
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.calls += 1
            failing = self.calls <= self.failures
        if failing:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return Reply(status=self.status, headers=headers, body=b"try again later")
        return self.then(request)


class ConcurrencyProbe:
    """Hold each request ``delay`` seconds and record the most requests in flight at once."""

    def __init__(self, delay: float = 0.2, body: bytes = b"ok") -> None:
        self.delay = delay
        self.body = body
        self.in_flight = 0
        self.peak = 0
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.calls += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(self.delay)
        finally:
            with self._lock:
                self.in_flight -= 1
        return Reply(body=self.body)


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            at=time.monotonic(),
            client_port=int(self.client_address[1]),
        )
        fixture = self.server.fixture
        fixture._record(request)
        handler = fixture.routes.get(parts.path)
        if handler is None:
            if fixture.directory is None:
                self._send(Reply(status=404, body=b"no such route"))
            elif self.command == "HEAD":
                super().do_HEAD()
            else:
                super().do_GET()
            return
        try:
            reply = handler(request)
        except Exception as exc:  # a broken test handler should show as a 500, not a hang
            reply = Reply(status=500, body=f"handler failed: {exc!r}".encode())
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if isinstance(reply.body, bytes):
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD" and reply.status not in (204, 304):
                    self.wfile.write(reply.body)
                return
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            for chunk in reply.body:
                if fixture_stopping(self.server):
                    return
                self.wfile.write(chunk)
                self.wfile.flush()
                if reply.chunk_delay:
                    time.sleep(reply.chunk_delay)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            # The client hung up, as a size limit or timeout is meant to make it do.
            self.close_connection = True


def fixture_stopping(server: _Server) -> bool:
    """Tell a streaming handler that the server is shutting down."""
    return server.fixture._stopping.is_set()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Room for many clients connecting at once (the stdlib default queue is 5).
    request_queue_size = 128
    fixture: FixtureServer


class _Server6(_Server):
    address_family = socket.AF_INET6


class FixtureServer:
    """A threaded HTTP server on loopback, port 0, recording every request it receives."""

    def __init__(
        self,
        directory: Path | str | None = None,
        host: str = "127.0.0.1",
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.host = host
        self.ssl_context = ssl_context
        self.routes: dict[str, Handler] = {}
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> FixtureServer:
        """Bind a free port and serve in a daemon thread."""
        directory = str(self.directory) if self.directory is not None else None

        def make_handler(*args: object, **kwargs: object) -> _Handler:
            return _Handler(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

        server_class = _Server6 if ":" in self.host else _Server
        server = server_class((self.host, 0), make_handler)
        server.fixture = self
        if self.ssl_context is not None:
            server.socket = self.ssl_context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; streaming handlers end at their next chunk."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "start the server first"
        return int(self._server.server_address[1])

    @property
    def authority(self) -> str:
        """``host:port`` as written in a URL (IPv6 in brackets); fits ``allow_hosts``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://host:port`` (``https`` with an SSL context)."""
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{self.authority}"

    def url(self, path: str = "/") -> str:
        """Return the absolute URL of ``path`` on this server."""
        return self.base_url + path

    # -- routes and records ------------------------------------------------------------
    def route(self, path: str, handler: Handler) -> str:
        """Serve ``path`` with ``handler``; return the route's absolute URL."""
        self.routes[path] = handler
        return self.url(path)

    def unique_path(self, name: str = "route") -> str:
        """Return a path no other test on this server uses (for a shared server)."""
        with self._lock:
            self._counter += 1
            return f"/{name}-{self._counter}"

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Return the recorded requests for ``path``, oldest first."""
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def hits(self, path: str | None = None) -> int:
        """Count requests received, for ``path`` or in total."""
        with self._lock:
            if path is None:
                return len(self.requests)
            return sum(1 for request in self.requests if request.path == path)
