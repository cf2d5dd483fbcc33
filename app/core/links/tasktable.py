"""Import an official 任务分工表 (.xlsx/.csv): find its columns, match each row to a clause.

Columns are recognised by their header text in any order (序号/重点任务/牵头单位/责任单位/配合单位/
完成时限/备注 and common variants). Rows are matched by structural number (三（一）1), then by the task
heading, then by fuzzy text overlap; rows that match nothing are reported, never guessed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import ReadError
from app.core.models import Clause
from app.core.normalize import compact, fold
from app.core.numbers import cn_to_int

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "task": ("重点任务", "主要任务", "工作任务", "任务内容", "工作内容", "具体任务", "任务措施", "任务", "工作措施"),
    "lead": ("牵头单位", "牵头部门", "主责单位", "牵头"),
    "responsible": ("责任单位", "责任部门"),
    "support": ("配合单位", "配合部门", "协同单位", "参与单位", "协办单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "完成期限", "时限"),
    "note": ("备注",),
    "clause_id": ("条款编号",),  # written by our own .xlsx export: the exact clause, any document
}
FUZZY_MIN = 0.55  # share of the row's character bigrams found in the clause
_SPLIT = re.compile(r"[、，,；;／/\s]+")
_NUMBER = re.compile(r"^\s*([一二三四五六七八九十]+)[、.．]?\s*[（(]([一二三四五六七八九十]+)[)）]\s*(\d+)?")


@dataclass(frozen=True)
class TableRow:
    line: int  # 1-based row number in the file
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "").strip()


@dataclass
class ImportReport:
    matched: list[tuple[TableRow, str, str]] = field(default_factory=list)  # (row, clause id, method)
    unmatched: list[TableRow] = field(default_factory=list)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)

    def matched_rows(self) -> list[dict[str, Any]]:
        return [{"clause_id": cid, **v} for cid, v in self.links.items()]


def _header_key(text: str) -> str | None:
    t = compact(fold(text or ""))
    for key, names in COLUMNS.items():
        if any(t == n or t.startswith(n) for n in names):
            return key
    return None


def _rows_from_grid(grid: Sequence[Sequence[Any]]) -> list[TableRow]:
    for h, header in enumerate(grid[:15]):
        keys = [_header_key(str(c)) if c is not None else None for c in header]
        if "task" in keys and ({"lead", "responsible"} & set(keys)):
            out = []
            for i, row in enumerate(grid[h + 1 :], start=h + 2):
                cells = {k: str(v).strip() for k, v in zip(keys, row, strict=False) if k and v is not None}
                if cells.get("task"):
                    out.append(TableRow(i, cells))
            return out
    raise ReadError("分工表中找不到“重点任务”和“牵头单位/责任单位”列，请检查表头。")


def read_table(path: Path) -> list[TableRow]:
    """Rows of the first sheet of an .xlsx, or of a .csv in any common encoding."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                grid = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        elif suffix == ".csv":
            from app.core.read.decode import decode_bytes

            text = decode_bytes(path.read_bytes()).text
            grid = [list(r) for r in csv.reader(io.StringIO(text))]
        else:
            raise ReadError("分工表只支持 .xlsx 或 .csv 文件。")
    except ReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged or encrypted files
        raise ReadError(f"无法读取分工表：{path.name}（文件可能已损坏或加密）", detail=repr(exc)) from exc
    return _rows_from_grid(grid)


def _units(text: str, kb: Any) -> list[str]:
    out: list[str] = []
    for part in _SPLIT.split(text or ""):
        part = part.strip("。.")
        if part:
            name = kb.canonical(part) or part
            if name not in out:
                out.append(name)
    return out


def _key(text: str) -> str:
    return compact(fold(text)).rstrip("。.;；")


def _bigrams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)}


def _by_number(row: TableRow, clauses: Sequence[Clause]) -> str | None:
    m = _NUMBER.match(row.get("number") or row.get("task"))
    if not m:
        return None
    chapter, section, task = m.group(1), cn_to_int(m.group(2)), m.group(3)
    suffix = f"/{chapter}/（{m.group(2)}）" + (f"/{int(task)}" if task else "")
    hits = [c.id for c in clauses if c.id.endswith(suffix) and section is not None]
    return hits[0] if len(hits) == 1 else None


def _by_heading(row: TableRow, clauses: Sequence[Clause]) -> str | None:
    task = _key(row.get("task"))
    for c in clauses:
        head = _key(c.heading)
        if len(head) >= 4 and (task.startswith(head) or head in task):
            return c.id
    return None


def _by_text(row: TableRow, clauses: Sequence[Clause]) -> tuple[str, float] | None:
    grams = _bigrams(_key(row.get("task")))
    if not grams:
        return None
    best: tuple[str, float] | None = None
    for c in clauses:
        score = len(grams & _bigrams(_key(c.full_text))) / len(grams)
        if best is None or score > best[1]:
            best = (c.id, score)
    return best if best and best[1] >= FUZZY_MIN else None


def match_rows(rows: Sequence[TableRow], clauses: Sequence[Clause], kb: Any,
               known: Callable[[str], bool] | None = None) -> ImportReport:
    """Match each row to one clause and collect its departments and deadline.

    A 条款编号 cell naming a clause the library has (`known`) wins; otherwise the plan's numbering, task
    heading or text (a 分工表 typed by hand knows nothing of our ids)."""
    report = ImportReport()
    for row in rows:
        method, cid = "id", row.get("clause_id") or None
        if cid is not None and (known is None or not known(cid)):
            cid = None
        if cid is None:
            method, cid = "number", _by_number(row, clauses)
        if cid is None:
            method, cid = "heading", _by_heading(row, clauses)
        if cid is None:
            fuzzy = _by_text(row, clauses)
            method, cid = "text", fuzzy[0] if fuzzy else None
        if cid is None:
            report.unmatched.append(row)
            continue
        report.matched.append((row, cid, method))
        lead, resp = _units(row.get("lead"), kb), _units(row.get("responsible"), kb)
        support = _units(row.get("support"), kb)
        if not lead and resp:  # without a 牵头 column the first 责任单位 leads (分工表 convention)
            lead, resp = resp[:1], resp[1:]
        entry = report.links.setdefault(cid, {"lead": [], "support": [], "deadline": None, "row": []})
        entry["lead"] += [n for n in lead if n not in entry["lead"]]
        entry["support"] += [n for n in resp + support if n not in entry["support"] and n not in entry["lead"]]
        entry["deadline"] = row.get("deadline") or entry["deadline"]
        entry["row"].append(row.line)
    return report
