"""app.core.userdata.integrity: 检查数据, the full check of the user DB, the library DB and the search index,
and when it is due. Real SQLite files, a real user store, the session's real index."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.core.paths import AppPaths
from app.core.userdata import UserStore
from app.core.userdata.integrity import (
    ADVICE,
    CHECK_INTERVAL,
    LABEL_INDEX,
    LABEL_LIBRARY,
    LABEL_USER,
    LAST_CHECK_KEY,
    CheckItem,
    DataCheckReport,
    check_data,
    check_due,
    check_index,
    check_sqlite,
    last_check,
    record_check,
    run_check,
)

WHEN = dt.datetime(2025, 3, 1, 9, 30)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def test_labels_have_advice_and_a_week_interval() -> None:
    assert set(ADVICE) == {LABEL_USER, LABEL_LIBRARY, LABEL_INDEX}
    assert dt.timedelta(days=7) == CHECK_INTERVAL


def test_check_sqlite(store: UserStore, tmp_path: Path) -> None:
    assert check_sqlite(tmp_path / "missing.db") == (True, "尚未建立")
    assert check_sqlite(store.path) == (True, "正常")
    assert check_sqlite(tmp_path)[0] is False  # a folder is not a database
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\0" * 4096)
    ok, detail = check_sqlite(junk)
    assert not ok and detail.startswith(("无法读取", "文件已损坏"))


def test_check_sqlite_finds_dangling_references(tmp_path: Path) -> None:
    db = tmp_path / "fk.db"
    with closing(sqlite3.connect(db)) as conn:  # foreign keys are off: the bad rows get in
        conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE child (pid INTEGER REFERENCES parent(id))")
        conn.executemany("INSERT INTO child VALUES (?)", [(1,), (2,)])
        conn.commit()
    assert check_sqlite(db) == (False, "有 2 条记录的关联数据缺失")


def test_check_index(built_library_dir: Path, tmp_path: Path) -> None:
    assert check_index(tmp_path / "no-index") == (True, "尚未建立")
    ok, detail = check_index(AppPaths.resolve(built_library_dir).index_dir)
    assert ok and detail.startswith("正常（") and detail.endswith(" 条）")
    assert int(detail[len("正常（"):-len(" 条）")]) > 1000  # the shipped corpus has thousands of clauses


def test_report_ok_and_problems() -> None:
    good = DataCheckReport([CheckItem(LABEL_USER, True, "正常"), CheckItem(LABEL_INDEX, True, "尚未建立")], WHEN)
    assert good.ok and good.problems == []
    assert good.message == (f"数据检查完成（2025-03-01 09:30），未发现问题。{LABEL_USER}：正常；{LABEL_INDEX}：尚未建立")
    bad = DataCheckReport([CheckItem(LABEL_USER, True, "正常"), CheckItem(LABEL_LIBRARY, False, "文件已损坏（x）")], WHEN)
    assert not bad.ok and [i.label for i in bad.problems] == [LABEL_LIBRARY]
    assert bad.message == f"数据检查（2025-03-01 09:30）发现问题：\n· {LABEL_LIBRARY}：文件已损坏（x）。{ADVICE[LABEL_LIBRARY]}"


def test_check_data_reports_every_part(store: UserStore, tmp_path: Path) -> None:
    junk = tmp_path / "library.db"
    junk.write_bytes(b"\0" * 4096)
    report = check_data(store.path, junk, tmp_path / "no-index")
    assert [(i.label, i.ok) for i in report.items] == [(LABEL_USER, True), (LABEL_LIBRARY, False), (LABEL_INDEX, True)]
    assert report.seconds >= 0.0


def test_when_the_check_is_due(store: UserStore) -> None:
    assert last_check(store) is None and check_due(store, WHEN)
    record_check(store, DataCheckReport([], WHEN))
    assert store.get(LAST_CHECK_KEY) == "2025-03-01T09:30:00" and last_check(store) == WHEN
    assert not check_due(store, WHEN + dt.timedelta(days=6, hours=23))
    assert check_due(store, WHEN + CHECK_INTERVAL)
    assert check_due(store, WHEN - dt.timedelta(days=2))  # the clock was set back: check again
    store.set(LAST_CHECK_KEY, "not a date")
    assert last_check(store) is None and check_due(store, WHEN)


def test_run_check_remembers_when(store: UserStore, tmp_path: Path) -> None:
    report = run_check(store, store.path, tmp_path / "library.db", tmp_path / "no-index")
    assert report.ok and last_check(store) == report.checked_at.replace(microsecond=0)
