"""Finding corpus files and their metadata: the shipped manifest, and folders the user adds."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import ReadError
from app.core.models import Document
from app.core.read import SUPPORTED_SUFFIXES

MANIFEST = "manifest.json"
TEXT_SUFFIXES = SUPPORTED_SUFFIXES  # every format a reader exists for

_DATE_IN_NAME = re.compile(r"[(（](\d{4}-\d{2}-\d{2})[)）]")
_KIND_FOLDERS = (
    ("司法解释", "司法解释"), ("部门规章", "部门规章"), ("行政法规", "行政法规"), ("地方性法规", "地方性法规"),
    ("地方法规", "地方性法规"), ("案例", "其他"),
)
_LAW_FOLDERS = ("宪法", "宪法相关法", "行政法", "经济法", "社会法", "民法商法", "民法典", "刑法", "诉讼与非诉讼程序法")


@dataclass(frozen=True)
class SourceFile:
    """One file to index, with its manifest entry when it ships with the app."""

    path: Path
    root: Path
    entry: dict[str, Any] = field(default_factory=dict)

    @property
    def relpath(self) -> str:
        try:
            return self.path.relative_to(self.root).as_posix()
        except ValueError:
            return self.path.as_posix()


def load_manifest(corpus_dir: Path) -> list[dict[str, Any]]:
    """The shipped documents in manifest order (empty when there is no manifest)."""
    try:
        data = json.loads((corpus_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as exc:
        raise ReadError("语料清单 manifest.json 无法解析。", detail=str(exc)) from exc
    docs = data.get("documents", []) if isinstance(data, dict) else []
    return [d for d in docs if isinstance(d, dict) and d.get("file")]


def _walk(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES]
    # "~$x.docx" is Word's lock file beside an open document, not a document.
    return sorted((p for p in files if not p.name.startswith(("_", ".", "~$"))), key=lambda p: p.as_posix())


def scan(corpus_dir: Path, extra: Sequence[Path], exclude: Iterable[Path] = ()) -> list[SourceFile]:
    """Shipped documents first (manifest order), then the user's files and folders (sorted).

    `exclude` holds files (or folders) the user took out of an added folder (`sources remove`).
    """
    out = [SourceFile(corpus_dir / e["file"], corpus_dir, e) for e in load_manifest(corpus_dir)]
    skip = [p.resolve() for p in exclude]
    for root in extra:
        root = root.resolve()
        base = root if root.is_dir() else root.parent
        out.extend(SourceFile(p, base) for p in _walk(root) if not _excluded(p, skip))
    return out


def _excluded(path: Path, skip: Sequence[Path]) -> bool:
    return any(path == s or s in path.parents for s in skip)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def guess_kind(path: Path, title: str) -> str:
    parts = path.parts
    for folder, kind in _KIND_FOLDERS:
        if any(folder in p for p in parts):
            return kind
    if any(p in _LAW_FOLDERS for p in parts):
        return "法律"
    if title.endswith("规划") or "规划（" in title or "规划(" in title:
        return "规划"
    if title.endswith("法") or "法（" in title:
        return "法律"
    return "其他"


_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def reader_meta(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """What a reader found around the text (a web page's 发布日期) as document metadata."""
    out: dict[str, str] = {}
    for key, value in pairs:
        m = _DATE.search(value) if key == "发布日期" else None
        if m:
            out["date"] = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return out


def date_from_name(name: str) -> str | None:
    m = _DATE_IN_NAME.search(name)
    return m.group(1) if m else None


def make_document(src: SourceFile, *, doc_id: str, title: str, history: Iterable[str], sha: str,
                  ordinal: int, style: str = "", meta: dict[str, str] | None = None) -> Document:
    """Document metadata: the manifest entry when there is one, else what the file tells.

    `style` and `meta` come from the parser: a document it read as a plan (规划, 实施方案, 行动方案…, by its
    numbering) is of kind 规划 whatever its file is called, and 文号/issuer/date found in its text (a
    关于印发…的通知 wrapper) fill what the file name does not say.
    """
    e = src.entry
    if e:
        return Document(
            id=doc_id, title=e.get("title") or title, kind=e.get("kind") or "其他", issuer=e.get("issuer") or "",
            date=e.get("date"), status=e.get("status") or "", source=src.relpath, sha256=sha, ordinal=ordinal,
            history=tuple(history), meta={k: v for k, v in e.items() if k in ("horizon", "short_title")},
        )
    meta = meta or {}
    kind = guess_kind(src.path, title)
    if style == "plan" and kind == "其他":
        kind = "规划"
    extra = {k: meta[k] for k in ("doc_number", "doc_type") if meta.get(k)}
    return Document(
        id=doc_id, title=title or src.path.stem, kind=kind, issuer=meta.get("issuer", ""),
        date=date_from_name(src.path.name) or meta.get("date") or None, status="", source=str(src.path),
        sha256=sha, ordinal=ordinal, history=tuple(history), meta=extra,
    )


def doc_id_for(src: SourceFile, taken: set[str]) -> str:
    """A readable, stable id: the manifest id or the file stem; a short path hash on collision."""
    base = (src.entry.get("id") or src.path.stem).replace("/", "／").strip() or "doc"
    if base not in taken:
        return base
    return f"{base}~{hashlib.sha1(str(src.path).encode()).hexdigest()[:6]}"
