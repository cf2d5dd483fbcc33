"""Indicator tables (主要指标表) written as Markdown tables inside a clause: one target per row and target column.

Plans print their targets as a table whose header words vary:

    | 类别 | 序号 | 指标 | 单位 | 2020年 | 2025年 | 属性 |
    | 序号 | 指标名称 | 计量单位 | 基期值 | 目标值 | 指标属性 |
    | 指标 | 现状值（2024年） | 2027年 | 2030年 | 年均/累计 | 属性 |

Columns are recognised by their words (指标/名称 → name, 单位, 属性/性质 → 约束性·预期性, 基期/现状/基准 →
baseline, 目标/规划 → target) and year columns by their year: with several, the earliest unmarked one is
the baseline and the others are targets, each with its own deadline. A row with fewer cells than the
header lost its merged 类别 cell: cells are aligned from the right. Cells read as plans write them:
``≥95``, ``<30``, ``[5]`` (cumulative over the period), ``下降13.5%``, ``18以上``, ``—`` (none), and words
(完成国家下达任务) give a qualitative target without a value. A table that reports results (完成情况,
实际值, 实现值 columns) gives none. The quote of a row's targets is the row's line, a literal substring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.core.links.deadlines import fold_digits
from app.core.links.retrospect import PERIOD, period_years
from app.core.models import Indicator

__all__ = ["TableTarget", "table_blocks", "table_targets"]

_ROW = re.compile(r"^[ \t]*\|.*\|?[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^[\s|:：\-—–]+$")
_MARKUP = re.compile(r"[*_`]|<br\s*/?>|\s")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")
_UNIT_PAREN = re.compile(r"[（(]([^（）()]{1,12})[）)]$")
_FOOTNOTE = re.compile(r"[*★☆※△▲①②③④⑤⑥⑦⑧⑨⑩]+$|\[\d+\]$|[¹²³⁴⁵⁶⁷⁸⁹]+$")
_EMPTY = frozenset({"", "—", "——", "-", "--", "/", "／", "－", "–", "无", "空", "…", "/　"})
_CELL_COMPARATORS = (
    ("≥", ">="), (">=", ">="), ("≧", ">="), ("不低于", ">="), ("不少于", ">="), ("达到", ">="), ("大于等于", ">="),
    ("≤", "<="), ("<=", "<="), ("≦", "<="), ("不高于", "<="), ("不超过", "<="), ("控制在", "<="),
    ("小于等于", "<="), (">", ">"), ("＞", ">"), ("大于", ">"), ("高于", ">"), ("超过", ">"),
    ("<", "<"), ("＜", "<"), ("小于", "<"), ("低于", "<"), ("约", "~"), ("保持", "="),
)
_CELL_POST = (("及以上", ">="), ("以上", ">="), ("以下", "<="), ("以内", "<="), ("左右", "~"), ("上下", "~"))
_DOWN = ("下降", "降低", "减少", "削减", "压减")
_UP = ("增长", "提高", "提升", "增加")
_ATTRIBUTES = ("约束性", "预期性", "引导性", "指导性", "约束", "预期")


@dataclass(frozen=True)
class TableTarget:
    """One target of a table row, before its deadline is settled."""

    start: int  # offset of the row in the text
    indicator: Indicator  # deadline: the column's year, or None (the caller inherits one)


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in inner.split("|")]


def _bare(cell: str) -> str:
    return _MARKUP.sub("", fold_digits(cell))


def table_blocks(text: str) -> list[tuple[int, int, list[tuple[int, str]]]]:
    """Runs of table lines: (start, end, [(line offset, line)]) with at least two lines."""
    blocks: list[tuple[int, int, list[tuple[int, str]]]] = []
    rows: list[tuple[int, str]] = []
    last_end = -2
    for m in _ROW.finditer(text):
        if rows and m.start() > last_end + 1:
            blocks.append((rows[0][0], last_end, rows))
            rows = []
        rows.append((m.start(), m.group(0)))
        last_end = m.end()
    if rows:
        blocks.append((rows[0][0], last_end, rows))
    return [b for b in blocks if len(b[2]) >= 2]


@dataclass
class _Columns:
    name: int = -1
    unit: int = -1
    attr: int = -1
    base: int = -1
    base_year: int | None = None
    span: int = -1  # 年均/累计 column
    targets: list[tuple[int, int | None]] | None = None  # (column, year)


def _columns(header: list[str]) -> _Columns | None:
    cols = _Columns(targets=[])
    assert cols.targets is not None
    years: list[tuple[int, int, str]] = []  # (column, year, words) of year columns without a role
    for i, raw in enumerate(header):
        cell = _bare(raw)
        if re.search(r"完成情况|实际|实现值|完成值|执行情况", cell):
            return None  # a table of results
        y = _YEAR.search(cell)
        year = int(y[1]) if y else None
        if re.search(r"属性|性质|指标类型", cell):
            cols.attr = i
        elif re.search(r"指标|名称", cell) and not re.search(r"值|目标|\d", cell) and cols.name < 0:
            cols.name = i
        elif re.search(r"单位", cell) and not re.search(r"责任|牵头|配合", cell):
            cols.unit = i
        elif re.search(r"基期|基准|现状|基数|现值|基础值|基年", cell):
            cols.base, cols.base_year = i, year
        elif re.search(r"目标|规划|预期值|预计", cell) and not re.search(r"指标名称|名称", cell):
            cols.targets.append((i, year))
        elif re.search(r"年均|累计", cell):
            cols.span = i
        elif y and re.fullmatch(r"(?:19|20)\d{2}年?(?:底|末)?(?:值)?", cell):
            years.append((i, int(y[1]), cell))
        elif re.search(r"内容|项目", cell) and cols.name < 0:
            cols.name = i
    if years:
        if cols.base < 0 and (len(years) > 1 or cols.targets):
            col, year, _ = min(years, key=lambda t: t[1])
            cols.base, cols.base_year = col, year
            years = [t for t in years if t[0] != col]
        cols.targets += [(col, year) for col, year, _ in years]
    if cols.name < 0 or not (cols.targets or cols.span >= 0):
        return None
    return cols


def _number(cell: str) -> float | None:
    m = _NUMBER.search(cell)
    return float(m.group(0).replace(",", "")) if m else None


def _cell_value(raw: str) -> tuple[float | None, str, str, str, str] | None:
    """(value, comparator, unit in the cell, qualifier, change) of a target cell; None when empty."""
    cell = _bare(raw)
    if cell in _EMPTY:
        return None
    qualifier = ""
    m = re.fullmatch(r"[\[〔［【]([^\]〕］】]+)[\]〕］】](.*)", cell)
    if m:
        cell, qualifier = m[1] + m[2], "累计"
    value = _number(cell)
    if value is None:
        return None, "=", "", qualifier, ""  # 完成国家下达任务, 保持在合理区间
    comparator = next((c for w, c in _CELL_COMPARATORS if cell.startswith(w)), "")
    comparator = comparator or next((c for w, c in _CELL_POST if w in cell), "")
    change = next(("down" for w in _DOWN if w in cell), "") or next(("up" for w in _UP if w in cell), "")
    unit = "%" if "%" in cell else ""
    if change:
        comparator = comparator or ">="
    return value, comparator, unit, qualifier, change


def _name_and_unit(raw: str) -> tuple[str, str]:
    name = _FOOTNOTE.sub("", _bare(raw))
    m = _UNIT_PAREN.search(name)
    if m and not re.search(r"[\u4e00-\u9fff]{5,}", m[1]):  # （%）, （万吨）; not a long note
        return name[: m.start()], m[1]
    return name, ""


def _direction(value: float | None, baseline: float | None, name: str) -> str:
    if any(w in name for w in _DOWN) or any(w in name for w in _UP):
        return ">="  # the row names a change (能耗降低): at least that much
    if value is None or baseline is None:
        return "="
    return ">=" if value > baseline else "<=" if value < baseline else "="


def caption_year(text: str, before: int) -> int | None:
    """The year of the table's caption: the closest non-table line before it (2025年主要指标, “十四五”)."""
    line_start = text.rfind("\n", 0, max(0, before - 1)) + 1
    caption = text[line_start:before]
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", fold_digits(caption))]
    if years:
        return max(years)
    m = PERIOD.search(caption)
    span = period_years(m[1]) if m else None
    return span[1] if span else None


