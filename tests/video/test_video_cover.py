"""video.cover: CJK title inside the safe area for each ratio, over a picture or a gradient."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from video_helpers import mean, solid_png, white_rows

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.video import video_cover
from onelegion.skills.video.models import VideoCoverIn


@pytest.mark.parametrize(
    ("ratio", "size"), [("9:16", (1080, 1920)), ("16:9", (1920, 1080)), ("3:4", (1080, 1440))]
)
def test_title_is_laid_out_in_the_safe_area(
    tmp_path: Path, ratio: str, size: tuple[int, int]
) -> None:
    bg = solid_png(tmp_path / "frame.png", (30, 120, 60), (800, 600))
    before = bg.read_bytes()
    out = video_cover(
        Context.for_testing(tmp_path),
        VideoCoverIn(
            title="三分钟看懂春季防晒：出门前你需要知道的五件事",
            image=bg,
            ratio=ratio,
            subtitle="上班族版",
            output=tmp_path / "c.png",
        ),  # type: ignore[arg-type]
    )
    assert bg.read_bytes() == before
    assert (out.width, out.height) == size and 2 <= len(out.lines) <= 4
    assert "".join(out.lines) == "三分钟看懂春季防晒：出门前你需要知道的五件事"
    assert not any(ln[0] in "，。：！？" for ln in out.lines)
    assert not any(a.endswith("防") for a in out.lines)  # 防晒 is one word
    with Image.open(out.output) as im:
        assert im.size == size
        rgb = im.convert("RGB")
    w, h = size
    rows = white_rows(rgb.resize((w // 4, h // 4)))
    assert rows and min(rows) * 4 > h * 0.10 and max(rows) * 4 < h * 0.80
    r, g, b = mean(rgb, (0, h - 40, 40, h))  # the picture fills the frame
    assert g > r and g > b


def test_gradient_without_picture_and_bad_input(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    out = video_cover(ctx, VideoCoverIn(title="Spring sunscreen in three minutes", ratio="16:9"))
    assert out.output.parent == ctx.run_dir and out.output.name == "cover.png" and out.lines
    bad = tmp_path / "x.png"
    bad.write_text("not a picture", encoding="utf-8")
    with pytest.raises(UserError, match="x.png is not an image"):
        video_cover(ctx, VideoCoverIn(title="标题", image=bad, output=tmp_path / "o.png"))
    with pytest.raises(UserError, match="inputs are never overwritten"):
        video_cover(ctx, VideoCoverIn(title="标题", image=bad, output=bad))
    with pytest.raises(UserError, match="cannot write a cover as .gif"):
        video_cover(ctx, VideoCoverIn(title="标题", output=tmp_path / "c.gif"))
