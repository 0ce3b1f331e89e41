"""The subtitle translation review: source and translation side by side, edit, approve or reject,
applied through subs.review (reviewed file written, approved pairs kept in translation memory)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.cockpit.conftest import run_id_of, wait_final

from onelegion.core.runtime import Runtime

SOURCE = """1
00:00:01,000 --> 00:00:03,000
Good morning.

2
00:00:04,000 --> 00:00:06,000
Where is the station?
"""
TRANSLATED = """1
00:00:01,000 --> 00:00:03,000
早上好。

2
00:00:04,000 --> 00:00:06,000
车站在哪？
"""


def _translate_run(runtime: Runtime) -> str:
    """A finished subs.translate run (recorded directly: translating needs an LLM)."""
    folder = runtime.workspace / "film"
    folder.mkdir(parents=True)
    (folder / "film.en.srt").write_text(SOURCE, encoding="utf-8")
    (folder / "film.zh.srt").write_text(TRANSLATED, encoding="utf-8")
    rid = "20261201-000000-abcdef"
    runtime.store.create_run(
        rid,
        "subs.translate",
        "1",
        {"path": str(folder / "film.en.srt"), "to": "zh"},
        cache_key=None,
        surface="cli",
    )
    runtime.store.finish_run(rid, "succeeded", output={"output": str(folder / "film.zh.srt")})
    return rid


def test_translation_review_side_by_side_edit_and_apply(
    client: TestClient, runtime: Runtime
) -> None:
    rid = _translate_run(runtime)
    assert 'id="review-link"' in client.get(f"/runs/{rid}").text
    page = client.get(f"/runs/{rid}/review").text
    assert page.count('<fieldset class="item"') == 2
    assert "<td>Where is the station?</td><td>→</td><td>车站在哪？</td>" in page
    assert '<textarea class="edit" name="text-2" rows="2"' in page

    form = {"item-1": "reject", "text-1": "早！", "item-2": "approve", "text-2": "请问车站在哪里？"}
    r = client.post(f"/runs/{rid}/review", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    rec = wait_final(runtime, run_id_of(r.headers["location"]))
    assert rec.skill == "subs.review" and rec.status == "succeeded", rec.error
    assert rec.output is not None
    assert (rec.output["edited"], rec.output["memory_added"]) == (1, 1)
    reviewed = Path(rec.output["output"]).read_text(encoding="utf-8")
    assert "早上好。" in reviewed and "请问车站在哪里？" in reviewed and "早！" not in reviewed
    assert Path(rec.output["output"]).name == "film.zh.reviewed.srt"

    everything_rejected = {"item-1": "reject", "item-2": "reject"}
    refused = client.post(f"/runs/{rid}/review", data=everything_rejected)
    assert refused.status_code == 400
    assert "every cue was rejected: nothing to apply" in refused.text
