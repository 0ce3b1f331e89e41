"""The human pass: export a review sheet (xlsx or csv), read it back, remember the edits.

The sheet has one row per cue: number, times, source (with --source), translation, the longest line's
width, reading speed and the rules the cue breaks; the person edits the ``translation`` column (line
breaks inside the cell are kept). Applying it writes a new subtitle file and stores every reviewed
(source, translation) pair in translation memory, so the next ``subs translate`` reuses them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pysubs2

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.subs.formats import (
    default_output,
    load,
    plain,
    plain_lines,
    save,
    timestamp,
    write_bytes_atomic,
)
from onelegion.skills.subs.layout import join_lines
from onelegion.skills.subs.memory import Memory
from onelegion.skills.subs.models import SubsReviewIn, SubsReviewOut
from onelegion.skills.subs.rules import Profile, check, cps, detect_lang, resolve_lang, width

COLUMNS = ["cue", "start", "end", "source", "translation", "max_width", "cps", "issues", "unit"]
_HEADER_ZH = [
    "序号",
    "开始",
    "结束",
    "原文",
    "译文（在此修改）",
    "最长行宽",
    "每秒字数",
    "问题",
    "组（拆分/合并的字幕同组）",
]


def _events(subs: pysubs2.SSAFile) -> list[pysubs2.SSAEvent]:
    return [e for e in subs.events if not e.is_comment]


def _sources(p: SubsReviewIn, events: list[pysubs2.SSAEvent]) -> tuple[list[str], list[int | None]]:
    """Per cue: the source text it translates and its unit (the first cue of a run of cues that
    share source cues: the parts of a split cue, or one cue made of merged ones). Cues are matched by
    time overlap, so a translation that `fix` split or merged still finds its source."""
    if p.source is None:
        return [""] * len(events), [None] * len(events)
    src = _events(load(p.source, encoding=None).subs)
    texts = [join_lines([ln for ln in plain_lines(e.text) if ln]) for e in src]
    matched: list[list[int]] = []
    for e in events:
        matched.append(
            [i for i, s in enumerate(src) if min(s.end, e.end) - max(s.start, e.start) > 0]
        )
    if not any(matched):
        if len(src) != len(events):
            raise UserError(
                f"{p.source.name} has {len(src)} cues and {p.path.name} {len(events)}, and their times never overlap",
                hint="pass the source file the translation was made from",
            )
        matched = [[i] for i in range(len(events))]
    sources = [" ".join(texts[i] for i in ids) for ids in matched]
    units: list[int | None] = []
    for k, ids in enumerate(matched):
        if not ids:
            units.append(None)
        elif k and units[-1] is not None and set(ids) & set(matched[k - 1]):
            units.append(units[-1])
        else:
            units.append(k + 1)
    return sources, units


def run_review(ctx: Context, p: SubsReviewIn) -> SubsReviewOut:
    if (p.export is None) == (p.apply is None):
        raise UserError(
            "say what to do: --export review.xlsx (make the sheet) or --apply review.xlsx (read it back)"
        )
    loaded = load(p.path, encoding=p.encoding)
    events = _events(loaded.subs)
    profile = resolve_lang(p.lang, [plain(e.text) for e in events])
    if p.export is not None:
        return _export(ctx, p, p.export, loaded.subs, events, profile)
    assert p.apply is not None
    return _apply(ctx, p, p.apply, loaded.subs, events, profile, loaded.bom)


def _export(
    ctx: Context,
    p: SubsReviewIn,
    sheet: Path,
    subs: pysubs2.SSAFile,
    events: list[pysubs2.SSAEvent],
    profile: Profile,
) -> SubsReviewOut:
    ext = sheet.suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise UserError(
            f"cannot write a review sheet as {ext or 'an extension-less file'}",
            hint="use .xlsx or .csv",
        )
    if sheet.resolve() == p.path.resolve():
        raise UserError(
            "the sheet would overwrite the subtitle file", hint="choose another --export name"
        )
    sources, units = _sources(p, events)
    res = check(subs, profile, p.fps)
    issues: dict[int, list[str]] = {}
    for i in res.issues:
        issues.setdefault(i.cue, []).append(f"{i.rule}: {i.detail}")
    rows = []
    for n, (e, src, unit) in enumerate(zip(events, sources, units, strict=True), 1):
        lines = [ln for ln in plain_lines(e.text) if ln]
        rows.append(
            [
                n,
                timestamp(e.start),
                timestamp(e.end),
                src,
                "\n".join(lines),
                max((width(ln, profile.cjk) for ln in lines), default=0),
                round(cps(lines, e.end - e.start, profile), 1),
                "; ".join(issues.get(n, [])),
                unit if unit is not None else "",
            ]
        )
    data = _xlsx(rows, profile) if ext == ".xlsx" else _csv(rows)
    write_bytes_atomic(sheet, data)
    ctx.artifact("review-sheet", sheet, description="Review sheet: edit the translation column")
    return SubsReviewOut(mode="export", sheet=sheet, cues=len(events), flagged=len(issues))


def _csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    w.writerows(rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _xlsx(rows: list[list[object]], profile: Profile) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "review"
    ws.append(COLUMNS)
    for col, zh in enumerate(_HEADER_ZH, 1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.comment = Comment(zh, "OneLegion")
    flag = PatternFill("solid", fgColor="FFF2CC")
    edit = PatternFill("solid", fgColor="E2EFDA")
    for r in rows:
        ws.append(r)
        row = ws.max_row
        ws.cell(row=row, column=5).fill = edit
        for col in (4, 5, 8):
            cell = ws.cell(row=row, column=col)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s"  # a line starting with "=" is text, never a formula
        if r[7]:
            ws.cell(row=row, column=8).fill = flag
    for letter, w in zip("ABCDEFGHI", (6, 13, 13, 45, 36, 10, 9, 50, 6), strict=True):
        ws.column_dimensions[letter].width = w
    ws.freeze_panes = "A2"
    info = wb.create_sheet("about")
    info.append(["rules", profile.lang])
    info.append(
        [
            "how",
            "Edit column E (translation) only; keep one row per cue. Then: legion subs review FILE --apply SHEET",
        ]
    )
    info.append(
        [
            "说明",
            "只修改 E 列（译文），每行对应一条字幕；完成后运行 legion subs review 文件 --apply 表格",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_sheet(path: Path) -> list[dict[str, str]]:
    """Rows of a review sheet as {column: text}. Raises UserError for a sheet that is not one."""
    ext = path.suffix.lower()
    if ext == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a file that is not xlsx
            raise UserError(
                f"{path.name} is not a readable .xlsx file ({type(e).__name__})"
            ) from None
        ws = wb["review"] if "review" in wb.sheetnames else wb.worksheets[0]
        table = [
            ["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)
        ]
        wb.close()
    elif ext == ".csv":
        from onelegion.tables.encoding import decode_text

        text, _, _ = decode_text(path.read_bytes(), None)
        table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    else:
        raise UserError(
            f"cannot read a review sheet from {ext or 'an extension-less file'}",
            hint="use .xlsx or .csv",
        )
    if not table:
        raise UserError(f"{path.name} is empty")
    header = [h.strip().lower() for h in table[0]]
    if "cue" not in header or "translation" not in header:
        raise UserError(
            f"{path.name} has no 'cue' and 'translation' columns",
            hint="use a sheet made by `legion subs review FILE --export`",
        )
    return [
        dict(zip(header, (c if c is not None else "" for c in row), strict=False))
        for row in table[1:]
        if any(row)
    ]


def _apply(
    ctx: Context,
    p: SubsReviewIn,
    sheet: Path,
    subs: pysubs2.SSAFile,
    events: list[pysubs2.SSAEvent],
    profile: Profile,
    bom: bool,
) -> SubsReviewOut:
    from onelegion.skills.subs.layout import leading_tags
    from onelegion.skills.subs.translate import memory_path

    rows = read_sheet(sheet)
    output = p.output or default_output(p.path, ".reviewed")
    seen: set[int] = set()
    edited = 0
    units: dict[str, tuple[str, str]] = {}
    for k, row in enumerate(rows, 2):
        try:
            n = int(float(row.get("cue", "")))
        except ValueError:
            raise UserError(
                f"{sheet.name}, row {k}: cue {row.get('cue')!r} is not a number"
            ) from None
        if not 1 <= n <= len(events):
            raise UserError(
                f"{sheet.name}, row {k}: cue {n} does not exist ({p.path.name} has {len(events)} cues)",
                hint="was the sheet exported from this file?",
            )
        if n in seen:
            raise UserError(f"{sheet.name}: cue {n} appears twice", hint="keep one row per cue")
        seen.add(n)
        text = row.get("translation", "").replace("\r\n", "\n").strip()
        if not text:
            raise UserError(
                f"{sheet.name}, row {k}: the translation of cue {n} is empty",
                hint="write it, or delete the row",
            )
        ev = events[n - 1]
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if lines != [ln for ln in plain_lines(ev.text) if ln]:
            ev.text = leading_tags(ev.text) + "\\N".join(lines)
            edited += 1
        source = row.get("source", "").strip()
        if source:
            unit = row.get("unit", "").strip() or f"row{k}"
            if unit in units:  # a part of the same source cue(s): one memory entry for the whole
                units[unit] = (source, join_lines([units[unit][1], *lines]))
            else:
                units[unit] = (source, join_lines(lines))
    pairs = list(units.values())
    save(subs, output, inputs=(p.path, sheet), bom=bom)
    ctx.artifact("reviewed", output, description="Subtitles with the reviewed translations")
    mem_file = memory_path(ctx, p.memory)
    added = 0
    if pairs:
        src_lang = p.source_lang
        if src_lang == "auto":
            src_lang = detect_lang([s for s, _ in pairs])
        with Memory(mem_file) as memory:
            added = memory.add(src_lang, profile.lang, pairs, origin="review")
    after = check(subs, profile, p.fps)
    return SubsReviewOut(
        mode="apply",
        sheet=sheet,
        output=output,
        cues=len(events),
        flagged=after.cues_with_issues(),
        edited=edited,
        memory_added=added,
        memory=mem_file if pairs else None,
    )
