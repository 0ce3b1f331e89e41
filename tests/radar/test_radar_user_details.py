"""Issue 9, "smaller things a user met": --since dates and spans, item_key as a string, CSV with a
BOM and zoned times, unknown platforms refused, the sources table, narrow terminals."""

from __future__ import annotations

import csv
import io
import json
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
    TrendsIn,
    radar_digest,
    radar_export,
    radar_import,
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
