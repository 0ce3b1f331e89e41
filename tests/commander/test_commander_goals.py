"""The planning suite: 30 goals (zh and en) planned over real HTTP against the loopback
OpenAI-compatible fake, whose scripted answers are what real models return — plain JSON, JSON in
prose or a fence, broken JSON, unknown skills, invalid parameters, references to later steps,
missing files, refusals and sentences. A goal is planned correctly when the accepted plan uses the
expected skills in order. The answers are scripted: the figure measures the parsing and the repair
loop against those behaviours, not a real model's planning skill."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from onelegion.core.config import set_value
from onelegion.core.runtime import Runtime
from tests.support.fake_openai import FakeOpenAI, FakeRequest

GOALS = Path(__file__).parent.parent / "fixtures" / "commander" / "goals.yaml"


def _variant(kind: str, plan: dict[str, Any]) -> Any:
    p = copy.deepcopy(plan)
    first = p["steps"][0]
    text = json.dumps(p, ensure_ascii=False)
    if kind == "ok":
        return p
    if kind == "prose":
        return f"Sure — here is the plan:\n\n```json\n{text}\n```\n\nTell me if you want changes."
    if kind == "fence":
        return f"```json\n{text}\n```"
    if kind == "broken":
        return text[: len(text) * 2 // 3]
    if kind == "unknown":
        first["skill"] = first["skill"].split(".")[0] + ".run_all"
        return p
    if kind == "badparam":
        first["params"]["verbose"] = True
        return p
    if kind == "laterref":
        first["params"]["path"] = "${steps.later.artifacts.out}"
        return p
    if kind == "nofile":
        key = next(iter(first["params"]), "path")
        first["params"][key] = "data/not-there.csv"
        return p
    if kind == "refuse":
        return {"steps": [], "refusal": "I am not able to do that with these tools."}
    if kind == "nonsense":
        return "You could use a spreadsheet program for this."
    raise AssertionError(kind)


def test_thirty_goals_planned(home: Path, tmp_path: Path) -> None:
    goals: list[dict[str, Any]] = yaml.safe_load(GOALS.read_text(encoding="utf-8"))
    assert len(goals) == 30
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in g["goal"]) for g in goals) == 15
    by_goal = {" ".join(g["goal"].split()): g for g in goals}
    served: dict[str, int] = {}

    def answer(req: FakeRequest) -> Any:
        user = req.text_of("user")
        goal = user.split("\n", 1)[0].removeprefix("Goal: ").strip()
        g = by_goal[goal]
        n = served.get(goal, 0)
        served[goal] = n + 1
        return _variant(g["answers"][n], g["plan"])

    correct: list[str] = []
    first_try = 0
    with FakeOpenAI(replies=[answer] * 200) as fake:
        set_value(home, "llm.model", f'"openai-compatible:fake@{fake.base_url}"')
        rt = Runtime.open(home)
        for i, g in enumerate(goals):
            folder = tmp_path / f"goal{i:02d}"
            folder.mkdir()
            for f in g["files"]:
                target = folder / f
                if f.endswith("/"):
                    target.mkdir(parents=True)
                else:
                    target.write_text("a,b\n1,2\n", encoding="utf-8")
            r = rt.runner.run("commander.plan", {"goal": g["goal"], "base_dir": str(folder)})
            if r.ok and r.output is not None:
                skills = [s["skill"] for s in r.output["plan"]["steps"]]
                if skills == g["expected"]:
                    correct.append(g["goal"])
                    first_try += r.output["attempts"] == 1
            assert served[" ".join(g["goal"].split())] <= 3  # bounded: at most 3 answers a goal
        rt.close()
    share = len(correct) / len(goals)
    # development figure on our own scripted suite: 28 of 30 (93.3 %); the two misses are the
    # goal the model refuses and the one whose three answers are all unusable
    assert len(correct) == 28 and share >= 0.9
    assert first_try == 17  # plain JSON, JSON in prose and in a fence are taken as they are
    missed = [g["goal"] for g in goals if g["goal"] not in correct]
    assert missed == [
        "Scan the hot lists, then write 10 titles about whatever is hottest in tech",
        "检查 vlog.srt 的问题并自动修复",
    ]
