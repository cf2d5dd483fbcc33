"""The files the user added to the library: what each became, what was refused, taking one out.

`policydesk sources` and the window's 文件来源 list read this; `remove` edits the user's list of added
folders/files (a root is forgotten, a file inside an added folder is excluded) — the caller re-indexes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import NotFoundError
from app.core.store import LibraryStore

EXTRA_SOURCES_KEY = "library.extra_sources"
EXCLUDED_KEY = "library.excluded_sources"
REFUSED_KEY = "refused_files"  # library DB meta: {path: [sha256, Chinese reason]}


@dataclass(frozen=True)
class SourceEntry:
    """One added file: the document it became, or why it was refused."""

    path: str
    root: str
    status: str  # ok | refused
    doc_id: str = ""
    title: str = ""
    kind: str = ""
    clauses: int = 0
    reason: str = ""


@dataclass(frozen=True)
class SourcesReport:
    roots: tuple[str, ...]
    excluded: tuple[str, ...]
    files: tuple[SourceEntry, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"roots": list(self.roots), "excluded": list(self.excluded), "files": [asdict(f) for f in self.files]}


def _root_of(path: str, roots: list[str]) -> str:
    p = Path(path)
    for r in roots:
        rp = Path(r)
        if p == rp or rp in p.parents:
            return r
    return ""


def load_refused(store: LibraryStore) -> dict[str, tuple[str, str]]:
    raw = store.get_meta(REFUSED_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: (str(v[0]), str(v[1])) for k, v in data.items() if isinstance(v, list) and len(v) == 2}


def report(store: LibraryStore, roots: list[str], excluded: list[str]) -> SourcesReport:
    """Every added file the library holds or refused, grouped under the root it came from."""
    counts = dict(store.conn.execute("SELECT doc_id, count(*) FROM clauses GROUP BY doc_id").fetchall())
    files = [
        SourceEntry(path=d.source, root=_root_of(d.source, roots), status="ok", doc_id=d.id, title=d.title,
                    kind=d.kind, clauses=int(counts.get(d.id, 0)))
        for d in store.documents() if Path(d.source).is_absolute()
    ]
    files += [SourceEntry(path=p, root=_root_of(p, roots), status="refused", reason=msg)
              for p, (_sha, msg) in load_refused(store).items()]
    files.sort(key=lambda f: (f.root, f.path))
    return SourcesReport(tuple(roots), tuple(excluded), tuple(files))


def remove(path: Path, roots: list[str], excluded: list[str]) -> tuple[list[str], list[str]]:
    """New (roots, excluded) without `path`: an added root is forgotten, a file under one is excluded.

    Raises:
        NotFoundError: `path` is neither an added root nor inside one.
    """
    target = str(path.expanduser().resolve())
    if target in roots:
        return [r for r in roots if r != target], [e for e in excluded if _root_of(e, [target]) == ""]
    if _root_of(target, roots):
        return roots, excluded if target in excluded else [*excluded, target]
    raise NotFoundError(f"文库中没有这个添加的文件或文件夹：{path}",
                        detail="only added files/folders can be removed; shipped documents stay")
