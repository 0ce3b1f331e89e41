"""Hidden .part files of a killed write are removed at the next start, for the runs found
interrupted, and only theirs (issue 10)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from onelegion.core.runtime import Runtime


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_part_files_of_interrupted_runs_are_removed(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "sales.clean.csv"
    rt = Runtime.open(home)
    params = {"path": str(tmp_path / "sales.csv"), "output": str(target)}
    rt.store.create_run("r1", "clean.table", "1", params, cache_key=None, surface="cli")
    rt.store.start_run("r1")
    rt.close()
    with sqlite3.connect(home / "legion.db") as db:
        db.execute("UPDATE runs SET status='running', pid=? WHERE id='r1'", (_dead_pid(),))
    mine = out / ".sales.clean.csv.k3j2x9.part"
    mine.write_bytes(b"x" * 1000)
    other = out / ".other.csv.a1b2c3.part"  # another run's write in progress: kept
    other.write_bytes(b"y")
    visible = out / "sales.clean.csv.part"  # not a hidden temp file of ours: kept
    visible.write_bytes(b"z")
    rt = Runtime.open(home)
    try:
        assert rt.interrupted == ["r1"]
        assert rt.removed_parts == [mine]
        assert sorted(p.name for p in out.iterdir()) == [
            ".other.csv.a1b2c3.part",
            "sales.clean.csv.part",
        ]
    finally:
        rt.close()
