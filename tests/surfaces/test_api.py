"""The HTTP API: skills, runs (JSON), errors, listing, events, artifacts, cancel."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.core.store import Store
from onelegion.surfaces.api import create_app


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime), base_url="http://127.0.0.1") as c:
        yield c


def sse_events(client: TestClient, url: str, **headers: str) -> list[dict[str, Any]]:
    """Read a whole event stream (it ends after 'finished'); returns id/event/data dicts."""
    out: list[dict[str, Any]] = []
    with client.stream("GET", url, headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = r.read().decode()
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            out.append(
                {
                    "id": int(fields["id"]),
                    "event": fields["event"],
                    "data": json.loads(fields["data"]),
                }
            )
    return out


def test_skills_list_and_detail(client: TestClient, runtime: Runtime) -> None:
    body = client.get("/api/skills").json()
    assert [s["name"] for s in body["skills"]] == [
        "testkit.count",
        "testkit.fail",
        "util.echo",
        "util.wait",
    ]
    assert body["plugin_errors"] == {}
    echo = next(s for s in body["skills"] if s["name"] == "util.echo")
    assert echo["title"] == "Echo"
    assert "input_schema" not in echo
    detail = client.get("/api/skills/testkit.count").json()
    assert detail["path_fields"] == {"source": "input-file", "extra": "input-file"}
    assert detail["input_schema"] == runtime.registry.get("testkit.count").input_schema()
    assert detail["output_schema"]["properties"]["lines"] == {"title": "Lines", "type": "integer"}


def test_unknown_skill_is_404(client: TestClient) -> None:
    r = client.get("/api/skills/nope.nothing")
    assert r.status_code == 404
    assert r.json()["kind"] == "not_found"
    assert r.json()["error"].startswith("no skill named 'nope.nothing'")


def test_run_json_wait_returns_finished_result(client: TestClient, runtime: Runtime) -> None:
    r = client.post(
        "/api/runs", json={"skill": "util.echo", "params": {"message": "你好"}, "wait": True}
    )
    assert r.status_code == 200
    run = r.json()
    assert run["status"] == "succeeded"
    assert run["output"] == {"message": "你好"}
    assert run["surface"] == "api"
    assert run["cached"] is False
    assert r.headers["location"] == f"/api/runs/{run['id']}"
    rec = runtime.store.get_run(run["id"])
    assert rec is not None and rec.surface == "api" and rec.params == {"message": "你好"}
    # same params again: answered from the cache; refresh runs it again
    again = client.post(
        "/api/runs", json={"skill": "util.echo", "params": {"message": "你好"}, "wait": True}
    ).json()
    assert again["cached"] is True and again["cached_from"] == run["id"]
    fresh = client.post(
        "/api/runs",
        json={"skill": "util.echo", "params": {"message": "你好"}, "wait": True, "refresh": True},
    ).json()
    assert fresh["cached"] is False


def test_run_without_wait_is_202_and_can_be_followed(client: TestClient) -> None:
    r = client.post(
        "/api/runs", json={"skill": "util.wait", "params": {"seconds": 0.6, "steps": 3}}
    )
    assert r.status_code == 202
    run = r.json()
    assert run["status"] in ("queued", "running")
    events = sse_events(client, run["links"]["events"])
    assert [e["event"] for e in events] == [
        "started",
        "progress",
        "progress",
        "progress",
        "finished",
    ]
    assert [e["id"] for e in events] == [1, 2, 3, 4, 5]
    assert [e["data"]["data"]["done"] for e in events[1:4]] == [1, 2, 3]
    assert events[-1]["data"]["data"] == {"status": "succeeded"}
    final = client.get(f"/api/runs/{run['id']}").json()
    assert final["status"] == "succeeded" and final["output"] == {"waited": 0.6}


def test_events_resume_after_last_event_id(client: TestClient) -> None:
    run = client.post(
        "/api/runs",
        json={"skill": "util.wait", "params": {"seconds": 0.6, "steps": 3}, "wait": True},
    ).json()
    url = f"/api/runs/{run['id']}/events"
    assert [e["id"] for e in sse_events(client, url, **{"Last-Event-ID": "3"})] == [4, 5]
    assert [e["event"] for e in sse_events(client, url + "?after=4")] == ["finished"]
    # everything was already sent: the stream ends at once with no events
    assert sse_events(client, url, **{"Last-Event-ID": "5"}) == []


def test_failed_run_reports_error_in_record(client: TestClient) -> None:
    r = client.post("/api/runs", json={"skill": "testkit.fail", "params": {}, "wait": True})
    assert r.status_code == 200
    run = r.json()
    assert run["status"] == "failed"
    assert run["error"] == "the table has no header row — add one"
    assert run["error_kind"] == "user"
    bug = client.post(
        "/api/runs", json={"skill": "testkit.fail", "params": {"kind": "bug"}, "wait": True}
    ).json()
    assert (bug["status"], bug["error"], bug["error_kind"]) == (
        "failed",
        "RuntimeError: boom",
        "bug",
    )


@pytest.mark.parametrize(
    ("body", "status", "kind", "message"),
    [
        ({"params": {}}, 422, "validation", "invalid request: skill: Field required"),
        ({"skill": "util.echo", "params": []}, 422, "validation", "invalid request: params: "),
        ({"skill": "nope.nothing"}, 400, "user", "no skill named 'nope.nothing'"),
        (
            {"skill": "util.wait", "params": {"seconds": "soon"}},
            400,
            "user",
            "invalid parameters: seconds: Input should be a valid number",
        ),
        (
            {"skill": "util.wait", "params": {"seconds": -1}},
            400,
            "user",
            "invalid parameters: seconds: Input should be greater than or equal to 0",
        ),
        ({"skill": "util.echo", "timeout": 0}, 422, "validation", "invalid request: timeout: "),
    ],
)
def test_bad_run_requests(
    client: TestClient, runtime: Runtime, body: dict[str, Any], status: int, kind: str, message: str
) -> None:
    r = client.post("/api/runs", json=body)
    assert r.status_code == status, r.text
    err = r.json()
    assert err["kind"] == kind
    assert err["error"].startswith(message)
    assert "\n" not in err["error"]
    assert runtime.store.list_runs() == []  # nothing was recorded


def test_body_that_is_not_json(client: TestClient) -> None:
    r = client.post("/api/runs", content=b"{oops", headers={"content-type": "application/json"})
    assert (r.status_code, r.json()) == (
        400,
        {"error": "the body is not valid JSON", "kind": "user"},
    )


def test_path_outside_allowed_roots_is_refused(
    client: TestClient, runtime: Runtime, tmp_path: Any
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret\n", encoding="utf-8")
    r = client.post(
        "/api/runs", json={"skill": "testkit.count", "params": {"source": str(outside)}}
    )
    assert r.status_code == 400
    assert r.json()["kind"] == "user"
    assert r.json()["error"].startswith(f"source: {outside} is outside the allowed folders")
    # a traversal that starts in the workspace is resolved first, then refused
    sneaky = f"{runtime.workspace}/../../outside.txt"
    r = client.post("/api/runs", json={"skill": "testkit.count", "params": {"source": sneaky}})
    assert r.status_code == 400 and "outside the allowed folders" in r.json()["error"]
    assert runtime.store.list_runs() == []
    # inside the workspace it runs
    inside = runtime.workspace / "notes.txt"
    inside.write_text("a\nb\n", encoding="utf-8")
    ok = client.post(
        "/api/runs",
        json={"skill": "testkit.count", "params": {"source": str(inside)}, "wait": True},
    ).json()
    assert ok["status"] == "succeeded" and ok["output"]["lines"] == 2


def test_list_runs_filters_and_pages(client: TestClient) -> None:
    ids = []
    for msg in ("a", "b", "c"):
        ids.append(
            client.post(
                "/api/runs", json={"skill": "util.echo", "params": {"message": msg}, "wait": True}
            ).json()["id"]
        )
    client.post("/api/runs", json={"skill": "testkit.fail", "params": {}, "wait": True})
    all_runs = client.get("/api/runs").json()
    assert len(all_runs["runs"]) == 4 and (all_runs["limit"], all_runs["offset"]) == (20, 0)
    echo = client.get("/api/runs", params={"skill": "util.echo"}).json()["runs"]
    assert [r["id"] for r in echo] == ids[::-1]
    failed = client.get("/api/runs", params={"status": "failed"}).json()["runs"]
    assert [r["skill"] for r in failed] == ["testkit.fail"]
    page = client.get("/api/runs", params={"skill": "util.echo", "limit": 1, "offset": 1}).json()
    assert [r["id"] for r in page["runs"]] == [ids[1]]
    bad = client.get("/api/runs", params={"status": "done"})
    assert bad.status_code == 422 and bad.json()["kind"] == "validation"
    assert client.get("/api/runs", params={"limit": 0}).status_code == 422
    # 'last' and unique prefixes resolve
    assert client.get("/api/runs/last").json()["skill"] == "testkit.fail"


def test_unknown_run_is_404(client: TestClient) -> None:
    for url in ("/api/runs/nope", "/api/runs/nope/events", "/api/runs/nope/artifacts"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json() == {"error": "no run with id 'nope'", "kind": "not_found"}
    assert client.post("/api/runs/nope/cancel").status_code == 404


def test_artifacts_listed_and_downloaded(client: TestClient, runtime: Runtime) -> None:
    src = runtime.workspace / "t.txt"
    src.write_text("x word\ny\n", encoding="utf-8")
    run = client.post(
        "/api/runs",
        json={
            "skill": "testkit.count",
            "params": {"source": str(src), "word": "word"},
            "wait": True,
        },
    ).json()
    arts = client.get(f"/api/runs/{run['id']}/artifacts").json()
    assert [(a["name"], a["media_type"], a["size"]) for a in arts] == [
        ("report.txt", "text/plain", 20)
    ]
    assert arts == run["artifacts"]
    r = client.get(arts[0]["url"])
    assert r.status_code == 200
    assert r.text == "2 lines, 1 matching\n"
    assert r.headers["content-type"].startswith("text/plain")
    # only recorded artifacts: not other files of the home, not traversal
    for name in ("legion.db", "../legion.db", "..%2F..%2Flegion.db", "params.json"):
        r = client.get(f"/api/runs/{run['id']}/artifacts/{name}")
        assert r.status_code == 404, name
        assert r.json()["kind"] == "not_found"


def test_artifact_deleted_from_disk(client: TestClient, runtime: Runtime) -> None:
    src = runtime.workspace / "t.txt"
    src.write_text("x\n", encoding="utf-8")
    run = client.post(
        "/api/runs", json={"skill": "testkit.count", "params": {"source": str(src)}, "wait": True}
    ).json()
    (runtime.home / "runs" / run["id"] / "report.txt").unlink()
    r = client.get(f"/api/runs/{run['id']}/artifacts/report.txt")
    assert r.status_code == 404
    assert r.json()["error"] == f"artifact 'report.txt' of run {run['id']} is no longer on disk"


def test_cancel_running_run(client: TestClient) -> None:
    run = client.post(
        "/api/runs", json={"skill": "util.wait", "params": {"seconds": 60, "steps": 600}}
    ).json()
    r = client.post(f"/api/runs/{run['id']}/cancel")
    assert r.status_code == 202
    assert r.json()["run_id"] == run["id"] and r.json()["cancel_requested"] is True
    events = sse_events(client, run["links"]["events"])
    assert events[-1]["event"] == "finished"
    assert events[-1]["data"]["data"]["status"] == "cancelled"
    assert client.get(f"/api/runs/{run['id']}").json()["status"] == "cancelled"
    again = client.post(f"/api/runs/{run['id']}/cancel")
    assert again.status_code == 409
    assert again.json() == {
        "error": f"run {run['id']} has already finished (cancelled)",
        "kind": "conflict",
    }


def test_timeout_stops_the_run(client: TestClient) -> None:
    run = client.post(
        "/api/runs",
        json={
            "skill": "util.wait",
            "params": {"seconds": 60, "steps": 600},
            "timeout": 0.3,
            "wait": True,
        },
    ).json()
    assert run["status"] == "timed_out"
    assert run["error"] == "timed out after 0.3 s"


def test_index_page_and_openapi(client: TestClient) -> None:
    client.post(
        "/api/runs", json={"skill": "util.echo", "params": {"message": "<b>"}, "wait": True}
    )
    page = client.get("/?lang=en")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text  # the cockpit's home (tests/cockpit/)
    assert '<a href="/skills">Skills</a>' in html and "Recent runs" in html
    assert "<code>util.echo</code>" in html and "s-succeeded" in html
    assert 'src="http' not in html and 'href="http' not in html  # self-contained
    spec = client.get("/openapi.json").json()
    assert {"/api/skills", "/api/skills/{name}", "/api/runs", "/api/runs/{run_id}/events"} <= set(
        spec["paths"]
    )
    body = spec["paths"]["/api/runs"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
    assert "POST /api/runs" in docs.text and "GET /api/runs/{run_id}/events" in docs.text
    assert "https://" not in docs.text and "http://" not in docs.text  # offline: no CDN


def test_events_of_a_run_executed_elsewhere_are_followed(
    client: TestClient, runtime: Runtime
) -> None:
    """Another process writes the run and its events into the same store: the stream polls."""
    other = Store(runtime.home / "legion.db")  # a second connection, as another process has
    other.create_run("elsewhere-1", "util.wait", "1", {}, cache_key=None, surface="cli")
    other.start_run("elsewhere-1")
    other.add_event("elsewhere-1", 1, "started", {"skill": "util.wait"})

    def produce() -> None:
        time.sleep(0.5)  # the client is already streaming by now (or replays; same result)
        other.add_event("elsewhere-1", 2, "progress", {"done": 1, "total": 2, "message": ""})
        other.add_event("elsewhere-1", 3, "log", {"level": "info", "message": "半路 halfway"})
        other.finish_run("elsewhere-1", "succeeded", output={"waited": 1.0})
        other.add_event("elsewhere-1", 4, "finished", {"status": "succeeded"})

    writer = threading.Thread(target=produce)
    writer.start()
    try:
        events = sse_events(client, "/api/runs/elsewhere-1/events")
    finally:
        writer.join()
        other.close()
    assert [(e["id"], e["event"]) for e in events] == [
        (1, "started"),
        (2, "progress"),
        (3, "log"),
        (4, "finished"),
    ]
    assert events[2]["data"]["data"]["message"] == "半路 halfway"
    assert client.get("/api/runs/elsewhere-1").json()["surface"] == "cli"


def test_stream_of_an_interrupted_run_ends(client: TestClient, runtime: Runtime) -> None:
    store = runtime.store
    store.create_run("lost-1", "util.wait", "1", {}, cache_key=None, surface="cli")
    store.add_event("lost-1", 1, "started", {"skill": "util.wait"})
    store.finish_run("lost-1", "interrupted", error="gone", error_kind="interrupted")
    events = sse_events(client, "/api/runs/lost-1/events")
    assert [e["event"] for e in events] == ["started"]  # no 'finished' will come: it still ends


def test_every_endpoint_is_documented(client: TestClient) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    documented = {
        re.sub(r"\{[^}]*\}", "{}", m) for m in re.findall(r"^### `([A-Z]+ [^`]+)`", docs, re.M)
    }
    spec = client.get("/openapi.json").json()
    served = {
        f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path)}"
        for path, ops in spec["paths"].items()
        for method in ops
    }
    assert served == documented
