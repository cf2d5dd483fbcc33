"""Settings and the user's link corrections in the user DB: a part of `UserStore` (used by Library)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.core.userdata.access import StoreBase, Tx

MY_DEPARTMENT_KEY = "user.department"  # settings key: the user's own department (name as in the KB)


class SettingsRepo(StoreBase):
    """Settings (`get`/`set`), the user's corrections of a clause's departments (`link_overrides`) and
    the imported 分工表 (`task_table`)."""

    def get(self, key: str, default: Any = None) -> Any:
        row = self._read(lambda c: c.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone())
        return default if row is None else json.loads(row["value"])

    def set(self, key: str, value: Any) -> None:
        def fn(tx: Tx) -> None:
            tx.conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (tx.clean(key), tx.clean(json.dumps(value, ensure_ascii=False))))

        self._write(fn)

    def overrides(self, table: str) -> dict[str, dict[str, Any]]:
        """Clause id -> {"lead": [...], "support": [...], "deadline": str|None} from `link_overrides`
        (the user's corrections) or `task_table` (an imported 分工表)."""
        if table not in ("link_overrides", "task_table"):
            raise ValueError(table)

        def fn(c: sqlite3.Connection) -> dict[str, dict[str, Any]]:
            return {
                r["clause_id"]: {"lead": json.loads(r["lead"] or "null"), "support": json.loads(r["support"] or "null"),
                                 "deadline": r["deadline"]}
                for r in c.execute(f"SELECT clause_id, lead, support, deadline FROM {table}")
            }

        return self._read(fn)

    def set_override(self, clause_id: str, *, lead: list[str] | None, support: list[str] | None,
                     deadline: str | None) -> None:
        """Save (or, with all three None, remove) the user's correction of one clause."""

        def fn(tx: Tx) -> None:
            if lead is None and support is None and deadline is None:
                tx.conn.execute("DELETE FROM link_overrides WHERE clause_id = ?", (clause_id,))
                return
            c = tx.clean
            tx.conn.execute(
                "INSERT OR REPLACE INTO link_overrides(clause_id, lead, support, deadline, updated_at) "
                "VALUES (?, ?, ?, ?, datetime('now'))",
                (c(clause_id), c(json.dumps(lead, ensure_ascii=False)), c(json.dumps(support, ensure_ascii=False)),
                 None if deadline is None else c(deadline)))

        self._write(fn)

    def replace_task_table(self, rows: list[dict[str, Any]], source: str) -> None:
        """Replace the imported 分工表 links with `rows` (one import is one transaction)."""

        def fn(tx: Tx) -> None:
            c = tx.clean
            tx.conn.execute("DELETE FROM task_table")
            tx.conn.executemany(
                "INSERT OR REPLACE INTO task_table(clause_id, lead, support, deadline, row, source, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, datetime('now'))",
                [(c(r["clause_id"]), c(json.dumps(r["lead"], ensure_ascii=False)),
                  c(json.dumps(r["support"], ensure_ascii=False)), r["deadline"],
                  c(json.dumps(r["row"], ensure_ascii=False)), c(source)) for r in rows])

        self._write(fn)
