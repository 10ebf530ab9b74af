"""Refuse to connect to addresses a fetched URL must never reach (the SSRF guard).

A feed URL comes from a user, an OPML file or a redirect chosen by a remote server, so
it can point at the machine itself (``http://127.0.0.1:6379/``), the local network or a
cloud metadata service (``169.254.169.254``). The guard works at the connection layer:
:class:`GuardedNetworkBackend` is an ``httpcore`` network backend that resolves the host
itself, checks every address it resolves to, and connects to the address it checked. No
second DNS lookup happens between check and connect, so DNS rebinding cannot slip a
private address in. TLS still verifies the certificate against the URL's host name,
because ``httpcore`` passes the origin host, not the address, to ``start_tls``.

Refused: loopback, private, link-local, multicast, reserved, unspecified (``0.0.0.0``,
``::``), shared address space (``100.64.0.0/10``), IPv6 site-local and unique-local, and
anything else Python does not call global; IPv4 addresses embedded in IPv6 (mapped,
compatible, NAT64, 6to4, Teredo) are checked as the IPv4 address they carry. Literal
tricks such as ``127.1``, ``2130706433`` or ``0x7f000001`` are caught because the check
runs on what the resolver returns, not on the spelling in the URL.
"""

from __future__ import annotations

import ipaddress
import socket
import typing
from collections.abc import Iterable
from dataclasses import dataclass

import anyio
import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

from watchfloor.errors import BlockedAddressError, FetchError

__all__ = [
    "GuardedNetworkBackend",
    "HostGuard",
    "address_problem",
    "host_is_allowed",
    "parse_allow_host",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_PERMANENT_DNS_ERRORS = frozenset(
    code for code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if code is not None
)

# The socket option type httpcore passes through to the real backend.
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """Return the IPv4 address an IPv6 address carries, and how it carries it."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if ip in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    if ip.teredo is not None:
        return ip.teredo[1], "Teredo"
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "IPv4-compatible"
    return None


def address_problem(address: str | IPAddress) -> str | None:
    """Say why an address must not be contacted, or return ``None`` if it is public.

    The answer reads after the address: ``"a loopback address"``, ``"a private address"``.
    IPv6 addresses that embed an IPv4 address are judged by the address they embed.

    Args:
        address: an IP address as text or an ``ipaddress`` object. Zone ids
            (``fe80::1%eth0``) are accepted and ignored.
    """
    if isinstance(address, str):
        try:
            ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return "not an IP address"
    else:
        ip = address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner, how = embedded
            problem = address_problem(inner)
            return None if problem is None else f"{problem} ({how} {inner})"
        if ip in _NAT64_LOCAL_USE:
            return "a local-use NAT64 address"
        if ip.is_site_local:
            return "a site-local address"
    # Order matters: the most specific, most helpful name first.
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_ADDRESS_SPACE:
        return "a shared address space (carrier-grade NAT) address"
    if isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("fc00::/7"):
        return "a unique-local address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None


def parse_allow_host(entry: str) -> tuple[str, int | None]:
    """Split an ``allow_hosts`` entry (``host``, ``host:port``, ``[v6]:port``) in two.

    Host names are lower-cased and lose a trailing dot; a missing port means any port.
    """
    text = entry.strip()
    host, port_text = text, ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise FetchError(f"cannot read allow_hosts entry {entry!r}: missing ']'")
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise FetchError(f"cannot read allow_hosts entry {entry!r}")
            port_text = rest[1:]
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    port: int | None = None
    if port_text:
        if not port_text.isdigit():
            raise FetchError(
                f"cannot read allow_hosts entry {entry!r}: the port must be a number, "
                "e.g. 127.0.0.1:8080"
            )
        port = int(port_text)
    return _normal_host(host), port


def _normal_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host


def host_is_allowed(host: str, port: int, allow_hosts: Iterable[str]) -> bool:
    """Tell whether ``host:port`` matches an ``allow_hosts`` entry (host alone: any port)."""
    wanted = _normal_host(host)
    for entry in allow_hosts:
        allowed_host, allowed_port = parse_allow_host(entry)
        if allowed_host == wanted and (allowed_port is None or allowed_port == port):
            return True
    return False


@dataclass(frozen=True, slots=True)
class HostGuard:
    """Which hosts a fetch may reach: the policy part of the SSRF guard."""

    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for entry in self.allow_hosts:
            parse_allow_host(entry)  # fail early on a typo in the configuration

    def exempt(self, host: str, port: int) -> bool:
        """Tell whether this host may reach any address, private ones included."""
        return self.allow_private or host_is_allowed(host, port, self.allow_hosts)

    async def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return its addresses, refusing any that must not be reached.

        Every address is checked, not just the first: a name that resolves to one public
        and one private address is refused, since the resolver's order is not ours to
        trust.
        """
        try:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno in _PERMANENT_DNS_ERRORS:
                # No point retrying a name that does not exist.
                raise FetchError(f"cannot resolve {host}: {exc.strerror}") from exc
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses: list[str] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            address = str(sockaddr[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        if self.exempt(host, port):
            return addresses
        for address in addresses:
            problem = address_problem(address)
            if problem is not None:
                shown = address if address == host else f"{host} resolves to {address}, which"
                raise BlockedAddressError(f"{shown} is {problem}")
        return addresses


class GuardedNetworkBackend(AsyncNetworkBackend):
    """An ``httpcore`` backend that connects only to addresses the guard has vetted.

    It wraps the backend ``httpcore`` would use anyway; only ``connect_tcp`` changes: the
    host is resolved here, checked, and the vetted address is what the socket connects to.
    Unix sockets are refused outright.
    """

    def __init__(self, guard: HostGuard, inner: AsyncNetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner

    def _backend(self) -> AsyncNetworkBackend:
        if self._inner is None:
            # anyio runs on asyncio, which is what the fetcher uses.
            self._inner = httpcore.AnyIOBackend()
        return self._inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> AsyncNetworkStream:
        """Resolve, check, then connect to the first vetted address that answers."""
        try:
            with anyio.fail_after(timeout):
                addresses = await self._guard.resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} took over {timeout} s") from exc
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._backend().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # addresses is never empty
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[SocketOption] | None = None,
    ) -> AsyncNetworkStream:
        """Refuse: a fetched URL never talks to a local socket."""
        raise BlockedAddressError(f"unix socket {path} is a local endpoint")

    async def sleep(self, seconds: float) -> None:
        """Sleep with the wrapped backend."""
        await self._backend().sleep(seconds)
