"""Tracked indicators and their yearly values in the user DB: a part of `UserStore`."""

from __future__ import annotations

import sqlite3

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata.access import StoreBase, Tx
from app.core.userdata.model import (
    COMPARATORS,
    IndicatorValue,
    TrackedIndicator,
    finite,
    indicator_from_row,
    indicator_key,
    now_iso,
)
from app.core.userdata.progress import IndicatorProgress, compute_progress


class IndicatorRepo(StoreBase):
    """Indicators the user follows (target, deadline, baseline) and the actual value per year."""

    def track_indicator(self, clause_id: str, name: str, *, target: float | None, unit: str = "",
                        comparator: str = ">=", deadline: int | None = None, baseline: float | None = None,
                        baseline_year: int | None = None) -> TrackedIndicator:
        """Follow an indicator (created or updated; its key is `indicator_key(clause_id, name)`)."""
        if comparator not in COMPARATORS:
            raise PolicyDeskError(f"未知的比较方式：{comparator}")
        tgt, base = finite(target, "目标值"), finite(baseline, "基期值")
        dl = None if deadline is None else int(deadline)
        by = None if baseline_year is None else int(baseline_year)

        def fn(tx: Tx) -> TrackedIndicator:
            c = tx.clean
            cid, nm = c(clause_id), c(name)
            key, now = indicator_key(cid, nm), now_iso()
            tx.conn.execute(
                "INSERT INTO indicators(indicator_key, clause_id, name, target, unit, comparator, deadline, baseline, "
                "baseline_year, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(indicator_key) DO UPDATE SET target = excluded.target, unit = excluded.unit, "
                "comparator = excluded.comparator, deadline = excluded.deadline, baseline = excluded.baseline, "
                "baseline_year = excluded.baseline_year, updated_at = excluded.updated_at",
                (key, cid, nm, tgt, c(unit), comparator, dl, base, by, now, now))
            return self._indicator_row(tx.conn, key)

        return self._write(fn)

    @staticmethod
    def _indicator_row(conn: sqlite3.Connection, key: str) -> TrackedIndicator:
        row = conn.execute("SELECT * FROM indicators WHERE indicator_key = ?", (key,)).fetchone()
        if row is None:
            raise NotFoundError(f"未跟踪该指标：{key}")
        return indicator_from_row(row)

    def untrack_indicator(self, key: str) -> None:
        """Stop following an indicator; its yearly values go with it (backups keep them)."""

        def fn(tx: Tx) -> None:
            self._indicator_row(tx.conn, key)
            tx.conn.execute("DELETE FROM indicators WHERE indicator_key = ?", (key,))

        self._write(fn)

    def get_indicator(self, key: str) -> TrackedIndicator:
        return self._read(lambda c: self._indicator_row(c, key))

    def tracked_indicators(self, clause_id: str | None = None) -> list[TrackedIndicator]:
        def fn(c: sqlite3.Connection) -> list[TrackedIndicator]:
            if clause_id is None:
                rows = c.execute("SELECT * FROM indicators ORDER BY clause_id, name")
            else:
                rows = c.execute("SELECT * FROM indicators WHERE clause_id = ? ORDER BY name", (clause_id,))
            return [indicator_from_row(r) for r in rows]

        return self._read(fn)

    def set_indicator_value(self, key: str, year: int, value: float, source: str = "") -> IndicatorValue:
        """Record (or correct) the actual value of a tracked indicator in one year."""
        val = finite(value, "指标数值")
        if val is None:
            raise PolicyDeskError("指标数值不能为空")
        yr = int(year)

        def fn(tx: Tx) -> IndicatorValue:
            self._indicator_row(tx.conn, key)
            now = now_iso()
            src = tx.clean(source)
            tx.conn.execute(
                "INSERT INTO indicator_values(indicator_key, year, value, source, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(indicator_key, year) DO UPDATE SET value = excluded.value, source = excluded.source, "
                "updated_at = excluded.updated_at", (key, yr, val, src, now))
            return IndicatorValue(key, yr, val, src, now)

        return self._write(fn)

    def delete_indicator_value(self, key: str, year: int) -> None:
        def fn(tx: Tx) -> None:
            n = tx.conn.execute("DELETE FROM indicator_values WHERE indicator_key = ? AND year = ?",
                                (key, int(year))).rowcount
            tx.changed = n > 0

        self._write(fn)

    def indicator_values(self, key: str) -> list[IndicatorValue]:
        sql = "SELECT * FROM indicator_values WHERE indicator_key = ? ORDER BY year"
        return self._read(lambda c: [IndicatorValue(r["indicator_key"], r["year"], r["value"], r["source"],
                                                    r["updated_at"]) for r in c.execute(sql, (key,))])

    def indicator_progress(self, key: str, *, as_of: int | None = None) -> IndicatorProgress:
        def fn(c: sqlite3.Connection) -> IndicatorProgress:
            ind = self._indicator_row(c, key)
            values = {r["year"]: r["value"] for r in
                      c.execute("SELECT year, value FROM indicator_values WHERE indicator_key = ?", (key,))}
            return compute_progress(target=ind.target, comparator=ind.comparator, deadline=ind.deadline,
                                    baseline=ind.baseline, baseline_year=ind.baseline_year, values=values,
                                    as_of=as_of)

        return self._read(fn)
