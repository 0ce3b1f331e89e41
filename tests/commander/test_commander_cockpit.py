"""The plan approval page: a commander.plan run reviewed in the cockpit — steps approved or
rejected, parameters edited as YAML — and applied as a commander.run run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app
from tests.cockpit.conftest import run_id_of, wait_final
from tests.commander.support import scripted

FIXTURE = Path(__file__).parent.parent / "fixtures" / "commander" / "beers.csv"


def test_plan_approval_page_edit_reject_and_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGION_LANGUAGE", "en")
    plan = {
        "steps": [
            {"id": "clean", "skill": "clean.table", "params": {"path": "beers.csv"}},
            {"id": "hello", "skill": "util.echo", "params": {"message": "hi"}},
            {
                "id": "rows",
                "skill": "util.echo",
                "params": {"message": "${steps.clean.output.rows} rows"},
            },
        ]
    }
    rt = Runtime.open(tmp_path / "home", llm_model=scripted([plan]))
    try:
        shutil.copy(FIXTURE, rt.workspace / "beers.csv")
        client = TestClient(create_app(rt), base_url="http://127.0.0.1")
        planned = rt.runner.run(
            "commander.plan", {"goal": "clean beers.csv", "base_dir": str(rt.workspace)}
        )
        assert planned.ok, planned.error
        rid = planned.run_id
        assert 'id="review-link"' in client.get(f"/runs/{rid}").text
        page = client.get(f"/runs/{rid}/review").text
        assert page.count('<fieldset class="item"') == 3
        assert "1. clean — clean.table" in page and "Goal: clean beers.csv" in page
        assert '<textarea class="edit" name="text-hello"' in page

        needs_clean = {"item-clean": "reject", "item-hello": "approve", "item-rows": "approve"}
        refused = client.post(f"/runs/{rid}/review", data=needs_clean)
        assert refused.status_code == 400
        assert "refers to step &#39;clean&#39;, which is not an earlier step" in refused.text

        form = {
            "item-clean": "approve",
            "text-clean": f"path: {rt.workspace / 'beers.csv'}\n",
            "item-hello": "reject",
            "item-rows": "approve",
            "text-rows": "message: ${steps.clean.output.rows} rows cleaned\n",
        }
        r = client.post(f"/runs/{rid}/review", data=form, follow_redirects=False)
        assert r.status_code == 303, r.text
        rec = wait_final(rt, run_id_of(r.headers["location"]))
        assert rec.skill == "commander.run" and rec.status == "succeeded", rec.error
        assert rec.output is not None and rec.output["ok"] is True
        kids = rt.store.children(rec.id)
        assert [c.skill for c in kids] == ["clean.table", "util.echo"]
        assert kids[1].output == {"message": "61 rows cleaned"}
    finally:
        rt.close()
