"""Input and output models of the video and image skills (pydantic only at import time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from onelegion.core.lang import tr
from onelegion.core.skill import InputDir, InputFile, OutputFile

Ratio = Literal["9:16", "16:9", "3:4", "1:1"]
Transition = Literal[
    "none",
    "fade",
    "fadeblack",
    "dissolve",
    "wipeleft",
    "wiperight",
    "wipeup",
    "wipedown",
    "slideleft",
    "slideright",
    "slideup",
    "slidedown",
    "circleopen",
    "smoothleft",
]
_FONT = "Font family (default: a CJK font found on the machine, else the packaged Noto Sans CJK)."


class VideoCoverIn(BaseModel):
    title: str = Field(
        min_length=1, max_length=80, description="The title text (Chinese or English)."
    )
    image: InputFile | None = Field(
        default=None, description="Background picture (cropped to fill); default a plain gradient."
    )
    subtitle: str = Field(default="", max_length=60, description="A smaller second line.")
    ratio: Ratio = Field(
        default="9:16", description="9:16 (1080x1920), 16:9 (1920x1080), 3:4, 1:1."
    )
    output: OutputFile | None = Field(
        default=None, description="The PNG/JPEG to write (default: cover.png in the run folder)."
    )
    font: str | None = Field(default=None, description=_FONT)


class VideoCoverOut(BaseModel):
    output: Path = Field(description="The cover image.")
    width: int
    height: int
    lines: list[str] = Field(description="The title as laid out, line by line.")
    font_size: int = Field(description="Title font size in pixels.")
    font: str = Field(description="The font used and where it came from.")

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text.assemble(
            (tr("◇ Cover ", "◇ 封面 "), "bold"),
            (str(self.output), "bold cyan"),
            f"  {self.width}x{self.height}, {' / '.join(self.lines)}",
        )


class SceneOut(BaseModel):
    index: int = Field(description="Scene number (0 = the title card).")
    name: str = Field(description="The scene's heading.")
    visual: str = Field(
        description="clip, generated clip, image (Ken Burns), title card, or colour (no media)."
    )
    media: str | None = Field(default=None, description="The media file used.")
    prompt: str | None = Field(
        default=None, description="The scene's 'generate:' prompt, if it asked for a clip."
    )
    generated_by: str | None = Field(
        default=None,
        description="Model, provider and job of the generated clip (None: given or fallback).",
    )
    narration: str = Field(description="The narration text.")
    voice: str = Field(description="How the narration was voiced: the TTS provider, or silent.")
    duration_s: float = Field(description="Scene length (follows its audio).")
    captions: int = Field(description="Caption lines shown.")
    caption_lines: list[str] = Field(default_factory=list, description="The caption lines.")


class VideoMakeIn(BaseModel):
    script: InputFile = Field(
        description="The script (Markdown): '# title', then one '## scene' section each with its narration and optionally a media line (![](clip.mp4) or 'media: photo.jpg')."
    )
    media: InputDir | None = Field(
        default=None,
        description="Folder the script's media names are looked up in (default: the script's folder).",
    )
    output: OutputFile | None = Field(
        default=None, description="The video (default: <script>.mp4 beside it)."
    )
    ratio: Literal["9:16", "16:9"] = Field(
        default="9:16", description="9:16 vertical or 16:9 horizontal."
    )
    height: int = Field(
        default=1920,
        ge=240,
        le=2160,
        description="Frame height in pixels for 9:16 (width for 16:9 is derived); 1920 = 1080x1920.",
    )
    fps: int = Field(default=30, ge=10, le=60, description="Frames per second.")
    voice: Literal["auto", "openai", "espeak", "none"] = Field(
        default="auto",
        description="Narration: auto (a configured [video] tts_url, else espeak-ng if installed, else silent), openai (an OpenAI-compatible /audio/speech endpoint), espeak (espeak-ng), none (silent, captions only).",
    )
    music: InputFile | None = Field(
        default=None, description="Background music, looped and ducked under the voice."
    )
    music_volume: float = Field(
        default=0.25, ge=0, le=1, description="Music level before ducking (0..1)."
    )
    title_card: bool = Field(
        default=True, description="Open with a title card (the cover) for 2 s."
    )
    captions: bool = Field(default=True, description="Burn the narration in as captions.")
    transition: Transition = Field(
        default="none",
        description="Between scenes (ffmpeg xfade, audio crossfaded): fade, fadeblack, dissolve, wipe…, slide…, circleopen, smoothleft; none = straight cuts (fastest: no re-encode of the whole video).",
    )
    transition_s: float = Field(
        default=0.5, ge=0.1, le=2.0, description="Length of each transition in seconds."
    )
    font: str | None = Field(default=None, description=_FONT)
    preset: Literal["ultrafast", "superfast", "veryfast", "fast", "medium"] = Field(
        default="veryfast", description="x264 speed preset."
    )
    crf: int = Field(
        default=23, ge=0, le=51, description="x264 quality (lower is better and larger)."
    )


class VideoMakeOut(BaseModel):
    output: Path = Field(description="The video.")
    width: int
    height: int
    duration_s: float = Field(description="Length in seconds.")
    scenes: list[SceneOut] = Field(description="Scene by scene: what was shown and said.")
    voice: str = Field(description="The TTS used (or 'silent').")
    transition: str = Field(default="none", description="The transition between scenes.")
    font: str = Field(description="The caption font and where it came from.")
    notes: list[str] = Field(
        default_factory=list, description="What was replaced or skipped, and why."
    )
    seconds_to_render: float = Field(description="Wall time of the assembly.")
    report: Path | None = Field(
        default=None, description="The HTML report: scenes with thumbnails, sources, audio."
    )

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(box=None)
        for c in (
            "#",
            tr("scene", "场景"),
            tr("visual", "画面"),
            tr("voice", "配音"),
            tr("s", "秒"),
            tr("captions", "字幕"),
        ):
            t.add_column(c)
        for s in self.scenes:
            t.add_row(
                str(s.index),
                s.name,
                s.visual + (f" {Path(s.media).name}" if s.media else ""),
                s.voice,
                f"{s.duration_s:.1f}",
                str(s.captions),
            )
        head = Text.assemble(
            (tr("◇ Video ", "◇ 视频 "), "bold"),
            (str(self.output), "bold cyan"),
            tr(
                f"  {self.width}x{self.height}, {self.duration_s:.1f} s, voice: {self.voice}, "
                f"rendered in {self.seconds_to_render:.1f} s",
                f"  {self.width}x{self.height}，{self.duration_s:.1f} 秒，配音：{self.voice}，"
                f"渲染用时 {self.seconds_to_render:.1f} 秒",
            ),
        )
        parts: list[Any] = [head, t]
        parts += [Text(f"⚠ {n}", style="yellow") for n in self.notes]
        return Group(*parts)
