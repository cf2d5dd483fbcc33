"""Plans of many shapes: numbering systems nested in any order, inline headings, 专栏, 通知 wrappers.

The fixtures are small, hand-written in the shapes real 规划/实施方案/工作方案/实施意见 take.
"""

from __future__ import annotations

from app.core import models
from app.core.models import Clause
from app.core.search.indexer import indexable
from app.core.structure import ParsedDocument, detect_style, parse_document


def _tree(doc: ParsedDocument) -> list[tuple[str, str, str, str | None]]:
    """(id, level, heading, parent id) of every clause."""
    return [(c.id, c.level, c.heading, c.parent_id) for c in doc.clauses]


def _by_id(doc: ParsedDocument) -> dict[str, Clause]:
    return {c.id: c for c in doc.clauses}


def _well_formed(doc: ParsedDocument) -> None:
    ids = [c.id for c in doc.clauses]
    assert len(ids) == len(set(ids))
    seen: set[str] = set()
    for c in doc.clauses:
        assert c.parent_id is None or c.parent_id in seen
        seen.add(c.id)


# --- 通知 wrapper + 一、/（一）/1./（1） in plain text ------------------------------------------------

NOTICE_PLAN = """上海市人民政府关于印发《上海市碳达峰实施方案》的通知
沪府发〔2022〕7号
各区人民政府，市政府各委、办、局：
现将《上海市碳达峰实施方案》印发给你们，请认真按照执行。
上海市人民政府
2022年7月8日
（此件公开发布）
上海市碳达峰实施方案
为深入贯彻落实党中央、国务院关于碳达峰碳中和的重大战略决策，扎实推进本市碳达峰工作，制定本方案。
一、总体要求
（一）指导思想
以习近平新时代中国特色社会主义思想为指导，完整、准确、全面贯彻新发展理念。
（二）主要目标
“十四五”期间，产业结构和能源结构明显优化，重点行业能源利用效率明显提升。
二、主要任务
（一）能源绿色低碳转型行动
1.推进煤炭消费替代和转型升级。加快煤炭减量步伐，到2025年煤炭消费总量控制在4300万吨左右。
2.大力发展新能源。坚持集中式与分布式并重，到2025年光伏装机容量力争达到400万千瓦。
主要措施包括：
（1）推进光伏规模化开发；
（2）加快海上风电建设；
（3）探索氢能应用。
3.加快构建新型电力系统。提升电网调节能力。
专栏1 能源绿色低碳转型重点工程
1.光伏工程：实施“光伏+”专项工程。
2.风电工程：推进深远海风电示范。
（二）节能降碳增效行动
1.全面提升节能管理能力。推行用能预算管理。
三、保障措施
（一）加强统筹协调。市碳达峰碳中和工作领导小组对碳达峰工作进行整体部署。
（二）强化责任落实。各区、各部门要深刻认识碳达峰工作的重要性。
"""


