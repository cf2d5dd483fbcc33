"""Targets as plans state them: indicator tables, paired/cumulative/yearly values, inherited deadlines,
and results (review parts, past sentences) that are not targets. Sentences written in the style of
Chinese five-year plans and implementation plans (not taken from the seed plan)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core.links.indicators import TargetContext, extract_indicators, lead_in_year
from app.core.links.retrospect import is_review_heading, is_review_path, past_spans
from app.core.links.service import ClauseLinks, Linker
from app.core.models import Clause, Document, Indicator

ROOT = Path(__file__).resolve().parents[3]

PLAN = TargetContext(since=2026, horizon_end=2030)  # a 十五五 plan


def rows(text: str, context: TargetContext | None = PLAN) -> list[Indicator]:
    return extract_indicators(text, context=context)


def fields(ind: Indicator, *names: str) -> tuple[Any, ...]:
    return tuple(getattr(ind, n) for n in names)


# --- indicator tables ---------------------------------------------------------------------------------

TABLE = """表1 “十五五”时期生态环境保护主要指标

| 类别 | 序号 | 指标 | 单位 | 2025年 | 2030年 | 属性 |
| --- | --- | --- | --- | --- | --- | --- |
| 环境质量 | 1 | 细颗粒物（PM2.5）年均浓度 | 微克/立方米 | 27 | ≤25 | 约束性 |
|  | 2 | 地表水达到或好于Ⅲ类水体比例 | % | 95.5 | ≥96 | 约束性 |
| 3 | 空气质量优良天数比率 | % | 87.7 | 90左右 | 预期性 |
| 绿色低碳 | 4 | 单位地区生产总值二氧化碳排放降低 | % | — | [18] | 约束性 |
|  | 5 | 单位地区生产总值能耗 | — | — | 下降13.5% | 约束性 |
|  | 6 | 受污染耕地安全利用率 | % | 100 | 完成国家下达目标 | 约束性 |
"""


def test_indicator_table_one_target_per_row() -> None:
    found = rows(TABLE)
    assert [i.name for i in found] == [
        "细颗粒物（PM2.5）年均浓度", "地表水达到或好于Ⅲ类水体比例", "空气质量优良天数比率",
        "单位地区生产总值二氧化碳排放降低", "单位地区生产总值能耗降幅", "受污染耕地安全利用率",
    ]
    pm, water, good, co2, energy, soil = found
    assert fields(pm, "value", "unit", "comparator", "deadline", "baseline", "attribute") == (
        25, "微克/立方米", "<=", 2030, 27, "约束性")
    assert fields(water, "value", "comparator", "baseline") == (96, ">=", 95.5)
    # the merged 类别 cell is missing from this row: cells align from the right
    assert fields(good, "value", "unit", "comparator", "attribute") == (90, "%", "~", "预期性")
    assert fields(co2, "value", "comparator", "qualifier", "baseline") == (18, ">=", "累计", None)
    assert fields(energy, "value", "unit", "comparator") == (13.5, "%", ">=")
    assert soil.value is None and soil.qualitative and soil.baseline == 100
    for ind in found:
        assert ind.quote in TABLE and ind.quote.startswith("|")
        assert ind.deadline == 2030 and ind.deadline_source == "table"


def test_table_header_words_vary_and_year_comes_from_the_caption_or_plan() -> None:
    text = (
        "到2027年，主要目标如下：\n"
        "| 序号 | 指标名称（单位） | 现状值 | 目标值 | 指标属性 |\n"
        "|---|---|---|---|---|\n"
        "| 1 | 城镇污水处理率（%） | 96 | >98 | 约束性 |\n"
        "| 2 | 新增城市绿地（公顷） | — | [5000] | 预期性 |\n"
    )
    sewage, green = rows(text)
    assert fields(sewage, "name", "value", "unit", "comparator", "deadline", "baseline") == (
        "城镇污水处理率", 98, "%", ">", 2027, 96)
    assert fields(green, "name", "value", "unit", "qualifier", "attribute") == (
        "新增城市绿地", 5000, "公顷", "累计", "预期性")
    bare = "| 指标 | 基期值 | 规划目标 |\n|---|---|---|\n| 森林覆盖率（%） | 18.5 | 19.5 |\n"
    (forest,) = rows(bare)
    assert fields(forest, "value", "comparator", "deadline", "deadline_source") == (19.5, ">=", 2030, "inherited")


def test_table_with_two_target_years_and_a_span_column() -> None:
    text = (
        "| 指标 | 2025年 | 2027年 | 2030年 | 属性 |\n|---|---|---|---|---|\n"
        "| 新能源汽车占新车销量比例（%） | 40 | 50 | 60 | 预期性 |\n"
    )
    a, b = rows(text)
    assert (a.deadline, a.value, a.baseline, b.deadline, b.value) == (2027, 50, 40, 2030, 60)
    text = (
        "| 指标 | 2020年 | 2025年 | 年均/累计 | 属性 |\n|---|---|---|---|---|\n"
        "| 地区生产总值增长（%） | 1.7 | — | 5左右 | 预期性 |\n"
    )
    (gdp,) = rows(text)
    assert fields(gdp, "value", "comparator", "qualifier", "deadline") == (5, "~", "年均", 2025)


def test_a_table_of_results_gives_no_targets() -> None:
    text = (
        "| 序号 | 指标 | “十四五”目标 | 2025年实际完成 |\n|---|---|---|---|\n"
        "| 1 | 森林覆盖率（%） | 18 | 18.49 |\n"
    )
    assert rows(text) == []


def test_indicator_accepts_old_stored_json() -> None:
    old = {"name": "森林覆盖率", "value": 18, "unit": "%", "comparator": ">=", "deadline": 2030,
           "quote": "森林覆盖率达到18%", "qualitative": False}
    links = ClauseLinks.from_json({"departments": [], "indicators": [old], "deadline": None})
    assert links.indicators[0].baseline is None and links.indicators[0].attribute == ""
    again = ClauseLinks.from_json(links.to_json())
    assert again == links


# --- paired, cumulative, yearly ----------------------------------------------------------------------


def test_paired_targets_are_two_indicators_with_their_tier() -> None:
    floor, stretch = rows("到2030年，全市光伏装机容量确保达到300万千瓦、力争达到400万千瓦。")
    assert fields(floor, "name", "value", "unit", "tier", "deadline") == ("全市光伏装机容量", 300, "万千瓦", "确保", 2030)
    assert fields(stretch, "name", "value", "tier", "deadline") == ("全市光伏装机容量", 400, "力争", 2030)


def test_cumulative_and_annual_values_keep_their_qualifier() -> None:
    (green,) = rows("“十五五”期间，累计新增城市绿地5000公顷。")
    assert fields(green, "name", "value", "qualifier", "deadline", "deadline_source") == (
        "新增城市绿地面积", 5000, "累计", 2030, "period")
    (gdp,) = rows("全市地区生产总值年均增长5%左右。")
    assert fields(gdp, "name", "value", "comparator", "qualifier") == ("全市地区生产总值增幅", 5, "~", "年均")
    (pm,) = rows("PM2.5年均浓度控制在25微克/立方米以下。")
    assert (pm.name, pm.qualifier) == ("PM2.5年均浓度", "")  # 年均浓度 is the metric's own name


def test_targets_by_year_in_one_sentence() -> None:
    a, b = rows("到2027年，城市生活垃圾资源化利用率达到60%；到2030年，达到70%。")
    assert (a.name, a.value, a.deadline, b.name, b.value, b.deadline) == (
        "城市生活垃圾资源化利用率", 60, 2027, "城市生活垃圾资源化利用率", 70, 2030)
    c, d = rows("到2028年单位地区生产总值能耗下降8%，到2030年再下降5%。")
    assert (c.name, d.name, d.value, d.deadline) == ("单位地区生产总值能耗降幅", "单位地区生产总值能耗降幅", 5, 2030)


def test_deadline_from_sentence_then_lead_in_then_plan_period() -> None:
    text = (
        "到2028年，全市生态环境质量持续改善。PM2.5年均浓度控制在26微克/立方米以下，"
        "地表水优Ⅲ类水体比例达到90%。\n到2030年，新能源公交车占比达到100%。\n"
        "——城镇污水处理率达到99%。"
    )
    pm, water, bus, sewage = rows(text)
    assert [(i.deadline, i.deadline_source) for i in (pm, water, bus, sewage)] == [
        (2028, "lead-in"), (2028, "lead-in"), (2030, "explicit"), (2030, "lead-in")]  # the nearest lead-in
    (x,) = rows("新建公共充电桩2万个。")
    assert (x.deadline, x.deadline_source) == (2030, "inherited")
    (y,) = rows("新建公共充电桩2万个。", TargetContext(since=2026, horizon_end=2030, lead_year=2027))
    assert (y.deadline, y.deadline_source) == (2027, "lead-in")
    assert lead_in_year("到2027年，主要目标如下：") == 2027
    assert lead_in_year("到“十五五”末，基本建成美丽城市。") == 2030
    assert lead_in_year("加快推进…。到2027年，…") is None


def test_without_context_the_deadline_is_only_the_sentence_year() -> None:
    (x,) = rows("到2028年，全市生态环境质量持续改善。PM2.5年均浓度控制在26微克/立方米以下。", None)
    assert (x.deadline, x.deadline_source) == (None, "")


# --- results are not targets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["一、发展基础", "（一）“十四五”时期取得的显著成效", "第一章 发展现状与面临形势", "（一）主要成就",
     "一、“十四五”规划执行情况", "（二）工作回顾", "一、现实基础", "**（一）发展基础**"],
)
def test_review_headings(heading: str) -> None:
    assert is_review_heading(heading)


@pytest.mark.parametrize(
    "heading", ["二、主要目标", "（三）加强规划实施情况评估", "五、保障措施", "（一）推进能源绿色低碳转型", "总体要求"]
)
def test_forward_headings(heading: str) -> None:
    assert not is_review_heading(heading)


REVIEW = (
    "“十四五”期间，全市生态环境质量持续改善。细颗粒物（PM2.5）年均浓度从2020年的32微克/立方米下降至2025年的"
    "26微克/立方米，累计下降18.8%；地表水优Ⅲ类水体比例达到95%以上。单位地区生产总值能耗较2020年下降14%，"
    "森林覆盖率达到19.5%。截至2025年底，全市已建成公共充电桩20万个，新能源汽车保有量超过150万辆。"
)


def test_review_chapter_yields_no_targets_through_the_linker() -> None:
    linker = Linker(ROOT / "resources")
    doc = Document(id="p", title="某市生态环境保护“十五五”规划", kind="规划")
    base = Clause("p/1", "p", 1, "chapter", "一", 1, "发展基础", ("一、发展基础",), "")
    review = Clause("p/2", "p", 2, "section", "（一）", 1, "主要成效", ("一、发展基础", "（一）主要成效"), REVIEW, "p/1")
    goal = Clause("p/3", "p", 3, "section", "（一）", 1, "主要目标", ("二、总体要求", "（一）主要目标"),
                  "到2030年，森林覆盖率达到20%。")
    out = linker.link_document(doc, [base, review, goal])
    assert out["p/2"].indicators == () and out["p/2"].deadline is None
    (forest,) = out["p/3"].indicators
    assert (forest.value, forest.deadline) == (20, 2030)
    assert is_review_path(review.path) and not is_review_path(goal.path)


@pytest.mark.parametrize(
    "sentence",
    [
        "“十四五”期间，全市单位生产总值能耗累计下降14%。",
        "截至2025年底，全市已建成公共充电桩20万个。",
        "全市已累计完成造林10万亩。",
        "2025年，全市森林覆盖率达到19.5%，比上年提高0.3个百分点。",
        "“十四五”以来，累计建成海绵城市400平方公里。",
        "近年来，全市生活垃圾回收利用率提高到42%。",
        "全市地区生产总值比上年增长5.2%。",
        "PM2.5年均浓度较2015年下降42%。",  # a base older than the plan's own (2025): a past period
        "全市生态环境质量实现了根本好转，优良天数比率达到90%。",
    ],
)
def test_past_sentences_are_results(sentence: str) -> None:
    assert rows(sentence) == []


def test_past_and_future_in_one_paragraph_only_the_future_is_a_target() -> None:
    text = (
        "“十四五”期间，单位地区生产总值能耗累计下降14%，到2030年再下降13.5%。"
        "截至2025年底，全市已建成公共充电桩20万个，到2030年力争达到30万个。"
        "全市森林覆盖率达到19.5%，比上年提高0.3个百分点。"  # 比上年: a statistic of the last year
    )
    energy, piles = rows(text)
    assert fields(energy, "name", "value", "deadline") == ("单位地区生产总值能耗降幅", 13.5, 2030)
    assert fields(piles, "value", "unit", "deadline", "tier") == (30, "万个", 2030, "力争")


def test_future_sentences_with_a_baseline_stay_targets() -> None:
    (co2,) = rows("到2030年，单位地区生产总值二氧化碳排放比2025年下降18%。")
    assert (co2.value, co2.deadline) == (18, 2030)
    (co2,) = rows("单位地区生产总值二氧化碳排放较2025年下降18%。")  # the plan's own base year
    assert co2.deadline == 2030
    (plant,) = rows("对已建成的污水处理厂实施提标改造，完成改造规模300万吨/日。")  # 已建成的: which plants
    assert plant.value == 300


def test_without_a_calendar_only_tense_markers_apply() -> None:
    assert rows("截至2023年底，全市已建成公共充电桩20万个。", None) == []
    (x,) = rows("“十五五”期间，累计新增城市绿地5000公顷。", None)
    assert x.value == 5000
    assert past_spans("“十三五”以来，累计完成造林10万亩。") != []
