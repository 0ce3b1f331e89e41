"""Issue 9, "smaller things a user met": --since dates and spans, item_key as a string, CSV with a
BOM and zoned times, unknown platforms refused, the sources table, narrow terminals."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.radar import (
    DigestIn,
    ExportIn,
    ImportIn,
    SourcesIn,
    TrendsIn,
    radar_digest,
    radar_export,
    radar_import,
    radar_sources,
    radar_trends,
)
from onelegion.skills.radar.service import parse_duration, parse_since, resolve_window, store_for

SAMPLES = Path(__file__).parents[2] / "src" / "onelegion" / "skills" / "radar" / "samples"


def render(obj: Any, width: int = 200) -> str:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None).print(obj)
    return buf.getvalue()


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    c = Context.for_testing(tmp_path_factory.mktemp("radar"))
    radar_import(c, ImportIn(dir=SAMPLES / "weibo", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "zhihu", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "toutiao", format="trending-in-one"))
    return c


# --- --since --------------------------------------------------------------------------------
def test_since_takes_years_and_refuses_an_empty_window() -> None:
    assert parse_duration("1y").days == 365
    with pytest.raises(UserError, match="'0d' is an empty window"):
        parse_duration("0d")
    assert parse_duration("0", what="--every", allow_zero=True).total_seconds() == 0


def test_since_takes_a_date_as_git_log_does(tmp_path: Path) -> None:
    store = store_for(Context.for_testing(tmp_path))
    start, end, note = resolve_window(store, "2024-03-01", "2024-03-31")
    # dates without a zone are read in UTC+8, as --until's
    assert (start.isoformat(), end.isoformat(), note) == (
        "2024-02-29T16:00:00+00:00",
        "2024-03-30T16:00:00+00:00",
        None,
    )
    assert parse_since("2024-03-01T08:00+00:00").isoformat() == "2024-03-01T08:00:00+00:00"
    with pytest.raises(UserError, match="is not before the end of the window"):
        resolve_window(store, "2024-04-01", "2024-03-31")
    with pytest.raises(UserError, match="neither a duration nor a date"):
        parse_since("yesterday")


def test_every_since_command_takes_a_date(ctx: Context, tmp_path: Path) -> None:
    t = radar_trends(ctx, TrendsIn(since="2024-01-09", until="2024-01-11"))
    assert t.analysis.items_seen > 0 and t.note is None
    assert t.analysis.since.isoformat() == "2024-01-08T16:00:00"  # UTC
    d = radar_digest(ctx, DigestIn(since="2024-01-09", until="2024-01-11"))
    assert d.analysis.items_seen == t.analysis.items_seen
    n = radar_export(
        ctx, ExportIn(output=tmp_path / "x.jsonl", since="2024-01-01", until="2024-01-11")
    ).rows
    m = radar_export(ctx, ExportIn(output=tmp_path / "y.jsonl", since="1y", until="2024-01-11"))
    assert n == m.rows > 0


# --- --platform --------------------------------------------------------------------------------
def test_an_unknown_platform_is_refused_with_the_known_ones(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(UserError) as e:
        radar_trends(ctx, TrendsIn(since="2d", platform=["weibo2"]))
    assert e.value.message == "unknown platform 'weibo2' (did you mean weibo?)"
    assert e.value.hint is not None and "toutiao" in e.value.hint and "zhihu" in e.value.hint
    with pytest.raises(UserError, match="unknown platform 'weibo2'"):
        radar_digest(ctx, DigestIn(since="2d", platform=["weibo2"]))
    with pytest.raises(UserError, match="unknown platform 'weibo2'"):
        radar_export(ctx, ExportIn(output=tmp_path / "x.csv", platform=["weibo2"]))
    assert not (tmp_path / "x.csv").exists()
    t = radar_trends(ctx, TrendsIn(since="2d", platform=["toutiao", "weibo"]))
    assert set(t.analysis.sources) == {"toutiao", "weibo"}


# --- JSON and CSV ------------------------------------------------------------------------------
def test_item_key_is_a_string_in_json(ctx: Context) -> None:
    t = radar_trends(ctx, TrendsIn(since="2d"))
    data = json.loads(t.model_dump_json())
    keys = [it["item_key"] for it in data["analysis"]["top"]]
    assert keys and all(isinstance(k, str) and k.lstrip("-").isdigit() for k in keys)
    assert [int(k) for k in keys] == [it.item_key for it in t.analysis.top]
    again = type(t).model_validate(data)  # a recorded output reads back
    assert again.analysis.top[0].item_key == t.analysis.top[0].item_key


def test_csv_has_a_bom_and_zoned_times(ctx: Context, tmp_path: Path) -> None:
    out = tmp_path / "hot.csv"
    n = radar_export(ctx, ExportIn(output=out, since="30d", until="2024-01-11")).rows
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == n > 0
    assert list(rows[0])[:4] == ["source", "captured_at", "rank", "title"]
    assert all(r["captured_at"].endswith("+00:00") and "T" in r["captured_at"] for r in rows)
    import pyarrow.parquet as pq

    pq_out = tmp_path / "hot.parquet"
    radar_export(ctx, ExportIn(output=pq_out, since="30d", until="2024-01-11"))
    assert str(pq.read_schema(pq_out).field("captured_at").type) == "timestamp[us, tz=UTC]"


# --- one time convention -----------------------------------------------------------------------
def test_terminal_and_digest_show_times_in_one_named_zone(ctx: Context) -> None:
    d = radar_digest(ctx, DigestIn(since="2d", until="2024-01-11T00:00+08:00"))
    assert d.timezone == "Asia/Shanghai"
    head = d.markdown.split("\n\n")[1]
    assert head.startswith("2024-01-09 00:00 — 2024-01-11 00:00 (Asia/Shanghai, UTC+08:00) · ")
    text = render(d)
    assert "Window 2024-01-09 00:00 → 2024-01-11 00:00 Asia/Shanghai · " in text
    assert " UTC " not in text.split("\n")[0]
    # JSON stays UTC
    data = json.loads(d.model_dump_json())
    assert data["analysis"]["until"] == "2024-01-10T16:00:00"


# --- radar sources -----------------------------------------------------------------------------
def test_sources_table_has_enabled_url_and_last_error_columns(ctx: Context) -> None:
    from onelegion.skills.radar.models import SourcesOut, SourceStatus

    out = radar_sources(ctx, SourcesIn())
    head = render(out, width=250).split("\n")
    header = next(line for line in head if "Source" in line and "Enabled" in line)
    for col in ("Enabled", "OK", "Last success", "URL", "Last error"):
        assert col in header
    weibo = next(s for s in out.sources if s.id == "weibo")
    assert weibo.url.startswith("https://") and weibo.url[:30] in render(out, width=250)
    failing = SourcesOut(
        store="x.duckdb",
        timezone="UTC",
        sources=[
            SourceStatus(
                id="zhihu",
                url="https://www.zhihu.com/api/v3/feed/topstory/hot-lists/total",
                enabled=False,
                last_fetch=datetime(2024, 3, 1, 8, 0),
                last_error="HTTP 403",
            )
        ],
    )
    row = next(line for line in render(failing, width=250).split("\n") if "zhihu" in line)
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[2:4] == ["-", "✗"] and cells[-1] == "2024-03-01 08:00 HTTP 403"


# --- narrow terminals --------------------------------------------------------------------------
def test_trends_on_80_columns_keep_each_reason_on_whole_lines(ctx: Context) -> None:
    t = radar_trends(ctx, TrendsIn(since="2d", until="2024-01-11"))
    reasons = [r for it in t.analysis.rising[:10] for r in it.reasons]
    assert reasons
    narrow = render(t, width=80)
    assert all(len(line) <= 80 for line in narrow.split("\n"))
    flat = " ".join(line.strip("│ ") for line in narrow.split("\n"))
    short = [r for r in reasons if len(r) < 60]
    assert short and all(r in narrow for r in short)  # not folded into a strip
    assert "Why" not in narrow  # no column of its own
    wide = render(t, width=200)
    assert "Why" in wide and "First seen" in wide
    assert flat


# --- events with their angles ------------------------------------------------------------------
def test_digest_shows_each_event_with_its_angles_by_platform(ctx: Context) -> None:
    d = radar_digest(ctx, DigestIn(since="2d", until="2024-01-11"))
    block = d.markdown.split("## 跨平台 Cross-platform\n\n")[1].split("\n\n")[0]
    events = block.split("\n- ")
    assert len(events) >= 2
    from onelegion.skills.radar.digest import angles_by_platform, platform_name

    for ev, text in zip(d.analysis.events, events, strict=False):
        lines = text.removeprefix("- ").split("\n")
        assert lines[0].startswith(f"**{ev.title}**")
        angles = angles_by_platform(ev)
        assert [ln.split("：")[0].strip(" -") for ln in lines[1:]] == [n for n, _ in angles]
        assert {n for n, _ in angles} <= {platform_name(i.source) for i in ev.items}


def test_sources_on_80_columns_show_every_field_readably(ctx: Context) -> None:
    from onelegion.skills.radar.models import SourcesOut, SourceStatus

    out = SourcesOut(
        store="x.duckdb",
        timezone="UTC",
        sources=[
            SourceStatus(
                id="zhihu",
                name="知乎热榜",
                url="https://www.zhihu.com/api/v3/feed/topstory/hot-lists/total",
                enabled=False,
                last_fetch=datetime(2024, 3, 1, 8, 0),
                last_error="HTTP 403",
            )
        ],
    )
    text = render(out, width=80)
    assert all(len(line) <= 80 for line in text.split("\n"))
    assert "https://www.zhihu.com/api/v3/feed/topstory/hot-lists/total" in text
    assert "✗ 2024-03-01 08:00 HTTP 403" in text and "enabled - · OK ✗ · " in text
