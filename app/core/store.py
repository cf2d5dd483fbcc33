"""The clause database (derived, rebuildable) and its schema migrations, through sqlite-utils."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import NotFoundError, StorageError
from app.core.models import Clause, Document

if TYPE_CHECKING:  # imported where it writes: sqlite_utils pulls in click, dateutil… (0.2 s of every start)
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a connection with the settings every PolicyDesk database uses. A read-only connection may be
    released by another thread than the one that used it (Library keeps one per thread)."""
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=5.0)
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
    except sqlite3.Error as exc:
        raise StorageError(f"无法打开数据库：{path}", detail=str(exc)) from exc
    return conn


def migrate(db: sqlite_utils.Database, migrations: Sequence[Migration]) -> int:
    """Apply the migrations past `PRAGMA user_version`, each in one transaction; return the new version."""
    conn = db.conn
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for number, step in enumerate(migrations, start=1):
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = number
    return version


def _library_v1(db: sqlite_utils.Database) -> None:
    db.table("documents").create(
        {
            "id": str, "ordinal": int, "title": str, "kind": str, "issuer": str, "date": str,
            "status": str, "source": str, "root": str, "sha256": str, "history": str, "meta": str,
            "clause_count": int,
        },
        pk="id",
    )
    db.table("clauses").create(
        {
            "id": str, "doc_id": str, "ordinal": int, "level": str, "number": str, "number_value": int,
            "heading": str, "path": str, "text": str, "parent_id": str,
        },
        pk="id",
        foreign_keys=[("doc_id", "documents", "id")],
    )
    db.table("clauses").create_index(["doc_id", "ordinal"], unique=True)
    db.table("meta").create({"key": str, "value": str}, pk="key")


def _library_v2(db: sqlite_utils.Database) -> None:
    # Links extracted from the text (derived): one JSON document per clause.
    db.table("links").create({"clause_id": str, "doc_id": str, "data": str}, pk="clause_id")
    db.table("links").create_index(["doc_id"])


LIBRARY_MIGRATIONS: tuple[Migration, ...] = (_library_v1, _library_v2)


def _document_row(doc: Document, root: str, clause_count: int) -> dict[str, Any]:
    return {
        "id": doc.id, "ordinal": doc.ordinal, "title": doc.title, "kind": doc.kind, "issuer": doc.issuer,
        "date": doc.date, "status": doc.status, "source": doc.source, "root": root, "sha256": doc.sha256,
        "history": json.dumps(list(doc.history), ensure_ascii=False),
        "meta": json.dumps(doc.meta, ensure_ascii=False), "clause_count": clause_count,
    }


_CLAUSE_COLUMNS = ("id", "doc_id", "ordinal", "level", "number", "number_value", "heading", "path", "text",
                   "parent_id")
_INSERT_CLAUSE = f"INSERT INTO clauses({', '.join(_CLAUSE_COLUMNS)}) VALUES ({', '.join('?' * len(_CLAUSE_COLUMNS))})"


def _clause_values(c: Clause) -> tuple[Any, ...]:
    """A clause's row, in _CLAUSE_COLUMNS order."""
    return (c.id, c.doc_id, c.ordinal, c.level, c.number, c.number_value, c.heading,
            json.dumps(list(c.path), ensure_ascii=False), c.text, c.parent_id)


_DOCUMENT_FIELDS = ("id", "title", "kind", "issuer", "date", "status", "source", "sha256", "ordinal", "history",
                    "meta")
_EMPTY_HISTORY: tuple[Any, ...] = ()


def document_from_row(row: sqlite3.Row | dict[str, Any]) -> Document:
    r = dict(row)
    return Document(
        id=r["id"], title=r["title"], kind=r["kind"], issuer=r["issuer"] or "", date=r["date"],
        status=r["status"] or "", source=r["source"] or "", sha256=r["sha256"] or "",
        ordinal=r["ordinal"] or 0, history=tuple(json.loads(r["history"] or "[]")),
        meta=json.loads(r["meta"] or "{}"),
    )


def clause_from_row(row: sqlite3.Row | dict[str, Any]) -> Clause:
    r = dict(row)
    return Clause(
        id=r["id"], doc_id=r["doc_id"], ordinal=r["ordinal"], level=r["level"], number=r["number"] or "",
        number_value=r["number_value"], heading=r["heading"] or "", path=tuple(json.loads(r["path"])),
        text=r["text"] or "", parent_id=r["parent_id"],
    )


