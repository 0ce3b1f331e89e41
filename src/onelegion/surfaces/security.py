"""Who may call the HTTP surfaces (API and MCP over HTTP).

- Bound to loopback with no token: open to local programs; requests carrying a browser
  ``Origin`` of another site are refused (a web page cannot drive the API behind your back),
  and with ``trusted_hosts`` set the ``Host`` header must be a loopback name (DNS rebinding).
- A token configured (``LEGION_TOKEN`` or ``--token``): every protected request needs
  ``Authorization: Bearer <token>``, compared in constant time, even on loopback.
- Bound to any other address: :func:`check_bind` refuses to start without a token.
- The cockpit (a browser) cannot send a header: its token page sets an HttpOnly, SameSite=Strict
  cookie holding :func:`cookie_value` (an HMAC of the token, never the token itself), accepted
  in place of the header; a request carrying it with an unsafe method must come from the same
  origin (``Origin`` equal to ``Host``), and a browser asking for a page without it is sent to
  the token page instead of a 401.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import math
import os
import secrets
from collections.abc import Callable, Iterable
from urllib.parse import quote, urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from onelegion.core.errors import UserError

TOKEN_ENV = "LEGION_TOKEN"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "::1", "localhost"})
COOKIE = "legion_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_value(token: str) -> str:
    """What the cockpit's cookie holds for ``token``: a keyed digest, so the cookie is no bearer
    token for the API and the token never sits in the browser."""
    return hmac.new(token.encode(), b"onelegion-cockpit-session", hashlib.sha256).hexdigest()


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return None


def same_origin(scope: Scope) -> bool:
    """True unless the request carries an ``Origin`` that is not this server's ``Host``."""
    origin = _header(scope, b"origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == (_header(scope, b"host") or "").lower()


def resolve_token(token: str | None = None) -> str | None:
    """The token argument, else ``$LEGION_TOKEN``; empty means none."""
    value = token if token is not None else os.environ.get(TOKEN_ENV)
    value = (value or "").strip()
    return value or None


def is_loopback(host: str) -> bool:
    h = host.strip().strip("[]").lower()
    if h in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


MIN_TOKEN_CHARS = 16
MIN_TOKEN_BITS = 64


def token_weakness(token: str) -> str | None:
    """Why ``token`` is too weak to guard a server on the network (None: strong enough). The
    entropy is estimated as length × log2(distinct characters)."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"{len(token)} characters (at least {MIN_TOKEN_CHARS})"
    bits = len(token) * math.log2(len(set(token)))
    if bits < MIN_TOKEN_BITS:
        return f"about {bits:.0f} bits of entropy (at least {MIN_TOKEN_BITS})"
    return None


def generate_token() -> str:
    return secrets.token_urlsafe(32)


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a strong token."""
    if not is_loopback(host) and token and (why := token_weakness(token)):
        raise UserError(
            f"refusing to serve on {host} with a weak token ({why})",
            hint=f"use `legion serve --generate-token` to make one, then set {TOKEN_ENV}",
        )
    if not is_loopback(host) and not token:
        raise UserError(
            f"refusing to serve on {host} without a token: anyone on the network could run skills",
            hint=f"set {TOKEN_ENV} to a long random secret (e.g. `export {TOKEN_ENV}=$(python -c "
            "'import secrets; print(secrets.token_urlsafe(32))')`) or pass --token, "
            "or bind to 127.0.0.1",
        )


def _host_name(value: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1', '[::1]:80' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return None


async def _deny(send: Send, status: int, message: str, kind: str) -> None:
    body = json.dumps({"error": message, "kind": kind}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="onelegion"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BearerGuard:
    """ASGI middleware: require ``Authorization: Bearer <token>`` on protected paths."""

    def __init__(
        self,
        app: ASGIApp,
        token: str,
        *,
        protected: Callable[[str], bool] = lambda path: True,
        login_path: str | None = None,
    ) -> None:
        self.app = app
        self._token = token.encode()
        self._cookie = cookie_value(token).encode()
        self.protected = protected
        self.login_path = login_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.protected(scope.get("path", "")):
            auth = _header(scope, b"authorization") or ""
            scheme, _, given = auth.partition(" ")
            ok = scheme.lower() == "bearer" and secrets.compare_digest(
                given.strip().encode(), self._token
            )
            if not ok and self.login_path is not None:
                session = _cookie(scope, COOKIE)
                if session and secrets.compare_digest(session.encode(), self._cookie):
                    if scope.get("method", "GET") not in SAFE_METHODS and not same_origin(scope):
                        await _deny(send, 403, "cross-site request refused", "forbidden")
                        return
                    ok = True
            if not ok and self.login_path is not None and self._wants_page(scope):
                await _redirect(
                    send, f"{self.login_path}?next={quote(str(scope.get('path', '/')))}"
                )
                return
            if not ok:
                msg = "missing or wrong token" if auth else "this server needs a token"
                await _deny(
                    send, 401, f"{msg} — send the header 'Authorization: Bearer <token>'", "auth"
                )
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _wants_page(scope: Scope) -> bool:
        path = str(scope.get("path", ""))
        accept = _header(scope, b"accept") or ""
        return (
            scope.get("method") == "GET" and not path.startswith("/api") and "text/html" in accept
        )


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


class LocalGuard:
    """ASGI middleware for token-less servers: no cross-site browsers, optional Host check."""

    def __init__(self, app: ASGIApp, *, trusted_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.trusted_hosts = (
            frozenset(h.lower() for h in trusted_hosts) if trusted_hosts is not None else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _header(scope, b"host") or ""
            if self.trusted_hosts is not None and _host_name(host) not in self.trusted_hosts:
                await _deny(send, 403, f"host {host!r} is not allowed", "forbidden")
                return
            origin = _header(scope, b"origin")
            if origin and origin != "null":
                o = urlsplit(origin)
                same = o.netloc.lower() == host.lower()
                if not same and not is_loopback(o.hostname or ""):
                    await _deny(send, 403, f"cross-site request from {origin} refused", "forbidden")
                    return
            elif origin == "null":
                await _deny(send, 403, "requests from opaque origins are refused", "forbidden")
                return
        await self.app(scope, receive, send)
