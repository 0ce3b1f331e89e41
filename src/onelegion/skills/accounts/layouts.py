"""Column layouts: MediaCrawler's field names per platform, and header synonyms for any other table.

MediaCrawler (github.com/NanmiCoder/MediaCrawler) writes the same field names in every save mode
(csv, json, jsonl, sqlite/db): ``store/<platform>/__init__.py`` builds one dict per post and the
``*_store_impl.py`` writers save it; ``schema/sqlite_tables.sql`` names the SQLite tables.
"""

from __future__ import annotations

import re

# canonical field -> MediaCrawler field, per platform (its short platform codes)
MEDIACRAWLER: dict[str, dict[str, str]] = {
    "xhs": {
        "post_id": "note_id",
        "account_id": "user_id",
        "account_name": "nickname",
        "title": "title",
        "description": "desc",
        "published_at": "time",
        "captured_at": "last_modify_ts",
        "url": "note_url",
        "tags": "tag_list",
        "likes": "liked_count",
        "favorites": "collected_count",
        "comments": "comment_count",
        "shares": "share_count",
        "kind": "type",
    },
    "dy": {
        "post_id": "aweme_id",
        "account_id": "user_id",
        "account_name": "nickname",
        "title": "title",
        "description": "desc",
        "published_at": "create_time",
        "captured_at": "last_modify_ts",
        "url": "aweme_url",
        "likes": "liked_count",
        "comments": "comment_count",
        "shares": "share_count",
        "favorites": "collected_count",
        "kind": "aweme_type",
    },
    "bili": {
        "post_id": "video_id",
        "account_id": "user_id",
        "account_name": "nickname",
        "title": "title",
        "description": "desc",
        "published_at": "create_time",
        "captured_at": "last_modify_ts",
        "url": "video_url",
        "views": "video_play_count",
        "likes": "liked_count",
        "favorites": "video_favorite_count",
        "shares": "video_share_count",
        "coins": "video_coin_count",
        "danmaku": "video_danmaku",
        "comments": "video_comment",
        "kind": "video_type",
    },
    "ks": {
        "post_id": "video_id",
        "account_id": "user_id",
        "account_name": "nickname",
        "title": "title",
        "description": "desc",
        "published_at": "create_time",
        "captured_at": "last_modify_ts",
        "url": "video_url",
        "views": "viewd_count",
        "likes": "liked_count",
        "kind": "video_type",
    },
    "wb": {
        "post_id": "note_id",
        "account_id": "user_id",
        "account_name": "nickname",
        "title": "content",
        "published_at": "create_time",
        "captured_at": "last_modify_ts",
        "url": "note_url",
        "likes": "liked_count",
        "comments": "comments_count",
        "shares": "shared_count",
    },
    "tieba": {
        "post_id": "note_id",
        "account_id": "user_link",
        "account_name": "user_nickname",
        "title": "title",
        "description": "desc",
        "published_at": "publish_time",
        "captured_at": "last_modify_ts",
        "url": "note_url",
        "comments": "total_replay_num",
        "category": "tieba_name",
    },
    "zhihu": {
        "post_id": "content_id",
        "account_id": "user_id",
        "account_name": "user_nickname",
        "title": "title",
        "description": "content_text",
        "published_at": "created_time",
        "captured_at": "last_modify_ts",
        "url": "content_url",
        "likes": "voteup_count",
        "comments": "comment_count",
        "kind": "content_type",
    },
}

# fields whose presence identifies each platform's content rows
SIGNATURES: list[tuple[str, frozenset[str]]] = [
    ("dy", frozenset({"aweme_id"})),
    ("bili", frozenset({"video_id", "video_play_count"})),
    ("ks", frozenset({"video_id", "viewd_count"})),
    ("tieba", frozenset({"note_id", "tieba_name"})),
    ("zhihu", frozenset({"content_id", "voteup_count"})),
    ("wb", frozenset({"note_id", "comments_count", "shared_count"})),
    ("xhs", frozenset({"note_id", "collected_count"})),
]

# MediaCrawler's SQLite tables: content tables and creator tables
CONTENT_TABLES = {
    "xhs_note": "xhs",
    "douyin_aweme": "dy",
    "bilibili_video": "bili",
    "kuaishou_video": "ks",
    "weibo_note": "wb",
    "tieba_note": "tieba",
    "zhihu_content": "zhihu",
}
CREATOR_TABLES = {
    "xhs_creator": "xhs",
    "dy_creator": "dy",
    "bilibili_up_info": "bili",
    "weibo_creator": "wb",
    "tieba_creator": "tieba",
    "zhihu_creator": "zhihu",
}
# folder names MediaCrawler writes under data/ (and common spellings) -> platform code
FOLDER_PLATFORM = {
    "xhs": "xhs",
    "xiaohongshu": "xhs",
    "douyin": "dy",
    "dy": "dy",
    "bili": "bili",
    "bilibili": "bili",
    "kuaishou": "ks",
    "ks": "ks",
    "weibo": "wb",
    "wb": "wb",
    "tieba": "tieba",
    "zhihu": "zhihu",
}
PLATFORM_NAMES = {
    "xhs": "小红书",
    "dy": "抖音",
    "bili": "哔哩哔哩",
    "ks": "快手",
    "wb": "微博",
    "tieba": "贴吧",
    "zhihu": "知乎",
    "youtube": "YouTube",
}