def test_notice_wrapper_and_four_level_numbering() -> None:
    doc = parse_document(NOTICE_PLAN, "s")
    assert doc.style == "plan" and doc.warnings == ()
    assert doc.title == "上海市碳达峰实施方案"
    assert doc.meta == {
        "doc_number": "沪府发〔2022〕7号",
        "issuer": "上海市人民政府",
        "date": "2022-07-08",
        "doc_type": "实施方案",
    }
    _well_formed(doc)
    assert _tree(doc) == [
        ("s/印发通知", "preamble", "", None),
        ("s/序言", "preamble", "", None),
        ("s/一", "chapter", "总体要求", None),
        ("s/一/（一）", "section", "指导思想", "s/一"),
        ("s/一/（二）", "section", "主要目标", "s/一"),
        ("s/二", "chapter", "主要任务", None),
        ("s/二/（一）", "section", "能源绿色低碳转型行动", "s/二"),
        ("s/二/（一）/1", "item", "推进煤炭消费替代和转型升级。", "s/二/（一）"),
        ("s/二/（一）/2", "item", "大力发展新能源。", "s/二/（一）"),
        ("s/二/（一）/2/（1）", "item", "", "s/二/（一）/2"),
        ("s/二/（一）/2/（2）", "item", "", "s/二/（一）/2"),
        ("s/二/（一）/2/（3）", "item", "", "s/二/（一）/2"),
        ("s/二/（一）/3", "item", "加快构建新型电力系统。", "s/二/（一）"),
        ("s/二/（一）/专栏1", "block", "能源绿色低碳转型重点工程", "s/二/（一）"),
        ("s/二/（二）", "section", "节能降碳增效行动", "s/二"),
        ("s/二/（二）/1", "item", "全面提升节能管理能力。", "s/二/（二）"),
        ("s/三", "chapter", "保障措施", None),
        ("s/三/（一）", "section", "加强统筹协调", "s/三"),
        ("s/三/（二）", "section", "强化责任落实", "s/三"),
    ]
    c = _by_id(doc)
    assert c["s/印发通知"].text.startswith("上海市人民政府关于印发") and "2022年7月8日" in c["s/印发通知"].text
    assert c["s/印发通知"].text.endswith("2022年7月8日\n（此件公开发布）")  # the plan's title line is the title
    assert c["s/序言"].text.startswith("为深入贯彻落实")
    item = c["s/二/（一）/1"]
    assert (item.number, item.number_value) == ("1", 1)
    assert item.path == ("二、主要任务", "（一）能源绿色低碳转型行动", "1.推进煤炭消费替代和转型升级。")
    assert item.text == "加快煤炭减量步伐，到2025年煤炭消费总量控制在4300万吨左右。"
    assert item.full_text == "推进煤炭消费替代和转型升级。加快煤炭减量步伐，到2025年煤炭消费总量控制在4300万吨左右。"
    assert c["s/二/（一）/2"].text.endswith("主要措施包括：")
    assert c["s/二/（一）/2/（1）"].text == "推进光伏规模化开发；"
    assert c["s/二/（一）/2/（3）"].number == "（3）"
    box = c["s/二/（一）/专栏1"]
    assert box.text == "1.光伏工程：实施“光伏+”专项工程。\n2.风电工程：推进深远海风电示范。"
    assert c["s/三/（一）"].text == "市碳达峰碳中和工作领导小组对碳达峰工作进行整体部署。"
    assert c["s/三/（一）"].path == ("三、保障措施", "（一）加强统筹协调")


def test_items_are_indexed_like_tasks() -> None:
    doc = parse_document(NOTICE_PLAN, "s")
    items = [c for c in doc.clauses if c.level == models.LEVEL_ITEM]
    assert items and all(indexable(c) for c in items)
    headed_only = Clause("x/1", "x", 0, models.LEVEL_ITEM, "1", 1, "加强组织领导。", ("1.加强组织领导。",), "")
    assert indexable(headed_only) and headed_only.full_text == "加强组织领导。"


def test_ids_stable_across_edits() -> None:
    doc = parse_document(NOTICE_PLAN, "s")
    assert parse_document(NOTICE_PLAN, "s") == doc
    edited = NOTICE_PLAN.replace("提升电网调节能力。", "提升电网调节能力，建设虚拟电厂。\n加快配电网改造。")
    again = parse_document(edited, "s")
    assert [c.id for c in again.clauses] == [c.id for c in doc.clauses]
    changed = [a.id for a, b in zip(doc.clauses, again.clauses, strict=True) if a.text != b.text]
    assert changed == ["s/二/（一）/3"]


# --- 第一部分/一、/（一） in Markdown whose # levels mean nothing ---------------------------------------

PART_PLAN = """# 某省推进数字经济高质量发展行动方案

## 第一部分 总体要求

#### 一、指导思想

坚持创新驱动，推进数字产业化和产业数字化。

# 二、发展目标

到2027年，数字经济核心产业增加值占地区生产总值比重达到12%。

### 第二部分 重点任务

# 一、夯实数字基础设施

## （一）加快5G网络建设

推进5G网络深度覆盖。

#### （二）布局算力基础设施

建设一体化算力网络枢纽节点。

## 二、推动产业数字化转型

实施制造业数字化转型行动。

## 第三部分 保障措施

加强组织领导，强化要素保障。
"""


