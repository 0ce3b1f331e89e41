"""One GET of a source, bounded: the body is read up to a size cap (refused on its
Content-Length, and counted while streaming when there is none), and redirects are followed by
hand, only to the configured URL's own host or the source's ``domains`` — never from a public
host to loopback, link-local or private addresses."""

from __future__ import annotations

import ipaddress
from urllib.parse import urljoin, urlsplit

import httpx2

from onelegion.core.config import mask_url
from onelegion.skills.radar.sources import SourceError

DEFAULT_MAX_MB = 8.0
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}


def is_private_host(host: str) -> bool:
    """Loopback, private, link-local or otherwise non-public: an IP literal in those ranges, or
    ``localhost``. (Names are not resolved: redirects only go to allowed hosts anyway.)"""
    host = host.lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def redirect_allowed(configured: str, domains: tuple[str, ...], target: str) -> bool:
    """May a redirect from the source configured at ``configured`` go to ``target``?"""
    try:
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        own = (urlsplit(configured).hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == own:
        return True
    if not any(host == d or host.endswith("." + d) for d in domains):
        return False
    return not is_private_host(host) or is_private_host(own)


def too_big(source_id: str, max_mb: float) -> SourceError:
    return SourceError(
        f"the response is larger than {max_mb:g} MB and was not read "
        f"(raise radar.sources.{source_id}.max_mb to allow it)"
    )


async def bounded_get(
    client: httpx2.AsyncClient,
    url: str,
    *,
    source_id: str,
    domains: tuple[str, ...],
    max_mb: float,
    headers: dict[str, str] | None = None,
    timeout: float,
) -> tuple[httpx2.Response, bytes]:
    """The final response (closed; status and headers readable) and its body (empty for an
    HTTP error status). Raises SourceError for a refused redirect or a body over the cap."""
    max_bytes = int(max_mb * 1024 * 1024)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        async with client.stream(
            "GET", current, headers=headers, timeout=timeout, follow_redirects=False
        ) as response:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                target = urljoin(str(response.url), location)
                if not redirect_allowed(url, domains, target):
                    raise SourceError(
                        f"redirected to {mask_url(target)}, outside this source's hosts"
                        " (not followed)"
                    )
                current = target
                continue
            if response.status_code >= 400:
                return response, b""
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise too_big(source_id, max_mb)
            chunks: list[bytes] = []
            read = 0
            async for chunk in response.aiter_bytes():
                read += len(chunk)
                if read > max_bytes:
                    raise too_big(source_id, max_mb)
                chunks.append(chunk)
            return response, b"".join(chunks)
    raise SourceError(f"more than {MAX_REDIRECTS} redirects (not followed)")
