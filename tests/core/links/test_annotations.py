"""Responsibility annotations （责任单位：…） as the plan's own word on departments, outranking inference."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.links.annotations import find_annotations
from app.core.links.departments import DepartmentKB, link_departments
from app.core.links.service import Linker
from app.core.models import Clause, DepartmentLink, Document

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def kb() -> DepartmentKB:
    return DepartmentKB.load(ROOT / "resources" / "departments.json")


def roles(links: list[DepartmentLink]) -> list[tuple[str, str]]:
    return [(d.name, d.role) for d in links]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "优化公交线网，提高公交分担率。（责任单位：市交通委、市发展改革委、各区政府）",
            [("市交通委", "lead"), ("市发展改革委", "support"), ("各区", "support")],
        ),
        (
            "加强河湖水环境综合治理。（牵头单位：市生态环境局；配合单位：市水务局、市绿化市容局）",
            [("市生态环境局", "lead"), ("市水务局", "support"), ("市绿化市容局", "support")],
        ),
        (
            "深化道路交通秩序整治（市交通委牵头，市公安局、各区政府配合）",
            [("市交通委", "lead"), ("市公安局", "support"), ("各区", "support")],
        ),
        (
            "推进工业园区循环化改造。\n责任部门：市经信委、市发展改革委、区生态环境局",
            [("市经济信息化委", "lead"), ("市发展改革委", "support"), ("区生态环境部门", "support")],
        ),
        (
            "完善生活垃圾分类收运体系。（责任单位：市住房城乡建设管理委、市绿化市容局（牵头）、市有关部门）",
            [("市绿化市容局", "lead"), ("市住房城乡建设管理委", "support"), ("市相关部门", "support")],
        ),
        (
            "开展受污染耕地安全利用（市农业农村委、市生态环境局按职责分工负责）",
            [("市农业农村委", "lead"), ("市生态环境局", "support")],
        ),
        (
            "建设城市绿道。\n牵头单位：市绿化市容局\n配合单位：市规划资源局、各区政府",
            [("市绿化市容局", "lead"), ("市规划资源局", "support"), ("各区", "support")],
        ),
    ],
)
def test_annotation_shapes(kb: DepartmentKB, text: str, expected: list[tuple[str, str]]) -> None:
    links = link_departments(text, "", kb)
    assert roles(links) == expected
    assert all(d.source == "explicit" and d.confidence == 1.0 for d in links)
    assert all(d.evidence in text and ("单位" in d.evidence or "部门" in d.evidence or "牵头" in d.evidence
                                       or "负责" in d.evidence) for d in links)


def test_names_unknown_to_the_knowledge_base_are_kept_as_written(kb: DepartmentKB) -> None:
    links = link_departments("推进智慧港口建设。（责任单位：上港集团、市交通委、临港新片区管委会）", "", kb)
    assert roles(links) == [("上港集团", "lead"), ("市交通委", "support"), ("临港新片区管委会", "support")]


def test_annotation_outranks_inference_and_mentions(kb: DepartmentKB) -> None:
    text = "加强危险废物全过程监管，市生态环境局会同市公安局开展联合执法。（责任单位：市应急局、各区政府）"
    links = link_departments(text, "强化危险废物监管", kb)
    assert roles(links)[:2] == [("市应急局", "lead"), ("各区", "support")]
    rest = links[2:]
    assert rest and all(d.role == "mentioned" and d.source == "explicit" for d in rest)
    assert not any(d.source == "inferred" for d in links)


def test_without_annotation_inference_still_applies(kb: DepartmentKB) -> None:
    links = link_departments("加强危险废物全过程监管，提升危险废物利用处置能力。", "强化危险废物监管", kb)
    assert any(d.source == "inferred" for d in links)


@pytest.mark.parametrize(
    "text",
    [
        "（一）加强生态环境分区管控",
        "到2030年，森林覆盖率达到20%（不含湿地）。",
        "按照《上海市环境保护条例》（2022年修正）的规定执行。",
        "建立健全河长制（湖长制）工作机制",
        "各区政府负责本辖区内的垃圾分类工作。",  # prose, not an annotation
    ],
)
def test_not_annotations(text: str) -> None:
    assert find_annotations(text) == []


def test_plan_item_without_annotation_inherits_its_sections(kb: DepartmentKB) -> None:
    linker = Linker(ROOT / "resources")
    doc = Document(id="p", title="某市交通领域绿色低碳转型实施方案", kind="其他")
    section = Clause("p/1", "p", 1, "section", "（一）", 1, "推进公交优先发展（责任单位：市交通委、各区政府）",
                     ("一、重点任务", "（一）推进公交优先发展（责任单位：市交通委、各区政府）"), "提升公共交通服务水平。")
    own = Clause("p/2", "p", 2, "item", "1", 1, "优化线网", (*section.path, "1.优化线网"),
                 "优化公交线网。（责任单位：市交通委、市规划资源局）", "p/1")
    bare = Clause("p/3", "p", 3, "item", "2", 2, "推广新能源公交", (*section.path, "2.推广新能源公交"),
                  "到2030年，新能源公交车占比达到100%。", "p/1")
    out = linker.link_document(doc, [section, own, bare], plan=True)
    assert roles(list(out["p/2"].departments)) == [("市交通委", "lead"), ("市规划资源局", "support")]
    inherited = out["p/3"].departments
    assert roles(list(inherited)) == [("市交通委", "lead"), ("各区", "support")]
    assert all(d.confidence < 1.0 and d.evidence.startswith("上级条目：") for d in inherited)
    (bus,) = out["p/3"].indicators
    assert (bus.value, bus.deadline) == (100, 2030)


def test_plan_flag_overrides_the_document_kind() -> None:
    linker = Linker(ROOT / "resources")
    doc = Document(id="p", title="关于加快推进垃圾分类的实施方案", kind="其他")
    c = Clause("p/1", "p", 1, "task", "1", 1, "推进生活垃圾分类。", ("推进生活垃圾分类。",),
               "完善生活垃圾分类收运处置体系。")
    assert not any(d.source == "inferred" for d in linker.link_document(doc, [c])["p/1"].departments)
    assert any(d.source == "inferred" for d in linker.link_document(doc, [c], plan=True)["p/1"].departments)
