"""Drafts in the user DB (editor text saved as it is typed): a part of `UserStore`."""

from __future__ import annotations

from app.core.userdata.access import StoreBase, Tx
from app.core.userdata.model import Draft, now_iso


class DraftRepo(StoreBase):
    """Autosaved editor text by key."""

    def save_draft(self, key: str, text: str) -> str:
        """Autosave editor text; returns a notice when text had to be cleaned ("" otherwise)."""

        def fn(tx: Tx) -> str:
            c = tx.clean
            tx.conn.execute("INSERT INTO drafts(key, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE "
                            "SET text = excluded.text, updated_at = excluded.updated_at", (c(key), c(text), now_iso()))
            return c.notice()

        return self._write(fn)

    def get_draft(self, key: str) -> Draft | None:
        row = self._read(lambda c: c.execute("SELECT * FROM drafts WHERE key = ?", (key,)).fetchone())
        return None if row is None else Draft(row["key"], row["text"], row["updated_at"])

    def clear_draft(self, key: str) -> None:
        def fn(tx: Tx) -> None:
            tx.changed = tx.conn.execute("DELETE FROM drafts WHERE key = ?", (key,)).rowcount > 0

        self._write(fn)

    def list_drafts(self) -> list[Draft]:
        sql = "SELECT * FROM drafts ORDER BY updated_at DESC"
        return self._read(lambda c: [Draft(r["key"], r["text"], r["updated_at"]) for r in c.execute(sql)])
