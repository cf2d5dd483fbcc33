"""Engine errors. Every user-visible failure carries a Chinese message for the UI."""

from __future__ import annotations


class PolicyDeskError(Exception):
    """Base class of all engine errors; `message` is shown to the user as is."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class ReadError(PolicyDeskError):
    """A corpus file could not be read or decoded."""


class StorageError(PolicyDeskError):
    """The SQLite store failed."""


class IndexError_(PolicyDeskError):
    """The search index is missing, damaged or could not be built."""


class NotFoundError(PolicyDeskError):
    """A clause or document id does not exist."""


class Cancelled(Exception):
    """Raised inside long work when the caller's CancelToken was set; not an error."""
