"""An annotation's units keep the level the document wrote: the knowledge base knows one city's departments."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.links.departments import DepartmentKB, annotated_departments

RESOURCES = Path(__file__).resolve().parents[3] / "resources"


@pytest.fixture(scope="module")
def kb() -> DepartmentKB:
    return DepartmentKB.load(RESOURCES / "departments.json")


def _names(text: str, kb: DepartmentKB) -> list[tuple[str, str]]:
    return [(d.name, d.role) for d in annotated_departments(text, kb)[0]]


def test_a_province_unit_is_not_mapped_to_the_city_department(kb: DepartmentKB) -> None:
    got = _names("建设乡镇商贸中心。（牵头单位：省商务厅；配合单位：省财政厅、省供销社）", kb)
    assert got == [("省商务厅", "lead"), ("省财政厅", "support"), ("省供销社", "support")]


def test_city_abbreviations_still_resolve_to_the_knowledge_base(kb: DepartmentKB) -> None:
    got = dict(_names("推进产业链协同。（责任单位：市发改委、市经信委）", kb))
    assert got == {"市发展改革委": "lead", "市经济信息化委": "support"}


def test_national_units_stay_national(kb: DepartmentKB) -> None:
    got = _names("完善碳市场。（责任单位：生态环境部、国家发展改革委）", kb)
    assert [n for n, _ in got] == ["生态环境部", "国家发展改革委"]


def test_units_of_other_kinds_of_bodies_are_read(kb: DepartmentKB) -> None:
    got = _names("推进供销网络建设。\n牵头单位：省供销社；配合单位：省气象台、县农技推广站、市图书馆", kb)
    assert got == [("省供销社", "lead"), ("省气象台", "support"), ("县农技推广站", "support"), ("市图书馆", "support")]


PLAN = """滨海市推进数字化转型实施方案

一、重点任务
（一）推进数字化转型
1.加快智能工厂建设。分行业制定实施路径。
（1）支持龙头企业建设智能工厂。到2025年，累计建成市级智能工厂100家。
（2）推动中小企业上云。每年推动5000家中小企业上云。
（3）建设工业互联网平台。培育行业平台15个。
（责任单位：市经济信息化委、市通信管理局、各区政府）
2.夯实数字基础设施。新建5G基站1万个。
（1）建设5G网络。（责任单位：市通信管理局）
（2）建设数据中心。
（责任单位：市发展改革委）
二、保障措施
（一）加强组织领导
各区要建立工作机制。
"""


def _links() -> dict[str, list[tuple[str, str, str]]]:
    from app.core.links.service import Linker
    from app.core.models import Document
    from app.core.structure import parse_document

    parsed = parse_document(PLAN, "p")
    links = Linker(RESOURCES).link_document(Document(id="p", title=parsed.title, kind="规划"), parsed.clauses)
    return {c.id: [(d.name, d.role, d.source) for d in links[c.id].departments if d.role != "mentioned"]
            for c in parsed.clauses if c.id in links}


def test_an_annotation_closing_a_run_of_sub_items_belongs_to_their_item() -> None:
    got = _links()
    item = got["p/一/（一）/1"]
    assert item[0] == ("市经济信息化委", "lead", "explicit") and ("市通信管理局", "support", "explicit") in item
    for sub in ("（1）", "（2）", "（3）"):
        assert got[f"p/一/（一）/1/{sub}"][0] == ("市经济信息化委", "lead", "explicit")


def test_sub_items_with_their_own_annotations_keep_them() -> None:
    got = _links()
    assert got["p/一/（一）/2/（1）"][0] == ("市通信管理局", "lead", "explicit")
    assert got["p/一/（一）/2/（2）"][0] == ("市发展改革委", "lead", "explicit")  # not hoisted: a sibling has its own


SECTION_ITEMS = """某区推进充电设施建设实施方案

一、重点任务
（一）完善充电网络
1．建设公共充电设施。2026年新建公共充电桩1500个。
2．推进居住区充电桩建设。既有小区每年改造充电车位500个。
（责任单位：区发展改革委、区房管局）
二、保障措施
（一）加强组织领导
成立工作领导小组。
"""


def test_after_the_last_item_of_a_section_the_annotation_is_that_items_own() -> None:
    from app.core.links.service import Linker
    from app.core.models import Document
    from app.core.structure import parse_document

    parsed = parse_document(SECTION_ITEMS, "s")
    links = Linker(RESOURCES).link_document(Document(id="s", title=parsed.title, kind="规划"), parsed.clauses)
    second = [(d.name, d.source, d.confidence) for d in links["s/一/（一）/2"].departments if d.role == "lead"]
    first = [d for d in links["s/一/（一）/1"].departments if d.source == "explicit"]
    assert second and second[0][1:] == ("explicit", 1.0)
    assert not first  # item 1 does not inherit item 2's annotation
