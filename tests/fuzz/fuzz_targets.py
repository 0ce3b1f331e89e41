"""Fuzz targets: every reader, importer and source parser, fed bytes.

A target takes ``(data, workdir)`` and must either return or raise its *refusal* (``UserError``;
``SourceError`` for source parsers) on one line: the promise of a clean exit 0 or 2. Anything else is a
crash. Seeds are real files from ``tests/fixtures`` plus small hand-made ones; the strategies
mutate them (flips, cuts, insertions, splices) or build structured JSON with the values that
broke readers before (huge integers, lone surrogates, deep nesting, extreme numbers and dates).

Used by ``tests/fuzz/test_fuzz.py`` (a bounded run in the suite) and ``benchmarks/fuzz_readers.py`` (longer
runs, crashes kept under ``tests/fixtures/fuzz/``)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from onelegion.core.errors import UserError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CRASHES = FIXTURES / "fuzz"


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes, Path], object]
    seeds: Callable[[], list[bytes]]
    allowed: tuple[type[BaseException], ...] = (UserError,)
    json_like: bool = False
    cost: int = 1
    """Relative cost of one case: the suite runs EXAMPLES // cost examples (at least 3)."""


def _write(workdir: Path, name: str, data: bytes) -> Path:
    p = workdir / name
    p.write_bytes(data)
    return p


# --- seeds --------------------------------------------------------------------------------
@cache
def _xlsx_seed() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["名称", "价格", "日期"], ["苹果", 12, "2024-01-02"], ["香蕉", 3.5, None]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@cache
def _parquet_seed() -> bytes:
    import datetime as dt

    import polars as pl

    buf = io.BytesIO()
    pl.DataFrame(
        {
            "s": ["a", None],
            "n": [1, 2],
            "f": [1.5, float("nan")],
            "d": [dt.date(2024, 1, 2), None],
            "l": [[1, 2], []],
        }
    ).write_parquet(buf)
    return buf.getvalue()


def _csv_seeds() -> list[bytes]:
    return [
        (FIXTURES / "clean" / "beers_dirty.csv").read_bytes()[:4000],
        "商品,价格,城市\n苹果,12元,上海\n香蕉,3元,北京\n".encode("gb18030"),
        b'a;b\n"x;y";"q ""z"""\n1;2\n',
        b"a\tb\n1\t2\n",
        "名称,价格\n苹果,12\n".encode("utf-16"),
    ]


JSON_SEEDS = [
    b'[{"a": 1, "b": "x"}, {"a": 2.5, "c": null}]',
    b'[{"k": [1, {"x": true}], "t": "2024-01-02T03:04:05"}]',
    '[{"名称": "苹果", "价格": 12}]'.encode(),
]
JSONL_SEEDS = [b'{"a": 1}\n{"a": "x", "b": [1]}\n', b'{"x": null}\n\n{"x": 1e3}\n']
RADAR_LINE_SEEDS = [
    b'{"captured_at": "2024-03-01T00:16:19+08:00", "items": [{"url": "/weibo?q=a&band_rank=1",'
    b' "title": "a"}], "source": "weibo"}',
    '{"captured_at": "2024-03-01T01:12:11+08:00", "source": "zhihu", "items": [{"rank": 3,'
    ' "title": "问", "heat": 12.5, "extra": {"k": 1}}]}'.encode(),
]
DAILY_SEEDS = [
    b'[{"title": "a", "url": "https://s.weibo.com/weibo?q=a&band_rank=2"}, {"title": "b"}]',
    '[{"word": "词", "heat": 5}, {"display_query": "q"}]'.encode(),
]
WATCHLIST_SEEDS = ["华为\n苹果\n+手机\n!广告\n\n[组]\n小米|xiaomi\n".encode()]
GLOSSARY_SEEDS = [b"source,target\nSintel,\xe8\xbf\x9b\nDragon,\xe9\xbe\x99,note\n"]


def _subs_seeds() -> list[bytes]:
    return [
        (FIXTURES / "subs" / "sintel.en.srt").read_bytes()[:3000],
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n",
        b"[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Text\n"
        b"Dialogue: 0,0:00:01.00,0:00:02.00,Default,hi\n",
    ]


def _responses() -> list[bytes]:
    d = FIXTURES / "radar" / "responses"
    return [p.read_bytes()[:20000] for p in sorted(d.iterdir()) if p.suffix != ".md"]


