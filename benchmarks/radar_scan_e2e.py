"""`legion radar scan` end to end, as a user runs it: 15 sources on 127.0.0.1, stored, analysed,
digest printed — the whole command in a new process — with the fetch-only time beside it, and
where the time of one in-process scan goes (fetch, store, analyse, digest).

Sources are the recorded responses of tests/fixtures/radar/responses served with a 200 ms delay
(radar_scan.py's server). Two histories: a fresh one, and one holding January–March 2024 of the
real Weibo and Zhihu archives (imported once, as a user who imported their archive would have).

    python benchmarks/radar_scan_e2e.py [--runs 5] [--latency 0.2] [--data /work/shared/data/radar]
        [--baseline-src DIR] [--nice -10]

``--baseline-src DIR``: a checkout's ``src`` folder (e.g. ``git archive main src | tar -x -C
/tmp/main``) whose code is timed in the same run, its scans interleaved with this tree's (same
histories, same load), each in a new process with that folder first on PYTHONPATH.

``--nice N`` runs each timed scan at that niceness (negative needs root): on a machine shared with
other jobs, the nearest thing to an idle machine this benchmark can get; the table says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from radar_scan import SOURCES, make_ctx, serve

from onelegion.skills.radar.fetch import fetch_sources

LEGION = str(Path(sys.executable).with_name("legion"))  # the imports use this tree's CLI


CLI = "from onelegion.surfaces.cli import main; main()"


NICE = [0]


def _renice() -> None:
    if NICE[0]:
        os.nice(NICE[0])


def cli_scan(
    home: Path, fresh_titles: bool = False, src: Path | None = None
) -> tuple[float, float]:
    """(wall, CPU) seconds of one `legion radar scan` in a new process. ``fresh_titles``: the
    stored items lose their tokens first, so the scan tokenises (loads jieba) as it does
    whenever a list brings titles never seen before — which is nearly every real scan."""
    env = {**os.environ, "LEGION_HOME": str(home)}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    if fresh_titles:
        import duckdb

        con = duckdb.connect(str(home / "radar" / "history.duckdb"))
        con.execute("UPDATE items SET tokens = NULL WHERE last_seen > now() - INTERVAL 2 DAY")
        con.close()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", CLI, "radar", "scan"],
        env=env,
        check=True,
        capture_output=True,
        preexec_fn=_renice,  # only os.nice, before exec
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def stages(ctx: object) -> dict[str, float]:
    from onelegion.skills.radar.analysis import analyse
    from onelegion.skills.radar.service import (
        build_digest,
        resolve_window,
        store_for,
        store_results,
    )

    out: dict[str, float] = {}
    t = time.perf_counter()
    store = store_for(ctx)  # type: ignore[arg-type]
    results = fetch_sources(ctx)  # type: ignore[arg-type]
    out["fetch"] = time.perf_counter() - t
    with store.session():  # as run_scan: one connection for the steps below
        t = time.perf_counter()
        store_results(store, results)
        out["store"] = time.perf_counter() - t
        t = time.perf_counter()
        start, end, _ = resolve_window(store, "24h", "now")
        a = analyse(store, start, end)
        out["analyse"] = time.perf_counter() - t
        t = time.perf_counter()
        build_digest(ctx, store, a, push=False)  # type: ignore[arg-type]
        out["digest"] = time.perf_counter() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/radar"))
    ap.add_argument("--baseline-src", type=Path, default=None)
    ap.add_argument("--nice", type=int, default=0)
    args = ap.parse_args()
    NICE[0] = args.nice
    server, base = serve(args.latency)
    print(f"## Scan end to end ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n")
    print(f"{len(SOURCES)} sources on 127.0.0.1, {args.latency * 1000:.0f} ms per response.\n")
    if args.nice:
        print(f"each timed scan at niceness {args.nice} (priority over the machine's other jobs)\n")
    print(f"load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(
        "| code | history | titles | `legion radar scan` wall, median | CPU, median | wall runs | "
        "fetch only | in-process stages (last run) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    codes: list[tuple[str, Path | None]] = [("this tree", None)]
    if args.baseline_src is not None:
        codes.insert(0, ("baseline", args.baseline_src.resolve()))
    for label, fresh_titles in (
        ("fresh", False),
        ("fresh", True),
        ("Jan–Mar 2024 Weibo + Zhihu imported", True),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            ctx = make_ctx(Path(tmp), base)
            home = Path(tmp) / "home"
            toml = (home / "legion.toml").read_text("utf-8")
            toml += '\n[http.rate_limits]\n"127.0.0.1" = 1000.0\n'
            (home / "legion.toml").write_text(toml, "utf-8")
            if label != "fresh":
                env = {**os.environ, "LEGION_HOME": str(home)}
                for sub in ("weibo", "zhihu"):
                    subprocess.run(
                        [LEGION, "radar", "import", str(args.data / sub), "--format", "justjavac"],
                        env=env,
                        check=True,
                        capture_output=True,
                    )
            firsts = {name: cli_scan(home, src=src)[0] for name, src in codes}
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in codes}
            for _ in range(args.runs):  # interleaved: both codes meet the same load
                for name, src in codes:
                    runs[name].append(cli_scan(home, fresh_titles, src))
            fetch = statistics.median(
                [
                    (lambda t: (fetch_sources(ctx), time.perf_counter() - t)[1])(
                        time.perf_counter()
                    )
                    for _ in range(3)
                ]
            )
            st = stages(ctx)
            kind = "new (tokenised)" if fresh_titles else "seen before"
            for name, _src in codes:
                walls = [w for w, _c in runs[name]]
                cpus = [c for _w, c in runs[name]]
                print(
                    f"| {name} | {label} | {kind} | **{statistics.median(walls):.2f} s** "
                    f"(first: {firsts[name]:.2f} s) | {statistics.median(cpus):.2f} s | "
                    f"{', '.join(f'{x:.2f}' for x in walls)} | {fetch:.2f} s | "
                    + ", ".join(f"{k} {v:.2f} s" for k, v in st.items())
                    + " |"
                )
            shutil.rmtree(home / "radar", ignore_errors=True)
    server.shutdown()
    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
