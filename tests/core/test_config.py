from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.config import Settings, set_value
from onelegion.core.errors import ConfigError


def test_defaults_toml_and_environment(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings.load(home)
    assert s.home == home and s.llm.model is None and s.api.host == "127.0.0.1"
    assert s.workspace_dir == home / "workspace"
    set_value(home, "llm.model", "deepseek:deepseek-chat")
    set_value(home, "http.timeout_s", "3.5")
    set_value(home, "radar.sources.weibo.url", '"http://127.0.0.1:9/weibo"')
    s = Settings.load(home)
    assert s.llm.model == "deepseek:deepseek-chat" and s.http.timeout_s == 3.5
    assert s.section("radar") == {"sources": {"weibo": {"url": "http://127.0.0.1:9/weibo"}}}
    monkeypatch.setenv("LEGION_LLM__MODEL", "ollama:qwen2.5:7b")
    assert Settings.load(home).llm.model == "ollama:qwen2.5:7b"
    monkeypatch.delenv("LEGION_LLM__MODEL")
    monkeypatch.setenv("LEGION_MODEL", "openai:gpt-4o-mini")
    assert Settings.load(home).llm.model == "openai:gpt-4o-mini"


def test_invalid_values_never_reach_the_file(home: Path) -> None:
    set_value(home, "http.retries", "3")
    before = (home / "legion.toml").read_text()
    with pytest.raises(ConfigError, match="invalid value for http.retries"):
        set_value(home, "http.retries", "-1")
    assert (home / "legion.toml").read_text() == before


def test_secrets_are_refused_and_masked(home: Path) -> None:
    with pytest.raises(ConfigError, match="looks like a secret"):
        set_value(home, "llm.api_key", "sk-123")
    assert not (home / "legion.toml").exists()
    (home).mkdir(parents=True, exist_ok=True)
    (home / "legion.toml").write_text('[push]\ntoken = "abc"\n')
    assert Settings.load(home).public_dump()["push"] == {"token": "***"}
    (home / "legion.toml").write_text(
        '[radar.push]\nurls = ["tgram://123:ABC/456", "https://user:pw@hook.example/x?key=s3cret"]\n'
        '[radar.sources.weibo]\nurl = "http://127.0.0.1:9/weibo"\n'
    )
    shown = Settings.load(home).public_dump()["radar"]
    assert shown["push"]["urls"] == ["tgram://***", "https://***@hook.example/x?***"]
    assert shown["sources"]["weibo"]["url"] == "http://127.0.0.1:9/weibo"


def test_broken_toml_is_one_clear_error(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "legion.toml").write_text("llm = [\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        Settings.load(home)
