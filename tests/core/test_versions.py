"""Versions of a document: detection (征求意见稿 → 正式稿, a law's later version), links in the user DB with
the user's verdict, and default search showing only the current version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core import filters, versions
from app.core.library import Library
from app.core.models import Document
from app.core.userdata.versions import CONFIRMED, REJECTED, SUGGESTED, VersionLink
from tests.core.versions_fixtures import DATA, FINAL, LAW_NEW, LAW_OLD, PLAN, copy_sources, versions_dir, vlib

__all__ = ["versions_dir", "vlib"]  # fixtures used here

ONLY_IN_OLD_PLAN = '"低扰动低成本管控修复技术"'  # the task the 正式稿 deleted
ONLY_IN_OLD_LAW = '"转承包经营"'  # 第三十条, deleted in 2024


def _links(lib: Library) -> dict[tuple[str, str], VersionLink]:
    return {(k.old_id, k.new_id): k for k in lib.version_links()}


def test_the_final_plan_and_the_later_law_are_detected(vlib: Library) -> None:
    links = _links(vlib)
    plan = links[(PLAN, FINAL)]
    assert (plan.method, plan.state, plan.certain, plan.active) == ("stage", SUGGESTED, True, True)
    assert plan.overlap is not None and plan.overlap > 0.9
    assert plan.state_label == "自动识别" and plan.new_title == "美丽上海建设“十五五”规划"
    law = links[(LAW_OLD, LAW_NEW)]
    assert (law.method, law.certain, law.overlap) == ("same_title", True, None)
    assert set(links) == {(PLAN, FINAL), (LAW_OLD, LAW_NEW)}  # nothing else of the corpus is a version


def test_an_unrelated_document_is_not_a_version(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    shutil.copy(DATA / "law_code.md", folder / "示例法典.md")
    text = (DATA / "plan.md").read_text(encoding="utf-8").replace("美丽上海建设“十五五”规划", "美丽乡村建设“十五五”规划", 1)
    (folder / "another-plan.md").write_text(text.replace("\n(征求意见稿)\n", "\n"), encoding="utf-8")
    library.index([folder])
    assert library.version_links() == []


def test_detection_runs_once_and_keeps_the_users_verdict(vlib: Library) -> None:
    assert vlib.detect_versions() == []  # already recorded at the refresh that added the files
    vlib.set_version_state(PLAN, FINAL, REJECTED)
    assert vlib.detect_versions() == []
    assert _links(vlib)[(PLAN, FINAL)].state == REJECTED


def test_default_search_shows_the_current_version_only(vlib: Library) -> None:
    for query, old in ((ONLY_IN_OLD_PLAN, PLAN), (ONLY_IN_OLD_LAW, LAW_OLD)):
        assert vlib.search(query).total == 0, query
        shown = vlib.search(query, all_versions=True)
        assert shown.total >= 1 and {h.doc_id for h in shown.hits} == {old}
    hits = vlib.search('"强化土壤和地下水污染源头防控"').hits  # in both versions: the new one only
    assert {h.doc_id for h in hits} == {FINAL}
    both = vlib.search('"强化土壤和地下水污染源头防控"', all_versions=True).hits
    assert {h.doc_id for h in both} == {PLAN, FINAL}


def test_rejecting_a_link_shows_the_old_version_again_and_reset_hides_it(vlib: Library) -> None:
    vlib.set_version_state(PLAN, FINAL, REJECTED)
    assert vlib.search(ONLY_IN_OLD_PLAN).total >= 1
    assert PLAN not in vlib._superseded(vlib.documents())
    vlib.set_version_state(PLAN, FINAL, SUGGESTED)  # undo: certain again, hidden again
    assert vlib.search(ONLY_IN_OLD_PLAN).total == 0
    vlib.set_version_state(LAW_OLD, LAW_NEW, REJECTED)  # a law the title rule would hide
    assert vlib.search(ONLY_IN_OLD_LAW).total >= 1


def test_indicators_and_departments_list_the_current_version_only(library: Library, tmp_path: Path) -> None:
    """指标 and 部门 (and `policydesk indicators` / `departments`) leave out what default search hides: the
    征求意见稿 once its 正式稿 is in the library, unless all_versions; rejecting the link shows it again."""
    library.index([copy_sources(tmp_path / "added", ("plan-final.md",))])
    old, new = f"{PLAN}/四/（五）/2", f"{FINAL}/五/（五）/2"  # 生活垃圾回收利用率 50% → 55%

    def waste(**kw: bool) -> list[tuple[str, float]]:
        return [(r["clause"], r["value"]) for r in library.indicator_rows(**kw) if r["name"] == "生活垃圾回收利用率"]

    def led(**kw: bool) -> set[str]:
        [dept] = library.department_clauses("市绿化市容局", **kw)
        return {c["id"] for c in dept["lead"]} & {old, new}

    assert waste() == [(new, 55.0)]
    assert led() == {new}
    assert waste(all_versions=True) == [(old, 50.0), (new, 55.0)]
    assert led(all_versions=True) == {old, new}
    assert not any(r["clause"].startswith(PLAN + "/") for r in library.indicator_rows())
    assert not any(c["id"].startswith(PLAN + "/") for d in library.department_clauses() for c in d["lead"])
    library.set_version_state(PLAN, FINAL, REJECTED)  # not the same document after all: both list again
    assert waste() == [(old, 50.0), (new, 55.0)]
    assert led() == {old, new}


def test_law_behaviour_is_unchanged_without_user_links(vlib: Library) -> None:
    docs = vlib.documents()
    hidden = set(vlib._superseded(docs))
    assert set(filters.superseded(docs)) <= hidden
    assert hidden - set(filters.superseded(docs)) == {PLAN}  # the only addition: the draft of the plan
    assert versions.hidden(docs, []) == filters.superseded(docs)


def test_confirming_an_unsuggested_pair_links_it_by_hand(vlib: Library) -> None:
    link = vlib.set_version_state(LAW_OLD, FINAL, CONFIRMED)
    assert (link.method, link.state, link.active) == ("manual", CONFIRMED, True)
    assert vlib.version_chain(LAW_OLD) == ([], [LAW_NEW, FINAL])
    assert vlib.version_chain(FINAL) == ([PLAN, LAW_OLD], [])
    from app.core.errors import NotFoundError, PolicyDeskError

    with pytest.raises(NotFoundError):
        vlib.set_version_state(LAW_NEW, PLAN, REJECTED)  # nothing to reject
    with pytest.raises(PolicyDeskError):
        vlib.set_version_state(PLAN, PLAN, CONFIRMED)


@pytest.mark.parametrize(("title", "key"), [
    ("美丽上海建设“十五五”规划（征求意见稿）", '美丽上海建设"十五五"规划'),
    ("中华人民共和国海洋环境保护法（2017年修正）", "海洋环境保护法"),
    ("上海市某某条例（修订草案征求意见稿）", "上海市某某条例"),
    ("上海市某某条例草案", "上海市某某条例"),
    ("某某规划（2021—2025年）", "某某规划(2021—2025年)"),  # another period: another document
    ("某某办法（试行）", "某某办法(试行)"),
])
def test_base_title(title: str, key: str) -> None:
    assert versions.base_title(title) == key


def test_stages_order_drafts_before_the_final_text() -> None:
    def doc(title: str, status: str = "") -> Document:
        return Document(id=title, title=title, kind="规划", status=status)

    ranks = [versions.stage(doc(t))[0] for t in ("某规划（讨论稿）", "某规划（征求意见稿）", "某规划（送审稿）", "某条例（草案）",
                                                  "某规划")]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5
    assert versions.stage(doc("某规划", status="征求意见稿")) == (1, "征求意见稿")
    found = versions.candidates([doc("某规划"), doc("某规划（送审稿）"), doc("某规划（征求意见稿）")])
    assert [(c.old.title, c.new.title, c.method) for c in found] == [
        ("某规划（征求意见稿）", "某规划（送审稿）", "stage"), ("某规划（送审稿）", "某规划", "stage")]
    same = versions.candidates([doc("某规划（征求意见稿）"), doc("某规划(征求意见稿)")])
    assert same == []  # two copies of one stage: not ordered
