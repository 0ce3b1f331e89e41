"""Hostile table files (issue 10): each is read correctly or refused with one UserError line,
never a crash."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest

from onelegion.core.errors import UserError
from onelegion.skills.clean.write import write_table
from onelegion.tables.encoding import decode_text
from onelegion.tables.read import read_table


def _xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["名称", "价格"])
    ws.append(["苹果", 12])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            if info.filename in change:
                new = change[info.filename]
                if new is not None:
                    z.writestr(info.filename, new)
            else:
                z.writestr(info.filename, src.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r="},  # XmlError
        {"xl/worksheets/sheet1.xml": None},  # WorksheetNotFound / ZipError
        {"xl/worksheets/sheet1.xml": b"\xff\xfe\x00garbage"},
    ],
)
def test_corrupt_excel_sheet_is_refused(tmp_path: Path, change: dict[str, bytes | None]) -> None:
    p = tmp_path / "bad.xlsx"
    p.write_bytes(_rezip(_xlsx_bytes(), change))
    with pytest.raises(UserError, match=r"^bad\.xlsx: sheet 'Sheet' could not be read"):
        read_table(p)


def test_truncated_excel_is_refused(tmp_path: Path) -> None:
    data = _xlsx_bytes()
    p = tmp_path / "cut.xlsx"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match=r"cut\.xlsx"):
        read_table(p)


def test_json_nested_too_deep_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "deep.json"
    p.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    with pytest.raises(UserError, match=r"^deep\.json is nested too deeply"):
        read_table(p)
    q = tmp_path / "deep.jsonl"
    q.write_text('{"a": ' + "[" * 50_000 + "]" * 50_000 + "}\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"^deep\.jsonl line 1 is nested too deeply"):
        read_table(q)


def test_huge_integer_is_kept_as_its_digits(tmp_path: Path) -> None:
    digits = "7" * 5000
    p = tmp_path / "big.json"
    p.write_text(f'[{{"n": {digits}, "m": 12}}]', encoding="utf-8")
    r = read_table(p)
    assert r.df.rows() == [(digits, "12")]
    q = tmp_path / "big.jsonl"
    q.write_text(f'{{"n": -{digits}}}\n', encoding="utf-8")
    assert read_table(q).df.rows() == [("-" + digits,)]


def test_lone_surrogate_is_replaced_and_the_output_writes(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text(
        '[{"t": "a\\ud83d", "\\udc00k": "\\ud83d\\ude00"}]', encoding="utf-8"
    )  # a half emoji, a half key, a whole emoji
    r = read_table(p)
    assert r.df.columns == ["t", "\ufffdk"]
    assert r.df.rows() == [("a\ufffd", "😀")]
    assert r.notes == [
        "2 value(s) or key(s) held a lone UTF-16 surrogate (half an emoji), replaced by U+FFFD"
    ]
    out = tmp_path / "out.csv"
    write_table(r.df, out)
    assert out.read_text(encoding="utf-8-sig").splitlines() == ["t,\ufffdk", "a\ufffd,😀"]


def test_parquet_duration_and_other_types_become_text(tmp_path: Path) -> None:
    p = tmp_path / "d.parquet"
    pl.DataFrame(
        {
            "d": [dt.timedelta(days=1, seconds=5), None],
            "b": [b"\x00\xff", b"ok"],
            "t": [dt.time(1, 2, 3), dt.time(0, 0)],
        }
    ).write_parquet(p)
    r = read_table(p)
    assert r.df.schema == {"d": pl.Utf8, "b": pl.Utf8, "t": pl.Utf8}
    assert r.df.rows() == [
        ("1 day, 0:00:05", "b'\\x00\\xff'", "01:02:03"),
        (None, "b'ok'", "00:00:00"),
    ]


def test_mostly_utf8_file_with_bad_bytes_gets_one_consistent_hint(tmp_path: Path) -> None:
    data = ("名称,价格\n" + "苹果,12\n" * 3).encode("utf-8")
    bad = data[:20] + b"\xff\xfe\xff\xfe\xff" + data[20:]
    with pytest.raises(UserError) as auto:
        decode_text(bad, None)
    assert auto.value.one_line() == (
        "the file is UTF-8 except for 5 invalid byte(s) (the first at byte 20)"
        " — fix or remove those bytes, or export the table again as UTF-8"
    )
    with pytest.raises(UserError) as given:
        decode_text(bad, "utf-8")
    assert given.value.one_line() == (
        "the file is not valid utf-8 (5 invalid byte(s), the first at byte 20)"
        " — fix or remove those bytes, or export the table again as UTF-8"
    )


def test_hostile_files_end_as_user_errors_with_nothing_written(tmp_path: Path) -> None:
    from onelegion.core.runtime import Runtime

    files = {
        "deep.json": ("[" * 50_000 + "]" * 50_000).encode(),
        "bad.xlsx": _rezip(_xlsx_bytes(), {"xl/worksheets/sheet1.xml": b"<worksheet><row"}),
        "bytes.csv": ("名称,价格\n" + "苹果,12\n" * 3).encode()[:20] + b"\xff\xfe\xff\xfe\xff\n",
    }
    rt = Runtime.open(tmp_path / "home")
    try:
        for name, data in files.items():
            src = tmp_path / name
            src.write_bytes(data)
            res = rt.runner.run("clean.table", {"path": str(src)}, allowed_roots=(tmp_path,))
            assert (res.status, res.error_kind) == ("failed", "user"), name
            assert res.error is not None and "\n" not in res.error
            assert src.read_bytes() == data
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*files, "home"])
    finally:
        rt.close()
