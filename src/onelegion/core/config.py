"""Settings: ``$LEGION_HOME/legion.toml`` plus ``LEGION_*`` environment variables.

Precedence (highest first): environment (``LEGION_LLM__MODEL``, ``LEGION_MODEL``…), the TOML file,
defaults. API keys are read only from the environment (or a ``.env`` file the person names) and
are never written to the TOML file, the store, logs or reports.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import tomli_w
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from onelegion.core.errors import ConfigError
from onelegion.core.files import write_text
from onelegion.core.home import default_home

__all__ = ["CONFIG_FILE", "ApiSettings", "HttpSettings", "LLMSettings", "Settings", "default_home"]

CONFIG_FILE = "legion.toml"
SECRET_RE = re.compile(r"(api[_-]?key|token|secret|password|passwd)", re.I)


class LLMSettings(BaseModel):
    model: str | None = Field(
        default=None,
        description="Model string: 'deepseek:deepseek-chat', 'openai:gpt-4o-mini', "
        "'ollama:qwen2.5:7b', 'qwen:qwen-plus', 'kimi:moonshot-v1-8k', "
        "'openai-compatible:MODEL@http://host:port/v1'. Unset: no LLM (deterministic paths only).",
    )
    budget_usd: float = Field(default=0.50, ge=0, description="Estimated cost cap per run (USD).")
    max_calls: int = Field(default=200, ge=0, description="LLM call cap per run.")
    timeout_s: float = Field(default=60.0, gt=0, description="Timeout of one LLM request.")
    temperature: float = Field(default=0.2, ge=0, le=2)
    cache: bool = Field(default=True, description="Answer identical requests from the cache.")
    output_mode: Literal["auto", "tool", "native", "prompted"] = Field(
        default="auto",
        description="How structured output is requested: tool calls, the server's JSON mode, "
        "or JSON asked for in the prompt (auto: by provider).",
    )


class HttpSettings(BaseModel):
    timeout_s: float = Field(default=10.0, gt=0, description="Timeout of one request.")
    retries: int = Field(default=2, ge=0, le=10, description="Retries on timeouts, 429 and 5xx.")
    backoff_s: float = Field(default=0.5, ge=0, description="First retry delay; doubles each try.")
    user_agent: str = Field(
        default="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Safari/537.36 OneLegion/0.1"
    )
    proxy: str | None = Field(default=None, description="Proxy URL for all outbound requests.")
    rate_per_host: float = Field(default=5.0, gt=0, description="Requests per second per host.")
    rate_limits: dict[str, float] = Field(
        default_factory=dict, description="Per-host overrides: {'www.zhihu.com': 1.0}."
    )


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8765
    max_upload_mb: int = Field(
        default=512,
        ge=1,
        description="Largest file accepted per upload (MB); a request body stops being read 1 MB past it.",
    )


class Settings(BaseSettings):
    """All settings. ``ctx.config`` in a skill; ``legion config show`` prints them."""

    model_config = SettingsConfigDict(
        env_prefix="LEGION_", env_nested_delimiter="__", extra="allow", validate_default=True
    )

    home: Path = Field(default_factory=default_home, description="Where runs and data live.")
    workspace: Path | None = Field(
        default=None, description="Folder for uploads and scratch files (default: HOME/workspace)."
    )
    allowed_roots: list[Path] = Field(
        default_factory=list,
        description="Extra folders skills may read and write besides the workspace.",
    )
    executor: Literal["inline", "thread", "dask"] = Field(
        default="thread", description="Where runs execute."
    )
    max_workers: int = Field(default=4, ge=1, description="Threads of the thread executor.")
    dask_address: str | None = Field(
        default=None, description="Dask scheduler address for executor='dask' (unset: local)."
    )
    language: Literal["auto", "en", "zh"] = Field(default="auto", description="Messages language.")
    llm: LLMSettings = Field(default_factory=LLMSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _CURRENT_TOML.get("path")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None and toml_file.exists():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    @classmethod
    def load(cls, home: Path | str | None = None) -> Settings:
        """Read ``HOME/legion.toml`` and the environment."""
        home_path = Path(home).expanduser() if home is not None else default_home()
        toml_path = home_path / CONFIG_FILE
        if toml_path.exists():
            try:
                tomllib.loads(toml_path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
                raise ConfigError(
                    f"{toml_path} is not valid TOML ({e})", hint="fix or delete the file"
                ) from e
        _CURRENT_TOML["path"] = toml_path
        init: dict[str, Any] = {"home": home_path}
        if (m := os.environ.get("LEGION_MODEL")) and not os.environ.get("LEGION_LLM__MODEL"):
            init["llm"] = _merge_llm_model(toml_path, m)
        try:
            return cls(**init)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise ConfigError(
                f"invalid setting {loc}: {err['msg']}",
                hint=f"check {toml_path} and LEGION_* environment variables",
            ) from e
        finally:
            _CURRENT_TOML.pop("path", None)

    @property
    def workspace_dir(self) -> Path:
        return self.workspace if self.workspace is not None else self.home / "workspace"

    @property
    def config_file(self) -> Path:
        return self.home / CONFIG_FILE

    def section(self, name: str) -> dict[str, Any]:
        """A free-form table of the TOML file for one skill group (``[radar]`` → dict)."""
        extra = self.model_extra or {}
        value = extra.get(name, {})
        return value if isinstance(value, dict) else {}

    def public_dump(self) -> dict[str, Any]:
        """Everything, JSON-ready, for ``legion config show``; secret-looking keys masked."""
        dumped: dict[str, Any] = _mask(self.model_dump(mode="json"))
        return dumped


_CURRENT_TOML: dict[str, Path] = {}


def _merge_llm_model(toml_path: Path, model: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if toml_path.exists():
        data = tomllib.loads(toml_path.read_text(encoding="utf-8")).get("llm", {}) or {}
    return {**data, "model": model}


def _mask(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, key) for v in value]
    if key and SECRET_RE.search(key) and value:
        return "***"
    if isinstance(value, str) and "://" in value:
        return mask_url(value)
    return value


def mask_url(url: str) -> str:
    """A URL safe to show: credentials, query strings and the path of non-web schemes (push
    services such as ``tgram://BOT_TOKEN/CHAT`` keep their tokens there) become ``***``."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"{parts.scheme}://***"
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
    except ValueError:
        return "***"
    shown = f"{parts.scheme}://{'***@' if parts.username or parts.password else ''}{host}"
    shown += parts.path
    if parts.query:
        shown += "?***"
    return shown


def parse_value(raw: str) -> Any:
    """A command-line value as TOML would read it (numbers, booleans, arrays), else a string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def section_models() -> dict[str, type[BaseModel]]:
    """The settings tables skills declare (``onelegion.settings`` entry points), by name."""
    from onelegion.core import plugins

    models: dict[str, type[BaseModel]] = {}
    for ep in plugins.entries(plugins.SETTINGS):
        obj = ep.load()
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            models[ep.name] = obj
    return models


def _unknown(key: str, known: list[str]) -> ConfigError:
    import difflib

    close = difflib.get_close_matches(key.rsplit(".", 1)[-1], known, n=1, cutoff=0.6)
    hint = (f"did you mean {close[0]!r}? " if close else "") + f"known here: {', '.join(known)}"
    return ConfigError(f"unknown setting {key!r}", hint=hint + "; see `legion config show`")


def _walk(model: type[BaseModel], parts: list[str], done: list[str]) -> None:
    """Check that ``parts`` names a field of ``model`` (tables by nested models or dicts)."""
    name, rest = parts[0], parts[1:]
    fields = model.model_fields
    if name not in fields:
        raise _unknown(".".join([*done, name]), sorted(fields))
    if not rest:
        return
    ann = fields[name].annotation
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        _walk(ann, rest, [*done, name])
        return
    if get_origin(ann) is dict:
        value_type = get_args(ann)[1]
        if len(rest) > 1 and isinstance(value_type, type) and issubclass(value_type, BaseModel):
            _walk(value_type, rest[1:], [*done, name, rest[0]])
        elif len(rest) > 1:
            raise ConfigError(f"{'.'.join([*done, name, rest[0]])!r} is a value, not a table")
        return
    raise ConfigError(f"{'.'.join([*done, name])!r} is a value, not a table")


def _check_key(parts: list[str]) -> tuple[type[BaseModel], str] | None:
    """Refuse a key no schema declares; the section model for a skill's table, else None."""
    if parts[0] in Settings.model_fields:
        _walk(Settings, parts, [])
        return None
    sections = section_models()
    if parts[0] not in sections:
        raise _unknown(".".join(parts), sorted([*Settings.model_fields, *sections]))
    if len(parts) < 2:
        raise ConfigError(f"{parts[0]!r} is a table: set one of its keys ({parts[0]}.KEY)")
    _walk(sections[parts[0]], parts[1:], [parts[0]])
    return sections[parts[0]], parts[0]


def set_value(home: Path, dotted_key: str, raw: str) -> Path:
    """``legion config set llm.model deepseek:deepseek-chat``: update legion.toml atomically."""
    if SECRET_RE.search(dotted_key):
        raise ConfigError(
            f"{dotted_key!r} looks like a secret and is never written to {CONFIG_FILE}",
            hint="set it as an environment variable (or in a .env file passed with --env-file)",
        )
    path = home / CONFIG_FILE
    data: dict[str, Any] = {}
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    node = data
    parts = dotted_key.split(".")
    for part in parts[:-1]:
        nxt = node.setdefault(part, {})
        if not isinstance(nxt, dict):
            raise ConfigError(f"{part!r} in {dotted_key!r} is a value, not a table")
        node = nxt
    node[parts[-1]] = parse_value(raw)
    section = _check_key(parts)
    if section is not None:
        model, name = section
        try:
            model.model_validate(data.get(name, {}))
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join([name, *(str(x) for x in err["loc"])])
            msg = str(err["msg"]).removeprefix("Value error, ")
            raise ConfigError(f"invalid value for {loc}: {msg}") from e
    # validate before writing: a bad value never reaches the file
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".{CONFIG_FILE}.check"
    tmp_home = home
    try:
        tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
        _CURRENT_TOML["path"] = tmp
        Settings(home=tmp_home)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"invalid value for {loc}: {err['msg']}") from e
    finally:
        _CURRENT_TOML.pop("path", None)
        tmp.unlink(missing_ok=True)
    write_text(path, tomli_w.dumps(data))
    return path
