"""Hand-made 意见反馈表 tables (no Library) for the writer tests."""

from __future__ import annotations

import datetime as dt

from app.core.export.feedback_model import FeedbackRow, FeedbackTable

PLAN_TITLE = "滨海市规划（征求意见稿）"
DAY = dt.date(2026, 5, 8)


def tables() -> list[FeedbackTable]:
    plan = FeedbackTable(
        "plan", PLAN_TITLE,
        (FeedbackRow(1, "一、总体要求", "到2027年，全覆盖。", "【修改】建议改为2028年。", "与国家要求衔接。"),
         FeedbackRow(2, "二、（一）“推进数字化转型”", "第一行\n推进数字化转型，建设工业互联网平台。", "=SUM(A1) 建议细化。",
                     "便于执行。\n依据：《某条例》第十条", emphasis=(1, 6))),
        unit="市生态环境局", contact="张三", phone="021-12345678", date=DAY)
    law = FeedbackTable("law", "某条例", (FeedbackRow(1, "第十条", "条文。", "【删除】建议删除该条。", ""),), date=DAY)
    return [plan, law]
