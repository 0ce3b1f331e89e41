"""docs/cli.md holds `legion --help` and each group's help, exactly as the CLI prints them (in
English, 100 columns). The CLI changed? Run `LEGION_UPDATE_DOCS=1 pytest tests/surfaces/test_cli_docs.py`
and commit the new page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from onelegion.core import plugins

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
HEAD = """# `legion` command reference

Generated from the CLI itself (`legion --lang en ... --help`, 100 columns) and kept in sync by
`tests/surfaces/test_cli_docs.py`. Every skill command also has its own `--help`, with examples;
`legion --lang zh --help` prints the same in Chinese.
"""


def _help(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "100", "LEGION_LANGUAGE": "en"}
    env.pop("LEGION_HOME", None)
    out = subprocess.run(
        [sys.executable, "-m", "onelegion", "--lang", "en", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return out.stdout.rstrip() + "\n"


def render() -> str:
    groups = ["skills", "runs", "config", *(ep.name for ep in plugins.entries(plugins.SKILLS))]
    parts = [HEAD, "## legion\n\n```text\n" + _help() + "```\n"]
    parts += [f"## legion {g}\n\n```text\n" + _help(g) + "```\n" for g in groups]
    return "\n".join(parts)


def test_cli_reference_is_current() -> None:
    text = render()
    if os.environ.get("LEGION_UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/cli.md is stale: LEGION_UPDATE_DOCS=1 pytest tests/surfaces/test_cli_docs.py"
    )
