"""Parsers of the main Chinese hot lists on recorded real-format responses."""

from __future__ import annotations

import pytest
from radar_loopback import recorded

from onelegion.skills.radar.sources import SourceError, baidu, toutiao, weibo, zhihu


def test_weibo_json_skips_ads_and_keeps_heat() -> None:
    items = weibo.parse("weibo", recorded("weibo_hotsearch.json"), "application/json")
    assert [i.title for i in items] == [
        "国产大飞机C919新航线首航",
        "冬季流感高发期就医指南",
        "某综艺第二季官宣嘉宾",
        "北方多地迎来今冬首场降雪",
        "年轻人开始流行反向旅游",
    ]
    assert [i.rank for i in items] == [1, 2, 3, 4, 5]
    assert [i.heat for i in items] == [2779657, 1856320, 850468, 702311, 615502]
    first = items[0]
    assert first.heat_text == "2779657"
    assert first.url == (
        "https://s.weibo.com/weibo?q=%23%E5%9B%BD%E4%BA%A7%E5%A4%A7%E9%A3%9E%E6%9C%BA"
        "C919%E6%96%B0%E8%88%AA%E7%BA%BF%E9%A6%96%E8%88%AA%23"
    )
    assert first.extra == {"label": "热", "category": "社会", "onboard_time": 1764050000}
    assert items[2].extra == {"category": "综艺", "onboard_time": 1764048800}


def test_weibo_summary_html_skips_pinned_and_ads() -> None:
    items = weibo.parse("weibo", recorded("weibo_summary.html"), "text/html")
    assert [(i.rank, i.title, i.heat) for i in items] == [
        (1, "国产大飞机C919新航线首航", 2779657),
        (2, "某综艺第二季官宣嘉宾", 850468),
        (3, "北方多地迎来今冬首场降雪", 702311),
    ]
    assert items[1].extra == {"label": "新", "category": "综艺"}
    assert items[0].url is not None and items[0].url.startswith("https://s.weibo.com/weibo?q=%23")


def test_weibo_login_refusal_and_captcha_page() -> None:
    with pytest.raises(SourceError, match="weibo answered ok -100 \\(login required"):
        weibo.parse("weibo", b'{"ok": -100, "url": "https://passport.weibo.com/"}', "")
    with pytest.raises(SourceError, match="login/captcha page"):
        weibo.parse("weibo", recorded("captcha_page.html"), "text/html")


def test_zhihu_hot_list_web() -> None:
    items = zhihu.parse("zhihu", recorded("zhihu_hot_list_web.json"), "application/json")
    assert [(i.rank, i.heat, i.heat_text) for i in items] == [
        (1, 14_820_000, "1482 万热度"),
        (2, 9_360_000, "936 万热度"),
        (3, 5_120_000, "512 万热度"),
        (4, 870_000, "87 万热度"),
    ]
    assert items[0].title == "如何看待2026年的就业市场变化？"
    assert items[0].url == "https://www.zhihu.com/question/6120019231"
    assert items[0].extra["answer_count"] == 411


def test_zhihu_total_shape_maps_api_links_to_question_pages() -> None:
    (item,) = zhihu.parse("zhihu", recorded("zhihu_hot_lists_total.json"), "application/json")
    assert item.url == "https://www.zhihu.com/question/6120019231"
    assert item.heat == 14_820_000
    assert item.extra == {"excerpt": "示例摘要", "answer_count": 411}


def test_zhihu_error_and_html() -> None:
    body = b'{"error": {"message": "\\u8bf7\\u6c42\\u8fc7\\u4e8e\\u9891\\u7e41", "code": 10003}}'
    with pytest.raises(SourceError, match="zhihu error: 请求过于频繁"):
        zhihu.parse("zhihu", body, "application/json")
    with pytest.raises(SourceError, match="HTML page instead of JSON"):
        zhihu.parse("zhihu", b"<html><body>404</body></html>", "text/html")


def test_baidu_board_comment_json() -> None:
    items = baidu.parse("baidu", recorded("baidu_board.html"), "text/html")
    assert [(i.rank, i.title, i.heat) for i in items] == [
        (1, "神舟飞船返回舱顺利着陆", 7812345),
        (2, "全国铁路元旦假期运输方案公布", 7634501),
        (3, "多所高校公布寒假放假时间", 7409823),
    ]
    assert items[0].url == (
        "https://www.baidu.com/s?wd=%E7%A5%9E%E8%88%9F%E9%A3%9E%E8%88%B9%E8%BF%94%E5%9B%9E"
        "%E8%88%B1%E9%A1%BA%E5%88%A9%E7%9D%80%E9%99%86"
    )
    assert items[0].extra["tag"] == "3"
    assert "tag" not in items[2].extra
    assert items[0].heat_text == "7812345"


def test_baidu_without_data_comment() -> None:
    with pytest.raises(SourceError, match="got an HTML page instead of the board data"):
        baidu.parse("baidu", b"<html><body>\xe7\x99\xbe\xe5\xba\xa6</body></html>", "text/html")


def test_toutiao_hot_board() -> None:
    items = toutiao.parse("toutiao", recorded("toutiao_hot_board.json"), "application/json")
    assert [(i.rank, i.title, i.heat) for i in items] == [
        (1, "多地发布寒潮预警 气温骤降超10℃", 35418652),
        (2, "国产新能源汽车11月出口数据出炉", 28907713),
        (3, "CBA常规赛第十轮精彩回顾", 12055020),
    ]
    assert items[0].url == "https://www.toutiao.com/trending/7441234567890123456/"
    assert items[0].extra == {
        "cluster_id": "7441234567890123456",
        "label": "热",
        "categories": ["society"],
    }
    assert items[2].extra == {"cluster_id": "7441234567890123458", "categories": ["sports"]}


def test_gbk_pages_decode_by_header_or_meta() -> None:
    html = recorded("weibo_summary.html").decode("utf-8")
    gbk = html.encode("gb18030")
    by_header = weibo.parse("weibo", gbk, "text/html; charset=GBK")
    assert [i.title for i in by_header][:2] == ["国产大飞机C919新航线首航", "某综艺第二季官宣嘉宾"]
    meta = html.replace('<meta charset="utf-8">', '<meta charset="gb2312">').encode("gb18030")
    assert [i.title for i in weibo.parse("weibo", meta, "text/html")] == [
        i.title for i in by_header
    ]
