"""Reading and writing: formats, encodings, bad input, atomic writes, tags and styles kept."""

from __future__ import annotations

import codecs
from pathlib import Path

import pysubs2
import pytest
from subs_helpers import write_srt

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.subs import subs_convert, subs_shift
from onelegion.skills.subs.formats import load, plain_lines, save
from onelegion.skills.subs.models import SubsConvertIn, SubsShiftIn
from onelegion.skills.subs.service import parse_offset

CUES = [
    ("00:00:01,000", "00:00:03,000", "欢迎参加 Synfig 课程"),
    ("00:00:04,000", "00:00:06,500", "第二行字幕"),
]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("big5", "big5hkscs"),  # the superset Clean's detection names
        ("utf-16", "utf-16"),
    ],
)
def test_encodings_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    trad = {"欢迎参加 Synfig 课程": "歡迎參加 Synfig 課程"}
    cues = [(a, b, trad.get(t, t) if encoding == "big5" else t) for a, b, t in CUES]
    p = write_srt(tmp_path / "a.srt", cues * 3, encoding=encoding)
    loaded = load(p)
    assert loaded.encoding == expected
    assert [e.plaintext for e in loaded.subs][:2] == [cues[0][2], "第二行字幕"]
    assert loaded.bom == (encoding in ("utf-8-sig", "utf-16"))


@pytest.mark.parametrize("ext", [".srt", ".ass", ".ssa", ".vtt", ".sub", ".ttml", ".json"])
def test_every_format_round_trips(tmp_path: Path, ext: str) -> None:
    src = write_srt(tmp_path / "a.srt", CUES)
    out = tmp_path / f"b{ext}"
    save(load(src).subs, out, fps=25.0)
    back = load(out, fps=25.0)
    assert [e.plaintext for e in back.subs] == [t for _, _, t in CUES]
    starts = [e.start for e in back.subs]
    if ext == ".sub":  # frame-based: 1 frame at 25 fps is 40 ms
        assert starts == [1000, 4000]
    else:
        assert starts == [1000, 4000] and [e.end for e in back.subs] == [3000, 6500]


def test_ass_styles_positions_and_tags_survive_convert_and_fix(tmp_path: Path) -> None:
    subs = pysubs2.SSAFile()
    subs.styles["Sign"] = pysubs2.SSAStyle(
        fontname="Noto Sans CJK SC", fontsize=40, alignment=pysubs2.Alignment.TOP_CENTER
    )
    subs.events.append(
        pysubs2.SSAEvent(start=0, end=2000, text=r"{\an8\pos(320,40)}招牌", style="Sign")
    )
    subs.events.append(
        pysubs2.SSAEvent(
            start=3000, end=8000, text=r"这是{\i1}一条{\i0}非常非常长的字幕需要重新断行才能放得下"
        )
    )
    src = tmp_path / "a.ass"
    subs.save(str(src))
    out = tmp_path / "b.ass"
    r = subs_convert(Context.for_testing(tmp_path), SubsConvertIn(path=src, output=out))
    back = pysubs2.load(str(out))
    assert r.cues == 2 and back.styles["Sign"].fontname == "Noto Sans CJK SC"
    assert back.events[0].text == r"{\an8\pos(320,40)}招牌" and back.events[0].style == "Sign"
    from onelegion.skills.subs.fix import fix
    from onelegion.skills.subs.rules import resolve_lang

    fixed, _ = fix(back, resolve_lang("zh"))
    assert fixed.events[0].text == r"{\an8\pos(320,40)}招牌"
    assert fixed.events[1].text == r"这是{\i1}一条{\i0}非常非常长的字幕\N需要重新断行才能放得下"
    assert fixed.styles["Sign"].fontsize == 40


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"just some notes\nnot subtitles at all\n", "not a subtitle file"),
        (b"1\n00:00:05,000 --> 00:00:02,000\nbackwards\n", "ends (00:00:02,000) before it starts"),
        (
            b"1\n00:00:01,000 --> 00:00:02,000\n" + b"\n".join(b"line" for _ in range(20)) + b"\n",
            "has 20 lines",
        ),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (
            b"[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, "
            b"Name, MarginL, MarginR, MarginV, Effect, Text\n"
            b"Dialogue: 0,-0:00:01.00,0:00:02.00,Default,,0,0,0,,hello\n",
            "cue 1 has a negative timestamp",
        ),
    ],
)
def test_bad_input_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / ("bad.ass" if content.startswith(b"[Script") else "bad.srt")
    p.write_bytes(content)
    with pytest.raises(UserError) as e:
        load(p)
    assert message in e.value.one_line() and "\n" not in e.value.one_line()
    assert p.read_bytes() == content


