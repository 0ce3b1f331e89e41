"""A skill's form, generated from its input JSON schema, and the form's answer turned back into
params. Nothing here knows a skill: a field's widget follows its schema type and file role."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from onelegion.core.errors import UserError
from onelegion.core.skill import Skill


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # file | path | select | checkbox | number | integer | lines | json | text
    description: str = ""
    required: bool = False
    default: Any = None
    choices: list[str] = field(default_factory=list)
    role: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def default_text(self) -> str:
        if self.default is None:
            return ""
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, list):
            return "\n".join(str(x) for x in self.default)
        if isinstance(self.default, dict):
            return json.dumps(self.default, ensure_ascii=False)
        return str(self.default)


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {
            **defs.get(ref.rsplit("/", 1)[1], {}),
            **{k: v for k, v in prop.items() if k != "$ref"},
        }
    return prop


def _base(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The non-null alternative of an ``anyOf`` (``X | None``), references resolved."""
    prop = _resolve(prop, defs)
    options = [_resolve(o, defs) for o in prop.get("anyOf", [])]
    non_null = [o for o in options if o.get("type") != "null"]
    if len(non_null) == 1:
        return {**non_null[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
    return prop


def form_fields(skill: Skill[Any, Any]) -> list[FormField]:
    schema = skill.input_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    roles = skill.path_fields()
    out: list[FormField] = []
    for name, raw in schema.get("properties", {}).items():
        prop = _base(raw, defs)
        typ = prop.get("type")
        role = roles.get(name)
        f = FormField(
            name=name,
            label=str(prop.get("title") or name),
            widget="text",
            description=str(prop.get("description") or ""),
            required=name in required,
            default=prop.get("default"),
            role=role,
            minimum=prop.get("minimum", prop.get("exclusiveMinimum")),
            maximum=prop.get("maximum", prop.get("exclusiveMaximum")),
        )
        if role in ("input-file", "input-path"):
            f.widget = "file"
        elif role is not None:
            f.widget = "path"
        elif "enum" in prop:
            f.widget = "select"
            f.choices = [str(c) for c in prop["enum"]]
        elif "const" in prop:
            f.widget = "select"
            f.choices = [str(prop["const"])]
        elif typ == "boolean":
            f.widget = "checkbox"
        elif typ == "integer":
            f.widget = "integer"
        elif typ == "number":
            f.widget = "number"
        elif typ == "array":
            f.widget = "lines"
        elif typ == "object" or typ is None:
            f.widget = "json"
        out.append(f)
    return out


def params_from_form(fields: list[FormField], form: dict[str, str]) -> dict[str, Any]:
    """The params a submitted form means. An empty field is left out (the skill's default
    applies); a checkbox is sent as 'true' when ticked and the hidden 'false' otherwise."""
    params: dict[str, Any] = {}
    for f in fields:
        raw = form.get(f.name)
        if raw is None:
            continue
        value = raw.strip()
        if f.widget == "checkbox":
            ticked = value == "true"
            if ticked != bool(f.default):
                params[f.name] = ticked
            continue
        if not value:
            continue
        if f.widget == "integer":
            try:
                params[f.name] = int(value)
            except ValueError:
                raise UserError(f"{f.name}: {value!r} is not a whole number") from None
        elif f.widget == "number":
            try:
                params[f.name] = float(value)
            except ValueError:
                raise UserError(f"{f.name}: {value!r} is not a number") from None
        elif f.widget == "lines":
            params[f.name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif f.widget == "json":
            try:
                params[f.name] = json.loads(value)
            except json.JSONDecodeError as e:
                raise UserError(f"{f.name}: not valid JSON ({e.msg})") from None
        else:
            params[f.name] = value
    return params
