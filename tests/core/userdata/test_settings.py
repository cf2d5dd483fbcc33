"""app.core.userdata.settings: settings as JSON values, the user's department corrections (`link_overrides`)
and the imported 分工表 (`task_table`). Real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.core.userdata import UserStore
from app.core.userdata.settings import MY_DEPARTMENT_KEY


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def test_my_department_key() -> None:
    assert MY_DEPARTMENT_KEY == "user.department"


def test_settings_hold_json_values_and_survive_a_reopen(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    with UserStore(db) as s:
        assert s.get("missing") is None and s.get("missing", 5) == 5
        s.set(MY_DEPARTMENT_KEY, "市生态环境局")
        s.set("ui.columns", {"宽度": [120, 80], "隐藏": False})
        s.set("nothing", None)
        s.set("ui.columns", {"宽度": [100]})  # overwrite
    with UserStore(db) as s:
        assert s.get(MY_DEPARTMENT_KEY) == "市生态环境局"
        assert s.get("ui.columns") == {"宽度": [100]}
        assert s.get("nothing", "default") is None  # a stored null is a value, not a missing key
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key = ?", (MY_DEPARTMENT_KEY,)).fetchone()[0] == (
            '"市生态环境局"')  # readable JSON in the file


def test_setting_text_is_made_storable(store: UserStore) -> None:
    store.set("k\x00", "a\x00b\ud800")
    # the key is cleaned; in the value JSON escapes the NUL (kept) and the lone surrogate becomes U+FFFD
    assert store.get("k") == "a\x00b\ufffd"


def test_overrides_save_and_remove(store: UserStore) -> None:
    assert store.overrides("link_overrides") == {}
    store.set_override("c1", lead=["市交通委"], support=["市公安局", "各区政府"], deadline="2026-12-31")
    store.set_override("c2", lead=None, support=["市财政局"], deadline=None)
    assert store.overrides("link_overrides") == {
        "c1": {"lead": ["市交通委"], "support": ["市公安局", "各区政府"], "deadline": "2026-12-31"},
        "c2": {"lead": None, "support": ["市财政局"], "deadline": None},
    }
    store.set_override("c1", lead=["市住房城乡建设管理委"], support=None, deadline=None)  # replaced whole
    store.set_override("c2", lead=None, support=None, deadline=None)  # all None: removed
    assert store.overrides("link_overrides") == {"c1": {"lead": ["市住房城乡建设管理委"], "support": None, "deadline": None}}


def test_task_table_is_replaced_in_one_go(store: UserStore) -> None:
    rows = [{"clause_id": "c1", "lead": ["市发展改革委"], "support": [], "deadline": "2025年底", "row": ["1", "任务"]},
            {"clause_id": "c2", "lead": [], "support": ["市科委"], "deadline": None, "row": ["2"]}]
    store.replace_task_table(rows, "分工表.xlsx")
    assert store.overrides("task_table") == {
        "c1": {"lead": ["市发展改革委"], "support": [], "deadline": "2025年底"},
        "c2": {"lead": [], "support": ["市科委"], "deadline": None},
    }
    store.replace_task_table(rows[1:], "新分工表.xlsx")
    assert list(store.overrides("task_table")) == ["c2"]
    source, row = store._read(lambda c: c.execute("SELECT source, row FROM task_table").fetchone())
    assert source == "新分工表.xlsx" and json.loads(row) == ["2"]
    assert store.overrides("link_overrides") == {}  # the two tables are separate


def test_overrides_refuse_other_tables(store: UserStore) -> None:
    with pytest.raises(ValueError, match="tasks"):
        store.overrides("tasks")
