"""Best-match retrieval over a real index of the shipped corpus (app.core.search.bestmatch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.library import Library
from app.core.models import CONTAINER_LEVELS, Clause
from app.core.search import bestmatch, pipeline
from app.core.search.indexer import search_text
from app.core.search.query import add_alternatives, parse_query

PLAN = "美丽上海建设十五五规划-征求意见稿"
CARBON_SECTION = f"{PLAN}/三/（一）"


def _plan_hits(library: Library, query: str, limit: int = 20) -> list[str]:
    return [h.id for h in library.search(query, limit=limit).hits if h.doc_id == PLAN]


def test_a_definition_query_puts_the_article_defining_the_term_first(library: Library) -> None:
    # 环境保护法 第二条 (本法所称环境，是指…湿地…) and every other definition also say 是指; the one defining
    # 湿地 itself comes first (it was 50th: 湿地保护法 is long and says 湿地 everywhere).
    for query in ("湿地的定义", "什么是湿地"):
        hit = library.search(query, limit=5).hits[0]
        first = library.clause(hit.id)
        assert first.doc_id.startswith("湿地保护法") and first.number_value == 2, query
        # Its snippet opens at the defining sentence, not at the article's first (its scope).
        assert hit.snippet.lstrip("…").startswith("本法所称<mark>湿地</mark>"), hit.snippet


def test_a_definition_typed_as_one_string_asks_for_the_whole_term(library: Library) -> None:
    # jieba cuts 伴生放射性矿 in three, none of which 第六十二条 defines: the asked term is the text left once 什么是
    # is out. It was 7th, below the articles saying 伴生放射性矿 most often.
    bp = bestmatch.plan(parse_query("什么是伴生放射性矿"), lambda t: [], lambda w: True)
    assert bp.intent == "definition" and pipeline.definition_terms(bp)[0] == "伴生放射性矿"
    assert bestmatch.plan(parse_query("伴生放射性矿"), lambda t: [], lambda w: True).asked == []
    hit = library.search("什么是伴生放射性矿", limit=3).hits[0]
    first = library.clause(hit.id)
    assert first.doc_id.startswith("放射性污染防治法") and first.number_value == 62
    assert "伴生放射性矿，是指" in hit.snippet.replace("<mark>", "").replace("</mark>", "")


def test_a_duty_question_finds_the_article_stating_the_duty(library: Library) -> None:
    # 建设项目环境保护管理条例 第十七条: 建设单位 accepts its 环境保护设施 after 竣工. It was 29th while 由 was searched.
    ranked = [library.clause(h.id) for h in library.search("环保设施竣工验收 由谁负责", limit=3).hits]
    assert ranked[0].doc_id.startswith("建设项目环境保护管理条例") and ranked[0].number_value == 17


def test_a_thing_the_plan_names_only_by_its_class_is_found_as_an_inference(library: Library) -> None:
    # The plan says 新污染物, never PFAS; 外来入侵物种, never 福寿螺. The notice says it is an inference.
    for query, section in (("PFAS", "（三）深化新污染物治理"), ("福寿螺", "（四）加强生物安全管理")):
        res = library.search(query, limit=5)
        assert any(section in library.clause(h.id).path for h in res.hits[:3]), query
        assert any(n.startswith("按所属类别推断") for n in res.notices), res.notices
    # A word the library holds itself ranks its own clauses first: 医疗废物管理条例 before any 危险废物 article.
    first = library.clause(library.search("医院医疗废物 能存放几天", limit=3).hits[0].id)
    assert first.doc_id.startswith("医疗废物管理条例") and first.number_value == 17
    # The class adds no BM25 nor heading bonus where the thing is named too: 飞灰's own task before the one that
    # says 危险废物 four times (and 飞灰 once).
    res = library.search("焚烧飞灰", limit=3)
    assert library.clause(res.hits[0].id).heading.startswith("高标准建设全域无废城市")
    assert "按所属类别推断，也查找：“危险废物”（飞灰属于危险废物）。" in res.notices


def test_unscore_classes_marks_the_classes_a_unit_reached() -> None:
    def expand(w: str) -> list[tuple[str, float]]:
        return {"飞灰": [("危险废物", 0.6)], "焚烧": [("燃烧", 1.0)]}.get(w, [])

    pq = parse_query("焚烧 飞灰")
    add_alternatives(pq, lambda t: [a for a, _ in expand(t)])
    bp = bestmatch.plan(pq, expand, lambda w: True)
    pipeline.unscore_classes(bp, pq, lambda text: [("飞灰", "危险废物")] if "飞灰" in text else [])
    scored = {(u.label, v.key): v.scored for u in bp.units for v in u.variants}
    assert scored[("飞灰", "危险废物")] is False and scored[("飞灰", "飞灰")] and scored[("焚烧", "燃烧")]
    assert bp.inferred == [("飞灰", "危险废物")]
    assert all(w != "危险废物" for _, w, _ in bestmatch.score_terms(bp.units, ["焚烧", "飞灰"], 0.3))


def test_a_term_that_only_asks_is_intent_when_another_term_names_the_topic() -> None:
    def planned(q: str) -> bestmatch.Plan:
        return bestmatch.plan(parse_query(q), lambda t: [], lambda w: True)

    p = planned("碳排放配额 是指")  # 是指 was searched as the words 是 and 指
    assert (p.intent, [u.label for u in p.units]) == ("definition", ["碳排放配额"])
    p = planned("电梯噪声 谁管")
    assert p.intent == "department" and "谁" not in [u.label for u in p.units]
    # What a question leaves of itself is grammar: 由 of 由谁负责 (谁负责 is taken out first) was a unit matching
    # every 由…主管部门.
    p = planned("环保设施竣工验收 由谁负责")
    assert p.intent == "department" and "由" not in [u.label for u in p.units]
    assert [u.label for u in planned("向哪个部门报告").units] == ["报告"]
    # Alone, an intent word is what the user looks for; so are terms that all only ask.
    assert [u.label for u in planned("目标").units] == ["目标"]
    assert [u.label for u in planned("的 目标").units] == ["的", "目标"]


def test_a_known_compound_is_also_matched_in_parts_and_by_its_telling_part() -> None:
    known = {"海上风电", "海上", "风电"}.__contains__
    bp = bestmatch.plan(parse_query("海上风电"), lambda t: [], known, telling={"风电"}.__contains__)
    assert bp.parts == [("海上风电", ["海上", "风电"])]
    [unit] = bp.units
    parts = [v for v in unit.variants if v.part]
    assert {v.toks for v in parts} == {("海上", "风电"), ("风电",)}  # 海上 is not telling: never alone
    whole = max(v.credit for v in unit.variants if not v.part)
    assert whole == 1.0 and all(v.credit < whole for v in parts)
    # Short words and unknown words are not matched in parts (unknown ones are split into units instead).
    assert not bestmatch.plan(parse_query("风电"), lambda t: [], known, telling=known).parts


def test_a_compound_matched_in_parts_comes_after_every_whole_match(library: Library) -> None:
    res = library.search("海上风电", limit=100)
    texts = [search_text(library.clause(h.id)).replace(" ", "") for h in res.hits]
    whole = [i for i, t in enumerate(texts) if "海上风电" in t]
    parts = [i for i, t in enumerate(texts) if "海上风电" not in t]
    assert whole and parts and max(whole) < min(parts)
    assert any("风电" in texts[i] for i in parts)  # 市内风电绿电交易
    assert any("只含其中的" in n and "风电" in n for n in res.notices)


def test_coverage_ranks_full_matches_above_partial_ones() -> None:
    units = [bestmatch.Unit("a", [bestmatch.Variant("a", ("a",), 1.0)]),
             bestmatch.Unit("b", [bestmatch.Variant("b", ("b",), 1.0)])]
    docs = {"a": {1, 2, 3}, "b": {1, 4, 5, 6, 7, 8, 9, 10}}
    cov = bestmatch.cover(units, lambda v, where: set(docs[v.key]) if where == "body" else set(), 100)
    assert cov.coverage[1] == pytest.approx(1.0)
    # The rarer unit (a) weighs more than the common one (b).
    assert cov.coverage[2] > cov.coverage[4] > 0
    assert set(cov.coverage) == {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}


def test_a_cut_off_character_the_library_never_uses_does_not_lower_coverage() -> None:
    # 老建筑: jieba cuts 老 off; no clause holds it next to 建筑, so a clause with 建筑 covers the whole query.
    units = [bestmatch.Unit("老", [bestmatch.Variant("老", ("老",), 1.0)], term=0, attached=True),
             bestmatch.Unit("建筑", [bestmatch.Variant("建筑", ("建筑",), 1.0)], term=0)]
    docs = {"老": {7}, "建筑": {1, 2}}
    cov = bestmatch.cover(units, lambda v, where: set(docs[v.key]) if where == "body" else set(), 100)
    assert cov.coverage == {1: pytest.approx(1.0), 2: pytest.approx(1.0)}
    # Where it does occur next to the rest, it counts as usual.
    docs["老"] = {1}
    cov = bestmatch.cover(units, lambda v, where: set(docs[v.key]) if where == "body" else set(), 100)
    assert cov.coverage[1] == pytest.approx(1.0) and cov.coverage[2] < 0.9
    # When the rest of the term is not found either (元宇宙), the term is unknown and keeps its weight.
    units.append(bestmatch.Unit("计算", [bestmatch.Variant("计算", ("计算",), 1.0)], term=1))
    docs.update({"老": set(), "建筑": set(), "计算": {3}})
    cov = bestmatch.cover(units, lambda v, where: set(docs[v.key]) if where == "body" else set(), 100)
    assert cov.coverage.get(3, 0.0) < 0.5


def test_a_phrase_word_the_library_never_uses_weighs_nothing_and_is_named(library: Library) -> None:
    # 牙科诊所 occurs nowhere: the clauses on 医疗废物 are what the library has on the question.
    res = library.search("牙科诊所的医疗废物怎么处理", limit=20)
    assert res.hits and "医疗废物" in search_text(library.clause(res.hits[0].id)).replace(" ", "")
    assert any("没有“牙科诊所”" in n for n in res.notices)
    # In a short term every word is the concept: nothing is left out.
    plain = bestmatch.plan(parse_query("牙科诊所"), lambda t: [], lambda w: w != "牙科诊所")
    assert not any(u.sentence for u in plain.units)


def test_a_phrase_word_is_left_out_only_when_the_rest_of_the_phrase_is_found() -> None:
    def unit(label: str, attached: bool = False) -> bestmatch.Unit:
        return bestmatch.Unit(label, [bestmatch.Variant(label, (label,), 1.0)], term=0, attached=attached, sentence=True)

    units = [unit("诊所"), unit("医疗废物"), unit("收", attached=True)]
    docs = {"诊所": set(), "医疗废物": {1, 2, 3, 4}, "收": {1, 9}}
    cov = bestmatch.cover(units, lambda v, where: set(docs[v.key]) if where == "body" else set(), 100)
    assert cov.missing == ["诊所"] and cov.idf[0] == 0.0
    # The cut-off character weighs no more than the phrase's least telling word: 医疗废物 alone covers half.
    assert cov.idf[2] == cov.idf[1] and cov.coverage[2] == pytest.approx(0.5) and cov.coverage[1] == pytest.approx(1.0)
    docs["医疗废物"] = set()  # nothing of the phrase is found: nothing is left out
    cov = bestmatch.cover(units, lambda v, where: set(docs[v.key]) if where == "body" else set(), 100)
    assert cov.missing == [] and cov.idf[0] > 0


def test_a_spoken_place_word_matches_its_noun_inside_written_words(library: Library) -> None:
    # 村里 is no word of the library: the plan says 农村生活污水. Before, 村里 was left out and the plan's
    # clauses on 污水处理 in general came first.
    hits = _plan_hits(library, "村里的污水怎么处理")
    assert hits and library.clause(hits[0]).display_heading == "持续实施农村环境整治。"
    assert not any("没有“村里”" in n for n in library.search("村里的污水怎么处理").notices)
    # 海边 → 海: looked up inside words; its weight is what its own document frequency makes it.
    units = bestmatch.plan(parse_query("海边的垃圾谁来清理"), lambda t: [], lambda w: w != "海边").units
    assert any(v.key == "海" and not v.toks for v in units[0].variants)


def test_a_question_for_a_penalty_or_a_definition_gets_no_plan_prior(library: Library) -> None:
    # The plan states no fines: its clause on 尾气 came first, above the articles on the duty and its fine.
    def plan_rank(query: str) -> int:
        return next(i for i, h in enumerate(library.search(query, limit=10).hits) if h.doc_id == PLAN)

    assert plan_rank("尾气报警 不去修 罚多少") >= 2
    # Asked without a penalty word, the plan's clause keeps its prior.
    assert plan_rank("尾气报警 不去修") < plan_rank("尾气报警 不去修 罚多少")
    assert pipeline.asks_the_law(bestmatch.plan(parse_query("湿地 是指"), lambda t: [], lambda w: True))


def test_a_spoken_one_character_word_finds_the_written_word_holding_it(library: Library) -> None:
    # 砍 is no word of the regulations (they say 砍伐); the article fining the felling of an old tree comes first.
    first = library.clause(library.search("砍了百年老树 罚多少", limit=5).hits[0].id)
    assert first.doc_id.startswith("上海市古树名木") and "砍伐" in first.text
    # A character cut off a compound the user typed is not looked up inside other words: 碳 of 碳交易.
    units = bestmatch.plan(parse_query("碳交易"), lambda t: [], lambda w: w != "碳交易").units
    assert not any(v.key == "碳" and not v.toks for u in units for v in u.variants)


def test_another_places_local_rules_sink_below_the_plans_place_unless_the_query_names_it(
        library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "added"
    folder.mkdir()
    (folder / "浙江省生活垃圾管理条例(2020-09-24).md").write_text(
        "# 浙江省生活垃圾管理条例\n\n<!-- INFO END -->\n\n## 第三章  分类投放\n\n"
        "第二十五条 住宅小区生活垃圾分类投放管理责任人由物业服务企业担任。\n", encoding="utf-8")
    library.index([folder])

    def rank_of(query: str, place: str) -> int:
        hits = library.search(query, limit=30).hits
        return next(i for i, h in enumerate(hits) if h.doc_title.startswith(place))

    # The short Zhejiang article holds every word; Shanghai's own rule comes first for a Shanghai plan's library.
    assert rank_of("小区垃圾分类 管理责任人", "上海市") < rank_of("小区垃圾分类 管理责任人", "浙江省")
    assert rank_of("浙江 小区垃圾分类 管理责任人", "浙江省") == 0


def test_a_penalty_question_is_labelled_so_and_reaches_a_chapterless_regulations_fines(library: Library) -> None:
    res = library.search("砍了百年老树 罚多少", limit=5)
    assert res.intent == "penalty"  # 多少 asks the fine's amount: not 按指标查找
    # 上海市古树名木…条例 has no chapters, so no 法律责任 chapter: its article fining the felling still comes first.
    first = library.clause(res.hits[0].id)
    assert first.doc_id.startswith("上海市古树名木") and len(first.path) == 1


def test_a_quoted_phrase_stays_strict(library: Library) -> None:
    pq = parse_query('"无废城市" 建设')
    plan = bestmatch.plan(pq, lambda t: [], lambda w: True)
    assert [u.required for u in plan.units] == [True, False]
    res = library.search('"无废城市" 海绵')
    assert res.total >= 1
    for h in library.search('"无废城市" 海绵', limit=100).hits:
        assert "无废城市" in library.clause(h.id).full_text.replace(" ", "")


def test_carbon_peak_lists_its_section_and_tasks_near_the_top(library: Library) -> None:
    res = library.search("碳达峰", limit=10)
    top3 = [h.id for h in res.hits[:3]]
    assert CARBON_SECTION in top3
    section_tasks = {c.id for c in library.clauses(PLAN) if c.id.startswith(CARBON_SECTION + "/")}
    assert len(section_tasks & {h.id for h in res.hits}) >= 2  # its tasks inherit the heading


@pytest.mark.parametrize(("query", "word"), [("雾霾治理", "治理"), ("生物多样性", "生物多样性"), ("转型", "转型")])
def test_a_section_follows_its_tasks_that_say_the_words(library: Library, query: str, word: str) -> None:
    """A section listed with tasks of its own that say the words comes after them (its heading only names the
    subject); 碳达峰 above: a section whose tasks only inherit the word keeps its place."""
    ids = [h.id for h in library.search(query, limit=50).hits]
    sections = {c.id for c in library.clauses(PLAN) if c.level in CONTAINER_LEVELS}
    found = 0
    for sid in (i for i in ids if i in sections):
        said = [i for i in ids if i.startswith(sid + "/") and word in search_text(library.clause(i)).replace(" ", "")]
        assert all(ids.index(t) < ids.index(sid) for t in said)
        found += len(said)
    assert found


@pytest.mark.parametrize(("query", "expected_heading"), [
    ("臭氧污染", "加强生态环境共保联治。"),  # 强化区域臭氧和PM2.5协同应对
    ("充电桩建设目标", "构建绿色低碳交通运输体系。"),  # 完善智能充电桩
    ("光伏装机目标", "构建清洁低碳新型能源体系。"),  # “光伏+”专项工程
])
def test_queries_that_used_to_find_nothing_list_the_plan_clause(library: Library, query: str,
                                                                  expected_heading: str) -> None:
    res = library.search(query, limit=10)
    headings = [library.clause(h.id).heading for h in res.hits if h.doc_id == PLAN]
    assert expected_heading in headings
    assert res.notices  # why: synonym, partial match or split word


def test_partial_matches_are_listed_after_full_ones(library: Library) -> None:
    res = library.search("船舶 污染", limit=200)
    clauses = [library.clause(h.id) for h in res.hits]
    # Full: both words in the clause's own text. Partial: not both, not even with the headings above it
    # (a heading counts at lower weight, and only for the words the segmenter finds in it).
    full = [i for i, c in enumerate(clauses) if "船舶" in search_text(c) and "污染" in search_text(c)]
    partial = [i for i, c in enumerate(clauses)
               if not all(w in search_text(c) + "".join(c.path[:-1]) for w in ("船舶", "污染"))]
    assert full and partial
    assert max(full) < min(partial)


def test_indicator_intent_is_reported_and_prefers_clauses_with_targets(library: Library) -> None:
    res = library.search("野生动物栖息地新增多少", limit=5)
    assert res.intent == "indicator"
    first = res.hits[0]
    assert first.doc_id == PLAN
    assert library.links([first.id])[first.id].indicators


def test_paging_reaches_every_result_and_the_total_is_exact(library: Library) -> None:
    first = library.search("垃圾", limit=10)
    assert first.total > 20
    seen: list[str] = []
    offset = 0
    while offset < first.total:
        page = library.search("垃圾", limit=10, offset=offset)
        assert page.total == first.total and page.offset == offset
        seen += [h.id for h in page.hits]
        offset += 10
    assert len(seen) == first.total == len(set(seen))


def test_a_pinyin_typo_gets_a_suggestion_not_a_rewrite(library: Library) -> None:
    res = library.search("碳达锋")
    assert "碳达峰" in res.suggestions
    assert res.query == "碳达锋"
    assert library.search("碳达峰").suggestions == ()
    assert "无废城市" in library.search("无费城市").suggestions
    # Question words are not typos: 什么时候 must not become 什么事后.
    assert library.search("美丽上海什么时候建成").suggestions == ()


def test_section_headings_are_results(library: Library) -> None:
    sections = [c for c in library.clauses(PLAN) if c.level == "section" and not c.text.strip()]
    assert sections
    s: Clause = sections[0]
    assert s.id in [h.id for h in library.search(s.heading.split("）")[-1], limit=20).hits]


def _cover_one_clause_at_a_time(units: list[bestmatch.Unit], docs_of, n_docs: int):  # type: ignore[no-untyped-def]
    """The definition of coverage, a clause at a time: what bestmatch.cover computes on arrays."""
    import math

    per_unit, idf, in_parts = [], [], set()
    for u in units:
        layers, body_df = [], set()
        for v in sorted(u.variants, key=lambda v: -v.credit):
            layers.append((v.credit, len(layers), set(docs_of(v, "body")), v.part))
            if v.credit >= 1.0:
                body_df |= layers[-1][2]
            if not u.required:
                layers.append((v.credit * bestmatch.ANCESTOR_CREDIT, len(layers), set(docs_of(v, "anc")), v.part))
        credit = {}
        for d in sorted(set().union(*(layer[2] for layer in layers))):
            held = [(c, i, part) for c, i, docs, part in layers if d in docs and c > 0]
            if held:
                c, _, part = min(held, key=lambda h: (-h[0], h[1]))
                credit[d] = c
                if part:
                    in_parts.add(d)
        per_unit.append(credit)
        idf.append(math.log(1 + n_docs / max(1, len(body_df) or len(credit))))
    for i, u in enumerate(units):
        if u.attached:
            others = set().union(*(per_unit[j].keys() for j, o in enumerate(units) if j != i and o.term == u.term))
            per_unit[i] = {d: c for d, c in per_unit[i].items() if d in others}
    found = {u.term for u, c in zip(units, per_unit, strict=True) if c and not u.attached}
    for i, u in enumerate(units):  # a phrase's words: unknown ones weigh nothing, cut-off characters little
        rest = [idf[j] for j, o in enumerate(units) if j != i and o.term == u.term and per_unit[j] and not o.attached]
        if u.sentence and not u.required and rest:
            idf[i] = min([idf[i], *rest]) if u.attached else (idf[i] if per_unit[i] else 0.0)
    total = sum(w for u, w, c in zip(units, idf, per_unit, strict=True) if c or not u.attached or u.term not in found) or 1.0
    coverage: dict[int, float] = {}
    for w, credit in zip(idf, per_unit, strict=True):
        for d, c in credit.items():
            coverage[d] = coverage.get(d, 0.0) + w * c / total
    for u, credit in zip(units, per_unit, strict=True):
        if u.required:
            coverage = {d: c for d, c in coverage.items() if d in credit}
    if len(units) > 1:
        floor = max(bestmatch.MIN_ABSOLUTE, bestmatch.MIN_COVERAGE * max(coverage.values(), default=0.0))
        by_term: dict[int, list[dict[int, float]]] = {}
        for u, credit in zip(units, per_unit, strict=True):
            by_term.setdefault(u.term, []).append(credit)
        whole = set()
        if len(by_term) > 1:
            for credits in by_term.values():
                whole |= set.intersection(*(set(c) for c in credits))
        coverage = {d: c for d, c in coverage.items() if c >= floor - 1e-9 or d in whole}
    return coverage, idf, per_unit, in_parts & coverage.keys()


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_cover_on_arrays_is_coverage_one_clause_at_a_time(data: st.DataObject) -> None:
    n_docs = 40
    doc_sets = st.lists(st.integers(0, n_docs - 1), max_size=25)
    units = []
    for term in range(data.draw(st.integers(1, 4))):
        variants = [bestmatch.Variant(f"v{term}-{k}", (f"v{term}-{k}",), data.draw(st.sampled_from([1.0, 0.6, 0.42, 0.3])),
                                      part=data.draw(st.booleans())) for k in range(data.draw(st.integers(1, 3)))]
        units.append(bestmatch.Unit(f"u{term}", variants, term=data.draw(st.integers(0, 1)),
                                    required=data.draw(st.booleans()) and term == 0,
                                    attached=data.draw(st.booleans()) and term > 0,
                                    sentence=data.draw(st.booleans())))
    body = {v.key: data.draw(doc_sets) for u in units for v in u.variants}
    anc = {v.key: data.draw(doc_sets) for u in units for v in u.variants}
    as_array = data.draw(st.booleans())  # the Matcher gives arrays (a clause maybe twice), tests give sets

    def docs_of(v: bestmatch.Variant, where: str):  # type: ignore[no-untyped-def]
        got = (body if where == "body" else anc)[v.key]
        return np.array(got + got[:3], dtype=np.int64) if as_array else set(got)

    cov = bestmatch.cover(units, docs_of, n_docs)
    coverage, idf, per_unit, in_parts = _cover_one_clause_at_a_time(units, docs_of, n_docs)
    assert cov.coverage == coverage  # the same doubles, not approximately
    assert cov.idf == idf and cov.per_unit == per_unit and cov.in_parts == in_parts
    assert cov.full() == ({d for d in coverage if all(d in c for c in per_unit)} if per_unit else set())


def test_a_telling_part_of_a_compound_is_found_inside_longer_words(library: Library) -> None:
    # 海铁联运 has one library word in it (联运); the plan also says 多式联运, where 联运 is no word of its own.
    res = library.search("海铁联运", limit=50)
    texts = [search_text(library.clause(h.id)).replace(" ", "") for h in res.hits]
    assert "海铁联运" in texts[0]
    assert any("多式联运" in t and "海铁联运" not in t for t in texts)
    assert any("只含其中的“联运”" in n for n in res.notices)


def test_a_compounds_parts_apart_are_found_inside_longer_words(library: Library) -> None:
    # 医疗废物 → 医疗 … 废物: the plan says 小型医疗卫生机构 … 危险废物, where neither part is a word of its own.
    res = library.search("医疗废物", limit=200)
    texts = [search_text(library.clause(h.id)).replace(" ", "") for h in res.hits]
    apart = [t for t in texts if "医疗废物" not in t and "医疗卫生" in t and "危险废物" in t]
    assert apart
    assert "医疗废物" in texts[0] and any("只含其中的“医疗”“废物”" in n for n in res.notices)
    # Both parts apart count more than one part alone.
    one = [i for i, t in enumerate(texts) if "医疗" not in t and "废物" in t]
    assert one and texts.index(apart[0]) < min(one)


def test_a_synonym_jieba_cuts_into_single_characters_matches_only_its_text(library: Library) -> None:
    # 中水 (a synonym of 再生水) segments as 中 + 水: a clause with 中 and 水 somewhere is no match.
    res = library.search("再生水", limit=100)
    texts = [search_text(library.clause(h.id)).replace(" ", "") for h in res.hits]
    # (or its class 污水资源化, an inference from the broader lexicon)
    assert texts and all("再生水" in t or "中水" in t or "污水资源化" in t for t in texts)


def test_plan_clauses_covering_the_query_as_fully_as_any_come_first(library: Library) -> None:
    # 危废 is matched through 危险废物 in the plan and in the regulations alike: at equal coverage the plan leads.
    hits = library.search("危废", limit=60).hits
    plan = [i for i, h in enumerate(hits) if h.doc_id == PLAN
            and "危险废物" in search_text(library.clause(h.id)).replace(" ", "")]
    laws = [i for i, h in enumerate(hits) if h.doc_id != PLAN]
    assert len(plan) >= 3 and laws and max(plan) < min(laws)
