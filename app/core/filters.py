"""Turn the query's Chinese field filters into index values, and find superseded law versions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.core.models import KINDS, Document
from app.core.normalize import compact, fold
from app.core.numbers import cn_to_int
from app.core.regions import region as region  # re-exported: filters.region
from app.core.validity import repealed

_YES = {"是", "有", "1", "true", "yes", "y"}
_NO = {"否", "无", "没有", "0", "false", "no", "n"}


def _years(value: str) -> list[str]:
    out = re.findall(r"(?:19|20)\d{2}", value)
    if not out:
        n = cn_to_int(value.rstrip("年"))
        out = [str(n)] if n and 1900 < n < 2200 else []
    return out


def _docs(value: str, docs: Sequence[Document]) -> list[str]:
    key = compact(fold(value))
    return [d.id for d in docs if key in compact(fold(d.title)) or key in compact(fold(d.id))]


def resolve(filters: Sequence[tuple[str, str]], docs: Sequence[Document],
            canonical: object) -> tuple[dict[str, list[str]], list[str]]:
    """Map (key, typed value) pairs to index values; return them with notices for values that match nothing.

    `canonical` resolves department names (市发改委 -> 市发展改革委) and returns None for unknown ones.
    """
    resolved: dict[str, list[str]] = {}
    notices: list[str] = []
    for key, value in filters:
        if key == "dept":
            name = canonical(value) if callable(canonical) else None
            vals = [name or value]
        elif key == "year":
            vals = _years(value)
        elif key == "doc":
            vals = _docs(value, docs)
        elif key == "kind":
            vals = [k for k in KINDS if value in k]
        else:  # has_ind
            vals = ["1"] if value in _YES else ["0"] if value in _NO else []
        if not vals:
            notices.append(f"筛选条件“{value}”没有对应的内容。")
        resolved.setdefault(key, [])
        resolved[key] += [v for v in vals if v not in resolved[key]]
    return resolved, notices


def superseded(docs: Sequence[Document]) -> list[str]:
    """Ids of documents default search leaves out: older versions of a document that exists in a newer
    version (same title, earlier date), and documents another document of the library repeals
    (status 已废止, laid over by `app.core.validity.overlay`)."""
    by_title: dict[str, list[Document]] = {}
    for d in docs:
        by_title.setdefault(compact(fold(d.title)), []).append(d)
    out: list[str] = []
    for group in by_title.values():
        dated = [d for d in group if d.date]
        if len(group) < 2 or not dated:
            continue
        newest = max(dated, key=lambda d: d.date or "")
        out += [d.id for d in group if d is not newest]
    old = set(out)
    return out + [i for i in repealed(docs) if i not in old]


_CITATION = re.compile(r"《([^《》]{2,80})》")
_NATIONAL = "中华人民共和国"


def title_key(title: str) -> str:
    key = compact(fold(title))
    key = re.sub(r"[(（][^()（）]*[)）]$", "", key)  # trailing （试行）/（2023—2035年）
    return key[len(_NATIONAL):] if key.startswith(_NATIONAL) else key


def citations(text: str, docs: Sequence[Document]) -> list[dict[str, str | None]]:
    """Every 《…》 in `text`, linked to the current version of the cited document when it is in the library."""
    newest: dict[str, Document] = {}
    for d in docs:
        k = title_key(d.title)
        if k not in newest or (d.date or "") > (newest[k].date or ""):
            newest[k] = d
    out: list[dict[str, str | None]] = []
    seen: set[str] = set()
    for m in _CITATION.finditer(text):
        if m.group(0) in seen:
            continue
        seen.add(m.group(0))
        doc = newest.get(title_key(m.group(1)))
        out.append({"text": m.group(0), "doc_id": doc.id if doc else None})
    return out

