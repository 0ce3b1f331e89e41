"""Video and image summaries in one language per run (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from onelegion.core.lang import set_language
from onelegion.skills.image.models import ImageGenOut
from onelegion.skills.video.models import SceneOut, VideoCoverOut, VideoMakeOut


@pytest.fixture
def lang() -> Iterator[None]:
    yield
    set_language(None)


def _render(obj: object) -> str:
    c = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    c.print(obj)
    return c.export_text()


def _outs() -> list[object]:
    scene = SceneOut(
        index=1,
        name="开场",
        visual="colour",
        narration="大家好",
        voice="silent",
        duration_s=2.0,
        captions=1,
    )
    return [
        VideoCoverOut(
            output=Path("cover.png"),
            width=1080,
            height=1920,
            lines=["三分钟"],
            font_size=96,
            font="Noto",
        ),
        VideoMakeOut(
            output=Path("out.mp4"),
            width=1080,
            height=1920,
            duration_s=2.0,
            scenes=[scene],
            voice="silent",
            font="Noto",
            seconds_to_render=1.5,
        ),
        ImageGenOut(files=[Path("pic.png")], model="m", endpoint="http://127.0.0.1:1"),
    ]


def test_english(lang: None) -> None:
    set_language("en")
    text = "\n".join(_render(o) for o in _outs())
    for word in ("◇ Cover cover.png", "◇ Video out.mp4", "rendered in 1.5 s", "scene", "◇ Image"):
        assert word in text
    for word in ("封面", "视频", "渲染", "场景", "图片"):
        assert word not in text


def test_chinese(lang: None) -> None:
    set_language("zh")
    text = "\n".join(_render(o) for o in _outs())
    for word in ("◇ 封面 cover.png", "◇ 视频 out.mp4", "渲染用时 1.5 秒", "场景", "◇ 图片"):
        assert word in text
    for word in ("Cover", "Video", "rendered", "scene", "Image"):
        assert word not in text
