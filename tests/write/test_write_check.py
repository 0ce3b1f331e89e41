"""write.check: 广告法 terms with positions and fixes, allowed compounds, platform limits, hashtags,
banned-word files; the input is never modified."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.write import write_check
from onelegion.skills.write.check import ad_law_terms, check_text
from onelegion.skills.write.models import WriteCheckIn
from onelegion.skills.write.platforms import get_platform, load_platforms

DRAFT = """# 全网最好用的防晒霜，第一次用就爱上
这款防晒是国家级实验室认证，效果最佳，永不脱妆。
最近天气热，第一步先清洁，加微信领小样。
用了立竿见影，还能治疗晒伤。
#防晒 #护肤 #防晒 #夏天
"""


def _check(tmp_path: Path, text: str, **kw: object) -> object:
    p = tmp_path / "draft.md"
    p.write_text(text, encoding="utf-8")
    return write_check(Context.for_testing(tmp_path), WriteCheckIn(path=p, **kw))  # type: ignore[arg-type]


def test_every_planted_term_is_found_with_its_line_and_column(tmp_path: Path) -> None:
    out = _check(tmp_path, DRAFT, platform="xiaohongshu")
    got = {(f.line, f.column, f.text, f.rule) for f in out.findings if f.offset >= 0}  # type: ignore[attr-defined]
    assert got == {
        (1, 3, "全网最", "ad_law.absolute"),
        (2, 6, "国家级", "ad_law.authority"),
        (2, 17, "最佳", "ad_law.absolute"),
        (2, 20, "永不", "ad_law.guarantee"),
        (3, 14, "加微信", "platform.diversion"),
        (4, 3, "立竿见影", "ad_law.guarantee"),
        (4, 10, "治疗", "ad_law.medical"),
    }
    # 最近 (time word), 第一次/第一步 (ordinals) are not claims
    texts = {f.text for f in out.findings}  # type: ignore[attr-defined]
    assert not texts & {"最近", "第一", "第一次", "第一步"}
    rep = {f.rule for f in out.findings}  # type: ignore[attr-defined]
    assert "hashtag.repeated" in rep and "limit.body_short" in rep


def test_fix_writes_a_new_file_and_leaves_the_input_alone(tmp_path: Path) -> None:
    out = _check(tmp_path, DRAFT, platform="xiaohongshu", fix=True)
    src = tmp_path / "draft.md"
    assert src.read_text(encoding="utf-8") == DRAFT
    fixed = out.fixed.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert out.fixed.name == "draft.fixed.md"  # type: ignore[attr-defined]
    assert "效果优质" in fixed and "国家级" not in fixed and "私信领小样" in fixed
    assert fixed.count("#防晒") == 1 and "#夏天" in fixed
    again, _ = check_text(fixed, get_platform("xiaohongshu"))
    assert [f for f in again if f.offset >= 0] == []
    assert out.remaining_after_fix == len(again)  # type: ignore[attr-defined]


def test_title_and_body_limits_per_platform(tmp_path: Path) -> None:
    long_title = "# " + "防晒" * 11 + "\n" + "正文内容。" * 10 + "\n#防晒 #护肤 #夏天\n"
    xhs = _check(tmp_path, long_title, platform="xhs")
    assert any(f.rule == "limit.title_length" and f.line == 1 for f in xhs.findings)  # type: ignore[attr-defined]
    bili = _check(tmp_path, long_title, platform="bilibili")  # 80 characters allowed there
    assert not any(f.rule == "limit.title_length" for f in bili.findings)  # type: ignore[attr-defined]
    weibo = _check(tmp_path, "正文" * 1001 + "\n#话题#", platform="weibo")
    assert any(f.rule == "limit.body_length" for f in weibo.findings)  # type: ignore[attr-defined]


def test_users_banned_words_and_replacements(tmp_path: Path) -> None:
    banned = tmp_path / "banned.txt"
    banned.write_text("# mine\n竞品A\t某品牌\n秒杀\n", encoding="utf-8")
    out = _check(tmp_path, "比竞品A好，今晚秒杀。", banned=banned, fix=True)
    rules = [(f.text, f.rule, f.suggestion) for f in out.findings]  # type: ignore[attr-defined]
    assert ("竞品A", "user.banned", "某品牌") in rules and (
        "秒杀",
        "user.banned",
        "(删除 delete)",
    ) in rules
    assert out.fixed.read_text(encoding="utf-8") == "比某品牌好，今晚。"  # type: ignore[attr-defined]


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown platform 'tiktokk'"):
        _check(tmp_path, "hello", platform="tiktokk")
    gbk = tmp_path / "gbk.md"
    gbk.write_bytes("最好的防晒".encode("gbk"))
    with pytest.raises(UserError, match="not UTF-8"):
        write_check(Context.for_testing(tmp_path), WriteCheckIn(path=gbk))
    with pytest.raises(UserError, match="inputs are never modified"):
        _check(tmp_path, "x", output=tmp_path / "draft.md")


def test_a_platform_is_added_with_a_toml_file(tmp_path: Path) -> None:
    assert "kuaishou" not in load_platforms()
    ctx = Context.for_testing(tmp_path)
    d = ctx.workspace.parent / "write" / "platforms"
    d.mkdir(parents=True)
    (d / "kuaishou.toml").write_text(
        'id = "kuaishou"\nname = "快手"\nname_en = "Kuaishou"\ntitle_max = 10\nbody_min = 0\n'
        'body_max = 500\nhashtag_style = "#{tag}"\nhashtags_min = 0\nhashtags_max = 5\n'
        'emoji = "few"\ntitle_emoji = false\ntone = "口语"\ntone_en = "spoken"\n',
        encoding="utf-8",
    )
    p = tmp_path / "d.md"
    p.write_text("# 这是一个超过十个字的快手标题\n内容\n", encoding="utf-8")
    out = write_check(ctx, WriteCheckIn(path=p, platform="kuaishou"))
    assert any(f.rule == "limit.title_length" for f in out.findings)
    (d / "broken.toml").write_text('id = "Bad Id"\n', encoding="utf-8")
    with pytest.raises(UserError, match="broken.toml is not valid"):
        write_check(ctx, WriteCheckIn(path=p, platform="kuaishou"))


def test_every_listed_term_is_found_alone() -> None:
    for t in ad_law_terms():
        probe = f"这款产品{t.term}好"
        found, _ = check_text(probe, None)
        assert any(f.offset == 4 for f in found), t.term
