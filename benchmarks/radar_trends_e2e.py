"""`legion radar trends` / `digest` end to end, as a user runs them (issue 9: any window of three
months of Weibo + Zhihu history in 2 s or less).

    python benchmarks/radar_trends_e2e.py [--runs 5] [--baseline REV] [--data DIR] [--home DIR]

The real Jan–Mar 2024 Weibo + Zhihu archives (../shared/data/radar, justjavac layout) are imported
with `legion radar import` into a fresh LEGION_HOME (or ``--home``, reused when it already holds
them), then each command below runs as a new process (start-up, store, analysis, rendering,
the run's record), ``--runs`` times. With ``--baseline REV`` the same commands run, interleaved
run by run so both see the same machine load, with the code of REV (its ``src`` taken with
`git archive` and put first on PYTHONPATH): the table gives both medians and their ratio.
The first call after the import is timed separately (since 2026-12-01 the import tokenises what it stored; before, this first call did).
``--nice N`` runs each timed command at that niceness (negative needs root): on a machine shared
with other jobs, the nearest thing to an idle machine a benchmark can get; the output says so.
CPU is user + system time of the process (DuckDB's threads included).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEGION = [sys.executable, "-m", "onelegion"]
NICE = [0]
COMMANDS = [
    ("trends", "whole three months", ["--since", "2024-01-01", "--until", "2024-04-01"]),
    ("trends", "three months, history before", ["--since", "2024-01-15", "--until", "2024-04-15"]),
    ("trends", "90d up to the latest snapshot", ["--since", "90d"]),
    ("trends", "7d", ["--since", "7d", "--until", "2024-03-31"]),
    ("digest", "whole three months", ["--since", "2024-01-01", "--until", "2024-04-01"]),
    ("digest", "three months, history before", ["--since", "2024-01-15", "--until", "2024-04-15"]),
    ("digest", "24h", ["--since", "24h", "--until", "2024-03-31"]),
]


def _renice() -> None:
    if NICE[0]:
        os.nice(NICE[0])


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one command in a new process; fails loudly on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [*LEGION, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        preexec_fn=_renice,  # only os.nice, before exec
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def baseline_src(rev: str, into: Path) -> Path:
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline", help="a git revision to compare with, in the same run")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "radar")
    ap.add_argument("--home", type=Path, help="LEGION_HOME to use (kept; imported into once)")
    ap.add_argument("--nice", type=int, default=0)
    args = ap.parse_args()
    NICE[0] = args.nice
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp) / "home"
        env = {**os.environ, "LEGION_HOME": str(home), "COLUMNS": "100"}
        env.pop("PYTHONPATH", None)
        envs = {"new": env}
        if args.baseline:
            src = baseline_src(args.baseline, Path(tmp) / "baseline")
            envs["baseline"] = {**env, "PYTHONPATH": str(src)}
        store = home / "radar" / "history.duckdb"
        if not store.exists():
            for name in ("weibo", "zhihu"):
                wall, _ = run(["radar", "import", str(args.data / name), "--source", name], env)
                print(f"import {name}: {wall:.1f} s")
            first, _ = run(
                ["radar", "trends", "--since", "2024-01-01", "--until", "2024-04-01"], env
            )
            print(f"first trends after the import (the import tokenised the titles): {first:.2f} s")
        loads = [os.getloadavg()[0]]
        print(
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
            f"{args.runs} runs each"
            + (f", each command at niceness {args.nice}" if args.nice else "")
        )
        head = "| command | window | wall median (runs) | CPU median |"
        sep = "|---|---|---|---:|"
        if args.baseline:
            head += f" baseline {args.baseline}: wall median | CPU median | wall new / baseline |"
            sep += "---:|---:|---:|"
        print(head)
        print(sep)
        for cmd, label, extra in COMMANDS:
            argv = ["radar", cmd, *extra]
            for e in envs.values():  # warm: the OS file cache, and .pyc of each version
                run(argv, e)
            res: dict[str, list[tuple[float, float]]] = {k: [] for k in envs}
            for _ in range(args.runs):
                for k, e in envs.items():
                    res[k].append(run(argv, e))
                loads.append(os.getloadavg()[0])
            wall = [w for w, _ in res["new"]]
            cpu = statistics.median(c for _, c in res["new"])
            line = (
                f"| `{cmd} {' '.join(extra)}` | {label} | **{statistics.median(wall):.2f} s** "
                f"({' · '.join(f'{w:.2f}' for w in wall)}) | {cpu:.2f} s |"
            )
            if args.baseline:
                bw = statistics.median(w for w, _ in res["baseline"])
                bc = statistics.median(c for _, c in res["baseline"])
                line += f" {bw:.2f} s | {bc:.2f} s | {statistics.median(wall) / bw:.2f} |"
            print(line, flush=True)
        print(f"load average (1 min) while measuring: {min(loads):.1f}–{max(loads):.1f}")


if __name__ == "__main__":
    main()
