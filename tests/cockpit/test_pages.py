"""The cockpit's pages through the HTTP app: forms from schemas, runs, review, history, settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.cockpit.conftest import MESSY_CSV, run_id_of, wait_final

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app


def test_home_lists_demos_runs_and_is_self_contained(client: TestClient, runtime: Runtime) -> None:
    runtime.runner.run("util.echo", {"message": "<b>hi</b>"})
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    html = page.text
    assert '<form method="post" action="/demo/clean.table">' in html
    assert "<code>util.echo</code>" in html and 'class="s-succeeded"' in html
    assert "<b>hi</b>" not in html  # params never rendered raw
    assert 'src="http' not in html and 'href="http' not in html
    assert '<script src="/static/htmx.min.js" defer></script>' in html


def test_static_files_are_served_from_the_package(client: TestClient) -> None:
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "htmx" in js.text[:2000]
    assert client.get("/static/htmx.LICENSE").text.startswith("Zero-Clause BSD")
    assert client.get("/static/../routes.py").status_code == 404
    assert client.get("/static/routes.py").status_code == 404


def test_every_skill_has_a_form_generated_from_its_schema(
    client: TestClient, runtime: Runtime
) -> None:
    listing = client.get("/skills").text
    for s in runtime.registry.all():
        assert f'<a href="/skills/{s.name}"><code>{s.name}</code></a>' in listing
        assert client.get(f"/skills/{s.name}").status_code == 200
    form = client.get("/skills/clean.table").text
    assert '<input type="file" id="f-path" name="path__upload"' in form
    assert '<input type="checkbox" id="f-review" name="review" value="true" >' in form
    assert 'name="min_confidence" value="' in form and 'step="any"' in form
    wait = client.get("/skills/util.wait").text
    assert (
        '<input type="number" id="f-steps" name="steps" value="10" step="1" min="1" max="10000">'
        in wait
    )
    assert client.get("/skills/nope.nothing").status_code == 404


def test_a_form_starts_a_run_and_its_page_shows_the_output(
    client: TestClient, runtime: Runtime
) -> None:
    r = client.post(
        "/skills/util.echo", data={"message": "你好", "__timeout": ""}, follow_redirects=False
    )
    assert r.status_code == 303
    rid = run_id_of(r.headers["location"])
    rec = wait_final(runtime, rid)
    assert rec.status == "succeeded" and rec.surface == "cockpit"
    assert rec.output == {"message": "你好"}
    page = client.get(f"/runs/{rid}").text
    assert f'data-events="/api/runs/{rid}/events"' in page
    assert '<span class="status s-succeeded" id="status">succeeded</span>' in page
    assert "&#34;message&#34;: &#34;你好&#34;" in page
    panel = client.get(f"/runs/{rid}/panel").text
    assert 'id="rerun-button"' in panel and 'id="cancel-button"' not in panel
    again = client.post(f"/runs/{rid}/rerun", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] != f"/runs/{rid}"


def test_bad_values_and_paths_are_refused_on_the_form(client: TestClient, runtime: Runtime) -> None:
    bad = client.post("/skills/util.wait", data={"steps": "many"})
    assert bad.status_code == 400
    assert "steps: &#39;many&#39; is not a whole number" in bad.text
    outside = client.post("/skills/clean.table", data={"path": "/etc/passwd"})
    assert outside.status_code == 400 and 'class="problem"' in outside.text
    assert "/etc/passwd" in outside.text
    assert runtime.store.list_runs() == []


def test_upload_clean_review_and_apply(client: TestClient, runtime: Runtime) -> None:
    r = client.post(
        "/skills/clean.table",
        data={"review": "false"},
        files={"path__upload": ("市场.csv", MESSY_CSV.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    rid = run_id_of(r.headers["location"])
    rec = wait_final(runtime, rid)
    assert rec.status == "succeeded", rec.error
    uploaded = Path(rec.params["path"])
    assert uploaded.name == "市场.csv"
    assert uploaded.parent.parent == (runtime.workspace / "uploads").resolve()
    page = client.get(f"/runs/{rid}").text
    assert 'id="review-link"' in page
    report_link = (
        f'<a class="report-link" href="/api/runs/{rid}/artifacts/report.html" target="_blank">'
        "Report</a>"
    )
    assert report_link in client.get("/runs").text and report_link in client.get("/").text
    assert f'src="/api/runs/{rid}/artifacts/report.html"' in page

    review = client.get(f"/runs/{rid}/review").text
    recipe_path = next(a.path for a in runtime.store.artifacts(rid) if a.name == "recipe.json")
    steps = json.loads(Path(recipe_path).read_text(encoding="utf-8"))["steps"]
    assert review.count('<fieldset class="item"') == len(steps)
    mapping_index = next(i for i, s in enumerate(steps) if s["kind"] == "map_values")
    date_index = next(i for i, s in enumerate(steps) if s["kind"] == "normalize_date")
    assert steps[mapping_index]["mapping"] == {"上海市": "上海", "北京市": "北京"}

    form: dict[str, str] = {f"item-{i}": "approve" for i in range(len(steps))}
    form[f"item-{date_index}"] = "reject"
    form[f"map-{mapping_index}-0-from"] = "上海市"
    form[f"map-{mapping_index}-0-to"] = "沪"
    form[f"map-{mapping_index}-1-from"] = "北京市"
    form[f"map-{mapping_index}-1-to"] = "北京"
    applied = client.post(f"/runs/{rid}/review", data=form, follow_redirects=False)
    assert applied.status_code == 303, applied.text
    aid = run_id_of(applied.headers["location"])
    arec = wait_final(runtime, aid)
    assert arec.skill == "clean.apply" and arec.status == "succeeded", arec.error
    reviewed = json.loads(Path(arec.params["recipe"]).read_text(encoding="utf-8"))["steps"]
    assert [s["enabled"] for s in reviewed] == [i != date_index for i in range(len(steps))]
    assert reviewed[mapping_index]["mapping"] == {"上海市": "沪", "北京市": "北京"}
    out = Path(arec.params["output"]).read_text(encoding="utf-8-sig").splitlines()
    assert out[1].split(",")[0] == "沪" and out[4].split(",")[0] == "北京"
    assert out[1].split(",")[2] == "2024/3/5"  # the rejected date step left dates alone


def test_review_page_of_a_run_without_review(client: TestClient, runtime: Runtime) -> None:
    rid = runtime.runner.run("util.echo", {"message": "x"}).run_id
    page = client.get(f"/runs/{rid}/review")
    assert page.status_code == 200 and "This run has nothing to review." in page.text
    assert client.post(f"/runs/{rid}/review", data={}).status_code == 404
    assert client.get("/runs/nope/review").status_code == 404


def test_cancel_a_long_run_from_its_page(client: TestClient, runtime: Runtime) -> None:
    r = client.post(
        "/skills/util.wait", data={"seconds": "600", "steps": "600"}, follow_redirects=False
    )
    rid = run_id_of(r.headers["location"])
    assert 'id="cancel-button"' in client.get(f"/runs/{rid}").text
    assert client.post(f"/runs/{rid}/cancel", follow_redirects=False).status_code == 303
    assert wait_final(runtime, rid).status == "cancelled"


def test_history_filters(client: TestClient, runtime: Runtime) -> None:
    runtime.runner.run("util.echo", {"message": "apple"})
    runtime.runner.run("util.echo", {"message": "banana"})
    runtime.runner.run("util.wait", {"seconds": 0, "steps": 1})
    page = client.get("/runs").text
    assert page.count('<tr><td><a href="/runs/') == 3
    only_echo = client.get("/runs", params={"skill": "util.echo"}).text
    assert only_echo.count("<code>util.echo</code></td>") == 2
    assert "<code>util.wait</code></td>" not in only_echo
    fragment = client.get("/runs", params={"q": "banana"}, headers={"HX-Request": "true"}).text
    assert fragment.startswith('<table class="runs" id="runs-table">')
    assert fragment.count('<tr><td><a href="/runs/') == 1
    none = client.get("/runs", params={"status": "failed"}).text
    assert "No runs yet" in none


def test_settings_page_writes_safe_keys_only(client: TestClient, runtime: Runtime) -> None:
    ok = client.post("/settings", data={"key": "llm.model", "value": "ollama:qwen2.5:7b"})
    assert ok.status_code == 200 and 'id="saved"' in ok.text
    toml = (runtime.settings.home / "legion.toml").read_text(encoding="utf-8")
    assert 'model = "ollama:qwen2.5:7b"' in toml
    secret = client.post("/settings", data={"key": "llm.api_key", "value": "sk-123"})
    assert secret.status_code == 400 and "looks like a secret" in secret.text
    assert "sk-123" not in (runtime.settings.home / "legion.toml").read_text(encoding="utf-8")


def test_language_switch_sets_a_cookie(client: TestClient) -> None:
    zh = client.get("/?lang=zh")
    assert '<a href="/skills">技能</a>' in zh.text and '<html lang="zh-CN">' in zh.text
    assert zh.cookies.get("legion_lang") == "zh"
    assert '<a href="/runs">运行记录</a>' in client.get("/skills").text  # the cookie is kept
    assert '<a href="/runs">History</a>' in client.get("/skills?lang=en").text


def test_cross_site_form_posts_are_refused(client: TestClient, runtime: Runtime) -> None:
    r = client.post(
        "/skills/util.echo", data={"message": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403 and runtime.store.list_runs() == []


def test_uploads_over_the_limit_are_refused_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGION_LANGUAGE", "en")
    home = tmp_path / "small"
    home.mkdir()
    (home / "legion.toml").write_text("[api]\nmax_upload_mb = 1\n", encoding="utf-8")
    rt = Runtime.open(home)
    try:
        c = TestClient(create_app(rt), base_url="http://127.0.0.1")
        big = b"a,b\n" + b"1,2\n" * (300 * 1024)  # 1.2 MB
        r = c.post("/skills/clean.table", files={"path__upload": ("big.csv", big, "text/csv")})
        assert r.status_code == 400
        assert "upload &#39;big.csv&#39; is larger than 1 MB" in r.text
        assert list((rt.workspace / "uploads").iterdir()) == []
        assert rt.store.list_runs() == []
    finally:
        rt.close()
