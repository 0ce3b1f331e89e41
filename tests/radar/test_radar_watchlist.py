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


def test_bad_regex_and_bad_count_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="invalid regular expression"):
        parse_watchlist("/(unclosed/")
    with pytest.raises(UserError, match="is not @N"):
        parse_watchlist("华为\n@ten")
    with pytest.raises(UserError, match="not found"):
        load_watchlist(tmp_path / "missing.txt")
    p = tmp_path / "w.txt"
    p.write_text("\ufeff华为\n", encoding="utf-8")
    assert [g.name for g in load_watchlist(p).groups] == ["华为"]
