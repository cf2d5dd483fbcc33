"""Citations and the outline for numbered items (1. / （1） / ①) of plans of other shapes: the document's own numbers."""

from __future__ import annotations

from app.core.models import Document
from app.core.structure import parse_document
from app.ui.reader.citation import citation_text, clause_ref, outline

PLAN = """滨海市推进制造业数字化转型实施方案

一、总体要求
（一）发展目标
到2027年，规模以上工业企业数字化改造全覆盖。
二、重点任务
（一）推进数字化转型
1.加快智能工厂建设。支持龙头企业建设智能工厂。
（1）建设工业互联网平台。培育行业级平台10个。
（2）推动中小企业上云。每年推动中小企业上云1000家。
2.夯实数字基础设施。建设5G基站。
"""


def test_items_are_cited_by_the_numbers_the_document_prints() -> None:
    parsed = parse_document(PLAN, "p")
    doc = Document(id="p", title=parsed.title, kind="规划")
    by_heading = {c.heading: c for c in parsed.clauses}
    sub = by_heading["推动中小企业上云。"]
    assert clause_ref(doc, sub, parsed.clauses) == "二、（一）1. （2）"
    text = citation_text(doc, sub, parsed.clauses)
    assert text.startswith("《滨海市推进制造业数字化转型实施方案》二、（一）1. （2）推动中小企业上云。每年推动")
    labels = {e.label for e in outline(parsed.clauses)}
    assert "1. 加快智能工厂建设。" in labels and "（1）建设工业互联网平台。" in labels
