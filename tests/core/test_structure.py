"""Text → clause tree: the plan, laws (编/章/节/条), generic blocks, page-break repair, stable ids."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import models
from app.core.models import Clause
from app.core.structure import ParsedDocument, detect_style, ends_sentence, parse_document

DATA = Path(__file__).resolve().parent.parent / "data"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _by_id(doc: ParsedDocument) -> dict[str, Clause]:
    return {c.id: c for c in doc.clauses}


def _assert_well_formed(doc: ParsedDocument, doc_id: str) -> None:
    ids = [c.id for c in doc.clauses]
    assert len(ids) == len(set(ids))
    assert [c.ordinal for c in doc.clauses] == list(range(len(doc.clauses)))
    seen: set[str] = set()
    for c in doc.clauses:
        assert c.id.startswith(doc_id + "/") and c.doc_id == doc_id
        assert c.parent_id is None or c.parent_id in seen  # parents come first
        seen.add(c.id)


def _broken_sentences(clauses: tuple[Clause, ...]) -> list[str]:
    """Every newline inside a clause must follow sentence-final punctuation."""
    return [
        f"{c.id}: …{c.text[max(0, i - 15) : i + 10]}…"
        for c in clauses
        for i, ch in enumerate(c.text)
        if ch == "\n" and not ends_sentence(c.text[:i])
    ]


@pytest.fixture(scope="module")
def plan() -> ParsedDocument:
    return parse_document(_read("plan.md"), "plan", kind="规划")


# --- the plan -----------------------------------------------------------------------------------


def test_plan_counts(plan: ParsedDocument) -> None:
    counts = Counter(c.level for c in plan.clauses)
    assert counts == {"chapter": 9, "section": 28, "task": 44, "preamble": 1}
    assert plan.warnings == ()
    _assert_well_formed(plan, "plan")


def test_plan_is_detected_without_kind() -> None:
    text = _read("plan.md")
    assert detect_style(text) == "plan"
    assert parse_document(text, "plan").clauses == parse_document(text, "plan", kind="规划").clauses


def test_plan_title_and_preamble(plan: ParsedDocument) -> None:
    assert plan.title == "美丽上海建设“十五五”规划(征求意见稿)"
    preamble = plan.clauses[0]
    assert (preamble.id, preamble.level, preamble.number, preamble.heading) == (
        "plan/序言",
        "preamble",
        "",
        "",
    )
    assert preamble.path == ("序言",)
    assert preamble.text.startswith("为加快建设人与自然和谐共生的美丽上海")
    assert all("征求意见稿" not in c.text for c in plan.clauses)


def test_plan_chapter_section_task_fields(plan: ParsedDocument) -> None:
    clauses = _by_id(plan)
    chapter = clauses["plan/一"]
    assert (chapter.level, chapter.number, chapter.number_value) == ("chapter", "一", 1)
    assert chapter.heading == "总体要求" and chapter.path == ("一、总体要求",)
    assert chapter.text.startswith("坚持以习近平新时代") and chapter.parent_id is None

    section = clauses["plan/三/（一）"]
    assert (section.level, section.number, section.number_value) == ("section", "（一）", 1)
    assert section.path == ("三、坚持绿色低碳，推动经济社会全面绿色转型", "（一）积极稳妥推进碳达峰碳中和")
    assert section.parent_id == "plan/三" and section.text == ""

    task = clauses["plan/三/（一）/1"]
    assert (task.level, task.number, task.number_value) == ("task", "1", 1)
    assert task.heading == "健全碳排放双控制度体系。"
    assert task.path[-1] == "健全碳排放双控制度体系。" and task.parent_id == "plan/三/（一）"
    assert task.text.startswith("全面实施碳排放总量和强度双控制度，完善")
    assert task.full_text.startswith("健全碳排放双控制度体系。全面实施")

    assert clauses["plan/四/（二）/3"].heading == "加快美丽幸福河湖建设。"
    assert clauses["plan/九"].text.startswith("各区要把规划确定的目标")


def test_section_text_before_first_task(plan: ParsedDocument) -> None:
    section = _by_id(plan)["plan/三/（三）"]
    assert section.text.startswith("全面实施生态环境分区管控")
    assert not any(c.parent_id == section.id for c in plan.clauses)


def test_page_break_repair(plan: ParsedDocument) -> None:
    texts = "\n".join(c.full_text for c in plan.clauses)
    assert "推进生态环境服务业迭代升级" in texts
    assert "强度双控制度，完善碳排放" in texts
    assert "人居环境品质明显提升，生态系统多样性" in texts
    assert "建设野生动植物资源管理系统" in texts
    for torn in ("推\n", "双控\n", "明显提升，\n"):
        assert torn not in texts
    assert _broken_sentences(plan.clauses) == []


def test_paragraph_breaks_kept_as_single_newline(plan: ParsedDocument) -> None:
    text = _by_id(plan)["plan/一"].text
    assert text.count("\n") == 2 and "\n\n" not in text


def test_inline_html_and_markdown_removed(plan: ParsedDocument) -> None:
    texts = "".join(c.heading + c.text + "".join(c.path) for c in plan.clauses)
    assert "强化区域臭氧和 PM2.5 协同应对" in texts
    for mark in ("<", ">", "**", "#", "&"):
        assert mark not in texts


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("推\n\n进生态环境服务业。", "推进生态环境服务业。"),
        ("双控\n\n制度，完善体系。", "双控制度，完善体系。"),
        ("明显提升，\n\n生态系统稳定。", "明显提升，生态系统稳定。"),
        ("达到 14.\n\n6%。", "达到 14.6%。"),
        ("第一句。\n\n第二句。", "第一句。\n第二句。"),
        ("引号结束。”\n\n下一段。", "引号结束。”\n下一段。"),
        ("PM<sub>2.5</sub>浓度下降&gt;5%。", "PM2.5浓度下降>5%。"),
        ("甲<br>乙。", "甲乙。"),
        ("甲。<br/>乙。", "甲。\n乙。"),
        ("hard\nwrapped English line.", "hard wrapped English line."),
        ("**重点**工作<!-- FORCE BREAK -->继续。", "重点工作继续。"),
    ],
)
def test_continuation_rule(source: str, expected: str) -> None:
    doc = parse_document(source, "d")
    assert [c.text for c in doc.clauses] == [expected]


def test_task_heading_on_its_own_line() -> None:
    text = "## 一、总体要求\n\n### （一）目标\n\n**加强监测。**\n\n开展监测，\n\n形成体系。\n\n**推进治理。**治理。\n"
    doc = parse_document(text, "p", kind="规划")
    tasks = [c for c in doc.clauses if c.level == "task"]
    assert [(t.id, t.heading, t.text) for t in tasks] == [
        ("p/一/（一）/1", "加强监测。", "开展监测，形成体系。"),
        ("p/一/（一）/2", "推进治理。", "治理。"),
    ]


# --- laws ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def law() -> ParsedDocument:
    return parse_document(_read("law_code.md"), "law")


def test_law_title_and_history(law: ParsedDocument) -> None:
    assert law.title == "中华人民共和国示例法典"
    assert law.history == (
        "2019年3月1日 第十三届全国人民代表大会第二次会议通过",
        "2021年6月10日 第十三届全国人民代表大会常务委员会第二十九次会议《关于修改〈中华人民共和国示例法典〉的决定》第一次修正",
    )
    assert all("INFO END" not in c.text and "第二次会议通过" not in c.text for c in law.clauses)
    _assert_well_formed(law, "law")


def test_law_containers(law: ParsedDocument) -> None:
    clauses = _by_id(law)
    part = clauses["law/第一编"]
    assert (part.level, part.number, part.number_value, part.heading, part.text) == (
        "part",
        "第一编",
        1,
        "总则",
        "",
    )
    chapter = clauses["law/第一编/第二章"]
    assert (chapter.level, chapter.path) == ("chapter", ("第一编 总则", "第二章 监督管理"))
    assert chapter.parent_id == "law/第一编"
    sub = clauses["law/第一编/第二章/第一节"]
    assert (sub.level, sub.heading, sub.path[-1]) == ("subsection", "监测", "第一节 监测")
    assert clauses["law/第二编/第一章"].parent_id == "law/第二编"
    assert all(c.text == "" for c in law.clauses if c.level in models.CONTAINER_LEVELS)


def test_law_articles(law: ParsedDocument) -> None:
    clauses = _by_id(law)
    art = clauses["law/第三条"]
    assert (art.level, art.number, art.number_value, art.heading) == ("article", "第三条", 3, "")
    assert art.path == ("第一编 总则", "第二章 监督管理", "第一节 监测", "第三条")
    assert art.parent_id == "law/第一编/第二章/第一节"
    assert art.text == (
        "有下列情形之一的，由生态环境主管部门责令改正：\n（一）未依法取得排污许可证排放污染物的；\n"
        "（二）超过排放标准排放大气污染物的；\n（三）其他违反本法规定的行为。"
    )
    assert clauses["law/第二条"].text.count("\n") == 1  # two 款
    sub = clauses["law/第三条之一"]
    assert (sub.number, sub.number_value, sub.path[-1]) == ("第三条之一", 3, "第三条之一")
    assert clauses["law/第一百二十三条"].number_value == 123
    assert clauses["law/第四条"].text == "生态环境主管部门有权进行现场检查。\n被检查者应当如实反映情况。"
    articles = [c for c in law.clauses if c.level == "article"]
    assert [c.number_value for c in articles] == [1, 2, 3, 3, 4, 123]


def test_law_text_outside_articles_becomes_blocks(law: ParsedDocument) -> None:
    blocks = [c for c in law.clauses if c.level == "block"]
    assert [(b.heading, b.path) for b in blocks] == [("序言", ("序言",)), ("附件一", ("附件一",))]
    assert blocks[0].text == "本法典为保护生态环境而制定。"
    assert blocks[1].text == "下列决定予以废止：\n1．关于示例的决定"
    assert blocks[0].id == "law/¶1"


def test_judicial_interpretation_headings_hold_articles() -> None:
    doc = parse_document(_read("judicial.md"), "j")
    _assert_well_formed(doc, "j")
    clauses = _by_id(doc)
    assert clauses["j/序言"].level == "preamble"
    assert clauses["j/序言"].text.startswith("为正确审理示例案件")
    heading = next(c for c in doc.clauses if c.heading == "一般规定")
    assert (heading.number, heading.number_value, heading.path) == ("一", 1, ("一、一般规定",))
    assert clauses["j/第二条"].parent_id == heading.id
    assert clauses["j/第二条"].path == ("一、一般规定", "第二条")
    assert clauses["j/第三条"].path == ("二、附则", "第三条")


def test_plain_text_law_without_markdown() -> None:
    text = "第一章　总则\n第一条　为了示例，制定本条例。\n第二条　本条例自公布之日起施行。\n第二章 附则\n第三条 略。"
    doc = parse_document(text, "t")
    assert [c.id for c in doc.clauses] == ["t/第一章", "t/第一条", "t/第二条", "t/第二章", "t/第三条"]
    assert _by_id(doc)["t/第一条"].text == "为了示例，制定本条例。"


def test_duplicate_article_labels_get_suffix() -> None:
    text = "第一条 甲。\n\n第二条 乙。\n\n第一条 丙。\n\n第一条 丁。"
    doc = parse_document(text, "d")
    assert [c.id for c in doc.clauses] == ["d/第一条", "d/第二条", "d/第一条~2", "d/第一条~3"]
    assert any("第一条" in w for w in doc.warnings)


def test_ids_stable_across_parses_and_unrelated_edits(law: ParsedDocument) -> None:
    text = _read("law_code.md")
    again = parse_document(text, "law")
    assert again == law
    edited = text.replace(
        "本法适用于中华人民共和国领域。", "本法适用于中华人民共和国领域和管辖海域，另有规定的除外。"
    )
    edited = edited.replace(
        "被检查者应当如实反映情况。", "被检查者应当如实反映情况。\n\n检查者应当保守秘密。"
    )
    changed = parse_document(edited, "law")
    assert [c.id for c in changed.clauses] == [c.id for c in law.clauses]
    before, after = _by_id(law), _by_id(changed)
    assert [k for k in before if before[k].text != after[k].text] == ["law/第二条", "law/第四条"]


# --- generic text -------------------------------------------------------------------------------


def test_generic_case() -> None:
    doc = parse_document(_read("case.md"), "case")
    assert doc.style == "generic" and doc.title.startswith("为家庭生活消费需要购买汽车")
    _assert_well_formed(doc, "case")
    assert all(c.level == "block" for c in doc.clauses)
    assert [c.id for c in doc.clauses][:3] == ["case/¶1", "case/¶2", "case/¶3"]
    facts = next(c for c in doc.clauses if c.heading == "基本案情")
    assert facts.text.count("\n") == 1 and "FORCE" not in facts.text
    points = [c for c in doc.clauses if c.path[:1] == ("裁判要点",)]
    assert [c.text[:2] for c in points] == ["一、", "二、"]


def test_generic_blocks_are_capped_and_keep_paragraphs() -> None:
    paragraphs = [f"第{i}段" + "字" * 297 + "。" for i in range(20)]
    doc = parse_document("\n\n".join(paragraphs), "n")
    assert all(len(c.text) <= 1500 + 20 for c in doc.clauses)
    assert [c.id for c in doc.clauses] == [f"n/¶{i}" for i in range(1, len(doc.clauses) + 1)]
    assert "\n".join(c.text for c in doc.clauses).split("\n") == paragraphs
    huge = "长" * 5000 + "。"
    assert [c.text for c in parse_document(huge, "h").clauses] == [huge]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "# 只有标题\n", "<!-- INFO END -->", "---\na: b\n---\n"])
def test_empty_documents(text: str) -> None:
    doc = parse_document(text, "e")
    assert doc.clauses == () or all(c.text == "" for c in doc.clauses)
    assert doc.warnings


def test_title_argument_overrides_and_crlf() -> None:
    doc = parse_document("# 原标题\r\n\r\n第一条 内容，\r\n\r\n继续。\r\n", "x", title="给定标题")
    assert doc.title == "给定标题"
    assert [c.text for c in doc.clauses] == ["内容，继续。"]


# --- robustness ---------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "第一条 ",
        "第一百二十三条之一　",
        "## 第一章  总则",
        "### 第二节 ",
        "第一编",
        "一、",
        "（一）",
        "(二)",
        "**",
        "**甲。**",
        "#",
        "\n",
        "\n\n",
        "。",
        "，",
        "<!--",
        "-->",
        "<!-- INFO END -->",
        "<sub>",
        "</sub>",
        "<br>",
        "&amp;",
        "&#",
        "[a](b)",
        "|",
        "---",
        "\r",
        "\u3000",
        "甲",
        "a",
        "1.",
        "第",
        "条",
        "\x00",
        "𠀀",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=60).map("".join)),
    st.sampled_from([None, "规划", "法律"]),
)
def test_parse_never_raises(text: str, kind: str | None) -> None:
    doc = parse_document(text, "h", kind=kind)
    _assert_well_formed(doc, "h")
    assert parse_document(text, "h", kind=kind) == doc


def test_large_inputs_are_linear() -> None:
    start = time.perf_counter()
    one_line = parse_document("推" * 2_000_000, "big")
    many_lines = parse_document("第一条 甲，\n\n乙\n" * 20_000 + "<a " * 100_000 + "[x](" * 100_000, "many")
    elapsed = time.perf_counter() - start
    assert len(one_line.clauses) == 1 and many_lines.clauses
    assert elapsed < 10
