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
