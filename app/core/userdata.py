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


USER_MIGRATIONS: tuple[Migration, ...] = (_user_v1,)


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

    def set(self, key: str, value: Any) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
