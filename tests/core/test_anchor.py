"""Bookmark anchors: tasks find their clause again after re-indexing, a 征求意见稿 → 正式稿 replacement,
or an amended law (renumbered articles, 之一 articles), and are flagged when the clause is gone."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.anchor import (
    Anchor,
    Resolution,
    align,
    anchor_for,
    content_key,
    move_for,
    reanchor,
    reanchor_in,
    similarity,
    text_key,
    version_key,
)
from app.core.models import Clause, Document
from app.core.normalize import compact, fold
from app.core.numbers import cn_to_int, int_to_cn
from app.core.structure import ParsedDocument, parse_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PARK = "上海市公园管理条例(2017-11-23)"

NEW_SECTION = (
    "### （一）统筹推进环境质量综合改善\n\n"
    "**强化多污染物协同控制。**以细颗粒物和臭氧协同控制为主线，统筹推进水、气、土、海污染协同治理，"
    "建立跨要素联防联控工作机制。\n\n"
)
APPENDED = "到2030年，建成区雨污混接动态清零。"
REWRITTEN = "建立全市生态保护修复规划体系，统筹实施重要生态系统保护和修复重大工程，健全多元投入机制，开展修复成效跟踪评估。"


# --- fixtures: the shipped plan and a revised 正式稿 built from it ---------------------------------------


def _manifest_entry(kind: str | None = None, doc_id: str | None = None) -> dict[str, str]:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return next(d for d in manifest["documents"] if d["kind"] == kind or d["id"] == doc_id)


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _task_lines(lines: list[str], heading: str) -> tuple[int, int]:
    """Line range [start, end) of the task paragraph that starts with the bold `heading`."""
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"**{heading}**"))
    end = start + 1
    while end < len(lines) and not lines[end].startswith(("**", "#")):
        end += 1
    return start, end


def _drop_task(text: str, heading: str) -> str:
    lines = text.split("\n")
    start, end = _task_lines(lines, heading)
    return "\n".join(lines[:start] + lines[end:])


def _append_to_task(text: str, heading: str, sentence: str) -> str:
    lines = text.split("\n")
    start, end = _task_lines(lines, heading)
    last = max(i for i in range(start, end) if lines[i].strip())
    lines[last] += sentence
    return "\n".join(lines)


def _replace_body(text: str, heading: str, body: str) -> str:
    lines = text.split("\n")
    start, end = _task_lines(lines, heading)
    return "\n".join([*lines[:start], f"**{heading}**{body}", *lines[end:]])


def _revise_plan(text: str) -> str:
    """The 正式稿: formal title, a new （一） in chapter 四 (its sections renumbered), edits, a task deleted."""
    text = _replace_once(text, "\n(征求意见稿)\n", "\n")
    start = text.rindex("\n", 0, text.index("四、注重系统治理")) + 1
    end = text.rindex("\n", 0, text.index("五、强化保护修复")) + 1
    chapter = re.sub(
        r"^(#+ (?:\*\*)?)（([一二三四五])）",
        lambda m: f"{m.group(1)}（{int_to_cn((cn_to_int(m.group(2)) or 0) + 1)}）",
        text[start:end],
        flags=re.MULTILINE,
    )
    first = chapter.index("\n") + 1
    text = text[:start] + chapter[:first] + "\n" + NEW_SECTION + chapter[first:] + text[end:]
    text = _replace_once(text, "全面实施碳排放总量和强度双控", "全面落实碳排放总量和强度双控")  # a word
    text = _replace_once(text, "完成焦化、水泥等重点行业", "完成焦化、水泥、玻璃等重点行业")  # a word added
    text = _append_to_task(text, "深化雨污水系统治理。", APPENDED)  # a clause appended
    text = _drop_task(text, "提升生活垃圾全程分类实效。")  # a task deleted
    text = _replace_body(text, "强化生态保护修复。", REWRITTEN)  # a task rewritten under the same heading
    return _replace_once(text, "（三）加强科技支撑", "（三）强化科技支撑")  # a section heading edited


class Lib:
    """Documents with their parsed clauses; records which documents' clauses were loaded."""

    def __init__(self, *parsed: tuple[Document, ParsedDocument]) -> None:
        self.docs = [d for d, _ in parsed]
        self._clauses = {d.id: p.clauses for d, p in parsed}
        self.loaded: list[str] = []

    def clauses_of(self, doc_id: str) -> Sequence[Clause]:
        self.loaded.append(doc_id)
        return self._clauses[doc_id]

    def run(self, anchors: dict[str, Anchor], **kw: bool) -> dict[str, Resolution]:
        return reanchor(anchors, self.docs, self.clauses_of, **kw)


