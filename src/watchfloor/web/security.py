"""Who may read and write, and the headers and limits every response and request get.

- **Token.** ``WATCHFLOOR_API_TOKEN`` is the one secret. A request carries it as
  ``Authorization: Bearer <token>``; a browser signs in with it once on ``/login`` and then
  holds a session cookie (HttpOnly, SameSite=Strict) signed with a key derived from it, so
  changing the token ends every session. Without a token, writes are disabled.
- **CSRF.** Every form carries a token derived from the session; a write by cookie without
  it is refused. A bearer request carries no ambient credential and needs none.
- **Headers.** A Content-Security-Policy allowing only the app's own scripts (and, on the
  report page, the renderer's inline scripts by their SHA-256 hash), ``frame-ancestors
  'none'``, ``Referrer-Policy: no-referrer``, ``X-Content-Type-Options: nosniff`` and more.
- **Hosts.** Where reading is open (a loopback bind), a request whose ``Host`` is not a
  loopback name is refused (421), against DNS rebinding.
- **Limits.** A request body over the limit is refused (413), and a body that does not
  arrive in time is cut off (408), so a slow client cannot hold the server.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "LOOPBACK",
    "SESSION_COOKIE",
    "Access",
    "BodyLimit",
    "LoopbackHosts",
    "SecurityHeaders",
    "csp",
    "inline_script_hashes",
]

SESSION_COOKIE = "wf_session"
LOGIN_COOKIE = "wf_login"
SESSION_SECONDS = 12 * 3600
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class Access:
    """The token and what it guards.

    ``token`` None disables writes. ``reads_need_token`` is set when the server binds an
    address other than loopback.
    """

    token: str | None
    reads_need_token: bool = False

    @property
    def writes_enabled(self) -> bool:
        return bool(self.token)

    def _key(self) -> bytes:
        assert self.token
        return hashlib.sha256(b"watchfloor-session\x00" + self.token.encode("utf-8")).digest()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key(), payload.encode("ascii"), hashlib.sha256).digest())

    def bearer_ok(self, header: str | None) -> bool:
        """True for ``Authorization: Bearer <the token>``."""
        if not self.token or not header:
            return False
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode("utf-8"), self.token.encode("utf-8"))

    def token_ok(self, value: str) -> bool:
        if not self.token:
            return False
        return hmac.compare_digest(value.encode("utf-8"), self.token.encode("utf-8"))

    def new_session(self, now: float | None = None) -> str:
        """A signed session cookie value: expiry, a random id, the signature."""
        expires = int((now or time.time()) + SESSION_SECONDS)
        payload = f"{expires}.{secrets.token_urlsafe(16)}"
        return f"{payload}.{self._sign(payload)}"

    def session_id(self, cookie: str | None, now: float | None = None) -> str | None:
        """The session's random id if *cookie* is a valid, unexpired session."""
        if not self.token or not cookie:
            return None
        parts = cookie.split(".")
        if len(parts) != 3 or not parts[0].isdigit():
            return None
        payload = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(self._sign(payload), parts[2]):
            return None
        if int(parts[0]) < (now or time.time()):
            return None
        return parts[1]

    def csrf_for(self, session_id: str) -> str:
        """The CSRF token of a session (the forms carry it)."""
        return self._sign(f"csrf.{session_id}")

    def csrf_ok(self, session_id: str, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(self.csrf_for(session_id), value or "")


# --- Content-Security-Policy ---------------------------------------------------------

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def inline_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for every executable inline ``<script>`` of *html*.

    Data blocks (``type="application/json"``) are not run and need none. The hashes cover
    exactly the text the renderer wrote: an injected script cannot match them.
    """
    out = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        out.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return out


def csp(script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy: own scripts only, plus the given inline hashes."""
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts}",
            # The report's renderer writes style attributes (legend dots) and Leaflet
            # positions its panes by style: styles, never scripts, may be inline.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cache-control", b"no-store"),
)


class SecurityHeaders:
    """ASGI middleware: the security headers on every response (a route's own
    Content-Security-Policy, such as the report page's, is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.default_csp = csp().encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.default_csp))
                headers.extend(h for h in HEADERS if h[0] not in names)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: refuse bodies over ``max_bytes`` (413) and bodies that take longer
    than ``timeout`` seconds to arrive (408)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def _refuse(self, send: Send, status: int, text: str) -> None:
        body = text.encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode("ascii")),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(send, 400, "bad Content-Length")
                    return
                if declared > self.max_bytes:
                    await self._refuse(send, 413, f"request body over {self.max_bytes} bytes")
                    return
        seen = 0
        deadline = time.monotonic() + self.timeout
        started = False
        body_done = False

        async def limited_receive() -> Message:
            nonlocal seen, body_done
            if body_done:
                # The body is in: what follows is the wait for a disconnect, which a long
                # response (an event stream) does for as long as it runs.
                return await receive()
            left = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise _SlowBody from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
                body_done = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, 413, f"request body over {self.max_bytes} bytes")
        except _SlowBody:
            if not started:
                await self._refuse(send, 408, "request body too slow")


class LoopbackHosts:
    """ASGI middleware: where reading is open (a loopback bind), answer only requests whose
    ``Host`` is a loopback name, so a web page elsewhere cannot read the watch floor through
    DNS rebinding (its requests carry its own host name)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    @staticmethod
    def host_ok(value: str) -> bool:
        host = value.strip().lower()
        if host.startswith("["):  # [::1]:8000
            host = host[1 : host.find("]")] if "]" in host else host
        else:
            host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return host in LOOPBACK or host.startswith("127.")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if not self.host_ok(host):
                body = b"this watch floor answers only to localhost and 127.0.0.1"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 421,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode("ascii")),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


class _SlowBody(Exception):
    pass


def client_address(scope: Mapping[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
