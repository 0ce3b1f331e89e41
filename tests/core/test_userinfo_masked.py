"""Credentials inside a base URL (``http://u:sk-…@host/v1``) never reach a record or a screen
(issue 10): the model id stored in ``llm_calls.model`` and used in cache keys, `doctor`, and
the messages of failed requests all show ``***@`` instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.llm.providers import parse_model_string
from onelegion.core.textsafe import hide_userinfo

SECRET = "sk-abcdef0123456789"
MODEL = f"openai-compatible:qwen@http://user:{SECRET}@127.0.0.1:9/v1"


def test_hide_userinfo_in_any_text() -> None:
    assert hide_userinfo(f"at http://u:{SECRET}@h:1/v1 and https://tok@x.y/z, ok") == (
        "at http://***@h:1/v1 and https://***@x.y/z, ok"
    )
    assert hide_userinfo("mailto a@b and http://h/p@x") == "mailto a@b and http://h/p@x"


def test_model_id_holds_no_credentials() -> None:
    spec = parse_model_string(MODEL)
    assert spec.id == "openai-compatible:qwen@http://***@127.0.0.1:9/v1"
    assert spec.resolved_base_url() == f"http://user:{SECRET}@127.0.0.1:9/v1"  # still used


@pytest.mark.parametrize("offline", [True, False])
def test_doctor_never_prints_the_credentials(
    home: Path, monkeypatch: pytest.MonkeyPatch, offline: bool
) -> None:
    from onelegion.core.runtime import Runtime
    from onelegion.surfaces.cli.doctor import _llm

    monkeypatch.setenv("LEGION_MODEL", MODEL)
    rt = Runtime.open(home)
    try:
        check = _llm(rt, offline)
    finally:
        rt.close()
    assert SECRET not in check.detail and "user:" not in check.detail
    assert "http://***@127.0.0.1:9/v1" in check.detail


def test_llm_calls_record_no_credentials_of_the_base_url(home: Path) -> None:
    """A real call through the runner to a loopback OpenAI-compatible fake whose base URL holds
    ``user:secret@``: the recorded ``llm_calls.model`` shows ``***@`` and no byte of the run
    store holds the secret."""
    from onelegion.core.config import set_value
    from onelegion.core.registry import Registry
    from onelegion.core.runtime import Runtime
    from tests.core import sample_skills
    from tests.support.fake_openai import FakeOpenAI

    reg = Registry.from_entry_points()
    for s in sample_skills.SKILLS:
        reg.register(s)
    with FakeOpenAI(replies=["好"]) as fake:
        base = fake.base_url.replace("http://", f"http://user:{SECRET}@", 1)
        set_value(home, "llm.model", f'"openai-compatible:fake-model@{base}"')
        rt = Runtime.open(home, registry=reg)
        try:
            run = rt.runner.run("testing.ask", {})
            calls = rt.store.llm_calls(run.run_id)
        finally:
            rt.close()
    assert run.status == "succeeded" and len(fake.chat_requests) == 1
    masked = fake.base_url.replace("http://", "http://***@", 1)
    assert [c["model"] for c in calls] == [f"openai-compatible:fake-model@{masked}"]
    assert SECRET.encode() not in b"".join(p.read_bytes() for p in home.glob("legion.db*"))
