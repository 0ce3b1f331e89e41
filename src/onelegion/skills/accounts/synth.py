"""A generator of creator data with ground truth, for tests, the demo sample and the benchmarks.

Accounts of very different sizes (median views from hundreds to millions), each with its own noise
and growth speed; every post grows with age on a saturating curve ``1 - exp(-age/τ)`` (not the
power law the scorer fits, on purpose); a few posts are planted hits (× ``hit_low``..``hit_high``);
title elements carry planted multiplicative effects (``EFFECTS``), others none, and some accounts
have element habits (brackets) unrelated to performance, so naive associations mislead. Titles are
Chinese or English per account. The tables are written in several layouts (MediaCrawler csv/json,
Chinese or English headers in shuffled order, counts written as 1.2万 / 12.5K) so the whole import
path is exercised.
"""

from __future__ import annotations

import csv
import json
import math
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from onelegion.skills.accounts.values import CHINA

# planted multiplicative effects on the count; every other element has none
EFFECTS = {"list_count": 1.8, "question": 1.4, "hook_words": 1.3}
NULL_ELEMENTS = ("brackets", "exclamation", "second_person", "emoji")

_ZH_TOPICS = (
    "家常红烧肉",
    "露营装备清单",
    "新手养猫",
    "周末城市漫步",
    "手机摄影构图",
    "租房改造",
    "考研复习计划",
    "早餐快手菜",
    "跑步入门",
    "旧物改造",
    "咖啡拉花",
    "理财记账",
    "阳台种菜",
    "宿舍收纳",
    "自驾路线",
    "面试准备",
    "读书笔记",
    "健身饮食",
    "亲子手工",
    "烘焙蛋糕",
)
_ZH_TAIL = ("分享", "记录", "体验", "日常", "实测", "合集", "心得", "笔记")
_EN_TOPICS = (
    "home workout plan",
    "budget travel guide",
    "sourdough bread",
    "desk setup tour",
    "street photography",
    "meal prep ideas",
    "garden makeover",
    "guitar practice routine",
    "thrift store finds",
    "coffee brewing methods",
    "camping gear review",
    "study routine",
    "apartment cleaning",
    "bike commute",
    "indoor plants care",
    "weekend hiking trail",
)
_EN_TAIL = ("update", "diary", "notes", "review", "test", "story", "walkthrough", "session")


@dataclass
class SynthPost:
    platform: str
    account_id: str
    account_name: str
    post_id: str
    title: str
    published: datetime
    captured: datetime
    views: float
    likes: float
    comments: float
    shares: float
    favorites: float
    hit_multiplier: float  # 1.0 = not planted
    elements: dict[str, bool] = field(default_factory=dict)
    views_missing: bool = False  # the file leaves the view count blank
    # earlier readings of the same post (captured, views), oldest first; the row above is the last
    readings: list[tuple[datetime, float]] = field(default_factory=list)
    base: float = 0.0  # ground truth: the count expected with no noise, no hit and no element


@dataclass
class SynthAccount:
    account_id: str
    name: str
    median: float
    noise: float
    tau: float
    followers: float
    lang: str
    bracket_habit: float


@dataclass
class SynthData:
    posts: list[SynthPost]
    accounts: list[SynthAccount]
    captured: datetime
    config: dict[str, Any]


