"""Clause drafts and the builder: unique, stable ids, document order, paragraphs joined on build."""

from __future__ import annotations

from app.core import models
from app.core.structure._build import ClauseBuilder, Draft


def test_draft_collects_paragraphs_and_their_size() -> None:
    draft = Draft("d/1", models.LEVEL_BLOCK, "", None, "", (), None)
    draft.append("甲乙")
    draft.append("丙")
    assert draft.parts == ["甲乙", "丙"] and draft.size == 3


def test_ids_follow_labels_and_duplicates_get_a_suffix() -> None:
    b = ClauseBuilder("law")
    assert b.make_id(["第一章"]) == "law/第一章"
    assert b.make_id(["第一章", "第一条"]) == "law/第一章/第一条"
    assert b.make_id(["第一条"], under="law/第二章") == "law/第二章/第一条"
    assert b.make_id(["第五条"]) == "law/第五条"
    assert b.make_id(["第五条"]) == "law/第五条~2"
    assert b.make_id(["第五条"]) == "law/第五条~3"
    assert b.duplicates == ["第五条", "第五条"]


def test_a_label_that_looks_like_a_suffix_does_not_collide() -> None:
    b = ClauseBuilder("d")
    assert b.make_id(["x~2"]) == "d/x~2"
    assert b.make_id(["x"]) == "d/x"
    assert b.make_id(["x"]) == "d/x~3"  # d/x~2 is taken by the label itself


def test_block_labels_count_in_document_order() -> None:
    b = ClauseBuilder("d")
    assert [b.next_block_label() for _ in range(3)] == ["¶1", "¶2", "¶3"]


def test_add_and_build() -> None:
    b = ClauseBuilder("plan")
    chapter = b.add(["一"], models.LEVEL_CHAPTER, number="一", number_value=1, heading="总体要求", path=("一、总体要求",))
    chapter.append("第一段。")
    chapter.append("")
    chapter.append("第二段。")
    section = b.add(["（一）"], models.LEVEL_SECTION, number="（一）", number_value=1, heading="指导思想",
                    path=("一、总体要求", "（一）指导思想"), parent=chapter, under=chapter)
    empty = b.add(["¶1"], models.LEVEL_BLOCK)
    clauses = b.build()
    assert [c.id for c in clauses] == ["plan/一", "plan/一/（一）", "plan/¶1"]
    assert [c.ordinal for c in clauses] == [0, 1, 2]
    first, second, third = clauses
    assert first.text == "第一段。\n第二段。"  # empty paragraphs are left out
    assert (first.level, first.number, first.number_value, first.heading) == ("chapter", "一", 1, "总体要求")
    assert (second.parent_id, second.path, second.doc_id) == ("plan/一", ("一、总体要求", "（一）指导思想"), "plan")
    assert (third.text, third.parent_id, third.path, empty.id) == ("", None, (), "plan/¶1")
    assert section.id == "plan/一/（一）"


def test_build_is_repeatable() -> None:
    b = ClauseBuilder("d")
    b.add(["a"], models.LEVEL_BLOCK).append("x")
    assert b.build() == b.build()
