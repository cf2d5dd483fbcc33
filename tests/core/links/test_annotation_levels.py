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
