"""`radar import --git-history` on a repository shaped like justjavac/weibo-trending-hot-search.

The repository is built from the real hourly Weibo archive (weibo/hourly, 2024-03-01..07: 162
snapshots): one commit per snapshot, at the snapshot's time, rewriting raw/DATE.json with that
moment's list — what the upstream crawler commits every hour. Then the history is replayed through
the code of `legion radar import DIR --git-history` into a fresh history. Baseline in the same run:
`git log` alone. Run: python benchmarks/radar_git_history.py [DATA_DIR]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.core.context import Context  # noqa: E402
from onelegion.skills.radar.service import import_archive  # noqa: E402
from onelegion.skills.radar.store import HistoryStore  # noqa: E402

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data/radar")


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def build(repo: Path) -> int:
    (repo / "raw").mkdir(parents=True)
    git(repo, "init", "-q")
    base = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    n = 0
    for f in sorted((DATA / "weibo" / "hourly").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            target = repo / "raw" / f"{f.stem}.json"
            target.write_text(
                json.dumps(rec["items"], ensure_ascii=False, indent=2), encoding="utf-8"
            )
            env = {
                **base,
                "GIT_AUTHOR_DATE": rec["captured_at"],
                "GIT_COMMITTER_DATE": rec["captured_at"],
            }
            git(repo, "add", "raw", env=env)
            git(repo, "commit", "-q", "-m", f"update {rec['captured_at']}", env=env)
            n += 1
    return n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "weibo-trending-hot-search"
        t0 = time.perf_counter()
        commits = build(repo)
        print(f"repository: {commits} commits (built in {time.perf_counter() - t0:.1f} s)")
        t0 = time.perf_counter()
        subprocess.run(
            ["git", "-C", str(repo), "log", "--name-only", "--format=%H %cI"],
            check=True,
            capture_output=True,
        )
        base = time.perf_counter() - t0
        ctx = Context.for_testing(Path(tmp))
        store = HistoryStore(Path(tmp) / "h.duckdb")
        t0 = time.perf_counter()
        out = import_archive(ctx, store, repo, "justjavac", "weibo", True)
        elapsed = time.perf_counter() - t0
        print(
            f"replayed {out.snapshots_added} snapshots, {out.rows_added:,} rows in {elapsed:.2f} s "
            f"({elapsed / max(commits, 1) * 1000:.1f} ms per commit)"
        )
        print(f"baseline git log --name-only: {base:.3f} s")


if __name__ == "__main__":
    main()