@pytest.fixture(scope="module")
def plans() -> tuple[Document, ParsedDocument, Document, ParsedDocument]:
    entry = _manifest_entry(kind="规划")
    text = (CORPUS / entry["file"]).read_text(encoding="utf-8")
    old_doc = Document(id=entry["id"], title=entry["title"], kind="规划", status="征求意见稿")
    old = parse_document(text, old_doc.id, kind="规划")
    new = parse_document(_revise_plan(text), "美丽上海建设十五五规划", kind="规划")
    new_doc = Document(id="美丽上海建设十五五规划", title=new.title, kind="规划", status="正式稿")
    assert new.title == "美丽上海建设“十五五”规划" and not new.warnings
    return old_doc, old, new_doc, new


@pytest.fixture(scope="module")
def park() -> tuple[Document, ParsedDocument, str]:
    entry = _manifest_entry(doc_id=PARK)
    text = (CORPUS / entry["file"]).read_text(encoding="utf-8")
    doc = Document(id=PARK, title=entry["title"], kind=entry["kind"], date=entry["date"])
    return doc, parse_document(text, PARK, kind=doc.kind), text


def _law(text: str, doc_id: str, date: str) -> tuple[Document, ParsedDocument]:
    parsed = parse_document(text, doc_id)
    return Document(id=doc_id, title=parsed.title, kind="地方性法规", date=date), parsed


def _by_rel(parsed: ParsedDocument, doc_id: str) -> dict[str, Clause]:
    return {c.id[len(doc_id) + 1:]: c for c in parsed.clauses}


# --- the plan: 征求意见稿 → 正式稿 ----------------------------------------------------------------------

# old relative id → (new relative id or None, state)
PLAN_EXPECTED: dict[str, tuple[str | None, str]] = {
    "序言": ("序言", "moved"),
    "一": ("一", "moved"),  # chapter with text
    "二": ("二", "moved"),  # chapter heading only
    "二/（一）": ("二/（一）", "moved"),
    "三/（一）/1": ("三/（一）/1", "changed"),  # a word changed
    "三/（一）/3": ("三/（一）/3", "moved"),
    "三/（三）": ("三/（三）", "moved"),
    "四": ("四", "moved"),
    "四/（一）": ("四/（二）", "moved"),  # renumbered by the new （一）
    "四/（一）/1": ("四/（二）/1", "moved"),
    "四/（一）/2": ("四/（二）/2", "changed"),  # renumbered and a word added
    "四/（二）/2": ("四/（三）/2", "changed"),  # renumbered and a clause appended
    "四/（三）/1": ("四/（四）/1", "moved"),
    "四/（五）": ("四/（六）", "moved"),
    "四/（五）/2": (None, "missing"),  # deleted
    "四/（五）/3": ("四/（六）/2", "moved"),  # renumbered twice: new section, deleted sibling
    "四/（五）/5": ("四/（六）/4", "moved"),
    "五/（二）/1": ("五/（二）/1", "changed"),  # body rewritten, heading kept
    "五/（三）/2": ("五/（三）/2", "moved"),
    "六/（二）": ("六/（二）", "moved"),  # section with text
    "七/（三）": ("七/（三）", "changed"),  # heading edited
    "七/（三）/1": ("七/（三）/1", "moved"),
    "九": ("九", "moved"),
}

# old relative id of an edited clause → a string only its new text has
PLAN_EDITS = {
    "三/（一）/1": "全面落实碳排放", "四/（一）/2": "水泥、玻璃", "四/（二）/2": APPENDED, "五/（二）/1": REWRITTEN,
    "七/（三）": "强化科技支撑",
}


def _plan_anchors(old_doc: Document, old: ParsedDocument) -> dict[str, Anchor]:
    by_rel = _by_rel(old, old_doc.id)
    anchors = {f"t{n}": anchor_for(by_rel[rel], old_doc) for n, rel in enumerate(PLAN_EXPECTED)}
    anchors["t4-again"] = anchors["t4"]  # a second task on the clause of t4
    return anchors


