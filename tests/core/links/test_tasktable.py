"""Importing a 任务分工表: columns by their header words, rows matched to clauses by id, number, heading, text."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import ReadError
from app.core.links.departments import DepartmentKB
from app.core.links.tasktable import COLUMNS, FUZZY_MIN, TableRow, _header_key, match_rows, read_table
from app.core.models import Clause
from app.core.structure import parse_document

RESOURCES = Path(__file__).resolve().parents[3] / "resources"
PLAN = """一、总体要求
（一）主要目标
到2030年，生态环境质量全面改善。
二、重点任务
（一）推进减污降碳
**健全碳排放双控制度体系。**全面实施碳排放总量和强度双控制度。
**加快美丽河湖建设。**推进河道整治和生态修复，建设美丽幸福河湖。
"""
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]


@pytest.fixture(scope="module")
def kb() -> DepartmentKB:
    return DepartmentKB.load(RESOURCES / "departments.json")


@pytest.fixture(scope="module")
def clauses() -> list[Clause]:
    return list(parse_document(PLAN, "p", kind="规划").clauses)


@pytest.mark.parametrize(
    ("header", "key"),
    [("序号", "number"), ("重点任务", "task"), ("主要任务内容", "task"), ("牵头单位", "lead"), (" 牵 头 单 位 ", "lead"),
     ("责任部门", "responsible"), ("配合单位", "support"), ("完成时限", "deadline"), ("备注", "note"),
     ("条款编号", "clause_id"), ("其他", None), ("", None)],
)
def test_header_key(header: str, key: str | None) -> None:
    assert _header_key(header) == key


def test_column_words_are_unique() -> None:
    words = [w for names in COLUMNS.values() for w in names]
    assert len(words) == len(set(words)) and 0 < FUZZY_MIN < 1


def test_read_xlsx_with_title_rows(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某区任务分工表"])
    ws.append([])
    ws.append(HEADER)
    ws.append([1, "健全碳排放双控制度体系", "市发改委", "市统计局", "2027年底前"])
    ws.append([None, None, "市水务局", None, None])  # no task: not a row
    ws.append([2, "加快美丽河湖建设", "市水务局", None, 2028])
    path = tmp_path / "分工.xlsx"
    wb.save(path)
    rows = read_table(path)
    assert [(r.line, r.cells) for r in rows] == [
        (4, {"number": "1", "task": "健全碳排放双控制度体系", "lead": "市发改委", "support": "市统计局", "deadline": "2027年底前"}),
        (6, {"number": "2", "task": "加快美丽河湖建设", "lead": "市水务局", "deadline": "2028"}),
    ]
    assert rows[1].get("support") == "" and rows[0].get("task") == "健全碳排放双控制度体系"


def test_read_csv_in_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "分工.csv"
    path.write_text("责任单位,重点任务\n市水务局、市生态环境局,加快美丽河湖建设\n", encoding="gb18030")
    assert [(r.line, r.cells) for r in read_table(path)] == [
        (2, {"responsible": "市水务局、市生态环境局", "task": "加快美丽河湖建设"})]


def test_read_errors(tmp_path: Path) -> None:
    other = tmp_path / "分工.docx"
    other.write_bytes(b"x")
    with pytest.raises(ReadError, match="只支持"):
        read_table(other)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ReadError, match="无法读取分工表"):
        read_table(broken)
    headless = tmp_path / "无表头.csv"
    headless.write_text("任务,备注\n甲,乙\n", encoding="utf-8")
    with pytest.raises(ReadError, match="找不到"):
        read_table(headless)


def test_match_rows(kb: DepartmentKB, clauses: list[Clause]) -> None:
    ids = {c.id for c in clauses}
    rows = [
        TableRow(2, {"number": "二（一）1", "task": "双控", "lead": "市发改委", "support": "市生态环境局、市统计局",
                     "deadline": "2027年底前"}),
        TableRow(3, {"task": "加快美丽河湖建设", "responsible": "市水务局、市生态环境局"}),
        TableRow(4, {"task": "推进河道整治和生态修复建设美丽幸福河湖", "lead": "市水务局"}),
        TableRow(5, {"task": "建设月球基地", "lead": "市科委"}),
        TableRow(6, {"task": "随便", "clause_id": "p/二/（一）/1", "lead": "市经信委"}),
        TableRow(7, {"task": "健全碳排放双控制度体系", "clause_id": "p/不存在", "lead": "市经信委"}),
    ]
    report = match_rows(rows, clauses, kb, known=ids.__contains__)
    assert [(r.line, cid, method) for r, cid, method in report.matched] == [
        (2, "p/二/（一）/1", "number"),
        (3, "p/二/（一）/2", "heading"),
        (4, "p/二/（一）/2", "text"),
        (6, "p/二/（一）/1", "id"),
        (7, "p/二/（一）/1", "heading"),  # an unknown 条款编号 is ignored
    ]
    assert [r.line for r in report.unmatched] == [5]  # never guessed
    assert report.links == {
        "p/二/（一）/1": {"lead": ["市发展改革委", "市经济信息化委"], "support": ["市生态环境局", "市统计局"],
                         "deadline": "2027年底前", "row": [2, 6, 7]},
        # without a 牵头 column the first 责任单位 leads
        "p/二/（一）/2": {"lead": ["市水务局"], "support": ["市生态环境局"], "deadline": None, "row": [3, 4]},
    }
    assert report.matched_rows()[1] == {"clause_id": "p/二/（一）/2", **report.links["p/二/（一）/2"]}
