"""Carrying work over to a new version: tasks on the 征求意见稿 follow their clauses into the 正式稿, and a
review list holds every task whose clause changed or vanished, with the old text and the new text."""

from __future__ import annotations

from pathlib import Path

from app.core import carry
from app.core.anchor import anchor_for
from app.core.library import Library
from app.core.userdata.versions import CONFIRMED, REJECTED
from tests.core.versions_fixtures import DATA, FINAL, PLAN, copy_sources

# old relative id → (new relative id or None, state after the 正式稿 arrives)
BOOKMARKS = {
    "二/（一）": ("二/（一）", "ok"),  # unchanged (same id in the new version: moved to the new doc)
    "三/（一）/1": ("四/（一）/1", "changed"),  # a word changed
    "四/（五）/2": ("五/（五）/2", "changed"),  # targets changed
    "四/（三）/2": (None, "missing"),  # deleted
    "八/（一）/1": ("九/（一）/3", "moved"),  # moved within its section
    "七/（三）/3": ("八/（一）/3", "changed"),  # moved to another section and edited
}


def _bookmark(lib: Library) -> dict[str, str]:
    """Task id → old relative id."""
    out = {}
    for rel in BOOKMARKS:
        t = lib.desk.bookmark(f"{PLAN}/{rel}", note=f"笔记 {rel}")
        out[t.id] = rel
    return out


def _where(lib: Library, tasks: dict[str, str]) -> dict[str, tuple[str, str]]:
    out = {}
    for t in lib.user.list_tasks():
        out[tasks[t.id]] = (t.clause_id, t.anchor_state)
    return out


def test_tasks_follow_the_final_version_with_a_review_list(library: Library, tmp_path: Path) -> None:
    tasks = _bookmark(library)
    library.index([copy_sources(tmp_path / "added", ("plan-final.md",))])  # detected, certain: tasks follow
    where = _where(library, tasks)
    for rel, (new_rel, _state) in BOOKMARKS.items():
        if new_rel is not None:
            assert where[rel][0] == f"{FINAL}/{new_rel}", rel
        else:
            assert where[rel] == (f"{PLAN}/{rel}", "missing")
    report = library.carry_over(PLAN, FINAL)  # nothing left to move; the review list is complete
    review = {r.old_clause_id.split("/", 1)[1] if r.state == "missing" else r.old_clause_id: r for r in report.review}
    states = {r.title: r.state for r in report.review}
    assert states == {"健全碳排放双控制度体系。": "changed", "提升生活垃圾全程分类实效。": "changed",
                      "强化人才队伍建设。": "changed", "推进土壤污染绿色低碳修复。": "missing"}
    waste = next(r for r in report.review if r.title == "提升生活垃圾全程分类实效。")
    assert "达到50%" in waste.old_text and "达到55%" in waste.new_text and waste.new_clause_id == f"{FINAL}/五/（五）/2"
    gone = next(r for r in report.review if r.state == "missing")
    assert gone.new_clause_id is None and "低扰动低成本" in gone.old_text and gone.state_label == "原条款已变更或删除"
    assert review  # keyed for debugging
    # notes and statuses travel with the tasks
    assert {t.note for t in library.user.list_tasks()} == {f"笔记 {rel}" for rel in BOOKMARKS}


def test_a_confirmed_link_drives_carry_over_when_titles_differ(library: Library, tmp_path: Path) -> None:
    """A 正式稿 published under another title (no shared version key): nothing is detected; the user links it
    by hand and the tasks move with a review list."""
    folder = tmp_path / "renamed"
    folder.mkdir()
    text = (DATA / "plan-final.md").read_text(encoding="utf-8")
    (folder / "final-renamed.md").write_text(text.replace("# 美丽上海建设“十五五”规划", "# 上海市生态环境保护规划", 1),
                                             encoding="utf-8")
    tasks = _bookmark(library)
    library.index([folder])
    assert library.version_links() == []
    assert {c for c, _ in _where(library, tasks).values()} == {f"{PLAN}/{rel}" for rel in BOOKMARKS}
    library.set_version_state(PLAN, "final-renamed", CONFIRMED)
    report = library.carry_over(PLAN, "final-renamed")
    assert report.counts["task"] == {"moved": 2, "changed": 3, "missing": 1}
    where = _where(library, tasks)
    assert where["三/（一）/1"] == ("final-renamed/四/（一）/1", "changed")
    assert where["八/（一）/1"] == ("final-renamed/九/（一）/3", "moved")
    assert len([r for r in report.review if r.state in ("changed", "missing")]) == 4
    assert report.summary_line().startswith("任务 6 个：2 个已定位到新版本")
    # a later refresh keeps following the confirmed link (Library.reanchor gets it)
    counts = library.desk.reanchor()
    assert counts.get("missing") == 1
    assert {k: c for k, (c, _) in where.items()} == {k: c for k, (c, _) in _where(library, tasks).items()}
    # the old version is hidden from default search now
    assert library.search('"低扰动低成本管控修复技术"').total == 0


def test_a_refresh_follows_a_confirmed_link(library: Library, tmp_path: Path) -> None:
    """Library.reanchor (every refresh) takes confirmed links as newer versions, whatever the titles."""
    folder = tmp_path / "renamed"
    folder.mkdir()
    text = (DATA / "plan-final.md").read_text(encoding="utf-8")
    (folder / "final-renamed.md").write_text(text.replace("# 美丽上海建设“十五五”规划", "# 上海市生态环境保护规划", 1),
                                             encoding="utf-8")
    tasks = _bookmark(library)
    library.index([folder])
    library.set_version_state(PLAN, "final-renamed", CONFIRMED)
    counts = library.desk.reanchor()
    assert counts == {"moved": 2, "changed": 3, "missing": 1}
    assert _where(library, tasks)["四/（五）/2"] == ("final-renamed/五/（五）/2", "changed")


