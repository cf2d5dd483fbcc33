"""Where PolicyDesk reads and writes. Resolved once by the caller (CLI or GUI) and passed down."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "PolicyDesk"
ENV_HOME = "POLICYDESK_HOME"


def bundle_root() -> Path:
    """The folder that holds corpus/ and resources/: the source checkout or the PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AppPaths:
    """All locations. `derived` holds rebuildable data; `user_db` holds what users wrote."""

    data: Path  # user data dir: user.db, backups, logs
    derived: Path  # clause DB + index generations (rebuildable from corpus/)
    corpus: Path  # shipped corpus (read-only)
    resources: Path  # dictionaries, knowledge bases, templates (read-only)

    @property
    def user_db(self) -> Path:
        return self.data / "user.db"

    @property
    def library_db(self) -> Path:
        return self.derived / "library.db"

    @property
    def index_dir(self) -> Path:
        return self.derived / "search"

    @property
    def cache(self) -> Path:
        return self.derived / "cache"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    def ensure(self) -> AppPaths:
        """Create the writable folders."""
        for p in (self.data, self.derived, self.index_dir, self.cache, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """Pick locations: `--data-dir`, else $POLICYDESK_HOME, else the platform's user data dir.

        With an explicit data dir everything (derived data included) lives under it. Otherwise a
        source checkout keeps derived data in its git-ignored `index/`, and a bundle keeps it in the
        platform cache dir.
        """
        root = bundle_root()
        explicit = data_dir or os.environ.get(ENV_HOME)
        if explicit:
            data = Path(explicit).expanduser().resolve()
            derived = data / "index"
        else:
            import platformdirs

            data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
            if (root / ".git").exists() or (root / "pyproject.toml").exists():
                derived = root / "index"
            else:
                derived = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
        return cls(data=data, derived=derived, corpus=root / "corpus", resources=root / "resources")
