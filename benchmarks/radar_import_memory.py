"""Peak memory of `radar import` on a large generated archive (issue 10: a 243 MB archive peaked
at 7.08 GB; target under 1 GB for any archive size).

    python benchmarks/radar_import_memory.py [--mb 243] [--layouts jsonl,daily,bigfile,unique] [--src DIR] [--runs 1]

Generates, in a temp folder, an archive of about --mb megabytes in each layout:
  jsonl    one snapshot a line (`--format jsonl`): 50 items every 10 minutes, titles turning over
  daily    justjavac daily files (`--format justjavac`), the same total size spread over the days
  bigfile  one justjavac daily file holding the whole size: the day's lists concatenated (50 items
           a list, a fifth turning over each time), a single JSON array, the worst case for a
           reader that parses a whole file at once
  unique   the same, but every record a new title (memory then follows the distinct items)
Each import runs `legion radar import` in a fresh child process with its own LEGION_HOME; the peak
is the child's maximum resident set size (getrusage of the children). Baseline in the same run:
the peak of a child that only imports the radar skill's modules (`python -c "import ..."`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEGION = [str(Path(sys.executable).with_name("legion"))]

_ZH_WORDS = "两会 春节 高考 台风 地震 冠军 发布会 新能源 房价 降温 演唱会 电影 票房 航天 芯片 数据"
_MORE = "球员 教练 比赛 旅游 高铁 暴雨 医保 考研 就业 外卖 直播 短视频 大模型 手机 汽车 电池"
_EN_WORDS = "election storm market launch final record budget vaccine strike summit"
_WORDS = f"{_ZH_WORDS} {_MORE} {_EN_WORDS}".split()


def _title(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5))) + f"{n}"


def _pool_titles(rng: random.Random, step: int, pool: list[str], counter: list[int]) -> list[str]:
    # a fifth of the list turns over each capture
    for i in rng.sample(range(len(pool)), len(pool) // 5):
        counter[0] += 1
        pool[i] = _title(rng, counter[0])
    return pool


def _item(rng: random.Random, title: str, rank: int) -> dict[str, object]:
    return {
        "title": title,
        "url": f"https://s.weibo.com/weibo?q=%23{rank}%23&band_rank={rank}",
        "heat": rng.randint(10_000, 5_000_000),
        "desc": "".join(rng.choice(_WORDS) for _ in range(8)),
    }


def gen_jsonl(root: Path, mb: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    pool = [_title(rng, i) for i in range(50)]
    counter = [50]
    at = datetime(2024, 1, 1)
    limit, size, lines = mb << 20, 0, 0
    root.mkdir(parents=True)
    with (root / "weibo.jsonl").open("w", encoding="utf-8") as f:
        while size < limit:
            titles = _pool_titles(rng, lines, pool, counter)
            rec = {
                "captured_at": at.isoformat() + "+08:00",
                "source": "weibo",
                "items": [_item(rng, t, r) for r, t in enumerate(titles, 1)],
            }
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode())
            lines += 1
            at += timedelta(minutes=10)
    return size


def gen_daily(root: Path, mb: int, days: int, seed: int = 2, lists: bool = False) -> int:
    """justjavac layout: raw/YYYY-MM-DD.json, the day's accumulated list (``lists``: the day's
    lists of 50 concatenated, titles turning over; else every record a new title)."""
    rng = random.Random(seed)
    pool = [_title(rng, i) for i in range(50)]
    turn = [50]
    raw = root / "weibo" / "raw"
    raw.mkdir(parents=True)
    per_day = (mb << 20) // days
    size, counter = 0, 0
    day = datetime(2024, 1, 1)
    for _ in range(days):
        with (raw / f"{day:%Y-%m-%d}.json").open("w", encoding="utf-8") as f:
            f.write("[\n")
            written, first = 0, True
            while written < per_day:
                counter += 1
                if lists:
                    if counter % 50 == 0:
                        _pool_titles(rng, counter, pool, turn)
                    rank = counter % 50 + 1
                    rec = _item(rng, pool[rank - 1], rank)
                else:
                    rec = _item(rng, _title(rng, counter), rng.randint(1, 50))
                s = ("" if first else ",\n") + json.dumps(rec, ensure_ascii=False)
                f.write(s)
                written += len(s.encode())
                first = False
            f.write("\n]\n")
        size += written
        day += timedelta(days=1)
    return size


def peak_of(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(peak MB, seconds, last stdout line) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    # a wrapper child so that each measurement is its own ru_maxrss (RUSAGE_CHILDREN keeps the max)
    wrapper = (
        "import resource,subprocess,sys,json;"
        "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "print(json.dumps([p.returncode,r,p.stdout[-400:],p.stderr[-400:]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True, check=True
    )
    rc, kb, stdout, stderr = json.loads(out.stdout)
    del before
    if rc != 0:
        raise SystemExit(f"{cmd} failed ({rc}): {stderr}")
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    return kb / 1024, time.perf_counter() - t0, last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--mb", type=int, default=243)
    ap.add_argument("--layouts", default="jsonl,daily,bigfile,unique")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="code to measure (a src/ tree)")
    args = ap.parse_args()
    load = os.getloadavg()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {load[0]:.1f}, code {args.src}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(args.src)}
        env["LEGION_HOME"] = str(base / "home0")
        cmd = [sys.executable, "-c", "import onelegion.skills.radar.service, duckdb, pyarrow"]
        peak, secs, _ = peak_of(cmd, env)
        print(f"baseline (import the radar modules): {peak:.0f} MB")
        for layout in args.layouts.split(","):
            arch = base / layout
            t0 = time.perf_counter()
            if layout == "jsonl":
                size = gen_jsonl(arch, args.mb)
                target, fmt = arch, "jsonl"
            elif layout == "daily":
                size = gen_daily(arch, args.mb, days=90)
                target, fmt = arch / "weibo", "justjavac"
            elif layout == "bigfile":
                size = gen_daily(arch, args.mb, days=1, lists=True)
                target, fmt = arch / "weibo", "justjavac"
            else:
                size = gen_daily(arch, args.mb, days=1)
                target, fmt = arch / "weibo", "justjavac"
            gen = time.perf_counter() - t0
            for run in range(args.runs):
                env["LEGION_HOME"] = str(base / f"home-{layout}-{run}")
                cmd = [*LEGION, "radar", "import", str(target), "--format", fmt, "--refresh"]
                peak, secs, last = peak_of(cmd, env)
                print(
                    f"{layout:8} {size / 2**20:6.0f} MB archive (generated in {gen:.0f} s): "
                    f"peak {peak:6.0f} MB, {secs:5.1f} s  [{last[:90]}]"
                )


if __name__ == "__main__":
    main()
