"""Longer fuzz runs of every reader, importer and source parser (tests/fuzz/fuzz_targets.py).

    python benchmarks/fuzz_readers.py --minutes 10                  # 10 minutes per target, all targets
    python benchmarks/fuzz_readers.py --minutes 1 --targets clean.xls,radar.import_line
    python benchmarks/fuzz_readers.py --minutes 2 --report benchmarks/RESULTS-fuzz.md

Each target runs in its own child process (address space capped at --memory-mb, so a reader
that tries to allocate without bound dies there, not here), fed by hypothesis with a fresh
seed every batch until its time is up. A crash is anything but a clean return or the target's
refusal (UserError; SourceError for source parsers), including the child dying: the input is
saved as tests/fixtures/fuzz/<target>/<sha1>.bin, which the suite then replays. Exit status:
0 when no target crashed, 1 otherwise."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "fuzz"), str(ROOT / "src")]


def _save(out: Path, target: str, data: bytes) -> Path:
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{hashlib.sha1(data).hexdigest()}.bin"
    p.write_bytes(data)
    return p


def child(target_name: str, seconds: float, memory_mb: int, state: Path) -> None:
    """Run one target until ``seconds`` pass; progress and crashes go to ``state`` (JSON)."""
    import resource

    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from fuzz_targets import TARGETS, check, inputs
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    target = TARGETS[target_name]
    last = state.with_suffix(".last")
    info = {"cases": 0, "crashes": []}
    stop = time.monotonic() + seconds
    work = Path(tempfile.mkdtemp(prefix="legion-fuzz-"))
    batch = int.from_bytes(os.urandom(4), "little")

    def one(data: st.DataObject) -> None:
        raw = data.draw(inputs(target))
        if time.monotonic() > stop:
            return  # (drawing first keeps hypothesis's replays consistent)
        last.write_bytes(raw)
        info["cases"] += 1
        crash = check(target, raw, work)
        if crash is not None:
            info["crashes"].append([raw.hex(), f"{type(crash).__name__}: {str(crash)[:200]}"])
        state.write_text(json.dumps(info))

    while time.monotonic() < stop:
        batch += 1
        run = settings(
            max_examples=200,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(seed(batch)(given(st.data())(one)))
        try:
            run()
        except Exception as e:  # hypothesis's own complaints: note them, go on with a new seed
            print(f"batch {batch}: {type(e).__name__}", file=sys.stderr)
    last.unlink(missing_ok=True)
    state.write_text(json.dumps(info))


def run_target(name: str, seconds: float, memory_mb: int, out: Path) -> dict[str, object]:
    cases = 0
    crashes: list[tuple[str, str]] = []
    started = time.monotonic()
    while (left := seconds - (time.monotonic() - started)) > 1:
        with tempfile.TemporaryDirectory() as tmp:
            state = Path(tmp) / "state.json"
            proc = subprocess.run(
                [sys.executable, __file__, "--child", name, str(left), str(memory_mb), str(state)],
                check=False,
                capture_output=True,
                timeout=left + 600,
            )
            info = json.loads(state.read_text()) if state.exists() else {"cases": 0, "crashes": []}
            cases += int(info["cases"])
            for hexdata, what in info["crashes"]:
                crashes.append((str(_save(out, name, bytes.fromhex(hexdata))), what))
            last = state.with_suffix(".last")
            if proc.returncode != 0:  # the child died: its last input is the crash
                data = last.read_bytes() if last.exists() else b""
                err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                why = f"child died (exit {proc.returncode}): {err[0][:160] if err else ''}"
                crashes.append((str(_save(out, name, data)), why))
                cases += 1
    return {
        "target": name,
        "cases": cases,
        "crashes": crashes,
        "seconds": round(time.monotonic() - started),
    }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
        return 0
    from fuzz_targets import CRASHES, TARGETS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="per target")
    ap.add_argument("--targets", default="", help="comma-separated (default: all)")
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space cap per child")
    ap.add_argument("--out", type=Path, default=CRASHES, help="where crashing inputs are kept")
    ap.add_argument("--report", type=Path, help="append a Markdown table of the run here")
    args = ap.parse_args()
    names = [n for n in args.targets.split(",") if n] or sorted(TARGETS)
    rows = []
    for name in names:
        r = run_target(name, args.minutes * 60, args.memory_mb, args.out)
        rows.append(r)
        crashes = r["crashes"]
        assert isinstance(crashes, list)
        print(f"{name:22} {r['cases']:>8} cases {len(crashes):>4} crashes  {r['seconds']} s")
        for path, what in crashes[:5]:
            print(f"    {what}\n      -> {path}")
    total = sum(int(str(r["cases"])) for r in rows)
    crashed = sum(len(r["crashes"]) for r in rows)  # type: ignore[arg-type]
    print(f"total: {total} cases, {crashed} crashes")
    if args.report:
        lines = [
            f"\n### {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
            f"{args.minutes:g} min per target, {args.memory_mb} MB cap\n",
            "| target | cases | crashes | seconds |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| {r['target']} | {r['cases']} | {len(r['crashes'])} | {r['seconds']} |"  # type: ignore[arg-type]
            for r in rows
        ]
        lines.append(f"| **total** | **{total}** | **{crashed}** | |\n")
        with args.report.open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
