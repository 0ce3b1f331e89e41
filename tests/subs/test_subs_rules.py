"""The checker: one test per rule, exact issues; language detection; the skill on a real file."""

from __future__ import annotations

from pathlib import Path

import pysubs2
import pytest
from subs_helpers import copy_fixture

from onelegion.core.context import Context
from onelegion.skills.subs import subs_check
from onelegion.skills.subs.models import SubsCheckIn
from onelegion.skills.subs.rules import PROFILES, check, detect_lang, resolve_lang, width


def subs_of(*cues: tuple[int, int, str]) -> pysubs2.SSAFile:
    s = pysubs2.SSAFile()
    for a, b, t in cues:
        s.events.append(pysubs2.SSAEvent(start=a, end=b, text=t))
    return s


def rules_hit(subs: pysubs2.SSAFile, lang: str = "zh") -> list[tuple[int, str]]:
    return [(i.cue, i.rule) for i in check(subs, resolve_lang(lang)).issues]


def test_width_counts_cjk_one_and_half_width_half() -> None:
    assert width("你好，world!", True) == 3 + 6 * 0.5
    assert width("hello", False) == 5


@pytest.mark.parametrize(
    ("cues", "lang", "expected"),
    [
        # 17 CJK characters on one line (limit 16), 4 s
        ([(0, 4000, "一二三四五六七八九十一二三四五六七")], "zh", [(1, "line_length")]),
        # 16 CJK + 2 half-width = 17 -> too long; 16 CJK alone -> fine
        ([(0, 4000, "一二三四五六七八九十一二三四五六ab")], "zh", [(1, "line_length")]),
        ([(0, 4000, "一二三四五六七八九十一二三四五六")], "zh", []),
        ([(0, 5000, "一行\\N二行\\N三行")], "zh", [(1, "lines")]),
        # 19 chars in 1.5 s = 12.7 cps > 9
        ([(0, 1500, "我们开始学习动画课程\\N请打开你的软件界面")], "zh", [(1, "cps")]),
        ([(0, 500, "好")], "zh", [(1, "min_duration")]),
        ([(0, 7500, "好的")], "zh", [(1, "max_duration")]),
        ([(0, 1000, "甲"), (1050, 2500, "乙")], "zh", [(2, "min_gap")]),
        ([(0, 1000, "甲"), (1300, 2500, "乙")], "zh", [(2, "close_gap")]),
        ([(0, 1000, "甲"), (1600, 2600, "乙")], "zh", []),
        ([(0, 1500, "甲"), (1000, 2500, "乙")], "zh", [(2, "overlap")]),
        ([(0, 1000, ""), (2000, 3000, "乙")], "zh", [(1, "empty")]),
        ([(2000, 3000, "甲"), (0, 1000, "乙")], "zh", [(2, "order")]),
        ([(0, 1000, "好的"), (1000, 2000, "好的")], "zh", [(2, "duplicate"), (2, "min_gap")]),
        ([(0, 3000, "我们用这个格式的位\\N图作品")], "zh", [(1, "line_break")]),
        ([(0, 3000, "我们得到一个图像层。")], "zh", [(1, "punctuation")]),
        ([(0, 3000, "选择文件...然后打开")], "zh", [(1, "punctuation")]),
        ([(0, 3000, "你好,世界")], "zh", [(1, "punctuation")]),
        (
            [(0, 3000, "What brings you to\\Nthe land of the gatekeepers?")],
            "en",
            [(1, "line_break")],
        ),
        ([(0, 3000, "What brings you\\Nto the land of the gatekeepers?")], "en", []),
        ([(0, 3000, "x" * 43)], "en", [(1, "line_length")]),
        ([(0, 2000, "x" * 42)], "en", [(1, "cps")]),
    ],
)
def test_each_rule(
    cues: list[tuple[int, int, str]], lang: str, expected: list[tuple[int, str]]
) -> None:
    assert rules_hit(subs_of(*cues), lang) == expected


def test_frame_based_gap_follows_fps() -> None:
    subs = subs_of((0, 1000, "甲"), (1100, 2500, "乙"))  # 100 ms gap
    assert [i.rule for i in check(subs, PROFILES["zh-Hans"], fps=24).issues] == []
    assert [i.rule for i in check(subs, PROFILES["zh-Hans"], fps=60).issues] == ["close_gap"]


def test_language_detection() -> None:
    assert detect_lang(["欢迎参加培训课程", "我们开始了"]) == "zh-Hans"
    assert detect_lang(["歡迎參加培訓課程", "我們開始了，這裡說明"]) == "zh-Hant"
    assert detect_lang(["Welcome to the course", "Let's start"]) == "en"
    assert detect_lang(["こんにちは、元気ですか"]) == "ja"
    assert detect_lang(["안녕하세요 반갑습니다"]) == "ko"
    assert resolve_lang("zh-CN").lang == "zh-Hans" and resolve_lang("fr").lang == "default"


def test_check_skill_on_real_chinese_lesson(tmp_path: Path) -> None:
    src = copy_fixture("synfig-02.zh.srt", tmp_path)
    before = src.read_bytes()
    ctx = Context.for_testing(tmp_path)
    out = subs_check(ctx, SubsCheckIn(path=src))
    assert (out.lang, out.cues, out.encoding) == ("zh-Hans", 74, "utf-8")
    assert out.by_rule["line_length"] == 50 and out.by_rule["min_gap"] == 4
    assert out.by_rule["close_gap"] == 12 and out.by_rule["punctuation"] == 70
    assert out.cues_with_issues == 73 and out.share_with_issues == round(73 / 74, 4)
    assert out.issues[0].model_dump() == {
        "cue": 2,
        "start": "00:00:05,220",
        "end": "00:00:09,060",
        "rule": "line_length",
        "detail": "21 chars > 16: 在本课中我们要创建一段小男孩上学的简单动画",
    }
    names = {a.name for a in ctx.artifacts}
    assert names == {"issues.csv", "report.html"}
    html = (ctx.run_dir / "report.html").read_text(encoding="utf-8")
    assert "单行过长" in html and "<script" not in html and "http" not in html.split("</style>")[0]
    assert src.read_bytes() == before