def generate(
    *,
    seed: int,
    accounts: int = 40,
    posts_low: int = 15,
    posts_high: int = 80,
    hit_share: float = 0.03,
    hit_low: float = 4.0,
    hit_high: float = 15.0,
    noise_low: float = 0.25,
    noise_high: float = 0.5,
    days: int = 180,
    zh_share: float = 0.5,
    platform: str = "bili",
    element_share: float = 0.25,
    trend_high: float = 0.0,
    tail_df: float = 0.0,
    young_share: float = 0.0,
    slow_share: float = 0.0,
    missing_views: float = 0.0,
    size_low: float = 300.0,
    size_high: float = 2e6,
    snapshots: int = 0,
    snapshot_every: float = 7.0,
    lag_share: float = 0.0,
) -> SynthData:
    """The keyword arguments after ``element_share`` vary what a scorer might assume; at their
    defaults the data are what earlier versions generated (same seeds, same posts):

    - ``trend_high``: each account's level drifts over the window by ``exp(U(-0.3, trend_high))``
      from its oldest to its newest post (follower growth or decline);
    - ``tail_df``: noise from a Student t with this many degrees of freedom (heavy tails) scaled to
      the account's noise, instead of a normal;
    - ``young_share``: share of accounts that are new: every post within the last 14 days, so most
      posts are still growing;
    - ``slow_share``: share of accounts whose posts keep growing for months (search traffic):
      ``(age / (age + τ))^0.7`` with τ 5–60 days instead of a saturation within days;
    - ``missing_views``: share of posts whose view count is blank in the file;
    - ``size_low`` / ``size_high``: the smallest / largest account median (views);
    - ``snapshots``: earlier readings of every post (the data were captured ``snapshots`` more
      times, ``snapshot_every`` days apart, each reading with its own small measurement noise), so
      the file holds several rows per post;
    - ``lag_share``: share of accounts whose posts take off late (log-logistic growth
      ``age^k / (age^k + τ^k)``, k 1.5–3, τ 2–20 days: an S-curve in log age).
    """
    rng = random.Random(seed)
    rx = random.Random(seed * 7919 + 17)  # the extra variation draws from its own stream
    rs = random.Random(seed * 104729 + 29)  # and the later additions from another
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    accs: list[SynthAccount] = []
    posts: list[SynthPost] = []
    for a in range(accounts):
        lang = "zh" if rng.random() < zh_share else "en"
        acc = SynthAccount(
            account_id=str(100000 + a + seed * 1000),
            name=(f"测试账号{a:03d}" if lang == "zh" else f"Channel {a:03d}"),
            median=math.exp(rng.uniform(math.log(size_low), math.log(size_high))),
            noise=rng.uniform(noise_low, noise_high),
            tau=rng.uniform(1.5, 10.0),
            followers=0.0,
            lang=lang,
            bracket_habit=rng.choice((0.05, 0.3, 0.8)),
        )
        acc.followers = round(acc.median * rng.uniform(3, 30))
        accs.append(acc)
        n = rng.randint(posts_low, posts_high)
        trend = rx.uniform(-0.3, trend_high) if trend_high else 0.0
        span = 14.0 if young_share and rx.random() < young_share else float(days)
        slow_tau = rx.uniform(5.0, 60.0) if slow_share and rx.random() < slow_share else 0.0
        lag = (
            (rs.uniform(1.5, 3.0), rs.uniform(2.0, 20.0))
            if lag_share and rs.random() < lag_share
            else None
        )
        for k in range(n):
            pub = now - timedelta(days=rng.uniform(0.2, days))
            if span < days:
                pub = now - timedelta(days=0.2 + (now - pub).total_seconds() / 86400 * span / days)
            age = (now - pub).total_seconds() / 86400
            el = {
                "list_count": rng.random() < element_share,
                "question": rng.random() < element_share,
                "hook_words": rng.random() < element_share,
                "brackets": rng.random() < acc.bracket_habit,
                "exclamation": rng.random() < element_share,
                "second_person": rng.random() < element_share,
                "emoji": rng.random() < element_share * 0.5,
            }
            mult = 1.0
            for e, size in EFFECTS.items():
                if el[e]:
                    mult *= size
            hit = rng.uniform(hit_low, hit_high) if rng.random() < hit_share else 1.0

            grown = _grown(age, acc.tau, slow_tau, lag)
            eps = rng.gauss(0, acc.noise)
            if tail_df:
                # a t draw with the account's scale: normal / sqrt(chi2/df), rescaled to unit sd
                chi = rx.gammavariate(tail_df / 2, 2.0)
                eps = eps / math.sqrt(chi / tail_df) * math.sqrt((tail_df - 2) / tail_df)
            drift = math.exp(trend * (1 - age / max(span, 1.0))) if trend else 1.0
            level = acc.median * drift * mult * hit * math.exp(eps)
            views = max(round(level * grown), 0)
            readings: list[tuple[datetime, float]] = []
            for j in range(snapshots, 0, -1):
                t = age - j * snapshot_every
                if t > 0.05:
                    v = level * _grown(t, acc.tau, slow_tau, lag) * math.exp(rs.gauss(0, 0.05))
                    readings.append(
                        (now - timedelta(days=j * snapshot_every), min(views, round(v)))
                    )
            like_rate = rng.uniform(0.02, 0.08)
            posts.append(
                SynthPost(
                    platform=platform,
                    account_id=acc.account_id,
                    account_name=acc.name,
                    post_id=f"P{seed}x{a}x{k}",
                    title=_title(rng, lang, el),
                    published=pub,
                    captured=now,
                    views=views,
                    likes=round(views * like_rate),
                    comments=round(views * like_rate * rng.uniform(0.05, 0.2)),
                    shares=round(views * rng.uniform(0.001, 0.01)),
                    favorites=round(views * like_rate * rng.uniform(0.2, 0.6)),
                    hit_multiplier=hit,
                    elements=el,
                    views_missing=bool(missing_views) and rx.random() < missing_views,
                    readings=readings,
                    base=acc.median * drift * grown,
                )
            )
    config = {
        "seed": seed,
        "accounts": accounts,
        "posts": len(posts),
        "hit_share": hit_share,
        "hit_range": [hit_low, hit_high],
        "noise": [noise_low, noise_high],
        "effects": EFFECTS,
        "trend_high": trend_high,
        "tail_df": tail_df,
        "young_share": young_share,
        "slow_share": slow_share,
        "missing_views": missing_views,
        "size": [size_low, size_high],
        "snapshots": snapshots,
        "lag_share": lag_share,
    }
    return SynthData(posts=posts, accounts=accs, captured=now, config=config)