# --- targets ------------------------------------------------------------------------------
def _clean(ext: str) -> Callable[[bytes, Path], object]:
    def run(data: bytes, workdir: Path) -> object:
        from onelegion.tables.read import read_table

        tr = read_table(_write(workdir, f"t{ext}", data))
        tr.df.write_csv(io.BytesIO())  # the table must also be writable (no half emoji...)
        return tr

    return run


def _decode(data: bytes, workdir: Path) -> object:
    from onelegion.tables.encoding import decode_text

    return decode_text(data, None)


def _radar_line(data: bytes, workdir: Path) -> object:
    from onelegion.skills.radar.importers import snapshots_from_line
    from onelegion.skills.radar.store import to_utc_naive

    snaps = snapshots_from_line(data, "weibo", where="x:1")
    for s in snaps:
        to_utc_naive(s.captured_at)
        for it in s.items:
            it.title.encode("utf-8")
    return snaps


def _radar_daily(data: bytes, workdir: Path) -> object:
    from onelegion.skills.radar.importers import read_archive

    d = workdir / "weibo"
    d.mkdir(exist_ok=True)
    _write(d, "2024-01-01.json", data)
    return list(read_archive(d, "justjavac", "weibo"))


def _radar_store(data: bytes, workdir: Path) -> object:
    """An imported line goes into the history store (SQLite must take every value)."""
    from onelegion.skills.radar.importers import snapshots_from_line
    from onelegion.skills.radar.store import HistoryStore

    snaps = snapshots_from_line(data, "weibo", where="x:1")
    return HistoryStore(workdir / "h.db").add(snaps)


# --- radar import through the CLI, into a store (the streamed path for daily files) ---------
_SAMPLE_DAYS = FIXTURES.parent.parent / "src" / "onelegion" / "skills" / "radar" / "samples"
_STORED_DAY = "2024-01-08"  # in the store before every case (a case may repeat this day)


def _stream_seeds() -> list[bytes]:
    raw = _SAMPLE_DAYS / "weibo" / "raw"
    day = json.loads((raw / "2024-01-09.json").read_text(encoding="utf-8"))
    stored = json.loads((raw / f"{_STORED_DAY}.json").read_text(encoding="utf-8"))
    return [
        json.dumps(day[:25], ensure_ascii=False).encode(),  # titles shared with the store
        json.dumps(stored[:10] + day[:10] + stored[:5], ensure_ascii=False, indent=1).encode(),
        *DAILY_SEEDS,
        b"\n".join(RADAR_LINE_SEEDS) + b"\n",  # a JSON Lines archive
    ]


def _legion(home: Path, *args: str) -> tuple[int, str]:
    """``legion --home HOME ARGS`` in this process (the real CLI, its run recorded in HOME's run
    store, which is closed afterwards): exit code and standard error."""
    import contextlib

    from onelegion.surfaces.cli.app import main
    from onelegion.surfaces.cli.state import STATE

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["--home", str(home), *args])
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
    finally:  # the CLI keeps its runtime for the process: the next call has another home
        if STATE.runtime is not None:
            STATE.runtime.close()
        if STATE.store is not None:
            STATE.store.close()
        STATE.runtime = STATE.store = STATE.home = None
    return code, err.getvalue()


@cache
def _stored_home(root: Path) -> Path:
    """A home whose radar history already holds one real day (made once per process)."""
    home = root / "template-home"
    archive = root / "template-archive" / "raw"
    archive.mkdir(parents=True)
    day = f"{_STORED_DAY}.json"
    archive.joinpath(day).write_bytes((_SAMPLE_DAYS / "weibo" / "raw" / day).read_bytes())
    code, err = _legion(home, "radar", "import", str(archive.parent), "--source", "weibo")
    assert code == 0, err
    return home


