"""Sending a Markdown message through Apprise URLs (Feishu/Lark, DingTalk, WeCom, Telegram, email,
ntfy, Bark, Slack, generic JSON webhooks ...): the push channels of ``[radar.push] urls`` in
legion.toml or ``LEGION_RADAR_PUSH_URLS`` (space separated), shared by every skill that pushes.

URLs carry secrets: they are never stored, logged or shown. A channel is named by its scheme and a
hash (:func:`channel_id`). Tests and embedders pass their own :data:`Sender`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from onelegion.core.errors import UserError

ENV_URLS = "LEGION_RADAR_PUSH_URLS"
PUSH_SECTION = "radar"  # the legion.toml table whose ``push.urls`` lists the channels

Sender = Callable[[str, str, str], bool]  # (url, title, markdown body) -> delivered


@dataclass
class ChannelResult:
    channel: str
    messages: int = 0
    items: int = 0
    skipped_items: int = 0
    ok: bool = True
    error: str | None = None


def push_urls(section: Mapping[str, Any]) -> list[str]:
    """The channel URLs of a settings table's ``push.urls`` plus ``LEGION_RADAR_PUSH_URLS``."""
    urls: list[str] = []
    raw_push = section.get("push")
    push: Mapping[str, Any] = raw_push if isinstance(raw_push, Mapping) else {}
    raw = push.get("urls", [])
    if isinstance(raw, str):
        raw = [raw]
    urls.extend(str(u) for u in raw if str(u).strip())
    env = os.environ.get(ENV_URLS, "")
    urls.extend(u for u in env.split() if u.strip())
    return list(dict.fromkeys(urls))


def channel_id(url: str) -> str:
    """``scheme:hash`` — safe to log and store; the URL itself (with its token) never is."""
    scheme = url.split("://", 1)[0] if "://" in url else "?"
    return f"{scheme}:{hashlib.blake2b(url.encode(), digest_size=6).hexdigest()}"


def _plugin(url: str) -> Any:
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise UserError(
            f"push channel {channel_id(url)} has an URL Apprise does not understand",
            hint="check the URL's scheme against Apprise's list of services (json://, tgram://, ...)",
        )
    return plugin


class PushFailed(Exception):
    """A message did not go out; the text says whether the service was reached at all."""


def failure_reason(log_text: str) -> str:
    """What Apprise's warnings say went wrong, named for what it is: the service could not be
    reached (connection refused, unknown host, timeout) or it answered with an error."""
    lines = [
        ln.split(" - ", 2)[-1].strip()
        for ln in log_text.splitlines()
        if " - WARNING - " in ln or " - ERROR - " in ln
    ]
    detail = lines[-1] if lines else "no detail given"
    low = " ".join(lines).lower()
    if any(w in low for w in ("connection error", "connection refused", "timed out", "timeout")):
        return f"could not connect to the service (connection failed: {detail})"
    return f"the service answered with an error ({detail})"


def apprise_sender(url: str, title: str, body: str) -> bool:
    """Send one message; a failure raises PushFailed saying whether the service was reached."""
    import apprise

    plugin = _plugin(url)
    with apprise.LogCapture(level=apprise.logging.WARNING) as logs:  # type: ignore[no-untyped-call]
        ok = bool(plugin.notify(body=body, title=title, body_format=apprise.NotifyFormat.MARKDOWN))
    if not ok:
        raise PushFailed(failure_reason(logs.getvalue()))
    return True


def body_limit(url: str) -> int:
    """The longest message body the channel's service takes (Apprise's ``body_maxlen``)."""
    return int(getattr(_plugin(url), "body_maxlen", 4000) or 4000)


def split_lines(title: str, body: str, limit: int) -> list[str]:
    """``body`` in chunks of at most ``limit`` characters, cut only between lines (a longer line
    is shortened with an ellipsis); every chunk after the first starts with ``title (续)``."""
    limit = max(limit, 200)
    chunks: list[str] = []
    cur = ""
    for line in body.splitlines():
        line = line if len(line) <= limit - 80 else line[: limit - 81] + "…"
        if cur and len(cur) + len(line) + 1 > limit:
            chunks.append(cur)
            cur = title + " (续)\n\n"
        cur += line + "\n"
    if cur.strip():
        chunks.append(cur)
    return chunks


def send_markdown(
    urls: Sequence[str],
    title: str,
    body: str,
    *,
    sender: Sender | None = None,
    limit: Callable[[str], int] | None = None,
    log: Callable[[str], None] = lambda m: None,
) -> list[ChannelResult]:
    """Send ``body`` to every channel, split to each one's size limit. A channel that fails is
    reported (its URL replaced by its id) and the others still get the message; an URL Apprise does
    not understand raises UserError."""
    send = sender or apprise_sender  # looked up now: tests replace the module's sender
    size = limit or body_limit
    results: list[ChannelResult] = []
    for url in urls:
        res = ChannelResult(channel_id(url))
        results.append(res)
        try:
            msgs = split_lines(title, body, size(url) - 300)
            for i, chunk in enumerate(msgs, 1):
                t = title if len(msgs) == 1 else f"{title} ({i}/{len(msgs)})"
                if not send(url, t, chunk):
                    raise PushFailed(
                        f"the channel reported a failure for message {i} of {len(msgs)}"
                    )
                res.messages += 1
            log(f"push {res.channel}: {res.messages} message(s)")
        except UserError:
            raise
        except Exception as e:
            res.ok = False
            what = str(e) if isinstance(e, PushFailed) else f"{type(e).__name__}: {e}"
            res.error = what[:300].replace(url, res.channel)
            log(f"push {res.channel} failed: {res.error}")
    return results
