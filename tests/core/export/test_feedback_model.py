"""The 意见反馈表 as data (app.core.export.feedback_model): header, options, the title and 填报 line of a table."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.core.export.feedback_model import (
    BLANK,
    FEEDBACK_FORMATS,
    HEADERS,
    MSG_FORMAT,
    FeedbackOptions,
    FeedbackRow,
    FeedbackTable,
)
from app.core.export.model import FORMATS


def test_headers_formats_and_message() -> None:
    assert HEADERS == ("序号", "章节条款（原文位置）", "原文内容", "修改意见", "修改理由（依据）")
    assert set(FEEDBACK_FORMATS) <= set(FORMATS) and FEEDBACK_FORMATS == ("docx", "xlsx")
    assert "Word（.docx）" in MSG_FORMAT and "Excel（.xlsx）" in MSG_FORMAT


def test_default_options() -> None:
    o = FeedbackOptions()
    assert (o.whole_clause, o.kind_prefix, o.unit, o.contact, o.phone, o.generated) == (False, True, None, None,
                                                                                       None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.unit = "x"  # type: ignore[misc]


def test_row_cells_in_header_order() -> None:
    row = FeedbackRow(3, "第十条", "原文", "意见", "理由", emphasis=(0, 1), comment_id="c1", clause_id="law/第十条")
    assert row.cells == ("3", "第十条", "原文", "意见", "理由") and len(row.cells) == len(HEADERS)
    assert row.anchor_state == "ok"


def test_table_title_keeps_the_draft_mark_and_quotes_once() -> None:
    t = FeedbackTable("p", "美丽上海建设“十五五”规划（征求意见稿）", ())
    assert t.title == "关于《美丽上海建设“十五五”规划（征求意见稿）》的意见反馈表"
    assert FeedbackTable("p", "《某条例》", ()).title == "关于《某条例》的意见反馈表"


def test_fields_fill_blanks_for_the_hand() -> None:
    full = FeedbackTable("p", "t", (), unit="市生态环境局", contact="张三", phone="021-1", date=dt.date(2026, 5, 8))
    assert full.fields == [("填报单位", "市生态环境局"), ("联系人", "张三"), ("联系电话", "021-1"), ("填报日期", "2026年5月8日")]
    assert full.filled_line == "填报单位：市生态环境局    联系人：张三    联系电话：021-1    填报日期：2026年5月8日"
    empty = FeedbackTable("p", "t", ())
    assert [v for _, v in empty.fields] == [BLANK, BLANK, BLANK, "2000年1月1日"] and set(BLANK) == {"_"}
