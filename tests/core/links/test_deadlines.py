"""Deadline extraction: explicit dates, milestones, inheritance from the plan horizon, governing years."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.links.deadlines import (
    explicit_deadlines,
    extract_deadline,
    find_milestones,
    plan_horizon,
    sentence_years,
    year_at,
)
from app.core.models import Clause, Deadline
from app.core.read import read_file
from app.core.structure import parse_document

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "tests" / "data" / "annotations-plan.json"
HORIZON = (2026, 2030)


@pytest.mark.parametrize(
    ("text", "year", "date", "quote"),
    [
        ("到2030年海铁联运量达到200万标准箱左右，集装箱水水中转比例提高到55%。", 2030, None,
         "到2030年海铁联运量达到200万标准箱左右"),
        ("到 2030 年，达到海绵城市建设要求的城市建成区面积新增 450 平方公里以上。", 2030, None,
         "到 2030 年，达到海绵城市建设要求的城市建成区面积新增 450 平方公里以上"),
        ("到２０３０年森林覆盖率达到１４．６％。", 2030, None, "到２０３０年森林覆盖率达到１４．６％"),
        ("到二〇三〇年，森林覆盖率达到百分之十四点六。", 2030, None, "到二〇三〇年，森林覆盖率达到百分之十四点六"),
        ("2026年6月底前完成排查。", 2026, "2026-06-30", "2026年6月底前完成排查"),
        ("力争2027年底前全面完成整治。", 2027, "2027-12-31", "力争2027年底前全面完成整治"),
        ("2026年启动试点，年底前完成验收。", 2026, "2026-12-31", "年底前完成验收"),
        ("2028年中期评估时调整目标。", 2028, None, "2028年中期评估时调整目标"),
        ("二〇二六年六月底前建成平台。", 2026, "2026-06-30", "二〇二六年六月底前建成平台"),
    ],
)
def test_explicit_deadlines(text: str, year: int, date: str | None, quote: str) -> None:
    found = extract_deadline(text, horizon=HORIZON)
    assert found == Deadline(year=year, date=date, source="explicit", quote=quote)
    assert quote in text


def test_the_latest_explicit_year_is_the_clause_deadline() -> None:
    text = "到2030年，经济社会发展全面绿色转型成效显著。到 2035 年，绿色生产生活方式广泛形成，美丽上海总体建成。"
    assert [d.year for d in explicit_deadlines(text)] == [2030, 2035]
    assert extract_deadline(text, horizon=HORIZON) == Deadline(2035, None, "explicit", "到 2035 年，绿色生产生活方式广泛形成")


def test_milestone_list_is_quoted_from_its_first_year() -> None:
    text = "市生态环境局会同相关部门在2028年、2030年度分别进行中期评估和总结评估。"
    assert extract_deadline(text, horizon=HORIZON) == Deadline(
        2030, None, "explicit", "在2028年、2030年度分别进行中期评估和总结评估"
    )
    assert find_milestones(text) == [2028, 2030]
    assert find_milestones("到2030年森林覆盖率达到14.6%。") == []


def test_inherited_from_horizon_or_milestones_else_none() -> None:
    text = "健全碳排放双控制度体系。"
    assert extract_deadline(text, horizon=HORIZON) == Deadline(2030, None, "inherited", None)
    assert extract_deadline(text, milestones=[2028, 2030]) == Deadline(2030, None, "inherited", None)
    assert extract_deadline(text) is None
    assert extract_deadline("", horizon=HORIZON) == Deadline(2030, None, "inherited", None)


@pytest.mark.parametrize(
    "text",
    [
        "本条例自2019年7月1日起施行。",
        "2001年7月13日上海市第十一届人民代表大会常务委员会第二十九次会议通过的《办法》同时废止。",
        "单位生产总值能耗比2020年下降14%。",
        "较2020年水平提高一倍。",
        "深入实施《上海市生物多样性保护战略与行动计划（2023—2035 年）》。",
        "对2005年4月1日前已经终止的单位未处置的工业固体废物进行安全处置。",
        "2015年以来，生态环境质量持续改善。",
        "每年年底前报送年度报告。",
        "开展第二次土壤污染状况普查。",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert explicit_deadlines(text) == []
    assert extract_deadline(text) is None


def test_sentence_years_govern_forward_to_the_sentence_end() -> None:
    text = "完成造林 2 万亩，到 2030 年森林覆盖率达到 14.6%。完成公益林抚育 20 万亩。"
    spans = sentence_years(text)
    assert len(spans) == 1
    start, end, year = spans[0]
    assert (text[start:end], year) == ("到 2030 年森林覆盖率达到 14.6%", 2030)
    assert year_at(spans, text.index("森林")) == 2030
    assert year_at(spans, text.index("造林")) is None
    assert year_at(spans, text.index("公益林")) is None


def test_a_later_marker_takes_over_in_the_same_sentence() -> None:
    text = "到2025年，绿地率达到40%，到2030年达到45%。"
    spans = sentence_years(text)
    assert year_at(spans, text.index("40")) == 2025
    assert year_at(spans, text.index("45")) == 2030


@pytest.mark.parametrize(
    ("title", "horizon"),
    [
        ("美丽上海建设“十五五”规划（征求意见稿）", (2026, 2030)),
        ("上海市生态环境保护“十四五”规划", (2021, 2025)),
        ("某某规划（2021—2025年）", (2021, 2025)),
        ("上海市大气污染防治条例", None),
    ],
)
def test_plan_horizon(title: str, horizon: tuple[int, int] | None) -> None:
    assert plan_horizon(title) == horizon


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789２０二〇三年月日底前到至在于，。、度中期评估完成比自起《》（—） ")), max_size=200))
def test_never_raises_and_quotes_are_substrings(text: str) -> None:
    found = extract_deadline(text, horizon=HORIZON, milestones=(2028,))
    assert found is not None
    assert found.quote is None or found.quote in text
    for start, end, _ in sentence_years(text):
        assert 0 <= start <= end <= len(text)


def test_fast_on_long_junk() -> None:
    junk = "到2030年" * 5000 + " " * 50000 + "二〇" * 20000 + "2026年，年底前" * 3000
    started = time.perf_counter()
    extract_deadline(junk, horizon=HORIZON)
    sentence_years(junk)
    assert time.perf_counter() - started < 5.0


# --- the annotated plan and laws ------------------------------------------------------------------


def clauses_of(doc_id: str, rel: str, kind: str | None = None) -> dict[str, Clause]:
    parsed = parse_document(read_file(ROOT / "corpus" / rel).text, doc_id, kind=kind)
    return {c.id: c for c in parsed.clauses}


def test_annotated_plan_deadlines() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    doc = gold["document"]
    clauses = clauses_of(doc["id"], f"plan/{doc['id']}.md", "规划")
    plan_text = "\n".join(c.full_text for c in clauses.values())
    assert find_milestones(plan_text) == doc["milestones"]
    correct = explicit_ok = 0
    for cid, want in gold["deadlines"].items():
        got = extract_deadline(clauses[cid].full_text, horizon=HORIZON, milestones=doc["milestones"])
        assert got is not None
        ok = (got.year, got.source) == (want["year"], want["source"])
        correct += ok
        explicit_ok += ok and want["source"] == "explicit" and want["quote"] in clauses[cid].full_text
    n_explicit = sum(w["source"] == "explicit" for w in gold["deadlines"].values())
    report = f"all {correct}/{len(gold['deadlines'])}, explicit {explicit_ok}/{n_explicit}"
    print(report)
    assert correct / len(gold["deadlines"]) >= 0.95, report
    assert explicit_ok / n_explicit >= 0.95, report


def test_annotated_law_articles_have_no_deadline() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for art in gold["laws"]["articles"]:
        doc_id = art["clause_id"].split("/", 1)[0]
        clause = clauses_of(doc_id, f"laws/{doc_id}.md")[art["clause_id"]]
        assert extract_deadline(clause.full_text) is None, art["clause_id"]
