"""Typed export errors; every message is Chinese and shown to the user as is."""

from __future__ import annotations

from app.core.errors import PolicyDeskError


class ExportError(PolicyDeskError):
    """An export could not be produced or written (the base of the export errors)."""


class NothingToExportError(ExportError):
    """The chosen scope holds no clause."""


class FileLockedError(ExportError):
    """The target is open in another program (Word/WPS lock it on Windows) or not writable."""


class TargetReadOnlyError(ExportError):
    """The target file exists and is read-only."""


class FolderNotWritableError(ExportError):
    """The target folder is missing, read-only, full or gone (USB stick removed)."""


class FontMissingError(ExportError):
    """No CJK font usable for PDF export was found on this machine."""


class VerifyError(ExportError):
    """The written file could not be read back; the old file (if any) is left as it was."""


MSG_LOCKED = "文件被其他程序占用，请关闭后重试或另存为"