class LibraryStore:
    """Documents and clauses. Open one per thread; pass the path, not the object, across threads."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.conn = connect(path, readonly=readonly)
        self.conn.row_factory = sqlite3.Row
        self._db: sqlite_utils.Database | None = None
        if not readonly:
            migrate(self.db, LIBRARY_MIGRATIONS)

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite_utils over the same connection, for schema and bulk writes (readers never need it)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One `BEGIN IMMEDIATE … COMMIT`: a document is stored whole or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- writes ---------------------------------------------------------------------------------
    def replace_document(self, doc: Document, clauses: Sequence[Clause], *, root: str = "") -> None:
        """Store a document and its clauses, replacing any earlier version with the same id."""
        self.delete_document(doc.id)
        self.db.table("documents").insert(_document_row(doc, root, len(clauses)))
        # One executemany, not sqlite_utils' insert_all: its per-value checks and per-batch statement
        # building were half of a full build's save phase (~5 s of 10 on the full library).
        self.conn.executemany(_INSERT_CLAUSE, (_clause_values(c) for c in clauses))

    def replace_links(self, doc_id: str, links: dict[str, str]) -> None:
        """Store the links of a document's clauses (clause id -> JSON)."""
        self.conn.execute("DELETE FROM links WHERE doc_id = ?", (doc_id,))
        self.conn.executemany(
            "INSERT INTO links(clause_id, doc_id, data) VALUES (?, ?, ?)",
            [(cid, doc_id, data) for cid, data in links.items()],
        )

    def links(self, clause_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Clause id -> links JSON, for the given clauses or all."""
        if clause_ids is None:
            return {r[0]: r[1] for r in self.conn.execute("SELECT clause_id, data FROM links")}
        sql = "SELECT clause_id, data FROM links WHERE clause_id IN ({marks})"
        return {r[0]: r[1] for r in self._rows_by_id(sql, clause_ids)}

    def delete_document(self, doc_id: str) -> None:
        self.conn.execute("DELETE FROM links WHERE doc_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM clauses WHERE doc_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def set_ordinals(self, ordinals: dict[str, int]) -> None:
        self.conn.executemany("UPDATE documents SET ordinal = ? WHERE id = ?", [(o, i) for i, o in ordinals.items()])

    # -- reads ----------------------------------------------------------------------------------
    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """Map doc id -> (source, sha256) of what is stored."""
        rows = self.conn.execute("SELECT id, source, sha256 FROM documents")
        return {r["id"]: (r["source"], r["sha256"]) for r in rows}

    def documents(self) -> list[Document]:
        """Every document, in library order. Rows as plain tuples and the usual empty JSON not parsed: the
        first search loads all of them (superseded versions), and dict rows cost half its open time."""
        cur = self.conn.cursor()
        cur.row_factory = None
        rows = cur.execute(f"SELECT {', '.join(_DOCUMENT_FIELDS)} FROM documents ORDER BY ordinal, id")
        return [Document(id=i, title=title, kind=kind, issuer=issuer or "", date=date, status=status or "",
                         source=source or "", sha256=sha or "", ordinal=ordinal or 0,
                         history=_EMPTY_HISTORY if history in (None, "", "[]") else tuple(json.loads(history)),
                         meta={} if meta in (None, "", "{}") else json.loads(meta))
                for i, title, kind, issuer, date, status, source, sha, ordinal, history, meta in rows]

    def document(self, doc_id: str) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到文件：{doc_id}")
        return document_from_row(row)

    def clause(self, clause_id: str) -> Clause:
        row = self.conn.execute("SELECT * FROM clauses WHERE id = ?", (clause_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"找不到条款：{clause_id}")
        return clause_from_row(row)

    def _rows_by_id(self, sql: str, ids: Iterable[str]) -> Iterator[sqlite3.Row]:
        """Run `sql` (with one `{marks}` placeholder for an IN list) over `ids` in chunks."""
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def clause_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM clauses")]

    def heads_by_id(self, ids: Iterable[str]) -> dict[str, tuple[str, str, tuple[str, ...]]]:
        """Clause id -> (heading, level, path), without loading the clauses."""
        sql = "SELECT id, heading, level, path FROM clauses WHERE id IN ({marks})"
        return {r[0]: (r[1] or "", r[2], tuple(json.loads(r[3]))) for r in self._rows_by_id(sql, ids)}

    def clauses_by_id(self, ids: Iterable[str]) -> dict[str, Clause]:
        return {r["id"]: clause_from_row(r) for r in self._rows_by_id("SELECT * FROM clauses WHERE id IN ({marks})", ids)}

    def clauses(self, doc_id: str | None = None) -> Iterator[Clause]:
        """Clauses in document order (all documents when `doc_id` is None)."""
        if doc_id is None:
            sql = "SELECT c.* FROM clauses c JOIN documents d ON d.id = c.doc_id ORDER BY d.ordinal, d.id, c.ordinal"
            rows = self.conn.execute(sql)
        else:
            rows = self.conn.execute("SELECT * FROM clauses WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        for r in rows:
            yield clause_from_row(r)

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def count_clauses(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM clauses").fetchone()[0])

    def count_documents(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
