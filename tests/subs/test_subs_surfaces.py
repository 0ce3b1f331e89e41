"""The subtitle skills through the registry, the runner (a recorded run) and the `legion` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from subs_helpers import copy_fixture

SKILL_NAMES = [
    "subs.burn",
    "subs.check",
    "subs.convert",
    "subs.fix",
    "subs.review",
    "subs.shift",
    "subs.translate",
]
LEGION = str(Path(sys.executable).parent / "legion")


def test_registry_lists_every_subs_skill_with_described_fields(runtime: Any) -> None:
    names = sorted(s.name for s in runtime.registry.all() if s.group == "subs")
    assert names == SKILL_NAMES
    for name in names:
        schema = runtime.registry.get(name).input_schema()
        missing = [f for f, spec in schema["properties"].items() if not spec.get("description")]
        assert missing == [], (name, missing)


def test_fix_through_the_runner_is_a_recorded_run(runtime: Any, tmp_path: Path) -> None:
    src = copy_fixture("synfig-03.zh.srt", tmp_path)
    res = runtime.runner.run(
        "subs.fix", {"path": str(src), "lang": "zh"}, allowed_roots=(tmp_path,)
    )
    assert res.status == "succeeded", res.error
    assert res.output["cues_before"] == 37 and res.output["breaking_after"] == 0
    assert {a.name for a in res.artifacts} >= {"fixed", "changes.csv", "report.html"}
    again = runtime.runner.run(
        "subs.fix", {"path": str(src), "lang": "zh"}, allowed_roots=(tmp_path,)
    )
    assert again.cached and again.output == res.output


def _legion(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEGION_HOME": str(home)}
    return subprocess.run(
        [LEGION, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_cli_check_json_and_bad_input_exit_codes(tmp_path: Path) -> None:
    src = copy_fixture("sintel.en.srt", tmp_path)
    ok = _legion("subs", "check", src.name, "--json", home=tmp_path / "h", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)["output"]
    assert (out["cues"], out["cues_with_issues"], out["by_rule"]["close_gap"]) == (26, 6, 5)
    bad = tmp_path / "notes.srt"
    bad.write_text("meeting notes, not subtitles\n", encoding="utf-8")
    r = _legion("subs", "check", bad.name, home=tmp_path / "h", cwd=tmp_path)
    assert r.returncode == 2
    assert "notes.srt is not a subtitle file: no cues found" in r.stderr
    assert "Traceback" not in r.stderr
    shifted = _legion(
        "subs",
        "shift",
        src.name,
        "--by",
        "-500ms",
        "-o",
        "early.srt",
        home=tmp_path / "h",
        cwd=tmp_path,
    )
    assert shifted.returncode == 0, shifted.stderr
    assert (tmp_path / "early.srt").read_text(encoding="utf-8").splitlines()[
        1
    ] == "00:02:16,750 --> 00:02:20,000"
    # the offset may also be the argument after the file, as in `legion subs shift film.srt +1.5s`
    late = _legion(
        "subs", "shift", src.name, "+1.5s", "-o", "late.srt", home=tmp_path / "h", cwd=tmp_path
    )
    assert late.returncode == 0, late.stderr
    assert (tmp_path / "late.srt").read_text(encoding="utf-8").splitlines()[
        1
    ] == "00:02:18,750 --> 00:02:22,000"
    twice = _legion(
        "subs", "shift", src.name, "+1s", "--by", "2s", home=tmp_path / "h", cwd=tmp_path
    )
    assert twice.returncode == 2 and "--by given twice" in twice.stderr


def test_newcomer_flow_translate_review_and_reuse(tmp_path: Path) -> None:
    """translate with a configured model (the loopback fake) -> review in Excel -> apply -> the next
    translate needs no model: all through the `legion` CLI, one LEGION_HOME."""
    from openpyxl import load_workbook
    from subs_fake_translator import DriftingTranslator
    from tests.support.fake_openai import FakeOpenAI

    src = copy_fixture("sintel.en.srt", tmp_path)
    home = tmp_path / "h"
    with FakeOpenAI(replies=[DriftingTranslator(drift=0.3, seed=2)] * 50) as fake:
        env_model = f"openai-compatible:fake-model@{fake.base_url}"
        r = subprocess.run(
            [LEGION, "subs", "translate", src.name, "--to", "zh", "-o", "sintel.zh.srt", "--json"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "LEGION_HOME": str(home), "LEGION_MODEL": env_model},
            timeout=120,
        )
        served = len(fake.chat_requests)
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)["output"]
    assert (t["by_llm"], t["left"], t["ids_and_times_preserved"]) == (26, 0, True)
    assert t["llm_requests"] == served >= 1

    assert (
        _legion(
            "subs",
            "review",
            "sintel.zh.srt",
            "--source",
            src.name,
            "--export",
            "review.xlsx",
            home=home,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    wb = load_workbook(tmp_path / "review.xlsx")
    rows = list(wb["review"].iter_rows(min_row=2, values_only=True))
    units = [r[8] for r in rows]
    # fix split one long translated cue in two: both parts show its source and share a unit
    assert len(rows) == 27 and len(set(units)) == 26
    shared = next(u for u in units if units.count(u) == 2)
    assert len({r[3] for r in rows if r[8] == shared}) == 1
    wb["review"]["E2"] = "这把刀有着黑暗的过去"
    wb.save(tmp_path / "review.xlsx")
    applied = _legion(
        "subs",
        "review",
        "sintel.zh.srt",
        "--import",  # the spelling of --apply
        "review.xlsx",
        "--lang",
        "zh",
        "--json",
        home=home,
        cwd=tmp_path,
    )
    assert applied.returncode == 0, applied.stderr
    a = json.loads(applied.stdout)["output"]
    assert (a["edited"], a["memory_added"]) == (1, 26)

    again = _legion(
        "subs",
        "translate",
        src.name,
        "--to",
        "zh",
        "-o",
        "again.srt",
        "--json",
        home=home,
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    g = json.loads(again.stdout)["output"]
    assert (g["from_memory_exact"], g["left"], g["llm_requests"]) == (26, 0, 0)
    assert (tmp_path / "again.srt").read_text(encoding="utf-8").splitlines()[
        2
    ] == "这把刀有着黑暗的过去"
