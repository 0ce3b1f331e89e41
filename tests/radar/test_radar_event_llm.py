"""With a configured model, the radar names its events and confirms or splits borderline merges
(issue 9): FunctionModel answers, exact outcomes, calls counted, cached, budgeted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.llm import LLM
from onelegion.skills.radar import (
    DigestIn,
    ImportIn,
    TrendsIn,
    radar_digest,
    radar_import,
    radar_trends,
)
from onelegion.skills.radar.analysis_models import Event, TrendItem
from onelegion.skills.radar.event_judge import (
    MAX_EVENTS,
    EventJudgement,
    borderline,
    judge_events,
)

SAMPLES = Path(__file__).parents[2] / "src" / "onelegion" / "skills" / "radar" / "samples"


def _answer(info: AgentInfo, answer: dict[str, Any]) -> ModelResponse:
    part: Any = (
        ToolCallPart(info.output_tools[0].name, answer)
        if info.output_tools
        else TextPart(json.dumps(answer, ensure_ascii=False))
    )
    return ModelResponse(parts=[part])


def _titles(prompt: str) -> list[str]:
    return [ln for ln in prompt.split("\n") if ln[:1].isdigit() and ". [" in ln]


def namer(prompts: list[str]) -> FunctionModel:
    """Names each event by its first title's first 6 characters; splits the last title off
    whenever it is asked to group (a borderline event)."""

    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        prompt = str(messages[-1].parts[-1].content)  # type: ignore[union-attr]
        prompts.append(prompt)
        lines = _titles(prompt)
        first = lines[0].split("] ", 1)[1]
        n = len(lines)
        groups = [list(range(1, n)), [n]] if "group the numbers" in prompt and n > 2 else []
        return _answer(info, {"name": first[:6], "groups": groups})

    return FunctionModel(fn)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("radar-llm")
    c = Context.for_testing(root)
    radar_import(c, ImportIn(dir=SAMPLES / "weibo", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "zhihu", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "toutiao", format="trending-in-one"))
    return root


def test_the_model_names_events_and_splits_borderline_ones(home: Path) -> None:
    plain = radar_trends(Context.for_testing(home), TrendsIn(since="2d", limit=50))
    prompts: list[str] = []
    llm = LLM(namer(prompts))
    c = Context.for_testing(home, llm=llm)
    out = radar_trends(c, TrendsIn(since="2d", limit=50, llm=True))
    judged = [e for e in out.analysis.events if e.judged in ("confirmed", "split")]
    n = min(MAX_EVENTS, len(plain.analysis.events))
    assert len(prompts) == n == len(judged) and llm.usage.calls == n
    for ev in judged:
        assert ev.name == ev.items[0].title[:6] or ev.judged == "split"
    expected_splits = [
        e.id for e in plain.analysis.events[:MAX_EVENTS] if borderline(e) and len(e.items) > 2
    ]
    assert [e.id for e in out.analysis.events if e.judged == "split"] == expected_splits
    assert sum(1 for p in prompts if "group the numbers" in p) == sum(
        1 for e in plain.analysis.events[:MAX_EVENTS] if borderline(e)
    )
    for ev in out.analysis.events:  # every event still spans two platforms
        assert len(ev.platforms) >= 2
        assert all(it.event_id == ev.id for it in ev.items)
    # the same events asked again in the same day: answered from the cache
    again = radar_trends(c, TrendsIn(since="2d", limit=50, llm=True))
    assert llm.usage.calls == n and llm.usage.cache_hits == n
    assert [e.name for e in again.analysis.events] == [e.name for e in out.analysis.events]


def test_named_events_in_the_digest(home: Path) -> None:
    llm = LLM(namer([]))
    d = radar_digest(Context.for_testing(home, llm=llm), DigestIn(since="2d", llm=True))
    ev = d.analysis.events[0]
    assert ev.name is not None
    block = d.markdown.split("## 跨平台 Cross-platform\n\n")[1]
    assert block.startswith(f"- **{ev.name}** · ")


def test_llm_flag_without_a_model_is_refused_and_the_setting_is_only_a_wish(
    home: Path, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="--llm needs a configured model"):
        radar_trends(Context.for_testing(home), TrendsIn(since="2d", llm=True))
    from onelegion.core.config import Settings

    cfg_home = home / "home"
    toml = cfg_home / "legion.toml"
    toml.write_text("[radar]\nllm = true\n", encoding="utf-8")
    try:
        events: list[tuple[str, dict[str, object]]] = []
        c = Context.for_testing(home, config=Settings.load(cfg_home), events=events)
        out = radar_trends(c, TrendsIn(since="2d"))
        assert out.analysis.events and all(e.judged is None for e in out.analysis.events)
        assert any("no model is configured" in str(d["message"]) for k, d in events)
        prompts: list[str] = []
        c2 = Context.for_testing(home, config=Settings.load(cfg_home), llm=LLM(namer(prompts)))
        out2 = radar_trends(c2, TrendsIn(since="2d"))
        assert prompts and out2.analysis.events[0].judged is not None
    finally:
        toml.unlink()


def _item(key: int, source: str, title: str, rank: int) -> TrendItem:
    from datetime import datetime

    t = datetime(2024, 3, 5, 4, 0)
    return TrendItem(
        item_key=key,
        source=source,
        title=title,
        first_seen=t,
        last_seen=t,
        best_rank=rank,
        first_rank=rank,
        last_rank=rank,
        sightings=1,
        captures=1,
    )


def test_a_bad_answer_never_harms_and_the_budget_stops_the_calls() -> None:
    # real titles (weibo/zhihu hot lists, 2024-01-10): one event on two platforms, and a third
    # title the rules put with them
    items = [
        _item(1, "weibo", "李铁两次带队进中超背后都是假球", 1),
        _item(
            2, "zhihu", "央视播出李铁案细节，李铁行贿 300 万当上国足主教练，哪些信息值得关注？", 2
        ),
        _item(3, "weibo", "范志毅出圈演繁花", 9),
    ]
    ev = Event(
        id=1,
        title=items[0].title,
        platforms=["weibo", "zhihu"],
        first_seen=items[0].first_seen,
        best_rank=1,
        score=1.0,
        items=items,
    )
    assert borderline(ev)

    def invents(prompt: str) -> EventJudgement:  # numbers that do not exist, title 2 unplaced
        return EventJudgement(name="李铁案", groups=[[1, 7], [3, 3, 9]])

    out, rep = judge_events([ev.model_copy(deep=True)], invents)
    assert (rep.judged, rep.split) == (1, 1)
    assert [[it.item_key for it in e.items] for e in out] == [[1, 2]]
    assert out[0].name == "李铁案" and out[0].judged == "split"

    def fails(prompt: str) -> EventJudgement:
        raise ValueError("not JSON")

    out, rep = judge_events([ev.model_copy(deep=True)], fails)
    assert rep.failed == 1 and [[it.item_key for it in e.items] for e in out] == [[1, 2, 3]]
    assert out[0].judged is None

    llm = LLM(namer([]), max_calls=1)
    many = [ev.model_copy(deep=True, update={"id": i}) for i in range(1, 4)]

    def ask(prompt: str) -> EventJudgement:
        return llm.ask(prompt, output_type=EventJudgement, cache=False)

    out, rep = judge_events(many, ask)
    assert rep.judged == 1 and llm.usage.calls == 1
    assert [e.judged for e in out] == ["split", None, None]
