"""Indicator extraction: comparators, units, numerals, names, non-targets, and the annotated plan."""

from __future__ import annotations

import json
import time
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.links.indicators import extract_indicators, parse_cn_number
from app.core.models import Clause, Indicator
from app.core.read import read_file
from app.core.structure import parse_document

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "tests" / "data" / "annotations-plan.json"
FIELDS = ("name", "value", "unit", "comparator", "deadline")


def one(text: str, **kw: Any) -> Indicator:
    found = extract_indicators(text, **kw)
    assert len(found) == 1, found
    return found[0]


# --- the examples ---------------------------------------------------------------------------


def test_sea_rail_volume_approximately() -> None:
    ind = one("大力推动江（河）海联运、集装箱海铁联运，到2030年海铁联运量达到200万标准箱左右。")
    assert (ind.name, ind.value, ind.unit, ind.comparator, ind.deadline) == ("海铁联运量", 200, "万标准箱", "~", 2030)
    assert ind.quote == "到2030年海铁联运量达到200万标准箱左右"
    assert not ind.qualitative


def test_shared_subject_across_a_list() -> None:
    a, b = extract_indicators("到2030年，生活垃圾回收利用率达到50%、资源化利用率不低于87.5%。")
    assert (a.name, a.value, a.unit, a.comparator, a.deadline) == ("生活垃圾回收利用率", 50, "%", ">=", 2030)
    assert (b.name, b.value, b.unit, b.comparator, b.deadline) == ("生活垃圾资源化利用率", 87.5, "%", ">=", 2030)
    assert b.quote == "资源化利用率不低于87.5%"


def test_action_with_bare_amount_is_named_by_its_dimension() -> None:
    ind = one("完成集中连片规模化造林 2 万亩。")
    assert (ind.name, ind.value, ind.unit, ind.comparator) == ("集中连片规模化造林面积", 2, "万亩", "=")
    assert ind.quote == "完成集中连片规模化造林 2 万亩"


@pytest.mark.parametrize(
    ("text", "name", "value", "unit", "comparator"),
    [
        ("新增5个野生动物栖息地。", "新增野生动物栖息地数量", 5, "个", "="),
        ("开发 10 个生态环境数智化应用场景。", "生态环境数智化应用场景数量", 10, "个", "="),
        ("完成既有建筑节能改造5000万平方米以上。", "既有建筑节能改造面积", 5000, "万平方米", ">="),
        ("新增河湖面积 700 公顷以上。", "新增河湖面积", 700, "公顷", ">="),
        ("开展集中连片中小河道治理约 600 公里。", "集中连片中小河道治理长度", 600, "公里", "~"),
        ("森林碳储总量达到 460 万吨。", "森林碳储总量", 460, "万吨", ">="),
        ("全市注册生态环境志愿者达到 2 万人。", "全市注册生态环境志愿者人数", 2, "万人", ">="),
        (
            "达到海绵城市建设要求的城市建成区面积新增 450 平方公里以上。",
            "新增达到海绵城市建设要求的城市建成区面积", 450, "平方公里", ">=",
        ),
        ("推动中重型新能源货车占比提升至30%。", "中重型新能源货车占比", 30, "%", ">="),
        ("集装箱水水中转比例提高到55%。", "集装箱水水中转比例", 55, "%", ">="),
        ("集中式饮用水水源地水质达到或好于Ⅲ类比例持续保持100%。", "集中式饮用水水源地水质达到或好于Ⅲ类比例", 100, "%", "="),
        ("公园24小时开放率提高到90%以上。", "公园24小时开放率", 90, "%", ">="),
        ("到 2030 年 70%左右市管及区管河道建成美丽幸福河湖。", "市管及区管河道建成美丽幸福河湖比例", 70, "%", "~"),
    ],
)
def test_plan_shapes(text: str, name: str, value: float, unit: str, comparator: str) -> None:
    ind = one(text)
    assert (ind.name, ind.value, ind.unit, ind.comparator) == (name, value, unit, comparator)
    assert ind.quote in text


# --- lexicons ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("森林覆盖率不低于18%。", ">="),
        ("森林覆盖率18%以上。", ">="),
        ("森林覆盖率达到18%。", ">="),
        ("森林覆盖率提高到18%。", ">="),
        ("森林覆盖率提升至18%。", ">="),
        ("PM2.5年均浓度不高于30微克/立方米。", "<="),
        ("PM2.5年均浓度30微克/立方米以下。", "<="),
        ("PM2.5年均浓度控制在30微克/立方米。", "<="),
        ("森林覆盖率18%左右。", "~"),
        ("森林覆盖率约18%。", "~"),
        ("完成造林2万亩。", "="),
        ("森林覆盖率保持18%。", "="),
        ("新增绿地2万亩。", "="),
        ("森林覆盖率超过18%。", ">"),
        ("单位生产总值能耗下降14%。", ">="),
    ],
)
def test_comparator_lexicon(text: str, comparator: str) -> None:
    assert one(text).comparator == comparator


