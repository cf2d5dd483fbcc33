"""检查数据 (RELIABILITY.md C4.3/C4.4): a full `PRAGMA integrity_check` + `foreign_key_check` of the user DB
and the library DB, and opening the search index, on demand (设置 › 数据备份与恢复 › 检查数据) and weekly
at start. The time of the last run is kept in the user DB (settings key `LAST_CHECK_KEY`)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.userdata.backup import open_readonly

log = logging.getLogger("policydesk.userdata")

LAST_CHECK_KEY = "integrity.last_check"
CHECK_INTERVAL = dt.timedelta(days=7)
_MAX_DETAIL = 300

LABEL_USER = "用户数据（任务、笔记、设置）"
LABEL_LIBRARY = "文库数据库（条款）"
LABEL_INDEX = "搜索索引"
ADVICE = {
    LABEL_USER: "请在“设置 → 数据备份与恢复”中从最近的备份恢复，或重新启动程序（启动时会自动修复）",
    LABEL_LIBRARY: "请用“文库 → 重建索引”重新建立文库（您的任务和笔记不受影响）",
    LABEL_INDEX: "请用“文库 → 重建索引”重新建立索引（您的任务和笔记不受影响）",
}


@dataclass(frozen=True)
class CheckItem:
    label: str
    ok: bool
    detail: str  # "正常", "尚未建立", or what is wrong


@dataclass
class DataCheckReport:
    items: list[CheckItem] = field(default_factory=list)
    checked_at: dt.datetime = field(default_factory=dt.datetime.now)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)

    @property
    def problems(self) -> list[CheckItem]:
        return [i for i in self.items if not i.ok]

    @property
    def message(self) -> str:
        """One Chinese paragraph for the dialog or the banner."""
        when = f"{self.checked_at:%Y-%m-%d %H:%M}"
        if self.ok:
            parts = "；".join(f"{i.label}：{i.detail}" for i in self.items)
            return f"数据检查完成（{when}），未发现问题。{parts}"
        lines = [f"数据检查（{when}）发现问题："]
        lines += [f"· {i.label}：{i.detail}。{ADVICE.get(i.label, '')}" for i in self.problems]
        return "\n".join(lines)


def check_sqlite(path: Path) -> tuple[bool, str]:
    """(ok, Chinese detail) for one SQLite file: `integrity_check` and `foreign_key_check`, read-only."""
    if not path.exists():
        return True, "尚未建立"
    try:
        with closing(open_readonly(path)) as conn:
            conn.execute("PRAGMA busy_timeout=5000")
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                return False, "文件已损坏（" + "；".join(rows)[:_MAX_DETAIL] + "）"
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                return False, f"有 {len(fk)} 条记录的关联数据缺失"
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return True, "正被其他操作占用，本次未检查"
        return False, f"无法读取（{exc}）"
    return True, "正常"


def check_index(index_dir: Path) -> tuple[bool, str]:
    """(ok, detail): the current index generation opens, and its document count matches its pointer."""
    from app.core.errors import PolicyDeskError
    from app.core.search.indexer import IndexStore  # lazy: whoosh is heavy and not needed elsewhere here

    store = IndexStore(index_dir)
    if store.pointer() is None:
        return True, "尚未建立"
    if not store.is_ready():
        return False, "索引文件不完整或版本已变化"
    try:
        ix: Any = store.open()
        try:
            n = int(ix.doc_count())
            with ix.searcher() as s:
                s.doc_count()
        finally:
            ix.close()
        store.load_side_files()
    except PolicyDeskError as exc:
        return False, exc.message
    except Exception as exc:  # whoosh raises many kinds on damaged files
        return False, f"无法打开（{type(exc).__name__}）"
    expected = (store.pointer() or {}).get("doc_count")
    if isinstance(expected, int) and expected != n:
        return False, f"条目数不符（{n}，应为 {expected}）"
    return True, f"正常（{n} 条）"


def check_data(user_db: Path, library_db: Path, index_dir: Path) -> DataCheckReport:
    """Run every check; never raises (a failure to check is reported as a problem)."""
    start = time.monotonic()
    report = DataCheckReport()
    checks: list[tuple[str, Callable[[Path], tuple[bool, str]], Path]] = [
        (LABEL_USER, check_sqlite, user_db), (LABEL_LIBRARY, check_sqlite, library_db),
        (LABEL_INDEX, check_index, index_dir)]
    for label, run, path in checks:
        try:
            ok, detail = run(path)
        except Exception as exc:
            log.exception("data check of %s failed", label)
            ok, detail = False, f"检查时出错（{type(exc).__name__}）"
        report.items.append(CheckItem(label, ok, detail))
    report.seconds = time.monotonic() - start
    log.info("data check in %.2f s: %s", report.seconds, [(i.label, i.ok, i.detail) for i in report.items])
    return report


def last_check(user: Any) -> dt.datetime | None:
    """When the check last ran (from the user DB), or None."""
    value = user.get(LAST_CHECK_KEY)
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def record_check(user: Any, report: DataCheckReport) -> None:
    user.set(LAST_CHECK_KEY, report.checked_at.isoformat(timespec="seconds"))


def check_due(user: Any, now: dt.datetime | None = None, interval: dt.timedelta = CHECK_INTERVAL) -> bool:
    """True when the check never ran or last ran `interval` ago (or the clock was set back past it)."""
    last = last_check(user)
    now = now or dt.datetime.now()
    return last is None or now - last >= interval or last > now + dt.timedelta(days=1)


def run_check(user: Any, user_db: Path, library_db: Path, index_dir: Path) -> DataCheckReport:
    """Check and remember when (the 检查数据 button)."""
    report = check_data(user_db, library_db, index_dir)
    try:
        record_check(user, report)
    except Exception as exc:  # remembering is a convenience; the check itself is done
        log.warning("could not record the data check: %s", exc)
    return report


def run_weekly_check(user: Any, user_db: Path, library_db: Path, index_dir: Path,
                     now: dt.datetime | None = None) -> DataCheckReport | None:
    """At start: the full check when a week has passed since the last one; None when not due."""
    if not check_due(user, now):
        return None
    return run_check(user, user_db, library_db, index_dir)
