"""The skill contract: a typed function ``(ctx, params: In) -> Out`` plus its name and metadata.

Every surface (CLI, HTTP API, MCP, agent tools) is generated from a :class:`Skill`; nothing
outside a skill's own package knows what a particular skill does.

File parameters are declared with the annotated types below, so the runner can check them
against the allowed roots and include their contents in the cache key:

- ``InputFile``: an existing file the skill reads (digest of its bytes is part of the cache key)
- ``InputDir``: an existing directory the skill reads (digest of its listing: names, sizes, mtimes)
- ``InputPath``: an existing file or directory (``legion accounts import exports/`` or one file)
- ``OutputFile``: a path the skill writes (must be inside an allowed root; never an input)
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar, get_type_hints

from pydantic import BaseModel, Field

from onelegion.core.artifact import Artifact

if TYPE_CHECKING:
    from onelegion.core.context import Context

__all__ = [
    "POSITIONAL",
    "Artifact",
    "InputDir",
    "InputFile",
    "InputPath",
    "OutputFile",
    "Skill",
    "skill",
]

FileRole = Literal["input-file", "input-dir", "input-path", "output-file"]
_ROLE_KEY = "x-legion-path"

InputFile = Annotated[Path, Field(json_schema_extra={_ROLE_KEY: "input-file", "format": "path"})]
InputDir = Annotated[Path, Field(json_schema_extra={_ROLE_KEY: "input-dir", "format": "path"})]
InputPath = Annotated[Path, Field(json_schema_extra={_ROLE_KEY: "input-path", "format": "path"})]
OutputFile = Annotated[Path, Field(json_schema_extra={_ROLE_KEY: "output-file", "format": "path"})]

POSITIONAL: dict[str, Any] = {"x-legion-positional": True}
"""``Field(json_schema_extra=POSITIONAL)`` marks a non-path field the CLI takes as a positional
argument (``legion image gen "prompt"``); required input files and folders are positional anyway."""


InT = TypeVar("InT", bound=BaseModel)
OutT = TypeVar("OutT", bound=BaseModel)

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_-]*)+$")


@dataclass(frozen=True)
class Skill(Generic[InT, OutT]):
    """One capability. Build it with the :func:`skill` decorator."""

    name: str
    title: str
    summary: str
    version: str
    input_model: type[InT]
    output_model: type[OutT]
    fn: Callable[[Context, InT], OutT] = field(repr=False)
    cacheable: bool = True
    examples: tuple[str, ...] = ()
    description: str = ""
    demo: Callable[[Path], dict[str, Any]] | None = field(default=None, repr=False)
    demo_order: int = 100
    llm_calls: int = 0

    @property
    def group(self) -> str:
        """The CLI group: 'clean' for 'clean.table'."""
        return self.name.split(".", 1)[0]

    @property
    def command(self) -> str:
        """The CLI command within its group: 'table' for 'clean.table'."""
        return self.name.split(".", 1)[1].replace(".", "-")

    def input_schema(self) -> dict[str, Any]:
        """The input model's JSON schema; parameters it does not name are refused (see
        :meth:`unknown_params`), so the schema says ``additionalProperties: false``."""
        schema = self.input_model.model_json_schema()
        if self.input_model.model_config.get("extra") != "allow":
            schema["additionalProperties"] = False
        return schema

    def param_names(self) -> list[str]:
        """The parameters the input model accepts (field names, and aliases where set)."""
        names: list[str] = []
        for name, info in self.input_model.model_fields.items():
            names.append(name)
            if info.alias and info.alias != name:
                names.append(info.alias)
        return names

    def unknown_params(self, params: dict[str, Any]) -> list[str]:
        """Keys of ``params`` the input model does not know (none when it allows extras)."""
        if self.input_model.model_config.get("extra") == "allow":
            return []
        known = set(self.param_names())
        return [k for k in params if k not in known]

    def output_schema(self) -> dict[str, Any]:
        return self.output_model.model_json_schema()

    def path_fields(self) -> dict[str, FileRole]:
        """Names of the input model's path fields and their role."""
        return path_fields(self.input_model)

    def positional_fields(self) -> list[str]:
        """Fields the CLI takes as positional arguments, in field order: required, single input
        files and folders, and any field marked with :data:`POSITIONAL`."""
        roles = self.path_fields()
        out: list[str] = []
        for name, info in self.input_model.model_fields.items():
            extra = info.json_schema_extra
            marked = isinstance(extra, dict) and extra.get("x-legion-positional") is True
            single_path = (
                roles.get(name) in ("input-file", "input-dir", "input-path")
                and info.is_required()
                and typing.get_origin(info.annotation) not in (list, tuple, set, frozenset)
            )
            if marked or single_path:
                out.append(name)
        return out

    def __call__(self, ctx: Context, params: InT) -> OutT:
        return self.fn(ctx, params)


