"""Open a workbook with python-calamine and take one sheet's raw rows, refusing every way a
corrupt file can fail: its errors (XmlError, ZipError, WorksheetNotFound ...), its Rust panics
(PanicException, a BaseException) and, for legacy ``.xls`` (OLE/CFB) files, memory: a corrupt
BIFF record can declare billions of strings and make calamine abort the whole process on a
failed allocation, so those files are read in a child process whose address space is capped
(``XLS_MEMORY_BYTES`` + 20 x the file size)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from onelegion.core.errors import UserError

CFB_MAGIC = b"\xd0\xcf\x11\xe0"
XLS_MEMORY_BYTES = 2 << 30
_FIX = "open it in Excel/WPS and save it again as .xlsx"


def reader_failed(e: BaseException) -> bool:
    """An error of a native reader (calamine, polars) on a bad file: its own exceptions or a
    Rust panic (PanicException, a BaseException), not Ctrl-C or SystemExit."""
    return isinstance(e, Exception) or type(e).__name__ == "PanicException"


def choose_sheet(names: list[str], sheet: str | None) -> str | None:
    """The sheet asked for (by name, or by number, 1 = first); the first when none; None when
    there is no such sheet."""
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    return None


def _read(path: Path, sheet: str | None) -> tuple[list[str], str | None, list[list[Any]], int]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except BaseException as e:
        if not reader_failed(e):
            raise
        raise UserError(
            f"{path.name} could not be opened as a spreadsheet: {str(e)[:160]}", hint=_FIX
        ) from None
    names = [str(n) for n in wb.sheet_names]
    if not names:
        raise UserError(f"{path.name} has no sheets", hint="check the workbook")
    chosen = choose_sheet(names, sheet)
    if chosen is None:
        return names, None, [], 1
    try:
        ws = wb.get_sheet_by_name(chosen)
        rows = ws.to_python(skip_empty_area=True)
        top = (ws.start[0] if ws.start else 0) + 1  # the sheet row of rows[0]
    except BaseException as e:
        if not reader_failed(e):
            raise
        raise UserError(
            f"{path.name}: sheet {chosen!r} could not be read ({type(e).__name__}: {str(e)[:120]})",
            hint=_FIX,
        ) from None
    return names, chosen, rows, top


def sheet_rows(path: Path, sheet: str | None) -> tuple[list[str], str | None, list[list[Any]], int]:
    """(sheet names, the chosen sheet or None when ``sheet`` is not there, its raw rows, the
    sheet's row number of the first of them)."""
    with path.open("rb") as f:
        legacy = f.read(4) == CFB_MAGIC
    if not legacy:
        return _read(path, sheet)
    return _read_in_child(path, sheet)


def _read_in_child(
    path: Path, sheet: str | None
) -> tuple[list[str], str | None, list[list[Any]], int]:
    limit = XLS_MEMORY_BYTES + 20 * path.stat().st_size
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "onelegion.tables.workbook",
            str(path),
            json.dumps(sheet),
            str(limit),
        ],
        capture_output=True,
        check=False,
        timeout=600,
    )
    if proc.returncode == 0:
        answer = json.loads(proc.stdout)
        if "error" in answer:
            raise UserError(answer["error"], hint=answer.get("hint"))
        return answer["names"], answer["chosen"], answer["rows"], int(answer["top"])
    raise UserError(
        f"{path.name} could not be read as a spreadsheet: the reader failed "
        f"({'out of memory or ' if proc.returncode < 0 else ''}exit {proc.returncode}; "
        "the file is probably corrupt)",
        hint=_FIX,
    )


def _cap_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space cap
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _main(path: str, sheet_json: str, limit: str) -> None:
    _cap_memory(int(limit))  # first, before calamine allocates anything
    from onelegion.tables.cells import cell_text

    try:
        names, chosen, rows, top = _read(Path(path), json.loads(sheet_json))
    except UserError as e:
        print(json.dumps({"error": e.message, "hint": e.hint}))
        return
    out = [[cell_text(c) for c in r] for r in rows]
    answer = {"names": names, "chosen": chosen, "rows": out, "top": top}
    print(json.dumps(answer, ensure_ascii=True))


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], sys.argv[3])
