"""Helpers for the subtitle tests."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "subs"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    dst = tmp_path / name
    shutil.copyfile(FIXTURES / name, dst)
    return dst


def write_srt(path: Path, cues: list[tuple[str, str, str]], encoding: str = "utf-8") -> Path:
    """cues: (start, end, text) with times 'HH:MM:SS,mmm'."""
    blocks = [f"{i}\n{a} --> {b}\n{t}\n" for i, (a, b, t) in enumerate(cues, 1)]
    path.write_bytes("\n".join(blocks).encode(encoding))
    return path
