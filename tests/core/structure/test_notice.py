"""The 关于印发…的通知 wrapper around a plan, and document metadata: 文号, issuer, date, document type."""

from __future__ import annotations

import pytest

from app.core.structure._text import body_lines
from app.core.structure.notice import (
    DOC_TYPES,
    doc_number,
    doc_type,
    issuer_of_title,
    parse_date,
    plan_title_of,
    split_notice,
)

NOTICE = """上海市人民政府关于印发《上海市碳达峰实施方案》的通知
沪府发〔2022〕7号
各区人民政府，市政府各委、办、局：
现将《上海市碳达峰实施方案》印发给你们，请认真按照执行。
上海市人民政府
2022年7月8日
（此件公开发布）
上海市碳达峰实施方案
为扎实推进本市碳达峰工作，制定本方案。
一、总体要求
"""


def test_longer_types_come_first() -> None:
    for i, longer in enumerate(DOC_TYPES):
        for shorter in DOC_TYPES[i + 1 :]:
            assert not (longer != shorter and shorter.endswith(longer)), (longer, shorter)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("上海市碳达峰实施方案", "实施方案"),
        ("美丽上海建设“十五五”规划（征求意见稿）", "规划"),
        ("关于加快发展的指导意见（2021—2025年）（试行）", "指导意见"),
        ("《上海市环境保护条例》", "条例"),
        ("国务院关于印发某方案的通知", "通知"),
        ("中华人民共和国环境保护法", "法"),
        ("会议纪要", ""),
        ("（征求意见稿）", ""),
    ],
)
def test_doc_type(title: str, kind: str) -> None:
    assert doc_type(title) == kind


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2022年7月8日", "2022-07-08"),
        ("（2024年12月31日）", "2024-12-31"),
        ("二〇二二年七月八日", "2022-07-08"),
        ("２０２３年１月５日", "2023-01-05"),
        ("2022年13月8日", ""),
        ("2022年7月32日", ""),
        ("于2022年7月8日印发", ""),
        ("2022年7月", ""),
    ],
)
def test_parse_date(text: str, date: str) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("沪府发〔2022〕7号", "沪府发〔2022〕7号"),
        ("国发[2021]023号", "国发〔2021〕23号"),
        ("环办（2020）１２号 各单位", "环办〔2020〕12号"),
        ("2022年7号文件", ""),
        ("沪府发〔1899〕7号", ""),
    ],
)
def test_doc_number(text: str, number: str) -> None:
    assert doc_number(text) == number


def test_plan_title_and_issuer() -> None:
    assert plan_title_of("上海市人民政府关于印发《上海市碳达峰实施方案》的通知") == "上海市碳达峰实施方案"
    assert plan_title_of("关于印发上海市节能减排工作方案的通知") == "上海市节能减排工作方案"
    assert plan_title_of("关于做好防汛工作的通知") == ""
    assert issuer_of_title("国务院关于加快发展的意见") == "国务院"
    assert issuer_of_title("关于加快发展的意见") == ""  # no issuer before 关于
    assert issuer_of_title("上海市碳达峰实施方案") == ""


def test_split_notice() -> None:
    lines = body_lines(NOTICE)
    first_heading = next(i for i, ln in enumerate(lines) if ln.text.startswith("一、"))
    notice = split_notice(lines, "", first_heading)
    assert notice is not None
    assert notice.title == "上海市碳达峰实施方案"
    assert notice.meta == {"date": "2022-07-08", "issuer": "上海市人民政府", "doc_number": "沪府发〔2022〕7号"}
    assert notice.lines == [ln.text for ln in lines[:7]]  # up to the date and its remark; the title is the plan's
    assert lines[notice.body_start].text == "为扎实推进本市碳达峰工作，制定本方案。"


def test_split_notice_with_annex_line_and_header_title() -> None:
    text = "现将《某区垃圾分类工作方案》印发给你们。\n某区人民政府\n2024年1月5日\n附件：某区垃圾分类工作方案\n一、工作目标\n"
    lines = body_lines(text)
    notice = split_notice(lines, "某区人民政府关于印发垃圾分类工作方案的通知", 4)
    assert notice is not None
    assert notice.title == "某区垃圾分类工作方案"
    assert notice.body_start == 4
    assert notice.meta["issuer"] == "某区人民政府" and notice.meta["date"] == "2024-01-05"


def test_no_notice() -> None:
    lines = body_lines("上海市碳达峰实施方案\n为推进工作，制定本方案。\n一、总体要求\n")
    assert split_notice(lines, "", 2) is None
    assert split_notice([], "", 0) is None
