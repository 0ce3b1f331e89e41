"""Reading tables: encodings, delimiters, headers, ragged rows, Excel, JSON, Parquet, bad input."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import polars as pl
import pytest

from onelegion.core.errors import UserError
from onelegion.tables.read import read_table

CN = "商品,价格,城市\n苹果,12元,上海\n香蕉,3元,北京\n"


@pytest.mark.parametrize(
    ("codec", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("big5", b"", "big5hkscs"),
        ("utf-16", b"", "utf-16"),
    ],
)
def test_encodings(tmp_path: Path, codec: str, prefix: bytes, expected: str) -> None:
    text = CN if codec != "big5" else "商品,價格,城市\n蘋果,12元,臺北\n香蕉,3元,高雄\n"
    # repeat rows so the detector has enough text to be sure
    body = text + "\n".join(text.splitlines()[1:] * 20) + "\n"
    p = tmp_path / "t.csv"
    p.write_bytes(prefix + body.encode(codec))
    r = read_table(p)
    assert r.encoding == expected
    assert r.df.columns[0] == "商品"
    assert r.df.height == 42
    assert r.df.row(0)[1] == "12元"


def test_delimiters_and_quotes(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text('名称;备注\n"a;b";"说 ""好"""\nc;d\n', encoding="utf-8")
    r = read_table(p)
    assert r.delimiter == ";"
    assert r.df.rows() == [("a;b", '说 "好"'), ("c", "d")]
    t = tmp_path / "t.tsv"
    t.write_text("a\tb\n1\t2\n", encoding="utf-8")
    assert read_table(t).df.rows() == [("1", "2")]


def test_ragged_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text("a,b,c\n1,2\n3,4,5,6\n7,8,9\n", encoding="utf-8")
    r = read_table(p)
    assert r.df.rows() == [("1", "2", None), ("3", "4", "5"), ("7", "8", "9")]
    assert [(i.row, i.kind, i.value) for i in r.issues] == [
        (0, "ragged_row", None),
        (1, "ragged_row", "6"),
    ]
    assert r.issues[0].detail.startswith("line 2:")
    assert r.issues[1].detail.startswith("line 3:")


def test_headerless_file(tmp_path: Path) -> None:
    p = tmp_path / "n.csv"
    p.write_text("1,2.5\n3,4.5\n", encoding="utf-8")
    r = read_table(p)
    assert r.df.columns == ["column_1", "column_2"]
    assert r.df.height == 2


def test_duplicate_and_empty_headers_are_renamed(tmp_path: Path) -> None:
    p = tmp_path / "h.csv"
    p.write_text("城市,,城市\nx,y,z\n", encoding="utf-8")
    r = read_table(p)
    assert r.df.columns == ["城市", "column_2", "城市_2"]
    assert sorted(i.kind for i in r.issues) == ["header_renamed", "header_renamed"]
    assert r.notes == [
        "renamed headers: column 2: empty header renamed to 'column_2'; column 3: duplicate header renamed to '城市_2'"
    ]


