"""Skills used only by the core tests."""

from __future__ import annotations

import threading
import time

from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.skill import Artifact, InputFile, OutputFile, skill


class CountIn(BaseModel):
    path: InputFile = Field(description="A text file.")
    output: OutputFile | None = Field(default=None, description="Where to write the count.")


class CountOut(BaseModel):
    lines: int
    artifacts: list[Artifact] = []


CALLS: list[str] = []


@skill("testing.count", title="Count lines", summary="Count the lines of a file.")
def count(ctx: Context, params: CountIn) -> CountOut:
    CALLS.append(str(params.path))
    n = len(params.path.read_text(encoding="utf-8").splitlines())
    out = ctx.path("count.txt")
    out.write_text(str(n))
    arts = [ctx.artifact("count.txt", description="the count")]
    if params.output:
        params.output.write_text(str(n))
        arts.append(ctx.artifact("export", params.output))
    return CountOut(lines=n, artifacts=arts)


class Empty(BaseModel):
    pass


class Text(BaseModel):
    text: str


@skill("testing.ask", title="Ask", summary="Ask the LLM.", cacheable=False)
def ask(ctx: Context, params: Empty) -> Text:
    return Text(text=ctx.llm.ask("say hi"))


@skill("testing.bug", title="Bug", summary="Raise a bug.", cacheable=False)
def bug(ctx: Context, params: Empty) -> Text:
    raise ZeroDivisionError("boom")


@skill("testing.bad", title="Bad input", summary="Raise a user error.", cacheable=False)
def bad(ctx: Context, params: Empty) -> Text:
    raise UserError("the table has no header", hint="add a header row")


STUBBORN_DONE = threading.Event()


class Seconds(BaseModel):
    seconds: float = 5.0


@skill("testing.stubborn", title="Stubborn", summary="Busy, never checks.", cacheable=False)
def stubborn(ctx: Context, params: Seconds) -> Empty:
    """Works without a single cancellation check (like a long polars call)."""
    STUBBORN_DONE.clear()
    time.sleep(params.seconds)
    STUBBORN_DONE.set()
    return Empty()


SKILLS = [count, ask, bug, bad, stubborn]
