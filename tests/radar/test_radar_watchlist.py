"""Watchlists: TrendRadar's frequency_words.txt syntax, token matching instead of substrings."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.errors import UserError
from onelegion.skills.radar.normalize import keyword_in_title, normalize_title
from onelegion.skills.radar.watchlist import load_watchlist, parse_watchlist

FILE = """# my watchlist
[GLOBAL_FILTER]
抽奖
/^广告/

[WORD_GROUPS]
华为
鸿蒙 => 鸿蒙系统
@2

ai
人工智能
!gai

+新能源
汽车
车企

[苹果公司]
iphone
/苹果(公司|手机)/

"""


def test_latin_words_match_on_word_boundaries() -> None:
    assert keyword_in_title("ai", normalize_title("赵明称操作系统值得用AI重做一遍"))
    assert keyword_in_title("ai", normalize_title("Open AI releases a model"))
    assert not keyword_in_title("ai", normalize_title("Model training at scale"))
    assert not keyword_in_title("ai", normalize_title("Gaia mission ends"))
    assert keyword_in_title("GPT-4", normalize_title("GPT-4 发布"))


def test_chinese_keywords_match_by_tokens_not_substrings() -> None:
    assert keyword_in_title("华为", normalize_title("华为发布新手机"))
    assert not keyword_in_title("华为", normalize_title("中华为何如此"))
    assert keyword_in_title("新能源", normalize_title("新能源汽车销量创新高"))
    assert keyword_in_title("两会", normalize_title("#两会#"))


def test_parse_the_trendradar_syntax() -> None:
    wl = parse_watchlist(FILE)
    assert [g.name for g in wl.groups] == [
        "华为 / 鸿蒙系统",
        "ai / 人工智能",
        "汽车 / 车企 / 新能源",
        "苹果公司",
    ]
    assert wl.groups[0].max_items == 2
    assert [w.text for w in wl.groups[2].required] == ["新能源"]
    assert [w.text for w in wl.filters] == ["gai"]
    assert [w.text for w in wl.global_filters] == ["抽奖", "^广告"]
    assert wl.global_filters[1].regex is not None


def test_match_groups_filters_and_required_words() -> None:
    wl = parse_watchlist(FILE)
    assert wl.match("华为发布新手机").name == "华为 / 鸿蒙系统"  # type: ignore[union-attr]
    assert wl.match("华为抽奖活动") is None  # global filter
    assert wl.match("广告：华为") is None  # global regex filter
    assert wl.match("AI手机来了").name == "ai / 人工智能"  # type: ignore[union-attr]
    assert wl.match("AI and gai") is None  # ! filters apply everywhere, as in TrendRadar
    assert wl.match("model training") is None
    assert wl.match("汽车降价") is None  # +新能源 required
    assert wl.match("新能源汽车降价").name == "汽车 / 车企 / 新能源"  # type: ignore[union-attr]
    assert wl.match("苹果手机降价").name == "苹果公司"  # type: ignore[union-attr]
    assert wl.match("iPhone 16 发布").name == "苹果公司"  # type: ignore[union-attr]


def test_bad_lines_are_skipped_with_a_warning_and_the_rest_loads(tmp_path: Path) -> None:
    wl = parse_watchlist("/(unclosed/\n华为\n@ten\n\n!/[x/\n小米", name="w.txt")
    assert [g.name for g in wl.groups] == ["华为", "小米"]
    assert wl.groups[0].max_items == 0 and wl.filters == []
    assert wl.warnings == [
        "w.txt, group 1: invalid regular expression /(unclosed/ "
        "(missing ), unterminated subpattern at position 0) — line skipped",
        "w.txt, group 1: '@ten' is not @N (e.g. @10) — line skipped",
        "w.txt, group 2: invalid regular expression /[x/ "
        "(unterminated character set at position 0) — line skipped",
    ]
    with pytest.raises(UserError, match="not found"):
        load_watchlist(tmp_path / "missing.txt")
    p = tmp_path / "w.txt"
    p.write_text("\ufeff华为\n", encoding="utf-8")
    assert [g.name for g in load_watchlist(p).groups] == ["华为"]


# Real titles (SOURCE: justjavac/weibo-trending-hot-search and justjavac/zhihu-trending-hot-questions
# raw/ archives, MIT, January-March 2024 — the bundled sample and the development data).
EV_ZHIHU = "购买纯电动汽车，在家里安装充电桩安全吗？"
EV_WEIBO = "30万级纯电全能王"
CHERRIES = "车厘子价格「大跳水」，每斤便宜 60 元，为何价格下降明显？之后还会继续降吗？"
CAR_LIFE = (
    "有人说一辆私家车可以开60万公里，但一年开1万公里也就撑死了，所以应该60年强制报废，大家怎么看？"
)
BRIDGE = "武汉长江大桥退休后，火车要怎么过江？"


def test_single_characters_and_words_inside_compounds_match_as_written() -> None:
    wl = parse_watchlist("纯电\n\n人")
    assert wl.match(EV_ZHIHU).name == "纯电"  # type: ignore[union-attr]  # inside 纯电动
    assert wl.match(EV_WEIBO).name == "纯电"  # type: ignore[union-attr]
    assert wl.match(CAR_LIFE).name == "人"  # type: ignore[union-attr]  # inside 有人
    assert wl.match("单纯电影爱好者") is None  # 单纯/电影: 纯电 straddles two words
    assert parse_watchlist("华为").match("中华为何如此") is None  # tokens still help


def test_a_single_character_filter_filters() -> None:
    wl = parse_watchlist("价格\n江\n!车")
    assert wl.match(CHERRIES) is None  # 车 inside 车厘子
    assert wl.match(BRIDGE) is None  # 车 inside 火车
    assert wl.match("长江流域降雨").name == "价格 / 江"  # type: ignore[union-attr]


def test_substring_mode_is_exactly_trendradar() -> None:
    wl = parse_watchlist("ai\n\n华为", mode="substring")
    assert wl.match("Model training at scale").name == "ai"  # type: ignore[union-attr]
    assert wl.match("中华为何如此").name == "华为"  # type: ignore[union-attr]
    smart = parse_watchlist("ai\n\n华为")
    assert smart.match("Model training at scale") is None
    assert smart.match("中华为何如此") is None


def test_no_word_groups_watches_everything_minus_the_filters() -> None:
    wl = parse_watchlist("# only filters\n!车\n")
    assert not wl.empty and [g.name for g in wl.groups] == ["全部 All"]
    assert wl.match(EV_WEIBO).name == "全部 All"  # type: ignore[union-attr]
    assert wl.match(CHERRIES) is None
    assert parse_watchlist("").match(BRIDGE).name == "全部 All"  # type: ignore[union-attr]


def test_the_match_setting_and_warnings_reach_the_skills(tmp_path: Path) -> None:
    from onelegion.core.config import Settings
    from onelegion.core.context import Context
    from onelegion.skills.radar.service import watchlist_for

    home = tmp_path / "home"
    home.mkdir()
    (home / "legion.toml").write_text(
        '[radar]\nwatchlist = "w.txt"\nwatchlist_match = "substring"\n', encoding="utf-8"
    )
    (home / "w.txt").write_text("华为\n@x\n", encoding="utf-8")
    events: list[tuple[str, dict[str, object]]] = []
    c = Context.for_testing(tmp_path, config=Settings.load(home), events=events)
    wl = watchlist_for(c, None)
    assert wl is not None and wl.mode == "substring"
    assert [d["message"] for k, d in events if k == "log" and d["level"] == "warning"] == [
        "w.txt, group 1: '@x' is not @N (e.g. @10) — line skipped"
    ]