def test_parts_then_chapters_then_sections() -> None:
    doc = parse_document(PART_PLAN, "d")
    assert doc.style == "plan" and doc.title == "某省推进数字经济高质量发展行动方案"
    assert doc.meta == {"doc_type": "行动方案"}
    _well_formed(doc)
    assert _tree(doc) == [
        ("d/第一部分", "part", "总体要求", None),
        ("d/第一部分/一", "chapter", "指导思想", "d/第一部分"),
        ("d/第一部分/二", "chapter", "发展目标", "d/第一部分"),
        ("d/第二部分", "part", "重点任务", None),
        ("d/第二部分/一", "chapter", "夯实数字基础设施", "d/第二部分"),
        ("d/第二部分/一/（一）", "section", "加快5G网络建设", "d/第二部分/一"),
        ("d/第二部分/一/（二）", "section", "布局算力基础设施", "d/第二部分/一"),
        ("d/第二部分/二", "chapter", "推动产业数字化转型", "d/第二部分"),
        ("d/第三部分", "part", "保障措施", None),
    ]
    c = _by_id(doc)
    assert c["d/第二部分/一/（二）"].path == ("第二部分 重点任务", "一、夯实数字基础设施", "（二）布局算力基础设施")
    assert c["d/第三部分"].text == "加强组织领导，强化要素保障。"


# --- 规划纲要: 第一篇/第一章/第一节/一、, 章 numbered across 篇, 专栏 with its own list -----------------------

OUTLINE_PLAN = """# 某市国民经济和社会发展第十五个五年规划纲要

<!-- INFO END -->

## 第一篇 开启现代化建设新征程

### 第一章 发展环境

#### 第一节 发展基础

“十四五”时期，全市经济实力大幅跃升。

#### 第二节 面临形势

当前和今后一个时期，我市发展仍处于重要战略机遇期。

### 第二章 总体要求

第一节 主要目标

一、经济发展取得新成效。地区生产总值年均增长5%左右。

二、改革开放迈出新步伐。营商环境持续优化。

## 第二篇 坚持创新驱动发展

### 第三章 强化科技创新策源功能

实施基础研究先行行动。

专栏2 科技创新重大工程

（一）国家实验室建设工程。

（二）重大科技基础设施工程。

第一节 推动关键核心技术攻关

聚焦集成电路、生物医药、人工智能，到2030年突破一批关键核心技术。
"""


def test_outline_plan_with_chapters_and_sections_is_a_plan() -> None:
    assert detect_style(OUTLINE_PLAN) == "plan"
    doc = parse_document(OUTLINE_PLAN, "g")
    assert doc.meta == {"doc_type": "规划纲要"} and doc.warnings == ()
    _well_formed(doc)
    assert _tree(doc) == [
        ("g/第一篇", "part", "开启现代化建设新征程", None),
        ("g/第一篇/第一章", "chapter", "发展环境", "g/第一篇"),
        ("g/第一篇/第一章/第一节", "subsection", "发展基础", "g/第一篇/第一章"),
        ("g/第一篇/第一章/第二节", "subsection", "面临形势", "g/第一篇/第一章"),
        ("g/第一篇/第二章", "chapter", "总体要求", "g/第一篇"),
        ("g/第一篇/第二章/第一节", "subsection", "主要目标", "g/第一篇/第二章"),
        ("g/第一篇/第二章/第一节/一", "section", "经济发展取得新成效", "g/第一篇/第二章/第一节"),
        ("g/第一篇/第二章/第一节/二", "section", "改革开放迈出新步伐", "g/第一篇/第二章/第一节"),
        ("g/第二篇", "part", "坚持创新驱动发展", None),
        ("g/第二篇/第三章", "chapter", "强化科技创新策源功能", "g/第二篇"),
        ("g/第二篇/第三章/专栏2", "block", "科技创新重大工程", "g/第二篇/第三章"),
        ("g/第二篇/第三章/第一节", "subsection", "推动关键核心技术攻关", "g/第二篇/第三章"),
    ]
    c = _by_id(doc)
    assert c["g/第一篇/第二章/第一节/一"].text == "地区生产总值年均增长5%左右。"
    assert c["g/第二篇/第三章/专栏2"].text == "（一）国家实验室建设工程。\n（二）重大科技基础设施工程。"
    assert c["g/第二篇/第三章/专栏2"].number == "专栏2"


