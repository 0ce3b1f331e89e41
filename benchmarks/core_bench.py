"""Core benchmarks: CLI start-up, per-run overhead, `runs list` over 10,000 runs.

    python benchmarks/core_bench.py            # prints a markdown table, writes RESULTS-core.md

Each figure is the median of several repetitions, with a baseline measured in the same run:
- start-up: `legion --help` / `legion --version` vs `python -c pass` (interpreter alone)
- per-run overhead: `util.echo` through the runner (validate, record, events, execute, result)
  vs calling the skill function directly
- `runs list`: the store query and the whole CLI command with 10,000 runs recorded
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent


def timed(cmd: list[str], env: dict[str, str], n: int) -> float:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def main() -> None:
    from onelegion.core.executors import InlineExecutor
    from onelegion.core.runtime import Runtime
    from onelegion.skills.util import EchoIn, echo

    home = Path(tempfile.mkdtemp(prefix="legion-bench-"))
    env = {**os.environ, "LEGION_HOME": str(home)}
    rows: list[tuple[str, str, str, str, str]] = []

    base = timed([sys.executable, "-c", "pass"], env, 15)
    help_t = timed([sys.executable, "-m", "onelegion", "--help"], env, 15)
    ver_t = timed([sys.executable, "-m", "onelegion", "--version"], env, 15)
    rows.append(
        (
            "`legion --help` start-up",
            f"{help_t * 1000:.0f} ms",
            "< 500 ms",
            f"python -c pass: {base * 1000:.0f} ms",
            f"{help_t / base:.1f}x",
        )
    )
    rows.append(
        (
            "`legion --version` start-up",
            f"{ver_t * 1000:.0f} ms",
            "< 500 ms",
            f"python -c pass: {base * 1000:.0f} ms",
            f"{ver_t / base:.1f}x",
        )
    )

    rt = Runtime.open(home, executor=InlineExecutor())
    for _ in range(20):
        rt.runner.run("util.echo", {"message": "warm"}, refresh=True)
    per_run = []
    for i in range(300):
        t0 = time.perf_counter()
        rt.runner.run("util.echo", {"message": f"m{i}"})
        per_run.append(time.perf_counter() - t0)
    direct = []
    ctx_params = EchoIn(message="x")
    for _ in range(300):
        t0 = time.perf_counter()
        echo.fn(None, ctx_params)  # type: ignore[arg-type]
        direct.append(time.perf_counter() - t0)
    run_ms = statistics.median(per_run) * 1000
    direct_ms = statistics.median(direct) * 1000
    rows.append(
        (
            "per-run overhead, no-op skill (inline executor)",
            f"{run_ms:.2f} ms",
            "< 50 ms",
            f"direct call: {direct_ms * 1000:.1f} µs",
            f"+{run_ms - direct_ms:.2f} ms",
        )
    )

    hits = []
    for _ in range(100):
        t0 = time.perf_counter()
        rt.runner.run("util.echo", {"message": "m1"})
        hits.append(time.perf_counter() - t0)
    rows.append(
        (
            "repeat run answered from cache",
            f"{statistics.median(hits) * 1000:.2f} ms",
            "instant",
            "",
            "",
        )
    )

    # fill to 10,000 runs
    store = rt.store
    existing = store.count_runs()
    t0 = time.perf_counter()
    with store._tx() as db:  # bulk insert for set-up speed; same columns the runner writes
        now = time.time()
        db.executemany(
            "INSERT INTO runs (id, skill, version, params, cache_key, status, surface, created_at,"
            " started_at, finished_at, duration_ms, output) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    f"bench-{i:06d}",
                    "util.echo",
                    "1",
                    '{"message": "x"}',
                    None,
                    "succeeded",
                    "cli",
                    now - i,
                    now - i,
                    now - i + 0.001,
                    1.0,
                    '{"message": "x"}',
                )
                for i in range(10_000 - existing)
            ],
        )
    fill = time.perf_counter() - t0
    assert store.count_runs() == 10_000
    q = []
    for _ in range(50):
        t0 = time.perf_counter()
        store.list_runs(limit=20)
        q.append(time.perf_counter() - t0)
    count_q = []
    for _ in range(20):
        t0 = time.perf_counter()
        store.count_runs()
        count_q.append(time.perf_counter() - t0)
    rt.close()
    cli_list = timed([sys.executable, "-m", "onelegion", "runs", "list"], env, 10)
    one_home = Path(tempfile.mkdtemp(prefix="legion-bench-one-"))
    one_env = {**os.environ, "LEGION_HOME": str(one_home)}
    subprocess.run(
        [sys.executable, "-m", "onelegion", "util", "echo"],
        env=one_env,
        check=True,
        capture_output=True,
    )
    cli_list_one = timed([sys.executable, "-m", "onelegion", "runs", "list"], one_env, 10)
    rows.append(
        (
            "`runs list` store query, 10,000 runs",
            f"{statistics.median(q) * 1000:.2f} ms",
            "< 200 ms",
            f"count(*): {statistics.median(count_q) * 1000:.2f} ms",
            "",
        )
    )
    rows.append(
        (
            "`legion runs list` whole command, 10,000 runs",
            f"{cli_list * 1000:.0f} ms",
            "< 200 ms (query)",
            f"same command, 1 run in the store: {cli_list_one * 1000:.0f} ms",
            f"{cli_list / cli_list_one:.2f}x",
        )
    )

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Core benchmarks",
        "",
        f"Machine: {machine()}  ",
        f"Date: {date}  ",
        "Command: `python benchmarks/core_bench.py` (medians; baselines measured in the same run)",
        "",
        "| what | median | target | baseline (same run) | ratio |",
        "|---|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows],
        "",
        f"(set-up: 10,000 runs bulk-inserted in {fill * 1000:.0f} ms)",
        "",
    ]
    text = "\n".join(lines)
    (HERE / "RESULTS-core.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
