"""Fixtures for the HTTP API and MCP tests: a fresh runtime per test with the util skills and
one small file skill (an InputFile in, a report artifact out), defined here for the tests only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.core.registry import Registry
from onelegion.core.runtime import Runtime
from onelegion.core.skill import Artifact, InputFile, skill
from onelegion.skills import util


class CountIn(BaseModel):
    source: InputFile = Field(description="A UTF-8 text file.")
    extra: list[InputFile] = Field(default_factory=list, description="More text files.")
    word: str = Field(default="", description="Count lines containing this word.")


class CountOut(BaseModel):
    lines: int
    matching: int
    files: list[str]
    artifacts: list[Artifact] = []


@skill("testkit.count", title="Count lines", summary="Count lines of text files.")
def count(ctx: Context, params: CountIn) -> CountOut:
    """Counts lines (and lines containing a word) and writes a small report."""
    paths = [params.source, *params.extra]
    lines = matching = 0
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            lines += 1
            matching += bool(params.word) and params.word in line
    ctx.progress(1, 1, "counted")
    report = ctx.path("report.txt")
    report.write_text(f"{lines} lines, {matching} matching\n", encoding="utf-8")
    art = ctx.artifact("report.txt", media_type="text/plain", description="counts")
    return CountOut(lines=lines, matching=matching, files=[p.name for p in paths], artifacts=[art])


class FailIn(BaseModel):
    kind: str = "user"


class FailOut(BaseModel):
    ok: bool


@skill("testkit.fail", title="Fail", summary="Always fails.", cacheable=False)
def fail(ctx: Context, params: FailIn) -> FailOut:
    from onelegion.core.errors import UserError

    if params.kind == "user":
        raise UserError("the table has no header row", hint="add one")
    raise RuntimeError("boom")


TEST_SKILLS = [*util.SKILLS, count, fail]


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.delenv("LEGION_TOKEN", raising=False)
    rt = Runtime.open(tmp_path / "home", registry=Registry.of(TEST_SKILLS))
    yield rt
    rt.close()