def test_law_with_chapters_and_articles_stays_a_law() -> None:
    law = "# 某市条例\n\n第一章 总则\n\n第一条 为了规范管理，制定本条例。\n\n第二章 附则\n\n第二条 本条例自公布之日起施行。\n"
    assert detect_style(law) == "law"
    doc = parse_document(law, "l")
    assert [c.id for c in doc.clauses] == ["l/第一章", "l/第一条", "l/第二章", "l/第二条"]


# --- 工作方案 typed as plain text: 1、 and 1． items, a list inside an item -------------------------------

WORK_PLAN = """某区2024年生活垃圾分类工作方案
（2024—2025年）
为巩固生活垃圾分类工作成效，结合本区实际，制定本方案。
一、工作目标
到2025年底，全区生活垃圾回收利用率达到45%以上。
二、重点任务
1、完善分类投放设施。各街镇要按照标准配置分类投放点，
做到定时定点投放。
2、健全收运体系。推进湿垃圾专用车辆更新，实现分类运输全覆盖。
相关要求如下：
1．车辆应喷涂统一标识；
2．运输过程应全程密闭。
3、加强执法检查。对混装混运行为依法查处。
三、保障措施
1．加强组织领导
区绿化市容局牵头，各街镇落实属地责任。
2．强化宣传引导
通过社区宣传栏、公众号等渠道开展宣传。
"""


def test_plain_text_work_plan() -> None:
    doc = parse_document(WORK_PLAN, "w")
    assert doc.style == "plan" and doc.warnings == ()
    assert doc.title == "某区2024年生活垃圾分类工作方案（2024—2025年）"
    assert doc.meta == {"doc_type": "工作方案"}
    _well_formed(doc)
    assert _tree(doc) == [
        ("w/序言", "preamble", "", None),
        ("w/一", "chapter", "工作目标", None),
        ("w/二", "chapter", "重点任务", None),
        ("w/二/1", "item", "完善分类投放设施。", "w/二"),
        ("w/二/2", "item", "健全收运体系。", "w/二"),
        ("w/二/3", "item", "加强执法检查。", "w/二"),
        ("w/三", "chapter", "保障措施", None),
        ("w/三/1", "item", "加强组织领导", "w/三"),
        ("w/三/2", "item", "强化宣传引导", "w/三"),
    ]
    c = _by_id(doc)
    assert c["w/一"].text == "到2025年底，全区生活垃圾回收利用率达到45%以上。"  # not glued to 一、工作目标
    assert c["w/二/1"].text == "各街镇要按照标准配置分类投放点，做到定时定点投放。"
    # the 1．2． list inside item 2 is its text, and does not end item 2's list
    assert c["w/二/2"].text.endswith("相关要求如下：\n1．车辆应喷涂统一标识；\n2．运输过程应全程密闭。")
    assert c["w/三/1"].path == ("三、保障措施", "1．加强组织领导")
    assert c["w/三/1"].text == "区绿化市容局牵头，各街镇落实属地责任。"


def test_numbers_out_of_sequence_are_text() -> None:
    text = (
        "一、总体要求\n坚持系统观念。\n二、重点任务\n（一）推进治理\n开展治理。\n"
        "2.第二项要求写在段落里。\n（三）强化监督\n加强监督。\n三、保障措施\n（五）加强领导。各区要落实责任。\n"
    )
    doc = parse_document(text, "o")
    assert [c.id for c in doc.clauses] == ["o/一", "o/二", "o/二/（一）", "o/三"]
    c = _by_id(doc)
    assert c["o/二/（一）"].text == "开展治理。\n2.第二项要求写在段落里。\n（三）强化监督\n加强监督。"
    assert c["o/三"].text == "（五）加强领导。各区要落实责任。"