def table_targets(
    text: str, changed: Callable[[str, str], str] | None = None
) -> tuple[list[TableTarget], list[tuple[int, int]]]:
    """Targets of every indicator table of `text`, and the spans of those tables (prose skips them).

    `changed(name, "down"|"up")` names a change cell (下降13.5%) whose row names no change.
    """
    out: list[TableTarget] = []
    spans: list[tuple[int, int]] = []
    for start, end, rows in table_blocks(text):
        header_at = next((k for k, (_, line) in enumerate(rows) if _columns(_cells(line)) is not None), -1)
        if header_at < 0 or header_at > 1:
            continue
        header = _cells(rows[header_at][1])
        cols = _columns(header)
        assert cols is not None and cols.targets is not None
        spans.append((start, end))
        year0 = caption_year(text, start)
        for offset, line in rows[header_at + 1 :]:
            cells = _cells(line)
            if _RULE.match(line) or len(cells) < 2:
                continue
            if len(cells) < len(header):  # a merged 类别 cell was left out: align from the right
                cells = [""] * (len(header) - len(cells)) + cells
            out += _row_targets(cells, cols, offset, line.strip(), year0, changed)
    return out, spans


def _row_values(
    cell: Callable[[int], str], cols: _Columns
) -> list[tuple[int | None, tuple[float | None, str, str, str, str] | None]]:
    """(year, value of `_cell_value`) of each target column of a row; without any, of its 年均/累计 column."""
    columns = list(cols.targets or [])
    read = [(year, _cell_value(cell(col))) for col, year in columns]
    if cols.span >= 0 and not any(v is not None and v[0] is not None for _, v in read):
        span = _cell_value(cell(cols.span))
        if span is not None:  # the 年均/累计 column carries the only value
            words = _bare(cell(cols.span))
            qualifier = span[3] or ("年均" if "年均" in words or not span[3] else "累计")
            read = [(columns[-1][1] if columns else None, (*span[:3], qualifier, span[4]))]
    return read


