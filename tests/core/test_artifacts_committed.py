"""An artifact is in the store as soon as the skill commits it, not only when the run ends:
a run killed right after its output was complete lists what exists (issue 10)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.registry import Registry
from onelegion.core.runtime import Runtime
from onelegion.core.skill import skill

SEEN: list[list[str]] = []


class In(BaseModel):
    pass


class Out(BaseModel):
    ok: bool


@skill(
    "testing.commit_then_check", title="Commit", summary="Commit an artifact, look at the store."
)
def commit_then_check(ctx: Context, params: In) -> Out:
    from onelegion.core.store import Store

    ctx.path("a.txt").write_text("done", encoding="utf-8")
    ctx.artifact("a.txt", description="the output")
    store = Store(Path(ctx.config.home) / "legion.db")  # as another process would see it
    SEEN.append([a.name for a in store.artifacts(ctx.run_id)])
    return Out(ok=True)


def test_artifacts_are_recorded_when_committed(home: Path) -> None:
    reg = Registry.from_entry_points()
    reg.register(commit_then_check)
    rt = Runtime.open(home, registry=reg)
    try:
        SEEN.clear()
        res = rt.runner.run("testing.commit_then_check", {})
        assert res.status == "succeeded"
        assert SEEN == [["a.txt"]]  # already stored while the skill was still running
        assert [a.name for a in rt.store.artifacts(res.run_id)] == ["a.txt"]
    finally:
        rt.close()
