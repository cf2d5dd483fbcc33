"""The user database: everything people write (settings, link corrections, tasks with notes, indicator
progress, drafts, comments on clauses). It lives in the user data dir, never next to derived data, and is changed only by
migrations. See RELIABILITY.md "Database" (D1-D13) and C2-C4 for the write discipline, backups and recovery.

`UserStore(path)` opens a store; `UserStore.open(data_dir)` is the start-up path (checks, recovery, backup).
"""

from __future__ import annotations

from app.core.userdata.backup import BackupInfo, thin
from app.core.userdata.backups import RestoreReport
from app.core.userdata.comment_model import KIND_LABELS as COMMENT_KIND_LABELS
from app.core.userdata.comment_model import Comment, CommentDefaults
from app.core.userdata.comments import CommentStore
from app.core.userdata.db import DatabaseBusyError, DatabaseCorruptError, DiskFullError, clean_text
from app.core.userdata.import_summary import ImportSummary
from app.core.userdata.model import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    Draft,
    IndicatorValue,
    Task,
    TrackedIndicator,
    indicator_key,
    text_fingerprint,
)
from app.core.userdata.progress import PROGRESS_LABELS, IndicatorProgress, compute_progress
from app.core.userdata.recovery import OpenReport
from app.core.userdata.settings import MY_DEPARTMENT_KEY
from app.core.userdata.store import UserStore

__all__ = [
    "COMMENT_KIND_LABELS",
    "MY_DEPARTMENT_KEY",
    "PRIORITY_LABELS",
    "PROGRESS_LABELS",
    "STATUS_LABELS",
    "BackupInfo",
    "Comment",
    "CommentDefaults",
    "CommentStore",
    "DatabaseBusyError",
    "DatabaseCorruptError",
    "DiskFullError",
    "Draft",
    "ImportSummary",
    "IndicatorProgress",
    "IndicatorValue",
    "OpenReport",
    "RestoreReport",
    "Task",
    "TrackedIndicator",
    "UserStore",
    "clean_text",
    "compute_progress",
    "indicator_key",
    "text_fingerprint",
    "thin",
]
