"""The texts both writers of the 新旧对照表 print (`compare_writer` for Word, `compare_xlsx` for Excel): the title,
the line naming the two versions, and the marked runs of each side of a clause pair. A leaf: no writer here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.compare import ClausePair, Comparison, Segment

NONE_TEXT = "（无）"


def title_of(cmp: Comparison) -> str:
    """《美丽上海建设“十五五”规划》新旧对照表"""
    return f"《{cmp.new_doc.title}》新旧对照表"


def version_line(cmp: Comparison) -> str:
    """原：《…（征求意见稿）》（2021-08-25）  新：《…》（2024-12-31）"""
    def one(label: str, title: str, date: str | None) -> str:
        return f"{label}：《{title}》" + (f"（{date}）" if date else "")

    return one("原", cmp.old_doc.title, cmp.old_doc.date) + "　" + one("新", cmp.new_doc.title, cmp.new_doc.date)


def side_segments(pair: ClausePair, side: str) -> list[tuple[str, str]]:
    """(kind, text) runs of one side: the diff segments of an edited pair; a deleted clause all struck, an
    added one all marked added; an unchanged text plain."""
    clause = pair.old if side == "old" else pair.new
    if clause is None:
        return [("same", NONE_TEXT)]
    segs: tuple[Segment, ...] = pair.old_segments if side == "old" else pair.new_segments
    if pair.status == "deleted":
        return [("del", clause.text)]
    if pair.status == "added":
        return [("ins", clause.text)]
    if pair.edited and segs:
        return [(s.kind, s.text) for s in segs]
    return [("same", clause.text)]


__all__ = ["NONE_TEXT", "side_segments", "title_of", "version_line"]
