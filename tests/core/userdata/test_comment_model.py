"""app.core.userdata.comment_model: the Comment dataclass, 意见类型 codes, locating a quoted passage in the clause,
the export form and the merge of an exported comment (matched by id, the newer one wins)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import PolicyDeskError
from app.core.userdata import COMMENT_KIND_LABELS, Comment, CommentDefaults, ImportSummary, schema
from app.core.userdata.comment_model import (
    EDITABLE_COMMENT,
    cited_list,
    comment_entries,
    comment_from_json,
    comment_from_row,
    kind_code,
    locate,
    merge_comment,
)
from app.core.userdata.db import TextCleaner

T1 = "2025-02-01T00:00:00.000000+00:00"
T2 = "2025-03-01T00:00:00.000000+00:00"
TEXT = "各区人民政府应当加强生活垃圾分类管理，\n推进源头减量。各区人民政府应当定期公布。"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(tmp_path / "user.db", isolation_level=None)
    c.row_factory = sqlite3.Row
    schema.migrate(c, schema.USER_MIGRATIONS)
    yield c
    c.close()


def _entry(cid: str, proposal: str, updated: str, **kw: Any) -> dict[str, Any]:
    return {"id": cid, "clause_id": "d/第三条", "proposal": proposal, "kind": "修改", "created_at": T1,
            "updated_at": updated, "anchor": {"doc_id": "d", "text": TEXT, "state": "changed"}, **kw}


def test_kind_codes() -> None:
    assert list(COMMENT_KIND_LABELS) == ["modify", "add", "delete", "other"]
    assert [kind_code(x) for x in ("add", "修改", "【删除】", "[其他]", "新增", "删去", "修订", " 补充 ")] == [
        "add", "modify", "delete", "other", "add", "delete", "modify", "add"]
    with pytest.raises(PolicyDeskError, match="未知的意见类型：赞成"):
        kind_code("赞成")
    assert "clause_id" not in EDITABLE_COMMENT and "quote" in EDITABLE_COMMENT


def test_cited_list() -> None:
    assert cited_list(None) == [] and cited_list("d/第一条") == ["d/第一条"]
    assert cited_list([" a", "b", "a", "", " "]) == ["a", "b"]


def test_locate_exact_nearest_and_across_whitespace() -> None:
    assert locate(TEXT, "各区人民政府") == (0, "各区人民政府")
    second = TEXT.index("各区人民政府", 1)
    assert locate(TEXT, "各区人民政府", hint=second - 3) == (second, "各区人民政府")  # the one nearest the hint
    start = TEXT.index("管理")
    assert locate(TEXT, "管理，推进") == (start, "管理，\n推进")  # copied across the line break
    assert locate(TEXT, "不在其中") is None
    assert locate(TEXT, "") is None and locate(TEXT, " \n") is None


def test_defaults_and_comment_properties() -> None:
    assert CommentDefaults("市绿化市容局", "王五", "021-1234").to_json() == {
        "unit": "市绿化市容局", "contact": "王五", "phone": "021-1234"}
    c = Comment(id="m", clause_id="d/第三条", doc_id="d", doc_title="办法", path=("第三条",), heading="",
                fingerprint="f", text=TEXT, anchor_state="ok", quote="", quote_offset=None, kind="delete",
                proposal="", reason="重复", cited=("d/第一条",), unit="", contact="", phone="", created_at=T1,
                updated_at=T1)
    assert (c.kind_label, c.deleted, c.passage) == ("删除", False, TEXT)  # no quote: the whole clause
    quoted = Comment(**{**c.__dict__, "quote": "推进源头减量", "quote_offset": 21, "notice": "x"})
    assert quoted.passage == "推进源头减量" and quoted != c
    data = quoted.to_json()
    assert data["anchor"]["text"] == TEXT and data["kind_label"] == "删除" and data["cited"] == ["d/第一条"]
    assert "notice" not in data and "deleted_at" not in data


def test_comment_from_json_cleans_and_normalises() -> None:
    clean = TextCleaner()
    row = comment_from_json(_entry("m1", "改为\x00“应当”", "2025-03-01T08:00:00+08:00", cited=["a", "a", "b"],
                                   quote_offset="5", anchor={"state": "lost", "path": ["第三条"]}), clean)
    assert row["proposal"] == "改为“应当”" and clean.nul == 1
    assert (row["kind"], row["cited"], row["quote_offset"], row["anchor_state"], row["anchor_path"]) == (
        "modify", '["a", "b"]', 5, "ok", '["第三条"]')
    assert row["updated_at"] == "2025-03-01T00:00:00.000000+00:00"
    for bad in ({"id": "m"}, _entry("m", "x", "昨天"), _entry("m", "x", T1, quote_offset="五")):
        with pytest.raises(PolicyDeskError, match="意见数据格式不正确"):
            comment_from_json(bad, clean)


def test_merge_comment_by_id_newer_wins(conn: sqlite3.Connection) -> None:
    clean, summary = TextCleaner(), ImportSummary()
    merge_comment(conn, _entry("m1", "第一版", T1), clean, summary)
    merge_comment(conn, _entry("m1", "旧副本", T1), clean, summary)  # same time: skipped
    merge_comment(conn, _entry("m2", "同一条款的另一条", T1), clean, summary)  # any number per clause
    conn.execute("UPDATE comments SET deleted_at = ? WHERE id = 'm1'", (T1,))
    merge_comment(conn, _entry("m1", "第二版", T2), clean, summary)  # newer: updated, back from the trash
    assert (summary.comments_added, summary.comments_updated, summary.comments_skipped) == (2, 1, 1)
    rows = {r["id"]: (r["proposal"], r["deleted_at"]) for r in conn.execute("SELECT * FROM comments")}
    assert rows == {"m1": ("第二版", None), "m2": ("同一条款的另一条", None)}
    got = comment_from_row(conn.execute("SELECT * FROM comments WHERE id = 'm1'").fetchone())
    assert (got.kind, got.anchor_state, got.text, got.created_at) == ("modify", "changed", TEXT, T1)


def test_comment_entries(conn: sqlite3.Connection, tmp_path: Path) -> None:
    merge_comment(conn, _entry("m1", "保留", T1), TextCleaner(), ImportSummary())
    merge_comment(conn, _entry("m2", "已删", T1), TextCleaner(), ImportSummary())
    conn.execute("UPDATE comments SET deleted_at = ? WHERE id = 'm2'", (T2,))
    assert [e["id"] for e in comment_entries(conn)] == ["m1"]
    with closing(sqlite3.connect(tmp_path / "v3.db", isolation_level=None)) as old:
        schema.migrate(old, schema.USER_MIGRATIONS[:3])  # before comments existed
        assert comment_entries(old) == []
