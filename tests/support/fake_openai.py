"""A small OpenAI-compatible server on 127.0.0.1 for end-to-end tests of anything that talks to an LLM.

    with FakeOpenAI(replies=["plain text", {"name": "Li", "age": 3}]) as fake:
        settings = LLMSettings(model=f"openai-compatible:fake-model@{fake.base_url}")
        ...
        assert fake.requests[0].model == "fake-model"

It answers ``POST …/chat/completions`` and ``GET …/models`` (any path prefix, so ``fake.base_url``
ends in ``/v1`` like the real services). Each chat request takes the next reply, in order:

- ``str``: an assistant message with that text;
- ``dict`` / ``list`` / pydantic model: a *structured* answer. When the request offers tools (pydantic-ai's
  default tool output mode) it becomes a call of the output tool with these arguments; otherwise (native
  or prompted JSON modes) it becomes the JSON text of the message;
- :class:`Reply`: full control (HTTP error status, token usage, a forced tool name, a delay);
- a callable ``(FakeRequest) -> any of the above``: computed from the request.

When the replies run out, the fake answers HTTP 400 ``"fake: no reply left"`` (not retried by SDKs), so a
test that makes more calls than it planned fails loudly. Every request is recorded in ``fake.requests``
(thread-safe) with its headers and JSON body. With ``api_key=...`` the fake insists on
``Authorization: Bearer <api_key>`` and answers 401 otherwise, like the real services.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import BaseModel

__all__ = ["FakeOpenAI", "FakeRequest", "Reply"]


@dataclass
class Reply:
    """One scripted answer of the fake."""

    text: str | None = None
    data: Any = None
    tool: str | None = None
    status: int = 200
    error: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    delay_s: float = 0.0


ReplySpec = str | dict[str, Any] | list[Any] | BaseModel | Reply | Callable[["FakeRequest"], Any]


@dataclass
class FakeRequest:
    """A request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")

    @property
    def model(self) -> str | None:
        return self.body.get("model") if isinstance(self.body, dict) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def tools(self) -> list[dict[str, Any]]:
        return list(self.body.get("tools") or []) if isinstance(self.body, dict) else []

    @property
    def tool_names(self) -> list[str]:
        return [t.get("function", {}).get("name", "") for t in self.tools]

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self.body.get("response_format") if isinstance(self.body, dict) else None

    def text_of(self, role: str) -> str:
        """All text content sent with ``role`` ('system', 'user', …), joined by newlines."""
        out: list[str] = []
        for m in self.messages:
            if m.get("role") != role:
                continue
            content = m.get("content")
            if isinstance(content, str):
                out.append(content)
            elif isinstance(content, list):
                out.extend(str(p.get("text", "")) for p in content if isinstance(p, dict))
        return "\n".join(out)


