"""Push the digest through Apprise URLs (Feishu/Lark, DingTalk, WeCom, Telegram, email, ntfy, Bark,
Slack, generic JSON webhooks ...), configured as ``[radar.push] urls = [...]`` in legion.toml or the
``LEGION_RADAR_PUSH_URLS`` environment variable (space separated).

- Split at item boundaries to each channel's size limit (Apprise's ``body_maxlen`` per service).
- Incremental: an item is never sent twice to the same channel on the same (local) day; the
  sent-log lives in the history store, keyed by a hash of the URL (URLs carry secrets: they are never
  stored, logged or shown — a channel is named by its scheme and hash).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from onelegion.core.errors import UserError
from onelegion.core.notify import (
    ENV_URLS,
    ChannelResult,
    PushFailed,
    Sender,
    apprise_sender,
    body_limit,
    channel_id,
    push_urls,
)
from onelegion.skills.radar.digest import DigestSection
from onelegion.skills.radar.store import HistoryStore

__all__ = [
    "ENV_URLS",
    "ChannelResult",
    "PushFailed",
    "PushReport",
    "Sender",
    "apprise_sender",
    "body_limit",
    "channel_id",
    "push_digest",
    "push_urls",
    "split_messages",
]


@dataclass
class PushReport:
    channels: list[ChannelResult] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return sum(c.messages for c in self.channels)


def split_messages(title: str, secs: Sequence[DigestSection], limit: int) -> list[str]:
    """Markdown chunks no longer than ``limit`` characters, cut only between lines."""
    limit = max(limit, 200)
    chunks: list[str] = []
    cur = title
    for sec in secs:
        block_head = "\n\n" + sec.heading + "\n"
        if len(cur) + len(block_head) > limit:
            chunks.append(cur)
            cur = title + " (续)"
        cur += block_head
        for _, line in sec.lines:
            line = line if len(line) <= limit - 80 else line[: limit - 81] + "…"
            if len(cur) + len(line) + 1 > limit:
                chunks.append(cur)
                cur = title + " (续)\n\n" + sec.heading + "\n"
            cur += line + "\n"
    if cur.strip() and cur != title:
        chunks.append(cur)
    return [c.rstrip() + "\n" for c in chunks]


def _fresh_sections(
    secs: Sequence[DigestSection], sent: set[int]
) -> tuple[list[DigestSection], list[int], int]:
    out: list[DigestSection] = []
    keys: list[int] = []
    skipped: set[int] = set()
    for s in secs:
        lines: list[tuple[int | None, str]] = []
        pending_heads: list[tuple[int | None, str]] = []
        for key, line in s.lines:
            if key is None:
                if s.key in ("summary", "keywords"):
                    lines.append((key, line))
                else:
                    pending_heads.append((key, line))  # group heading: only if an item follows
                continue
            if key in sent:
                skipped.add(key)
                continue
            lines.extend(pending_heads)
            pending_heads = []
            lines.append((key, line))
            keys.append(key)
        if any(k is not None for k, _ in lines) or (s.key in ("summary", "keywords") and lines):
            out.append(DigestSection(s.key, s.heading, lines))
    if not keys:  # nothing new: a summary or keyword line alone is not worth a message
        return [], [], len(skipped)
    return out, list(dict.fromkeys(keys)), len(skipped)


def push_digest(
    store: HistoryStore,
    urls: Sequence[str],
    title: str,
    secs: Sequence[DigestSection],
    tz: tzinfo,
    *,
    now: datetime | None = None,
    sender: Sender = apprise_sender,
    log: Callable[[str], None] = lambda m: None,
) -> PushReport:
    report = PushReport()
    day = (now or datetime.now(UTC)).astimezone(tz).date().isoformat()
    all_keys = [k for s in secs for k, _ in s.lines if k is not None]
    for url in urls:
        ch = channel_id(url)
        res = ChannelResult(ch)
        report.channels.append(res)
        try:
            limit = body_limit(url) - 300  # room for the service's own wrapping
            sent = store.already_sent(ch, day, all_keys)
            fresh, keys, skipped = _fresh_sections(secs, sent)
            res.skipped_items = skipped
            if not keys:
                log(f"push {ch}: nothing new today")
                continue
            msgs = split_messages(title, fresh, limit)
            for i, body in enumerate(msgs, 1):
                t = title if len(msgs) == 1 else f"{title} ({i}/{len(msgs)})"
                if not sender(url, t, body):
                    raise PushFailed(
                        f"the channel reported a failure for message {i} of {len(msgs)}"
                    )
                res.messages += 1
            store.mark_sent(ch, day, keys)
            res.items = len(keys)
            log(f"push {ch}: {res.messages} message(s), {res.items} item(s)")
        except UserError:
            raise
        except Exception as e:
            res.ok = False
            what = str(e) if isinstance(e, PushFailed) else f"{type(e).__name__}: {e}"
            res.error = what[:300].replace(url, ch)
            log(f"push {ch} failed: {res.error}")
    return report
