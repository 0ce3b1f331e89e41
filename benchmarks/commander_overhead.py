"""The commander's own cost: planning overhead without the model's time, and a playbook's run
against the same steps run by hand.

    python benchmarks/commander_overhead.py [--repeat 7]

1. Planning: ``commander.plan`` through the runner with a pydantic-ai FunctionModel that answers
   at once (its time is ~0, so the run's wall time is our overhead: prompt from the cached
   catalogue, the gateway, parsing, checking the plan against the registry, the estimate, the
   plan file). Also the check alone and the catalogue built cold. Baseline: a no-op run
   (util.echo) in the same process.
2. Playbooks: a playbook of two real steps (clean.table on a 61-row table, then clean.profile of
   its output) vs the same two runs started by hand, each iteration on a fresh copy of the table
   (so no run-cache hits), medians and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "tests" / "fixtures" / "commander" / "beers.csv"


def plan_of(path: str) -> dict[str, Any]:
    return {
        "steps": [
            {"id": "clean", "skill": "clean.table", "params": {"path": path}},
            {
                "id": "profile",
                "skill": "clean.profile",
                "params": {"path": "${steps.clean.artifacts.cleaned}"},
            },
        ]
    }


def instant_model(path: str) -> FunctionModel:
    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(
            parts=[ToolCallPart(info.output_tools[0].name, json.dumps(plan_of(path)))]
        )

    return FunctionModel(fn)


def ms(seconds: float) -> float:
    return seconds * 1000.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    from onelegion.core.config import set_value
    from onelegion.core.executors import InlineExecutor
    from onelegion.core.registry import Registry
    from onelegion.core.runtime import Runtime
    from onelegion.skills.commander import catalog
    from onelegion.skills.commander.models import Plan
    from onelegion.skills.commander.plan import check_plan

    tmp = Path(tempfile.mkdtemp(prefix="legion-cmd-bench-"))
    home = tmp / "home"
    work = tmp / "work"
    work.mkdir(parents=True)
    shutil.copy(TABLE, work / "beers.csv")
    set_value(home, "llm.cache", "false")  # every plan reaches the (instant) model
    rt = Runtime.open(home, executor=InlineExecutor(), llm_model=instant_model("beers.csv"))

    # --- planning ------------------------------------------------------------------------
    reg = Registry.from_entry_points()
    t0 = time.perf_counter()
    catalog._CACHE.clear()
    prompt = catalog.system_prompt(reg)
    cold_catalogue = ms(time.perf_counter() - t0)
    rt.runner.run("util.echo", {"message": "warm"})
    params = {"goal": "clean beers.csv then profile it", "base_dir": str(work)}
    rt.runner.run("commander.plan", params)  # warm: imports, first schema builds
    plan_runs, echo_runs, checks = [], [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        r = rt.runner.run("commander.plan", params)
        plan_runs.append(ms(time.perf_counter() - t))
        assert r.ok, r.error
        t = time.perf_counter()
        rt.runner.run("util.echo", {"message": str(t)}, refresh=True)
        echo_runs.append(ms(time.perf_counter() - t))
        t = time.perf_counter()
        check_plan(Plan.model_validate({"goal": "g", **plan_of("beers.csv")}), reg, work)
        checks.append(ms(time.perf_counter() - t))

    # --- playbook vs by hand ---------------------------------------------------------------
    (home / "playbooks").mkdir(exist_ok=True)
    book_runs, hand_runs = [], []
    for i in range(args.repeat):
        d_book, d_hand = work / f"book{i}", work / f"hand{i}"
        d_book.mkdir()
        d_hand.mkdir()
        shutil.copy(TABLE, d_book / "beers.csv")
        shutil.copy(TABLE, d_hand / "beers.csv")
        (home / "playbooks" / f"b{i}.yaml").write_text(
            "format: 1\ngoal: bench\n"
            + json.dumps(
                {"steps": plan_of(str(d_book / "beers.csv"))["steps"]}, ensure_ascii=False
            )[1:-1].replace('"steps": ', "steps: "),
            encoding="utf-8",
        )
        order = (
            [("book", d_book), ("hand", d_hand)]
            if i % 2 == 0
            else [("hand", d_hand), ("book", d_book)]
        )
        for kind, d in order:
            t = time.perf_counter()
            if kind == "book":
                r = rt.runner.run("playbook.run", {"name": f"b{i}"})
                assert r.ok and r.output and r.output["ok"], r.error
                book_runs.append(ms(time.perf_counter() - t))
            else:
                a = rt.runner.run("clean.table", {"path": str(d / "beers.csv")}, allowed_roots=[d])
                cleaned = next(x.path for x in a.artifacts if x.name == "cleaned")
                b = rt.runner.run("clean.profile", {"path": cleaned}, allowed_roots=[d])
                assert a.ok and b.ok
                hand_runs.append(ms(time.perf_counter() - t))
    rt.close()
    shutil.rmtree(tmp, ignore_errors=True)

    med = statistics.median
    load = os.getloadavg()
    print(
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load[0]:.1f} / {load[1]:.1f}"
    )
    print(f"prompt: {len(prompt):,} characters, {len(reg.all())} skills")
    print("| what | median | target | baseline (same run) | ratio |")
    print("|---|---|---|---|---|")
    print(
        f"| commander.plan run, instant model (planning overhead) | {med(plan_runs):.1f} ms | < 50 ms "
        f"| util.echo run: {med(echo_runs):.2f} ms | +{med(plan_runs) - med(echo_runs):.1f} ms |"
    )
    print(f"| plan check against the registry (2 steps) | {med(checks):.2f} ms |  |  |  |")
    print(
        f"| skills catalogue for the prompt, cold (cached after) | {cold_catalogue:.1f} ms |  |  |  |"
    )
    print(
        f"| playbook.run of clean.table + clean.profile | {med(book_runs):.0f} ms | same as by hand "
        f"| the two runs by hand: {med(hand_runs):.0f} ms | {med(book_runs) / med(hand_runs):.3f}x |"
    )
    print(f"raw plan ms: {[round(x, 1) for x in plan_runs]}")
    print(
        f"raw playbook ms: {[round(x) for x in book_runs]}; by hand: {[round(x) for x in hand_runs]}"
    )


if __name__ == "__main__":
    main()
