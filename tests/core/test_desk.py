"""The desk: bookmarks as tasks over the real library and user DB, suggestions, and re-anchoring when a
document is replaced by a new version."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from app.cli import main
from app.core.desk import DONE, ON_HOLD, OPEN, OVERDUE, SOON, urgency
from app.core.library import Library
from app.core.numbers import cn_to_int, int_to_cn
from app.core.paths import AppPaths

PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"
ROOT = Path(__file__).resolve().parents[2]


def test_urgency_follows_the_usual_colours() -> None:
    today = dt.date(2026, 11, 27)
    assert urgency("todo", "2026-11-01", today) == (OVERDUE, -26)
    assert urgency("doing", "2026-12-20", today) == (SOON, 23)
    assert urgency("todo", "2030-12-31", today)[0] == OPEN
    assert urgency("done", "2026-11-01", today)[0] == DONE
    assert urgency("parked", "2026-11-01", today)[0] == ON_HOLD
    assert urgency("todo", None, today) == (OPEN, None)


def test_bookmark_defaults_to_clause_deadline_and_lead_department(library: Library) -> None:
    desk = library.desk
    t = desk.bookmark(f"{PLAN}/四/（五）/1", note="第一行\n第二行", tags=["固废"])
    assert desk.bookmark(f"{PLAN}/四/（五）/1").id == t.id  # bookmarking twice: the same task
    view = desk.view(t, today=dt.date(2026, 11, 27))
    assert view.due == "2030-12-31" and view.due_source == "clause"
    assert view.owner == "市生态环境局" and view.owner_source == "lead"
    assert view.urgency == OPEN
    changed = library.user.update_task(t.id, due="2026-12-01", owner="市绿化市容局", status="进行中")
    view = desk.view(changed, today=dt.date(2026, 11, 27))
    assert (view.due, view.due_source, view.owner, view.urgency) == ("2026-12-01", "personal", "市绿化市容局", SOON)
    assert [d.id for d in desk.tasks(department="市绿化市容局")] == [t.id]
    parked = library.user.update_task(t.id, status="已搁置")
    assert desk.view(parked, today=dt.date(2026, 11, 27)).urgency == ON_HOLD  # not "due soon"
    assert desk.tasks(department="市水务局") == []


def test_indicator_bookmark_and_unknown_indicator(library: Library) -> None:
    cid = next(r["clause"] for r in library.indicator_rows() if r["name"] == "生活垃圾回收利用率")
    t = library.desk.bookmark(cid, indicator="生活垃圾回收利用率")
    assert t.indicator_key == f"{cid}#生活垃圾回收利用率"
    with pytest.raises(Exception, match="没有名为"):
        library.desk.bookmark(cid, indicator="不存在的指标")


def test_my_department_suggests_the_clauses_it_leads(library: Library) -> None:
    desk = library.desk
    assert desk.suggestions() == []  # no department chosen yet
    assert desk.set_my_department("市水务局") == "市水务局"
    first = desk.suggestions()
    assert first and all(s["department"] == "市水务局" for s in first)
    taken = desk.accept_suggestion(first[0]["id"])
    assert taken.owner == "市水务局"
    desk.dismiss_suggestion(first[1]["id"])
    left = [s["id"] for s in desk.suggestions()]
    assert first[0]["id"] not in left and first[1]["id"] not in left and len(left) == len(first) - 2


def _amended(folder: Path) -> None:
    """A new version of the waste regulation: an article inserted after 第五条 (the rest renumbered),
    第十一条 edited, 第十条 deleted."""
    text = (ROOT / "corpus" / "laws" / f"{WASTE}.md").read_text(encoding="utf-8")
    body = text.split("<!-- INFO END -->", 1)[1]
    def renumber(m: re.Match[str]) -> str:
        n = cn_to_int(m.group(1)) or 0
        return f"第{int_to_cn(n + 1)}条" if n >= 6 else m.group(0)

    body = re.sub(r"(?m)^第十条 .*\n", "", body)
    body = re.sub(r"(?m)^第([一二三四五六七八九十百零]+)条", renumber, body)
    body = body.replace("\n第七条 ", "\n第六条 本市推行生活垃圾管理数字化，建立全市统一的管理信息平台。\n\n第七条 ", 1)
    body = body.replace("重要内容。", "重要内容，并定期评估实施成效。", 1)
    folder.mkdir()
    (folder / "上海市生活垃圾管理条例(2026-01-01).md").write_text(
        "# 上海市生活垃圾管理条例\n\n2026年1月1日 修正\n\n<!-- INFO END -->" + body, encoding="utf-8")


def test_tasks_follow_a_new_version_or_are_flagged(library: Library, tmp_path: Path) -> None:
    desk = library.desk
    kept = desk.bookmark(f"{WASTE}/第十二条", note="跟进")  # unchanged text, renumbered to 第十三条
    edited = desk.bookmark(f"{WASTE}/第十一条")  # edited
    gone = desk.bookmark(f"{WASTE}/第十条", note="此条将被删除")  # deleted in the new version
    plan_task = desk.bookmark(f"{PLAN}/四/（五）/1")
    _amended(tmp_path / "new")
    report = library.index([tmp_path / "new"])
    assert dict(report.tasks)["missing"] == 1
    new_doc = "上海市生活垃圾管理条例(2026-01-01)"
    t = library.user.get_task(kept.id)
    assert (t.clause_id, t.anchor_state, t.note) == (f"{new_doc}/第十三条", "moved", "跟进")
    t = library.user.get_task(edited.id)
    assert (t.clause_id, t.anchor_state) == (f"{new_doc}/第十二条", "changed")
    assert "定期评估实施成效" not in t.text  # the old text stays until the user confirms the new one
    assert "定期评估实施成效" in library.desk.confirm_anchor(edited.id).text
    t = library.user.get_task(gone.id)
    assert t.anchor_state == "missing" and t.clause_id == f"{WASTE}/第十条" and "智能化水平" in t.text
    assert library.user.get_task(plan_task.id).anchor_state == "ok"
    # the flagged task can be attached by hand
    assert desk.reattach(gone.id, f"{new_doc}/第十条").anchor_state == "ok"


def test_tasks_survive_a_full_rebuild(library: Library) -> None:
    t = library.desk.bookmark(f"{PLAN}/三/（一）/1", note="重建后仍在")
    library.index(full=True)
    again = library.user.get_task(t.id)
    assert (again.note, again.clause_id, again.anchor_state) == ("重建后仍在", t.clause_id, "ok")


def test_cli_tasks_add_list_export_import(library_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(library_dir)]
    assert main(["task", "add", f"{PLAN}/四/（五）/1", "--note", "第一行\\n第二行", "--tags", "固废、督办",
                 "--due", "2026-12-01", "--json", *d]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["note"] == "第一行\n第二行" and added["tags"] == ["固废", "督办"] and added["due"] == "2026-12-01"
    assert main(["task", "set", added["id"], "--status", "已完成", *d]) == 0
    capsys.readouterr()
    assert main(["tasks", "--json", *d]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["status"], r["urgency"]) for r in rows] == [(added["id"], "done", "done")]
    out = tmp_path / "share.json"
    assert main(["tasks", "export", str(out), *d]) == 0
    capsys.readouterr()
    # a colleague imports twice: one task, no duplicates
    other = tmp_path / "colleague"
    Library(AppPaths.resolve(other)).close()
    for _ in range(2):
        assert main(["tasks", "import", str(out), "--data-dir", str(other)]) == 0
    assert "新增 0" in capsys.readouterr().out.splitlines()[-1]
    lib = Library(AppPaths.resolve(other))
    try:
        assert [t.note for t in lib.user.list_tasks()] == ["第一行\n第二行"]
    finally:
        lib.close()
    assert main(["tasks", *d]) == 0
    assert "已完成" in capsys.readouterr().out
    assert main(["task", "add", "没有/这条", *d]) == 1
    assert "错误" in capsys.readouterr().err
