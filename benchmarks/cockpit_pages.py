"""Server time of every cockpit page with 10,000 runs in the store, and how soon a run's first
progress event reaches the page.

    python benchmarks/cockpit_pages.py                 # 10,000 runs, 30 requests per page
    python benchmarks/cockpit_pages.py --runs 1000 --repeat 10

Requests go through the ASGI app in-process (starlette's TestClient), so the time is the
server's plus a small client overhead, no network. The baseline, measured in the same run on the
same store, is the API's own JSON endpoints (GET /api/skills, GET /api/runs?limit=20). The
progress latency is the time from the run's start (its ``started_at``) to the first 'progress'
event read from /api/runs/{id}/events, the stream the run page listens to.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app

SKILLS = ["clean.table", "clean.profile", "radar.digest", "radar.trends", "util.echo", "subs.check"]
STATUSES = ["succeeded"] * 8 + ["failed", "cancelled"]


def fill(rt: Runtime, n: int) -> None:
    """``n`` finished runs spread over 30 days; one in ten has an HTML report on disk."""
    now = time.time()
    report = rt.workspace / "bench-report.html"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("<!doctype html><p>report</p>", encoding="utf-8")
    for i in range(n):
        rid = f"20260101-000000-{i:06x}"
        skill = SKILLS[i % len(SKILLS)]
        rt.store.create_run(
            rid,
            skill,
            "1",
            {"path": f"/data/file-{i}.csv", "note": f"销售 {i}"},
            cache_key=None,
            surface="api",
        )
        status = STATUSES[i % len(STATUSES)]
        rt.store.finish_run(
            rid,
            status,
            output={"rows": i} if status == "succeeded" else None,
            error=None if status == "succeeded" else f"error {i}",
        )
        created = now - (n - i) * (30 * 86400 / n)
        with rt.store._tx() as con:  # spread creation times (the API has no setter for it)
            con.execute("UPDATE runs SET created_at = ? WHERE id = ?", (created, rid))
        if i % 10 == 0 and status == "succeeded":
            rt.store.add_artifacts(
                rid,
                [
                    {
                        "name": "report.html",
                        "path": str(report),
                        "media_type": "text/html",
                        "description": "report",
                        "size": report.stat().st_size,
                    }
                ],
            )


def timed(client: TestClient, url: str, repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "max_ms": round(times[-1], 2),
    }


def first_progress_ms(client: TestClient, rt: Runtime) -> float:
    r = client.post(
        "/skills/util.wait", data={"seconds": "0.5", "steps": "5"}, follow_redirects=False
    )
    rid = r.headers["location"].rsplit("/", 1)[1]
    with client.stream("GET", f"/api/runs/{rid}/events") as stream:
        for line in stream.iter_lines():
            if line.startswith("event: progress"):
                seen = time.time()
                break
    rec = rt.store.get_run(rid)
    assert rec is not None and rec.started_at is not None
    deadline = time.monotonic() + 10
    while rt.store.get_run(rid).status not in ("succeeded", "failed"):  # type: ignore[union-attr]
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return (seen - rec.started_at) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime.open(Path(tmp) / "home")
        t0 = time.perf_counter()
        fill(rt, args.runs)
        fill_s = time.perf_counter() - t0
        client = TestClient(create_app(rt), base_url="http://127.0.0.1")
        demo = client.post("/demo/clean.table", follow_redirects=False)
        clean_id = demo.headers["location"].rsplit("/", 1)[1]
        deadline = time.monotonic() + 120
        while rt.store.get_run(clean_id).status != "succeeded":  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        some = rt.store.list_runs(limit=1, offset=args.runs // 2)[0].id
        t0 = time.perf_counter()
        client.get("/")  # the first home computes the doctor checks (cached 5 minutes)
        cold_home_ms = (time.perf_counter() - t0) * 1000
        pages = {
            "baseline GET /api/skills": "/api/skills",
            "baseline GET /api/runs?limit=20": "/api/runs?limit=20",
            "/ (home)": "/",
            "/skills": "/skills",
            "/skills/clean.table (form)": "/skills/clean.table",
            "/runs (history, 50)": "/runs",
            "/runs?skill=clean.table&status=failed": "/runs?skill=clean.table&status=failed",
            "/runs?q=销售 9999 (search)": "/runs?q=%E9%94%80%E5%94%AE%209999",
            "/runs?offset=9000": "/runs?offset=9000",
            "/runs/{id} (run page)": f"/runs/{some}",
            "/runs/{id}/panel": f"/runs/{some}/panel",
            "/runs/{clean}/review": f"/runs/{clean_id}/review",
            "/settings": "/settings",
        }
        results = {name: timed(client, url, args.repeat) for name, url in pages.items()}
        progress = sorted(first_progress_ms(client, rt) for _ in range(10))
        report: dict[str, Any] = {
            "runs_in_store": rt.store.count_runs(),
            "fill_s": round(fill_s, 1),
            "repeat": args.repeat,
            "cold_home_ms": round(cold_home_ms, 1),
            "pages": results,
            "first_progress_ms": {
                "median": round(statistics.median(progress), 1),
                "max": round(progress[-1], 1),
            },
        }
        rt.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"runs in store: {report['runs_in_store']} (filled in {report['fill_s']} s)")
    print(f"cold home (doctor checks computed): {report['cold_home_ms']} ms")
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, r in results.items():
        print(f"{name:45} {r['median_ms']:>10} {r['p95_ms']:>8} {r['max_ms']:>8}")
    fp = report["first_progress_ms"]
    print(f"first progress event at the page: median {fp['median']} ms, max {fp['max']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
