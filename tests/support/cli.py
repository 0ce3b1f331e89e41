"""Run `legion ...` as a person does: a new process, its own LEGION_HOME, English, 120 columns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def legion(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANGUAGE", "LEGION_LANGUAGE")
    }
    env.update({"LEGION_HOME": str(home), "COLUMNS": "120", "LANG": "C.UTF-8"})
    return subprocess.run(
        [sys.executable, "-m", "onelegion", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