# canonical field -> header spellings seen in creator-centre exports and hand-made tables
SYNONYMS: dict[str, tuple[str, ...]] = {
    "post_id": (
        "post_id",
        "id",
        "video_id",
        "note_id",
        "aweme_id",
        "content_id",
        "bvid",
        "bv号",
        "稿件bv号",
        "视频id",
        "作品id",
        "笔记id",
        "content",
        "video",
        "item_id",
    ),
    "title": (
        "title",
        "video title",
        "video_title",
        "标题",
        "作品名称",
        "作品标题",
        "视频标题",
        "笔记标题",
        "稿件标题",
        "作品",
        "笔记名称",
        "name",
        "caption",
    ),
    "description": ("description", "desc", "简介", "描述", "正文", "content_text"),
    "account_name": (
        "account_name",
        "account",
        "channel",
        "channel_title",
        "channel name",
        "author",
        "nickname",
        "up主",
        "up主名称",
        "账号",
        "账号名称",
        "作者",
        "博主",
        "昵称",
        "创作者",
    ),
    "account_id": (
        "account_id",
        "channel_id",
        "user_id",
        "uid",
        "mid",
        "author_id",
        "用户id",
        "账号id",
    ),
    "published_at": (
        "published_at",
        "published",
        "publish_time",
        "publish time",
        "publishedat",
        "video publish time",
        "publish date",
        "upload date",
        "发布时间",
        "发布日期",
        "投稿时间",
        "首次发布时间",
        "创建时间",
        "pubdate",
        "created_at",
        "create_time",
        "date published",
    ),
    "captured_at": (
        "captured_at",
        "crawl_time",
        "crawled_at",
        "snapshot_time",
        "采集时间",
        "抓取时间",
        "数据更新时间",
        "统计时间",
        "last_modify_ts",
    ),
    "views": (
        "views",
        "view_count",
        "viewcount",
        "plays",
        "play_count",
        "playcount",
        "播放量",
        "播放数",
        "播放",
        "播放次数",
        "观看次数",
        "观看量",
        "阅读量",
        "阅读数",
        "浏览量",
        "video_play_count",
        "viewd_count",
    ),
    "likes": (
        "likes",
        "like_count",
        "likecount",
        "点赞",
        "点赞数",
        "点赞量",
        "获赞",
        "liked_count",
    ),
    "comments": (
        "comments",
        "comment_count",
        "commentcount",
        "comment_total",
        "评论",
        "评论数",
        "评论量",
    ),
    "shares": ("shares", "share_count", "sharecount", "分享", "分享数", "分享量", "转发", "转发数"),
    "favorites": (
        "favorites",
        "favourites",
        "collects",
        "saves",
        "favorite_count",
        "收藏",
        "收藏数",
        "收藏量",
        "collected_count",
    ),
    "coins": ("coins", "coin_count", "投币", "投币数", "硬币", "硬币数"),
    "danmaku": ("danmaku", "danmu", "弹幕", "弹幕数", "弹幕量"),
    "followers": (
        "followers",
        "subscribers",
        "subscriber_count",
        "fans",
        "粉丝",
        "粉丝数",
        "粉丝量",
    ),
    "duration": ("duration", "length", "duration_s", "时长", "视频时长", "作品时长"),
    "tags": ("tags", "tag_list", "标签", "话题", "keywords"),
    "category": ("category", "category_id", "分区", "分类", "类别", "垂类"),
    "url": ("url", "link", "链接", "视频链接", "作品链接", "笔记链接", "permalink"),
}
CANONICAL = tuple(SYNONYMS)
METRIC_FIELDS = ("views", "likes", "comments", "shares", "favorites", "coins", "danmaku")


def norm_header(name: str) -> str:
    """'Video publish time' / 'video_publish_time' / ' 发布时间 ' -> one key."""
    return re.sub(r"[\s_\-()（）:：./]+", "", name.strip().lstrip("\ufeff").lower())


_SYN_INDEX: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _n in _names:
        _SYN_INDEX.setdefault(norm_header(_n), _field)


def auto_map(headers: list[str]) -> dict[str, str]:
    """canonical field -> header, for the headers that match a synonym (first match wins)."""
    out: dict[str, str] = {}
    for h in headers:
        f = _SYN_INDEX.get(norm_header(h))
        if f and f not in out:
            out[f] = h
    return out
