"""Opening the user DB at start-up (RELIABILITY.md C4): the unclean-exit marker, `quick_check`, recovery
from the newest good backup, salvage of the damaged file, the start-up warnings and backup."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

import app.core.userdata.schema as schema
from app.core.errors import PolicyDeskError
from app.core.userdata.access import Tx
from app.core.userdata.backup import BACKUP_DIR, newest_jsonl, open_readonly, read_meta, remove_partials
from app.core.userdata.backups import BackupRepo
from app.core.userdata.db import DatabaseCorruptError, translate
from app.core.userdata.import_summary import ImportSummary
from app.core.userdata.recovery import (
    MARKER,
    OpenReport,
    check_health,
    move_damaged,
    restore_newest,
    write_marker,
)
from app.core.userdata.salvage import SALVAGED_NAME, salvage_into, salvage_to_file
from app.core.userdata.share import export_document, merge_document, merge_jsonl

log = logging.getLogger("policydesk.userdata")

S = TypeVar("S", bound=BackupRepo)


def open_store(factory: Callable[[Path], S], data_dir: Path, db_name: str, *, busy_timeout_ms: int,
               backup_on_start: bool) -> tuple[S, OpenReport]:
    """`UserStore.open`: `factory(db)` opens the store once the file at `data_dir / db_name` is healthy."""
    db = data_dir / db_name
    backup_dir = data_dir / BACKUP_DIR
    report = OpenReport()
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise translate(exc) from exc
    report.partials_removed = remove_partials(backup_dir)
    marker = data_dir / MARKER
    report.unclean_exit = marker.exists()
    missing = not db.exists()
    store = _open_healthy(factory, db, backup_dir, busy_timeout_ms, report)
    write_marker(marker)
    store._marker = marker
    store._backup_on_close = True
    if report.recovered:
        _salvage_and_reimport(store, db, backup_dir, report)
    _check_after_open(store, db, missing, report)
    if backup_on_start:
        try:
            report.backup = store.backup_db()
        except PolicyDeskError as exc:
            report.warnings.append(f"启动时备份未完成：{exc.message}")
    return store, report


def _open_healthy(factory: Callable[[Path], S], db: Path, backup_dir: Path, busy_timeout_ms: int,
                  report: OpenReport) -> S:
    """Open `db`; when `quick_check` or opening finds it damaged, recover (at most twice) and open that."""
    for attempt in (1, 2):
        problem = check_health(db, busy_timeout_ms)
        if problem is None:
            try:
                return factory(db)
            except DatabaseCorruptError as exc:
                if attempt == 2:
                    raise
                problem = exc.detail or exc.message
        _recover(db, backup_dir, problem, report)
    return factory(db)  # recovered twice: the file is now a verified backup or a new one


def _check_after_open(store: BackupRepo, db: Path, missing: bool, report: OpenReport) -> None:
    """The start-up warnings: a data file gone missing (while backups hold data), lost commits, an unclean exit."""
    if missing:
        older = [b for b in store.list_backups() if b.tasks or b.comments]
        if older:
            report.warnings.append(
                f"找不到数据文件 {db.name}（可能被删除或移走），已新建空白数据文件。{older[0].created:%Y-%m-%d %H:%M} "
                "的备份中有数据，可在“设置 → 数据备份与恢复”中恢复")
    elif not report.recovered:
        _check_lost_wal(store, report)
        if report.unclean_exit:
            report.warnings.append("上次程序未正常退出；已检查数据文件，未发现问题")


def _recover(db: Path, backup_dir: Path, problem: str, report: OpenReport) -> None:
    log.error("user DB damaged (%s); recovering", problem[:300])
    report.recovered = True
    report.problem = problem
    try:
        report.damaged_dir = move_damaged(db)
        info = restore_newest(backup_dir, db.stem, db, len(schema.USER_MIGRATIONS))
    except OSError as exc:
        raise translate(exc) from exc
    if info is not None:
        report.restored_from, report.restored_at = info.path, info.created
        report.message = (f"数据文件已损坏，已从 {info.created:%Y-%m-%d %H:%M} 的备份恢复；该时间之后的修改可能丢失，"
                          f"原文件已保存在 {report.damaged_dir}")
    else:
        report.message = f"数据文件已损坏，且没有可用的备份，已新建空白数据文件；原文件已保存在 {report.damaged_dir}"


def _salvage_and_reimport(store: BackupRepo, db: Path, backup_dir: Path, report: OpenReport) -> None:
    """After recovery: without a backup, the newest tasks-notes JSONL first; then every readable row of the
    damaged file (C4.2): straight into the new file (a newer `updated_at` wins), or, when a backup was
    restored, into `damaged-<ts>/salvaged-user.db` with the tasks newer than the backup merged in.
    `report.message` says what came back."""
    jl = newest_jsonl(backup_dir) if report.restored_from is None else None
    if jl is not None:
        lines = jl[0].read_text(encoding="utf-8", errors="replace").splitlines()

        def fn(tx: Tx) -> ImportSummary:
            return merge_jsonl(tx.conn, lines)

        report.reimported = store._write(fn)
    damaged = report.damaged_dir / db.name if report.damaged_dir is not None else None
    merged: ImportSummary | None = None
    if damaged is not None and damaged.exists():
        try:
            if report.restored_from is None:
                report.salvaged = store._call(lambda conn: salvage_into(damaged, conn))
            else:
                report.salvaged = salvage_to_file(damaged, damaged.parent / SALVAGED_NAME)
                if report.salvaged.total:
                    with closing(open_readonly(report.salvaged.target or damaged)) as conn:
                        doc = export_document(conn)

                    def merge(tx: Tx) -> ImportSummary:
                        return merge_document(tx.conn, doc)

                    merged = store._write(merge)
        except (sqlite3.Error, OSError, PolicyDeskError) as exc:
            log.warning("salvage failed: %s", exc)
    report.message = _recovery_message(report, merged, jl)


def _recovery_message(report: OpenReport, merged: ImportSummary | None, jl: tuple[Path, dt.datetime] | None) -> str:
    salvaged = report.salvaged
    saved = salvaged.summary() if salvaged is not None and salvaged.total else ""
    where = f"原文件已保存在 {report.damaged_dir}"
    if report.restored_at is not None:
        msg = f"数据文件已损坏，已从 {report.restored_at:%Y-%m-%d %H:%M} 的备份恢复；该时间之后的修改可能丢失，{where}"
        if saved and salvaged is not None:
            msg += f"；另{saved}，已另存为 {salvaged.target}"
            if merged is not None and (merged.added or merged.updated):
                msg += f"，其中比备份更新的 {merged.added + merged.updated} 条任务已合并"
        return msg
    if not saved and report.reimported is None:
        return f"数据文件已损坏，且没有可用的备份，已新建空白数据文件；{where}"
    msg = "数据文件已损坏，且没有可用的备份；已新建数据文件"
    if jl is not None and report.reimported is not None:
        msg += f"，并从 {jl[1]:%Y-%m-%d %H:%M} 的任务笔记记录（{jl[0].name}）恢复了 {report.reimported.added} 条任务"
    if saved:
        msg += f"；另{saved}"
    return msg + f"；部分修改可能丢失，{where}"


def _check_lost_wal(store: BackupRepo, report: OpenReport) -> None:
    """D6: a backup that holds more saves than the live file means commits were lost (e.g. -wal deleted)."""
    live = store._read(lambda c: int(c.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0]))
    for info in store.list_backups():
        if info.tag is not None:
            continue
        seq = read_meta(info.path, "change_seq")
        if seq is not None and seq > live:
            report.warnings.append(
                f"数据文件可能缺少最近的修改（日志文件 {store.path.name}-wal 可能被删除或移走）：{info.created:%Y-%m-%d %H:%M} "
                "的备份比当前数据更新。请在“设置 → 数据备份与恢复”中查看，必要时从该备份恢复")
        break
