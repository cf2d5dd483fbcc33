"""app.core.anchor.library: the candidate documents of an anchor: its own document and its newer versions,
by version key and by version link (a rejected link removes its pair); clauses loaded once, on demand."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.anchor.library import _Library
from app.core.anchor.model import Anchor
from app.core.models import Clause, Document
from tests.core.anchor.clauses import article, doc

DRAFT = doc("d1", "上海市公园管理规划（征求意见稿）", date="2025-01-01")
FINAL_OLD = doc("f0", "上海市公园管理规划", date="2024-01-01")
FINAL = doc("f1", "上海市公园管理规划", date="2025-06-01")
OTHER = doc("x", "另一个名字的规划", date="2025-07-01")
DOCS = [DRAFT, FINAL_OLD, FINAL, OTHER]


class Loads:
    """clauses_of that records which documents were loaded."""

    def __init__(self) -> None:
        self.loaded: list[str] = []

    def __call__(self, doc_id: str) -> Sequence[Clause]:
        self.loaded.append(doc_id)
        return [article(doc_id, "第一条", f"{doc_id} 的条文。")]


def _anchor_on(d: Document, title: str | None = None) -> Anchor:
    return Anchor(f"{d.id}/第一条", d.id, d.title if title is None else title, (), "", "f", "")


def test_documents_by_id_and_version_key() -> None:
    lib = _Library(DOCS, Loads())
    assert set(lib.by_id) == {"d1", "f0", "f1", "x"}
    assert sorted(len(v) for v in lib.by_key.values()) == [1, 3]


def test_views_are_loaded_once_and_only_when_asked() -> None:
    loads = Loads()
    lib = _Library(DOCS, loads)
    assert loads.loaded == []
    view = lib.view(FINAL)
    assert lib.view(FINAL) is view and loads.loaded == ["f1"]
    assert view.clauses[0].text == "f1 的条文。"


def test_newer_versions_of_a_present_document() -> None:
    lib = _Library(DOCS, Loads())
    assert [d.id for d in lib.newer(_anchor_on(DRAFT))] == ["f1", "f0"]  # final texts after a draft, newest first
    assert [d.id for d in lib.newer(_anchor_on(FINAL_OLD))] == ["f1"]
    assert lib.newer(_anchor_on(FINAL)) == []  # nothing is newer than the newest
    assert lib.newer(_anchor_on(OTHER)) == []


def test_newer_versions_of_a_document_that_is_gone() -> None:
    lib = _Library(DOCS, Loads())
    gone_final = Anchor("old/第一条", "old", "上海市公园管理规划", (), "", "f", "")
    assert [d.id for d in lib.newer(gone_final)] == ["f1", "f0"]  # never back to a draft
    gone_draft = Anchor("old/第一条", "old", "上海市公园管理规划（草案）", (), "", "f", "")
    assert [d.id for d in lib.newer(gone_draft)] == ["f1", "f0", "d1"]


def test_rejected_links_are_never_followed() -> None:
    lib = _Library(DOCS, Loads(), unlinked=[("d1", "f1")])
    assert [d.id for d in lib.newer(_anchor_on(DRAFT))] == ["f0"]


def test_links_are_followed_whatever_the_titles_say() -> None:
    a, b, c = doc("a", "甲"), doc("b", "乙", date="2025-01-01"), doc("c", "丙", date="2026-01-01")
    lib = _Library([a, b, c, *DOCS], Loads(), links={"a": ["b"], "b": ["c", "a"], "d1": ["x"]})
    assert lib.linked("a") == ["b", "c"]  # a chain, nearest first, without coming back
    assert lib.linked("c") == []
    assert [d.id for d in lib.newer(_anchor_on(a))] == ["c", "b"]  # furthest along the chain first
    assert [d.id for d in lib.newer(_anchor_on(DRAFT))] == ["x", "f1", "f0"]  # linked ones before the titles' ones


def test_newer_is_remembered_per_anchor_document() -> None:
    lib = _Library(DOCS, Loads())
    first = lib.newer(_anchor_on(DRAFT))
    assert lib.newer(_anchor_on(DRAFT)) is first
