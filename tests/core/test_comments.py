"""Comments on clauses (征求意见): the store over a real SQLite file (CRUD, defaults, trash, reopen, backups,
sharing, the JSONL twin, salvage) and the desk over the real library (anchoring, document order, citations,
re-anchoring when a document is replaced by a new version)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.library import Library
from app.core.numbers import cn_to_int, int_to_cn
from app.core.userdata import Comment, UserStore
from app.core.userdata.backup import jsonl_lines
from app.core.userdata.salvage import salvage_to_file
from app.core.userdata.share import merge_jsonl

PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"
ROOT = Path(__file__).resolve().parents[2]
TEXT = "全面淘汰国四柴油货车，加强高排放国五、国六柴油车监管。全面淘汰国四柴油货车的补贴政策另行制定。"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def _add(store: UserStore, clause: str = "doc/一/1", **kw: Any) -> Comment:
    kw.setdefault("proposal", "建议修改")
    return store.comments.add(clause, doc_id="doc", doc_title="某规划（征求意见稿）", path=("一、总体要求", "1"),
                              heading="标题", text=TEXT, **kw)


# -- the store ----------------------------------------------------------------------------------------------------
def test_add_update_and_fields(store: UserStore) -> None:
    c = store.comments.add("doc/一/1", proposal=" 改为“2027年底前全面淘汰” ", reason="明确时限", kind="修改",
                           quote="全面淘汰国四柴油货车", cited=["law/第四十条", "law/第四十条", " "], unit="市交通委",
                           contact="李四", phone="021-1", doc_id="doc", doc_title="某规划", path=("一", "1"),
                           heading="标题", text=TEXT)
    assert (c.proposal, c.reason, c.kind, c.kind_label) == ("改为“2027年底前全面淘汰”", "明确时限", "modify", "修改")
    assert (c.quote, c.quote_offset, c.cited) == ("全面淘汰国四柴油货车", 0, ("law/第四十条",))
    assert (c.unit, c.contact, c.phone, c.anchor_state, c.text) == ("市交通委", "李四", "021-1", "ok", TEXT)
    # the second occurrence of a repeated phrase, picked by the selection's offset
    second = TEXT.index("全面淘汰国四柴油货车", 1)
    d = _add(store, quote="全面淘汰国四柴油货车", quote_offset=second - 2)
    assert d.quote_offset == second
    # a selection across a line break still finds its passage, as the clause spells it
    e = store.comments.add("x/1", proposal="p", text="第一段末尾\n第二段开头", quote="末尾 第二段")
    assert (e.quote, e.quote_offset) == ("末尾\n第二段", 3)
    with pytest.raises(PolicyDeskError, match="所选原文不在该条款中"):
        _add(store, quote="没有这段话")
    with pytest.raises(PolicyDeskError, match="修改意见不能为空"):
        _add(store, proposal="  ")
    assert _add(store, proposal="", kind="删除").kind == "delete"
    with pytest.raises(PolicyDeskError, match="未知的意见类型"):
        _add(store, kind="建议")
    u = store.comments.update(c.id, proposal="改为“2028年”", kind="补充", cited=[], quote="")
    assert (u.proposal, u.kind_label, u.cited, u.quote, u.quote_offset) == ("改为“2028年”", "补充", (), "", None)
    assert u.updated_at > c.updated_at and u.created_at == c.created_at
    with pytest.raises(TypeError):
        store.comments.update(c.id, clause_id="other")
    with pytest.raises(PolicyDeskError, match="所选原文不在该条款中"):
        store.comments.update(c.id, quote="不在原文里")
    assert store.comments.update(c.id, quote="国六柴油车").quote_offset == TEXT.index("国六柴油车")
    with pytest.raises(NotFoundError, match="找不到意见"):
        store.comments.update("nope", reason="x")


def test_a_passage_of_an_unrepeated_heading_is_kept_without_offset(store: UserStore) -> None:
    c = store.comments.add("doc/一", proposal="标题改为“总体思路”", heading="一、总体要求", text="坚持……", quote="总体要求")
    assert (c.quote, c.quote_offset) == ("总体要求", None)
    with pytest.raises(PolicyDeskError, match="所选原文不在该条款中"):
        store.comments.update(c.id, quote="总体思路")


def test_defaults_come_from_settings(store: UserStore) -> None:
    assert store.comments.defaults().to_json() == {"unit": "", "contact": "", "phone": ""}
    store.set("user.department", "市水务局")
    assert store.comments.defaults().unit == "市水务局"  # my department, until a unit is set
    d = store.comments.set_defaults(unit=" 市生态环境局 ", contact="张三", phone="021-12345678")
    assert d.to_json() == {"unit": "市生态环境局", "contact": "张三", "phone": "021-12345678"}
    assert store.get("comment.unit") == "市生态环境局" and store.get("comment.phone") == "021-12345678"
    c = _add(store)
    assert (c.unit, c.contact, c.phone) == ("市生态环境局", "张三", "021-12345678")
    c = _add(store, unit="市交通委", phone="")
    assert (c.unit, c.contact, c.phone) == ("市交通委", "张三", "")
    assert store.comments.set_defaults(contact="").to_json() == {"unit": "市生态环境局", "contact": "",
                                                                 "phone": "021-12345678"}


def test_soft_delete_undelete_filters_and_counts(store: UserStore) -> None:
    a = _add(store, "doc/一/1", proposal="甲意见", kind="修改")
    b = _add(store, "doc/一/1", proposal="乙意见", kind="补充", reason="依据碳达峰方案")
    c = store.comments.add("other/第三条", proposal="丙意见", doc_id="other", text="第三条 原文")
    assert [x.id for x in store.comments.find()] == [a.id, b.id, c.id]
    assert store.comments.counts() == {"doc/一/1": 2, "other/第三条": 1}
    assert store.comments.counts(doc_id="other") == {"other/第三条": 1}
    assert [x.proposal for x in store.comments.find(doc_id="doc", kind="补充")] == ["乙意见"]
    assert [x.proposal for x in store.comments.find(text="碳达峰")] == ["乙意见"]
    assert [x.proposal for x in store.comments.find(text="国六")] == ["甲意见", "乙意见"]  # the clause text too
    assert [x.proposal for x in store.comments.find(clause_id="other/第三条")] == ["丙意见"]
    store.comments.delete(a.id)
    assert [x.proposal for x in store.comments.find()] == ["乙意见", "丙意见"]
    assert [x.id for x in store.comments.find(deleted=True)] == [a.id]
    assert store.comments.counts()["doc/一/1"] == 1 and store.comments.count() == 2
    with pytest.raises(NotFoundError):
        store.comments.get(a.id)
    assert store.comments.get(a.id, include_deleted=True).deleted
    back = store.comments.undelete(a.id)
    assert not back.deleted and store.comments.count() == 3
    assert store.comments.undelete(a.id) == back
    store.comments.delete(a.id)
    assert store.comments.purge_deleted(older_than_days=0) == 1
    assert store.comments.find(deleted=True) == []


def test_comments_survive_reopen_and_odd_text(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    with UserStore(db) as s:
        c = s.comments.add("doc/1", proposal="意见\x00含空字符\ud800", reason="多行\n理由", text="原文")
        assert "已去除 1 个空字符" in c.notice and "\ufffd" in c.proposal
    with UserStore(db) as s:
        again = s.comments.get(c.id)
        assert again == c and again.reason == "多行\n理由"
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_restore_and_backup_counts(tmp_path: Path) -> None:
    with UserStore(tmp_path / "user.db") as s:
        c = _add(s, proposal="第一版")
        backup = s.backup_db(force=True)
        assert backup is not None
        s.comments.update(c.id, proposal="第二版")
        _add(s, proposal="备份之后")
        assert s.list_backups()[0].comments == 1
        report = s.restore_backup(backup)
        assert [x.proposal for x in s.comments.find()] == ["第一版"]
        s.restore_backup(report.safety_backup)
        assert sorted(x.proposal for x in s.comments.find()) == ["备份之后", "第二版"]


def test_json_export_import_round_trip_without_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "share.json"
    with UserStore(tmp_path / "a" / "user.db") as a:
        a.add_task("doc/一/1", note="任务也在")
        c1 = _add(a, proposal="意见一", quote="国六柴油车", cited=["law/第四十条"], unit="市交通委")
        c2 = _add(a, proposal="意见二", kind="删除")
        gone = _add(a, proposal="已删除的不导出")
        a.comments.delete(gone.id)
        assert a.export_tasks(out) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [x["proposal"] for x in doc["comments"]] == ["意见一", "意见二"]
    with UserStore(tmp_path / "b" / "user.db") as b:
        first = b.import_tasks_json(out)
        assert (first.added, first.comments_added) == (1, 2) and "意见新增 2 条" in first.message
        assert [x.to_json() for x in b.comments.find()] == [c1.to_json(), c2.to_json()]
        again = b.import_tasks_json(out)  # twice: nothing new
        assert (again.comments_added, again.comments_updated, again.comments_skipped) == (0, 0, 2)
        assert not again.changed and b.comments.count() == 2
        # the colleague edits one: the newer edit wins back home; a local delete comes back when theirs is newer
        b.comments.update(c1.id, proposal="意见一（同事修改）")
        b.export_tasks(out)
    with UserStore(tmp_path / "a" / "user.db") as a:
        a.comments.delete(c2.id)
        summary = a.import_tasks_json(out)
        assert (summary.comments_updated, summary.comments_added) == (1, 0)
        assert a.comments.get(c1.id).proposal == "意见一（同事修改）"
        assert a.comments.get(c2.id, include_deleted=True).deleted  # ours is newer
    # a file of a release before comments imports as before
    del doc["comments"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with UserStore(tmp_path / "c" / "user.db") as c:
        assert c.import_tasks_json(old).comments_added == 0 and c.comments.count() == 0


def test_jsonl_twin_and_salvage_bring_comments_back(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    with UserStore(db) as s:
        c = _add(s, proposal="要抢救的意见", quote="国六柴油车")
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        lines = list(jsonl_lines(conn))
    line = next(json.loads(x) for x in lines if json.loads(x)["type"] == "comment")
    assert line["proposal"] == "要抢救的意见" and line["comment"]["quote"] == "国六柴油车"
    with UserStore(tmp_path / "fresh" / "user.db") as fresh:
        summary = fresh._write(lambda tx: merge_jsonl(tx.conn, lines))
        assert summary.comments_added == 1
        assert fresh.comments.get(c.id) == c
    report = salvage_to_file(db, tmp_path / "salvaged.db")
    assert report.saved["comments"] == 1 and "意见 1 条" in report.summary()
    with UserStore(tmp_path / "salvaged.db") as s:
        assert s.comments.get(c.id) == c


def test_reanchor_moves_the_quote_along(store: UserStore) -> None:
    c = _add(store, quote="国六柴油车")
    moved = "（新增一句。）" + TEXT
    out = store.comments.reanchor([{"comment_id": c.id, "clause_id": "doc/一/2", "state": "moved",
                                    "doc_id": "doc2", "doc_title": "某规划", "path": ("一", "2"), "text": moved}])
    assert (out[0].clause_id, out[0].anchor_state, out[0].doc_id) == ("doc/一/2", "moved", "doc2")
    assert out[0].quote_offset == moved.index("国六柴油车") and out[0].updated_at == c.updated_at
    gone = store.comments.reanchor([{"comment_id": c.id, "clause_id": "doc/一/2", "state": "changed",
                                     "text": "国六改了"}])[0]
    assert gone.quote == "国六柴油车" and gone.quote_offset is None  # the passage is no longer in the text
    with pytest.raises(PolicyDeskError, match="未知的定位状态"):
        store.comments.reanchor([{"comment_id": c.id, "clause_id": "x", "state": "lost"}])


# -- over the library -------------------------------------------------------------------------------------------
def test_desk_anchors_checks_and_orders(library: Library) -> None:
    desk = library.comments
    desk.set_defaults(unit="市生态环境局", contact="张三", phone="021-12345678")
    later = desk.add(f"{PLAN}/四/（一）/1", proposal="建议明确时限", quote="全面淘汰国四柴油货车")
    first = desk.add(f"{PLAN}/二/（一）", proposal="", kind="删除", reason="与后文重复")
    cited = desk.add(f"{PLAN}/三/（一）/1", proposal="补充碳排放统计核算", kind="补充",
                     cited=[f"{WASTE}/第十条"])
    clause = library.clause(f"{PLAN}/四/（一）/1")
    assert later.text == clause.full_text and later.quote_offset == clause.full_text.index("全面淘汰国四柴油货车")
    assert later.doc_title == "美丽上海建设“十五五”规划（征求意见稿）" and later.unit == "市生态环境局"
    assert later.path == clause.path and later.fingerprint
    assert [c.id for c in desk.comments()] == [first.id, cited.id, later.id]  # document order, not age
    assert desk.counts(PLAN) == {f"{PLAN}/四/（一）/1": 1, f"{PLAN}/二/（一）": 1, f"{PLAN}/三/（一）/1": 1}
    assert [(d.doc_id, d.count) for d in desk.documents()] == [(PLAN, 3)]
    assert desk.citation(f"{WASTE}/第十条") == "《上海市生活垃圾管理条例》第十条"
    with pytest.raises(NotFoundError, match="找不到条款"):
        desk.add("没有/这条", proposal="x")
    with pytest.raises(NotFoundError, match="找不到引用的条款"):
        desk.add(f"{PLAN}/一", proposal="x", cited=["没有/这条"])
    with pytest.raises(NotFoundError, match="找不到引用的条款"):
        desk.update(cited.id, cited=["没有/这条"])
    assert desk.update(cited.id, cited=[]).cited == ()


def _amended(folder: Path) -> None:
    """A new version of the waste regulation: an article inserted after 第五条 (the rest renumbered),
    第十一条 edited, 第十条 deleted (as tests/core/test_desk.py)."""
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


def test_comments_follow_a_new_version_or_are_flagged(library: Library, tmp_path: Path) -> None:
    desk = library.comments
    old12 = library.clause(f"{WASTE}/第十二条").full_text
    quote = old12[4:14]
    kept = desk.add(f"{WASTE}/第十二条", proposal="跟随", quote=quote)  # same text, renumbered to 第十三条
    kept2 = desk.add(f"{WASTE}/第十二条", proposal="同一条的第二条意见")
    edited = desk.add(f"{WASTE}/第十一条", proposal="条文将被修改")
    gone = desk.add(f"{WASTE}/第十条", proposal="此条将被删除", reason="理由保留")
    plan = desk.add(f"{PLAN}/四/（五）/1", proposal="规划不变")
    trashed = desk.add(f"{WASTE}/第十二条", proposal="回收站里的也跟随")
    desk.delete(trashed.id)
    _amended(tmp_path / "new")
    library.index([tmp_path / "new"])
    new_doc = "上海市生活垃圾管理条例(2026-01-01)"
    for c in (kept, kept2):
        now = desk.get(c.id)
        assert (now.clause_id, now.anchor_state, now.doc_id) == (f"{new_doc}/第十三条", "moved", new_doc)
        assert now.proposal == c.proposal and now.updated_at == c.updated_at
    assert desk.get(kept.id).quote_offset == library.clause(f"{new_doc}/第十三条").full_text.index(quote)
    assert library.user.comments.get(trashed.id, include_deleted=True).clause_id == f"{new_doc}/第十三条"
    e = desk.get(edited.id)
    assert (e.clause_id, e.anchor_state) == (f"{new_doc}/第十二条", "changed")
    assert "定期评估实施成效" not in e.text  # the text commented on stays until confirmed
    assert "定期评估实施成效" in desk.confirm_anchor(edited.id).text
    g = desk.get(gone.id)
    assert (g.anchor_state, g.clause_id, g.reason) == ("missing", f"{WASTE}/第十条", "理由保留")
    assert desk.get(plan.id).anchor_state == "ok"
    assert desk.reattach(gone.id, f"{new_doc}/第十条").anchor_state == "ok"
    assert desk.counts(new_doc)[f"{new_doc}/第十三条"] == 2