@pytest.mark.parametrize(
    "unit", ["万标准箱", "万平方米", "公里", "公顷", "万亩", "万吨", "个", "万人", "平方公里", "亿立方米", "万千瓦", "座", "分贝"]
)
def test_unit_lexicon(unit: str) -> None:
    ind = one(f"新增示范工程 12 {unit}。")
    assert (ind.value, ind.unit) == (12, unit)


def test_chinese_numerals_full_width_and_spaced_digits() -> None:
    ind = one("到二〇三〇年，森林覆盖率达到百分之十四点六。")
    assert (ind.name, ind.value, ind.unit, ind.deadline) == ("森林覆盖率", 14.6, "%", 2030)
    ind = one("到２０３０年森林覆盖率达到１４．６％。")
    assert (ind.value, ind.unit, ind.deadline) == (14.6, "%", 2030)
    assert ind.quote == "到２０３０年森林覆盖率达到１４．６％"
    ind = one("到 2030 年生态环境业务数字化率达到 90 %。")
    assert (ind.value, ind.unit, ind.deadline, ind.quote) == (90, "%", 2030, "到 2030 年生态环境业务数字化率达到 90 %")
    assert one("完成公益林抚育二十万亩。").value == 20


@pytest.mark.parametrize(
    ("raw", "value"),
    [("十四点六", 14.6), ("二十", 20), ("百", 100), ("两", 2), ("1,000", 1000), ("１２", 12), ("0.75", 0.75)],
)
def test_parse_cn_number(raw: str, value: float) -> None:
    assert parse_cn_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["", "点", "十点x", "abc", "一二三万万"])
def test_parse_cn_number_rejects_junk(raw: str) -> None:
    assert parse_cn_number(raw) is None


# --- deadlines of indicators --------------------------------------------------------------------------


def test_deadline_governs_its_sentence_forward_only() -> None:
    a, b, c, d = extract_indicators(
        "完成集中连片规模化造林 2 万亩，到 2030 年森林覆盖率达到 14.6%。完成公益林抚育 20 万亩，森林碳储总量达到 460 万吨。"
    )
    assert [x.deadline for x in (a, b, c, d)] == [None, 2030, None, None]


def test_missing_subject_comes_from_the_previous_target_or_the_heading() -> None:
    a, b = extract_indicators("到2025年，绿地率达到40%，到2030年达到45%。")
    assert (a.deadline, b.name, b.deadline) == (2025, "绿地率", 2030)
    assert one("到2030年达到14.6%。", heading="提高森林覆盖率。").name == "森林覆盖率"


# --- general rules --------------------------------------------------------------------------------


def test_respectively_gives_one_target_per_item() -> None:
    a, b = extract_indicators("化肥、农药使用量分别减少5%和10%。")
    assert (a.name, a.value, b.name, b.value) == ("化肥使用量降幅", 5, "农药使用量降幅", 10)
    a, b = extract_indicators("城镇和农村污水处理率分别达到95%和80%。")
    assert (a.name, b.name) == ("城镇污水处理率", "农村污水处理率")
    a, b = extract_indicators("氮氧化物和VOCs排放总量比2020年分别下降10%以上。")
    assert (a.name, b.name, a.value, b.value, a.deadline) == ("氮氧化物排放总量降幅", "VOCs排放总量降幅", 10, 10, None)


def test_scope_before_the_action_and_sub_targets_share_the_verb() -> None:
    a, b = extract_indicators("全市新增绿地5000公顷，其中公园绿地2000公顷。")
    assert (a.name, a.value, b.name, b.value, b.comparator) == ("全市新增绿地面积", 5000, "新增公园绿地面积", 2000, "=")
    a, b = extract_indicators("新增5个湿地公园、3个郊野公园。")
    assert (a.name, b.name, b.value) == ("新增湿地公园数量", "新增郊野公园数量", 3)
    assert one("新建民用建筑100%执行绿色建筑标准。").name == "新建民用建筑执行绿色建筑标准比例"


def test_baseline_year_is_neither_subject_nor_deadline() -> None:
    ind = one("到2025年，单位生产总值能耗比2020年下降14%。")
    assert (ind.name, ind.value, ind.comparator, ind.deadline) == ("单位生产总值能耗降幅", 14, ">=", 2025)


