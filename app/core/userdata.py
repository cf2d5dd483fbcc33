"""The user database: everything people write (settings now; bookmarks, notes and corrections later).

It lives in the user data dir, never next to derived data, and is changed only by migrations.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from app.core.store import Migration, connect, migrate


def _user_v1(db: sqlite_utils.Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")


def _user_v2(db: sqlite_utils.Database) -> None:
    # A user's own lead/support departments and deadline for a clause (outrank everything).
    db.table("link_overrides").create(
        {"clause_id": str, "lead": str, "support": str, "deadline": str, "updated_at": str}, pk="clause_id")
    # Rows of an imported 任务分工表 matched to clauses (outrank inference and extraction).
    db.table("task_table").create(
        {"clause_id": str, "lead": str, "support": str, "deadline": str, "row": str, "source": str,
         "imported_at": str}, pk="clause_id")


USER_MIGRATIONS: tuple[Migration, ...] = (_user_v1, _user_v2)


class UserStore:
    """Settings and (later) bookmarks. One writer; each save is one immediate transaction."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path)
        self.conn.row_factory = sqlite3.Row
        self.db = sqlite_utils.Database(self.conn)
        migrate(self.db, USER_MIGRATIONS)

    def close(self) -> None:
        self.conn.close()

    def get(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row["value"])

    def overrides(self, table: str) -> dict[str, dict[str, Any]]:
        """Clause id -> {"lead": [...], "support": [...], "deadline": str|None} from `link_overrides`
        (the user's corrections) or `task_table` (an imported 分工表)."""
        assert table in ("link_overrides", "task_table")
        out: dict[str, dict[str, Any]] = {}
        for r in self.conn.execute(f"SELECT clause_id, lead, support, deadline FROM {table}"):
            out[r["clause_id"]] = {
                "lead": json.loads(r["lead"] or "null"), "support": json.loads(r["support"] or "null"),
                "deadline": r["deadline"],
            }
        return out

    def set_override(self, clause_id: str, *, lead: list[str] | None, support: list[str] | None,
                     deadline: str | None) -> None:
        """Save (or, with all three None, remove) the user's correction of one clause."""
        with self.conn:
            if lead is None and support is None and deadline is None:
                self.conn.execute("DELETE FROM link_overrides WHERE clause_id = ?", (clause_id,))
                return
            self.conn.execute(
                "INSERT OR REPLACE INTO link_overrides(clause_id, lead, support, deadline, updated_at) "
                "VALUES (?, ?, ?, ?, datetime('now'))",
                (clause_id, json.dumps(lead, ensure_ascii=False), json.dumps(support, ensure_ascii=False), deadline),
            )

    def replace_task_table(self, rows: list[dict[str, Any]], source: str) -> None:
        """Replace the imported 分工表 links with `rows` (one import is one transaction)."""
        with self.conn:
            self.conn.execute("DELETE FROM task_table")
            self.conn.executemany(
                "INSERT OR REPLACE INTO task_table(clause_id, lead, support, deadline, row, source, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, datetime('now'))",
                [(r["clause_id"], json.dumps(r["lead"], ensure_ascii=False),
                  json.dumps(r["support"], ensure_ascii=False), r["deadline"],
                  json.dumps(r["row"], ensure_ascii=False), source) for r in rows],
            )

    def set(self, key: str, value: Any) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
