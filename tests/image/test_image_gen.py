"""image.gen against a loopback OpenAI-compatible images endpoint; without one, a plain refusal."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PIL import Image

from onelegion.core.config import Settings
from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.image import image_gen
from onelegion.skills.image.models import ImageGenIn


def _png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 32), colour).save(buf, format="PNG")
    return buf.getvalue()


class _Images(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []
    mode = "b64"

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Images.requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if _Images.mode == "error":
            self._send(400, json.dumps({"error": {"message": "prompt rejected"}}).encode())
            return
        if _Images.mode == "garbage":
            data = [{"b64_json": base64.b64encode(b"not an image").decode()}]
        elif _Images.mode == "url":
            data = [{"url": f"http://127.0.0.1:{self.server.server_address[1]}/file.png"}]
        else:
            data = [
                {
                    "b64_json": base64.b64encode(_png((200, 10, 10 * i))).decode(),
                    "revised_prompt": "a red picture",
                }
                for i in range(body["n"])
            ]
        self._send(200, json.dumps({"created": 1, "data": data}).encode())

    def do_GET(self) -> None:
        self._send(200, _png((0, 0, 255)))

    def _send(self, code: int, data: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    _Images.requests, _Images.mode = [], "b64"
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def _ctx(tmp_path: Path, url: str | None) -> Context:
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    if url:
        (home / "legion.toml").write_text(
            f'[image]\nurl = "{url}"\nmodel = "fake-draw"\n', encoding="utf-8"
        )
    return Context.for_testing(tmp_path, config=Settings.load(home))


def test_images_are_drawn_checked_and_written(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGION_IMAGE_API_KEY", "sk-test")
    out = image_gen(
        _ctx(tmp_path, server),
        ImageGenIn(prompt="春日海边", n=2, size="1024x1792", output=tmp_path / "pic.png"),
    )
    assert [f.name for f in out.files] == ["pic-1.png", "pic-2.png"]
    with Image.open(out.files[1]) as im:
        assert im.size == (64, 32) and im.convert("RGB").getpixel((0, 0)) == (200, 10, 10)
    req = _Images.requests[0]
    assert req["path"] == "/v1/images/generations" and req["auth"] == "Bearer sk-test"
    assert req["body"] == {
        "model": "fake-draw",
        "prompt": "春日海边",
        "n": 2,
        "size": "1024x1792",
        "response_format": "b64_json",
    }
    assert (
        out.model == "fake-draw"
        and out.revised_prompt == "a red picture"
        and out.endpoint.startswith("http://127.0.0.1:")
    )
    _Images.mode = "url"
    one = image_gen(_ctx(tmp_path, server), ImageGenIn(prompt="x", output=tmp_path / "u.png"))
    with Image.open(one.files[0]) as im:
        assert im.convert("RGB").getpixel((0, 0)) == (0, 0, 255)


def test_refusals_are_one_line(tmp_path: Path, server: str) -> None:
    with pytest.raises(UserError, match="no image provider configured") as e:
        image_gen(_ctx(tmp_path / "a", None), ImageGenIn(prompt="x"))
    assert "image.url" in e.value.one_line()
    _Images.mode = "error"
    with pytest.raises(UserError, match="HTTP 400: prompt rejected"):
        image_gen(_ctx(tmp_path, server), ImageGenIn(prompt="x", output=tmp_path / "e.png"))
    _Images.mode = "garbage"
    with pytest.raises(UserError, match="answer 1 is not an image"):
        image_gen(_ctx(tmp_path, server), ImageGenIn(prompt="x", output=tmp_path / "g.png"))
    assert not (tmp_path / "e.png").exists() and not (tmp_path / "g.png").exists()


def test_the_cli_takes_the_prompt_as_its_positional_argument(tmp_path: Path, server: str) -> None:
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    (home / "legion.toml").write_text(f'[image]\nurl = "{server}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANGUAGE", "LEGION"))}
    env.update({"LEGION_HOME": str(home), "LANG": "C.UTF-8", "COLUMNS": "120"})
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "onelegion",
            "image",
            "gen",
            "春日海边，清新插画风",
            "-o",
            "pic.png",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert _Images.requests[-1]["body"]["prompt"] == "春日海边，清新插画风"
    with Image.open(tmp_path / "pic.png") as im:
        assert im.size == (64, 32)
    r = subprocess.run(
        [sys.executable, "-m", "onelegion", "image", "gen", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "PROMPT" in r.stdout and "--prompt" not in r.stdout
