"""CLI commands generated from skills: `legion <group> <command> ARGS --options`.

Required InputFile/InputDir fields, and fields a skill marks with ``core.skill.POSITIONAL``, become
positional arguments (in field order); other fields
become ``--kebab-case`` options: bool → ``--flag/--no-flag``, list → repeatable (and
comma-separated for text), Literal/Enum → choice. Any field can also be set with
``--param name=value`` (JSON values accepted) or ``--params-file params.json``.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from onelegion.surfaces.i18n import set_language, t

if TYPE_CHECKING:
    from onelegion.core.registry import Registry
    from onelegion.core.skill import Skill

COMMON = ("_json", "_refresh", "_timeout", "_param", "_params_file", "_lang")
SHORT = {"output": "-o"}
POS = "_pos_"  # click name of a field's optional positional argument (json_schema_extra cli_positional)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_list) with Optional/Annotated removed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
        return annotation, False
    if origin in (list, tuple, set, frozenset):
        items = typing.get_args(annotation)
        inner, _ = _unwrap(items[0]) if items else (str, False)
        return inner, True
    return annotation, False


def _click_type(inner: Any) -> Any:
    if typing.get_origin(inner) is Literal:
        return click.Choice([str(v) for v in typing.get_args(inner)])
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return click.Choice([str(m.value) for m in inner])
    if inner in (int, float, str):
        return inner
    if inner is Path:
        return click.Path(path_type=str)
    return None


def _help(info: Any) -> str:
    text = info.description or ""
    if not info.is_required():
        default = info.get_default(call_default_factory=True)
        if default not in (None, [], (), "", False, {}):
            if isinstance(default, enum.Enum):
                default = default.value
            text += "  " + t("gen.default", value=default)
    return text.strip()


def build_command(skill: Skill[Any, Any], invoke: Any) -> click.Command:
    """One click command for one skill; ``invoke(skill, values, common)`` runs it."""
    arguments = set(skill.positional_fields())
    params: list[click.Parameter] = []
    positional: dict[str, str] = {}  # argument name -> the field it fills
    complex_fields: list[str] = []
    for name, info in skill.input_model.model_fields.items():
        inner, is_list = _unwrap(info.annotation)
        kebab = name.replace("_", "-")
        if name in arguments and not is_list:
            ctype = _click_type(inner)
            params.append(
                click.Argument(
                    [name],
                    type=click.Path(path_type=str) if inner is Path else (ctype or str),
                    required=info.is_required(),
                )
            )
            continue
        if inner is bool and not is_list:
            default = bool(info.default) if info.default is not None else False
            params.append(
                click.Option(
                    [f"--{kebab}/--no-{kebab}", name],
                    default=default,
                    help=_help(info),
                    show_default=False,
                )
            )
            continue
        ctype = _click_type(inner)
        if ctype is None:
            complex_fields.append(name)
            continue
        decls = [f"--{kebab}", name]
        if name in SHORT:
            decls.insert(1, SHORT[name])
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if isinstance(extra.get("cli_aliases"), list):
            decls[1:1] = [str(a) for a in extra["cli_aliases"]]  # other spellings of the option
        if extra.get("cli_positional") and not is_list:
            # may also come as the optional argument after the required ones (`shift film.srt +1.5s`)
            positional[f"{POS}{name}"] = name
            params.append(
                click.Argument(
                    [f"{POS}{name}"], type=ctype, required=False, metavar=f"[{kebab.upper()}]"
                )
            )
        params.append(
            click.Option(
                decls,
                type=ctype,
                multiple=is_list,
                required=info.is_required(),
                default=None,
                help=_help(info) + ("  " + t("gen.repeat") if is_list else ""),
            )
        )
    params += [
        click.Option(["--json", "_json"], is_flag=True, help=t("gen.json")),
        click.Option(["--refresh", "_refresh"], is_flag=True, help=t("gen.refresh")),
        click.Option(["--timeout", "_timeout"], type=float, help=t("gen.timeout")),
        click.Option(
            ["--param", "_param"],
            multiple=True,
            metavar="NAME=VALUE",
            help=t("gen.param"),
        ),
        click.Option(
            ["--params-file", "_params_file"],
            type=click.Path(exists=True, dir_okay=False),
            help=t("gen.params_file"),
        ),
    ]
    if "lang" not in skill.input_model.model_fields:  # else --lang is the skill's own parameter
        params.append(
            click.Option(
                ["--lang", "_lang"],
                type=click.Choice(["auto", "en", "zh"]),
                is_eager=True,
                expose_value=True,
                callback=lambda _ctx, _p, v: set_language(v) if v else None,
                help=t("gen.lang"),
            )
        )

    def callback(**kwargs: Any) -> None:
        ctx = click.get_current_context()
        values: dict[str, Any] = {}
        for key, value in kwargs.items():
            if key in COMMON:
                continue
            if key in positional:
                if value is None:
                    continue
                field = positional[key]
                if ctx.get_parameter_source(field) is not click.core.ParameterSource.DEFAULT:
                    raise click.UsageError(t("gen.twice", name=field.replace("_", "-")), ctx=ctx)
                values[field] = value
                continue
            source = ctx.get_parameter_source(key)
            if source is click.core.ParameterSource.DEFAULT:
                continue
            if isinstance(value, tuple):
                items: list[Any] = []
                for v in value:
                    items.extend(p.strip() for p in v.split(",") if p.strip()) if isinstance(
                        v, str
                    ) else items.append(v)
                value = items
            values[key] = value
        common = {k: kwargs.get(k) for k in COMMON}
        invoke(skill, values, common)

    epilog = ""
    if skill.examples:
        epilog = t("gen.examples") + "\n\n" + "\n\n".join(f"  {e}" for e in skill.examples)
    if complex_fields:
        epilog += "\n\n" + t("gen.set_with_param", fields=", ".join(complex_fields))
    help_text = skill.summary
    if skill.description:
        help_text += "\n\n" + skill.description
    return click.Command(
        skill.command,
        params=params,
        callback=callback,
        help=help_text,
        short_help=skill.summary,
        epilog=epilog or None,
        context_settings={"max_content_width": 100},
    )


def parse_param_pairs(pairs: tuple[str, ...] | list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.UsageError(t("gen.bad_pair", pair=pair))
        key, raw = pair.split("=", 1)
        try:
            out[key.strip().replace("-", "_")] = json.loads(raw)
        except json.JSONDecodeError:
            out[key.strip().replace("-", "_")] = raw
    return out


def group_help(ep_value: str) -> str | None:
    """The first line of the entry point module's docstring, read without importing the module
    (so `legion --help` stays instant and plugins describe themselves)."""
    import ast
    import importlib.util

    module = ep_value.split(":", 1)[0].strip()
    try:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        with open(spec.origin, encoding="utf-8") as f:
            doc = ast.get_docstring(ast.parse(f.read()))
    except (ImportError, OSError, SyntaxError, ValueError):
        return None
    return doc.strip().splitlines()[0] if doc else None


class SkillGroup(click.Group):
    """A command group whose commands are the skills of one entry point, loaded on first use."""

    def __init__(
        self, name: str, registry_factory: Any, invoke: Any, help: str | None = None
    ) -> None:
        super().__init__(name, help=help or t("gen.plugin_group", name=name))
        self._registry_factory = registry_factory
        self._invoke = invoke
        self._loaded: dict[str, click.Command] | None = None

    def _commands(self) -> dict[str, click.Command]:
        if self._loaded is None:
            registry: Registry = self._registry_factory()
            self._loaded = {
                s.command: build_command(s, self._invoke) for s in registry.group(self.name or "")
            }
        return self._loaded

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._commands())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands().get(cmd_name)
