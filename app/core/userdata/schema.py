"""Schema of the user DB: `PRAGMA user_version` steps, each applied in one transaction.

Plain SQL (no sqlite-utils) so a crash-test child process imports nothing but the standard library.
v1 and v2 create exactly the tables sqlite-utils created before, so old files and new ones look alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from app.core.errors import StorageError

UserMigration = Callable[[sqlite3.Connection], None]


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE [settings] (\n   [key] TEXT PRIMARY KEY,\n   [value] TEXT\n)")


def _v2(conn: sqlite3.Connection) -> None:
    # A user's own lead/support departments and deadline for a clause (outrank everything).
    conn.execute(
        "CREATE TABLE [link_overrides] (\n   [clause_id] TEXT PRIMARY KEY,\n   [lead] TEXT,\n   [support] TEXT,\n"
        "   [deadline] TEXT,\n   [updated_at] TEXT\n)")
    # Rows of an imported 任务分工表 matched to clauses (outrank inference and extraction).
    conn.execute(
        "CREATE TABLE [task_table] (\n   [clause_id] TEXT PRIMARY KEY,\n   [lead] TEXT,\n   [support] TEXT,\n"
        "   [deadline] TEXT,\n   [row] TEXT,\n   [source] TEXT,\n   [imported_at] TEXT\n)")


def _v3(conn: sqlite3.Connection) -> None:
    # change_seq counts committed saves; backup_seq is the change_seq the newest backup holds.
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta(key, value) VALUES ('change_seq', '0'), ('backup_seq', '0')")
    _v3_tasks(conn)
    _v3_indicators(conn)
    conn.execute("CREATE TABLE drafts (key TEXT PRIMARY KEY, text TEXT NOT NULL, updated_at TEXT NOT NULL)")


def _v3_tasks(conn: sqlite3.Connection) -> None:
    # Bookmarks as tasks. A deleted task keeps its row (deleted_at set) until purged: deletes are undoable.
    conn.execute("""
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            clause_id TEXT NOT NULL,
            indicator_key TEXT,
            doc_id TEXT NOT NULL DEFAULT '',
            anchor_doc_title TEXT NOT NULL DEFAULT '',
            anchor_path TEXT NOT NULL DEFAULT '[]',
            anchor_heading TEXT NOT NULL DEFAULT '',
            anchor_fingerprint TEXT NOT NULL DEFAULT '',
            anchor_text TEXT NOT NULL DEFAULT '',
            anchor_state TEXT NOT NULL DEFAULT 'ok' CHECK (anchor_state IN ('ok', 'moved', 'changed', 'missing')),
            note TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'parked')),
            priority INTEGER NOT NULL DEFAULT 2 CHECK (priority IN (1, 2, 3)),
            due TEXT,
            owner TEXT,
            collection TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        )""")
    # One live task per clause (and per indicator of a clause): bookmarking twice finds the first one.
    conn.execute("CREATE UNIQUE INDEX tasks_anchor ON tasks(clause_id, ifnull(indicator_key, '')) "
                 "WHERE deleted_at IS NULL")
    conn.execute("CREATE INDEX tasks_status ON tasks(status)")
    conn.execute("CREATE INDEX tasks_collection ON tasks(collection)")
    conn.execute("CREATE INDEX tasks_due ON tasks(due)")


def _v3_indicators(conn: sqlite3.Connection) -> None:
    conn.execute("""
        CREATE TABLE indicators (
            indicator_key TEXT PRIMARY KEY,
            clause_id TEXT NOT NULL,
            name TEXT NOT NULL,
            target REAL,
            unit TEXT NOT NULL DEFAULT '',
            comparator TEXT NOT NULL DEFAULT '>=',
            deadline INTEGER,
            baseline REAL,
            baseline_year INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    conn.execute("""
        CREATE TABLE indicator_values (
            indicator_key TEXT NOT NULL REFERENCES indicators(indicator_key) ON UPDATE CASCADE ON DELETE CASCADE,
            year INTEGER NOT NULL,
            value REAL NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (indicator_key, year)
        )""")


def _v4(conn: sqlite3.Connection) -> None:
    # Comments on clauses (征求意见: 修改意见, 理由, 意见类型, 提出单位…), anchored like tasks so they follow
    # their clause into a new version; optionally on a passage of it (quote + its offset in anchor_text).
    # Any number per clause. Deleted ones keep their row (deleted_at) until purged, like tasks.
    conn.execute("""
        CREATE TABLE comments (
            id TEXT PRIMARY KEY,
            clause_id TEXT NOT NULL,
            doc_id TEXT NOT NULL DEFAULT '',
            anchor_doc_title TEXT NOT NULL DEFAULT '',
            anchor_path TEXT NOT NULL DEFAULT '[]',
            anchor_heading TEXT NOT NULL DEFAULT '',
            anchor_fingerprint TEXT NOT NULL DEFAULT '',
            anchor_text TEXT NOT NULL DEFAULT '',
            anchor_state TEXT NOT NULL DEFAULT 'ok' CHECK (anchor_state IN ('ok', 'moved', 'changed', 'missing')),
            quote TEXT NOT NULL DEFAULT '',
            quote_offset INTEGER,
            kind TEXT NOT NULL DEFAULT 'modify' CHECK (kind IN ('modify', 'add', 'delete', 'other')),
            proposal TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            cited TEXT NOT NULL DEFAULT '[]',
            unit TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        )""")
    conn.execute("CREATE INDEX comments_clause ON comments(clause_id)")
    conn.execute("CREATE INDEX comments_doc ON comments(doc_id)")


def _v5(conn: sqlite3.Connection) -> None:
    # Version links between documents (征求意见稿 → 正式稿, a law → its amended text): how each was found
    # (app.core.versions) and the user's verdict. `certain` links hide the old version from default search
    # until the user rejects them; `suggested` ones wait for a confirmation.
    conn.execute("""
        CREATE TABLE version_links (
            old_id TEXT NOT NULL,
            new_id TEXT NOT NULL,
            method TEXT NOT NULL DEFAULT 'manual',
            state TEXT NOT NULL DEFAULT 'suggested' CHECK (state IN ('suggested', 'confirmed', 'rejected')),
            certain INTEGER NOT NULL DEFAULT 0,
            overlap REAL,
            old_title TEXT NOT NULL DEFAULT '',
            new_title TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (old_id, new_id)
        )""")


USER_MIGRATIONS: tuple[UserMigration, ...] = (_v1, _v2, _v3, _v4, _v5)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[UserMigration],
            before: Callable[[int, int], None] | None = None) -> int:
    """Apply the steps past `user_version`, each in one `BEGIN IMMEDIATE … COMMIT`; return the new version.

    `before(current, target)` runs once before the first step when the file already has a schema
    (current >= 1): the pre-migration backup. A crash inside a step leaves the old schema, never a mix.
    """
    version = user_version(conn)
    if version > len(migrations):
        raise StorageError("数据文件由更新版本的 PolicyDesk 创建，请升级程序后再打开",
                           detail=f"user_version {version} > {len(migrations)}")
    if version == len(migrations):
        return version
    if before is not None and version >= 1:
        before(version, len(migrations))
    for number, step in enumerate(migrations, start=1):
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) >= number:  # another process migrated meanwhile
                conn.execute("ROLLBACK")
                version = user_version(conn)
                continue
            step(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        version = number
    return version
