"""`legion radar scan` end to end with the time spent waiting for a CPU taken out: on a machine
shared with other jobs (load average 10–25 on 2 cores while this was written) the wall clock
measures the queue, not the scan. Each scan runs in a new process whose main thread and every
other thread report, when they end, how long they waited runnable for a CPU (Linux
``/proc/thread-self/schedstat``, second field); the scan's critical path is the main thread and
the run's worker thread (``legion-run``), so

    idle estimate = wall − (run-queue wait of the main thread + of the worker thread)

is what the same scan would take with the CPUs to itself (fetch latency, disk and sleeps kept) —
an upper bound, since other threads' waits (the fetch's resolver threads) stay in; the table also
gives wall − every thread's wait (a lower bound where two threads waited at once).
Same loopback sources as radar_scan_e2e.py (recorded responses, 200 ms per response).

    python benchmarks/radar_scan_idle.py [--runs 7] [--baseline-src DIR] [--new-titles]
        [--history DATA]

``--new-titles``: the stored items lose their tokens before each scan, as when a list brings
titles never seen before (the scan tokenises them); ``--history DATA``: the Weibo and Zhihu
archives under DATA imported first (three months, 49,746 rows).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from radar_scan import make_ctx, serve

# Runs inside the scanned process: every thread adds its run-queue wait (ns) at its end.
PROBE = """
import atexit, json, os, sys, threading
waits = {}
def _wait():
    with open('/proc/thread-self/schedstat') as f:
        return int(f.read().split()[1])
_run = threading.Thread.run
def run(self):
    try:
        _run(self)
    finally:
        waits[self.name] = waits.get(self.name, 0) + _wait()
threading.Thread.run = run
def _out():
    waits['MainThread'] = _wait()
    with open(os.environ['SCAN_WAITS'], 'w') as f:
        json.dump(waits, f)
atexit.register(_out)
sys.argv = ['legion', 'radar', 'scan']
from onelegion.surfaces.cli import main
main()
"""


QUEUE_ALL: list[float] = []  # run-queue wait of every thread, per scan (same order as scan calls)


def scan(home: Path, src: Path | None, new_titles: bool = False) -> tuple[float, float, float]:
    """(wall, run-queue wait on the critical path, CPU) of one scan in a new process."""
    if new_titles:
        import duckdb

        con = duckdb.connect(str(home / "radar" / "history.duckdb"))
        con.execute("UPDATE items SET tokens = NULL WHERE last_seen > now() - INTERVAL 2 DAY")
        con.close()
    waits = home.parent / "waits.json"
    env = {**os.environ, "LEGION_HOME": str(home), "SCAN_WAITS": str(waits)}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", PROBE], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    w = json.loads(waits.read_text("utf-8"))
    queue = sum(v for k, v in w.items() if k == "MainThread" or k.startswith("legion-run")) / 1e9
    QUEUE_ALL.append(sum(w.values()) / 1e9)
    return wall, queue, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--baseline-src", type=Path, default=None)
    ap.add_argument("--new-titles", action="store_true")
    ap.add_argument("--history", type=Path, default=None)
    args = ap.parse_args()
    server, base = serve(args.latency)
    codes: list[tuple[str, Path | None]] = [("this tree", None)]
    if args.baseline_src is not None:
        codes.insert(0, ("baseline", args.baseline_src.resolve()))
    what = "new titles (tokenised)" if args.new_titles else "titles seen before"
    hist = f"history: {args.history} imported" if args.history else "fresh history"
    print(f"{what}, {hist}; {args.runs} scans per code, interleaved\n")
    print(f"load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(
        "| code | wall, median | run-queue wait, median | **idle estimate**, median | "
        "idle estimate, all threads' waits out | CPU, median | idle estimates |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        make_ctx(Path(tmp), base)
        home = Path(tmp) / "home"
        toml = (home / "legion.toml").read_text("utf-8")
        (home / "legion.toml").write_text(
            toml + '\n[http.rate_limits]\n"127.0.0.1" = 1000.0\n', "utf-8"
        )
        if args.history is not None:
            env = {**os.environ, "LEGION_HOME": str(home)}
            legion = str(Path(sys.executable).with_name("legion"))
            for sub in ("weibo", "zhihu"):
                subprocess.run(
                    [legion, "radar", "import", str(args.history / sub), "--format", "justjavac"],
                    env=env,
                    check=True,
                    capture_output=True,
                )
        for _name, src in codes:
            scan(home, src)  # first scan: creates the history file
        res: dict[str, list[tuple[float, float, float]]] = {n: [] for n, _ in codes}
        alls: dict[str, list[float]] = {n: [] for n, _ in codes}
        for _ in range(args.runs):
            for name, src in codes:
                res[name].append(scan(home, src, args.new_titles))
                alls[name].append(QUEUE_ALL[-1])
    server.shutdown()
    for name, _src in codes:
        r = res[name]
        idle = [w - q for w, q, _c in r]
        print(
            f"| {name} | {statistics.median(w for w, _q, _c in r):.2f} s | "
            f"{statistics.median(q for _w, q, _c in r):.2f} s | **{statistics.median(idle):.2f} s** | "
            f"{statistics.median(w - a for (w, _q, _c), a in zip(r, alls[name], strict=True)):.2f} s | "
            f"{statistics.median(c for _w, _q, c in r):.2f} s | {', '.join(f'{x:.2f}' for x in idle)} |"
        )
    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