def test_sections_numbered_across_chapters() -> None:
    text = (
        "一、总体要求\n（一）指导思想。坚持节约优先。\n（二）主要目标。到2025年基本建立。\n"
        "二、健全生产体系\n（三）推进工业绿色升级。加快实施改造。\n（四）加快农业绿色发展。鼓励发展生态种植。\n"
    )
    doc = parse_document(text, "a")
    assert doc.style == "plan"
    assert [(c.id, c.heading) for c in doc.clauses] == [
        ("a/一", "总体要求"),
        ("a/一/（一）", "指导思想"),
        ("a/一/（二）", "主要目标"),
        ("a/二", "健全生产体系"),
        ("a/二/（三）", "推进工业绿色升级"),
        ("a/二/（四）", "加快农业绿色发展"),
    ]


# --- 实施意见 in Markdown: bold inline headings, ① items, ①② inside a sentence ----------------------------

OPINION = """# 关于加快推进充电基础设施建设的实施意见

## 一、总体要求

**（一）指导思想。**坚持以人民为中心，适度超前建设充电基础设施。

**（二）基本原则。**统筹规划，科学布局；政府引导，市场主导。

# 二、重点任务

### （一）优化城市充电网络布局

1.加快公共充电站建设。重点在以下区域布局：

①交通枢纽和大型商业综合体；

②高速公路服务区，到2025年实现全覆盖。

充电设施建设要做到①统一标准、②统一平台。

**2.推进居住社区充电设施建设。**新建住宅小区固定车位100%建设充电设施或预留安装条件。

#### （二）提升充电服务质量

**加强运营监管。**建立充电设施运营评价制度。

**推动智能服务。**推广即插即充。

## 三、保障措施

各区政府要把充电设施建设纳入重要议事日程。
"""


def test_inline_headings_circled_items_and_tasks() -> None:
    doc = parse_document(OPINION, "y")
    assert doc.style == "plan" and doc.meta == {"doc_type": "实施意见"}
    _well_formed(doc)
    assert _tree(doc) == [
        ("y/一", "chapter", "总体要求", None),
        ("y/一/（一）", "section", "指导思想", "y/一"),
        ("y/一/（二）", "section", "基本原则", "y/一"),
        ("y/二", "chapter", "重点任务", None),
        ("y/二/（一）", "section", "优化城市充电网络布局", "y/二"),
        ("y/二/（一）/1", "item", "加快公共充电站建设。", "y/二/（一）"),
        ("y/二/（一）/1/①", "item", "", "y/二/（一）/1"),
        ("y/二/（一）/1/②", "item", "", "y/二/（一）/1"),
        ("y/二/（一）/2", "item", "推进居住社区充电设施建设。", "y/二/（一）"),
        ("y/二/（二）", "section", "提升充电服务质量", "y/二"),
        ("y/二/（二）/1", "task", "加强运营监管。", "y/二/（二）"),
        ("y/二/（二）/2", "task", "推动智能服务。", "y/二/（二）"),
        ("y/三", "chapter", "保障措施", None),
    ]
    c = _by_id(doc)
    assert c["y/一/（一）"].text == "坚持以人民为中心，适度超前建设充电基础设施。"
    assert c["y/二/（一）/1/②"].text == "高速公路服务区，到2025年实现全覆盖。\n充电设施建设要做到①统一标准、②统一平台。"
    assert c["y/二/（一）/2"].text == "新建住宅小区固定车位100%建设充电设施或预留安装条件。"


# --- reverse nesting: 一、 > （1） > 1. ---------------------------------------------------------------

