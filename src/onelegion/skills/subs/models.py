"""Input and output models of the subtitle skills (pydantic only at import time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from onelegion.core.lang import tr
from onelegion.core.skill import InputFile, OutputFile

_LANG = "Language rules: zh (zh-Hans), zh-Hant, en, ja, ko, or auto (detected from the text)."
_FPS = "Video frame rate for frame-based rules (gaps) and MicroDVD files."
_ENC = "Text encoding override (default: detected), e.g. gb18030, big5, utf-16."


class IssueRow(BaseModel):
    cue: int = Field(description="Cue number in the file (1-based).")
    start: str = Field(description="Cue start time (HH:MM:SS,mmm).")
    end: str = Field(description="Cue end time.")
    rule: str = Field(description="The rule broken (line_length, cps, min_gap…).")
    detail: str = Field(description="What exactly is wrong.")


class SubsCheckIn(BaseModel):
    path: InputFile = Field(
        description="Subtitle file: SRT, ASS/SSA, WebVTT, MicroDVD, TTML, SAMI."
    )
    lang: str = Field(default="auto", description=_LANG)
    fps: float = Field(default=24.0, gt=0, le=240, description=_FPS)
    encoding: str | None = Field(default=None, description=_ENC)
    report: OutputFile | None = Field(default=None, description="Also write the HTML report here.")


class SubsCheckOut(BaseModel):
    path: Path = Field(description="The file checked.")
    lang: str = Field(description="The language rules applied.")
    encoding: str = Field(description="The text encoding detected.")
    cues: int = Field(description="Cues in the file.")
    cues_with_issues: int = Field(description="Cues breaking at least one rule.")
    share_with_issues: float = Field(description="cues_with_issues / cues.")
    by_rule: dict[str, int] = Field(description="Cues breaking each rule.")
    issues: list[IssueRow] = Field(description="Every rule broken, per cue (first 500).")
    issues_total: int = Field(description="Number of issues in all.")
    report: Path | None = Field(default=None, description="The HTML report.")

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        head = Text.assemble(
            (tr("◇ Checked ", "◇ 已检查 "), "bold"),
            (self.path.name, "bold cyan"),
            f" ({self.lang}, {self.encoding}): ",
            (f"{self.cues_with_issues}", "bold yellow" if self.cues_with_issues else "bold green"),
            tr(
                f" of {self.cues} cues ({self.share_with_issues:.0%}) break a rule",
                f" / {self.cues} 条（{self.share_with_issues:.0%}）有问题",
            ),
        )
        rules = Table(show_header=True, box=None)
        rules.add_column(tr("rule", "规则"))
        rules.add_column(tr("cues", "条数"), justify="right")
        for rule, n in self.by_rule.items():
            if n:
                rules.add_row(rule, str(n))
        parts: list[Any] = [head, rules]
        parts.extend(
            Text(f"  #{i.cue} {i.start} {i.rule}: {i.detail}", style="dim")
            for i in self.issues[:12]
        )
        if self.issues_total > 12:
            parts.append(Text(f"  … {self.issues_total - 12} more in issues.csv", style="dim"))
        if self.report:
            parts.append(
                Text.assemble((tr("Report: ", "报告："), "bold"), (str(self.report), "cyan"))
            )
        return Group(*parts)


class UnfixedRow(BaseModel):
    cue: str = Field(description="Original cue number(s).")
    rule: str = Field(description="The rule still broken.")
    why: str = Field(description="Why fix could not repair it.")


class SubsFixIn(BaseModel):
    path: InputFile = Field(description="Subtitle file to fix (never modified).")
    output: OutputFile | None = Field(
        default=None,
        description="Fixed file (default: <name>.fixed.<ext> beside the input; the extension picks the format).",
    )
    lang: str = Field(default="auto", description=_LANG)
    fps: float = Field(default=24.0, gt=0, le=240, description=_FPS)
    encoding: str | None = Field(default=None, description=_ENC)
    report: OutputFile | None = Field(default=None, description="Also write the HTML report here.")


class SubsFixOut(BaseModel):
    output: Path = Field(description="The fixed subtitle file.")
    lang: str = Field(description="The language rules applied.")
    cues_before: int = Field(description="Cues in the input.")
    cues_after: int = Field(description="Cues in the output (splits add, merges remove).")
    breaking_before: int = Field(description="Cues breaking at least one rule before.")
    breaking_after: int = Field(description="Cues breaking at least one rule after.")
    before: dict[str, int] = Field(description="Cues breaking each rule before.")
    after: dict[str, int] = Field(description="Cues breaking each rule after.")
    changes: int = Field(description="Changes made (listed in changes.csv).")
    unfixed: list[UnfixedRow] = Field(description="What could not be fixed automatically, and why.")
    report: Path | None = Field(default=None, description="The HTML report.")

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        head = Text.assemble(
            (tr("✓ Fixed ", "✓ 已修复 "), "bold green"),
            tr(
                f"({self.lang}): cues breaking a rule {self.breaking_before}/{self.cues_before} → ",
                f"（{self.lang}）：有问题的字幕 {self.breaking_before}/{self.cues_before} → ",
            ),
            (
                f"{self.breaking_after}/{self.cues_after}",
                "bold green" if not self.breaking_after else "bold yellow",
            ),
            tr(f"  ·  {self.changes} changes", f"  ·  {self.changes} 处修改"),
        )
        rules = Table(show_header=True, box=None)
        rules.add_column(tr("rule", "规则"))
        rules.add_column(tr("before", "修复前"), justify="right")
        rules.add_column(tr("after", "修复后"), justify="right")
        for rule, n in self.before.items():
            if n or self.after.get(rule):
                rules.add_row(rule, str(n), str(self.after.get(rule, 0)))
        parts: list[Any] = [head, rules]
        parts.extend(
            Text(
                tr(
                    f"  not fixed #{u.cue} {u.rule}: {u.why}",
                    f"  未修复 #{u.cue} {u.rule}：{u.why}",
                ),
                style="yellow",
            )
            for u in self.unfixed[:10]
        )
        parts.append(Text.assemble((tr("Output: ", "输出："), "bold"), (str(self.output), "cyan")))
        if self.report:
            parts.append(
                Text.assemble((tr("Report: ", "报告："), "bold"), (str(self.report), "cyan"))
            )
        return Group(*parts)


class SubsConvertIn(BaseModel):
    path: InputFile = Field(description="Subtitle file to convert (never modified).")
    output: OutputFile = Field(
        description="Target file; its extension picks the format: .srt .ass .ssa .vtt .sub (MicroDVD) .ttml .json."
    )
    fps: float | None = Field(default=None, gt=0, le=240, description=_FPS + " Needed for .sub.")
    encoding: str | None = Field(default=None, description=_ENC)


class SubsConvertOut(BaseModel):
    output: Path = Field(description="The converted file.")
    source_format: str = Field(description="Format read.")
    target_format: str = Field(description="Format written.")
    encoding: str = Field(description="Encoding detected in the input (output is UTF-8).")
    cues: int = Field(description="Cues written.")


class SubsShiftIn(BaseModel):
    path: InputFile = Field(description="Subtitle file to retime (never modified).")
    by: str | None = Field(
        default=None,
        description="Move every cue by this much: +1.5s, -500ms, -00:00:02,000, 3f (frames at --fps-in). Also the argument after the file (`shift film.srt +1.5s`; a negative one after --: `shift film.srt -- -500ms`).",
        json_schema_extra={"cli_positional": True},
    )
    fps: str | None = Field(
        default=None,
        description="Convert between frame rates, FROM:TO, e.g. 23.976:25 (a PAL speed-up).",
    )
    output: OutputFile | None = Field(
        default=None, description="Retimed file (default: <name>.shifted.<ext> beside the input)."
    )
    encoding: str | None = Field(default=None, description=_ENC)


class SubsShiftOut(BaseModel):
    output: Path = Field(description="The retimed file.")
    cues: int = Field(description="Cues written.")
    shift_ms: int = Field(description="Offset applied, in milliseconds.")
    fps_from: float | None = Field(default=None, description="Frame rate converted from.")
    fps_to: float | None = Field(default=None, description="Frame rate converted to.")
    clipped: int = Field(
        description="Cues whose start was moved up to 00:00:00 (they began before it)."
    )
    first_start: str = Field(description="Start of the first cue after the change.")


class SubsTranslateIn(BaseModel):
    path: InputFile = Field(description="Subtitle file to translate (never modified).")
    to: str = Field(
        description="Target language: zh (Simplified), zh-Hant, en, ja, ko, fr, de, es…"
    )
    source_lang: str = Field(default="auto", description="Source language (default: detected).")
    output: OutputFile | None = Field(
        default=None,
        description="Translated file (default: <name>.<to>.<ext> beside the input; .ass gives styled bilingual output).",
    )
    glossary: InputFile | None = Field(
        default=None, description="CSV of term pairs source,target[,note] the translation must use."
    )
    style: str = Field(default="", description="Style notes for the translator, e.g. 口语化，简洁.")
    bilingual: bool = Field(
        default=False, description="Target over source in each cue (ASS styles, or two-line SRT)."
    )
    memory: OutputFile | None = Field(
        default=None,
        description="Translation memory file (default: workspace/subs/memory.sqlite, shared by all runs).",
    )
    fuzzy: float = Field(
        default=90.0,
        ge=50,
        le=100,
        description="Reuse memory matches at least this similar (100 = exact only).",
    )
    batch_size: int = Field(default=40, ge=1, le=200, description="Cues per LLM request.")
    fix: bool = Field(
        default=True,
        description="Run `subs fix` on the translation (may split or merge cues); the 1:1 version is kept too.",
    )
    fps: float = Field(default=24.0, gt=0, le=240, description=_FPS)
    encoding: str | None = Field(default=None, description=_ENC)


class SubsTranslateOut(BaseModel):
    output: Path = Field(description="The translated subtitles.")
    aligned: Path = Field(
        description="The cue-for-cue translation before fix (same ids and times as the input)."
    )
    source_lang: str = Field(description="Source language.")
    target_lang: str = Field(description="Target language rules applied.")
    cues: int = Field(description="Cues in the input.")
    from_memory_exact: int = Field(description="Cues filled by exact translation-memory matches.")
    from_memory_fuzzy: int = Field(description="Cues filled by fuzzy translation-memory matches.")
    by_llm: int = Field(description="Cues translated by the LLM.")
    left: int = Field(description="Cues left untranslated (kept in the source language).")
    flagged: list[int] = Field(
        default_factory=list,
        description="Cues the model never answered cleanly: kept in the source language, for review.",
    )
    llm_requests: int = Field(
        description="LLM requests made (cache hits and retries included; at most twice a clean run's)."
    )
    rejected_answers: int = Field(
        description="Answers refused for drift (wrong ids, empty or merged lines)."
    )
    ids_and_times_preserved: bool = Field(
        description="The aligned file has exactly the input's cues and times."
    )
    breaking_after: int = Field(description="Cues of the output still breaking a rule.")
    note: str = Field(default="", description="What is left to do, in one line.")


class SubsReviewIn(BaseModel):
    path: InputFile = Field(
        description="The translated subtitle file under review (never modified)."
    )
    export: OutputFile | None = Field(
        default=None,
        description="Write the review sheet here: .xlsx (Excel/WPS) or .csv. One row per cue with source, translation, rule problems.",
    )
    apply: InputFile | None = Field(
        default=None,
        description="Read a reviewed sheet back: edited translations replace the cues' text and go into translation memory.",
        json_schema_extra={"cli_aliases": ["--import"]},
    )
    source: InputFile | None = Field(
        default=None,
        description="The source-language subtitles (same cues), shown beside each translation.",
    )
    output: OutputFile | None = Field(
        default=None,
        description="With --apply: the reviewed file (default: <name>.reviewed.<ext> beside the input).",
    )
    memory: OutputFile | None = Field(
        default=None, description="Translation memory file (default: workspace/subs/memory.sqlite)."
    )
    lang: str = Field(default="auto", description=_LANG)
    source_lang: str = Field(
        default="auto", description="Language of --source (default: detected)."
    )
    fps: float = Field(default=24.0, gt=0, le=240, description=_FPS)
    encoding: str | None = Field(default=None, description=_ENC)


class SubsReviewOut(BaseModel):
    mode: str = Field(description="'export' or 'apply'.")
    sheet: Path = Field(description="The review sheet written or read.")
    output: Path | None = Field(
        default=None, description="With --apply: the reviewed subtitle file."
    )
    cues: int = Field(description="Cues in the subtitle file.")
    flagged: int = Field(
        description="Cues breaking a rule (highlighted in the sheet / after applying)."
    )
    edited: int = Field(default=0, description="With --apply: cues whose text the person changed.")
    memory_added: int = Field(
        default=0, description="With --apply: pairs written to translation memory."
    )
    memory: Path | None = Field(default=None, description="The translation memory file used.")


class SubsBurnIn(BaseModel):
    video: InputFile = Field(description="The video (.mp4, .mkv, .mov…); never modified.")
    subtitles: InputFile = Field(description="The subtitles to burn in (any format subs reads).")
    output: OutputFile | None = Field(
        default=None, description="The new video (default: <video>.subs.<ext> beside it)."
    )
    font: str | None = Field(
        default=None,
        description="Font family to render with (default: a CJK font found on the machine, else the packaged Noto Sans CJK).",
    )
    font_size: float | None = Field(
        default=None,
        gt=0,
        le=400,
        description="Font size in video pixels (default: 5.5% of the height, of the width when vertical).",
    )
    position: Literal["bottom", "top"] = Field(
        default="bottom", description="Where the subtitles sit."
    )
    crf: int = Field(
        default=20, ge=0, le=51, description="x264 quality (lower is better and larger)."
    )
    preset: Literal["ultrafast", "veryfast", "fast", "medium", "slow"] = Field(
        default="veryfast", description="x264 speed preset."
    )
    allow_silent: bool = Field(
        default=False, description="Burn into a video that has no audio stream."
    )
    encoding: str | None = Field(default=None, description=_ENC)


class SubsBurnOut(BaseModel):
    output: Path = Field(description="The video with hard subtitles.")
    width: int = Field(description="Video width in pixels.")
    height: int = Field(description="Video height in pixels.")
    layout: str = Field(
        description="horizontal or vertical (taller than wide: larger bottom margin)."
    )
    cues: int = Field(description="Cues rendered.")
    cues_after_end: int = Field(
        default=0,
        description="Cues that start after the video ends (never shown: wrong file or timing?).",
    )
    font: str = Field(description="The font family used and where it came from.")
    ffmpeg: str = Field(description="The ffmpeg executable used.")
