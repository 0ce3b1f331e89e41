"""Video: short videos assembled offline and their covers. 视频

- ``video.make``   a script (Markdown, one section per scene) → an MP4 with narration, captions, music
- ``video.cover``  a cover image with the title laid out in CJK for 9:16, 16:9, 3:4, 1:1

ffmpeg with libass and a CJK font come from the machine or the ``burn`` extra (onelegion.media);
narration from a configured TTS endpoint, espeak-ng, or none (captions only). No network needed;
scenes marked ``generate:`` get clips from a configured video provider (genclip.py), never made up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.video.models import VideoCoverIn, VideoCoverOut, VideoMakeIn, VideoMakeOut

_SAMPLES = Path(__file__).parent / "samples"


def _demo_make(demo_dir: Path) -> dict[str, Any]:
    """A short, small video from the bundled stills, when ffmpeg with libass and a CJK font are
    here; otherwise the demo says it skipped the video and why (no network, no key either way)."""
    import shutil

    from onelegion.core.errors import DemoSkipped, UserError
    from onelegion.core.lang import tr
    from onelegion.media.ffmpeg import find_ffmpeg, font_file
    from onelegion.skills.video.tts import espeak_exe

    try:
        find_ffmpeg("make the demo video")
        font_file(None)
    except UserError as e:
        raise DemoSkipped(tr("video skipped: ", "跳过视频：") + e.message, hint=e.hint) from None
    folder = demo_dir / "video"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("demo.md", "sky.png", "hands.png"):
        shutil.copyfile(_SAMPLES / name, folder / name)
    return {
        "script": str(folder / "demo.md"),
        "output": str(folder / "demo.mp4"),
        "voice": "espeak" if espeak_exe() else "none",  # never a configured online TTS here
        "height": 480,
        "fps": 15,
        "preset": "ultrafast",
        "transition": "fade",
        "transition_s": 0.4,
    }


@skill(
    "video.cover",
    title="Make a cover",
    summary="A cover image: the title laid out in CJK with a stroke inside the safe area, over your picture or a gradient (9:16, 16:9, 3:4, 1:1).",
    version="1",
    examples=(
        'legion video cover --title "三分钟看懂春季防晒" --image frame.png -o cover.png',
        'legion video cover --title "春季防晒清单" --ratio 3:4 --subtitle 上班族版',
    ),
)
def video_cover(ctx: Context, params: VideoCoverIn) -> VideoCoverOut:
    """Breaks lines between words (jieba), never before closing punctuation, and shrinks the text
    until it fits in at most 4 lines. Needs Pillow and a CJK font file (fontconfig or the `burn`
    extra)."""
    from onelegion.skills.video.service import run_cover

    return run_cover(ctx, params)


@skill(
    "video.make",
    title="Make a short video",
    summary="A script (one Markdown section per scene) becomes an MP4: your clips or stills (Ken Burns), narration, burned CJK captions, a title card, music ducked under the voice; offline.",
    version="1",
    examples=(
        "legion video make script.md --media clips/ --ratio 9:16 -o out.mp4",
        "legion video make script.md --voice none --music bgm.mp3 --ratio 16:9 --height 1080",
        "legion video make script.md --transition fade --transition-s 0.6",
    ),
    demo=_demo_make,
    demo_order=70,
)
def video_make(ctx: Context, params: VideoMakeIn) -> VideoMakeOut:
    """Each scene lasts as long as its narration (or its captions' reading time when silent). A
    media file that is missing or unreadable, or a TTS provider that fails, does not stop the video:
    that scene gets a colour field or silence with captions, and the output's notes say so. Needs
    ffmpeg with libass and a CJK font (extra `burn`)."""
    from onelegion.skills.video.make import run_make

    return run_make(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [video_make, video_cover]
