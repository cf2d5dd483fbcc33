"""Copies of the user data as `UserStore` operations: verified backups (the file mechanics are in
`backup`), restoring one, and sharing tasks as an export file."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import app.core.userdata.schema as schema
from app.core.errors import NotFoundError, PolicyDeskError, StorageError
from app.core.userdata.access import StoreBase, Tx, log
from app.core.userdata.backup import (
    BackupInfo,
    integrity_ok,
    list_backups,
    new_names,
    open_readonly,
    parse_name,
    rotate,
    snapshot,
)
from app.core.userdata.db import DatabaseCorruptError, atomic_write_bytes, translate
from app.core.userdata.import_summary import ImportSummary
from app.core.userdata.recovery import schema_version_of
from app.core.userdata.share import export_document, merge_document, parse_export


@dataclass(frozen=True)
class RestoreReport:
    restored_from: Path
    restored_at: dt.datetime
    safety_backup: Path  # the DB as it was before the restore

    @property
    def message(self) -> str:
        return (f"已从 {self.restored_at:%Y-%m-%d %H:%M} 的备份恢复；恢复前的数据已另存为备份 "
                f"{self.safety_backup.name}，需要时可再恢复")


class BackupRepo(StoreBase):
    """Backups in `<data>/backups/` (thinned as they age), restore, and the task export/import."""

    def export_tasks(self, path: Path) -> int:
        """Write all live tasks (anchors, notes), tracked indicators with progress and comments to a JSON file
        (temp file + fsync + os.replace); return the number of tasks."""
        doc = self._read(export_document)
        atomic_write_bytes(Path(path), json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
        return len(doc["tasks"])

    def import_tasks_json(self, path: Path) -> ImportSummary:
        """Merge an export file without duplicates (same id or same anchor: the newer `updated_at` wins).
        One transaction; a backup is made first when data changed since the last one."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise PolicyDeskError(f"无法读取文件：{path}", detail=str(exc)) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyDeskError("文件不是有效的 PolicyDesk 任务导出文件（编码错误）", detail=str(exc)) from exc
        doc = parse_export(text)
        self.backup_db()

        def fn(tx: Tx) -> ImportSummary:
            summary = merge_document(tx.conn, doc)
            tx.changed = summary.changed
            return summary

        return self._write(fn)

    # -- backups -------------------------------------------------------------------------------------------
    def changed_since_backup(self) -> bool:
        """True when something was saved after the newest backup (or no automatic backup exists)."""
        seq = self._read(lambda c: {r["key"]: r["value"] for r in c.execute("SELECT key, value FROM meta")})
        if seq.get("change_seq") != seq.get("backup_seq"):
            return True
        return not any(b.tag is None for b in list_backups(self.backup_dir, self._stem))

    def backup_db(self, *, force: bool = False, tag: str | None = None) -> Path | None:
        """Make a verified backup in `<data>/backups/` (plus its tasks-notes JSONL) and thin old ones.

        Skipped (None) unless data changed since the last backup, `force` or a `tag` (pre-restore, …)."""
        with self._backup_lock:
            if not force and tag is None and not self.changed_since_backup():
                return None
            try:
                self.backup_dir.mkdir(parents=True, exist_ok=True)
                final, jsonl = new_names(self.backup_dir, self._stem, dt.datetime.now(), tag)
                seq = snapshot(self._copy_into, final, None if tag else jsonl)
            except (sqlite3.Error, OSError) as exc:
                raise translate(exc) from exc

            def mark(tx: Tx) -> None:
                tx.changed = False
                tx.conn.execute("UPDATE meta SET value = ? WHERE key = 'backup_seq'", (str(seq),))

            self._write(mark)
            if tag is None:
                for p in rotate(self.backup_dir, self._stem, dt.date.today()):
                    log.info("old backup removed: %s", p.name)
            return final

    def _copy_into(self, dst: sqlite3.Connection) -> None:
        self._reader.run(lambda c: c.backup(dst), snapshot=False)

    def list_backups(self) -> list[BackupInfo]:
        """Backups, newest first, with date, size and task count."""
        return list_backups(self.backup_dir, self._stem)

    def restore_backup(self, path: Path) -> RestoreReport:
        """Replace the data with a backup. The current data is backed up first (tag pre-restore)."""
        path = Path(path)
        if not path.is_file():
            raise NotFoundError(f"找不到备份文件：{path}")
        if not integrity_ok(path):
            raise DatabaseCorruptError("该备份文件已损坏，无法恢复；请选择其他备份")
        version = schema_version_of(path)
        if version is None or version > len(schema.USER_MIGRATIONS):
            raise StorageError("该备份来自更新版本的 PolicyDesk，无法在此版本中恢复")
        parsed = parse_name(path.name, self._stem)
        when = parsed[0].replace(microsecond=0) if parsed else dt.datetime.fromtimestamp(path.stat().st_mtime)
        with self._backup_lock:
            safety = self.backup_db(force=True, tag="pre-restore")
            assert safety is not None

            def run(conn: sqlite3.Connection) -> None:
                row = conn.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()
                seq = int(row[0]) + 1 if row else 1
                with closing(open_readonly(path)) as src:
                    src.backup(conn)
                schema.migrate(conn, schema.USER_MIGRATIONS)
                # Keep the counter monotonic; the content equals a backup, so nothing is "changed".
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE meta SET value = ? WHERE key IN ('change_seq', 'backup_seq')", (str(seq),))
                conn.execute("COMMIT")

            with self._reader.lock:
                self._call(run)
        return RestoreReport(path, when, safety)
