"""Public, anonymous connectors: a Bilibili space's videos and a YouTube channel's uploads.

Bilibili (no login): the space's video list (``/x/space/wbi/arc/search``: ``data.list.vlist``,
``data.page``), each video's stat (``/x/web-interface/view``: ``data.stat``) and the follower count
(``/x/relation/stat``: ``data.follower``). Bilibili may refuse anonymous list requests that carry no
WBI signature or that its risk control flags (codes -352, -403, -412, -509, -799): that is
reported as such and never worked around; give ``--videos BV…`` to read known videos directly, or
export the space with MediaCrawler and import it.

YouTube (Data API v3, your own key in ``YOUTUBE_API_KEY``): ``channels`` (uploads playlist,
subscribers), ``playlistItems`` (video ids, newest first) and ``videos`` (snippet, statistics,
contentDetails) in batches of 50.

Every URL can be overridden in legion.toml (``[accounts.bilibili] space_url / view_url /
relation_url``, ``[accounts.youtube] api_url``); requests go through ``ctx.http`` (rate limits,
retries, proxy, user agent).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.accounts.store import AccountInfo, PostRecord
from onelegion.skills.accounts.values import parse_duration_s, parse_time

BILI_SPACE = "https://api.bilibili.com/x/space/wbi/arc/search"
BILI_VIEW = "https://api.bilibili.com/x/web-interface/view"
BILI_RELATION = "https://api.bilibili.com/x/relation/stat"
YOUTUBE_API = "https://www.googleapis.com/youtube/v3"
BILI_REFUSED = {
    -352: "risk control (风控校验失败)",
    -403: "access refused (访问权限不足 / missing WBI signature)",
    -412: "request intercepted (请求被拦截)",
    -509: "rate limited (请求过于频繁)",
    -799: "rate limited (请求过于频繁)",
    -101: "login required (账号未登录)",
}


def _now() -> datetime:
    """The capture time of a fetch (a function so tests can pin it)."""
    return datetime.now(UTC)


class Fetched:
    def __init__(self) -> None:
        self.records: list[PostRecord] = []
        self.creators: list[AccountInfo] = []
        self.notes: list[str] = []
        self.requests = 0


def _json(client: httpx2.Client, url: str, params: dict[str, Any], what: str, out: Fetched) -> Any:
    out.requests += 1
    try:
        r = client.get(url, params=params)
    except httpx2.HTTPError as e:
        raise UserError(
            tr(
                f"{what}: request failed ({type(e).__name__}: {e})",
                f"{what}：请求失败（{type(e).__name__}：{e}）",
            ),
            hint=tr(
                "check the network or proxy (legion doctor)", "检查网络或代理（legion doctor）"
            ),
        ) from e
    try:
        body = r.json()
    except ValueError as e:
        raise UserError(
            tr(
                f"{what}: HTTP {r.status_code}, not JSON (a login page or captcha?)",
                f"{what}：HTTP {r.status_code}，不是 JSON（登录页或验证码？）",
            ),
            hint=tr(
                "OneLegion does not work around login walls or captchas",
                "OneLegion 不绕过登录墙或验证码",
            ),
        ) from e
    if not isinstance(body, dict):
        raise UserError(
            tr(
                f"{what}: unexpected answer (HTTP {r.status_code})",
                f"{what}：意外的响应（HTTP {r.status_code}）",
            )
        )
    body["_status"] = r.status_code
    return body


# --- Bilibili --------------------------------------------------------------------------------
def fetch_bilibili(
    ctx: Context, mid: str, *, since: timedelta | None, max_posts: int, videos: list[str]
) -> Fetched:
    cfg = ctx.config.section("accounts").get("bilibili", {}) or {}
    space_url = str(cfg.get("space_url", BILI_SPACE))
    view_url = str(cfg.get("view_url", BILI_VIEW))
    rel_url = str(cfg.get("relation_url", BILI_RELATION))
    if mid and not mid.isdigit():
        raise UserError(
            tr(
                f"bilibili: {mid!r} is not a space id (mid)",
                f"bilibili：{mid!r} 不是空间 id（mid）",
            ),
            hint=tr(
                "give the number in space.bilibili.com/<mid>",
                "请给出 space.bilibili.com/<mid> 中的数字",
            ),
        )
    out = Fetched()
    now = _now()
    headers = {
        "Referer": f"https://space.bilibili.com/{mid}/video" if mid else "https://www.bilibili.com/"
    }
    with ctx.http.client(headers=headers) as client:
        bvids = list(videos)
        if not bvids:
            pn = 1
            while len(bvids) < max_posts:
                body = _json(
                    client,
                    space_url,
                    {"mid": mid, "pn": pn, "ps": 30, "order": "pubdate"},
                    "bilibili space list",
                    out,
                )
                _bili_check(body, "the space's video list")
                data = body.get("data") or {}
                vlist = ((data.get("list") or {}).get("vlist")) or []
                if not vlist:
                    break
                stop = False
                for v in vlist:
                    created = v.get("created")
                    if (
                        since is not None
                        and isinstance(created, int | float)
                        and now - datetime.fromtimestamp(created, UTC) > since
                    ):
                        stop = True
                        break
                    bvids.append(str(v.get("bvid")))
                page = data.get("page") or {}
                if stop or pn * int(page.get("ps", 30) or 30) >= int(page.get("count", 0) or 0):
                    break
                pn += 1
                ctx.check_cancelled()
            bvids = bvids[:max_posts]
        for bvid in ctx.track(bvids, message="video stats"):
            body = _json(client, view_url, {"bvid": bvid}, f"bilibili video {bvid}", out)
            code = body.get("code")
            if code in BILI_REFUSED:
                _bili_check(body, f"video {bvid}")
            if code != 0:
                out.notes.append(f"{bvid}: not read (code {code}: {body.get('message', '')})")
                continue
            d = body.get("data") or {}
            st = d.get("stat") or {}
            owner = d.get("owner") or {}
            pub = d.get("pubdate")
            out.records.append(
                PostRecord(
                    platform="bili",
                    post_id=str(d.get("bvid", bvid)),
                    account_id=str(owner.get("mid", mid)),
                    account_name=str(owner.get("name") or mid),
                    title=str(d.get("title") or ""),
                    captured_at=now,
                    published_at=datetime.fromtimestamp(pub, UTC)
                    if isinstance(pub, int | float)
                    else None,
                    description=d.get("desc"),
                    url=f"https://www.bilibili.com/video/{d.get('bvid', bvid)}",
                    duration_s=float(d["duration"])
                    if isinstance(d.get("duration"), int | float)
                    else None,
                    category=d.get("tname"),
                    metrics={
                        "views": st.get("view"),
                        "likes": st.get("like"),
                        "comments": st.get("reply"),
                        "shares": st.get("share"),
                        "favorites": st.get("favorite"),
                        "coins": st.get("coin"),
                        "danmaku": st.get("danmaku"),
                    },
                )
            )
        owner_mid = mid or (out.records[0].account_id if out.records else "")
        if owner_mid:
            body = _json(client, rel_url, {"vmid": owner_mid}, "bilibili follower count", out)
            if body.get("code") == 0 and isinstance(
                (body.get("data") or {}).get("follower"), int | float
            ):
                name = out.records[0].account_name if out.records else owner_mid
                out.creators.append(
                    AccountInfo("bili", owner_mid, name, float(body["data"]["follower"]), now)
                )
            else:
                out.notes.append(f"follower count not read (code {body.get('code')})")
    return out


def _bili_check(body: dict[str, Any], what: str) -> None:
    code = body.get("code")
    if code == 0:
        return
    if code in BILI_REFUSED:
        raise UserError(
            f"bilibili refused {what}: code {code}, {BILI_REFUSED[code]} — {body.get('message', '')}".rstrip(
                " —"
            ),
            hint="OneLegion does not work around signatures, captchas or logins: pass --videos BV… to read known "
            "videos, or export the space with MediaCrawler and run `legion accounts import-dir`",
        )
    if code == -404:
        raise UserError(f"bilibili: {what} not found (code -404)", hint="check the space id (mid)")
    raise UserError(f"bilibili: {what}: code {code}: {body.get('message', '')}")


# --- YouTube ---------------------------------------------------------------------------------
def fetch_youtube(
    ctx: Context, channel: str, *, since: timedelta | None, max_posts: int
) -> Fetched:
    key = os.environ.get("YOUTUBE_API_KEY", "").strip()
    if not key:
        raise UserError(
            tr("YOUTUBE_API_KEY is not set", "未设置 YOUTUBE_API_KEY"),
            hint=tr(
                "create a key for the YouTube Data API v3 in Google Cloud and export YOUTUBE_API_KEY=…",
                "在 Google Cloud 为 YouTube Data API v3 创建密钥，并 export YOUTUBE_API_KEY=…",
            ),
        )
    cfg = ctx.config.section("accounts").get("youtube", {}) or {}
    base = str(cfg.get("api_url", YOUTUBE_API)).rstrip("/")
    out = Fetched()
    now = _now()
    with ctx.http.client() as client:
        params: dict[str, Any] = {"part": "snippet,statistics,contentDetails", "key": key}
        if channel.startswith("UC"):
            params["id"] = channel
        else:
            params["forHandle"] = channel if channel.startswith("@") else "@" + channel
        body = _yt(client, f"{base}/channels", params, "channel", out)
        items = body.get("items") or []
        if not items:
            raise UserError(
                tr(f"youtube: no channel {channel!r}", f"youtube：没有频道 {channel!r}"),
                hint=tr(
                    "give the channel id (UC…) or its @handle", "请给出频道 id（UC…）或 @handle"
                ),
            )
        ch = items[0]
        uploads = ((ch.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
        title = (ch.get("snippet") or {}).get("title") or channel
        subs = (ch.get("statistics") or {}).get("subscriberCount")
        if subs is not None:
            out.creators.append(AccountInfo("youtube", str(ch.get("id")), title, float(subs), now))
        ids: list[str] = []
        token: str | None = None
        while uploads and len(ids) < max_posts:
            p: dict[str, Any] = {
                "part": "contentDetails",
                "playlistId": uploads,
                "maxResults": 50,
                "key": key,
            }
            if token:
                p["pageToken"] = token
            page = _yt(client, f"{base}/playlistItems", p, "uploads", out)
            stop = False
            for it in page.get("items") or []:
                cd = it.get("contentDetails") or {}
                pub = parse_time(cd.get("videoPublishedAt")) if cd.get("videoPublishedAt") else None
                if since is not None and pub is not None and now - pub > since:
                    stop = True
                    break
                ids.append(str(cd.get("videoId")))
            token = page.get("nextPageToken")
            if stop or not token:
                break
            ctx.check_cancelled()
        ids = ids[:max_posts]
        for i in range(0, len(ids), 50):
            batch = _yt(
                client,
                f"{base}/videos",
                {
                    "part": "snippet,statistics,contentDetails",
                    "id": ",".join(ids[i : i + 50]),
                    "key": key,
                },
                "videos",
                out,
            )
            for v in batch.get("items") or []:
                sn, st, cd = (
                    v.get("snippet") or {},
                    v.get("statistics") or {},
                    v.get("contentDetails") or {},
                )
                out.records.append(
                    PostRecord(
                        platform="youtube",
                        post_id=str(v.get("id")),
                        account_id=str(sn.get("channelId") or ch.get("id")),
                        account_name=str(sn.get("channelTitle") or title),
                        title=str(sn.get("title") or ""),
                        captured_at=now,
                        published_at=parse_time(sn.get("publishedAt"))
                        if sn.get("publishedAt")
                        else None,
                        description=sn.get("description"),
                        url=f"https://www.youtube.com/watch?v={v.get('id')}",
                        duration_s=parse_duration_s(cd.get("duration")),
                        tags=list(sn.get("tags") or []),
                        category=sn.get("categoryId"),
                        metrics={
                            "views": _num(st.get("viewCount")),
                            "likes": _num(st.get("likeCount")),
                            "comments": _num(st.get("commentCount")),
                            "favorites": _num(st.get("favoriteCount")),
                        },
                    )
                )
    return out


def _num(v: Any) -> float | None:
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def _yt(
    client: httpx2.Client, url: str, params: dict[str, Any], what: str, out: Fetched
) -> dict[str, Any]:
    body: dict[str, Any] = _json(client, url, params, f"youtube {what}", out)
    status = body.get("_status", 200)
    if status >= 400 or "error" in body:
        err = body.get("error") or {}
        reasons = [e.get("reason") for e in err.get("errors") or [] if isinstance(e, dict)]
        reason = str(reasons[0]) if reasons else str(status)
        known: dict[str, str] = {
            "keyInvalid": "YOUTUBE_API_KEY was rejected",
            "quotaExceeded": "the API key's daily quota is used up",
            "forbidden": "access forbidden",
            "channelNotFound": "channel not found",
            "playlistNotFound": "the channel's uploads are not public",
        }
        msg = known.get(reason, str(err.get("message") or f"HTTP {status}"))
        raise UserError(
            f"youtube {what}: {msg} ({reason})",
            hint=tr("check the key, its quota and the channel id", "检查密钥、配额和频道 id"),
        )
    return body