_STORE_TABLES = ("captures", "snapshots", "items")
# each query counts rows that break an invariant of the history store
_STORE_INVARIANTS = {
    "capture n_items = its snapshot rows": "SELECT count(*) FROM captures c WHERE n_items <> "
    "(SELECT count(*) FROM snapshots s WHERE s.source = c.source AND s.captured_at = c.captured_at)",
    "snapshot rows have a capture": "SELECT count(*) FROM snapshots s ANTI JOIN captures c "
    "ON s.source = c.source AND s.captured_at = c.captured_at",
    "snapshot rows have an item": "SELECT count(*) FROM snapshots s ANTI JOIN items i "
    "ON s.item_key = i.item_key",
    "one row per item per capture": "SELECT count(*) FROM (SELECT source, captured_at, item_key "
    "FROM snapshots GROUP BY ALL HAVING count(*) > 1)",
    "items agree with their rows": "SELECT count(*) FROM items i LEFT JOIN (SELECT item_key, "
    "count(*) AS n, min(captured_at) AS f, max(captured_at) AS l, min(rank) AS r FROM snapshots "
    "GROUP BY item_key) s USING (item_key) WHERE s.n IS DISTINCT FROM i.appearances "
    "OR s.f IS DISTINCT FROM i.first_seen OR s.l IS DISTINCT FROM i.last_seen "
    "OR s.r IS DISTINCT FROM i.peak_rank",
    "ranks from 1, titles not empty": "SELECT count(*) FROM snapshots WHERE rank < 1 OR title = ''",
}


def _store_dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The history's tables, after checking its invariants (opened afresh, as the next command
    would)."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        for what, sql in _STORE_INVARIANTS.items():
            bad = con.execute(sql).fetchall()[0][0]
            if bad:
                raise AssertionError(f"radar history inconsistent: {what} ({bad} rows)")
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in _STORE_TABLES}
    finally:
        con.close()