@dataclass
class _State:
    replies: list[ReplySpec]
    models: list[str]
    api_key: str | None
    default_usage: tuple[int, int]
    requests: list[FakeRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: int = 0


class FakeOpenAI:
    """An OpenAI-compatible HTTP server on a random loopback port (a context manager)."""

    def __init__(
        self,
        replies: Iterable[ReplySpec] = (),
        *,
        models: Iterable[str] = ("fake-model",),
        api_key: str | None = None,
        default_usage: tuple[int, int] = (10, 5),
    ) -> None:
        self._state = _State(
            replies=list(replies),
            models=list(models),
            api_key=api_key,
            default_usage=default_usage,
        )
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    # --- lifecycle ----------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        state = self._state

        class Handler(_Handler):
            pass

        Handler.state = state
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what tests use -----------------------------------------------------------------
    @property
    def port(self) -> int:
        """The port (still known after the server stopped, for assertions)."""
        if self._port is None:
            raise RuntimeError("FakeOpenAI was never started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``: what a client's base URL should be."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[FakeRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def chat_requests(self) -> list[FakeRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def add_replies(self, *replies: ReplySpec) -> None:
        with self._state.lock:
            self._state.replies.extend(replies)

    @property
    def replies_left(self) -> int:
        with self._state.lock:
            return len(self._state.replies)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client went away (closed pool, test over): not worth a traceback
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    state: _State
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def _record(self, body: Any) -> FakeRequest:
        req = FakeRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        with self.state.lock:
            self.state.requests.append(req)
        return req

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, code: str = "fake_error") -> None:
        self._send(
            status,
            {"error": {"message": message, "type": "invalid_request_error", "code": code}},
        )

    def _authorized(self, req: FakeRequest) -> bool:
        key = self.state.api_key
        if key is None:
            return True
        if req.authorization == f"Bearer {key}":
            return True
        self._error(401, "Incorrect API key provided.", "invalid_api_key")
        return False

    def do_GET(self) -> None:
        req = self._record(None)
        if not self._authorized(req):
            return
        if self.path.rstrip("/").endswith("/models"):
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                for m in self.state.models
            ]
            self._send(200, {"object": "list", "data": data})
        else:
            self._error(404, f"fake: no route GET {self.path}")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = raw.decode("utf-8", "replace")
        req = self._record(body)
        if not self._authorized(req):
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._error(404, f"fake: no route POST {self.path}")
            return
        if not isinstance(body, dict):
            self._error(400, "fake: the body is not a JSON object")
            return
        if body.get("stream"):
            self._error(400, "fake: streaming is not supported")
            return
        with self.state.lock:
            spec = self.state.replies.pop(0) if self.state.replies else None
            self.state.served += 1
            n = self.state.served
        if spec is None:
            self._error(400, "fake: no reply left", "no_reply_left")
            return
        reply = _to_reply(spec(req) if callable(spec) else spec)
        if reply.delay_s:
            time.sleep(reply.delay_s)
        if reply.status >= 400:
            self._error(reply.status, reply.error or f"fake: HTTP {reply.status}")
            return
        self._send(200, _completion(req, reply, n, self.state.default_usage))


def _to_reply(spec: Any) -> Reply:
    if isinstance(spec, Reply):
        return spec
    if isinstance(spec, str):
        return Reply(text=spec)
    if isinstance(spec, BaseModel):
        return Reply(data=spec.model_dump(mode="json"))
    if isinstance(spec, dict | list):
        return Reply(data=spec)
    raise TypeError(f"FakeOpenAI cannot answer with {type(spec).__name__}")


def _pick_tool(req: FakeRequest, forced: str | None) -> str | None:
    names = req.tool_names
    if forced is not None:
        return forced
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    for name in names:
        if name.startswith("final_result"):
            return name
    return names[0]


def _completion(
    req: FakeRequest, reply: Reply, n: int, default_usage: tuple[int, int]
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    finish = "stop"
    if reply.data is not None:
        tool = _pick_tool(req, reply.tool)
        arguments = json.dumps(reply.data, ensure_ascii=False)
        if tool is None:
            message["content"] = arguments
        else:
            message["content"] = reply.text
            message["tool_calls"] = [
                {
                    "id": f"call_{n}",
                    "type": "function",
                    "function": {"name": tool, "arguments": arguments},
                }
            ]
            finish = "tool_calls"
    prompt = reply.prompt_tokens if reply.prompt_tokens is not None else default_usage[0]
    completion = (
        reply.completion_tokens if reply.completion_tokens is not None else default_usage[1]
    )
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": 1_700_000_000 + n,
        "model": req.model or "fake-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Serve scripted replies on loopback until Ctrl-C, for trying LLM features by hand::

    python tests/support/fake_openai.py replies.json --port 8911

    ``replies.json`` is a JSON list: each item is one answer, in order (a string is the model's
    text, an object a structured answer). Then ``legion config set llm.model
    openai-compatible:fake-model@http://127.0.0.1:8911/v1``.
    """
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(
        description="A scripted OpenAI-compatible server on 127.0.0.1."
    )
    parser.add_argument("replies", type=Path, help="JSON list of answers, served in order")
    parser.add_argument("--port", type=int, default=8911, help="loopback port (default 8911)")
    args = parser.parse_args(argv)
    replies = json.loads(args.replies.read_text(encoding="utf-8"))
    if not isinstance(replies, list):
        parser.error("the replies file must hold a JSON list")
    state = _State(replies=replies, models=["fake-model"], api_key=None, default_usage=(10, 5))

    class Handler(_Handler):
        pass

    Handler.state = state
    server = _Server(("127.0.0.1", args.port), Handler)
    print(f"fake model at http://127.0.0.1:{args.port}/v1 ({len(replies)} replies); Ctrl-C stops")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
