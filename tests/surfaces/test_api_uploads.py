"""Multipart uploads to POST /api/runs: saved in the workspace, names never escape it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app

BOUNDARY = "legion-test-boundary"


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime), base_url="http://127.0.0.1") as c:
        yield c


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> bytes:
    """A raw multipart body, so file names reach the server exactly as written."""
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for field, filename, content in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(client: TestClient, fields: dict[str, str], files: list[tuple[str, str, bytes]]):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/runs",
        content=multipart(fields, files),
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


def uploads_root(runtime: Runtime) -> Path:
    return (runtime.workspace / "uploads").resolve()


def uploaded_files(runtime: Runtime) -> list[Path]:
    root = uploads_root(runtime)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_runs_the_skill_on_the_saved_copy(client: TestClient, runtime: Runtime) -> None:
    r = client.post(
        "/api/runs",
        data={"skill": "testkit.count", "params": json.dumps({"word": "表"}), "wait": "true"},
        files={"source": ("销售表.csv", "名称,表\n一,二\n三,四\n".encode(), "text/csv")},
    )
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["status"] == "succeeded"
    assert run["output"]["lines"] == 3 and run["output"]["matching"] == 1
    saved = Path(run["params"]["source"])
    assert saved.name == "销售表.csv"
    assert saved.parent.parent == uploads_root(runtime)
    assert len(saved.parent.name) == 16  # random id folder
    assert saved.read_text(encoding="utf-8") == "名称,表\n一,二\n三,四\n"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.txt", "evil.txt"),
        ("C:\\Users\\me\\..\\data.csv", "data.csv"),
        ("....//....//x.txt", "x.txt"),
        (".hidden", "hidden"),
        ('a<b>c:"d|e?f*.txt', "abcdef.txt"),
    ],
)
def test_upload_names_cannot_escape(
    client: TestClient, runtime: Runtime, filename: str, expected: str
) -> None:
    r = post(client, {"skill": "testkit.count", "wait": "1"}, [("source", filename, b"one\ntwo\n")])
    assert r.status_code == 200, r.text
    saved = Path(r.json()["params"]["source"])
    assert saved.name == expected
    assert saved.resolve().parent.parent == uploads_root(runtime)
    assert uploaded_files(runtime) == [saved.resolve()]
    assert r.json()["output"]["lines"] == 2


@pytest.mark.parametrize("filename", ["..", "../", "\\", "/", "...", "  "])
def test_upload_names_with_nothing_left_are_refused(
    client: TestClient, runtime: Runtime, filename: str
) -> None:
    r = post(client, {"skill": "testkit.count"}, [("source", filename, b"x\n")])
    assert r.status_code == 400
    assert r.json()["kind"] == "user"
    assert r.json()["error"].startswith("invalid upload file name")
    assert uploaded_files(runtime) == []
    assert runtime.store.list_runs() == []


def test_several_files_for_a_list_parameter(client: TestClient, runtime: Runtime) -> None:
    r = post(
        client,
        {"skill": "testkit.count", "wait": "true"},
        [
            ("source", "a.txt", b"1\n"),
            ("extra", "b.txt", b"1\n2\n"),
            ("extra", "b.txt", b"1\n2\n3\n"),
        ],
    )
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["output"]["lines"] == 6
    assert run["output"]["files"] == ["a.txt", "b.txt", "b-2.txt"]
    assert [Path(p).name for p in run["params"]["extra"]] == ["b.txt", "b-2.txt"]


def test_upload_errors_leave_nothing_behind(client: TestClient, runtime: Runtime) -> None:
    cases = [
        (
            {"skill": "testkit.count"},
            [("word", "w.txt", b"x")],
            "'word' is not a file parameter of testkit.count; file parameters: source, extra",
        ),
        (
            {"skill": "testkit.count"},
            [("source", "a.txt", b"x"), ("source", "b.txt", b"y")],
            "'source' takes one file, got 2",
        ),
        (
            {"skill": "testkit.count", "params": json.dumps({"source": "/etc/passwd"})},
            [("source", "a.txt", b"x")],
            "'source' is both uploaded and given in params",
        ),
        (
            {"skill": "testkit.count", "params": "{not json"},
            [],
            "the 'params' field is not valid JSON",
        ),
        (
            {"skill": "testkit.count", "params": "[1]"},
            [],
            "the 'params' field must be a JSON object",
        ),
        (
            {"skill": "testkit.count", "word": "x"},
            [],
            "unknown form field 'word': put parameters in the JSON 'params' field",
        ),
        (
            {"skill": "testkit.count", "params": json.dumps({"word": 5})},
            [("source", "a.txt", b"x")],
            "invalid parameters: word: Input should be a valid string",
        ),
        ({"skill": "util.echo"}, [("message", "m.txt", b"x")], "'message' is not a file parameter"),
    ]
    for fields, files, message in cases:
        r = post(client, fields, files)
        assert r.status_code == 400, (fields, r.text)
        assert r.json()["kind"] == "user"
        assert r.json()["error"].startswith(message), r.json()
    assert uploaded_files(runtime) == []
    assert runtime.store.list_runs() == []
    missing = post(client, {"params": "{}"}, [])
    assert missing.status_code == 422
    assert missing.json() == {"error": "the form needs a 'skill' field", "kind": "validation"}


def test_upload_without_wait_is_202(client: TestClient, runtime: Runtime) -> None:
    r = post(client, {"skill": "testkit.count", "refresh": "true"}, [("source", "a.txt", b"1\n")])
    assert r.status_code == 202
    run_id = r.json()["id"]
    with client.stream("GET", f"/api/runs/{run_id}/events") as s:
        s.read()
    assert client.get(f"/api/runs/{run_id}").json()["output"]["lines"] == 1


def test_uploads_over_the_size_limit_are_refused(runtime: Runtime) -> None:
    runtime.settings.api.max_upload_mb = 1
    client = TestClient(create_app(runtime), base_url="http://127.0.0.1")
    big = b"a,b\n" + b"1,2\n" * (300 * 1024)  # 1.2 MB
    r = client.post(
        "/api/runs",
        data={"skill": "testkit.count", "params": json.dumps({"word": "x"}), "wait": "true"},
        files={"source": ("big.csv", big, "text/csv")},
    )
    assert r.status_code == 413
    assert (
        r.json()["error"]
        == "upload 'big.csv' is larger than 1 MB (api.max_upload_mb in legion.toml)"
    )
    assert uploaded_files(runtime) == []
    assert runtime.store.count_runs() == 0
