"""`legion config set` checks keys against the settings schema (the core's and the tables skills
declare through `onelegion.settings`) and values by type; nothing is written when refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from onelegion.core.config import Settings, section_models, set_value
from onelegion.core.errors import ConfigError


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("bogus.key", "1", "unknown setting 'bogus.key'"),
        ("radar.bogus", "1", "unknown setting 'radar.bogus'"),
        ("llm.modle", "x", "unknown setting 'llm.modle'"),
        ("radar.sources.weibo.enabeld", "false", "unknown setting 'radar.sources.weibo.enabeld'"),
        (
            "radar.timezone",
            "Mars/Olympus",
            "invalid value for radar.timezone: 'Mars/Olympus' is not a known time zone "
            "(e.g. Asia/Shanghai, UTC, Europe/Berlin)",
        ),
        ("radar.sources.weibo.enabled", "maybe", "invalid value for radar.sources.weibo.enabled"),
        ("llm.max_calls", "many", "invalid value for llm.max_calls"),
        ("radar", "1", "'radar' is a table: set one of its keys (radar.KEY)"),
        ("llm.model.name", "x", "'llm.model' is a value, not a table"),
    ],
)
def test_refused_and_nothing_written(tmp_path: Path, key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        set_value(tmp_path, key, value)
    assert e.value.message.startswith(message), e.value.message
    assert not (tmp_path / "legion.toml").exists()


def test_did_you_mean_and_known_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        set_value(tmp_path, "llm.modle", "x")
    assert e.value.hint == (
        "did you mean 'model'? known here: budget_usd, cache, max_calls, model, output_mode, "
        "temperature, timeout_s; see `legion config show`"
    )


def test_accepted_values_are_written_and_read(tmp_path: Path) -> None:
    set_value(tmp_path, "radar.timezone", "Europe/Berlin")
    set_value(tmp_path, "radar.sources.weibo.enabled", "false")
    set_value(tmp_path, "llm.max_calls", "12")
    s = Settings.load(tmp_path)
    assert s.section("radar") == {
        "timezone": "Europe/Berlin",
        "sources": {"weibo": {"enabled": False}},
    }
    assert s.llm.max_calls == 12


def test_skills_declare_their_tables() -> None:
    assert sorted(section_models()) == ["image", "radar", "video"]
    radar = section_models()["radar"]
    assert sorted(radar.model_fields) == [
        "embed",
        "llm",
        "push",
        "sources",
        "store",
        "timezone",
        "watchlist",
        "watchlist_match",
    ]


def test_video_and_image_tables_are_validated(tmp_path: Path) -> None:
    set_value(tmp_path, "video.tts_url", "http://127.0.0.1:8000/v1")
    set_value(tmp_path, "image.url", "http://127.0.0.1:8000/v1")
    s = Settings.load(tmp_path)
    assert s.section("video") == {"tts_url": "http://127.0.0.1:8000/v1"}
    assert s.section("image") == {"url": "http://127.0.0.1:8000/v1"}
    with pytest.raises(ConfigError):
        set_value(tmp_path, "video.tts_timeout", "-1")
