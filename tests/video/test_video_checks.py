"""`legion doctor` checks of the studio: local look-ups only, each with a fix when not ok."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.config import Settings
from onelegion.core.http import HttpFactory
from onelegion.core.lang import set_language
from onelegion.skills.subs.checks import checks as subs_checks
from onelegion.skills.video.checks import checks


def test_checks_name_what_works_and_how_to_fix_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = Settings.load(tmp_path)
    set_language("en")
    got = {c.name: c for c in checks(s, HttpFactory(s.http), True)}
    assert list(got) == ["Narration", "Video provider", "Image provider"]  # ffmpeg, font: subs
    assert got["Video provider"].status == "skip" and "video.clip_url" in got["Video provider"].fix
    media = {c.name: c for c in subs_checks(s, HttpFactory(s.http), True)}
    assert list(media) == ["ffmpeg", "CJK font"]
    assert media["ffmpeg"].status == "ok" and media["CJK font"].status == "ok"  # the test extra
    assert got["Image provider"].status == "skip" and "image.url" in got["Image provider"].fix
    monkeypatch.setattr("onelegion.skills.video.tts.shutil.which", lambda name: None)
    narration = {c.name: c for c in checks(s, HttpFactory(s.http), True)}["Narration"]
    assert narration.status == "warn" and "espeak-ng" in narration.fix
    (tmp_path / "legion.toml").write_text(
        '[video]\ntts_url = "http://127.0.0.1:9/v1"\nclip_url = "http://127.0.0.1:8/v1"\n',
        encoding="utf-8",
    )
    s2 = Settings.load(tmp_path)
    got2 = {c.name: c for c in checks(s2, HttpFactory(s2.http), True)}
    assert got2["Narration"].status == "ok" and "127.0.0.1:9" in got2["Narration"].detail
    assert got2["Video provider"].status == "ok" and "127.0.0.1:8" in got2["Video provider"].detail
    set_language(None)