def test_plan_bookmarks_follow_the_formal_version(plans: tuple[Document, ParsedDocument, Document, ParsedDocument],
                                                   park: tuple[Document, ParsedDocument, str]) -> None:
    old_doc, old, new_doc, new = plans
    lib = Lib((new_doc, new), park[:2])  # the draft is gone; a law is in the library too
    anchors = _plan_anchors(old_doc, old)
    got = lib.run(anchors)
    assert lib.loaded == [new_doc.id]  # only the candidate document was read
    old_by, new_by = _by_rel(old, old_doc.id), _by_rel(new, new_doc.id)
    for n, (rel, (want, state)) in enumerate(PLAN_EXPECTED.items()):
        res = got[f"t{n}"]
        assert (res.state, res.clause_id) == (state, want and f"{new_doc.id}/{want}"), (rel, res)
        before = old_by[rel]
        if want is None:
            assert res.anchor.text == before.full_text and res.new_anchor is None and res.doc_id is None
            continue
        after = new_by[want]
        assert res.doc_id == new_doc.id and res.new_anchor is not None
        assert res.new_anchor.clause_id == after.id and res.new_anchor.text == after.full_text
        if state == "moved":  # the same text under another id: check it by text
            assert text_key(after.heading + after.text) == text_key(before.heading + before.text)
            assert res.score == 1.0
        else:  # the edited clause: its edit is there
            assert PLAN_EDITS[rel] in after.heading + after.full_text and res.score < 1.0
    assert got["t4-again"] == got["t4"]
    # one-to-one: different old clauses never share a new clause
    targets = [r.clause_id for t, r in got.items() if r.clause_id and t != "t4-again"]
    assert len(targets) == len(set(targets))


def test_plan_reasons(plans: tuple[Document, ParsedDocument, Document, ParsedDocument]) -> None:
    old_doc, old, new_doc, new = plans
    got = Lib((new_doc, new)).run(_plan_anchors(old_doc, old))
    index = {rel: f"t{n}" for n, rel in enumerate(PLAN_EXPECTED)}
    assert got[index["三/（一）/1"]].reason == "same id in newer version"
    assert got[index["四/（一）/2"]].reason == "same heading, renumbered in newer version"
    rewritten = got[index["五/（二）/1"]]  # the text alone is too different: the heading path holds it
    assert rewritten.reason == "same heading path in newer version" and rewritten.score < 0.6
    assert got[index["四/（五）/2"]].reason.startswith("no ")  # "no similar clause" / "no match (best …)"
    assert all(r.reason for r in got.values())


def test_no_change_is_ok_and_loads_only_the_bookmarked_document(
        plans: tuple[Document, ParsedDocument, Document, ParsedDocument],
        park: tuple[Document, ParsedDocument, str]) -> None:
    old_doc, old, _, _ = plans
    lib = Lib((old_doc, old), park[:2])
    anchors = {f"t{i}": anchor_for(c, old_doc) for i, c in enumerate(old.clauses)}
    got = lib.run(anchors)
    assert {r.state for r in got.values()} == {"ok"}
    assert all(r.clause_id == anchors[t].clause_id and r.score == 1.0 and r.reason == "same id"
               for t, r in got.items())
    assert lib.loaded == [old_doc.id]


def test_re_indexing_the_same_text_under_its_own_id_is_ok(
        plans: tuple[Document, ParsedDocument, Document, ParsedDocument]) -> None:
    old_doc, old, _, _ = plans
    text = (CORPUS / _manifest_entry(kind="规划")["file"]).read_text(encoding="utf-8")
    again = parse_document(text.replace("\n\n", "\n\n\n"), old_doc.id, kind="规划")  # re-indexed
    anchors = {c.id: anchor_for(c, old_doc) for c in old.clauses}
    assert {r.state for r in Lib((old_doc, again)).run(anchors).values()} == {"ok"}


