"""The version methods of the facade (app.core.library_versions.VersionsMixin) on the shipped corpus plus a 正式稿
of the plan and two versions of a law: links, their states, chains, comparison, carry-over and the 新旧对照表."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as open_docx

from app.core.compare import Comparison
from app.core.errors import NotFoundError, PolicyDeskError
from app.core.library import Library
from app.core.paths import AppPaths
from app.core.userdata.versions import CONFIRMED, REJECTED, SUGGESTED
from tests.core.versions_fixtures import FINAL, LAW_NEW, LAW_OLD, PLAN, versions_dir, vlib

__all__ = ["versions_dir", "vlib"]  # fixtures used here


def test_no_clause_db_means_no_links(tmp_path: Path) -> None:
    lib = Library(AppPaths.resolve(tmp_path / "empty"))
    try:
        assert lib.detect_versions() == [] and lib.version_links() == []
        assert lib.version_chain("anything") == ([], [])
    finally:
        lib.close()


def test_links_are_recorded_once_and_listed_without_detecting(vlib: Library) -> None:
    listed = vlib.version_links(detect=False)
    assert {(k.old_id, k.new_id) for k in listed} == {(PLAN, FINAL), (LAW_OLD, LAW_NEW)}
    assert vlib.detect_versions() == [] and vlib.version_links() == listed


def test_set_version_state_and_its_errors(vlib: Library) -> None:
    link = vlib.set_version_state(PLAN, FINAL, CONFIRMED)
    assert (link.old_id, link.new_id, link.state, link.method) == (PLAN, FINAL, CONFIRMED, "stage")
    assert vlib.set_version_state(PLAN, FINAL, SUGGESTED).state == SUGGESTED
    with pytest.raises(NotFoundError):
        vlib.set_version_state("没有这个文件", FINAL, CONFIRMED)  # a wrong id, before anything is stored
    with pytest.raises(PolicyDeskError, match="未知的版本关联状态"):
        vlib.set_version_state(PLAN, FINAL, "maybe")
    assert {k.state for k in vlib.version_links(detect=False)} == {SUGGESTED}


def test_chains_and_the_hidden_set(vlib: Library) -> None:
    assert vlib.version_chain(PLAN) == ([], [FINAL]) and vlib.version_chain(FINAL) == ([PLAN], [])
    assert vlib.version_chain(LAW_NEW) == ([LAW_OLD], [])
    assert set(vlib._superseded(vlib.documents())) >= {PLAN, LAW_OLD}
    vlib.set_version_state(PLAN, FINAL, REJECTED)
    assert vlib.version_chain(PLAN) == ([], []) and PLAN not in vlib._superseded(vlib.documents())


def test_compare(vlib: Library) -> None:
    cmp = vlib.compare(PLAN, FINAL)
    assert isinstance(cmp, Comparison) and (cmp.old_doc.id, cmp.new_doc.id) == (PLAN, FINAL)
    assert len(cmp.changed()) == 13 and cmp.summary["unchanged"] > 0
    assert any(c.name == "生活垃圾回收利用率" for c in cmp.changes)  # links read from each version's text
    with pytest.raises(PolicyDeskError, match="两个不同的文件"):
        vlib.compare(PLAN, PLAN)
    with pytest.raises(NotFoundError):
        vlib.compare(PLAN, "没有这个文件")


def test_carry_over_moves_a_task_to_the_new_version(vlib: Library) -> None:
    task = vlib.desk.bookmark(f"{PLAN}/二/（一）", note="跟进")
    report = vlib.carry_over(PLAN, FINAL)
    assert (report.old_doc_id, report.new_doc_id) == (PLAN, FINAL)
    (moved,) = [t for t in vlib.user.list_tasks() if t.id == task.id]
    assert moved.clause_id == f"{FINAL}/二/（一）" and moved.note == "跟进"
    assert sum(report.counts.get("task", {}).values()) == 1


def test_export_comparison(vlib: Library, tmp_path: Path) -> None:
    cmp = vlib.compare(LAW_OLD, LAW_NEW)
    res = vlib.export_comparison(cmp, tmp_path / "对照", fmt="word")
    assert res.path == tmp_path / "对照.docx" and res.format == "docx" and res.count == len(cmp.changed())
    assert open_docx(str(res.path)).paragraphs[0].text == "《上海市音像制品管理条例》新旧对照表"
    again = vlib.export_comparison(cmp, tmp_path / "对照.docx", include_unchanged=True)
    assert again.path.name == "对照(2).docx" and again.count == len(cmp.pairs)
