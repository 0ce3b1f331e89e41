"""The radar skills end to end on the bundled real sample: import, trends, digest, export, demo."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from rich.console import Console

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.llm import LLM
from onelegion.skills.radar import (
    SKILLS,
    DemoIn,
    DigestIn,
    ExportIn,
    ImportIn,
    SourcesIn,
    TrendsIn,
    radar_demo,
    radar_digest,
    radar_export,
    radar_import,
    radar_sources,
    radar_trends,
)
from onelegion.skills.radar.service import parse_duration, resolve_window, store_for

SAMPLES = Path(__file__).parents[2] / "src" / "onelegion" / "skills" / "radar" / "samples"


def render(obj: Any) -> str:
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(obj)
    return buf.getvalue()


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    c = Context.for_testing(tmp_path)
    radar_import(c, ImportIn(dir=SAMPLES / "weibo", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "zhihu", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "toutiao", format="trending-in-one"))
    return c


def test_skill_names() -> None:
    assert [s.name for s in SKILLS] == [
        "radar.sources",
        "radar.scan",
        "radar.watch",
        "radar.import",
        "radar.trends",
        "radar.digest",
        "radar.export",
        "radar.demo",
    ]
    assert {s.name for s in SKILLS if not s.cacheable} >= {"radar.scan", "radar.watch"}


def test_import_reports_and_is_idempotent(tmp_path: Path) -> None:
    c = Context.for_testing(tmp_path)
    out = radar_import(c, ImportIn(dir=SAMPLES / "zhihu", format="justjavac"))
    raw = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((SAMPLES / "zhihu" / "raw").glob("*.json"))
    ]
    assert out.snapshots_added == 3 and out.rows_added == sum(
        len({r["title"] for r in day}) for day in raw
    )
    assert out.sources == {"zhihu": out.rows_added}
    again = radar_import(c, ImportIn(dir=SAMPLES / "zhihu", format="justjavac"))
    assert (again.snapshots_added, again.snapshots_skipped, again.rows_added) == (0, 3, 0)
    assert "Imported 0 snapshots (3 already stored)" in render(again)
    # the import tokenised what it stored: the first trends after it has nothing left to do
    store = store_for(c)
    with store.connect(read_only=True) as con:
        untokenised, total = con.execute(
            "SELECT count(*) FILTER (WHERE tokens IS NULL), count(*) FROM items"
        ).fetchone() or (None, None)
    assert (untokenised, total) == (0, out.new_items)


def test_sources_lists_stored_and_catalog_sources(ctx: Context) -> None:
    out = radar_sources(ctx, SourcesIn())
    by_id = {s.id: s for s in out.sources}
    assert by_id["weibo"].snapshots == 3 and by_id["weibo"].last_success is not None
    assert by_id["toutiao"].last_items > 0
    assert "weibo" in render(out)


def test_sources_does_not_hide_a_broken_radar_module(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onelegion.skills.radar.fetch", None)  # import fails
    with pytest.raises(ImportError, match="onelegion.skills.radar.fetch"):
        radar_sources(ctx, SourcesIn())


def test_trends_window_falls_back_to_the_latest_snapshot(ctx: Context) -> None:
    out = radar_trends(ctx, TrendsIn(since="2d", keyword="李铁"))
    assert out.note is not None and "latest snapshot (2024-01-10 15:59 UTC)" in out.note
    assert out.analysis.items_seen > 3
    assert out.analysis.top and all("李铁" in it.title for it in out.analysis.top)
    # the Li Tie story is one event on all three platforms of the sample (issue 9)
    assert any({"weibo", "zhihu"} <= set(ev.platforms) for ev in out.analysis.events)
    text = render(out)
    assert "李铁行贿300万当上国足主教练" in text and "Cross-platform events" in text


def test_digest_markdown_html_and_llm_summary(ctx: Context, tmp_path: Path) -> None:
    wl = tmp_path / "watch.txt"
    wl.write_text("[足球]\n李铁\n国足\n@3\n", encoding="utf-8")
    out = radar_digest(ctx, DigestIn(since="2d", watch=wl))
    md = out.markdown
    assert (
        md.index("## 关注 Watched")
        < md.index("## 上升 Rising")
        < md.index("## 跨平台 Cross-platform")
        < md.index("## 新上榜 New")
    )
    assert "**足球**" in md and "## 摘要" not in md
    html = Path(next(a.path for a in out.artifacts if a.name == "digest.html")).read_text(
        encoding="utf-8"
    )
    assert html.startswith("<!doctype html>") and "Noto Sans CJK SC" in html and "<svg" in html
    assert "http://" not in html.split("<body>")[0] and "<script" not in html

    from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    prompts: list[str] = []

    def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        prompts.append(str(messages[-1]))
        return ModelResponse(parts=[TextPart("- 李铁案持续发酵")])

    llm = LLM(FunctionModel(answer))
    c2 = Context.for_testing(tmp_path / "second", llm=llm, config=ctx.config)
    out2 = radar_digest(c2, DigestIn(since="2d"))
    assert out2.markdown.split("\n\n")[2:4] == ["## 摘要 Summary", "- 李铁案持续发酵"]
    assert "李铁" in prompts[0]


def test_export_round_trips_through_jsonl(ctx: Context, tmp_path: Path) -> None:
    pq = tmp_path / "hot.parquet"
    out = radar_export(ctx, ExportIn(output=pq, since="30d", until="2024-01-11"))
    import pyarrow.parquet as papq

    table = papq.read_table(pq)
    assert table.num_rows == out.rows and table.column_names[:4] == [
        "source",
        "captured_at",
        "rank",
        "title",
    ]
    jl = tmp_path / "exp" / "weibo.jsonl"
    n = radar_export(
        ctx, ExportIn(output=jl, since="30d", until="2024-01-11", platform=["weibo"])
    ).rows
    assert n == sum(1 for r in table.column("source").to_pylist() if r == "weibo")
    c2 = Context.for_testing(tmp_path / "fresh")
    again = radar_import(c2, ImportIn(dir=jl.parent, format="jsonl"))
    assert (again.snapshots_added, again.rows_added) == (3, n)
    with pytest.raises(ValidationError, match="end the file name with .parquet, .csv or .jsonl"):
        ExportIn(output=tmp_path / "x.xlsx", since="30d")  # refused before any work


def test_demo_builds_a_digest_offline(tmp_path: Path) -> None:
    c = Context.for_testing(tmp_path)
    out = radar_demo(c, DemoIn())
    assert {a.name for a in out.artifacts} == {"digest.md", "digest.html"}
    assert "## 跨平台 Cross-platform" in out.markdown and "**足球**" in out.markdown
    assert not store_for(c).path.exists()  # the person's history is untouched


def test_durations_and_windows(tmp_path: Path) -> None:
    assert parse_duration("30m").total_seconds() == 1800
    assert parse_duration("7d").days == 7
    with pytest.raises(UserError, match="not a duration"):
        parse_duration("soon")
    c = Context.for_testing(tmp_path)
    start, end, note = resolve_window(store_for(c), "24h", "2024-03-01T08:00+08:00")
    assert (start.isoformat(), end.isoformat(), note) == (
        "2024-02-29T00:00:00+00:00",
        "2024-03-01T00:00:00+00:00",
        None,
    )


def test_embedding_hook_from_config(tmp_path: Path) -> None:
    from onelegion.core.config import Settings
    from onelegion.skills.radar.service import embedder_for

    home = tmp_path / "home"
    home.mkdir()
    (home / "legion.toml").write_text(
        '[radar]\nembed = "radar_helpers:fake_embed"\n', encoding="utf-8"
    )
    c = Context.for_testing(tmp_path, config=Settings.load(home))
    fn = embedder_for(c)
    assert fn is not None and fn(["炮击", "天气"]) == [[1.0, 0.0], [0.0, 1.0]]
    assert embedder_for(Context.for_testing(tmp_path / "none")) is None
    (home / "legion.toml").write_text('[radar]\nembed = "no_such_module:x"\n', encoding="utf-8")
    with pytest.raises(UserError, match="cannot be loaded"):
        embedder_for(Context.for_testing(tmp_path, config=Settings.load(home)))
