"""Small utilities for checking the set-up. 工具

A no-op (to measure run overhead) and a cancellable wait (to try runs, progress and cancel).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill


class EchoIn(BaseModel):
    message: str = Field(default="", description="Text to return unchanged.")


class EchoOut(BaseModel):
    message: str = Field(description="The text that was given.")


@skill(
    "util.echo",
    title="Echo",
    summary="Return the message unchanged (a no-op run, for checking the set-up).",
    examples=("legion util echo --message 你好",),
)
def echo(ctx: Context, params: EchoIn) -> EchoOut:
    """Does nothing but return its input: measures what a run costs by itself."""
    return EchoOut(message=params.message)


class WaitIn(BaseModel):
    seconds: float = Field(default=1.0, ge=0, le=86400, description="How long to wait.")
    steps: int = Field(default=10, ge=1, le=10000, description="Progress steps to report.")


class WaitOut(BaseModel):
    waited: float = Field(description="Seconds actually waited.")


@skill(
    "util.wait",
    title="Wait",
    summary="Wait a number of seconds with progress; stops early when cancelled.",
    cacheable=False,
    examples=("legion util wait --seconds 3",),
)
def wait(ctx: Context, params: WaitIn) -> WaitOut:
    """Sleeps in steps, reporting progress; a cancel or timeout ends it between steps."""
    step = params.seconds / params.steps
    for i in range(params.steps):
        ctx.sleep(step)
        ctx.progress(i + 1, params.steps, "waiting")
    return WaitOut(waited=params.seconds)


SKILLS: list[Skill[BaseModel, BaseModel]] = [echo, wait]
