"""Indicator tables inside a clause: header words to columns, cells as plans write them, one target per cell."""

from __future__ import annotations

import pytest

from app.core.links.indicator_table import (
    _cell_value,
    _columns,
    _direction,
    _name_and_unit,
    caption_year,
    table_blocks,
    table_targets,
)

TABLE = """专栏1 “十五五”主要指标
| 类别 | 序号 | 指标 | 单位 | 2025年 | 2030年 | 属性 |
| --- | --- | --- | --- | --- | --- | --- |
| 环境质量 | 1 | PM2.5年均浓度 | 微克/立方米 | 25 | ≤22 | 约束性 |
| 2 | 森林覆盖率（%） | | 18.5 | 20以上 | 预期性 |
| 3 | 单位生产总值能耗 | | — | 下降13.5% | 约束 |
| 4 | 危险废物处置 | | 完成 | 完成国家下达任务 | 预期性 |
| 5 | 新增绿道 | 公里 | [1000] | [1200] | 预期性 |

正文段落。
| 指标名称 | 完成情况 |
| 造林 | 已完成 |
"""


def test_table_blocks() -> None:
    blocks = table_blocks(TABLE + "\n| 单独一行不成表 |\n")
    assert [(start, len(rows)) for start, _end, rows in blocks] == [(TABLE.index("| 类别"), 7), (TABLE.index("| 指标名称"), 2)]
    start, end, rows = blocks[0]
    assert TABLE[start:end] == "\n".join(line for _, line in rows)
    assert table_blocks("没有表格") == []


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        (["类别", "序号", "指标", "单位", "2025年", "2030年", "属性"], (2, 3, 6, 4, 2025, -1, [(5, 2030)])),
        (["序号", "指标名称", "计量单位", "基期值", "目标值", "指标属性"], (1, 2, 5, 3, None, -1, [(4, None)])),
        (["指标", "现状值（2024年）", "2027年", "2030年", "年均/累计", "属性"], (0, -1, 5, 1, 2024, 4, [(2, 2027), (3, 2030)])),
    ],
)
def test_columns(header: list[str], columns: tuple[object, ...]) -> None:
    cols = _columns(header)
    assert cols is not None
    assert (cols.name, cols.unit, cols.attr, cols.base, cols.base_year, cols.span, cols.targets) == columns


@pytest.mark.parametrize("header", [["指标名称", "完成情况"], ["指标", "实际值"], ["甲", "乙"], ["指标", "单位"]])
def test_not_a_target_table(header: list[str]) -> None:
    assert _columns(header) is None


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("≥95", (95.0, ">=", "", "", "")),
        ("<30", (30.0, "<", "", "", "")),
        ("[5]", (5.0, "", "", "累计", "")),
        ("下降13.5%", (13.5, ">=", "%", "", "down")),
        ("提高2个百分点", (2.0, ">=", "", "", "up")),
        ("18以上", (18.0, ">=", "", "", "")),
        ("约60", (60.0, "~", "", "", "")),
        ("1,200.5", (1200.5, "", "", "", "")),
        ("完成国家下达任务", (None, "=", "", "", "")),
        ("—", None),
        ("", None),
    ],
)
def test_cell_value(cell: str, value: object) -> None:
    assert _cell_value(cell) == value


def test_names_directions_and_captions() -> None:
    assert _name_and_unit("森林覆盖率（%）") == ("森林覆盖率", "%")
    assert _name_and_unit("PM2.5浓度*") == ("PM2.5浓度", "")
    assert _name_and_unit("指标（按国家口径统计的数据）") == ("指标（按国家口径统计的数据）", "")  # a note stays
    assert _direction(20, 18.5, "森林覆盖率") == ">=" and _direction(22, 25, "浓度") == "<="
    assert _direction(None, 25, "浓度") == "=" and _direction(5, 10, "能耗降低") == ">="
    assert caption_year("2027年主要指标\n| a |", 10) == 2027
    assert caption_year("“十四五”指标\n|", 8) == 2025
    assert caption_year("无\n|", 2) is None


def test_table_targets() -> None:
    targets, spans = table_targets(TABLE, lambda name, change: name + ("降幅" if change == "down" else "增幅"))
    assert spans == [(TABLE.index("| 类别"), TABLE.index("\n\n正文"))]  # the results table is no target table
    rows = [(t.start, t.indicator) for t in targets]
    assert [(i.name, i.value, i.unit, i.comparator, i.deadline, i.baseline, i.attribute, i.qualifier, i.qualitative)
            for _, i in rows] == [
        ("PM2.5年均浓度", 22.0, "微克/立方米", "<=", 2030, 25.0, "约束性", "", False),
        ("森林覆盖率", 20.0, "%", ">=", 2030, 18.5, "预期性", "", False),  # a row that lost its 类别 cell
        ("单位生产总值能耗降幅", 13.5, "%", ">=", 2030, None, "约束性", "", False),
        ("危险废物处置", None, "", "=", 2030, None, "预期性", "", True),
        ("新增绿道", 1200.0, "公里", ">=", 2030, 1000.0, "预期性", "累计", False),
    ]
    for start, ind in rows:
        assert TABLE[start:].startswith(ind.quote) and ind.deadline_source == "table"


def test_target_column_without_a_year_takes_the_caption_year() -> None:
    text = "2027年主要指标\n| 序号 | 指标名称 | 基期值 | 目标值 |\n| 1 | 绿色建筑占比（%） | 90 | 100 |\n"
    targets, _ = table_targets(text)
    assert [(t.indicator.name, t.indicator.value, t.indicator.deadline, t.indicator.baseline) for t in targets] == [
        ("绿色建筑占比", 100.0, 2027, 90.0)]
    targets, _ = table_targets(text.replace("2027年主要指标", "主要指标"))
    assert targets[0].indicator.deadline is None and targets[0].indicator.deadline_source == ""