def _grown(t: float, tau: float, slow_tau: float, lag: tuple[float, float] | None) -> float:
    """Share of its final count a post has at age ``t`` days (saturating, slow or late growth)."""
    if lag is not None:
        return float(t ** lag[0] / (t ** lag[0] + lag[1] ** lag[0]))
    if slow_tau:
        return float((t / (t + slow_tau)) ** 0.7)
    return 1 - math.exp(-t / tau)


def _title(rng: random.Random, lang: str, el: dict[str, bool]) -> str:
    if lang == "zh":
        t = rng.choice(_ZH_TOPICS) + rng.choice(_ZH_TAIL)
        if el["list_count"]:
            t = f"{rng.randint(3, 12)}个{t}要点"
        if el["hook_words"]:
            t = rng.choice(("揭秘", "必看")) + "：" + t
        if el["second_person"]:
            t += "，你也可以"
        if el["brackets"]:
            t = "【" + rng.choice(("日常", "合集", "vlog")) + "】" + t
        if el["question"]:
            t += "？"
        elif el["exclamation"]:
            t += "！"
        if el["emoji"]:
            t += "✨"
        return t
    t = rng.choice(_EN_TOPICS) + " " + rng.choice(_EN_TAIL)
    if el["list_count"]:
        t = f"{rng.randint(3, 12)} tips for {t}"
    if el["hook_words"]:
        t = rng.choice(("The secret", "Must see")) + ": " + t
    if el["second_person"]:
        t += " for you"
    if el["brackets"]:
        t = "[" + rng.choice(("Vlog", "Series", "Guide")) + "] " + t
    if el["question"]:
        t = "is this the " + t + "?"
    elif el["exclamation"]:
        t += "!"
    if el["emoji"]:
        t += " ✨"
    return t[:1].upper() + t[1:]


def _cn_count(v: float, rng: random.Random) -> str:
    if v >= 1e4 and rng.random() < 0.7:
        return f"{v / 1e4:.1f}万"
    return str(int(v))


def _en_count(v: float, rng: random.Random) -> str:
    if v >= 1e6 and rng.random() < 0.5:
        return f"{v / 1e6:.1f}M"
    if v >= 1e3 and rng.random() < 0.5:
        return f"{v / 1e3:.1f}K"
    return f"{int(v):,}"


LAYOUTS = (
    "mediacrawler-bili-csv",
    "mediacrawler-xhs-json",
    "table-zh",
    "table-en",
    "table-zh-alt",
    "table-en-alt",
)
# other spellings of the same columns, as other exports and hand-made sheets write them
_HEADERS = {
    "table-zh": [
        "作品标题",
        "账号名称",
        "发布时间",
        "播放量",
        "点赞数",
        "评论数",
        "分享数",
        "采集时间",
    ],
    "table-en": [
        "Video title",
        "Channel",
        "Publish date",
        "Views",
        "Likes",
        "Comments",
        "Shares",
        "Captured at",
    ],
    "table-zh-alt": ["标题", "作者", "投稿时间", "播放数", "获赞", "评论量", "转发数", "抓取时间"],
    "table-en-alt": [
        "caption",
        "author",
        "upload date",
        "plays",
        "like_count",
        "comment_count",
        "share_count",
        "crawl_time",
    ],
}


