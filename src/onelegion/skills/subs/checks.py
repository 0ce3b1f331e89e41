"""`legion doctor` checks for subtitles and video (registered through ``onelegion.checks``): an
ffmpeg that can burn subtitles (libass) and a font that renders Chinese, as `subs burn` and
`video make` will find them (onelegion.media)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onelegion.core.checks import Check
from onelegion.core.errors import UserError
from onelegion.core.lang import tr

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory


def checks(settings: Settings, http: HttpFactory, offline: bool) -> list[Check]:
    from onelegion.media.ffmpeg import find_ffmpeg, find_font

    out: list[Check] = []
    try:
        exe = find_ffmpeg()
        out.append(
            Check(name="ffmpeg", status="ok", detail=tr(f"{exe} (libass)", f"{exe}（含 libass）"))
        )
    except UserError as e:
        out.append(Check(name="ffmpeg", status="warn", detail=e.message, fix=e.hint or ""))
    try:
        font = find_font(None)
        out.append(
            Check(
                name=tr("CJK font", "中文字体"),
                status="ok",
                detail=f"{font.family} · {font.origin}",
            )
        )
    except UserError as e:
        out.append(
            Check(
                name=tr("CJK font", "中文字体"), status="warn", detail=e.message, fix=e.hint or ""
            )
        )
    return out