def _runs_db_ok(home: Path, code: int) -> None:
    """The run store passes ``PRAGMA integrity_check`` and records the run's outcome."""
    import sqlite3

    con = sqlite3.connect(home / "legion.db")
    try:
        check = con.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise AssertionError(f"legion.db integrity_check: {check[:3]}")
        (status,) = con.execute(
            "SELECT status FROM runs ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    want = "succeeded" if code == 0 else "failed"
    if status != want:
        raise AssertionError(f"the import exited {code} but its run is {status!r}")


def _radar_import_stream(data: bytes, workdir: Path) -> object:
    """``legion radar import`` of a mutated archive into a history that already holds a day: a
    daily file (data starting otherwise than with ``{``) goes through the streamed store path
    (``HistoryStore.add_stream``, slices of 3 titles here so that slices merge in SQL), JSON
    Lines through the batched one. The promise: exit 0, or exit 2 with one line and the history
    unchanged; the input never modified; the history consistent (invariants above) and, for a
    daily file, holding the same rows as the whole-snapshot path; a second import adds nothing;
    the run store passes ``PRAGMA integrity_check``."""
    import shutil
    import tempfile

    from onelegion.skills.radar import importers, stream_import
    from onelegion.skills.radar.store import HistoryStore

    template = _stored_home(workdir)
    case = Path(tempfile.mkdtemp(dir=workdir, prefix="case-"))
    try:
        home = case / "home"
        (home / "radar").mkdir(parents=True)
        db = home / "radar" / "history.duckdb"
        shutil.copyfile(template / "radar" / "history.duckdb", db)
        before = _store_dump(db)
        jsonl = data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"{"
        archive = case / "weibo"
        if jsonl:
            archive.mkdir()
            (archive / "a.jsonl").write_bytes(data)
            args = ["--format", "jsonl"]
        else:
            (archive / "raw").mkdir(parents=True)
            day = _STORED_DAY if len(data) % 5 == 0 else "2024-01-09"
            (archive / "raw" / f"{day}.json").write_bytes(data)
            args = ["--format", "justjavac"]
        cmd = ["radar", "import", str(archive), *args, "--source", "weibo"]
        saved = stream_import.STREAM_BATCH, stream_import.STREAM_MIN_BYTES
        stream_import.STREAM_BATCH, stream_import.STREAM_MIN_BYTES = 3, 0  # every file streamed
        try:
            code, err = _legion(home, *cmd)
        finally:
            stream_import.STREAM_BATCH, stream_import.STREAM_MIN_BYTES = saved
        if code not in (0, 2):
            raise AssertionError(f"exit {code}: {err.strip()[:400]}")
        lines = err.strip().splitlines()
        if code == 2 and len(lines) != 1:
            raise AssertionError(f"a refusal must be one line: {err[:400]!r}")
        src = archive / "a.jsonl" if jsonl else next((archive / "raw").iterdir())
        if src.read_bytes() != data:
            raise AssertionError("the import modified its input")
        _runs_db_ok(home, code)
        after = _store_dump(db)
        if code == 2:
            if after != before:
                raise AssertionError(f"refused ({lines[0][:200]}) but the history changed")
            return None
        if not jsonl:  # the streamed path stores what the whole-snapshot path stores
            whole = HistoryStore(case / "whole.duckdb")
            for snap in importers.read_archive(archive, "justjavac", "weibo"):
                whole.add([snap])
            new = [r for r in after["snapshots"] if r not in before["snapshots"]]
            want = [] if day == _STORED_DAY else whole.query("SELECT * FROM snapshots ORDER BY ALL")
            if new != want:  # (a day already stored is skipped)
                raise AssertionError("the streamed import stored other rows than add() would")
        code2, err2 = _legion(home, *cmd)
        if code2 != 0 or _store_dump(db) != after:
            raise AssertionError(f"importing again changed the history (exit {code2}) {err2[:200]}")
        return after
    finally:
        shutil.rmtree(case, ignore_errors=True)


def _watchlist(data: bytes, workdir: Path) -> object:
    from onelegion.skills.radar.watchlist import load_watchlist

    return load_watchlist(_write(workdir, "w.txt", data))


def _glossary(data: bytes, workdir: Path) -> object:
    from onelegion.skills.subs.memory import read_glossary

    return read_glossary(_write(workdir, "g.csv", data))


def _subs(ext: str) -> Callable[[bytes, Path], object]:
    def run(data: bytes, workdir: Path) -> object:
        from onelegion.skills.subs.formats import load

        return load(_write(workdir, f"s{ext}", data))

    return run


def _source_parsers(data: bytes, workdir: Path) -> object:
    """Every built-in and custom-kind parser on the same body, as JSON and as HTML."""
    from onelegion.skills.radar.sources import BUILTIN, KINDS

    out = []
    parsers = [(sid, spec.parse) for sid, spec in BUILTIN.items()] + list(KINDS.items())
    for sid, parse in parsers:
        for ctype in ("application/json; charset=utf-8", "text/html", "application/xml"):
            out.append(_source_once(parse, sid, data, ctype))
    return out


def _source_once(
    parse: Callable[[str, bytes, str], object], sid: str, data: bytes, ct: str
) -> object:
    from onelegion.skills.radar.sources import SourceError

    try:
        return parse(sid, data, ct)
    except SourceError:
        return None


TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("clean.csv", _clean(".csv"), _csv_seeds),
        Target("clean.json", _clean(".json"), lambda: JSON_SEEDS, json_like=True),
        Target("clean.jsonl", _clean(".jsonl"), lambda: JSONL_SEEDS, json_like=True),
        Target("clean.xlsx", _clean(".xlsx"), lambda: [_xlsx_seed()]),
        Target(
            "clean.xls",
            _clean(".xls"),
            lambda: [(FIXTURES / "clean" / "legacy.xls").read_bytes()],
            cost=8,
        ),
        Target("clean.parquet", _clean(".parquet"), lambda: [_parquet_seed()]),
        Target("clean.encoding", _decode, _csv_seeds),
        Target("radar.import_line", _radar_line, lambda: RADAR_LINE_SEEDS, json_like=True),
        Target("radar.import_daily", _radar_daily, lambda: DAILY_SEEDS, json_like=True),
        Target("radar.import_store", _radar_store, lambda: RADAR_LINE_SEEDS, json_like=True),
        Target(
            "radar.import_stream",
            _radar_import_stream,
            _stream_seeds,
            allowed=(),
            json_like=True,
            cost=8,
        ),
        Target("radar.sources", _source_parsers, _responses, json_like=True),
        Target("radar.watchlist", _watchlist, lambda: WATCHLIST_SEEDS),
        Target("subs.srt", _subs(".srt"), _subs_seeds),
        Target("subs.ass", _subs(".ass"), _subs_seeds),
        Target("subs.vtt", _subs(".vtt"), _subs_seeds),
        Target("subs.glossary", _glossary, lambda: GLOSSARY_SEEDS),
    ]
}