def path_fields(model: type[BaseModel]) -> dict[str, FileRole]:
    """Fields declared with InputFile / InputDir / OutputFile (also inside Optional / list)."""
    out: dict[str, FileRole] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        role: Any = extra.get(_ROLE_KEY) if isinstance(extra, dict) else None
        if role is None:
            for meta in info.metadata:
                ex = getattr(meta, "json_schema_extra", None)
                if isinstance(ex, dict) and _ROLE_KEY in ex:
                    role = ex[_ROLE_KEY]
        if role is None:
            role = _role_in_annotation(info.annotation)
        if role in ("input-file", "input-dir", "input-path", "output-file"):
            out[name] = role
    return out


def _role_in_annotation(annotation: Any) -> str | None:
    """Find a path role inside Optional[...] / list[...] annotations."""
    meta = getattr(annotation, "__metadata__", None)
    if meta:
        for m in meta:
            ex = getattr(m, "json_schema_extra", None)
            if isinstance(ex, dict) and _ROLE_KEY in ex:
                return str(ex[_ROLE_KEY])
    for arg in getattr(annotation, "__args__", ()) or ():
        role = _role_in_annotation(arg)
        if role:
            return role
    return None


def skill(
    name: str,
    *,
    title: str,
    summary: str,
    version: str = "1",
    cacheable: bool = True,
    examples: Iterable[str] = (),
    demo: Callable[[Path], dict[str, Any]] | None = None,
    demo_order: int = 100,
    llm_calls: int = 0,
) -> Callable[[Callable[[Context, Any], Any]], Skill[Any, Any]]:
    """Turn ``def fn(ctx: Context, params: In) -> Out`` into a :class:`Skill`.

    ``name`` is ``group.command`` ("clean.table"); ``version`` is part of the cache key, bump it
    when outputs change; ``cacheable=False`` for skills whose result depends on the outside world
    (a live scan). ``examples`` are CLI lines shown in ``--help``. ``demo(workspace)`` returns
    the params `legion demo` runs this skill with on bundled sample data (no key, no internet);
    path values it returns are allowed for that run. ``demo_order`` sorts the demo's steps.
    ``llm_calls``: about how many LLM calls a typical run makes when a model is configured (0:
    it never calls one); the commander's cost preview multiplies it by the model's price. A
    boolean ``llm`` parameter set to false means none.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"skill name {name!r} must look like 'group.command' (lower case)")

    def wrap(fn: Callable[[Context, Any], Any]) -> Skill[Any, Any]:
        hints = get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        if len(params) != 2:
            raise TypeError(f"skill {name}: expected fn(ctx, params), got {params}")
        in_model = hints.get(params[1])
        out_model = hints.get("return")
        for what, m in (("params", in_model), ("return", out_model)):
            if not (isinstance(m, type) and issubclass(m, BaseModel)):
                raise TypeError(f"skill {name}: the {what} annotation must be a pydantic model")
        assert in_model is not None and out_model is not None
        return Skill(
            name=name,
            title=title,
            summary=summary,
            version=version,
            input_model=in_model,
            output_model=out_model,
            fn=fn,
            cacheable=cacheable,
            examples=tuple(examples),
            description=inspect.cleandoc(fn.__doc__ or ""),
            demo=demo,
            demo_order=demo_order,
            llm_calls=llm_calls,
        )

    return wrap
