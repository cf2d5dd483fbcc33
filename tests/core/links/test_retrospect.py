"""Results are not targets: review headings of a plan, and the phrases that report what was done."""

from __future__ import annotations

import pytest

from app.core.links.retrospect import PERIOD, is_review_heading, is_review_path, past_spans, period_years


@pytest.mark.parametrize(
    ("heading", "review"),
    [
        ("一、发展基础", True),
        ("（一）“十四五”时期取得的成就", True),
        ("规划执行情况", True),
        ("面临形势", True),
        ("**现状与问题**", True),
        ("加强规划实施情况评估", False),  # it also announces what is to be done
        ("主要目标", False),
        ("二、主要任务", False),
        ("", False),
    ],
)
def test_review_heading(heading: str, review: bool) -> None:
    assert is_review_heading(heading) is review


def test_review_path() -> None:
    assert is_review_path(("一、发展基础", "（一）成就"))
    assert not is_review_path(("二、主要任务", "（一）推进减污降碳"))
    assert is_review_path((None, "发展现状"))  # type: ignore[arg-type]
    assert not is_review_path(())


def test_periods() -> None:
    assert period_years("四") == (2021, 2025) and period_years("五") == (2026, 2030)
    assert period_years("x") is None
    m = PERIOD.search("“十四五”期间")
    assert m is not None and m[1] == "四"


def _past(text: str, since: int | None = None) -> list[str]:
    spans = past_spans(text, since)
    assert spans == sorted(spans) and all(a < b for a, b in spans)
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "since", "past"),
    [
        ("已建成充电桩80万个，到2030年达到200万个。", None, ["已建成充电桩80万个"]),
        ("“十四五”期间累计下降14%，到2030年再下降13.5%。", 2026, ["“十四五”期间累计下降14%"]),
        ("“十四五”期间累计下降14%，到2030年再下降13.5%。", None, []),  # without a calendar: no period is past
        ("PM2.5浓度较2015年下降42%。", 2026, ["PM2.5浓度较2015年下降42%"]),  # an older base measures the past
        ("PM2.5浓度较2025年下降10%。", 2026, []),  # the plan's own baseline
        ("2023年，全市新增绿地1000公顷。", 2026, ["2023年", "全市新增绿地1000公顷"]),
        ("截至2024年底，建成绿道1000公里。", 2026, ["截至2024年底", "建成绿道1000公里"]),
        ("截至2030年底，建成绿道2000公里。", 2026, []),  # a status date in the plan's own time
        ("比上年增长5%。", None, ["比上年增长5%"]),
        ("目前全市已建成的污水处理厂运行良好，力争到2030年处理率达到99%。", None, ["目前全市已建成的污水处理厂运行良好"]),
        ("实现了全覆盖。近年来成效明显", None, ["实现了全覆盖", "近年来成效明显"]),
        ("到2030年，生活垃圾回收利用率达到50%。", 2026, []),
    ],
)
def test_past_spans(text: str, since: int | None, past: list[str]) -> None:
    assert _past(text, since) == past