def test_unitless_coefficient_and_rate_without_verb() -> None:
    ind = one("灌溉水有效利用系数提高到0.75。")
    assert (ind.name, ind.value, ind.unit) == ("灌溉水有效利用系数", 0.75, "")
    assert one("生活垃圾无害化处理率100%。").comparator == "="


def test_share_of_a_base_and_attribute_requirements_in_laws() -> None:
    text = (
        "（一）新建居住区内绿地面积占居住区用地总面积的比例不得低于百分之三十五，"
        "其中用于建设集中绿地的面积不得低于居住区用地总面积的百分之十。"
        "（二）新建学校、医院，其附属绿地面积不得低于单位用地总面积的百分之三十五；"
        "其中，传染病医院还应当建设宽度不少于五十米的防护绿地。"
    )
    a, b, c, d = extract_indicators(text)
    assert (a.name, a.value, a.comparator) == ("新建居住区内绿地面积占居住区用地总面积的比例", 35, ">=")
    assert b.name == "用于建设集中绿地的面积占居住区用地总面积的比例"
    assert c.name == "新建学校、医院附属绿地面积占单位用地总面积的比例"
    assert (d.name, d.value, d.unit) == ("传染病医院防护绿地宽度", 50, "米")


@pytest.mark.parametrize(
    "text",
    [
        "由市或者区生态环境部门责令改正，并处十万元以上一百万元以下罚款。",
        "经营危险废物超过原批准年经营规模20%以上的。",
        "基坑开挖深度七米以上不足十五米的，建设单位应当进行评估。",
        "分时核定最大需量，是指用电高峰时段按契约限额的90％执行，超过90％部分加倍收取基本电费。",
        "闲置三个月以上的建设用地，由建设单位进行绿化。",
        "应当对高度不超过五十米的平屋顶实施绿化。",
        "本条例自2019年7月1日起施行。",
        "违反本条例第十八条规定的，依照第七十六条处理。",
    ],
)
def test_law_amounts_that_are_not_targets(text: str) -> None:
    assert extract_indicators(text) == []


# --- non-targets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "根据《美丽中国建设“十五五”规划》《上海市国民经济和社会发展的第十五个五年规划纲要》，制定本规划。",
        "全面贯彻落实党的二十大和二十届历次全会精神，紧紧围绕建设“五个中心”重要使命。",
        "支持“五个新城”等重点区域打造美丽建设典范。推动“一江一河”岸线贯通开放。",
        "推进崇明生态岛、临港新片区、五个新城等气候适应性试点建设。",
        "紧扣一体化和高质量发展两个关键，打造一批示范标杆。",
        "加强高排放国五、国六柴油车监管。",
        "新建大型公共建筑按照绿色民用建筑三星级标准建设。",
        "强化 I 类放射源、I 类射线装置应用场所辐射环境实时监控。",
        "开展第二次土壤污染状况普查。",
        "深入实施《上海市生物多样性保护战略与行动计划（2023—2035 年）》。",
        "优化“十五分钟生活圈”要素配置和空间布局。",
        "深化小型医疗卫生机构“最后一公里”体系建设。",
        "强化区域臭氧和 PM2.5 协同应对。",
        "有效控制非二氧化碳温室气体排放。",
        "持续开展六五环境日等系列活动。",
        "市生态环境局会同相关部门在2028年、2030年度分别进行中期评估和总结评估。",
        "加快推进固体废物近零填埋，港口、机场非道路移动机械基本实现电动化。",
        "支持“智能工厂”、零碳工厂和零碳园区建设。",
    ],
)
def test_not_indicators(text: str) -> None:
    assert extract_indicators(text) == []


