"""Every `curl` example in docs/api.md, run against the API (in process) as curl would send it."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from onelegion.core.runtime import Runtime
from onelegion.surfaces.api import create_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "onelegion" / "skills" / "clean" / "samples" / "market.xlsx"


def curl_examples(doc: Path) -> list[list[str]]:
    text = doc.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    commands = []
    for block in blocks:
        joined = block.replace("\\\n", " ")
        commands += [shlex.split(line) for line in joined.splitlines() if line.startswith("curl")]
    return commands


def send(client: TestClient, argv: list[str], files_dir: Path) -> Any:
    """The request curl would make for ``argv`` (the options these docs use)."""
    url, data, headers = "", None, {}
    form: dict[str, str] = {}
    files: list[tuple[str, tuple[str, bytes]]] = []
    it = iter(argv[1:])
    for arg in it:
        if arg in ("-s", "-N"):
            continue
        if arg == "-H":
            k, v = next(it).split(":", 1)
            headers[k.strip()] = v.strip()
        elif arg == "-d":
            data = next(it)
        elif arg == "-F":
            k, v = next(it).split("=", 1)
            if v.startswith("@"):
                name = v[1:]
                files.append((k, (name, (files_dir / name).read_bytes())))
            else:
                form[k] = v
        else:
            url = arg
    path = "/" + url.split("/", 1)[1]
    if form or files:
        return client.post(path, data=form, files=files)
    if data is not None:
        return client.post(path, content=data.encode(), headers=headers)
    return client.get(path)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    rt = Runtime.open(tmp_path / "home")  # every installed skill, as `legion serve` has
    yield TestClient(create_app(rt), base_url="http://127.0.0.1")
    rt.close()


def test_every_curl_example_in_the_api_docs_works(client: TestClient, tmp_path: Path) -> None:
    shutil.copyfile(SAMPLE, tmp_path / "销售表.xlsx")
    commands = curl_examples(ROOT / "docs" / "api.md")
    assert len(commands) == 3
    echo, upload, events = commands
    r = send(client, echo, tmp_path)
    assert (r.status_code, r.json()["output"]) == (200, {"message": "你好"})
    r = send(client, upload, tmp_path)
    assert r.status_code == 200, r.text
    run = r.json()
    assert (run["skill"], run["status"], run["params"]["dedupe"]) == (
        "clean.table",
        "succeeded",
        True,
    )
    assert Path(run["params"]["path"]).name == "销售表.xlsx"
    r = send(client, events, tmp_path)
    assert r.status_code == 200
    kinds = [
        json.loads(line[6:])["kind"] for line in r.text.splitlines() if line.startswith("data: ")
    ]
    assert kinds[0] == "started" and kinds[-1] == "finished"
