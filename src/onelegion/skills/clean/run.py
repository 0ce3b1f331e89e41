"""What the clean skills do (heavy imports live here, loaded only when a skill runs)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

from onelegion.core.context import Context
from onelegion.core.errors import NoModelConfigured, UserError
from onelegion.core.files import write_text
from onelegion.skills.clean.apply import apply_recipe
from onelegion.skills.clean.models import (
    CleanApplyIn,
    CleanApplyOut,
    CleanProfileIn,
    CleanProfileOut,
    CleanTableIn,
    CleanTableOut,
    ColumnResult,
)
from onelegion.skills.clean.pipeline import CleanOptions, clean_frame, invalid_values
from onelegion.skills.clean.profile import ColumnProfile, profile_frame, short
from onelegion.skills.clean.recipe import Recipe, parse_column_map
from onelegion.skills.clean.report import clean_report, profile_report
from onelegion.skills.clean.sheets import clean_other_sheets, merge_sheets, number_lines
from onelegion.skills.clean.step import Issue, StepBase
from onelegion.skills.clean.types import infer_types
from onelegion.skills.clean.write import (
    check_not_input,
    default_output,
    output_format,
    write_frame_csv,
    write_table,
)
from onelegion.tables.read import TableRead, read_table


def _source(path: Path, tr: TableRead) -> dict[str, Any]:
    return {
        "file": path.name,
        "format": tr.format,
        "encoding": tr.encoding,
        "sheet": tr.sheet,
        "rows": tr.df.height,
        "columns": tr.df.width,
    }


def read_synonyms(path: Path) -> dict[str, dict[str, str]]:
    """variant,canonical[,column] rows -> {column or '*': {variant: canonical}} (a header row is skipped)."""
    tr = read_table(path)
    out: dict[str, dict[str, str]] = {}
    df = tr.df
    rows = (
        [list(df.columns)] + [list(r) for r in df.iter_rows()]
        if not _looks_header(df.columns)
        else [list(r) for r in df.iter_rows()]
    )
    for r in rows:
        if len(r) < 2 or not r[0] or not r[1]:
            continue
        col = r[2] if len(r) > 2 and r[2] else "*"
        out.setdefault(str(col).strip(), {})[str(r[0]).strip()] = str(r[1]).strip()
    if not out:
        raise UserError(
            f"{path.name} holds no variant,canonical pairs", hint="write lines like 化妆品,美妆"
        )
    return out


def _looks_header(cols: list[str]) -> bool:
    low = [c.lower() for c in cols]
    return any(
        k in low
        for k in (
            "variant",
            "canonical",
            "from",
            "to",
            "变体",
            "标准",
            "原值",
            "标准值",
            "column",
            "列",
        )
    )


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _issue_frame(issues: list[Issue]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row": [i.row for i in issues],
            "line": [i.line for i in issues],
            "column": [i.column for i in issues],
            "value": [i.value for i in issues],
            "kind": [i.kind for i in issues],
            "detail": [i.detail for i in issues],
        },
        schema={
            "row": pl.Int64,
            "line": pl.Int64,
            "column": pl.Utf8,
            "value": pl.Utf8,
            "kind": pl.Utf8,
            "detail": pl.Utf8,
        },
    )


def _dup_frame(dups: list[Any]) -> pl.DataFrame:
    rows = []
    for g, d in enumerate(dups, 1):
        for r in getattr(d, "rows", []):
            rows.append(
                (g, str(getattr(d, "kind", "")), float(getattr(d, "similarity", 1.0)), int(r))
            )
    return pl.DataFrame(
        rows,
        schema={"group": pl.Int64, "kind": pl.Utf8, "similarity": pl.Float64, "row": pl.Int64},
        orient="row",
    )


def _column_results(
    before: list[ColumnProfile],
    after: list[ColumnProfile],
    changes: pl.DataFrame,
    issues: list[Issue],
) -> list[ColumnResult]:
    changed = (
        dict(changes.group_by("column").agg(pl.col("row").n_unique()).iter_rows())
        if changes.height
        else {}
    )
    firsts: dict[str, str] = {}
    if changes.height:
        # prefer an example from a format or repair step over plain whitespace trimming
        ranked = changes.with_columns(
            _hyg=pl.col("step").replace_strict(
                {"clean_text": 2, "missing_to_empty": 1}, default=0, return_dtype=pl.Int8
            )
        ).sort("_hyg", maintain_order=True)
        for r in ranked.unique(subset=["column"], keep="first", maintain_order=True).iter_rows(
            named=True
        ):
            firsts[r["column"]] = f"{_show(r['before'])} → {_show(r['after'])}"
    flagged = Counter(i.column for i in issues if i.column)
    out = []
    for b, a in zip(before, after, strict=True):
        out.append(
            ColumnResult(
                name=a.name,
                type=a.type,
                confidence=a.confidence,
                non_null=a.non_null,
                distinct=a.distinct,
                changed=int(changed.get(a.name, 0)),
                issues=flagged.get(a.name, 0),
                unit=a.unit,
                example=firsts.get(a.name) or " · ".join(b.examples[:3]),
            )
        )
    return out


def _show(v: str | None) -> str:
    if v is None:
        return "∅"
    v = short(v, 40)
    return repr(v) if v != v.strip() or "\u200b" in v or v == "" else v


def _write_side_files(
    ctx: Context,
    *,
    recipe: Recipe,
    changes: pl.DataFrame,
    issues: list[Issue],
    dups: list[Any],
    report_html: str,
    recipe_out: Path | None,
    report: Path | None,
) -> None:
    recipe.save(ctx.path("recipe.json"))
    ctx.artifact(
        "recipe.json",
        media_type="application/json",
        description="The steps, re-appliable with `legion clean apply`",
    )
    write_frame_csv(changes, ctx.path("changes.csv"))
    ctx.artifact(
        "changes.csv",
        description="Every changed cell: row (0-based data row), line (the input's own line or "
        "sheet row), column, before, after, step, confidence",
    )
    write_frame_csv(_issue_frame(issues), ctx.path("issues.csv"))
    ctx.artifact("issues.csv", description="Flagged, unchanged cells and rows")
    write_frame_csv(_dup_frame(dups), ctx.path("duplicates.csv"))
    ctx.artifact("duplicates.csv", description="Duplicate row groups")
    write_text(ctx.path("report.html"), report_html)
    ctx.artifact("report.html", description="Before/after profile, issues, clusters and examples")
    if recipe_out is not None:
        recipe.save(recipe_out)
        ctx.artifact(
            "recipe-export",
            recipe_out,
            media_type="application/json",
            description="The recipe (your copy)",
        )
    if report is not None:
        write_text(report, report_html)
        ctx.artifact(
            "report-export", report, media_type="text/html", description="The report (your copy)"
        )


def run_table(ctx: Context, p: CleanTableIn) -> CleanTableOut:
    src = Path(p.path)
    output = Path(p.output) if p.output else default_output(src, sheet=p.sheet)
    for out_path in (output, p.report, p.recipe_out):
        if out_path is not None:
            check_not_input(Path(out_path), src, *([Path(p.synonyms)] if p.synonyms else []))
    synonyms = read_synonyms(Path(p.synonyms)) if p.synonyms else None
    ctx.progress(0, 10, "reading", force=True)
    tr = read_table(src, sheet=p.sheet, encoding=p.encoding)
    ctx.log(f"read {tr.df.height} rows × {tr.df.width} columns ({tr.format}, {tr.encoding or '-'})")
    holder: dict[str, str] = {}

    def llm_hook(df: pl.DataFrame, types: dict[str, str]) -> list[StepBase]:
        from onelegion.skills.clean.semantic import idle_model_note, no_model_note, propose_semantic

        if not ctx.llm.available:
            holder["note"] = no_model_note(df, types)
            return []
        if not p.llm:
            holder["note"] = idle_model_note(df, types)
            return []
        try:
            steps, holder["note"] = propose_semantic(ctx.llm, df, types, p.min_confidence)
        except NoModelConfigured:
            holder["note"] = no_model_note(df, types)
            return []
        return steps

    opts = CleanOptions(
        dedupe=p.dedupe,
        canonical=p.canonical,
        min_confidence=p.min_confidence,
        synonyms=synonyms,
        source=_source(src, tr),
        propose_extra=llm_hook,
        progress=lambda d, t, m: ctx.progress(1 + d, t + 2, m),
    )
    res = clean_frame(tr.df, opts)
    llm_note = holder.get("note", "")
    issues = tr.issues + res.issues
    changes = number_lines(tr, res.change_frame, issues)
    others: list[Any] = []
    sheet_notes: list[str] = []
    if tr.format == "excel" and p.sheet is None and len(tr.sheets) > 1:
        if output_format(output) == "excel":
            others, sheet_notes = clean_other_sheets(src, tr, opts, p.encoding)
            changes, issues = merge_sheets(tr.sheet or "", changes, issues, others)
            sheet_notes.append(
                f"cleaned all {1 + len(others)} sheets, kept in order under their own names"
            )
        else:
            sheet_notes.append(
                f"only the first sheet {tr.sheet!r} was cleaned: a {output.suffix} file holds "
                "one table (write an .xlsx to clean every sheet, or pick one with --sheet)"
            )
    if not p.output and output.exists():
        sheet_notes.append(f"{output.name} existed and was replaced by this run's output")
    before = profile_frame(tr.df, res.type_info)
    after = profile_frame(res.df, res.type_info)
    notes = tr.notes + res.notes + sheet_notes
    if res.df.height < tr.df.height:
        notes.append(
            f"removed {tr.df.height - res.df.height} duplicate row(s) (--dedupe; the first of each group is kept)"
        )
    html = clean_report(
        title=f"清洗报告 Clean report · {src.name}",
        source=f"{src} · {tr.format} {tr.encoding or ''}",
        before=before,
        after=after,
        steps=res.recipe.steps,
        changes=changes,
        issues=issues,
        duplicates=res.duplicates,
        df_after=res.df,
        df_before=tr.df,
        notes=notes + ([llm_note] if llm_note else []),
        review=p.review,
    )
    if not p.review:
        more = [(name, r.df, r.types) for name, _, r in others]
        write_table(res.df, output, tr, res.types, more_sheets=more)
        ctx.artifact("cleaned", output, description="The cleaned table")
        for name, _, r in others:
            r.recipe.save(ctx.path(f"recipe.{_safe(name)}.json"))
            ctx.artifact(
                f"recipe.{_safe(name)}.json",
                media_type="application/json",
                description=f"The recipe of sheet {name}",
            )
    _write_side_files(
        ctx,
        recipe=res.recipe,
        changes=changes,
        issues=issues,
        dups=res.duplicates,
        report_html=html,
        recipe_out=Path(p.recipe_out) if p.recipe_out else None,
        report=Path(p.report) if p.report else None,
    )
    ctx.progress(10, 10, "done", force=True)
    return CleanTableOut(
        input=src,
        output=None if p.review else output,
        format=tr.format,
        encoding=tr.encoding,
        rows=res.df.height,
        columns=res.df.width,
        cells_changed=res.cells_changed,
        issues=len(issues),
        duplicate_groups=len(res.duplicates),
        steps=sum(1 for s in res.recipe.steps if s.enabled),
        proposed_only=sum(1 for s in res.recipe.steps if not s.enabled),
        review=p.review,
        column_results=_column_results(before, after, res.change_frame, issues),
        notes=notes,
        llm=llm_note,
        artifacts=ctx.artifacts,
    )


def run_apply(ctx: Context, p: CleanApplyIn) -> CleanApplyOut:
    src = Path(p.path)
    output = Path(p.output) if p.output else default_output(src)
    for out_path in (output, p.report):
        if out_path is not None:
            check_not_input(Path(out_path), src, Path(p.recipe))
    recipe = Recipe.load(Path(p.recipe))
    mapping = parse_column_map(p.column_map)
    tr = read_table(src, sheet=p.sheet, encoding=p.encoding)
    res = apply_recipe(tr.df, recipe, mapping)
    types = {mapping.get(k, k): v for k, v in recipe.types.items()}
    info = infer_types(res.df)
    for c, t in info.items():  # keep the recipe's type names where it knows the column
        if c in types:
            t.type = types[c]
    before = profile_frame(tr.df, info)
    after = profile_frame(res.df, info)
    issues = tr.issues + invalid_values(res.df, info)
    changes = number_lines(tr, res.change_frame, issues)
    notes = list(tr.notes)
    if res.missing:
        notes.append(
            f"skipped {len(res.skipped)} step(s): columns not in this table: {', '.join(res.missing)} (map them with --column-map)"
        )
    html = clean_report(
        title=f"配方应用报告 Recipe applied · {src.name}",
        source=f"{src} · recipe {Path(p.recipe).name}",
        before=before,
        after=after,
        steps=res.applied,
        changes=changes,
        issues=issues,
        duplicates=[],
        df_after=res.df,
        notes=notes,
    )
    write_table(res.df, output, tr, types)
    ctx.artifact("cleaned", output, description="The table with the recipe applied")
    write_frame_csv(changes, ctx.path("changes.csv"))
    ctx.artifact("changes.csv", description="Every changed cell")
    write_frame_csv(_issue_frame(issues), ctx.path("issues.csv"))
    ctx.artifact("issues.csv", description="Flagged, unchanged cells and rows")
    write_text(ctx.path("report.html"), html)
    ctx.artifact("report.html", description="Before/after profile and examples")
    if p.report is not None:
        write_text(Path(p.report), html)
        ctx.artifact("report-export", Path(p.report), media_type="text/html")
    cells = (
        res.change_frame.select(pl.struct("row", "column").n_unique()).item()
        if res.change_frame.height
        else 0
    )
    return CleanApplyOut(
        input=src,
        output=output,
        recipe=Path(p.recipe),
        format=tr.format,
        encoding=tr.encoding,
        rows=res.df.height,
        columns=res.df.width,
        cells_changed=cells,
        issues=len(issues),
        steps=len(res.applied),
        skipped_steps=len(res.skipped),
        column_results=_column_results(before, after, res.change_frame, issues),
        notes=notes,
        artifacts=ctx.artifacts,
    )


def run_profile(ctx: Context, p: CleanProfileIn) -> CleanProfileOut:
    src = Path(p.path)
    if p.report is not None:
        check_not_input(Path(p.report), src)
    tr = read_table(src, sheet=p.sheet, encoding=p.encoding)
    info = infer_types(tr.df)
    profiles = profile_frame(tr.df, info)
    kinds: Counter[str] = Counter()
    for pr in profiles:
        kinds.update(pr.issues)
    if tr.issues:
        kinds.update(i.kind for i in tr.issues)
    html = profile_report(
        title=f"数据画像 Profile · {src.name}",
        source=f"{src} · {tr.format} {tr.encoding or ''}",
        profiles=profiles,
        rows=tr.df.height,
        notes=tr.notes,
    )
    write_text(ctx.path("report.html"), html)
    ctx.artifact("report.html", description="Per-column profile")
    write_text(
        ctx.path("profile.json"),
        json.dumps([pr.model_dump() for pr in profiles], ensure_ascii=False, indent=1),
    )
    ctx.artifact("profile.json", media_type="application/json", description="The profile as JSON")
    if p.report is not None:
        write_text(Path(p.report), html)
        ctx.artifact("report-export", Path(p.report), media_type="text/html")
    cols = [
        ColumnResult(
            name=pr.name,
            type=pr.type,
            confidence=pr.confidence,
            non_null=pr.non_null,
            distinct=pr.distinct,
            issues=pr.issue_total,
            unit=pr.unit,
            example=" · ".join(pr.examples[:3]),
        )
        for pr in profiles
    ]
    return CleanProfileOut(
        input=src,
        format=tr.format,
        encoding=tr.encoding,
        rows=tr.df.height,
        columns=tr.df.width,
        column_results=cols,
        issue_kinds=dict(kinds),
        notes=tr.notes,
        artifacts=ctx.artifacts,
    )


__all__ = ["read_synonyms", "run_apply", "run_profile", "run_table"]
