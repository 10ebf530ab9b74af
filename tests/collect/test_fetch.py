"""The fetcher against a real loopback server: limits, retries, redirects, decoding."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import socket
import ssl
import subprocess
import time
import tracemalloc
import zlib
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest

from tests.fixture_server import (
    ConcurrencyProbe,
    FixtureServer,
    Flaky,
    Reply,
    conditional,
    drip,
    endless,
    gzip_bomb,
    redirect,
    static,
)
from watchfloor.collect.fetch import DEFAULT_USER_AGENT, Fetcher, FetchPolicy, supported_encodings
from watchfloor.errors import (
    FetchError,
    HTTPStatusError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from watchfloor.models import FetchResult

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title></channel></rss>'


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coroutine)


def policy_for(server: FixtureServer, **overrides: Any) -> FetchPolicy:
    """A policy that may reach this loopback server, with quick retries for tests."""
    values: dict[str, Any] = {"allow_hosts": (server.authority,), "backoff": 0.01}
    values.update(overrides)
    return FetchPolicy(**values)


async def fetch_one(policy: FetchPolicy, url: str, **kwargs: Any) -> FetchResult:
    async with Fetcher(policy) as fetcher:
        return await fetcher.fetch(url, **kwargs)


def test_conditional_get_answers_304_the_second_time(http_server: FixtureServer) -> None:
    path = http_server.unique_path("conditional")
    url = http_server.route(path, conditional(FEED, etag='"abc"'))
    policy = policy_for(http_server)

    first = run(fetch_one(policy, url))
    second = run(fetch_one(policy, url, etag=first.etag))
    third = run(fetch_one(policy, url, last_modified=first.last_modified))

    assert (first.status, first.content, first.etag) == (200, FEED, '"abc"')
    assert first.content_type == "application/rss+xml"
    assert (second.status, second.content, second.not_modified) == (304, b"", True)
    assert third.status == 304
    sent = http_server.requests_to(path)
    assert "if-none-match" not in sent[0].headers
    assert sent[1].headers["if-none-match"] == '"abc"'
    assert sent[2].headers["if-modified-since"] == first.last_modified


def test_fetch_sends_user_agent_and_only_bounded_encodings(http_server: FixtureServer) -> None:
    path = http_server.unique_path("ua")
    run(fetch_one(policy_for(http_server), http_server.route(path, static(FEED))))

    headers = http_server.requests_to(path)[0].headers
    assert headers["user-agent"] == DEFAULT_USER_AGENT
    assert headers["accept-encoding"] == ", ".join(supported_encodings())
    assert "zstd" not in headers["accept-encoding"]


def test_redirects_within_the_limit_are_followed(http_server: FixtureServer) -> None:
    final = http_server.route(http_server.unique_path("final"), static(FEED))
    hop2 = http_server.route(http_server.unique_path("hop"), redirect(final, 301))
    hop1 = http_server.route(http_server.unique_path("hop"), redirect(hop2, 307))

    result = run(fetch_one(policy_for(http_server, max_redirects=2), hop1))

    assert (result.status, result.content, result.url) == (200, FEED, final)
    assert result.requested_url == hop1
    assert result.redirects == [hop1, hop2]


def test_too_many_redirects_raise(http_server: FixtureServer) -> None:
    loop_path = http_server.unique_path("loop")
    url = http_server.route(loop_path, redirect(loop_path))

    with pytest.raises(TooManyRedirectsError, match="more than 3 times"):
        run(fetch_one(policy_for(http_server, max_redirects=3), url))
    assert http_server.hits(loop_path) == 4  # the request plus three followed redirects


def test_redirect_to_a_file_url_is_refused(http_server: FixtureServer) -> None:
    url = http_server.route(http_server.unique_path("tofile"), redirect("file:///etc/passwd"))

    with pytest.raises(UnsupportedSchemeError, match="redirected from"):
        run(fetch_one(policy_for(http_server), url))


def test_slow_server_hits_the_read_timeout(http_server: FixtureServer) -> None:
    url = http_server.route(http_server.unique_path("slow"), static(FEED, delay=1.5))
    policy = policy_for(http_server, read_timeout=0.3, retries=0)

    started = time.monotonic()
    with pytest.raises(FetchError, match="read_timeout"):
        run(fetch_one(policy, url))
    assert time.monotonic() - started < 1.2


def test_endless_body_stops_at_the_size_limit(http_server: FixtureServer) -> None:
    url = http_server.route(http_server.unique_path("endless"), endless())

    with pytest.raises(ResponseTooLargeError, match="larger than 1,000,000 bytes"):
        run(fetch_one(policy_for(http_server, max_bytes=1_000_000), url))


def test_declared_oversize_body_is_refused_before_reading(http_server: FixtureServer) -> None:
    url = http_server.route(http_server.unique_path("big"), static(b"x" * 5000))

    with pytest.raises(ResponseTooLargeError, match="declares 5,000 bytes"):
        run(fetch_one(policy_for(http_server, max_bytes=4000), url))


def test_slow_drip_stops_at_the_total_timeout(http_server: FixtureServer) -> None:
    url = http_server.route(http_server.unique_path("drip"), drip(interval=0.05))
    policy = policy_for(http_server, read_timeout=5.0, total_timeout=0.6)

    started = time.monotonic()
    with pytest.raises(FetchError, match="total_timeout"):
        run(fetch_one(policy, url))
    assert 0.5 < time.monotonic() - started < 2.0


def test_server_errors_are_retried_until_success(http_server: FixtureServer) -> None:
    flaky = Flaky(failures=2, then=static(FEED), status=503)
    url = http_server.route(http_server.unique_path("flaky"), flaky)

    result = run(fetch_one(policy_for(http_server, retries=2), url))

    assert (result.status, result.content) == (200, FEED)
    assert flaky.calls == 3


def test_persistent_server_error_raises_status_after_all_attempts(
    http_server: FixtureServer,
) -> None:
    flaky = Flaky(failures=99, then=static(FEED), status=502)
    url = http_server.route(http_server.unique_path("down"), flaky)

    with pytest.raises(HTTPStatusError, match="502") as caught:
        run(fetch_one(policy_for(http_server, retries=2), url))
    assert caught.value.status == 502
    assert flaky.calls == 3


def test_not_found_is_not_retried(http_server: FixtureServer) -> None:
    path = http_server.unique_path("missing")
    url = http_server.route(path, static("gone", status=404))

    with pytest.raises(HTTPStatusError, match="404") as caught:
        run(fetch_one(policy_for(http_server, retries=3), url))
    assert caught.value.status == 404
    assert caught.value.url == url
    assert http_server.hits(path) == 1


def test_rate_limit_retry_after_is_honoured_up_to_the_cap(http_server: FixtureServer) -> None:
    flaky = Flaky(failures=1, then=static(FEED), status=429, retry_after="3")
    url = http_server.route(http_server.unique_path("ratelimited"), flaky)
    # A long backoff shows that Retry-After, capped at 0.3 s, set the wait instead.
    policy = policy_for(http_server, retries=1, backoff=10.0, max_retry_after=0.3)

    started = time.monotonic()
    result = run(fetch_one(policy, url))
    elapsed = time.monotonic() - started

    assert result.status == 200
    assert flaky.calls == 2
    assert 0.3 <= elapsed < 2.0


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = FetchPolicy(allow_hosts=(f"127.0.0.1:{port}",), retries=1, backoff=0.01)

    with pytest.raises(FetchError, match="after 2 attempts"):
        run(fetch_one(policy, f"http://127.0.0.1:{port}/feed"))


def test_gzip_body_is_decompressed(http_server: FixtureServer) -> None:
    handler = static(gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    url = http_server.route(http_server.unique_path("gz"), handler)

    assert run(fetch_one(policy_for(http_server), url)).content == FEED


def test_raw_deflate_body_is_decompressed(http_server: FixtureServer) -> None:
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = raw.compress(FEED) + raw.flush()
    handler = static(body, headers={"Content-Encoding": "deflate"})
    url = http_server.route(http_server.unique_path("deflate"), handler)

    assert run(fetch_one(policy_for(http_server), url)).content == FEED


def test_brotli_body_is_decompressed(http_server: FixtureServer) -> None:
    brotli = pytest.importorskip("brotli")
    handler = static(brotli.compress(FEED), headers={"Content-Encoding": "br"})
    url = http_server.route(http_server.unique_path("br"), handler)

    assert run(fetch_one(policy_for(http_server), url)).content == FEED


def test_corrupt_gzip_body_is_a_fetch_error(http_server: FixtureServer) -> None:
    handler = static(b"\x1f\x8bnot really gzip", headers={"Content-Encoding": "gzip"})
    url = http_server.route(http_server.unique_path("badgz"), handler)

    with pytest.raises(FetchError, match="cannot decompress"):
        run(fetch_one(policy_for(http_server), url))


def test_gzip_bomb_stops_at_the_limit_with_bounded_memory(http_server: FixtureServer) -> None:
    # 1 GiB of zeros, compressed on the fly by the server to about 1 MB.
    url = http_server.route(http_server.unique_path("bomb"), gzip_bomb(size=1 << 30))
    small = http_server.route(http_server.unique_path("warm"), static(gzip.compress(FEED)))
    policy = policy_for(http_server, max_bytes=2_000_000)
    run(fetch_one(policy, small))  # imports and TLS set-up happen outside the measurement

    tracemalloc.start()
    try:
        started = time.monotonic()
        with pytest.raises(ResponseTooLargeError, match="larger than 2,000,000 bytes"):
            run(fetch_one(policy, url))
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # The kept body is at most the limit; decoding works in 256 KiB pieces on top of it.
    # (httpx's own decoder would inflate each 64 KiB read to ~64 MB at once.)
    assert peak < policy.max_bytes + 1_500_000, f"peak traced memory {peak:,} bytes"
    assert elapsed < 5.0


def test_concatenated_gzip_members_are_all_decoded(http_server: FixtureServer) -> None:
    body = gzip.compress(FEED[:20]) + gzip.compress(FEED[20:])
    handler = static(body, headers={"Content-Encoding": "gzip"})
    url = http_server.route(http_server.unique_path("members"), handler)

    assert run(fetch_one(policy_for(http_server), url)).content == FEED


def test_large_brotli_body_is_decoded_whole(http_server: FixtureServer) -> None:
    brotli = pytest.importorskip("brotli")
    text = b"".join(b"<item>%d</item>" % n for n in range(200_000))  # ~3 MB, many pieces
    handler = static(brotli.compress(text, quality=4), headers={"Content-Encoding": "br"})
    url = http_server.route(http_server.unique_path("bigbr"), handler)

    assert run(fetch_one(policy_for(http_server), url)).content == text


def test_per_host_limit_caps_requests_in_flight(http_server: FixtureServer) -> None:
    probe = ConcurrencyProbe(delay=0.2)
    url = http_server.route(http_server.unique_path("probe"), probe)
    policy = policy_for(http_server, per_host_limit=3, max_concurrency=32)

    async def fetch_many() -> list[FetchResult]:
        async with Fetcher(policy) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(f"{url}?n={n}") for n in range(12)))

    results = run(fetch_many())

    assert [r.status for r in results] == [200] * 12
    assert probe.calls == 12
    assert probe.peak == 3


def test_global_limit_caps_requests_across_hosts() -> None:
    probe = ConcurrencyProbe(delay=0.2)
    with FixtureServer() as one, FixtureServer() as two:
        one.route("/feed", probe)
        two.route("/feed", probe)
        policy = FetchPolicy(
            allow_hosts=(one.authority, two.authority), per_host_limit=4, max_concurrency=5
        )

        async def fetch_many() -> None:
            async with Fetcher(policy) as fetcher:
                urls = [server.url(f"/feed?n={n}") for n in range(6) for server in (one, two)]
                await asyncio.gather(*(fetcher.fetch(url) for url in urls))

        run(fetch_many())

    assert probe.calls == 12
    assert probe.peak == 5


def test_local_path_and_file_url_are_read(tmp_path: Path) -> None:
    feed = tmp_path / "archive.xml"
    feed.write_bytes(FEED)

    by_path = run(fetch_one(FetchPolicy(), str(feed)))
    by_url = run(fetch_one(FetchPolicy(), feed.as_uri()))
    again = run(fetch_one(FetchPolicy(), str(feed), etag=by_path.etag))

    assert (by_path.status, by_path.content) == (200, FEED)
    assert by_path.url == feed.resolve().as_uri()
    assert by_path.content_type == "application/xml"
    assert by_url.content == FEED
    assert (again.status, again.content) == (304, b"")


def test_local_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 2048)

    with pytest.raises(ResponseTooLargeError, match="2,048 bytes"):
        run(fetch_one(FetchPolicy(max_bytes=1024), str(big)))


def test_missing_local_file_is_a_fetch_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="No such file"):
        run(fetch_one(FetchPolicy(), str(tmp_path / "absent.xml")))


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed.xml", "gopher://example.org/", "data:text/plain,hi"]
)
def test_unsupported_scheme_is_refused(url: str) -> None:
    with pytest.raises(UnsupportedSchemeError, match="not supported"):
        run(fetch_one(FetchPolicy(), url))


def test_file_url_on_another_host_is_refused() -> None:
    with pytest.raises(UnsupportedSchemeError, match="another host"):
        run(fetch_one(FetchPolicy(), "file://fileserver/share/feed.xml"))


def test_streamed_reply_without_length_is_read_to_the_end(http_server: FixtureServer) -> None:
    chunks = [b"<rss>", b"<channel/>", b"</rss>"]
    url = http_server.route(
        http_server.unique_path("chunks"), lambda request: Reply(body=iter(chunks))
    )

    assert run(fetch_one(policy_for(http_server), url)).content == b"".join(chunks)


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_uses_the_host_name_while_connecting_to_the_vetted_address(tmp_path: Path) -> None:
    cert, key = _self_signed_certificate(tmp_path)
    server_names: list[str | None] = []
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server_context.sni_callback = lambda sock, name, context: server_names.append(name)
    client_context = ssl.create_default_context(cafile=str(cert))

    with FixtureServer(ssl_context=server_context) as server:
        server.route("/feed", static(FEED))
        policy = FetchPolicy(allow_hosts=(f"localhost:{server.port}",))

        async def fetch_tls() -> FetchResult:
            async with Fetcher(policy, verify=client_context) as fetcher:
                return await fetcher.fetch(f"https://localhost:{server.port}/feed")

        result = run(fetch_tls())

    # The certificate names only "localhost": verification passed against the host
    # name, and the SNI the server saw is the host name, not 127.0.0.1.
    assert result.content == FEED
    assert server_names == ["localhost"]


@pytest.mark.parametrize("url", ["http://[::1/feed", "http:///feed", "http://:80/feed"])
def test_malformed_url_is_a_fetch_error(url: str) -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        run(fetch_one(FetchPolicy(retries=0), url))


def test_redirect_to_malformed_location_is_a_fetch_error(http_server: FixtureServer) -> None:
    url = http_server.route(http_server.unique_path("badloc"), redirect("http://[::1/x"))

    with pytest.raises(FetchError, match="invalid URL"):
        run(fetch_one(policy_for(http_server), url))
