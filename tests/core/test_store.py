"""The clause database (app.core.store) on real SQLite files: schema, migrations, documents, clauses, links."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from app.core.errors import NotFoundError, StorageError
from app.core.models import Clause, Document
from app.core.store import (
    LIBRARY_MIGRATIONS,
    LibraryStore,
    clause_from_row,
    connect,
    document_from_row,
    migrate,
)


def document(doc_id: str, ordinal: int = 0, **kw: object) -> Document:
    return Document(id=doc_id, title=f"{doc_id}的标题", kind="法律", ordinal=ordinal, **kw)  # type: ignore[arg-type]


def clauses(doc_id: str, n: int) -> list[Clause]:
    return [Clause(id=f"{doc_id}/第{i}条", doc_id=doc_id, ordinal=i, level="article", number=f"第{i}条", number_value=i,
                   heading="", path=("第一章 总则", f"第{i}条"), text=f"{doc_id}第{i}条的正文。",
                   parent_id=None) for i in range(1, n + 1)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    s = LibraryStore(tmp_path / "derived" / "library.db")
    yield s
    s.close()


def test_connect_sets_up_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "x.db"
    conn = connect(path)
    try:
        assert path.exists()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        conn.close()


def test_readonly_connect_to_a_missing_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="无法打开数据库"):
        connect(tmp_path / "missing.db", readonly=True)


def test_a_new_store_has_the_whole_schema(store: LibraryStore) -> None:
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(LIBRARY_MIGRATIONS) == 2
    assert {"documents", "clauses", "meta", "links"} <= set(store.db.table_names())
    assert migrate(store.db, LIBRARY_MIGRATIONS) == 2  # nothing left to do


def test_migrate_applies_each_step_once_and_rolls_back_a_failing_one(tmp_path: Path) -> None:
    db = sqlite_utils.Database(connect(tmp_path / "m.db"))
    calls: list[int] = []

    def one(d: sqlite_utils.Database) -> None:
        calls.append(1)
        d.table("a").create({"x": int})

    def two(d: sqlite_utils.Database) -> None:
        calls.append(2)
        d.table("b").create({"y": int})
        raise RuntimeError("step two fails")

    with pytest.raises(RuntimeError):
        migrate(db, [one, two])
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.table_names() == ["a"]  # b was rolled back with its step
    assert migrate(db, [one]) == 1 and calls == [1, 2]  # step one is not run again
    db.conn.close()


def test_documents_and_clauses_round_trip(store: LibraryStore) -> None:
    doc = document("甲法", ordinal=3, issuer="全国人大常委会", date="2024-12-31", status="现行有效",
                   source="法律/甲法.md", sha256="ab" * 32, history=("2010年1月1日通过", "2024年12月31日修正"),
                   meta={"short_title": "甲法"})
    cs = clauses("甲法", 3)
    with store.transaction():
        store.replace_document(doc, cs, root="corpus")
    got = store.document("甲法")
    assert got == doc and got.meta == {"short_title": "甲法"} and got.history == doc.history
    assert list(store.clauses("甲法")) == cs
    assert store.clause("甲法/第2条") == cs[1]
    assert (store.count_documents(), store.count_clauses()) == (1, 3)
    assert store.fingerprints() == {"甲法": ("法律/甲法.md", "ab" * 32)}
    row = store.conn.execute("SELECT root, clause_count FROM documents").fetchone()
    assert tuple(row) == ("corpus", 3)


def test_replacing_a_document_drops_its_old_clauses_and_links(store: LibraryStore) -> None:
    with store.transaction():
        store.replace_document(document("甲法"), clauses("甲法", 5))
        store.replace_links("甲法", {"甲法/第1条": "{}"})
        store.replace_document(document("甲法"), clauses("甲法", 2))
    assert [c.id for c in store.clauses("甲法")] == ["甲法/第1条", "甲法/第2条"]
    assert store.links() == {}


def test_missing_ids_raise_not_found(store: LibraryStore) -> None:
    with pytest.raises(NotFoundError, match="找不到文件"):
        store.document("nope")
    with pytest.raises(NotFoundError, match="找不到条款"):
        store.clause("nope/第1条")


def test_all_clauses_follow_document_ordinals(store: LibraryStore) -> None:
    with store.transaction():
        store.replace_document(document("乙", ordinal=2), clauses("乙", 2))
        store.replace_document(document("甲", ordinal=1), clauses("甲", 2))
    assert [c.id for c in store.clauses()] == ["甲/第1条", "甲/第2条", "乙/第1条", "乙/第2条"]
    assert [d.id for d in store.documents()] == ["甲", "乙"]
    with store.transaction():
        store.set_ordinals({"甲": 9, "乙": 0})
    assert [d.id for d in store.documents()] == ["乙", "甲"]
    assert [c.doc_id for c in store.clauses()] == ["乙", "乙", "甲", "甲"]


def test_clauses_by_id_and_links_work_past_the_chunk_size(store: LibraryStore) -> None:
    cs = clauses("长", 1200)
    with store.transaction():
        store.replace_document(document("长"), cs)
        store.replace_links("长", {c.id: f'{{"n": {c.ordinal}}}' for c in cs})
    wanted = [c.id for c in cs[::2]] + ["长/不存在"]
    got = store.clauses_by_id(wanted)
    assert len(got) == 600 and got["长/第1199条"] == cs[1198]
    assert len(store.links(wanted)) == 600 and store.links(["长/第7条"]) == {"长/第7条": '{"n": 7}'}
    assert len(store.links()) == 1200 and len(store.clause_ids()) == 1200


def test_delete_document_removes_everything_of_it(store: LibraryStore) -> None:
    with store.transaction():
        store.replace_document(document("甲"), clauses("甲", 2))
        store.replace_links("甲", {"甲/第1条": "{}"})
        store.replace_document(document("乙"), clauses("乙", 1))
        store.delete_document("甲")
    assert [d.id for d in store.documents()] == ["乙"]
    assert store.clause_ids() == ["乙/第1条"] and store.links() == {}


def test_clauses_need_their_document(store: LibraryStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.db.table("clauses").insert({"id": "x/1", "doc_id": "x", "ordinal": 1, "level": "article", "path": "[]"})


def test_meta(store: LibraryStore) -> None:
    assert store.get_meta("k") is None
    with store.transaction():
        store.set_meta("k", "值")
    assert store.get_meta("k") == "值"
    with store.transaction():
        store.set_meta("k", "新值")
        store.set_meta("other", "1")
        store.set_meta("other", None)
    assert (store.get_meta("k"), store.get_meta("other")) == ("新值", None)


def test_a_transaction_is_all_or_nothing(store: LibraryStore, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.replace_document(document("甲"), clauses("甲", 2))
        raise RuntimeError("crash while saving")
    assert store.count_documents() == 0 and store.count_clauses() == 0
    with store.transaction():
        store.replace_document(document("甲"), clauses("甲", 2))
    other = LibraryStore(store.path, readonly=True)  # another connection sees the committed document
    try:
        assert other.count_clauses() == 2 and other.document("甲").title == "甲的标题"
        with pytest.raises(sqlite3.OperationalError):
            other.set_meta("k", "v")  # read-only
    finally:
        other.close()


def test_rows_with_nulls_load_as_empty_strings() -> None:
    doc = document_from_row({"id": "d", "title": "T", "kind": "其他", "issuer": None, "date": None, "status": None,
                             "source": None, "sha256": None, "ordinal": None, "history": None, "meta": None})
    assert (doc.issuer, doc.status, doc.source, doc.sha256, doc.ordinal, doc.history, doc.meta) == \
        ("", "", "", "", 0, (), {})
    c = clause_from_row({"id": "d/1", "doc_id": "d", "ordinal": 1, "level": "block", "number": None,
                         "number_value": None, "heading": None, "path": '["标题"]', "text": None, "parent_id": None})
    assert (c.number, c.heading, c.text, c.path, c.parent_id) == ("", "", "", ("标题",), None)


def test_reading_the_clause_db_does_not_import_sqlite_utils(store: LibraryStore) -> None:
    # sqlite_utils (with click, dateutil …) costs 0.2 s of every start: only writers load it
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from app.core.store import LibraryStore; "
            f"st = LibraryStore(Path({str(store.path)!r}), readonly=True); st.documents(); "
            "print('sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "False"
    assert store.db is store.db  # a writer gets it, once
