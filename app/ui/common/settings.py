"""Window layout, reading font size, last query and search history, in `<data dir>/ui.ini` (never the registry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

FILE_NAME = "ui.ini"


class UiSettings:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        self.qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def bytes(self, key: str) -> QByteArray | None:
        v = self.qs.value(key)
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def text(self, key: str, default: str = "") -> str:
        v = self.qs.value(key, default)
        return v if isinstance(v, str) else default

    def integer(self, key: str, default: int) -> int:
        try:
            return int(self.qs.value(key, default))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return default

    def strings(self, key: str) -> list[str]:
        v = self.qs.value(key, [])
        if isinstance(v, str):
            return [v] if v else []
        return [str(x) for x in v] if isinstance(v, list) else []

    def set(self, key: str, value: Any) -> None:
        self.qs.setValue(key, value)

    def sync(self) -> None:
        self.qs.sync()
