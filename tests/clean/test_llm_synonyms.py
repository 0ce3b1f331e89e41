"""LLM-proposed synonym mappings (an in-process FunctionModel: no network, no real model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from onelegion.core.context import Context
from onelegion.core.llm import LLM
from onelegion.skills.clean import clean_table
from onelegion.skills.clean.models import CleanTableIn
from onelegion.skills.clean.pipeline import CleanOptions, clean_frame
from onelegion.skills.clean.semantic import no_model_note

SEEN: list[str] = []


def _prompt(messages: list[ModelMessage]) -> str:
    return " ".join(
        str(getattr(p, "content", "")) for m in messages for p in getattr(m, "parts", [])
    )


def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    text = _prompt(messages)
    SEEN.append(text)
    if "品类" in text:
        answer: dict[str, Any] = {
            "meaning": "商品品类",
            "mappings": [
                {
                    "variant": "化妆品",
                    "canonical": "美妆",
                    "confidence": 0.95,
                    "reason": "same category",
                },
                {
                    "variant": "彩妆",
                    "canonical": "美妆",
                    "confidence": 0.6,
                    "reason": "a sub-category",
                },
                {
                    "variant": "不存在",
                    "canonical": "美妆",
                    "confidence": 0.99,
                    "reason": "not in the column",
                },
            ],
        }
    else:
        answer = {"meaning": "其他", "mappings": []}
    part: Any = (
        ToolCallPart(info.output_tools[0].name, answer)
        if info.output_tools
        else TextPart(json.dumps(answer))
    )
    return ModelResponse(parts=[part])


def _table(tmp_path: Path) -> Path:
    p = tmp_path / "t.csv"
    rows = ["品类,数量"] + ["美妆,1"] * 5 + ["化妆品,2"] * 2 + ["彩妆,3", "数码,4", "数码,5"]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_llm_mappings_applied_above_threshold(tmp_path: Path) -> None:
    SEEN.clear()
    llm = LLM(FunctionModel(model))
    ctx = Context.for_testing(tmp_path, llm=llm)
    out = clean_table(ctx, CleanTableIn(path=_table(tmp_path), llm=True, min_confidence=0.8))
    df = pl.read_csv(out.output or "", infer_schema=False)
    assert df["品类"].to_list() == ["美妆"] * 7 + ["彩妆", "数码", "数码"]
    recipe = json.loads((ctx.run_dir / "recipe.json").read_text(encoding="utf-8"))
    llm_steps = [s for s in recipe["steps"] if s.get("evidence", {}).get("source") == "llm"]
    assert [(s["mapping"], s["enabled"]) for s in llm_steps] == [
        ({"化妆品": "美妆"}, True),
        ({"彩妆": "美妆"}, False),
    ]
    assert out.llm.startswith("1 synonym mapping(s) applied, 1 proposed")
    assert any("化妆品 (2)" in t for t in SEEN)


def test_without_model_one_line_says_what_llm_would_add(tmp_path: Path) -> None:
    out = clean_table(Context.for_testing(tmp_path), CleanTableIn(path=_table(tmp_path), llm=True))
    assert out.llm.startswith("no LLM configured")
    assert "品类" in out.llm and "\n" not in out.llm


def test_no_model_note_without_categories() -> None:
    df = pl.DataFrame({"x": ["1", "2"]})
    assert no_model_note(df, {"x": "integer"}) == ""
    assert clean_frame(df, CleanOptions()).df.equals(df)


def test_configured_but_not_asked(tmp_path: Path) -> None:
    SEEN.clear()
    out = clean_table(
        Context.for_testing(tmp_path, llm=LLM(FunctionModel(model))),
        CleanTableIn(path=_table(tmp_path)),
    )
    assert out.llm.startswith("add --llm to let the configured model propose")
    assert SEEN == []  # no call without --llm


def test_failing_model_does_not_sink_the_cleaning(tmp_path: Path) -> None:
    def broken(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise RuntimeError("upstream 500")

    llm = LLM(FunctionModel(broken))
    out = clean_table(
        Context.for_testing(tmp_path, llm=llm), CleanTableIn(path=_table(tmp_path), llm=True)
    )
    assert out.rows == 10 and Path(out.output or "").exists()
    assert "the model stopped answering" in out.llm
