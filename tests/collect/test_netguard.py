"""The SSRF guard: which addresses are refused, and proof that refused ones get no request.

Every refusal test points the fetcher at a real loopback server that counts requests and
asserts it counted none. Only loopback addresses are ever used as targets: the unit
tests for private ranges classify addresses without connecting anywhere.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine, Iterable, Iterator
from typing import Any

import httpcore
import pytest

from tests.fixture_server import FixtureServer, redirect, static
from watchfloor.collect.fetch import Fetcher, FetchPolicy
from watchfloor.collect.netguard import (
    GuardedNetworkBackend,
    HostGuard,
    address_problem,
    host_is_allowed,
    parse_allow_host,
)
from watchfloor.errors import BlockedAddressError, FetchError

FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coroutine)


async def fetch_one(policy: FetchPolicy, url: str) -> Any:
    async with Fetcher(policy) as fetcher:
        return await fetcher.fetch(url)


def _ipv6_loopback_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture
def ipv6_server() -> Iterator[FixtureServer]:
    if not _ipv6_loopback_available():
        pytest.skip("no IPv6 loopback on this machine")
    with FixtureServer(host="::1") as server:
        yield server


# -- classification, no network ---------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata services live here
        ("100.64.0.1", "shared address space"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1%eth0", "link-local"),
        ("fec0::1", "site-local"),
        ("fd12:3456::1", "unique-local"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback address (IPv4-mapped 127.0.0.1)"),
        ("::ffff:10.0.0.1", "private address (IPv4-mapped 10.0.0.1)"),
        ("64:ff9b::a9fe:a9fe", "link-local address (NAT64 169.254.169.254)"),
        ("2002:c0a8:101::1", "private address (6to4 192.168.1.1)"),
        ("::127.0.0.1", "loopback address (IPv4-compatible 127.0.0.1)"),
        ("64:ff9b:1::1", "local-use NAT64"),
    ],
)
def test_non_public_addresses_are_named(address: str, kind: str) -> None:
    problem = address_problem(address)
    assert problem is not None
    assert kind in problem


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(address) is None


def test_text_that_is_not_an_address_is_refused() -> None:
    assert address_problem("localhost") == "not an IP address"


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("feeds.example.org", ("feeds.example.org", None)),
        ("Feeds.Example.ORG.:8080", ("feeds.example.org", 8080)),
        ("127.0.0.1:8080", ("127.0.0.1", 8080)),
        ("[::1]:8080", ("::1", 8080)),
        ("[::1]", ("::1", None)),
        ("::1", ("::1", None)),
    ],
)
def test_allow_host_entries_are_parsed(entry: str, parsed: tuple[str, int | None]) -> None:
    assert parse_allow_host(entry) == parsed


def test_bad_allow_host_entry_fails_early() -> None:
    with pytest.raises(FetchError, match="port must be a number"):
        HostGuard(allow_hosts=("localhost:http",))


def test_host_entry_without_port_allows_every_port() -> None:
    allowed = ("intranet.example", "127.0.0.1:8080")
    assert host_is_allowed("INTRANET.example.", 443, allowed)
    assert host_is_allowed("127.0.0.1", 8080, allowed)
    assert not host_is_allowed("127.0.0.1", 8081, allowed)
    assert not host_is_allowed("localhost", 8080, allowed)


def test_guard_resolves_names_before_judging_them() -> None:
    with pytest.raises(BlockedAddressError, match=r"localhost resolves to 127\.0\.0\.1"):
        run(HostGuard().resolve("localhost", 80))


# -- nothing reaches a refused address ---------------------------------------------------


def _loopback_spellings(port: int) -> Iterable[str]:
    yield f"http://127.0.0.1:{port}/secret"
    yield f"http://localhost:{port}/secret"
    yield f"http://0.0.0.0:{port}/secret"  # Linux delivers this to the local host
    yield f"http://127.1:{port}/secret"
    yield f"http://2130706433:{port}/secret"  # 127.0.0.1 as one decimal number
    yield f"http://0x7f000001:{port}/secret"  # and in hex
    yield f"http://[::ffff:127.0.0.1]:{port}/secret"


def test_default_policy_sends_nothing_to_loopback_spellings(target_server: FixtureServer) -> None:
    target_server.route("/secret", static("the keys"))
    refused = []
    for url in _loopback_spellings(target_server.port):
        with pytest.raises(BlockedAddressError) as caught:
            run(fetch_one(FetchPolicy(), url))
        refused.append(str(caught.value))

    assert target_server.hits() == 0
    assert all("loopback" in message or "unspecified" in message for message in refused)


def test_refusal_message_says_what_and_how_to_allow(target_server: FixtureServer) -> None:
    url = f"http://127.0.0.1:{target_server.port}/x"

    with pytest.raises(BlockedAddressError) as caught:
        run(fetch_one(FetchPolicy(), url))

    assert str(caught.value) == (
        f"refused {url}: 127.0.0.1 is a loopback address; pass --allow-private or add the "
        "host to allow_hosts in watchfloor.toml"
    )
    assert caught.value.url == url


def test_default_policy_sends_nothing_to_ipv6_loopback(ipv6_server: FixtureServer) -> None:
    ipv6_server.route("/secret", static("the keys"))

    with pytest.raises(BlockedAddressError, match="::1 is a loopback address"):
        run(fetch_one(FetchPolicy(), ipv6_server.url("/secret")))
    assert ipv6_server.hits() == 0


def test_ipv6_server_is_reached_when_allowed(ipv6_server: FixtureServer) -> None:
    ipv6_server.route("/feed", static(FEED))

    result = run(
        fetch_one(FetchPolicy(allow_hosts=(ipv6_server.authority,)), ipv6_server.url("/feed"))
    )
    assert result.content == FEED


def test_redirect_from_allowed_host_to_private_address_is_refused(
    http_server: FixtureServer, target_server: FixtureServer
) -> None:
    target_server.route("/secret", static("the keys"))
    bounce = http_server.unique_path("bounce")
    start = http_server.route(bounce, redirect(f"http://localhost:{target_server.port}/secret"))
    policy = FetchPolicy(allow_hosts=(http_server.authority,))

    with pytest.raises(BlockedAddressError, match="redirected from") as caught:
        run(fetch_one(policy, start))

    assert http_server.hits(bounce) == 1
    assert target_server.hits() == 0
    assert caught.value.url == f"http://localhost:{target_server.port}/secret"


def test_allowed_host_port_does_not_open_other_ports(
    http_server: FixtureServer, target_server: FixtureServer
) -> None:
    target_server.route("/secret", static("the keys"))
    policy = FetchPolicy(allow_hosts=(http_server.authority,))

    with pytest.raises(BlockedAddressError):
        run(fetch_one(policy, target_server.url("/secret")))
    assert target_server.hits() == 0


def test_allowed_name_is_matched_as_written_not_by_address(target_server: FixtureServer) -> None:
    target_server.route("/feed", static(FEED))
    policy = FetchPolicy(allow_hosts=("localhost",))

    allowed = run(fetch_one(policy, f"http://localhost:{target_server.port}/feed"))
    with pytest.raises(BlockedAddressError):
        run(fetch_one(policy, f"http://127.0.0.1:{target_server.port}/feed"))

    assert allowed.content == FEED
    assert target_server.hits() == 1


def test_allow_private_reaches_loopback(target_server: FixtureServer) -> None:
    target_server.route("/feed", static(FEED))

    result = run(fetch_one(FetchPolicy(allow_private=True), target_server.url("/feed")))
    assert result.content == FEED


class _RecordingBackend(httpcore.AsyncNetworkBackend):
    """Pass connections through to anyio, remembering which host each one was given."""

    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.hosts: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.hosts.append(host)
        return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def test_connection_goes_to_the_vetted_address_not_the_name(target_server: FixtureServer) -> None:
    # The socket is opened on the address the guard checked, so a second DNS answer
    # (rebinding) cannot change where the request goes.
    target_server.route("/feed", static(FEED))
    recorder = _RecordingBackend()
    guard = HostGuard(allow_hosts=(f"localhost:{target_server.port}",))

    async def get() -> bytes:
        backend = GuardedNetworkBackend(guard, inner=recorder)
        async with httpcore.AsyncConnectionPool(network_backend=backend) as pool:
            response = await pool.request("GET", f"http://localhost:{target_server.port}/feed")
            return response.content

    assert run(get()) == FEED
    assert recorder.hosts == ["127.0.0.1"]
    assert (
        target_server.requests_to("/feed")[0].headers["host"] == f"localhost:{target_server.port}"
    )


def test_unix_sockets_are_refused() -> None:
    with pytest.raises(BlockedAddressError, match="unix socket"):
        run(GuardedNetworkBackend(HostGuard()).connect_unix_socket("/run/docker.sock"))
