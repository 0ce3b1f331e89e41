"""Input and output models of the clean skills (pydantic only at import time; rich is imported
inside ``__rich__`` so ``legion --help`` stays fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

from onelegion.core.lang import tr
from onelegion.core.skill import Artifact, InputFile, OutputFile


def writable_table(path: Path | None) -> Path | None:
    """An output whose extension Clean can write: checked before any work is done."""
    if path is not None:
        from onelegion.core.errors import UserError
        from onelegion.skills.clean.write import output_format

        try:
            output_format(path)
        except UserError as e:
            raise ValueError(f"{e.message} ({e.hint})") from None
    return path


class CleanTableIn(BaseModel):
    path: InputFile = Field(
        description="The table to clean: CSV/TSV/TXT, Excel (.xlsx/.xls), JSON, JSON Lines or Parquet."
    )
    output: OutputFile | None = Field(
        default=None,
        description="Cleaned file (default: <name>.clean.<ext> beside the input; the extension picks the format).",
    )
    report: OutputFile | None = Field(default=None, description="Also write the HTML report here.")
    recipe_out: OutputFile | None = Field(
        default=None, description="Also write the recipe (JSON) here."
    )
    review: bool = Field(
        default=False, description="Only propose: write the recipe and report, change nothing."
    )
    dedupe: bool = Field(
        default=False, description="Remove duplicate rows (keeps the first of each group)."
    )
    llm: bool = Field(
        default=False,
        description="Let the configured LLM propose synonym mappings (applied above --min-confidence).",
    )
    canonical: bool = Field(
        default=False,
        description="Write ISO dates, 24-hour times and plain numbers (default: keep each "
        "column's own dominant form and convert only the values that deviate).",
    )
    sheet: str | None = Field(
        default=None, description="Excel sheet name or number (default: the first)."
    )
    encoding: str | None = Field(
        default=None, description="Text encoding override, e.g. gb18030, big5, utf-16."
    )
    synonyms: InputFile | None = Field(
        default=None,
        description="CSV of variant,canonical[,column] pairs to map, e.g. 化妆品,美妆.",
    )
    min_confidence: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Steps below this confidence are proposed in the recipe but not applied.",
    )

    _output = field_validator("output")(writable_table)


class CleanProfileIn(BaseModel):
    path: InputFile = Field(description="The table to profile.")
    sheet: str | None = Field(default=None, description="Excel sheet name or number.")
    encoding: str | None = Field(default=None, description="Text encoding override.")
    report: OutputFile | None = Field(default=None, description="Also write the HTML report here.")


class CleanApplyIn(BaseModel):
    recipe: InputFile = Field(description="A recipe.json written by `legion clean table`.")
    path: InputFile = Field(description="The table to apply it to.")
    output: OutputFile | None = Field(
        default=None, description="Cleaned file (default: <name>.clean.<ext> beside the input)."
    )
    column_map: list[str] = Field(
        default_factory=list,
        description="Recipe column = table column, e.g. 城市=city (repeatable).",
    )
    report: OutputFile | None = Field(default=None, description="Also write the HTML report here.")
    sheet: str | None = Field(default=None, description="Excel sheet name or number.")
    encoding: str | None = Field(default=None, description="Text encoding override.")

    _output = field_validator("output")(writable_table)


class ColumnResult(BaseModel):
    name: str
    type: str
    confidence: float = 1.0
    non_null: int = 0
    distinct: int = 0
    changed: int = 0
    issues: int = 0
    unit: str | None = None
    example: str = Field(default="", description="One change 'before → after', or sample values.")


class CleanTableOut(BaseModel):
    input: Path
    output: Path | None = None
    format: str = ""
    encoding: str | None = None
    rows: int = 0
    columns: int = 0
    cells_changed: int = 0
    issues: int = 0
    duplicate_groups: int = 0
    steps: int = 0
    proposed_only: int = 0
    review: bool = False
    column_results: list[ColumnResult] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    llm: str = Field(default="", description="What the LLM added, or what it would add.")
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        return _render(self, "clean")


class CleanApplyOut(CleanTableOut):
    recipe: Path | None = None
    skipped_steps: int = 0

    def __rich__(self) -> Any:
        return _render(self, "apply")


class CleanProfileOut(BaseModel):
    input: Path
    format: str = ""
    encoding: str | None = None
    rows: int = 0
    columns: int = 0
    column_results: list[ColumnResult] = Field(default_factory=list)
    issue_kinds: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        head = Text.assemble(
            (tr("Profile ", "画像 "), "bold"),
            (self.input.name, "bold cyan"),
            tr(
                f" · {self.rows:,} rows × {self.columns} columns",
                f" · {self.rows:,} 行 × {self.columns} 列",
            ),
            f" · {self.format}{' ' + self.encoding if self.encoding else ''}",
        )
        parts: list[Any] = [head, _columns_table(self.column_results, profile=True)]
        if self.issue_kinds:
            parts.append(
                Text(
                    tr("Issues: ", "问题：")
                    + ", ".join(f"{k} {v:,}" for k, v in self.issue_kinds.items()),
                    style="yellow",
                )
            )
        parts.extend(Text("• " + n, style="dim") for n in self.notes)
        return Group(*parts)


def _columns_table(cols: list[ColumnResult], *, profile: bool) -> Any:
    from rich import box
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    t.add_column(
        tr("Column", "列"),
        style="bold",
        no_wrap=True,
        min_width=9,
        max_width=20,
        overflow="ellipsis",
    )
    t.add_column(tr("Type", "类型"), no_wrap=True, min_width=12)
    if profile:
        t.add_column(tr("Filled", "非空"), justify="right", no_wrap=True, min_width=5)
        t.add_column(tr("Distinct", "不同"), justify="right", no_wrap=True, min_width=5)
    else:
        t.add_column(tr("Changed", "改动"), justify="right", no_wrap=True, min_width=5)
    t.add_column(tr("Issues", "问题"), justify="right", no_wrap=True, min_width=5)
    t.add_column(tr("Example", "示例"), overflow="ellipsis", no_wrap=True, ratio=1, min_width=12)
    for c in cols:
        typ = c.type + (f" ({c.unit})" if c.unit else "")
        issues = f"[yellow]{c.issues:,}[/]" if c.issues else "·"
        if profile:
            t.add_row(c.name, typ, f"{c.non_null:,}", f"{c.distinct:,}", issues, c.example)
        else:
            changed = f"[green]{c.changed:,}[/]" if c.changed else "·"
            t.add_row(c.name, typ, changed, issues, c.example)
    return t


def _render(out: CleanTableOut, mode: str) -> Any:
    from rich.console import Group
    from rich.text import Text

    if out.review:
        verb = tr("Review (nothing changed): would change", "预览（未改动）：将改动")
    elif mode == "apply":
        verb = tr("Recipe applied:", "已应用配方：")
    else:
        verb = tr("Cleaned:", "清洗完成：")
    head = Text.assemble(
        ("✓ " if not out.review else "◇ ", "green"),
        (verb + " ", "bold"),
        (f"{out.cells_changed:,}", "bold green"),
        tr(" cells in ", " 个单元格，文件 "),
        (out.input.name, "bold cyan"),
        tr(
            f" ({out.rows:,} rows × {out.columns} columns)",
            f"（{out.rows:,} 行 × {out.columns} 列）",
        ),
    )
    stats = Text.assemble(
        tr(f"  steps {out.steps}", f"  步骤 {out.steps}"),
        tr(f" (+{out.proposed_only} proposed only)", f"（另有 {out.proposed_only} 个仅提议）")
        if out.proposed_only
        else "",
        tr("  ·  flagged ", "  ·  标记 "),
        (f"{out.issues:,}", "yellow" if out.issues else ""),
        tr("  ·  duplicate groups ", "  ·  重复组 "),
        f"{out.duplicate_groups:,}",
        f"  ·  {out.format}{' ' + out.encoding if out.encoding else ''}",
    )
    parts: list[Any] = [head, stats, _columns_table(out.column_results, profile=False)]
    if isinstance(out, CleanApplyOut) and out.skipped_steps:
        parts.append(
            Text(
                tr(
                    f"skipped {out.skipped_steps} step(s) whose columns are missing",
                    f"跳过了 {out.skipped_steps} 个步骤（所需的列不存在）",
                ),
                style="yellow",
            )
        )
    parts.extend(Text("• " + n, style="dim") for n in out.notes)
    if out.llm:
        parts.append(Text("LLM: " + out.llm, style="magenta"))
    if out.output is not None:
        parts.append(Text.assemble((tr("Output: ", "输出："), "bold"), (str(out.output), "cyan")))
    report = next((a.path for a in out.artifacts if a.name == "report.html"), None)
    if report is not None:
        parts.append(Text.assemble((tr("Report: ", "报告："), "bold"), (str(report), "cyan")))
    return Group(*parts)
