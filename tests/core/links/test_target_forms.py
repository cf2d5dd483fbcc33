"""Target forms of annual work plans and action plans: units by category, dimensionless values, ranks and
ratios, target-setting verbs and lists, deadlines from the document's own year, and present-state figures
that are not targets. Sentences written for these tests in the style of provincial 工作方案/行动计划."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from app.core.links.deadlines import plan_horizon
from app.core.links.indicators import TargetContext, extract_indicators
from app.core.links.service import Linker
from app.core.models import Clause, Document, Indicator

ROOT = Path(__file__).resolve().parents[3]

ANNUAL = TargetContext(since=2024, horizon_end=2025)  # a （2024—2025年） action plan


def rows(text: str, context: TargetContext | None = ANNUAL) -> list[Indicator]:
    return extract_indicators(text, context=context)


def one(text: str, *names: str, context: TargetContext | None = ANNUAL) -> tuple[Any, ...]:
    (ind,) = rows(text, context)
    return tuple(getattr(ind, n) for n in names)


# --- 1. units by category -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("全年新认定高新技术企业800家。", 800, "家"),  # count by classifier
        ("数据中心标准机架规模达到8万架。", 8, "万架"),
        ("新建城市排水管网350公里。", 350, "公里"),  # length
        ("完成旱涝保收高标准农田建设40万亩。", 40, "万亩"),  # area
        ("新开工改造城镇老旧小区住宅面积180万平方米。", 180, "万平方米"),
        ("新增抽水蓄能装机容量1.2吉瓦。", 1.2, "吉瓦"),  # power
        ("全省互联网省际出口带宽达到60Tbps。", 60, "Tbps"),  # data rate
        ("全省软件和信息技术服务业业务收入突破3000亿元。", 3000, "亿元"),  # currency with magnitude
        ("全省数字经济规模达到2.5万亿元。", 2.5, "万亿元"),
        ("年内培训新型职业农民3万人次。", 3, "万人次"),  # people
        ("改造农村危房1.2万户。", 1.2, "万户"),
        ("新建乡镇卫生院标准化发热诊室120所。", 120, "所"),
        ("建成省级数字乡村示范县20个。", 20, "个"),
    ],
)
def test_units_by_category(sentence: str, value: float, unit: str) -> None:
    assert one(sentence, "value", "unit") == (value, unit)


def test_unit_dimension_names_the_target() -> None:
    assert one("新建城市排水管网350公里。", "name") == ("新建城市排水管网长度",)  # 新建 stays, like 新增
    assert one("完成旱涝保收高标准农田建设40万亩。", "name") == ("旱涝保收高标准农田建设面积",)
    assert one("全年新认定高新技术企业800家。", "name") == ("高新技术企业数量",)
    assert one("全省互联网省际出口带宽达到60Tbps。", "name") == ("全省互联网省际出口带宽",)


def test_durations_are_targets_only_for_a_duration_subject() -> None:
    assert one("企业开办全流程用时压缩至1个工作日以内。", "name", "value", "unit", "comparator") == (
        "企业开办全流程用时", 1, "个工作日", "<=")
    assert one("社会投资项目审批时间控制在60个工作日以内。", "value", "unit", "comparator") == (60, "个工作日", "<=")
    assert rows("打造城市社区15分钟便民生活圈。") == []  # a name, not a duration target
    assert rows("贮存期限不得超过三十天。", None) == []  # a time limit of a law
    assert rows("应当自受理申请之日起二十个工作日内作出决定。", None) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "加快建设“五个新城”，推动国四及以下排放标准柴油货车淘汰。",
        "推进5G网络和千兆光网建设，加强PM2.5和臭氧协同控制。",
        "高质量编制“十五五”规划，召开3次专题推进会。",
        "聚焦三个重点领域，组织实施五项专项行动。",
        "对全省100家重点企业开展用能情况调研。",
        "全省共有规模以上工业企业4500家。",
        "每年组织开展2次联合检查。",
    ],
)
def test_numbers_outside_a_target_frame_are_not_targets(sentence: str) -> None:
    assert rows(sentence) == []


# --- 2. dimensionless values, ratios, ranks and relative cuts -------------------------------------------


def test_dimensionless_values_with_a_comparator() -> None:
    assert one("新建大型数据中心电能利用效率（PUE）不高于1.25。", "name", "value", "unit", "comparator") == (
        "新建大型数据中心电能利用效率（PUE）", 1.25, "", "<=")
    assert one("存量数据中心PUE降到1.4以下。", "value", "comparator") == (1.4, "<=")


def test_ratios_with_a_colon() -> None:
    assert one("全省新能源汽车车桩比达到2.5∶1。", "name", "value", "comparator") == ("全省新能源汽车车桩比", 2.5, ">=")
    assert one("公共领域车桩比保持在1:1。", "value", "comparator") == (1, "=")
    assert rows("专题会议时间定于上午9:30。") == []


def test_ranks() -> None:
    assert one("全省营商环境评价进入全国前五位。", "name", "value", "unit", "comparator") == (
        "全省营商环境评价排名", 5, "位", "<=")
    assert one("区域创新能力稳居全国第6位。", "name", "value", "comparator") == ("区域创新能力排名", 6, "=")
    assert rows("对综合排名前10位的企业给予一次性奖励。") == []  # which firms, not a target


def test_relative_cuts() -> None:
    assert one("工程建设项目审批时限压缩50%以上。", "name", "value", "unit", "comparator") == (
        "工程建设项目审批时限降幅", 50, "%", ">=")


# --- 3. target-setting verbs and frames -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "comparator"),
    [
        ("全省工业互联网平台连接设备数突破5000万台。", 5000, ">"),
        ("遴选省级服务型制造示范企业50家。", 50, "="),
        ("推动2000家规上工业企业实施数字化改造。", 2000, "="),
        ("支持创建国家级特色产业集群8个。", 8, "="),
        ("培训数字技能人才5万人次。", 5, "="),
        ("确保全年城镇新增就业50万人以上。", 50, ">="),
    ],
)
def test_target_setting_verbs(sentence: str, value: float, comparator: str) -> None:
    assert one(sentence, "value", "comparator") == (value, comparator)


def test_every_item_of_a_list_is_a_target() -> None:
    found = rows("每年遴选省级智能制造示范工厂40家、数字化转型示范车间150个。")
    assert [(i.name, i.value, i.unit, i.qualifier) for i in found] == [
        ("省级智能制造示范工厂数量", 40, "家", "每年"), ("数字化转型示范车间数量", 150, "个", "")]
    found = rows("建成县级寄递物流配送中心70个、乡镇快递服务站点900个、村级寄递物流综合服务站3000个。")
    assert [(i.name, i.value) for i in found] == [
        ("县级寄递物流配送中心数量", 70), ("乡镇快递服务站点数量", 900), ("村级寄递物流综合服务站数量", 3000)]


def test_year_by_year_lines_take_their_own_year() -> None:
    text = "2024年，推动规上工业企业数字化改造3000家；2025年，新增5000家，实现规上工业企业数字化改造全覆盖。"
    a, b, c = rows(text)
    assert (a.value, a.deadline, a.name) == (3000, 2024, "规上工业企业数字化改造数量")
    assert (b.value, b.deadline, b.name) == (5000, 2025, "新增规上工业企业数字化改造数量")
    assert c.qualitative and c.deadline == 2025


def test_annual_targets_keep_their_qualifier() -> None:
    assert one("每年培育省级专精特新中小企业200家以上。", "name", "value", "comparator", "qualifier") == (
        "省级专精特新中小企业数量", 200, ">=", "每年")


def test_present_state_with_a_future_frame_is_a_target() -> None:
    assert one("到2025年，数字经济核心产业增加值占地区生产总值比重为12%。", "value", "comparator", "deadline") == (
        12, "=", 2025)


# --- 4. deadlines from the document's own year -------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "horizon"),
    [
        ("2024年全省数字经济工作要点", (2024, 2024)),
        ("关于印发《XX市2024年度优化营商环境工作方案》的通知", (2024, 2024)),
        ("二〇二四年全市重点民生实事项目实施方案", (2024, 2024)),
        ("XX省制造业数字化转型行动计划（2024—2025年）", (2024, 2025)),
        ("XX省推动大规模设备更新行动方案（2024年—2025年）", (2024, 2025)),
        ("XX市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", (2021, 2025)),
        ("XX市2030年前碳达峰实施方案", None),
        ("关于到2025年基本建成现代流通体系的实施意见", None),
        ("XX省人民政府2024年3月常务会议纪要", None),
    ],
)
def test_plan_horizon_of_annual_and_range_titles(title: str, horizon: tuple[int, int] | None) -> None:
    assert plan_horizon(title) == horizon


def test_annual_plan_targets_take_the_title_year_through_the_linker() -> None:
    linker = Linker(ROOT / "resources")
    doc = Document(id="w", title="2024年全省数字经济工作要点", kind="规划")
    task = Clause("w/1", "w", 1, "section", "（一）", 1, "推进企业数字化转型", ("一、重点任务", "（一）推进企业数字化转型"),
                  "遴选省级数字化转型示范企业100家，新建5G基站2万个。")
    out = linker.link_document(doc, [task])
    assert [(i.value, i.deadline, i.deadline_source) for i in out["w/1"].indicators] == [
        (100, 2024, "inherited"), (2, 2024, "inherited")]
    assert out["w/1"].deadline is not None and out["w/1"].deadline.year == 2024


# --- 5. present-state figures are not targets --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "全省数字经济核心产业增加值占地区生产总值比重为11.6%。",  # 为 + value: a state
        "2023年，全省普惠小微贷款余额增长21.5%。",  # a year before the plan's own
        "全省普惠小微贷款余额同比增长18.2%。",
        "目前，全省数字经济核心产业增加值占比达到11.6%。",
        "过去一年，全省新增经营主体120万户。",
        "审批事项平均办理时限为8个工作日。",
    ],
)
def test_present_state_figures_are_not_targets(sentence: str) -> None:
    assert rows(sentence) == []


def test_a_state_then_a_target_in_one_paragraph() -> None:
    text = "目前，全省数字经济核心产业增加值占比为11.6%。到2025年，全省数字经济核心产业增加值占比力争达到13%。"
    (target,) = rows(text)
    assert (target.value, target.deadline, target.tier) == (13, 2025, "力争")


@pytest.mark.parametrize(
    "sentence",
    [
        "对推动产业发展贡献突出的20家企业给予通报表扬。",  # …的20家企业: which firms
        "支持符合条件的企业申报，每家最高补助100万元。",
        "按照1:1比例安排配套资金。",  # a ratio of no metric
        "省级财政每年安排5亿元支持试点城市建设。",
        "发挥好200亿元省级产业基金作用。",
        "医疗废物暂时贮存的时间不得超过2天。",  # a legal time limit, not a duration target
    ],
)
def test_amounts_that_qualify_or_limit_are_not_targets(sentence: str) -> None:
    assert rows(sentence) == []
    assert rows(sentence, None) == []


def test_a_measure_before_a_class_noun_qualifies_the_count() -> None:
    assert one("培育年营业收入超100亿元企业10家。", "name", "value", "unit") == ("年营业收入超100亿元企业数量", 10, "家")
    assert one("新建10万吨级泊位3个。", "value", "unit") == (3, "个")


def test_a_count_inside_a_qualitative_target_stays_in_its_name() -> None:
    (full,) = rows("实现全省16个设区市全覆盖。")
    assert (full.name, full.value, full.qualitative) == ("全省16个设区市覆盖率", 100, True)


def test_fast_on_long_junk_of_the_new_forms() -> None:
    junk = "进入全国前三位" * 2000 + "车桩比达到2∶1" * 2000 + "2024年，新增8000家；" * 2000
    started = time.perf_counter()
    rows(junk)
    assert time.perf_counter() - started < 5.0