def test_a_rejected_link_is_never_followed(library: Library, tmp_path: Path) -> None:
    tasks = _bookmark(library)
    library.index([copy_sources(tmp_path / "added", ("plan-final.md",))])
    library.set_version_state(PLAN, FINAL, REJECTED)
    t = library.desk.bookmark(f"{PLAN}/九", note="旧版本上的新任务")
    library.desk.reanchor()
    assert library.user.get_task(t.id).clause_id == f"{PLAN}/九"
    assert len(tasks) == len(BOOKMARKS)


def test_a_task_on_the_new_clause_already_is_not_overwritten(library: Library, tmp_path: Path) -> None:
    library.index([copy_sources(tmp_path / "added", ("plan-final.md",))])
    library.set_version_state(PLAN, FINAL, REJECTED)  # tasks stay put until the user says otherwise
    old = library.desk.bookmark(f"{PLAN}/二/（一）")
    mine = library.desk.bookmark(f"{FINAL}/二/（一）")
    library.set_version_state(PLAN, FINAL, CONFIRMED)
    report = library.carry_over(PLAN, FINAL)
    assert library.user.get_task(old.id).clause_id == f"{PLAN}/二/（一）"
    assert library.user.get_task(mine.id).clause_id == f"{FINAL}/二/（一）"
    assert [(r.item_id, r.state) for r in report.review] == [(old.id, "conflict")]


def test_a_registered_provider_is_carried_too(library: Library, tmp_path: Path) -> None:
    seen: dict[str, str | None] = {}

    class Notes:
        kind, label = "note", "批注"

        def __init__(self, lib: Library) -> None:
            self.lib = lib

        def items(self, doc_ids: object) -> list[carry.Anchored]:
            c = self.lib.clause(f"{PLAN}/三/（一）/1")
            return [carry.Anchored("n1", anchor_for(c, self.lib.document(PLAN)), "ok", "批注一")]

        def apply(self, resolved: dict[str, object]) -> list[str]:
            seen.update({k: getattr(v, "clause_id", None) for k, v in resolved.items()})
            return []

    library.index([copy_sources(tmp_path / "added", ("plan-final.md",))])
    carry.register(Notes)
    try:
        report = library.carry_over(PLAN, FINAL)
    finally:
        carry.PROVIDERS.remove(Notes)
    assert seen == {"n1": f"{FINAL}/四/（一）/1"}
    assert report.counts["note"] == {"changed": 1} and report.review[0].kind_label == "批注"


def test_comments_are_carried_with_the_tasks(library: Library, tmp_path: Path) -> None:
    """`carry_over` moves comments too (the provider `app.core.comments` registers): one on a clause the
    正式稿 changed is listed for review as 意见, one on an unchanged clause follows silently, one in the
    trash follows quietly (neither counted nor listed)."""
    folder = tmp_path / "renamed"
    folder.mkdir()
    text = (DATA / "plan-final.md").read_text(encoding="utf-8")
    (folder / "final-renamed.md").write_text(text.replace("# 美丽上海建设“十五五”规划", "# 上海市生态环境保护规划", 1),
                                             encoding="utf-8")
    waste = library.comments.add(f"{PLAN}/四/（五）/2", proposal="建议将“2030年”改为“2028年”。", quote="2030")
    same = library.comments.add(f"{PLAN}/二/（一）", proposal="建议保留本条。", kind="其他")
    trashed = library.comments.add(f"{PLAN}/八/（一）/1", proposal="已撤回的意见。")
    library.comments.delete(trashed.id)
    library.index([folder])  # another title: no link detected, the comments stay on the 征求意见稿
    assert {c.doc_id for c in library.comments.comments()} == {PLAN}
    library.set_version_state(PLAN, "final-renamed", CONFIRMED)
    report = library.carry_over(PLAN, "final-renamed")
    assert report.counts["comment"] == {"changed": 1, "moved": 1}
    assert [(r.kind, r.kind_label, r.item_id, r.state) for r in report.review] == [
        ("comment", "意见", waste.id, "changed")]
    item = report.review[0]
    assert item.title == "建议将“2030年”改为“2028年”。" and item.new_clause_id == "final-renamed/五/（五）/2"
    assert "达到50%" in item.old_text and "达到55%" in item.new_text
    assert "意见 2 条：1 条已定位到新版本，1 条条款内容已修改" in report.summary_line()
    moved = library.comments.get(waste.id)
    assert (moved.clause_id, moved.anchor_state, moved.doc_id) == ("final-renamed/五/（五）/2", "changed",
                                                                   "final-renamed")
    assert "达到50%" in moved.text  # the text it was made on, until the user accepts the new one
    kept = library.comments.get(same.id)
    assert (kept.clause_id, kept.anchor_state) == ("final-renamed/二/（一）", "moved")
    assert library.user.comments.get(trashed.id, include_deleted=True).clause_id == "final-renamed/九/（一）/3"
    # again: nothing left on the old version; the edited clause is still listed until confirmed
    again = library.carry_over(PLAN, "final-renamed")
    assert again.counts["comment"] == {} and [r.item_id for r in again.review] == [waste.id]
    library.comments.confirm_anchor(waste.id)
    assert library.carry_over(PLAN, "final-renamed").review == ()
