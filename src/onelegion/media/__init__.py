"""Media tools shared by the skills that make or change video: ffmpeg and CJK font discovery,
probing, and running ffmpeg with progress. Used by ``subs`` (burn-in) and ``video``.

Imports only the core; a layer beside ``reports`` (skills use it, it uses no skill).
"""

from onelegion.media.ffmpeg import (
    EXTRA_HINT,
    Font,
    Probe,
    filter_path,
    find_ffmpeg,
    find_font,
    font_file,
    probe,
    run_ffmpeg,
)

__all__ = [
    "EXTRA_HINT",
    "Font",
    "Probe",
    "filter_path",
    "find_ffmpeg",
    "find_font",
    "font_file",
    "probe",
    "run_ffmpeg",
]
