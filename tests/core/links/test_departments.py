"""Department links: knowledge base, explicit mentions with roles, inference, and agreement with the gold file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import PolicyDeskError
from app.core.links.departments import DepartmentKB, find_mentions, infer_departments, link_departments
from app.core.models import Clause, DepartmentLink
from app.core.read import read_file
from app.core.structure import parse_document

ROOT = Path(__file__).resolve().parents[3]
KB_PATH = ROOT / "resources" / "departments.json"
GOLD_PATH = ROOT / "tests" / "data" / "departments-gold.json"
LEVELS = {"国家", "市", "区", "区域", "国际"}
ROLES = {"lead", "support", "mentioned", "suggested"}  # suggested: an inference below the floor
DISTRICTS = [
    "浦东新",
    "黄浦",
    "徐汇",
    "长宁",
    "静安",
    "普陀",
    "虹口",
    "杨浦",
    "闵行",
    "宝山",
    "嘉定",
    "金山",
    "松江",
    "青浦",
    "奉贤",
    "崇明",
]


@cache
def kb() -> DepartmentKB:
    return DepartmentKB.load(KB_PATH)


@cache
def raw_kb() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(KB_PATH.read_text(encoding="utf-8"))
    return data


@cache
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    return data


@cache
def document_clauses(doc_id: str) -> dict[str, Clause]:
    """One corpus document parsed the way the app parses it, keyed by clause id."""
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["id"] == doc_id)
    parsed = parse_document(read_file(ROOT / "corpus" / entry["file"]).text, doc_id, kind=entry.get("kind"))
    return {c.id: c for c in parsed.clauses}


def clause(clause_id: str) -> Clause:
    return document_clauses(clause_id.split("/")[0])[clause_id]


def roles(text: str) -> dict[str, str]:
    return {d.name: d.role for d in find_mentions(text, kb())}


# --- knowledge base ------------------------------------------------------------------------------------


def test_kb_shape() -> None:
    data = raw_kb()
    assert {"about", "version", "generic_actors", "entries"} <= data.keys()
    names = [e["canonical"] for e in data["entries"]]
    assert len(names) == len(set(names))
    assert {e["level"] for e in data["entries"]} <= LEVELS
    assert all(g["level"] == "泛指" for g in data["generic_actors"])
    by_name = {e["canonical"]: e for e in data["entries"]}
    for e in data["entries"]:
        assert e.get("district") is None or by_name[e["district"]]["level"] == "区"
        assert e.get("counterpart") is None or by_name[e["counterpart"]]["level"] == "市"
    assert all(f"{d}区人民政府" in by_name for d in DISTRICTS)
    city = [e for e in data["entries"] if e["level"] == "市" and e["duties"]]
    assert len(city) >= 40 and len(kb().entries) == len(names)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("市发改委", "市发展改革委"),
        ("市发展改革委", "市发展改革委"),
        ("上海市发展和改革委员会", "市发展改革委"),
        ("市生态环境部门", "市生态环境局"),
        ("市生态环境行政主管部门", "市生态环境局"),
        ("区生态环境部门", "区生态环境部门"),
        ("区环保部门", "区生态环境部门"),
        ("市林业局", "市绿化市容局"),
        ("市海洋局", "市水务局"),
        ("市委金融办", "市地方金融管理局"),
        ("长三角生态绿色一体化发展示范区执行委员会", "一体化示范区执委会"),
        ("国务院生态环境主管部门", "生态环境部"),
        ("国家发改委", "国家发展改革委"),
        ("浦东新区人民政府", "浦东新区人民政府"),
        ("联合国环境规划署", "联合国环境规划署"),
    ],
)
def test_aliases_and_descriptors_resolve(name: str, canonical: str) -> None:
    assert kb().canonical(name) == canonical
    assert not kb().is_generic(name)


def test_unknown_names_do_not_resolve() -> None:
    assert kb().canonical("某某局") is None
    assert kb().canonical("") is None
    assert kb().entry("市生态环境局") is not None and kb().entry("各区") is None


def test_load_errors_are_policydesk_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyDeskError):
        DepartmentKB.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PolicyDeskError):
        DepartmentKB.load(bad)


# --- explicit mentions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市绿化市容部门负责本市生活垃圾管理工作的组织、协调、指导和监督。", {"市绿化市容局": "lead"}),
        ("市绿化行政管理部门主管本市公园管理工作。", {"市绿化市容局": "lead"}),
        ("市发展改革部门牵头制定政策。", {"市发展改革委": "lead"}),
        ("市生态环境行政主管部门对本市大气污染防治实施统一监督管理。", {"市生态环境局": "lead"}),
        (
            "由市发展改革行政管理部门会同市财政等有关行政管理部门提出方案，报市人民政府批准后执行。",
            {"市发展改革委": "lead", "市财政局": "support", "市人民政府": "mentioned"},
        ),
        ("市房屋管理部门配合做好相关工作。", {"市房屋管理局": "support"}),
        (
            "市和区财政、气象等部门在各自职责范围内协同实施本条例。",
            {"市财政局": "support", "市气象局": "support"},
        ),
        ("乡镇人民政府可以在区生态环境部门的指导下进行协调。", {"区生态环境部门": "mentioned"}),
        ("违反规定的，由城管执法部门责令改正。", {"市城管执法局": "mentioned"}),
    ],
)
def test_roles(text: str, expected: dict[str, str]) -> None:
    got = roles(text)
    assert {k: got.get(k) for k in expected} == expected


def test_mentions_are_explicit_with_matched_evidence() -> None:
    text = "上海市水务局（以下简称市水务局）是本市供水行政主管部门，负责本条例的组织实施。"
    links = find_mentions(text, kb())
    assert [(d.name, d.role, d.source, d.confidence) for d in links] == [
        ("市水务局", "lead", "explicit", 1.0)
    ]
    assert links[0].evidence in text


def test_enumeration_with_shared_suffix_expands() -> None:
    got = roles(
        "市和区发展改革、经济信息化、规划资源管理部门、交通行政管理部门负责能源结构调整、产业结构调整工作。"
    )
    pairs = [
        ("发展改革委", "发展改革部门"),
        ("经济信息化委", "经济信息化部门"),
        ("规划资源局", "规划资源部门"),
    ]
    expected = {f"市{c}": "lead" for c, _ in pairs} | {f"区{d}": "lead" for _, d in pairs}
    assert got == expected | {"市交通委": "lead", "区交通部门": "lead"}
    got = roles("市和区建设、绿化市容、交通、房屋等行政管理部门根据各自职责，对扬尘污染大气实施监督管理。")
    city = {"市住房城乡建设管理委", "市绿化市容局", "市交通委", "市房屋管理局"}
    district = {"区建设管理部门", "区绿化市容部门", "区交通部门", "区房屋管理部门"}
    assert got == dict.fromkeys(city | district, "lead")


def test_historical_names_map_to_successors() -> None:
    got = roles("本市规划国土、质量技术监督、安全监管、卫生计生等相关行政管理部门按照职责分工负责。")
    assert got == dict.fromkeys(["市规划资源局", "市市场监管局", "市应急局", "市卫生健康委"], "lead")


def test_national_descriptors_resolve_by_prefix() -> None:
    got = roles(
        "国务院生态环境主管部门对全国工作实施统一监督管理；地方人民政府生态环境主管部门对本行政区域实施统一监督管理。"
    )
    assert got == {"生态环境部": "lead", "市生态环境局": "lead", "区生态环境部门": "lead"}


def test_generic_actors_stay_generic() -> None:
    text = "各区要把规划纳入本区相关规划。市相关部门要细化落实，鼓励企业和公众参与，街道办事处、乡镇人民政府配合。"
    links = find_mentions(text, kb())
    names = {d.name for d in links}
    assert {"各区", "市相关部门", "企业", "公众", "街道办事处", "乡镇人民政府"} <= names
    assert all(kb().is_generic(d.name) and d.evidence.startswith("泛指") for d in links)
    linked = link_departments(text, "", kb())
    assert all(d.role == "mentioned" for d in linked if kb().is_generic(d.name))
    assert any(d.source == "inferred" for d in linked)  # no department named: suggestions follow


def test_plan_closing_section_names_its_evaluator() -> None:
    c = clause("美丽上海建设十五五规划-征求意见稿/九")
    links = link_departments(c.text, c.heading, kb(), path=c.path)
    assert ("市生态环境局", "lead", "explicit") in [(d.name, d.role, d.source) for d in links]


# --- inference ------------------------------------------------------------------------------------------------


def test_inference_is_labelled_with_duty_evidence() -> None:
    heading = "提升生活垃圾全程分类实效。"
    text = "健全生活垃圾分类长效机制，推进分类投放设施友好化改造。健全可回收物回收体系。"
    links = infer_departments(text, heading, kb())
    assert links and links[0].name == "市绿化市容局" and links[0].role == "lead"
    for d in links:
        assert d.source == "inferred" and 0.0 <= d.confidence <= 1.0 and d.evidence
    entry = kb().entry("市绿化市容局")
    assert entry is not None
    duties = {t.lower() for t in entry.duties}
    assert all(term in duties for term in links[0].evidence.split("、"))


def test_inference_heading_outweighs_text() -> None:
    text = "推进公共领域用车新能源化。"
    assert infer_departments(text, "加强建筑垃圾全过程管理。", kb())[0].name == "市绿化市容局"
    assert infer_departments(text, "", kb())[0].name == "市交通委"


def test_nothing_to_go_on_falls_back_to_the_prior() -> None:
    links = infer_departments("", "", kb())
    assert [(d.name, d.role) for d in links] == [("市生态环境局", "lead")]
    assert links[0].confidence < 0.5


# --- agreement with the gold annotations ----------------------------------------------------------------------


def _explicit_scores(articles: list[dict[str, Any]]) -> tuple[float, float, float]:
    tp = fp = fn = same_role = 0
    for a in articles:
        pred = {
            d.name: d.role
            for d in find_mentions(clause(a["id"]).full_text, kb())
            if not kb().is_generic(d.name)
        }
        want: dict[str, str] = a["departments"]
        tp += len(pred.keys() & want.keys())
        fp += len(pred.keys() - want.keys())
        fn += len(want.keys() - pred.keys())
        same_role += sum(pred[n] == want[n] for n in pred.keys() & want.keys())
    return tp / max(1, tp + fp), tp / max(1, tp + fn), same_role / max(1, tp)


@pytest.mark.parametrize("heldout", [False, True], ids=["design", "heldout"])
def test_explicit_mentions_match_gold(heldout: bool) -> None:
    articles = [a for a in gold()["law_articles"] if a.get("heldout", False) == heldout]
    assert len(articles) >= 20
    precision, recall, role_accuracy = _explicit_scores(articles)
    assert precision >= 0.9 and recall >= 0.9
    assert role_accuracy >= 0.85


def test_plan_lead_agreement() -> None:
    tasks = gold()["plan_tasks"]
    assert len(tasks) == 44
    agree = 0
    for t in tasks:
        c = clause(t["id"])
        assert c.level == "task" and c.heading == t["heading"]
        links = link_departments(c.text, c.heading, kb(), path=c.path)
        lead = next((d.name for d in links if d.role == "lead" and not kb().is_generic(d.name)), None)
        agree += lead in [t["lead"], *t["alternatives"]]
    assert agree / len(tasks) >= 0.8


def test_gold_names_exist_in_kb() -> None:
    names = {e.canonical for e in kb().entries}
    for a in gold()["law_articles"]:
        assert set(a["departments"]) <= names, a["id"]
        assert all(kb().is_generic(g) for g in a.get("generic", {})), a["id"]
    for t in gold()["plan_tasks"]:
        assert {t["lead"], *t["alternatives"], *t["supports"]} <= names, t["id"]


# --- robustness ------------------------------------------------------------------------------------------------------

_junk = st.text(
    alphabet=st.sampled_from(
        list("市区和、等部门局委会同负责配合协同（）()。；，\n生态环境发展改革水务绿化市容x1 ")
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(
    text=_junk | st.text(max_size=300),
    heading=st.text(max_size=40),
    path=st.lists(st.text(max_size=20), max_size=4),
)
def test_never_raises_on_junk(text: str, heading: str, path: list[str]) -> None:
    for links in (
        find_mentions(text, kb()),
        infer_departments(text, heading, kb(), path=path),
        link_departments(text, heading, kb(), path=path),
    ):
        assert all(
            isinstance(d, DepartmentLink) and d.role in ROLES and 0.0 <= d.confidence <= 1.0 for d in links
        )
    assert kb().canonical(text) is None or isinstance(kb().canonical(text), str)


def test_non_string_input_gives_nothing() -> None:
    assert find_mentions(None, kb()) == []  # type: ignore[arg-type]
    assert isinstance(link_departments(None, None, kb()), list)  # type: ignore[arg-type]
