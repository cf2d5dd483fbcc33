"""Version links in the user DB (table `version_links`, schema v5): old document → newer version, how the
link was found and what the user said about it.

Detection (`app.core.versions`) records a link once, as `suggested`; a link found with certainty (`certain`)
already counts as in force. The user then confirms or rejects it, and can undo either (back to
`suggested`); detection never overrides what the user decided. A link the user makes by hand is
`confirmed` with method `manual`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata.access import StoreBase, Tx
from app.core.userdata.model import now_iso

SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"
STATES = (SUGGESTED, CONFIRMED, REJECTED)
STATE_LABELS = {SUGGESTED: "待确认", CONFIRMED: "已确认", REJECTED: "已否定"}
AUTO_LABEL = "自动识别"  # a suggested link found with certainty: in force until the user rejects it
METHOD_LABELS = {
    "same_title": "同名文件，版本日期较新",
    "stage": "标题相同，起草阶段靠后",
    "date": "标题相同，版本日期较新",
    "manual": "手工关联",
}


@dataclass(frozen=True)
class VersionLink:
    """`new_id` is a later version of `old_id`."""

    old_id: str
    new_id: str
    method: str  # same_title | stage | date | manual
    state: str  # suggested | confirmed | rejected
    certain: bool  # found with certainty: in force while suggested
    overlap: float | None  # share of the old version's clauses found in the new one (None: not measured)
    old_title: str = ""
    new_title: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def active(self) -> bool:
        """In force: the old version is hidden from default search and its work follows the new one."""
        return self.state == CONFIRMED or (self.state == SUGGESTED and self.certain)

    @property
    def state_label(self) -> str:
        return AUTO_LABEL if self.state == SUGGESTED and self.certain else STATE_LABELS[self.state]

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    def to_json(self) -> dict[str, Any]:
        return {"old_id": self.old_id, "new_id": self.new_id, "method": self.method,
                "method_label": self.method_label, "state": self.state, "state_label": self.state_label,
                "certain": self.certain, "active": self.active, "overlap": self.overlap,
                "old_title": self.old_title, "new_title": self.new_title, "created_at": self.created_at,
                "updated_at": self.updated_at}


def _link(row: sqlite3.Row) -> VersionLink:
    return VersionLink(old_id=row["old_id"], new_id=row["new_id"], method=row["method"], state=row["state"],
                       certain=bool(row["certain"]), overlap=row["overlap"], old_title=row["old_title"],
                       new_title=row["new_title"], created_at=row["created_at"], updated_at=row["updated_at"])


class VersionLinks:
    """The `version_links` table of one user store (its write discipline: one transaction per call)."""

    def __init__(self, store: StoreBase) -> None:
        self.store = store

    def all(self) -> list[VersionLink]:
        sql = "SELECT * FROM version_links ORDER BY created_at, old_id, new_id"
        return self.store._read(lambda c: [_link(r) for r in c.execute(sql)])

    def get(self, old_id: str, new_id: str) -> VersionLink | None:
        row = self.store._read(lambda c: c.execute(
            "SELECT * FROM version_links WHERE old_id = ? AND new_id = ?", (old_id, new_id)).fetchone())
        return None if row is None else _link(row)

    def record(self, found: Iterable[VersionLink]) -> list[VersionLink]:
        """Store detected links not stored yet (as they come: suggested); return the new ones.

        One transaction, and none at all when nothing is new (no backup churn on every refresh)."""
        known = {(link.old_id, link.new_id) for link in self.all()}
        new = [f for f in found if (f.old_id, f.new_id) not in known]
        if not new:
            return []

        def fn(tx: Tx) -> list[VersionLink]:
            now = now_iso()
            c = tx.clean
            for f in new:
                tx.conn.execute(
                    "INSERT OR IGNORE INTO version_links(old_id, new_id, method, state, certain, overlap, old_title, "
                    "new_title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (c(f.old_id), c(f.new_id), f.method, f.state, int(f.certain), f.overlap, c(f.old_title),
                     c(f.new_title), now, now))
            return [link for link in (self._row(tx.conn, f.old_id, f.new_id) for f in new) if link is not None]

        return self.store._write(fn)

    def set_state(self, old_id: str, new_id: str, state: str, *, old_title: str = "",
                  new_title: str = "") -> VersionLink:
        """Confirm, reject or reset (suggested) a link; confirming an unknown pair creates a manual link."""
        if state not in STATES:
            raise PolicyDeskError(f"未知的版本关联状态：{state}")
        if old_id == new_id:
            raise PolicyDeskError("不能把文件关联为它自己的新版本")

        def fn(tx: Tx) -> VersionLink:
            now = now_iso()
            found = self._row(tx.conn, old_id, new_id)
            if found is None:
                if state != CONFIRMED:
                    raise NotFoundError(f"没有这条版本关联：{old_id} → {new_id}")
                c = tx.clean
                tx.conn.execute(
                    "INSERT INTO version_links(old_id, new_id, method, state, certain, overlap, old_title, new_title, "
                    "created_at, updated_at) VALUES (?, ?, 'manual', ?, 0, NULL, ?, ?, ?, ?)",
                    (c(old_id), c(new_id), state, c(old_title), c(new_title), now, now))
            elif found.state == state:
                tx.changed = False
            else:
                tx.conn.execute("UPDATE version_links SET state = ?, updated_at = ? WHERE old_id = ? AND new_id = ?",
                                (state, now, old_id, new_id))
            link = self._row(tx.conn, old_id, new_id)
            assert link is not None
            return link

        return self.store._write(fn)

    @staticmethod
    def _row(conn: sqlite3.Connection, old_id: str, new_id: str) -> VersionLink | None:
        row = conn.execute("SELECT * FROM version_links WHERE old_id = ? AND new_id = ?", (old_id, new_id)).fetchone()
        return None if row is None else _link(row)
