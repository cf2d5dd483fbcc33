"""A small real index for the focused tests of app/core/search (indexer, searcher): seven clauses of two
documents, built with `IndexStore` in a temporary folder in well under a second. Not a test module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.core.models import Clause, Document
from app.core.search import searcher
from app.core.search.indexer import IndexDoc, IndexStore

PLAN = Document("plan", "示例规划", "规划")
LAW = Document("law", "示例噪声污染防治法", "法律")
CHAPTER = "一、推进碳达峰碳中和"
LAW_CHAPTER = "第二章 监督管理"


def _item(cid: str, doc: Document, level: str, heading: str, path: tuple[str, ...], text: str, ordinal: int,
          **links: Any) -> IndexDoc:
    clause = Clause(id=cid, doc_id=doc.id, ordinal=ordinal, level=level, number="", number_value=None,
                    heading=heading, path=path, text=text)
    return IndexDoc(clause, doc, **links)


def small_items() -> list[IndexDoc]:
    """The clauses the small index holds, in index order (docnum i is item i)."""
    task = "健全碳排放双控制度体系。"
    return [
        _item("plan/一", PLAN, "chapter", CHAPTER, (CHAPTER,), "", 1),
        _item("plan/一/1", PLAN, "task", task, (CHAPTER, task), "实施碳排放总量和强度双控。", 2,
              departments=("市发展改革委",), years=(2030,), has_indicator=True),
        _item("plan/一/2", PLAN, "item", "", (CHAPTER, "2"), "到2030年，海上风电装机容量达到300万千瓦。", 3,
              departments=("市发展改革委", "市经济信息化委"), years=(2030,), has_indicator=True),
        _item("law/1", LAW, "article", "第一条", ("第一章 总则", "第一条"),
              "为了防治噪声污染，保护和改善生活环境，制定本法。", 1),
        _item("law/2", LAW, "article", "第二条", ("第一章 总则", "第二条"),
              "本法所称噪声污染，是指超过噪声排放标准并干扰他人正常生活的现象。", 2,
              departments=("市生态环境局",)),
        _item("law/二", LAW, "chapter", LAW_CHAPTER, (LAW_CHAPTER,), "", 3),
        _item("law/3", LAW, "article", "第三条", (LAW_CHAPTER, "第三条"),
              "生态环境主管部门对噪声污染防治实施统一监督管理。", 4,
              departments=("市生态环境局", "区人民政府"), years=(2025,)),
    ]


def build_small(root: Path) -> IndexStore:
    """A published generation of `small_items()` under `root`."""
    store = IndexStore(root)
    items = small_items()
    assert store.build(items, len(items)) == len(items)
    return store


def open_generation(store: IndexStore) -> searcher.Generation:
    """What `Library._generation` assembles for the current generation (close `.searcher` after use)."""
    s: Any = store.open().searcher(weighting=searcher.weighting())
    literal, _toc, ids, rowmap = store.load_side_files()
    return searcher.Generation(searcher=s, literal=literal, docids=ids,
                               docnum={cid: n for n, cid in enumerate(ids) if cid is not None}, rowmap=rowmap)


def docnums(g: searcher.Generation, *ids: str) -> set[int]:
    return {g.docnum[i] for i in ids}


__all__ = ["CHAPTER", "LAW", "LAW_CHAPTER", "PLAN", "build_small", "docnums", "open_generation",
           "small_items"]
