"""Read hot-list archives into snapshots.

Formats
  justjavac        DIR/[raw/]YYYY-MM-DD.json, each ``[{title, url}]`` (justjavac/weibo-trending-hot-search,
                   zhihu-trending-hot-questions): the day's accumulated list; Weibo's rank is the url's
                   ``band_rank`` (rank when last seen), elsewhere the list position.
  trending-in-one  DIR/KIND/YYYY-MM-DD.json (huqi-pr/trending-in-one: weibo-search, toutiao-search,
                   zhihu-questions, ...); titles in ``title`` / ``word`` / ``display_query``; a Weibo day
                   file concatenates the day's lists, so an item's rank is its best of the day and
                   ``extra.day_sightings`` says how many lists it was on.
  jsonl            any ``*.jsonl`` under DIR, one snapshot a line: ``{"captured_at", "items", ["source"]}``
                   (our own export and weibo/hourly archives).
A daily file is stamped at the end of its day (23:59:59, Asia/Shanghai): it holds the state as last seen.
With ``git_history`` every commit that touched an archive file is replayed as a snapshot at its commit time.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from onelegion.core import textsafe
from onelegion.core.errors import UserError
from onelegion.skills.radar import stream_import
from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.records import (
    finite_heat,
    load_json,
    parse_json,
    record_fields,
)
from onelegion.skills.radar.store import Snapshot
from onelegion.skills.radar.stream_import import json_array_items, record_batches

Format = Literal["justjavac", "trending-in-one", "jsonl"]
CST = timezone(timedelta(hours=8), "Asia/Shanghai")
_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})\.json$")
KIND_SOURCES = {
    "weibo-search": "weibo",
    "toutiao-search": "toutiao",
    "zhihu-questions": "zhihu",
    "zhihu-search": "zhihu-search",
    "zhihu-video": "zhihu-video",
}
EARLIEST = datetime(1990, 1, 1)
LATEST = datetime(2199, 12, 31)
_KNOWN = ("weibo", "zhihu", "toutiao", "douyin", "bilibili", "baidu", "hackernews", "github")


_KEPT = ("realurl", "url", "heat", "heat_text", "extra")


def items_from_records(
    source: str, records: list[Any] | Iterator[Any], *, where: str
) -> list[HotItem]:
    """Archive records → HotItems; ranks from ``rank``, else ``band_rank``, else position.
    ``records`` may be an iterator (a daily file read one element at a time)."""
    if not isinstance(records, list | Iterator):
        raise UserError(f"{where}: expected a JSON list of items", hint="check the --format option")
    out: dict[str, HotItem] = {}
    sightings: dict[str, int] = {}
    explicit_max = 0
    pending: list[tuple[dict[str, Any], str]] = []
    for pos, rec in enumerate(records, 1):
        fields = record_fields(source, pos, rec)
        if fields is None:
            continue
        title, url, rank = fields
        if rank is None:  # keep only what _keep reads, not the whole record
            pending.append(({k: rec[k] for k in _KEPT if k in rec}, title))
            continue
        explicit_max = max(explicit_max, rank)
        _keep(out, sightings, source, rec, title, url, max(1, rank))
    for i, (rec, title) in enumerate(pending, 1):  # unranked (pinned / new) Weibo entries go last
        url = rec.get("realurl") or rec.get("url")
        _keep(
            out,
            sightings,
            source,
            rec,
            title,
            url if isinstance(url, str) else None,
            explicit_max + i,
        )
    for t, n in sightings.items():
        if n > 1:
            out[t].extra["day_sightings"] = n
    return list(out.values())


def _keep(
    out: dict[str, HotItem],
    sightings: dict[str, int],
    source: str,
    rec: dict[str, Any],
    title: str,
    url: str | None,
    rank: int,
) -> None:
    t = textsafe.fix_surrogates(title.strip())  # half an emoji: U+FFFD, as HotItem does
    sightings[t] = sightings.get(t, 0) + 1
    prev = out.get(t)
    if prev is not None and prev.rank <= rank:
        return
    out[t] = HotItem(
        source=source,
        rank=rank,
        title=t,
        url=url,
        heat=finite_heat(rec.get("heat")),
        heat_text=rec.get("heat_text") if isinstance(rec.get("heat_text"), str) else None,
        extra=dict(rec.get("extra") or {}) if isinstance(rec.get("extra"), dict) else {},
    )


def end_of_day(date: str) -> datetime:
    return datetime.fromisoformat(date).replace(hour=23, minute=59, second=59, tzinfo=CST)


def infer_source(path: Path) -> str | None:
    for part in reversed(path.resolve().parts):
        low = part.lower()
        if low in KIND_SOURCES:
            return KIND_SOURCES[low]
        for known in _KNOWN:
            if known in low:
                return known
    return None


# --- directory layouts -----------------------------------------------------------------------
def daily_files(root: Path, fmt: Format) -> list[tuple[str, Path]]:
    """(source-or-kind, file) pairs of a daily-JSON layout, sorted by date."""
    if fmt == "trending-in-one":
        kinds = [d for d in sorted(root.iterdir()) if d.is_dir() and any(d.glob("*.json"))]
        if not kinds and any(root.glob("*.json")):
            kinds = [root]
        out = [
            (k.name, f) for k in kinds for f in sorted(k.glob("*.json")) if _DATE_RE.search(f.name)
        ]
    else:
        base = root / "raw" if (root / "raw").is_dir() else root
        out = [("", f) for f in sorted(base.glob("*.json")) if _DATE_RE.search(f.name)]
    return sorted(out, key=lambda p: (p[1].name, p[0]))


def read_archive(
    root: Path,
    fmt: Format,
    source: str | None = None,
    on_file: Callable[[int, int], None] | None = None,
    *,
    stream: bool = False,
) -> Iterator[Snapshot]:
    """Snapshots of an archive directory (files read lazily, one at a time). With ``stream`` a
    daily file of at least ``stream_import.STREAM_MIN_BYTES`` gives a snapshot that carries its
    records as slices (``Snapshot.stream``, for :meth:`HistoryStore.add_stream`) instead of items:
    it must be stored before the next one. Memory then follows the slice, not the file."""
    if not root.is_dir():
        raise UserError(f"{root} is not a directory", hint="give the archive's folder")
    if fmt == "jsonl":
        yield from _read_jsonl_dir(root, source, on_file)
        return
    files = daily_files(root, fmt)
    if not files:
        raise UserError(
            f"no YYYY-MM-DD.json files found in {root} for --format {fmt}",
            hint="point at the archive's folder (the one holding raw/ or the KIND/ folders)",
        )
    fixed = source or (None if fmt == "trending-in-one" else infer_source(root))
    if fmt == "justjavac" and fixed is None:
        raise UserError(
            f"cannot tell which platform {root} holds", hint="add --source weibo (or zhihu, ...)"
        )
    for i, (kind, f) in enumerate(files, 1):
        src = fixed or KIND_SOURCES.get(kind, kind)
        date = f.name.removesuffix(".json")[-10:]  # daily_files kept only *YYYY-MM-DD.json
        if stream and f.stat().st_size >= stream_import.STREAM_MIN_BYTES:
            batches = record_batches(src, json_array_items(f))
            yield Snapshot(src, end_of_day(date), [], origin=f"import:{fmt}", stream=batches)
            if on_file:
                on_file(i, len(files))
            continue
        items = items_from_records(src, json_array_items(f), where=str(f))
        if on_file:
            on_file(i, len(files))
        if items:
            yield Snapshot(src, end_of_day(date), items, origin=f"import:{fmt}")


def _read_jsonl_dir(
    root: Path, source: str | None, on_file: Callable[[int, int], None] | None
) -> Iterator[Snapshot]:
    files = sorted(root.rglob("*.jsonl"))
    if not files:
        raise UserError(f"no .jsonl files found under {root}", hint="check the folder and --format")
    for i, f in enumerate(files, 1):
        default = source or infer_source(f.parent)
        with f.open("rb") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                yield from snapshots_from_line(line, default, where=f"{f}:{n}")
        if on_file:
            on_file(i, len(files))


def snapshots_from_line(
    line: bytes | str, default_source: str | None, *, where: str
) -> list[Snapshot]:
    try:
        rec = parse_json(line, where)
    except json.JSONDecodeError as e:
        raise UserError(f"{where}: not a JSON line ({e})", hint="fix or remove that line") from e
    if (
        not isinstance(rec, dict)
        or "captured_at" not in rec
        or not isinstance(rec.get("items"), list)
    ):
        raise UserError(
            f'{where}: expected {{"captured_at": ..., "items": [...]}}', hint="check --format"
        )
    try:
        at = datetime.fromisoformat(str(rec["captured_at"]).replace("Z", "+00:00"))
    except ValueError as e:
        raise UserError(
            f"{where}: bad captured_at {rec['captured_at']!r}", hint="use ISO-8601"
        ) from e
    if at.tzinfo is None:
        at = at.replace(tzinfo=CST)
    if not EARLIEST.year <= at.year <= LATEST.year:  # (comparing could overflow)
        raise UserError(
            f"{where}: captured_at {rec['captured_at']!r} is outside 1990-01-01 … 2199-12-31",
            hint="use an ISO-8601 time within that range",
        )
    by_source: dict[str, list[Any]] = {}
    line_source = _source_name(rec.get("source"))
    for it in rec["items"]:
        src = (
            (_source_name(it.get("source")) if isinstance(it, dict) else None)
            or line_source
            or default_source
        )
        if not src:
            raise UserError(f"{where}: items carry no source", hint="add --source weibo (or ...)")
        by_source.setdefault(src, []).append(it)
    return [
        Snapshot(src, at, items_from_records(src, recs, where=where), origin="import:jsonl")
        for src, recs in by_source.items()
    ]


def _source_name(v: Any) -> str | None:
    if not isinstance(v, str) or not v.strip() or len(v) > 64:
        return None
    return textsafe.fix_surrogates(v.strip())


# --- git history -----------------------------------------------------------------------------
def _git(repo: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=600
        )
    except FileNotFoundError as e:
        raise UserError("git is not installed", hint="install git to use --git-history") from e
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UserError(
            f"git failed in {repo}: {msg[-1] if msg else proc.returncode}",
            hint="--git-history needs the archive's git repository (a clone with its history)",
        )
    return proc.stdout


def read_git_history(
    repo: Path,
    fmt: Format,
    source: str | None = None,
    on_file: Callable[[int, int], None] | None = None,
) -> Iterator[Snapshot]:
    """Replay every commit that changed an archive file: the file at that commit, at commit time."""
    if not repo.is_dir():
        raise UserError(f"{repo} is not a directory", hint="give the archive repository's folder")
    top = Path(_git(repo, "rev-parse", "--show-toplevel").decode().strip())
    rel = (
        repo.resolve().relative_to(top.resolve()).as_posix()
        if repo.resolve() != top.resolve()
        else ""
    )
    log = _git(
        top,
        "-c",
        "core.quotepath=off",
        "log",
        "--reverse",
        "--diff-filter=AM",
        "--format=%x00%H %cI",
        "--name-only",
        "--",
        rel or ".",
    )
    commits: list[tuple[str, datetime, list[str]]] = []
    for block in log.decode("utf-8", "replace").split("\x00")[1:]:
        lines = [x for x in block.splitlines() if x.strip()]
        sha, iso = lines[0].split(" ", 1)
        commits.append((sha, datetime.fromisoformat(iso), lines[1:]))
    wanted = _archive_path_filter(fmt)
    fixed = source or infer_source(top if not rel else repo)
    with _BlobReader(top) as blobs:
        yield from _replay(commits, blobs, wanted, fmt, source, fixed, repo, on_file)


def _replay(
    commits: list[tuple[str, datetime, list[str]]],
    blobs: _BlobReader,
    wanted: Callable[[str], str | None],
    fmt: Format,
    source: str | None,
    fixed: str | None,
    repo: Path,
    on_file: Callable[[int, int], None] | None,
) -> Iterator[Snapshot]:
    total = len(commits)
    for i, (sha, at, paths) in enumerate(commits, 1):
        for p in paths:
            kind = wanted(p)
            if kind is None:
                continue
            data = blobs.read(f"{sha}:{p}")
            if fmt == "jsonl":
                for n, line in enumerate(data.splitlines(), 1):
                    if line.strip():
                        yield from snapshots_from_line(line, fixed, where=f"{sha[:8]}:{p}:{n}")
                continue
            src = source or (KIND_SOURCES.get(kind, kind) if kind else fixed)
            if not src:
                raise UserError(
                    f"cannot tell which platform {repo} holds", hint="add --source weibo"
                )
            items = items_from_records(src, load_json(Path(p), data), where=f"{sha[:8]}:{p}")
            if items:
                yield Snapshot(src, at, items, origin=f"git:{sha[:12]}")
        if on_file:
            on_file(i, total)


class _BlobReader:
    """File contents at commits through one ``git cat-file --batch`` process (not one per file)."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _BlobReader:
        self.proc = subprocess.Popen(
            ["git", "-C", str(self.repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        return self

    def read(self, spec: str) -> bytes:
        assert (
            self.proc is not None and self.proc.stdin is not None and self.proc.stdout is not None
        )
        self.proc.stdin.write(spec.encode("utf-8") + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3:
            raise UserError(
                f"git cannot read {spec} ({' '.join(header) or 'no answer'})",
                hint="the repository may be a shallow clone: fetch its full history",
            )
        size = int(header[2])
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)  # the newline after the content
        return data

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=30)


def _archive_path_filter(fmt: Format) -> Callable[[str], str | None]:
    """Returns the KIND ('' when none) of an archive path in the repository, None to skip it."""

    def check(p: str) -> str | None:
        parts = p.split("/")
        if fmt == "jsonl":
            return "" if p.endswith(".jsonl") else None
        if not _DATE_RE.search(parts[-1]):
            return None
        if fmt == "trending-in-one":
            return parts[-2] if len(parts) >= 2 else ""
        return ""

    return check