def test_old_version_still_present(plans: tuple[Document, ParsedDocument, Document, ParsedDocument]) -> None:
    old_doc, old, new_doc, new = plans
    anchors = _plan_anchors(old_doc, old)
    lib = Lib((old_doc, old), (new_doc, new))
    stay = lib.run(anchors)
    assert {r.state for r in stay.values()} == {"ok"} and lib.loaded == [old_doc.id]
    follow = Lib((old_doc, old), (new_doc, new))
    moved = follow.run(anchors, follow_newer=True)
    assert moved == Lib((new_doc, new)).run(anchors)
    assert follow.loaded == [new_doc.id]


def test_an_edited_clause_in_the_same_document(plans: tuple[Document, ParsedDocument, Document, ParsedDocument]
                                               ) -> None:
    old_doc, old, _, _ = plans
    text = (CORPUS / _manifest_entry(kind="规划")["file"]).read_text(encoding="utf-8")
    edited = parse_document(_replace_once(text, "推动大型活动实施碳中和。", "推动大型活动和会展实施碳中和。"),
                            old_doc.id, kind="规划")
    clause = _by_rel(old, old_doc.id)["三/（一）/2"]
    got = Lib((old_doc, edited)).run({"t": anchor_for(clause, old_doc)})["t"]
    assert (got.state, got.clause_id, got.reason) == ("changed", clause.id, "same id")


# --- an amended law --------------------------------------------------------------------------------------


def _park_anchors(doc: Document, parsed: ParsedDocument, rels: Sequence[str]) -> dict[str, Anchor]:
    by_rel = _by_rel(parsed, doc.id)
    return {rel: anchor_for(by_rel[rel], doc) for rel in rels}


def test_law_amended_with_a_zhiyi_article(park: tuple[Document, ParsedDocument, str]) -> None:
    doc, parsed, text = park
    text = _replace_once(text, "\n第六条 ", "\n第五条之一 市绿化行政管理部门应当建立公园名录，并向社会公布。\n\n第六条 ")
    text = _replace_once(text, "并单列专项经费保证公园的养护和管理", "并单列专项经费保证公园的建设、养护和管理")
    new_doc, new = _law(text, "上海市公园管理条例(2025-06-30)", "2025-06-30")
    assert f"{new_doc.id}/第五条之一" in {c.id for c in new.clauses}
    anchors = _park_anchors(doc, parsed, ["第一章", "第四条", "第五条", "第六条", "第七条"])
    got = Lib((new_doc, new)).run(anchors)
    assert {k: (r.state, r.clause_id) for k, r in got.items()} == {
        "第一章": ("moved", f"{new_doc.id}/第一章"),
        "第四条": ("moved", f"{new_doc.id}/第四条"),
        "第五条": ("moved", f"{new_doc.id}/第五条"),
        "第六条": ("moved", f"{new_doc.id}/第六条"),
        "第七条": ("changed", f"{new_doc.id}/第七条"),
    }
    assert got["第五条"].reason == "same id in newer version"


def _renumber_park(text: str) -> str:
    """A new 第九条; 第九条… shift by one, the old 第二十七条 is deleted (later ones shift back), an edit."""
    text = _replace_once(text, "（三）公园内的噪声超过环境保护部门规定标准的；", "（三）公园内的噪声超过生态环境部门规定标准的；")
    out: list[str] = []
    skipping = False
    for line in text.split("\n"):
        m = re.match(r"^第([一二三四五六七八九十]+)条 ", line)
        if m:
            n = cn_to_int(m.group(1)) or 0
            skipping = n == 27
            if n == 9:
                out += ["第九条 本市推进公园城市建设，构建全域覆盖的城乡公园体系。", ""]
            if n >= 9 and not skipping:
                line = f"第{int_to_cn(n + 1 - (n > 27))}条 " + line[m.end():]
        elif line.startswith("#"):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out)