def _row_targets(
    cells: list[str], cols: _Columns, offset: int, quote: str, year0: int | None,
    changed: Callable[[str, str], str] | None,
) -> list[TableTarget]:
    def cell(i: int) -> str:
        return cells[i] if 0 <= i < len(cells) else ""

    name, unit = _name_and_unit(cell(cols.name))
    if not name or re.fullmatch(r"[\d.、]+", name):
        return []
    unit = _bare(cell(cols.unit)) if _bare(cell(cols.unit)) not in _EMPTY else unit
    attr_cell = _bare(cell(cols.attr))
    attribute = next((a if len(a) == 3 else a + "性" for a in _ATTRIBUTES if attr_cell.startswith(a)), "")
    base = _cell_value(cell(cols.base)) if cols.base >= 0 else None
    baseline = base[0] if base else None
    out: list[TableTarget] = []
    for year, value in _row_values(cell, cols):
        if value is None:
            continue
        number, comparator, cell_unit, qualifier, change = value
        row_name = changed(name, change) if change and changed else name
        ind = Indicator(
            name=row_name,
            value=number,
            unit=unit or cell_unit,
            comparator=comparator or _direction(number, baseline, name),
            deadline=year or year0,
            quote=quote,
            qualitative=number is None,
            baseline=baseline,
            attribute=attribute,
            qualifier=qualifier,
            deadline_source="table" if (year or year0) else "",
        )
        out.append(TableTarget(offset, ind))
    return out