# --- strategies ---------------------------------------------------------------------------
_NASTY_TEXT = st.sampled_from(
    ["\ud83d", "a\udc00b", "😀", "\x00", "\u202e", "=cmd", "'", '"', "\\", "\n", "𠀀" * 3, ""]
)
_NASTY_NUMBERS = st.sampled_from(
    [10**23, -(10**30), 2**63, 2**64, 1e308, -1e308, 1e-320, 0, -1, 1e23, 10**4000]
)
_NASTY_DATES = st.sampled_from(
    ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+08:00", "2024-02-30T00:00:00", "now", ""]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    _NASTY_TEXT,
    _NASTY_NUMBERS,
    _NASTY_DATES,
)
_KEYS = st.one_of(
    st.sampled_from(["title", "url", "rank", "heat", "source", "captured_at", "items", "extra"]),
    st.text(max_size=8),
    _NASTY_TEXT,
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(_KEYS, inner, max_size=6)),
    max_leaves=30,
)


def _dumps(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=True, allow_nan=True)  # surrogates as \\ud83d escapes
    return text.encode("utf-8")


@st.composite
def _mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "splice", "delete", "repeat"]))
        pos = draw(st.integers(0, max(0, len(data))))
        if op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(
                st.one_of(
                    st.binary(max_size=16),
                    st.sampled_from(
                        [b"\xff\xfe", b"\xed\xa0\xbd", b"[" * 3000, b"9" * 5000, b"\x00", b'"']
                    ),
                )
            )
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            a = draw(st.integers(0, len(other)))
            data[pos:pos] = other[a : a + draw(st.integers(0, 200))]
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "repeat":
            data[pos:pos] = bytes(data[pos : pos + 32]) * draw(st.integers(1, 50))
    return bytes(data)


_Path = tuple[str | int, ...]


def _paths(value: object, prefix: _Path = ()) -> Iterator[_Path]:
    yield prefix
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))


def _replaced(value: object, path: _Path, new: object) -> object:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [*value[:head], _replaced(value[head], rest, new), *value[head + 1 :]]
    if isinstance(value, dict) and head in value:
        return {**value, head: _replaced(value[head], rest, new)}
    return value


@cache
def _parsed_seeds(name: str) -> tuple[tuple[object, tuple[_Path, ...]], ...]:
    out = []
    for seed in TARGETS[name].seeds():
        try:
            value = json.loads(seed)
        except ValueError:
            continue  # HTML, XML, several JSON lines
        out.append((value, tuple(_paths(value))))
    return tuple(out)


@st.composite
def _tweaked(draw: st.DrawFn, name: str) -> bytes:
    """A JSON seed of the target with a few of its values (anywhere in the tree) replaced by the
    values that broke readers before: real structure, hostile leaves."""
    seeds = _parsed_seeds(name)
    if not seeds:
        return _dumps(draw(JSON_VALUES))
    value, paths = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        value = _replaced(value, draw(st.sampled_from(paths)), draw(JSON_VALUES))
    return _dumps(value)


def inputs(target: Target) -> st.SearchStrategy[bytes]:
    """What a target is fed: mutated seeds, raw bytes, and (JSON targets) structured JSON."""
    options = [_mutated(target.seeds()), st.binary(max_size=512)]
    if target.json_like:
        options.append(JSON_VALUES.map(_dumps))
        options.append(
            st.fixed_dictionaries(
                {
                    "captured_at": st.one_of(_NASTY_DATES, st.just("2024-03-01T00:00:00Z")),
                    "source": st.one_of(st.just("weibo"), _SCALARS),
                    "items": st.lists(st.dictionaries(_KEYS, JSON_VALUES, max_size=6), max_size=4),
                }
            ).map(_dumps)
        )
        options.append(
            st.lists(st.dictionaries(_KEYS, _SCALARS, max_size=5), max_size=5).map(_dumps)
        )
        options.append(_tweaked(target.name))
    return st.one_of(options)


def check(target: Target, data: bytes, workdir: Path) -> BaseException | None:
    """Run ``target`` on ``data``: None when it returned or refused cleanly, else the crash."""
    try:
        target.run(data, workdir)
    except target.allowed as e:
        text = e.one_line() if isinstance(e, UserError) else str(e)
        if "\n" in text or "\r" in text:
            return AssertionError(f"a refusal must be one line: {text[:300]!r}")
        return None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # a crash is what we are looking for (Rust panics included)
        return e
    return None