def test_plan_non_indicator_strings_yield_no_extra_target() -> None:
    """A non-target may sit inside a real target's quote (Ⅲ类 in I05, 24小时 in I18), never alone."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    clauses = plan_clauses()
    for item in gold["not_indicators"]:
        text = clauses[item["clause_id"]].full_text
        golds = [g["quote"] for g in gold["indicators"] if g["clause_id"] == item["clause_id"]]
        for ind in extract_indicators(text):
            if _overlap(text, item["quote"], ind.quote):
                assert any(_overlap(text, q, ind.quote) for q in golds), (item, ind)


# --- qualitative targets ----------------------------------------------------------------------------


def test_two_qualitative_targets_in_one_phrase() -> None:
    a, b = extract_indicators("实现城镇污水管网全覆盖、农村生活污水治理全覆盖。")
    assert (a.name, b.name) == ("城镇污水管网覆盖率", "农村生活污水治理覆盖率")


@pytest.mark.parametrize(
    ("text", "name", "value", "unit"),
    [
        ("沿海港口岸电设施实现全覆盖。", "沿海港口岸电设施覆盖率", 100, "%"),
        ("原生生活垃圾焚烧飞灰实现零填埋。", "原生生活垃圾焚烧飞灰填埋量", 0, ""),
        ("全面淘汰国四柴油货车。", "国四柴油货车淘汰率", 100, "%"),
        ("全面完成入河排污口和雨污混接整治。", "入河排污口和雨污混接整治完成率", 100, "%"),
        ("推进公共领域用车全面新能源化。", "公共领域用车新能源化比例", 100, "%"),
    ],
)
def test_qualitative_targets_carry_their_implied_value(text: str, name: str, value: float, unit: str) -> None:
    ind = one(text)
    assert (ind.name, ind.value, ind.unit, ind.comparator, ind.qualitative) == (name, value, unit, "=", True)


# --- robustness -------------------------------------------------------------------------------------

JUNK = st.text(
    alphabet=st.sampled_from(list("0123456789０１.%％，。、；年月到达不低于以上左右约万亿个米亩公顷十百千二〇“”《》的全覆盖零填埋新增完成 分别和其")),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(JUNK, st.text(max_size=30))
def test_never_raises_and_quotes_are_substrings(text: str, heading: str) -> None:
    for ind in extract_indicators(text, heading=heading):
        assert ind.quote in text
        assert ind.comparator in {">=", "<=", "~", "=", ">", "<"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text: str) -> None:
    extract_indicators(text)


def test_fast_on_long_junk() -> None:
    junk = ("达到12%以上约3万亩新增5个" * 2000) + ("到2030年" * 2000) + ("一" * 20000)
    started = time.perf_counter()
    extract_indicators(junk)
    assert time.perf_counter() - started < 5.0


# --- the annotated plan -----------------------------------------------------------------------------


def plan_clauses() -> dict[str, Clause]:
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["kind"] == "规划")
    parsed = parse_document(read_file(ROOT / "corpus" / entry["file"]).text, entry["id"], kind=entry["kind"])
    return {c.id: c for c in parsed.clauses}


def _overlap(text: str, q1: str, q2: str) -> bool:
    a, b = text.find(q1), text.find(q2)
    return a >= 0 and b >= 0 and a < b + len(q2) and b < a + len(q1)


def _agrees(gold: dict[str, Any], pred: Indicator, fld: str) -> bool:
    if fld == "name":
        return SequenceMatcher(None, gold["name"], pred.name).ratio() >= 0.75
    if fld == "unit":
        return (gold["unit"] or "") == pred.unit
    if fld == "comparator":
        return pred.comparator in [gold["comparator"], *gold["comparator_also_acceptable"]]
    if fld == "value":
        return pred.value is not None and abs(pred.value - gold["value"]) < 1e-6
    return bool(pred.deadline == gold["deadline"])


def test_annotated_plan_precision_and_recall() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    clauses = plan_clauses()
    n_pred = matched = 0
    fields = dict.fromkeys(FIELDS, 0)
    for cid, clause in clauses.items():
        preds = extract_indicators(clause.full_text, heading=clause.display_heading)
        n_pred += len(preds)
        for g in (g for g in gold["indicators"] if g["clause_id"] == cid):
            pair = next((p for p in preds if _overlap(clause.full_text, g["quote"], p.quote)), None)
            if pair is None:
                continue
            preds.remove(pair)
            matched += _agrees(g, pair, "value") and _agrees(g, pair, "unit")
            for f in FIELDS:
                fields[f] += _agrees(g, pair, f)
    n_gold = len(gold["indicators"])
    report = f"P={matched / n_pred:.3f} R={matched / n_gold:.3f} " + " ".join(
        f"{f}={fields[f] / n_gold:.3f}" for f in FIELDS
    )
    print(report)
    assert matched / n_pred >= 0.95, report
    assert matched / n_gold >= 0.95, report
    assert all(fields[f] / n_gold >= 0.9 for f in FIELDS), report


def test_annotated_law_articles() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for art in gold["laws"]["articles"]:
        doc_id = art["clause_id"].split("/", 1)[0]
        path = ROOT / "corpus" / "laws" / f"{doc_id}.md"
        clause = {c.id: c for c in parse_document(read_file(path).text, doc_id).clauses}[art["clause_id"]]
        preds = extract_indicators(clause.full_text)
        assert sorted(p.value for p in preds) == sorted(float(g["value"]) for g in art["indicators"]), art["clause_id"]
