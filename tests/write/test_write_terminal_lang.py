"""`legion write check` speaks one language per run (issue 11: write's terminal texts were
half English, half Chinese whatever --lang said)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _check(tmp_path: Path, lang: str) -> str:
    draft = tmp_path / "draft.md"
    draft.write_text("# 春季防晒\n\n这是最好的防晒霜，100%有效。\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEGION_", "LC_"))}
    env.update({"LEGION_HOME": str(tmp_path / "home"), "COLUMNS": "200", "LANG": "C.UTF-8"})
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "onelegion",
            "write",
            "check",
            str(draft),
            "--platform",
            "douyin",
            "--lang",
            lang,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_write_check_in_english(tmp_path: Path) -> None:
    out = _check(tmp_path, "en")
    assert "◇ Checked draft.md (douyin, " in out
    assert " errors, " in out and " warnings" in out
    assert "line:col" in out and "message" in out
    assert "已检查" not in out and "个错误" not in out and "说明" not in out


def test_write_check_in_chinese(tmp_path: Path) -> None:
    out = _check(tmp_path, "zh")
    assert "◇ 已检查 draft.md（douyin，" in out
    assert "个错误" in out and "个提醒" in out
    assert "行:列" in out and "说明" in out
    assert "Checked" not in out and " errors" not in out and "line:col" not in out
