"""Review in Excel/CSV: export, edit, apply; edits reach translation memory and the next translate."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from subs_helpers import copy_fixture

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.subs import subs_review, subs_translate
from onelegion.skills.subs.formats import load
from onelegion.skills.subs.memory import Memory
from onelegion.skills.subs.models import SubsReviewIn, SubsTranslateIn


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    return copy_fixture("synfig-01.zh.srt", tmp_path), copy_fixture("synfig-01.en.srt", tmp_path)


def test_export_xlsx_rows_and_flags(tmp_path: Path) -> None:
    zh, en = _pair(tmp_path)
    sheet = tmp_path / "review.xlsx"
    out = subs_review(Context.for_testing(tmp_path), SubsReviewIn(path=zh, source=en, export=sheet))
    assert (out.mode, out.cues, out.flagged) == ("export", 52, 49)
    ws = load_workbook(sheet)["review"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "cue",
        "start",
        "end",
        "source",
        "translation",
        "max_width",
        "cps",
        "issues",
        "unit",
    )
    assert rows[2][:5] == (
        2,
        "00:00:03,680",
        "00:00:07,520",
        "Welcome to the Synfig Studio animation software training series.",
        "欢迎参加 Synfig Studio 动画软件培训系列课程。",
    )
    assert rows[2][5] == 22.5 and rows[2][7].startswith("line_length: 22.5 chars > 16")
    assert len(rows) == 53


def test_apply_edits_then_translate_reuses_them(tmp_path: Path) -> None:
    zh, en = _pair(tmp_path)
    sheet = tmp_path / "review.xlsx"
    mem = tmp_path / "tm.sqlite"
    ctx = Context.for_testing(tmp_path)
    subs_review(ctx, SubsReviewIn(path=zh, source=en, export=sheet))
    wb = load_workbook(sheet)
    ws = wb["review"]
    ws["E3"] = "欢迎参加 Synfig Studio\n动画软件培训课程"
    ws["E4"] = "本课我们学习 Synfig 的界面和基本概念"
    wb.save(sheet)
    before = zh.read_bytes()
    out = subs_review(ctx, SubsReviewIn(path=zh, apply=sheet, memory=mem))
    assert (out.mode, out.edited, out.memory_added) == ("apply", 2, 52)
    assert out.output == tmp_path / "synfig-01.zh.reviewed.srt" and zh.read_bytes() == before
    texts = [e.text for e in load(out.output).subs]
    assert texts[1] == "欢迎参加 Synfig Studio\\N动画软件培训课程"
    assert texts[2] == "本课我们学习 Synfig 的界面和基本概念"
    assert texts[3] == load(zh).subs[3].text
    with Memory(mem) as m:
        hit = m.lookup(
            "en", "zh", "welcome to the synfig studio animation software training series."
        )
        assert hit is not None and (hit.kind, hit.target) == (
            "exact",
            "欢迎参加 Synfig Studio 动画软件培训课程",
        )
    # the next translation of the English file comes entirely from memory, no model needed
    t = subs_translate(ctx, SubsTranslateIn(path=en, to="zh", memory=mem, fix=False))
    assert (t.from_memory_exact, t.left, t.llm_requests) == (52, 0, 0)
    assert (
        load(t.aligned).subs[2].plaintext.replace("\n", "")
        == "本课我们学习 Synfig 的界面和基本概念"
    )


def test_csv_round_trip(tmp_path: Path) -> None:
    zh, en = _pair(tmp_path)
    sheet = tmp_path / "review.csv"
    ctx = Context.for_testing(tmp_path)
    subs_review(ctx, SubsReviewIn(path=zh, source=en, export=sheet))
    text = sheet.read_text(encoding="utf-8-sig").replace("那，我们开始了。", "好，我们开始吧。")
    sheet.write_text(text, encoding="utf-8-sig")
    out = subs_review(ctx, SubsReviewIn(path=zh, apply=sheet, memory=tmp_path / "tm.sqlite"))
    assert out.edited == 1
    assert load(out.output).subs[3].plaintext == "好，我们开始吧。"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("cue,translation\n99,你好\n", "cue 99 does not exist"),
        ("cue,translation\n1,你好\n1,再见\n", "cue 1 appears twice"),
        ("cue,translation\n1,\n", "the translation of cue 1 is empty"),
        ("id,text\n1,你好\n", "no 'cue' and 'translation' columns"),
    ],
)
def test_bad_sheets_refused_nothing_written(tmp_path: Path, rows: str, message: str) -> None:
    zh, _ = _pair(tmp_path)
    sheet = tmp_path / "r.csv"
    sheet.write_text(rows, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        subs_review(Context.for_testing(tmp_path), SubsReviewIn(path=zh, apply=sheet))
    assert not (tmp_path / "synfig-01.zh.reviewed.srt").exists()


def test_export_or_apply_required(tmp_path: Path) -> None:
    zh, _ = _pair(tmp_path)
    with pytest.raises(UserError, match="--export review.xlsx"):
        subs_review(Context.for_testing(tmp_path), SubsReviewIn(path=zh))


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from subs_helpers import write_srt

    zh = write_srt(
        tmp_path / "a.srt",
        [
            ("00:00:01,000", "00:00:03,000", "=SUM(1,2) 不是公式"),
            ("00:00:04,000", "00:00:06,000", "- 你好\n- 再见"),
        ],
    )
    sheet = tmp_path / "r.xlsx"
    ctx = Context.for_testing(tmp_path)
    subs_review(ctx, SubsReviewIn(path=zh, export=sheet, lang="zh"))
    ws = load_workbook(sheet)["review"]
    assert (ws["E2"].value, ws["E2"].data_type) == ("=SUM(1,2) 不是公式", "s")
    out = subs_review(ctx, SubsReviewIn(path=zh, apply=sheet, lang="zh"))
    assert out.edited == 0
    assert [e.text for e in load(out.output).subs] == ["=SUM(1,2) 不是公式", "- 你好\\N- 再见"]
