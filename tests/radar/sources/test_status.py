"""Every platform reports a refused request the same way: "<platform> answered <key> <value> ..."."""

from __future__ import annotations

import pytest

from onelegion.skills.radar.sources import (
    SourceError,
    bilibili,
    dailyhot,
    douyin,
    thepaper,
    tieba,
    weibo,
)
from onelegion.skills.radar.sources.base import Parser


@pytest.mark.parametrize(
    ("parse", "body", "message"),
    [
        (
            tieba.parse,
            '{"errno": 110003, "errmsg": "参数错误"}',
            "tieba answered errno 110003 参数错误",
        ),
        (weibo.parse, '{"ok": -100}', "weibo answered ok -100 (login required or rate limited)"),
        (
            bilibili.parse,
            '{"code": -400, "message": "请求错误"}',
            "bilibili answered code -400 请求错误",
        ),
        (
            bilibili.parse,
            '{"code": -412, "msg": "被拦截"}',
            "bilibili answered code -412 被拦截 (risk control: the platform wants a browser session; try later)",
        ),
        (thepaper.parse, '{"resultCode": 0}', "thepaper answered resultCode 0"),
        (douyin.parse, '{"status_code": 5}', "douyin answered status_code 5"),
        (dailyhot.parse, '{"code": 500, "message": "失败"}', "DailyHotApi answered code 500 失败"),
    ],
)
def test_refusals_share_one_wording(parse: Parser, body: str, message: str) -> None:
    with pytest.raises(SourceError) as info:
        parse("x", body.encode(), "application/json")
    assert str(info.value) == message
