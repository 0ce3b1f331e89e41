"""report.html for clean.table / clean.apply / clean.profile (self-contained, Chinese-capable)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import polars as pl

from onelegion.reports import bar_chart, cards, details, esc, page, section, table
from onelegion.skills.clean.profile import ColumnProfile
from onelegion.skills.clean.step import Issue, StepBase


def _cut(v: str | None, limit: int = 200) -> str:
    if v is None:
        return "∅"
    return v if len(v) <= limit else v[:limit] + "…"


def _fmt_n(n: int) -> str:
    return f"{n:,}"


def _arrow(a: object, b: object) -> str:
    return esc(a) if a == b else f"{esc(a)} → <b>{esc(b)}</b>"


def profile_table(
    before: Sequence[ColumnProfile], after: Sequence[ColumnProfile] | None = None
) -> str:
    """One row per column; with ``after``, each figure shows before → after."""
    rows = []
    after_by = {p.name: p for p in (after or [])}
    for b in before:
        a = after_by.get(b.name, b)
        issues_b = ", ".join(f"{k} {v}" for k, v in b.issues.items()) or "—"
        issues_a = ", ".join(f"{k} {v}" for k, v in a.issues.items()) or "—"
        rng = f"{a.min} … {a.max}" if a.min is not None else ""
        ex_b = " · ".join(esc(x) for x in b.examples[:4])
        ex_a = " · ".join(esc(x) for x in a.examples[:4])
        rows.append(
            [
                esc(b.name),
                f'<span class="tag">{esc(a.type)}</span> <span class="muted">{a.confidence:.0%}</span>'
                + (f' <span class="muted">unit {esc(a.unit)}</span>' if a.unit else ""),
                _arrow(b.non_null, a.non_null),
                _arrow(b.distinct, a.distinct),
                esc(issues_b) if after is None else f"{esc(issues_b)}<br>→ {esc(issues_a)}",
                ex_b if after is None else f'<span class="muted">{ex_b}</span><br>{ex_a}',
                esc(rng),
            ]
        )
    return table(
        [
            "列 Column",
            "类型 Type",
            "非空 Non-null",
            "不同值 Distinct",
            "问题 Issues",
            "示例 Examples" + ("" if after is None else " (before / after)"),
            "范围 Range",
        ],
        rows,
        raw=(0, 1, 2, 3, 4, 5),
        numeric=(2, 3),
    )


def steps_table(steps: Sequence[StepBase]) -> str:
    rows = []
    for i, s in enumerate(steps, 1):
        ev = s.evidence or {}
        ex = ev.get("examples") or ev.get("counts") or ""
        if isinstance(ex, dict):
            ex = ", ".join(f"{k}: {v}" for k, v in list(ex.items())[:6])
        elif isinstance(ex, list):
            ex = " · ".join(str(x) for x in ex[:4])
        rows.append(
            [
                i,
                s.kind,
                s.column or "(all)",
                f"{s.confidence:.2f}",
                "✓" if getattr(s, "enabled", True) else "proposed",
                s.description,
                str(ex)[:300],
            ]
        )
    return table(
        ["#", "步骤 Step", "列 Column", "置信 Conf.", "状态", "说明 What", "证据 Evidence"],
        rows,
        numeric=(0, 3),
    )


def clusters_fragment(steps: Sequence[StepBase], limit: int = 12) -> str:
    """Top value clusters / synonym mappings (map_values steps)."""
    rows = []
    for s in steps:
        mapping = getattr(s, "mapping", None)
        if s.kind != "map_values" or not isinstance(mapping, dict):
            continue
        groups: dict[str, list[str]] = {}
        for variant, canon in mapping.items():
            groups.setdefault(str(canon), []).append(str(variant))
        for canon, variants in groups.items():
            rows.append((len(variants), s.column or "", canon, variants, s.confidence))
    if not rows:
        return '<p class="muted">没有值聚类 No value clusters.</p>'
    rows.sort(key=lambda r: -r[0])
    return table(
        ["列 Column", "标准值 Canonical", "变体 Variants", "置信 Conf."],
        [
            [c, canon, " · ".join(v[:8]) + (" …" if len(v) > 8 else ""), f"{conf:.2f}"]
            for _, c, canon, v, conf in rows[:limit]
        ],
        numeric=(3,),
    )


def change_examples(changes: pl.DataFrame, per_column: int = 5) -> str:
    if changes.height == 0:
        return '<p class="muted">没有改动 No changes.</p>'
    ex = changes.group_by("column", "step", maintain_order=True).head(per_column)
    rows = [
        [
            r["column"],
            r["step"],
            r["line"] if r.get("line") is not None else r["row"] + 1,
            f"<del>{esc(_cut(r['before']))}</del>",
            f"<ins>{esc(_cut(r['after']))}</ins>",
        ]
        for r in ex.head(400).iter_rows(named=True)
    ]
    return table(
        ["列 Column", "步骤 Step", "行 Line", "原值 Before", "新值 After"],
        rows,
        raw=(3, 4),
        numeric=(2,),
    )


def issues_fragment(issues: Sequence[Issue], limit: int = 200) -> str:
    if not issues:
        return '<p class="muted">没有标记 Nothing flagged.</p>'
    rows = [
        [
            i.line if i.line is not None else (i.row + 1 if i.row is not None else ""),
            i.column or "",
            i.kind,
            _cut(i.value),
            i.detail,
        ]
        for i in issues[:limit]
    ]
    more = (
        f'<p class="muted">… {len(issues) - limit} more in issues.csv</p>'
        if len(issues) > limit
        else ""
    )
    return (
        table(["行 Line", "列 Column", "类型 Kind", "值 Value", "说明 Detail"], rows, numeric=(0,))
        + more
    )


def duplicates_fragment(df: pl.DataFrame, dups: Sequence[Any], limit: int = 10) -> str:
    if not dups:
        return '<p class="muted">没有重复 No duplicate rows found.</p>'
    out = []
    for d in list(dups)[:limit]:
        rows = [int(r) for r in getattr(d, "rows", [])][:6]
        if not rows:
            continue
        sub = df[rows] if max(rows) < df.height else df.head(0)
        sub = sub.with_columns(sub[c].str.slice(0, 200) for c in sub.columns)
        out.append(
            details(
                f"{getattr(d, 'kind', '')} · rows {', '.join(str(r + 1) for r in rows)} · similarity {getattr(d, 'similarity', 1.0):.2f}",
                table(
                    ["行 Row", *sub.columns],
                    [[r + 1, *vals] for r, vals in zip(rows, sub.iter_rows(), strict=False)],
                    numeric=(0,),
                ),
            )
        )
    return "".join(out)


def clean_report(
    *,
    title: str,
    source: str,
    before: Sequence[ColumnProfile],
    after: Sequence[ColumnProfile],
    steps: Sequence[StepBase],
    changes: pl.DataFrame,
    issues: Sequence[Issue],
    duplicates: Sequence[Any],
    df_after: pl.DataFrame,
    df_before: pl.DataFrame | None = None,
    notes: Sequence[str] = (),
    review: bool = False,
) -> str:
    rows = df_after.height
    cells = changes.select(pl.struct("row", "column").n_unique()).item() if changes.height else 0
    kinds = Counter(i.kind for i in issues)
    before_issue_kinds: Counter[str] = Counter()
    for p in before:
        before_issue_kinds.update(p.issues)
    by_col = (
        changes.group_by("column")
        .agg(pl.col("row").n_unique().alias("n"))
        .sort("n", descending=True)
        if changes.height
        else None
    )
    body = [
        f'<p class="sub">{esc(source)}</p>',
        cards(
            [
                ("行 Rows", _fmt_n(rows)),
                ("列 Columns", _fmt_n(df_after.width)),
                (
                    "改动单元格 Cells changed" if not review else "将改动 Would change",
                    _fmt_n(cells),
                ),
                ("标记问题 Flagged", _fmt_n(len(issues))),
                ("重复组 Duplicate groups", _fmt_n(len(duplicates))),
                ("步骤 Steps", _fmt_n(sum(1 for s in steps if getattr(s, "enabled", True)))),
            ]
        ),
    ]
    if review:
        body.append(
            "<p><b>预览模式 Review mode:</b> nothing was changed; edit recipe.json and run <code>legion clean apply</code>.</p>"
        )
    if notes:
        body.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    charts = [
        bar_chart(
            sorted(before_issue_kinds.items(), key=lambda kv: -kv[1]),
            title="清洗前的问题 Issues found before cleaning",
        )
    ]
    if kinds:
        charts.append(
            bar_chart(
                sorted(kinds.items(), key=lambda kv: -kv[1]),
                title="仍需人工查看 Flagged for review",
                color="#bf8700",
            )
        )
    if by_col is not None:
        charts.append(
            bar_chart(
                [(str(c), int(n)) for c, n in by_col.head(20).iter_rows()],
                title="各列改动 Cells changed per column",
                color="#1a7f37",
            )
        )
    body.append(section("概览 Overview", *charts))
    body.append(section("各列画像 Column profile (before → after)", profile_table(before, after)))
    body.append(section("配方 Recipe steps", steps_table(steps)))
    body.append(section("值聚类 Top clusters", clusters_fragment(steps)))
    body.append(section("改动示例 Examples of changes", change_examples(changes)))
    body.append(section("标记的问题 Flagged issues", issues_fragment(issues)))
    body.append(
        section(
            "重复行 Duplicates",
            duplicates_fragment(df_before if df_before is not None else df_after, duplicates),
        )
    )
    return page(title, body, footer="changes.csv · issues.csv · duplicates.csv · recipe.json")


def profile_report(
    *,
    title: str,
    source: str,
    profiles: Sequence[ColumnProfile],
    rows: int,
    notes: Sequence[str] = (),
) -> str:
    kinds: Counter[str] = Counter()
    for p in profiles:
        kinds.update(p.issues)
    types = Counter(p.type for p in profiles)
    body = [
        f'<p class="sub">{esc(source)}</p>',
        cards(
            [
                ("行 Rows", _fmt_n(rows)),
                ("列 Columns", _fmt_n(len(profiles))),
                ("问题单元格 Cells with issues", _fmt_n(sum(kinds.values()))),
            ]
        ),
    ]
    if notes:
        body.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    body.append(
        section(
            "概览 Overview",
            bar_chart(sorted(kinds.items(), key=lambda kv: -kv[1]), title="问题 Issues by kind"),
            bar_chart(
                sorted(types.items(), key=lambda kv: -kv[1]),
                title="列类型 Column types",
                color="#8250df",
            ),
        )
    )
    body.append(section("各列画像 Column profile", profile_table(profiles)))
    return page(title, body)
