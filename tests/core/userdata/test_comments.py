"""app.core.userdata.comments: CommentStore, comments on clauses saved like tasks (defaults for 提出单位/联系人/电话,
quoted passages, trash, re-anchoring, search and counts). Real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata import MY_DEPARTMENT_KEY, CommentDefaults, CommentStore, UserStore, text_fingerprint
from app.core.userdata.model import parse_iso

TEXT = "各区人民政府应当加强生活垃圾分类管理，推进源头减量。"
HEADING = "一、总体要求"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


@pytest.fixture
def comments(store: UserStore) -> CommentStore:
    return store.comments


def test_defaults_fall_back_to_my_department(store: UserStore, comments: CommentStore) -> None:
    assert comments.defaults() == CommentDefaults()
    store.set(MY_DEPARTMENT_KEY, "市绿化市容局")
    assert comments.defaults().unit == "市绿化市容局"
    got = comments.set_defaults(unit="  区\n绿化   所 ", phone="021-1234")
    assert got == CommentDefaults("区 绿化 所", "", "021-1234")  # one line, single spaces
    assert comments.set_defaults(contact="王五").phone == "021-1234"  # None leaves a value as it is
    assert comments.set_defaults(unit="").unit == "市绿化市容局"  # cleared: my department again


def test_add_a_comment_on_a_passage(store: UserStore, comments: CommentStore) -> None:
    comments.set_defaults(unit="市环保局", contact="张三", phone="123")
    c = comments.add("d/第三条", proposal="  改为“应当”  ", reason="与上位法一致", kind="修改", quote="推进 源头减量",
                     cited=["d/第一条", "d/第一条"], doc_id="d", doc_title="办法", path=["第三条"], text=TEXT)
    assert (c.kind, c.proposal, c.quote, c.quote_offset) == ("modify", "改为“应当”", "推进源头减量", TEXT.index("推进"))
    assert (c.unit, c.contact, c.phone, c.cited) == ("市环保局", "张三", "123", ("d/第一条",))
    assert c.fingerprint == text_fingerprint(TEXT) and c.anchor_state == "ok" and c.created_at == c.updated_at
    own = comments.add("d/第三条", proposal="x", unit="自己填的", contact="", phone="", text=TEXT)
    assert (own.unit, own.contact) == ("自己填的", "")
    assert comments.get(c.id) == c and comments.count() == 2


def test_add_refuses_what_it_cannot_store(comments: CommentStore) -> None:
    with pytest.raises(PolicyDeskError, match="条款编号不能为空"):
        comments.add(" ", proposal="x")
    with pytest.raises(PolicyDeskError, match="修改意见不能为空"):
        comments.add("c", proposal="  ")
    with pytest.raises(PolicyDeskError, match="所选原文不在该条款中"):
        comments.add("c", proposal="x", quote="不存在的文字", text=TEXT)
    assert comments.count() == 0
    deleting = comments.add("c", proposal="", kind="删除")  # 删除 needs no wording
    assert deleting.kind == "delete"
    in_heading = comments.add("c", proposal="x", quote="总体要求", heading=HEADING, text=TEXT)
    assert (in_heading.quote, in_heading.quote_offset) == ("总体要求", None)
    unknown_text = comments.add("c", proposal="x", quote="任意", quote_offset=7)
    assert (unknown_text.quote, unknown_text.quote_offset) == ("任意", 7)  # no clause text to check against


def test_update(comments: CommentStore) -> None:
    c = comments.add("c", proposal="初稿", text=TEXT)
    u = comments.update(c.id, proposal="定稿", kind="补充", cited="c2", unit=" 市 水务局 ", quote="生活垃圾")
    assert (u.proposal, u.kind, u.cited, u.unit, u.quote, u.quote_offset) == (
        "定稿", "add", ("c2",), "市 水务局", "生活垃圾", TEXT.index("生活垃圾"))
    assert parse_iso(u.updated_at) > parse_iso(c.updated_at)
    assert comments.update(c.id, quote="").quote_offset is None
    with pytest.raises(TypeError, match="clause_id"):
        comments.update(c.id, clause_id="x")
    with pytest.raises(PolicyDeskError, match="修改意见不能为空"):
        comments.update(c.id, proposal="")
    assert comments.update(c.id, proposal="", kind="删除").kind == "delete"
    with pytest.raises(PolicyDeskError, match="所选原文不在该条款中"):
        comments.update(c.id, quote="别处的文字")
    with pytest.raises(NotFoundError):
        comments.update("no-such-id", proposal="x")


def test_trash_restore_purge(comments: CommentStore) -> None:
    c = comments.add("c", proposal="x")
    comments.delete(c.id)
    assert comments.find() == [] and [x.id for x in comments.find(deleted=True)] == [c.id]
    with pytest.raises(NotFoundError):
        comments.get(c.id)
    assert comments.get(c.id, include_deleted=True).deleted
    back = comments.undelete(c.id)
    assert not back.deleted and comments.undelete(c.id) == back
    comments.delete(c.id)
    assert comments.purge_deleted() == 0 and comments.purge_deleted(older_than_days=-1) == 1
    assert comments.find(deleted=True) == []


def test_reanchor_moves_the_quote_with_the_text(comments: CommentStore) -> None:
    c = comments.add("old/第三条", proposal="x", quote="推进源头减量", text=TEXT, doc_id="old")
    plain = comments.add("old/第四条", proposal="y", text="第四条原文")
    new_text = "各区人民政府应当加强管理，推进源头减量。"
    moved, missing = comments.reanchor([
        {"comment_id": c.id, "clause_id": "new/第三条", "state": "changed", "doc_id": "new", "text": new_text},
        {"comment_id": plain.id, "clause_id": "old/第四条", "state": "missing"}])
    assert (moved.clause_id, moved.doc_id, moved.anchor_state, moved.text) == ("new/第三条", "new", "changed", new_text)
    assert moved.quote_offset == new_text.index("推进源头减量") and moved.updated_at == c.updated_at
    assert (missing.anchor_state, missing.text) == ("missing", "第四条原文")
    gone = comments.reanchor([{"comment_id": c.id, "clause_id": "new/第三条", "state": "changed", "text": "全新"}])[0]
    assert (gone.quote, gone.quote_offset) == ("推进源头减量", None)  # the quote is kept, its place is not
    with pytest.raises(PolicyDeskError, match="未知的定位状态"):
        comments.reanchor([{"comment_id": c.id, "clause_id": "x", "state": "lost"}])


def test_find_counts_and_count(comments: CommentStore) -> None:
    a = comments.add("d1/c1", proposal="碳排放", doc_id="d1")
    b = comments.add("d1/c1", proposal="y", reason="减碳", kind="补充", doc_id="d1")
    c = comments.add("d1/c2", proposal="z", kind="其他", heading="碳达峰", doc_id="d1")
    d = comments.add("d2/c1", proposal="w", quote="", text="水资源", doc_id="d2")
    comments.delete(comments.add("d1/c2", proposal="已删", doc_id="d1").id)
    assert comments.find() == [a, b, c, d]
    assert comments.find(doc_id="d1", kind="add") == [b] and comments.find(kind="其他") == [c]
    assert comments.find(text="碳") == [a, b, c] and comments.find(text="水资源") == [d]
    assert comments.find(clause_id="d1/c1") == [a, b] and comments.find(anchor_state="missing") == []
    assert comments.counts() == {"d1/c1": 2, "d1/c2": 1, "d2/c1": 1}
    assert comments.counts(doc_id="d2") == {"d2/c1": 1}
    assert comments.count() == 4