def test_systems_nest_in_the_order_the_document_uses() -> None:
    text = (
        "一、基础设施\n（1）道路\n1.新建道路10公里。\n2.改造道路5公里。\n（2）桥梁\n1.维修桥梁3座。\n"
        "二、公共服务\n（1）教育\n新增学位2000个。\n"
    )
    doc = parse_document(text, "r")
    assert [(c.id, c.level, c.parent_id) for c in doc.clauses] == [
        ("r/一", "chapter", None),
        ("r/一/（1）", "item", "r/一"),
        ("r/一/（1）/1", "item", "r/一/（1）"),
        ("r/一/（1）/2", "item", "r/一/（1）"),
        ("r/一/（2）", "item", "r/一"),
        ("r/一/（2）/1", "item", "r/一/（2）"),
        ("r/二", "chapter", None),
        ("r/二/（1）", "item", "r/二"),
    ]
    assert _by_id(doc)["r/一/（1）"].heading == "道路"
    assert _by_id(doc)["r/一/（1）/1"].text == "新建道路10公里。"


# --- 国发 wrapper in the corpus layout, 附件 line, date in Chinese numerals ------------------------------

STATE_NOTICE = """# 国务院关于印发2030年前碳达峰行动方案的通知

<!-- INFO END -->

国发〔2021〕23号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

现将《2030年前碳达峰行动方案》印发给你们，请认真贯彻执行。

国务院

二〇二一年十月二十四日

（本文有删减）

附件

2030年前碳达峰行动方案

为深入贯彻落实党中央、国务院关于碳达峰、碳中和的重大战略决策，制定本方案。

## 一、总体要求

### （一）指导思想。

以习近平新时代中国特色社会主义思想为指导。

### （二）工作原则。

总体部署、分类施策。

## 二、重点任务

**（一）能源绿色低碳转型行动。**能源是经济社会发展的重要物质基础。

附件：重点任务分工表

| 任务 | 牵头单位 |
"""


def test_state_council_notice_wrapper() -> None:
    doc = parse_document(STATE_NOTICE, "n")
    assert doc.title == "2030年前碳达峰行动方案"
    assert doc.meta == {
        "doc_number": "国发〔2021〕23号",
        "issuer": "国务院",
        "date": "2021-10-24",
        "doc_type": "行动方案",
    }
    _well_formed(doc)
    assert _tree(doc) == [
        ("n/印发通知", "preamble", "", None),
        ("n/序言", "preamble", "", None),
        ("n/一", "chapter", "总体要求", None),
        ("n/一/（一）", "section", "指导思想", "n/一"),
        ("n/一/（二）", "section", "工作原则", "n/一"),
        ("n/二", "chapter", "重点任务", None),
        ("n/二/（一）", "section", "能源绿色低碳转型行动", "n/二"),
        ("n/附件", "block", "重点任务分工表", None),
    ]
    c = _by_id(doc)
    assert c["n/印发通知"].text.startswith("国发〔2021〕23号\n") and c["n/印发通知"].text.endswith("附件")
    assert c["n/序言"].text.startswith("为深入贯彻落实")
    assert c["n/二/（一）"].text == "能源是经济社会发展的重要物质基础。"
    assert c["n/附件"].text.startswith("| 任务")


def test_opinion_with_doc_number_but_no_wrapper() -> None:
    text = (
        "# 国务院关于加快建立健全绿色低碳循环发展经济体系的指导意见\n\n国发〔2021〕4号\n\n"
        "各省、自治区、直辖市人民政府：\n\n建立健全绿色低碳循环发展经济体系，现提出如下意见。\n\n"
        "## 一、总体要求\n\n坚持节约优先。\n\n## 二、健全绿色低碳循环发展的生产体系\n\n推进工业绿色升级。\n"
    )
    doc = parse_document(text, "k")
    assert doc.title == "国务院关于加快建立健全绿色低碳循环发展经济体系的指导意见"
    assert doc.meta == {"doc_type": "指导意见", "doc_number": "国发〔2021〕4号", "issuer": "国务院"}
    assert [c.id for c in doc.clauses] == ["k/序言", "k/一", "k/二"]


def test_detection_by_content() -> None:
    assert detect_style(OPINION) == "plan"
    assert detect_style(WORK_PLAN) == "plan"
    assert detect_style("（一）加强领导。要落实。\n（二）强化保障。要保障。\n（三）严格考核。要考核。\n") == "plan"
    assert detect_style("一、为家庭生活消费需要购买汽车，发生欺诈纠纷的，可以按照消费者权益保护法处理。\n") == "generic"
