"""Each fix with its exact outcome; what cannot be fixed is listed; real lessons come out clean."""

from __future__ import annotations

import re
from pathlib import Path

import pysubs2
import pytest
from subs_helpers import copy_fixture

from onelegion.core.context import Context
from onelegion.skills.subs import subs_fix
from onelegion.skills.subs.fix import fix
from onelegion.skills.subs.formats import load
from onelegion.skills.subs.models import SubsFixIn
from onelegion.skills.subs.rules import check, resolve_lang


def subs_of(*cues: tuple[int, int, str]) -> pysubs2.SSAFile:
    s = pysubs2.SSAFile()
    for a, b, t in cues:
        s.events.append(pysubs2.SSAEvent(start=a, end=b, text=t))
    return s


def fixed(*cues: tuple[int, int, str], lang: str = "zh") -> list[tuple[int, int, str]]:
    out, _ = fix(subs_of(*cues), resolve_lang(lang))
    return [(e.start, e.end, e.text) for e in out.events]


def test_lead_in_starts_a_cue_early_into_silence_when_nothing_else_helps() -> None:
    # 16 characters need 1778 ms at 9 cps; the next cue starts 84 ms (2 frames) after this one ends
    out = fixed(
        (0, 900, "好的"),
        (5000, 6500, "我们现在把所有部位放回原来的位置"),
        (6584, 9000, "然后保存文件"),
    )
    # starts 278 ms earlier (the 1778 ms it needs minus the 1500 ms it has), the end stays
    assert [(a, b) for a, b, _ in out] == [(0, 900), (4722, 6500), (6584, 9000)]
    # the lead-in stops at the cap (1 s) and at the minimum gap after the previous cue
    out = fixed(
        (0, 900, "好的"), (5000, 5700, "我们现在把所有部位放回原来的位置"), (5784, 9000, "然后")
    )
    assert [(a, b) for a, b, _ in out][1] == (4000, 5700)
    out = fixed(
        (0, 4600, "好的"), (5000, 6000, "我们现在把所有部位放回原来的位置"), (6084, 9000, "然后")
    )
    assert [(a, b) for a, b, _ in out][:2] == [(0, 4600), (4684, 6000)]


def test_rebreak_chinese_between_words_after_punctuation() -> None:
    assert fixed((0, 5000, "我们用这个格式的位图作品，是因为它压缩时不降低质量")) == [
        (0, 5000, "我们用这个格式的位图作品，\\N是因为它压缩时不降低质量")
    ]


def test_rebreak_english_not_after_article_or_preposition() -> None:
    assert fixed((0, 4000, "What brings you to\\Nthe land of the gatekeepers?"), lang="en") == [
        (0, 4000, "What brings you to the land\\Nof the gatekeepers?")
    ]


def test_split_too_long_cue_at_sentence_boundary_times_by_characters() -> None:
    text = "现在我们打开软件的主菜单并选择导入命令。然后在对话框里找到示例文件所在的文件夹"
    out = fixed((10_000, 18_000, text))
    assert [t for _, _, t in out] == [
        "现在我们打开软件的主菜单\\N并选择导入命令",
        "然后在对话框里找到\\N示例文件所在的文件夹",
    ]
    # 20 of 39 characters (。 included) before the split: 8 s shared by characters, 2 frames between
    assert [(a, b) for a, b, _ in out] == [(10_000, 14_061), (14_145, 18_000)]


def test_extend_into_following_gap_for_reading_speed() -> None:
    assert fixed((0, 1000, "我们开始学习动画课程吧"), (5000, 7000, "好的")) == [
        (0, 1223, "我们开始学习动画课程吧"),
        (5000, 7000, "好的"),
    ]


def test_extension_stops_before_the_next_cue() -> None:
    out = fixed((0, 1000, "我们开始学习动画课程吧"), (1200, 3000, "好的"))
    assert out[0][:2] == (0, 1116)


def test_close_small_gap_and_remove_overlap() -> None:
    assert [
        c[:2] for c in fixed((0, 1000, "甲乙"), (1300, 2500, "丙丁"), (2400, 3500, "戊己"))
    ] == [
        (0, 1216),
        (1300, 2316),
        (2400, 3500),
    ]