def test_law_amended_with_renumbered_articles(park: tuple[Document, ParsedDocument, str]) -> None:
    doc, parsed, text = park
    new_doc, new = _law(_renumber_park(text), "上海市公园管理条例(2025-06-30)", "2025-06-30")
    rels = ["第二章", "第八条", "第九条", "第十条", "第二十四条", "第二十五条", "第二十六条", "第二十七条",
            "第二十八条", "第三十三条"]
    lib = Lib((new_doc, new))
    got = lib.run(_park_anchors(doc, parsed, rels))
    want = {
        "第二章": ("moved", "第二章"),
        "第八条": ("moved", "第八条"),
        "第九条": ("moved", "第十条"),  # not the new 第九条 at its old number
        "第十条": ("moved", "第十一条"),
        "第二十四条": ("moved", "第二十五条"),
        "第二十五条": ("moved", "第二十六条"),
        "第二十六条": ("changed", "第二十七条"),  # renumbered and edited
        "第二十七条": ("missing", None),  # deleted
        "第二十八条": ("moved", "第二十八条"),  # shifted by +1 and -1
        "第三十三条": ("moved", "第三十三条"),
    }
    assert {k: (r.state, r.clause_id and r.clause_id[len(new_doc.id) + 1:]) for k, r in got.items()} == want
    assert got["第二十六条"].reason.startswith("text similarity") and got["第二十六条"].score > 0.9
    assert got["第二十七条"].anchor.text.startswith("因公园管理责任造成游客伤害的")
    assert lib.loaded == [new_doc.id]


# --- one-to-one -----------------------------------------------------------------------------------------


def _generic(paras: Sequence[str], doc_id: str) -> tuple[Document, ParsedDocument]:
    body = "\n\n".join(f"第{int_to_cn(i + 1)}条 {p}" for i, p in enumerate(paras))
    parsed = parse_document(f"# 测试办法\n\n{body}\n", doc_id)
    return Document(id=doc_id, title="测试办法", kind="其他"), parsed


A = "单位和个人应当按照规定分类投放生活垃圾，不得随意倾倒、抛撒或者堆放生活垃圾。"
B = "违反本办法规定，未按照规定分类投放生活垃圾的，由城管执法部门责令改正；拒不改正的，处五十元以上二百元以下罚款。"
B2 = "违反本办法规定，未按照规定分类投放生活垃圾的，由城管执法部门责令改正；拒不改正的，处一百元以上五百元以下罚款。"
C = "本办法自2026年1月1日起施行。"


def test_a_deleted_clause_does_not_take_its_near_twin() -> None:
    old_doc, old = _generic([A, B, B2, C], "v1")
    new_doc, new = _generic([A, B2, C], "v2")  # B deleted; B2 (ratio 0.93 to B) stays
    anchors = {c.number: anchor_for(c, old_doc) for c in old.clauses}
    got = Lib((new_doc, new)).run(anchors)
    assert got["第三条"].clause_id == "v2/第二条" and got["第三条"].state == "moved"
    assert got["第二条"].state == "missing" and got["第二条"].reason == "matching clause taken by another bookmark"


def test_two_clauses_merged_into_one_both_follow() -> None:
    old_doc, old = _generic([A, B, C], "v1")
    new_doc, new = _generic([A[:-1] + "；" + B, C], "v2")
    anchors = {c.number: anchor_for(c, old_doc) for c in old.clauses}
    got = Lib((new_doc, new)).run(anchors)
    assert (got["第一条"].state, got["第一条"].clause_id) == ("changed", "v2/第一条")
    assert (got["第二条"].state, got["第二条"].clause_id) == ("changed", "v2/第一条")
    assert (got["第三条"].state, got["第三条"].clause_id) == ("moved", "v2/第二条")
    strict = Lib((new_doc, new)).run(anchors, merge=False)  # the larger share of the merged text wins
    assert (strict["第二条"].state, strict["第二条"].clause_id) == ("changed", "v2/第一条")
    assert strict["第一条"].state == "missing" and strict["第一条"].anchor.text == A


def test_unknown_document_is_missing() -> None:
    old_doc, old = _generic([A], "v1")
    other_doc, other = _generic([A], "v2")
    other_doc = Document(id="v2", title="另一办法", kind="其他")
    lib = Lib((other_doc, other))
    got = lib.run({"t": anchor_for(old.clauses[0], old_doc)})["t"]
    assert (got.state, got.reason, got.anchor.text) == ("missing", "document not found", A)
    assert lib.loaded == []


# --- helpers -------------------------------------------------------------------------------------------


def test_version_key() -> None:
    assert version_key("美丽上海建设“十五五”规划（征求意见稿）") == version_key("美丽上海建设“十五五”规划")
    assert version_key("美丽上海建设“十五五”规划(征求意见稿)") == version_key("美丽上海建设“十五五”规划")
    assert version_key("美丽上海建设十五五规划-征求意见稿") == version_key("美丽上海建设十五五规划")
    assert version_key("中华人民共和国水法") == version_key("水法")
    assert version_key("上海市绿化条例（草案）") == version_key("上海市绿化条例")
    assert version_key("水法") != version_key("水污染防治法")


