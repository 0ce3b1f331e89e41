"""The studio's step in `legion demo`: a short video from the bundled stills when ffmpeg (libass)
and a CJK font are here; otherwise a skipped step that says why, and the demo goes on."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.errors import DemoSkipped, UserError
from onelegion.core.skill import skill
from onelegion.media.ffmpeg import probe
from onelegion.skills.video import _demo_make, video_make
from onelegion.skills.video.models import VideoMakeIn


def test_the_demo_makes_a_short_video_from_the_bundled_stills(tmp_path: Path) -> None:
    params = _demo_make(tmp_path)
    out = video_make(Context.for_testing(tmp_path), VideoMakeIn(**params))
    assert out.output == tmp_path / "video" / "demo.mp4"
    assert [s.visual for s in out.scenes] == ["title card", "image", "image", "colour"]
    assert out.transition == "fade" and (out.width, out.height) == (270, 480)
    from onelegion.media.ffmpeg import find_ffmpeg

    pr = probe(find_ffmpeg(), out.output)
    assert pr.has_video and pr.has_audio and abs(pr.duration_s - out.duration_s) < 0.1
    assert out.report is not None and out.report.is_file()


def test_without_ffmpeg_the_demo_step_is_skipped_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ffmpeg(purpose: str = "") -> str:
        raise UserError(f"cannot {purpose}: no ffmpeg found", hint="pip install 'onelegion[burn]'")

    monkeypatch.setattr("onelegion.media.ffmpeg.find_ffmpeg", no_ffmpeg)
    with pytest.raises(DemoSkipped) as e:
        _demo_make(tmp_path)
    assert e.value.one_line() == (
        "video skipped: cannot make the demo video: no ffmpeg found — pip install 'onelegion[burn]'"
    )
    assert not (tmp_path / "video").exists()


class _In(BaseModel):
    pass


def _skip(demo_dir: Path) -> dict[str, object]:
    raise DemoSkipped("video skipped: no ffmpeg found", hint="pip install 'onelegion[burn]'")


@skill("testkit.skipper", title="Skipper", summary="A demo that cannot run here.", demo=_skip)
def _skipper(ctx: Context, params: _In) -> _In:
    return params


def test_legion_demo_reports_a_skipped_step_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from onelegion.surfaces.cli import demo

    monkeypatch.setattr(demo, "registry", lambda: SimpleNamespace(all=lambda: [_skipper]))
    monkeypatch.setattr(demo, "runtime", lambda: SimpleNamespace(workspace=tmp_path))
    assert demo.run_demo(as_json=True) is True
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "skill": "testkit.skipper",
            "run_id": None,
            "status": "skipped",
            "error": "video skipped: no ffmpeg found — pip install 'onelegion[burn]'",
            "artifacts": {},
        }
    ]
