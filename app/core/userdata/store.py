"""UserStore: the service over the user DB (settings, corrections, tasks, indicator progress, drafts,
sharing, backups). Every write runs on one writer thread as one `BEGIN IMMEDIATE … COMMIT`; reads use a
second connection. Public methods block until done and may be called from any thread.

The parts live beside it, over the plumbing of `access.StoreBase`: `settings` (settings and link
corrections), `tasks`, `indicators`, `drafts`, `backups` (backup, restore, export/import), `startup`
(`UserStore.open`); comments are `UserStore.comments` (`comments.CommentStore`)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from types import TracebackType

from app.core.errors import PolicyDeskError
from app.core.userdata.access import log
from app.core.userdata.backups import BackupRepo
from app.core.userdata.comments import CommentStore
from app.core.userdata.db import BUSY_TIMEOUT_MS
from app.core.userdata.drafts import DraftRepo
from app.core.userdata.indicators import IndicatorRepo
from app.core.userdata.recovery import OpenReport
from app.core.userdata.settings import SettingsRepo
from app.core.userdata.startup import open_store
from app.core.userdata.tasks import TaskRepo


class UserStore(SettingsRepo, TaskRepo, IndicatorRepo, DraftRepo, BackupRepo):
    """Everything people write: settings, link corrections, tasks (bookmarks + notes), tracked indicators
    and drafts. `UserStore(path)` opens and migrates; `UserStore.open(data_dir)` also runs the start-up
    checks and recovery (use it once per app start, then share the instance).

    `busy_timeout_ms`: how long a save waits for another program's lock before `DatabaseBusyError`.
    `wal_autocheckpoint`: pages before SQLite checkpoints the WAL (None = SQLite's default; tests use 0).
    """

    def close(self) -> None:
        """Back up if data changed (stores from `open`), close both connections, remove the marker."""
        if self._closed:
            return
        if self._backup_on_close:
            try:
                self.backup_db()
            except PolicyDeskError as exc:
                log.warning("backup on close failed: %s", exc.detail or exc.message)
        self._closed = True
        self._finalizer()
        if self._marker is not None:
            self._marker.unlink(missing_ok=True)

    def _abandon(self) -> None:
        """Tests only: drop the connections as a crash would (an open transaction is lost, the marker stays)."""
        self._closed = True
        self._finalizer()

    def __enter__(self) -> UserStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @cached_property
    def comments(self) -> CommentStore:
        """Comments on clauses (征求意见), stored and backed up with everything else here."""
        return CommentStore(self)

    @classmethod
    def open(cls, data_dir: Path, *, db_name: str = "user.db", busy_timeout_ms: int = BUSY_TIMEOUT_MS,
             backup_on_start: bool = True) -> tuple[UserStore, OpenReport]:
        """Start-up path for the GUI and the CLI: marker, quick_check, recovery, migration, backup.

        Never raises for a damaged file (it is moved to `damaged-<ts>/` and the newest good backup
        restored; `report.message` says so). Raises typed StorageErrors for a locked or unwritable folder.
        The returned store backs up on `close()` and removes the marker (unclean-exit detection).
        """
        return open_store(lambda db: cls(db, busy_timeout_ms=busy_timeout_ms), Path(data_dir), db_name,
                          busy_timeout_ms=busy_timeout_ms, backup_on_start=backup_on_start)
