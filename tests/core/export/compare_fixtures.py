"""A small hand-made `Comparison` (two versions of a plan, one pair of each status) for the 新旧对照表 writers."""

from __future__ import annotations

from app.core.compare import ClausePair, Comparison, Segment
from app.core.compare.model import ClauseSide, IndicatorChange
from app.core.models import Document

OLD = Document(id="old", title="滨海市规划（征求意见稿）", kind="规划", date="2021-08-25")
NEW = Document(id="new", title="滨海市规划", kind="规划", date="2024-12-31")


def side(doc: str, rel: str, location: str, text: str) -> ClauseSide:
    return ClauseSide(id=f"{doc}/{rel}", rel_id=rel, level="item", location=location, path=(location,),
                      heading="", text=text)


MODIFIED = ClausePair(
    "modified", side("old", "一/1", "一、1.", "回收利用率达到50%。"), side("new", "一/1", "一、1.", "回收利用率达到55%。"),
    similarity=0.9, edited=True,
    old_segments=(Segment("same", "回收利用率达到"), Segment("del", "50"), Segment("same", "%。")),
    new_segments=(Segment("same", "回收利用率达到"), Segment("ins", "55"), Segment("same", "%。")),
    changes=(IndicatorChange("indicator", "changed", "回收利用率", "50%", "55%", "old/一/1", "new/一/1", where="一、1."),),
)
ADDED = ClausePair("added", None, side("new", "一/2", "一、2.", "新建站点10个。"), similarity=0.0)
DELETED = ClausePair("deleted", side("old", "一/3", "一、3.", "取消试点。"), None, similarity=0.0)
UNCHANGED = ClausePair("unchanged", side("old", "二", "二、", "保障措施。"), side("new", "二", "二、", "保障措施。"))
MOVED = ClausePair("moved", side("old", "一/4", "一、4.", "加强监管。"), side("new", "二/1", "二、1.", "加强监管。"))


def comparison() -> Comparison:
    return Comparison(OLD, NEW, (MODIFIED, ADDED, DELETED, UNCHANGED, MOVED))
