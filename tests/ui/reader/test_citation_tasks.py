"""Issue #13: Ctrl+C cites a task (an unnumbered bold lead sentence) by that sentence, never by the ordinal the
parser made up for its id; items keep the numbers the document prints; the outline labels tasks unnumbered."""

from __future__ import annotations

from app.core.models import Document
from app.core.structure import parse_document
from app.ui.reader.citation import citation_text, clause_ref, outline

SHAPED = """滨海市推进制造业数字化转型实施方案

一、总体要求
到2027年，规模以上工业企业数字化改造全覆盖。
二、重点任务
（一）推进数字化转型
**全面深化上海碳市场改革。**健全配额总量管理制度。
**加快智能工厂建设。**支持龙头企业建设智能工厂。
（1）建设工业互联网平台。培育行业级平台10个。
（2）推动中小企业上云。每年推动中小企业上云1000家。
（二）夯实基础
1.建设5G基站。新建基站1万个。
"""


def test_ctrl_c_cites_a_task_by_its_lead_sentence() -> None:
    parsed = parse_document(SHAPED, "p")
    doc = Document(id="p", title=parsed.title, kind="规划")
    by_head = {c.heading: c for c in parsed.clauses}
    task = by_head["全面深化上海碳市场改革。"]
    want = "二、（一）“全面深化上海碳市场改革”"
    assert clause_ref(doc, task, parsed.clauses) == want
    assert citation_text(doc, task, parsed.clauses).startswith(f"《{parsed.title}》{want}　全面深化上海碳市场改革。健全")
    sub = by_head["推动中小企业上云。"]
    assert clause_ref(doc, sub, parsed.clauses) == "二、（一）“加快智能工厂建设”（2）"
    item = by_head["建设5G基站。"]
    assert clause_ref(doc, item, parsed.clauses) == "二、（二）1."
    assert citation_text(doc, item, parsed.clauses).startswith(f"《{parsed.title}》二、（二）1. 建设5G基站。")
    labels = {e.label for e in outline(parsed.clauses)}
    assert "全面深化上海碳市场改革。" in labels and "1. 全面深化上海碳市场改革。" not in labels
    assert "1. 建设5G基站。" in labels and "（1）建设工业互联网平台。" in labels