def test_merge_too_short_cue_with_its_neighbour() -> None:
    assert fixed((0, 400, "好"), (450, 1500, "我们走吧")) == [(0, 1500, "好\\N我们走吧")]


def test_empty_duplicate_order_and_punctuation() -> None:
    out = fixed(
        (5000, 6500, "第二句话..."),
        (0, 1500, "第一句话。"),
        (1500, 3000, "第一句话。"),
        (3500, 4500, ""),
        (7000, 9000, "威廉•莎士比亚说,你好"),
    )
    assert out == [
        (0, 3000, "第一句话"),
        (5000, 6500, "第二句话⋯"),
        (7000, 9000, "威廉·莎士比亚说，你好"),
    ]


def test_what_cannot_be_fixed_is_listed() -> None:
    subs = subs_of(
        (0, 300, "好"),
        (320, 3000, "这一行已经写满了十六个汉字的内容\\N第二行也已经写满了十六个汉字内容"),
        (
            4000,
            9000,
            "这是{\\i1}一条非常非常长的{\\i0}字幕，它有很多很多的文字所以放不进两行里面去了，怎么办呢",
        ),
    )
    out, log = fix(subs, resolve_lang("zh"))
    assert [(u["cue"], u["rule"], u["why"]) for u in log.unfixed] == [
        ("3", "line_length", "tags inside the text"),
        ("1", "min_duration", "no room in the following gap and no neighbour to merge with"),
    ]
    after = check(out, resolve_lang("zh"))
    assert sorted({(i.cue, i.rule) for i in after.issues}) == [
        (1, "min_duration"),
        (3, "line_length"),
    ]


def _letters(subs: pysubs2.SSAFile) -> str:
    """All visible text without whitespace or punctuation: what fix must never change."""
    text = "".join(e.plaintext for e in subs if not e.is_comment)
    return re.sub(r"[\s\W_]", "", text)


@pytest.mark.parametrize(
    "name", ["synfig-01.zh.srt", "synfig-02.zh.srt", "synfig-01.en.srt", "sintel.en.srt"]
)
def test_real_files_come_out_clean_with_text_and_starts_kept(tmp_path: Path, name: str) -> None:
    src = copy_fixture(name, tmp_path)
    before = src.read_bytes()
    ctx = Context.for_testing(tmp_path)
    out = subs_fix(ctx, SubsFixIn(path=src))
    assert out.breaking_after == 0 and out.unfixed == []
    orig, new = load(src).subs, load(out.output).subs
    assert _letters(orig) == _letters(new)
    orig_starts = {e.start for e in orig}
    assert orig_starts <= {e.start for e in new}  # no start moved (splits add starts)
    # every end stays within its cue's following gap
    ends = sorted(e.end for e in new)
    assert ends[-1] <= max(e.end for e in orig) + 7000
    assert src.read_bytes() == before
    assert {a.name for a in ctx.artifacts} == {
        "fixed",
        "changes.csv",
        "remaining.csv",
        "report.html",
    }


def test_fix_skill_counts_before_after(tmp_path: Path) -> None:
    src = copy_fixture("synfig-01.zh.srt", tmp_path)
    out = subs_fix(
        Context.for_testing(tmp_path), SubsFixIn(path=src, output=tmp_path / "fixed.ass")
    )
    assert out.output == tmp_path / "fixed.ass" and out.output.read_text(
        encoding="utf-8"
    ).startswith("[Script Info]")
    assert (out.cues_before, out.breaking_before) == (52, 49)
    assert out.before["line_length"] == 22 and out.after == dict.fromkeys(out.after, 0)
    assert out.cues_after == 57


def test_split_parts_share_time_by_reading_need_and_use_the_gap_after() -> None:
    text = "The boy walked all the way home along the river. Then he found the old map hidden under the bridge."
    out = fixed((0, 4700, text), (9000, 10000, "Next."), lang="en")
    # by characters alone the second part would end at 4700 and read at 20.4 cps (> 20)
    assert out == [
        (0, 2350, "The boy walked all the way\\Nhome along the river."),
        (2434, 4884, "Then he found the old map\\Nhidden under the bridge."),
        (9000, 10000, "Next."),
    ]
    subs = subs_of(*out)
    assert check(subs, resolve_lang("en")).issues == []
