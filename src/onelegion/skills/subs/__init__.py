"""Subtitles: check, fix, convert, retime, translate, review and burn in. 字幕


- ``subs.check``     every professional rule broken, per cue (line length, reading speed, gaps…)
- ``subs.fix``       automatic fixes (re-break, split, merge, extend, close gaps, punctuation)
- ``subs.convert``   SRT, ASS/SSA, WebVTT, MicroDVD, TTML… (styles and tags kept)
- ``subs.shift``     move every cue by an offset, or convert between frame rates
- ``subs.translate`` LLM translation without drift, translation memory, glossary, bilingual output
- ``subs.review``    the human pass in Excel/CSV; edits are remembered in translation memory
- ``subs.burn``      hard subtitles with ffmpeg + libass and a CJK font (extra ``burn``)

Only pydantic and the core are imported here; the work happens in ``service.py`` and its siblings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.subs.models import (
    SubsBurnIn,
    SubsBurnOut,
    SubsCheckIn,
    SubsCheckOut,
    SubsConvertIn,
    SubsConvertOut,
    SubsFixIn,
    SubsFixOut,
    SubsReviewIn,
    SubsReviewOut,
    SubsShiftIn,
    SubsShiftOut,
    SubsTranslateIn,
    SubsTranslateOut,
)

_SAMPLES = Path(__file__).parent / "samples"


def _demo_fix(demo_dir: Path) -> dict[str, Any]:
    """Copy the bundled Chinese lesson subtitles into the demo folder; the fixed file goes beside."""
    import shutil

    shutil.copyfile(_SAMPLES / "lesson.zh.srt", demo_dir / "lesson.zh.srt")
    return {"path": str(demo_dir / "lesson.zh.srt"), "lang": "zh"}


@skill(
    "subs.check",
    title="Check subtitles",
    summary="List every professional subtitle rule a file breaks (line length, reading speed, duration, gaps, overlaps, line breaks, punctuation), per cue.",
    version="1",
    examples=(
        "legion subs check film.zh.srt --lang zh",
        "legion subs check film.en.srt --fps 25 --report check.html",
    ),
)
def subs_check(ctx: Context, params: SubsCheckIn) -> SubsCheckOut:
    """Reads the file (encoding and format detected) and checks each cue against the rules of its
    language (Netflix Timed Text Style Guide limits: 16 characters a line for Chinese, 42 for English,
    2 lines, 9 or 20 characters a second, 5/6 s to 7 s on screen, 2-frame gaps). Writes issues.csv
    and report.html. Changes nothing."""
    from onelegion.skills.subs.service import run_check

    return run_check(ctx, params)


@skill(
    "subs.fix",
    title="Fix subtitles",
    summary="Fix what rules can fix: re-break and split long lines, merge too-short cues, extend cues for reading speed, close gaps, remove overlaps, normalise punctuation; lists what is left.",
    version="1",
    examples=(
        "legion subs fix film.zh.srt -o fixed.srt",
        "legion subs fix film.en.ass --lang en --fps 25",
    ),
    demo=_demo_fix,
    demo_order=30,
)
def subs_fix(ctx: Context, params: SubsFixIn) -> SubsFixOut:
    """An end moves only into the gap that follows it; a start moves only where a cue is split, or up
    to 1 s earlier into silence when a cue cannot be read otherwise; text changes only in line
    breaks and punctuation. Writes the fixed file, changes.csv,
    remaining.csv and a before/after report. The input is never modified."""
    from onelegion.skills.subs.service import run_fix

    return run_fix(ctx, params)


@skill(
    "subs.convert",
    title="Convert subtitles",
    summary="Convert between SRT, ASS/SSA, WebVTT, MicroDVD, TTML and JSON (the output extension picks the format).",
    version="1",
    examples=(
        "legion subs convert film.ass -o film.srt",
        "legion subs convert film.srt -o film.sub --fps 25",
    ),
)
def subs_convert(ctx: Context, params: SubsConvertIn) -> SubsConvertOut:
    """Reads any format pysubs2 knows (encoding detected: UTF-8 with or without BOM, GBK/GB18030,
    Big5, UTF-16) and writes UTF-8 in the target format. Styles survive between ASS/SSA files."""
    from onelegion.skills.subs.service import run_convert

    return run_convert(ctx, params)


@skill(
    "subs.shift",
    title="Retime subtitles",
    summary="Move every cue by an offset (+1.5s, -500ms) and/or convert between frame rates (23.976:25).",
    version="1",
    examples=(
        "legion subs shift film.srt +1.5s",
        "legion subs shift film.srt --fps 23.976:25 -o pal.srt",
    ),
)
def subs_shift(ctx: Context, params: SubsShiftIn) -> SubsShiftOut:
    """A negative offset that would push a cue before 00:00:00 is refused; a cue that merely starts
    before it is clipped to 0 and counted."""
    from onelegion.skills.subs.service import run_shift

    return run_shift(ctx, params)


@skill(
    "subs.translate",
    title="Translate subtitles",
    summary="Translate cue by cue with the configured LLM (ids and times never drift), reusing translation memory and a glossary; bilingual output; checked and fixed after.",
    version="1",
    cacheable=False,  # reads the translation memory, which reviews change between runs
    examples=(
        "legion subs translate film.en.srt --to zh",
        "legion subs translate film.en.srt --to zh --glossary terms.csv --bilingual -o film.zh-en.ass",
    ),
    llm_calls=10,
)
def subs_translate(ctx: Context, params: SubsTranslateIn) -> SubsTranslateOut:
    """Batches of cues go to the model with their ids, a few neighbouring cues as context, the
    glossary terms they contain and your style notes. The answer must come back with exactly the same
    ids and an echo of each source (validated: from a broken or drifting answer only the cues that
    are certainly right are kept, the rest is asked again together, then one by one), so the cue
    count and every time stay as they were; requests stay within twice a clean run's, and cues the
    model never answers cleanly are flagged for review in the source language. Exact and fuzzy matches from reviewed work in the
    translation memory are reused first and marked as such in translation.csv. Without an LLM, only
    the memory fills cues and the rest is listed. LLM calls are recorded, cached and budgeted."""
    from onelegion.skills.subs.translate import run_translate

    return run_translate(ctx, params)


@skill(
    "subs.review",
    title="Review subtitles in Excel",
    summary="The human pass: --export a review sheet (xlsx/csv: source, translation, problems per cue), edit it, --apply it back; edits go into translation memory.",
    version="1",
    cacheable=False,  # --apply writes translation memory
    examples=(
        "legion subs review film.zh.srt --source film.en.srt --export review.xlsx",
        "legion subs review film.zh.srt --import review.xlsx -o film.zh.reviewed.srt",
    ),
)
def subs_review(ctx: Context, params: SubsReviewIn) -> SubsReviewOut:
    """--export writes one row per cue (number, times, source, translation, longest line, reading
    speed, rules broken; problem rows highlighted). Edit only the translation column. --apply writes
    a new subtitle file with the edited text (times and styles kept) and stores every reviewed
    source/translation pair in translation memory, which `subs translate` reuses."""
    from onelegion.skills.subs.review import run_review

    return run_review(ctx, params)


@skill(
    "subs.burn",
    title="Burn subtitles into a video",
    summary="Hard subtitles with ffmpeg + libass and a CJK font, offline; horizontal and vertical layouts.",
    version="1",
    examples=(
        "legion subs burn film.mp4 film.zh.srt -o out.mp4",
        "legion subs burn short.mp4 short.zh.srt --position top --font-size 48",
    ),
)
def subs_burn(ctx: Context, params: SubsBurnIn) -> SubsBurnOut:
    """Renders the subtitles with libass (sized to the video: 5.5% of the height, or of the width for
    vertical video, which also gets a larger bottom margin), re-encodes the picture with x264 and
    copies the audio. Needs the `burn` extra (imageio-ffmpeg's ffmpeg has libass; noto-cjk-sans-otc
    gives a CJK font) unless the machine has both."""
    from onelegion.skills.subs.burn import run_burn

    return run_burn(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [
    subs_check,
    subs_fix,
    subs_convert,
    subs_shift,
    subs_translate,
    subs_review,
    subs_burn,
]