def test_anchor_json_round_trip(plans: tuple[Document, ParsedDocument, Document, ParsedDocument]) -> None:
    old_doc, old, _, _ = plans
    a = anchor_for(old.clauses[10], old_doc)
    assert Anchor.from_json(json.loads(json.dumps(a.to_json(), ensure_ascii=False))) == a


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_key_is_compact_fold(text: str) -> None:
    assert text_key(text) == compact(fold(text))


def test_text_key_on_the_plan() -> None:
    text = (CORPUS / _manifest_entry(kind="规划")["file"]).read_text(encoding="utf-8")
    assert text_key(text) == compact(fold(text))



# --- one given document, clause alignment and the store moves -------------------------------------------------


def test_reanchor_in_searches_the_given_document_whatever_its_title() -> None:
    old_doc, old = _generic([A, B, C], "v1")
    other, new = _generic([C, A, B2], "v2")
    other = Document(id="v2", title="完全不同的标题", kind="其他")
    anchors = {c.number: anchor_for(c, old_doc) for c in old.clauses}
    assert reanchor(anchors, [other], Lib((other, new)).clauses_of)["第一条"].state == "missing"  # titles differ
    got = reanchor_in(anchors, other, new.clauses)
    assert {k: (r.state, r.clause_id) for k, r in got.items()} == {
        "第一条": ("moved", "v2/第二条"), "第二条": ("changed", "v2/第三条"), "第三条": ("moved", "v2/第一条")}


def test_align_pairs_each_old_clause_with_at_most_one_new_one() -> None:
    old_doc, old = _generic([A, B, C], "v1")
    new_doc, new = _generic([A[:-1] + "；" + B, C], "v2")  # 第一条 and 第二条 merged
    got = align(old_doc, old.clauses, new_doc, new.clauses)
    assert set(got) == {"v1/第一条", "v1/第二条", "v1/第三条"}
    assert got["v1/第三条"].clause_id == "v2/第二条"
    attached = [r.clause_id for r in got.values() if r.attached]
    assert len(attached) == len(set(attached)) == 2  # one to one, unlike bookmarks


def test_move_for() -> None:
    old_doc, old = _generic([A, B], "v1")
    new_doc, new = _generic([B, A[:-1] + "，并及时清理。"], "v2")
    a, b = (anchor_for(c, old_doc) for c in old.clauses)
    got = reanchor({"a": a, "b": b}, [new_doc], Lib((new_doc, new)).clauses_of)
    moved, changed = got["b"], got["a"]
    assert (moved.state, changed.state) == ("moved", "changed")
    assert move_for("task_id", "t", b.clause_id, "ok", b.fingerprint, moved) == {
        "task_id": "t", "clause_id": "v2/第一条", "state": "moved", "doc_id": "v2", "doc_title": "测试办法",
        "path": new.clauses[0].path, "heading": new.clauses[0].heading, "text": B,
        "fingerprint": anchor_for(new.clauses[0], new_doc).fingerprint}
    # an edited clause keeps the old snapshot until the user confirms the new text
    assert move_for("comment_id", "m", a.clause_id, "ok", a.fingerprint, changed) == {
        "comment_id": "m", "clause_id": "v2/第二条", "state": "changed", "doc_id": "v2", "doc_title": "测试办法"}
    ok = Resolution("ok", a.clause_id, a.doc_id, 1.0, "same id", a, a)
    assert move_for("task_id", "t", a.clause_id, "ok", a.fingerprint, ok) is None  # nothing changes
    missing = Resolution("missing", None, None, 0.0, "no similar clause", a)
    assert move_for("task_id", "t", a.clause_id, "ok", a.fingerprint, missing) == {
        "task_id": "t", "clause_id": a.clause_id, "state": "missing"}
    assert move_for("task_id", "t", a.clause_id, "missing", a.fingerprint, missing) is None


def test_content_key_and_similarity_of_two_versions() -> None:
    _, old = _generic([A], "v1")
    assert content_key(old.clauses[0]) == text_key(A)
    assert similarity(A, A) == 1.0 and 0.9 < similarity(B, B2) < 1.0
