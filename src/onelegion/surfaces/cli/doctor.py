"""`legion doctor`: what works, and the fix for what does not.

Check names stay the same in every language (``--json`` output is for programs); the table
shows them, their details and fixes in the current language."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from onelegion.core import plugins
from onelegion.core.checks import Check
from onelegion.core.textsafe import hide_userinfo
from onelegion.surfaces.cli.render import console
from onelegion.surfaces.i18n import has, t

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

ICON = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "red"), "skip": ("–", "dim")}


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check(
        name="Python",
        status="ok" if ok else "fail",
        detail=sys.version.split()[0],
        fix="" if ok else t("doc.python_fix"),
    )


def _store(rt: Runtime) -> Check:
    try:
        n = rt.store.count_runs()
        migrations = rt.store.migrations()
        rt.workspace.mkdir(parents=True, exist_ok=True)
        probe = rt.workspace / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except Exception as e:
        return Check(
            name="Store",
            status="fail",
            detail=str(e),
            fix=t("doc.store_fix"),
        )
    return Check(
        name="Store",
        status="ok",
        detail=t("doc.store_ok", path=rt.store.path, runs=n, migrations=len(migrations)),
    )


def _skills(rt: Runtime) -> Check:
    skills = rt.registry.all()
    if rt.registry.errors:
        names = ", ".join(rt.registry.errors)
        return Check(
            name="Skills",
            status="fail",
            detail=t("doc.skills_failed", names=names),
            fix=t("doc.skills_fix"),
        )
    return Check(
        name="Skills",
        status="ok",
        detail=t("doc.skills_ok", count=len(skills), names=", ".join(s.name for s in skills)),
    )


def _extra(module: str, name: str, extra: str) -> Check:
    found = importlib.util.find_spec(module) is not None
    return Check(
        name=name,
        status="ok" if found else "skip",
        detail=t("doc.installed") if found else t("doc.not_installed"),
        fix="" if found else f"pip install 'onelegion[{extra}]'",
    )


def _llm(rt: Runtime, offline: bool) -> Check:
    model = rt.settings.llm.model and hide_userinfo(rt.settings.llm.model)
    if not model:
        return Check(
            name="LLM",
            status="skip",
            detail=t("doc.llm_none"),
            fix=t("doc.llm_fix"),
        )
    llm = rt.make_llm("doctor")
    ping = getattr(llm, "ping", None)
    if offline or ping is None:
        return Check(name="LLM", status="ok", detail=t("doc.llm_not_contacted", model=model))
    try:
        ok, detail = ping()
    except Exception as e:
        ok, detail = False, f"{type(e).__name__}: {e}"
    return Check(
        name="LLM",
        status="ok" if ok else "fail",
        detail=hide_userinfo(f"{model}: {detail}"),
        fix="" if ok else t("doc.llm_broken_fix"),
    )


def _plugin_checks(rt: Runtime, offline: bool) -> list[Check]:
    out: list[Check] = []
    for ep in plugins.entries(plugins.CHECKS):
        try:
            fn = ep.load()
            out.extend(fn(rt.settings, rt.http, offline))
        except Exception as e:
            out.append(
                Check(
                    name=t("check.plugin", name=ep.name),
                    status="fail",
                    detail=f"{type(e).__name__}: {e}",
                )
            )
    return out


def collect(rt: Runtime, *, offline: bool = False) -> list[Check]:
    checks = [
        _python(),
        _store(rt),
        _skills(rt),
        _extra("distributed", "Dask executor", "dask"),
        _llm(rt, offline),
    ]
    checks.extend(_plugin_checks(rt, offline))
    return checks


def check_label(name: str) -> str:
    """A check's name for people, in the current language (plugins' names as written)."""
    key = f"check.{name}"
    return t(key) if has(key) else name


def run_doctor(rt: Runtime, *, as_json: bool = False, offline: bool = False) -> bool:
    start = time.perf_counter()
    checks = collect(rt, offline=offline)
    if as_json:
        print(json.dumps([c.model_dump() for c in checks], ensure_ascii=False, indent=2))
    else:
        table = Table(box=None, header_style="bold")
        table.add_column("")
        table.add_column(t("col.check"), style="bold")
        table.add_column(t("col.detail"), overflow="fold")
        table.add_column(t("col.fix"), style="cyan", overflow="fold")
        for c in checks:
            icon, style = ICON.get(c.status, ("?", ""))
            table.add_row(Text(icon, style=style), check_label(c.name), c.detail, c.fix)
        console.print(table)
        console.print(f"[dim]{t('doc.elapsed', seconds=time.perf_counter() - start)}[/]")
    return not any(c.status == "fail" for c in checks if c.name in ("Python", "Store", "Skills"))