def rows(data: SynthData) -> list[SynthPost]:
    """One row per reading: a post's earlier readings (counts scaled to that reading's views),
    then its last; the same rows as ``data.posts`` when no post has earlier readings."""
    out: list[SynthPost] = []
    for p in data.posts:
        for cap, v in p.readings:
            f = v / p.views if p.views else 0.0
            out.append(
                replace(
                    p,
                    captured=cap,
                    views=v,
                    likes=round(p.likes * f),
                    comments=round(p.comments * f),
                    shares=round(p.shares * f),
                    favorites=round(p.favorites * f),
                    readings=[],
                )
            )
        out.append(p)
    return out


def write(data: SynthData, path: Path, layout: str, *, seed: int = 0) -> dict[str, Any]:
    """Write the posts in ``layout`` (one row per reading); returns the import params that read
    it back."""
    rng = random.Random(seed)
    posts = rows(data)
    if layout == "mediacrawler-bili-csv":
        fields = [
            "video_id",
            "video_type",
            "title",
            "desc",
            "create_time",
            "user_id",
            "nickname",
            "avatar",
            "liked_count",
            "disliked_count",
            "video_play_count",
            "video_favorite_count",
            "video_share_count",
            "video_coin_count",
            "video_danmaku",
            "video_comment",
            "last_modify_ts",
            "video_url",
            "video_cover_url",
            "source_keyword",
        ]
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            for p in posts:
                w.writerow(
                    {
                        "video_id": p.post_id,
                        "video_type": "video",
                        "title": p.title,
                        "desc": "",
                        "create_time": int(p.published.timestamp()),
                        "user_id": p.account_id,
                        "nickname": p.account_name,
                        "avatar": "",
                        "liked_count": int(p.likes),
                        "disliked_count": 0,
                        "video_play_count": "" if p.views_missing else int(p.views),
                        "video_favorite_count": int(p.favorites),
                        "video_share_count": int(p.shares),
                        "video_coin_count": int(p.likes * 0.3),
                        "video_danmaku": int(p.comments * 2),
                        "video_comment": int(p.comments),
                        "last_modify_ts": int(p.captured.timestamp() * 1000),
                        "video_url": f"https://www.bilibili.com/video/{p.post_id}",
                        "video_cover_url": "",
                        "source_keyword": "",
                    }
                )
        return {"format": "mediacrawler"}
    if layout == "mediacrawler-xhs-json":
        items = [
            {
                "note_id": p.post_id,
                "type": "normal",
                "title": p.title,
                "desc": "",
                "video_url": "",
                "time": int(p.published.timestamp() * 1000),
                "last_update_time": int(p.published.timestamp() * 1000),
                "user_id": p.account_id,
                "nickname": p.account_name,
                "avatar": "",
                # xhs shows no plays: the planted signal is carried by likes
                "liked_count": "" if p.views_missing else _cn_count(p.views, rng),
                "collected_count": _cn_count(p.favorites, rng),
                "comment_count": str(int(p.comments)),
                "share_count": str(int(p.shares)),
                "ip_location": "",
                "image_list": "",
                "tag_list": "",
                "last_modify_ts": int(p.captured.timestamp() * 1000),
                "note_url": f"https://www.xiaohongshu.com/explore/{p.post_id}",
                "source_keyword": "",
                "xsec_token": "",
            }
            for p in posts
        ]
        path.write_text(json.dumps(items, ensure_ascii=False, indent=4), encoding="utf-8")
        return {"format": "mediacrawler"}
    if layout in _HEADERS:
        zh = layout.startswith("table-zh")
        cols = list(_HEADERS[layout])
        order = cols[:]
        rng.shuffle(order)
        with path.open("w", encoding="utf-8", newline="") as f:
            tw = csv.writer(f)
            tw.writerow(order)
            for p in posts:
                fmt = _cn_count if zh else _en_count
                vals = dict(
                    zip(
                        cols,
                        [
                            p.title,
                            p.account_name,
                            p.published.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
                            if zh
                            else p.published.isoformat(),
                            "" if p.views_missing else fmt(p.views, rng),
                            fmt(p.likes, rng),
                            str(int(p.comments)),
                            str(int(p.shares)),
                            p.captured.isoformat(),
                        ],
                        strict=True,
                    )
                )
                tw.writerow([vals[c] for c in order])
        return {"format": "table", "platform": "dy" if zh else "youtube"}
    raise ValueError(layout)
