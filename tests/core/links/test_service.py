"""The Linker: which extractor applies to which clause, the inherited horizon, and the links' JSON form."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

import pytest

from app.core.links.service import KB_FILE, LINKS_VERSION, ClauseLinks, Linker, _horizon, _since, dumps, loads
from app.core.models import Deadline, DepartmentLink, Document, Indicator
from app.core.structure import parse_document

RESOURCES = Path(__file__).resolve().parents[3] / "resources"

PLAN = """# 某区绿色发展实施方案（2026—2030年）
一、发展基础
“十四五”期间，全区已建成绿道100公里。
二、主要任务
（一）推进绿化建设
**建设绿道网络。**到2028年，新建绿道50公里，森林覆盖率达到20%以上。（责任单位：市绿化市容局、市规划资源局）
**削减挥发性有机物。**推进VOCs综合治理。
"""
LAW = """第一条 为了保护环境，制定本条例。
第二条 市生态环境局负责本市环境保护工作，市发展改革委配合做好相关工作。
"""


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(RESOURCES)


def test_constants() -> None:
    assert (RESOURCES / KB_FILE).is_file()
    assert LINKS_VERSION.isdigit()


def test_clause_links_json_round_trip() -> None:
    links = ClauseLinks(
        departments=(DepartmentLink("市水务局", "lead", "explicit", 1.0, "市水务局负责"),
                     DepartmentLink("市生态环境局", "support", "inferred", 0.4, "水质")),
        indicators=(Indicator("森林覆盖率", 20.0, "%", ">=", 2028, "森林覆盖率达到20%"),
                    Indicator("PM2.5浓度", 22.0, "微克/立方米", "<=", None, "PM2.5浓度控制在22微克/立方米")),
        deadline=Deadline(2030, None, "inherited", None),
        suggestions=(DepartmentLink("市绿化市容局", "suggested", "inferred", 0.1, "绿化"),),
    )
    assert loads(dumps(links)) == links
    assert ClauseLinks.from_json(json.loads(dumps(links))) == links
    assert links.years == (2028, 2030)
    assert links.lead_names() == ("市水务局",)
    assert "suggestions" not in ClauseLinks().to_json()  # only written when there are some
    assert loads(None) == ClauseLinks() and loads("") == ClauseLinks()
    assert ClauseLinks().years == () and ClauseLinks().to_json()["deadline"] is None
    # Stored JSON is what dataclasses.asdict gives, field for field and in field order
    data = links.to_json()
    assert list(data["indicators"][0]) == [f.name for f in fields(Indicator)]
    assert data == {"departments": [asdict(d) for d in links.departments],
                    "indicators": [asdict(i) for i in links.indicators],
                    "deadline": asdict(links.deadline) if links.deadline else None,
                    "suggestions": [asdict(d) for d in links.suggestions]}


def test_horizon_and_since() -> None:
    plan = Document(id="p", title="美丽上海建设“十五五”规划", kind="规划")
    assert _horizon(plan, True) == (2026, 2030)
    assert _horizon(plan, False) is None  # only plans have a period
    given = Document(id="p", title="x", kind="", meta={"horizon": [2024, 2025]})
    assert _horizon(given, False) == (2024, 2025)
    assert _since(plan, (2026, 2030)) == 2026
    assert _since(Document(id="l", title="x", kind="", date="2021-11-25"), None) == 2021
    assert _since(Document(id="l", title="x", kind=""), None) is None


def test_plan_links(linker: Linker) -> None:
    parsed = parse_document(PLAN, "d", kind="规划")
    doc = Document(id="d", title=parsed.title, kind="规划")
    out = linker.link_document(doc, parsed.clauses)
    # Clauses with text, and tasks; empty headings get no links.
    assert sorted(out) == ["d/一", "d/二/（一）/1", "d/二/（一）/2"]
    review = out["d/一"]  # 发展基础 reports results: no targets, no deadline
    assert review.indicators == () and review.deadline is None
    task = out["d/二/（一）/1"]
    assert [(d.name, d.role, d.source) for d in task.departments] == [
        ("市绿化市容局", "lead", "explicit"), ("市规划资源局", "support", "explicit")]  # the annotation
    assert [(i.name, i.value, i.unit, i.deadline) for i in task.indicators] == [
        ("新建绿道长度", 50.0, "公里", 2028), ("森林覆盖率", 20.0, "%", 2028)]
    assert task.deadline is not None and (task.deadline.year, task.deadline.source) == (2028, "explicit")
    plain = out["d/二/（一）/2"]  # names no department: an inferred lead, the period's end as deadline
    assert plain.departments and all(d.source == "inferred" for d in plain.departments)
    assert plain.deadline == Deadline(2030, None, "inherited", None)


def test_law_links_are_explicit_only(linker: Linker) -> None:
    parsed = parse_document(LAW, "law")
    doc = Document(id="law", title="上海市某条例", kind="地方性法规", date="2024-06-01")
    out = linker.link_document(doc, parsed.clauses)
    assert out["law/第一条"] == ClauseLinks()
    assert [(d.name, d.role, d.source) for d in out["law/第二条"].departments] == [
        ("市生态环境局", "lead", "explicit"), ("市发展改革委", "support", "explicit")]
    assert out["law/第二条"].deadline is None  # a law without dates inherits none


def test_plan_flag_overrides_the_kind(linker: Linker) -> None:
    parsed = parse_document(PLAN, "d", kind="规划")
    doc = Document(id="d", title=parsed.title, kind="其他")
    as_plan = linker.link_document(doc, parsed.clauses, plan=True)
    as_text = linker.link_document(doc, parsed.clauses)
    assert as_plan["d/二/（一）/2"].deadline == Deadline(2030, None, "inherited", None)
    assert as_text["d/二/（一）/2"].deadline is None and as_text["d/二/（一）/2"].departments == ()