def test_empty_values_become_null(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("a,b\n,x\n1,\n", encoding="utf-8")
    assert read_table(p).df.rows() == [(None, "x"), ("1", None)]


def test_excel_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "首页"
    ws.append(["x"])
    ws.append([1])
    ws2 = wb.create_sheet("数据")
    ws2.append(["商品", "价格", "日期"])
    ws2.append(["苹果", 12.0, None])
    ws2.append(["梨", 3.5, "2024/3/5"])
    p = tmp_path / "b.xlsx"
    wb.save(p)
    r = read_table(p, sheet="数据")
    assert r.df.rows() == [("苹果", "12", None), ("梨", "3.5", "2024/3/5")]
    assert r.sheets == ["首页", "数据"]
    assert read_table(p, sheet="2").sheet == "数据"
    with pytest.raises(UserError, match="首页, 数据"):
        read_table(p, sheet="Sheet9")


def test_json_jsonl_parquet(tmp_path: Path) -> None:
    j = tmp_path / "a.json"
    j.write_text(
        json.dumps([{"a": 1, "b": "x"}, {"a": 2.5, "c": [1]}], ensure_ascii=False), encoding="utf-8"
    )
    assert read_table(j).df.rows() == [("1", "x", None), ("2.5", None, "[1]")]
    jl = tmp_path / "a.jsonl"
    jl.write_text('{"城市": "上海"}\n\n{"城市": "北京"}\n', encoding="utf-8")
    assert read_table(jl).df.rows() == [("上海",), ("北京",)]
    pq = tmp_path / "a.parquet"
    pl.DataFrame({"n": [1, 2], "f": [1.0, 2.5], "s": ["a", None]}).write_parquet(pq)
    assert read_table(pq).df.rows() == [("1", "1", "a"), ("2", "2.5", None)]


# --- bad input -------------------------------------------------------------------------------
def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_bytes(b"")
    with pytest.raises(UserError, match="empty"):
        read_table(p)


def test_header_only(tmp_path: Path) -> None:
    p = tmp_path / "h.csv"
    p.write_text("a,b\n", encoding="utf-8")
    r = read_table(p)
    assert r.df.columns == ["a", "b"] and r.df.height == 0
    assert "no data rows" in r.notes[0]


def test_binary_renamed_csv(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UserError, match="binary"):
        read_table(p)


def test_xlsx_renamed_csv(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UserError, match="spreadsheet or archive"):
        read_table(p)


def test_undecodable_bytes_with_wrong_encoding(tmp_path: Path) -> None:
    p = tmp_path / "u.csv"
    p.write_bytes("a,b\n上海,北京\n".encode("gb18030"))
    with pytest.raises(UserError, match="not valid utf-8"):
        read_table(p, encoding="utf-8")


def test_too_many_columns(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    p.write_text(
        ",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("1" * 5000) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="5000 columns"):
        read_table(p)


def test_huge_single_cell(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    big = "长" * (50 * 1024 * 1024 // 3)
    p.write_text(f"a,b\n{big},1\n", encoding="utf-8")
    r = read_table(p)
    assert r.df.shape == (1, 2)
    assert len(r.df.item(0, 0)) == len(big)


def test_a_few_bad_bytes_are_replaced_with_a_note(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    good = "城市,人口\n" + "上海,2487\n" * 3000
    p.write_bytes(good.encode("utf-8") + b"\xff\xfe,1\n")
    r = read_table(p)
    assert r.df.height == 3001
    assert any("U+FFFD" in n for n in r.notes)


def test_mostly_ascii_gbk_is_not_mistaken_for_a_western_codepage(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes(("name,city\n" + "abc,def\n" * 2000 + "x,上海\n").encode("gbk"))
    r = read_table(p)
    assert r.encoding == "gb18030"
    assert r.df.row(-1) == ("x", "上海")


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("商品,价格\n苹果,12元\n", "gbk", "gb18030"),
        ("姓名,城市\n張三,臺北\n", "big5", "big5hkscs"),
        ("城市\n上海\n", "big5", "big5hkscs"),
        ("a,b\nCafé,naïve\n", "cp1252", "cp1252"),
    ],
)
def test_tiny_files_are_decoded_right(tmp_path: Path, text: str, codec: str, expected: str) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes(text.encode(codec))
    r = read_table(p)
    assert r.encoding == expected
    assert r.df.rows() == [tuple(text.splitlines()[1].split(","))]


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    p = tmp_path / "report.csv"
    p.write_text(
        "销售报表 2024年3月\n导出时间,2024-04-01\n\n商品,价格,城市\n苹果,12元,上海\n梨,3元,北京\n香蕉,4元,广州\n",
        encoding="utf-8",
    )
    r = read_table(p)
    assert r.df.columns == ["商品", "价格", "城市"]
    assert r.df.rows() == [("苹果", "12元", "上海"), ("梨", "3元", "北京"), ("香蕉", "4元", "广州")]
    assert r.notes == [
        "skipped 2 title line(s) above the header: 销售报表 2024年3月 | 导出时间 2024-04-01"
    ]
    assert r.issues == []


def test_blank_lines_above_the_header(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    p.write_text("\n\n商品,价格\n苹果,12\n梨,3\n", encoding="utf-8")
    assert read_table(p).df.rows() == [("苹果", "12"), ("梨", "3")]


def test_excel_title_rows_and_empty_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2024年3月销售报表"])
    ws.append([])
    ws.append(["商品", "价格", "城市"])
    ws.append(["苹果", 12, "上海"])
    ws.append([])
    ws.append(["梨", 3.5, "北京"])
    p = tmp_path / "r.xlsx"
    wb.save(p)
    r = read_table(p)
    assert r.df.columns == ["商品", "价格", "城市"]
    assert r.df.rows() == [("苹果", "12", "上海"), ("梨", "3.5", "北京")]
    assert r.notes == [
        "2 empty row(s) were left out",
        "skipped 1 title row(s) above the header: 2024年3月销售报表",
    ]


def test_random_bytes_without_nul(tmp_path: Path) -> None:
    import random

    rng = random.Random(1)
    p = tmp_path / "r.csv"
    p.write_bytes(bytes(rng.randrange(1, 256) for _ in range(20000)))
    with pytest.raises(UserError, match="could not tell the file's text encoding"):
        read_table(p)


def test_legacy_xls_file() -> None:
    """A real BIFF8 .xls (Excel 97-2003) written by xlwt, two sheets, Chinese names."""
    p = Path(__file__).parent.parent / "fixtures" / "clean" / "legacy.xls"
    r = read_table(p)
    assert r.sheets == ["销售", "说明"] and r.sheet == "销售"
    assert r.df.columns == ["商品", "城市", "日期", "价格", "是否会员"]
    assert r.df.rows() == [
        (" 台灯", "上海市", "2024/3/5", "¥1,299.00", "是"),
        ("台燈", "上海", "2024年3月6日", "99元", "否"),
        ("台灯", "北京", "20240307", "N/A", "Y"),
    ]
    assert read_table(p, sheet="说明").df.rows() == [("second sheet",)]