def test_microdvd_needs_fps(tmp_path: Path) -> None:
    p = tmp_path / "a.sub"
    p.write_text("{25}{50}Hello\n{75}{100}World\n", encoding="utf-8")
    with pytest.raises(UserError, match="frame rate"):
        load(p)
    assert [e.start for e in load(p, fps=25).subs] == [1000, 3000]


def test_convert_refuses_to_overwrite_input_and_unknown_extension(tmp_path: Path) -> None:
    src = write_srt(tmp_path / "a.srt", CUES)
    before = src.read_bytes()
    ctx = Context.for_testing(tmp_path)
    with pytest.raises(UserError, match="inputs are never overwritten"):
        subs_convert(ctx, SubsConvertIn(path=src, output=src))
    with pytest.raises(UserError, match=r"cannot write subtitles as \.docx"):
        subs_convert(ctx, SubsConvertIn(path=src, output=tmp_path / "a.docx"))
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["a.srt"]


def test_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_srt(tmp_path / "a.srt", CUES)
    out = tmp_path / "out.srt"
    out.write_text("old", encoding="utf-8")

    def boom(*a: object, **k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("onelegion.skills.subs.formats.os.replace", boom)
    with pytest.raises(OSError):
        save(load(src).subs, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.srt", "out.srt"]  # no .part left


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("+1.5s", 1500),
        ("-500ms", -500),
        ("2", 2000),
        ("-00:00:02,250", -2250),
        ("01:02:03.4", 3723400),
        ("1m", 60000),
    ],
)
def test_parse_offset(text: str, ms: int) -> None:
    assert parse_offset(text) == ms


def test_shift_by_offset_and_frame_rate(tmp_path: Path) -> None:
    src = write_srt(tmp_path / "a.srt", CUES)
    ctx = Context.for_testing(tmp_path)
    r = subs_shift(ctx, SubsShiftIn(path=src, by="+1.5s"))
    assert r.output == tmp_path / "a.shifted.srt" and r.shift_ms == 1500
    assert [(e.start, e.end) for e in load(r.output).subs] == [(2500, 4500), (5500, 8000)]
    r2 = subs_shift(ctx, SubsShiftIn(path=src, fps="25:23.976", output=tmp_path / "ntsc.srt"))
    assert [e.start for e in load(r2.output).subs] == [1043, 4171]
    r3 = subs_shift(ctx, SubsShiftIn(path=src, by="-1.2s", output=tmp_path / "early.srt"))
    assert r3.clipped == 1 and [(e.start, e.end) for e in load(r3.output).subs] == [
        (0, 1800),
        (2800, 5300),
    ]
    with pytest.raises(UserError, match="before 00:00:00"):
        subs_shift(ctx, SubsShiftIn(path=src, by="-10s", output=tmp_path / "x.srt"))
    assert not (tmp_path / "x.srt").exists()
    with pytest.raises(UserError, match="cannot read the offset"):
        subs_shift(ctx, SubsShiftIn(path=src, by="soon"))


def test_plain_lines_strip_tags() -> None:
    assert plain_lines(r"{\an8}第一行\N{\i1}second{\i0}") == ["第一行", "second"]
    assert codecs.lookup("gb18030")
