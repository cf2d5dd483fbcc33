"""app.core.search.pipeline over a real index of the shipped corpus."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.library import Library
from app.core.models import Clause
from app.core.search import bestmatch, indexer, pipeline, priors
from app.core.search.literal import key_of
from app.core.search.query import parse_query


def _article(text: str, path: tuple[str, ...]) -> Clause:
    return Clause(id="d/1", doc_id="d", ordinal=1, level="article", number="第一条", number_value=1, heading="",
                  path=path, text=text)


def test_prior_sinks_boilerplate_and_lifts_definitions_for_definition_queries() -> None:
    purpose = _article("为了保护和改善环境，制定本法。", ("第一章 总则", "第一条"))
    definition = _article("本法所称碳排放配额，是指分配给重点排放单位的排放额度。", ("第五章 附则", "第三十条"))
    plain = bestmatch.Plan()
    asks = bestmatch.Plan(intent="definition")
    assert pipeline.prior({"d/1": _flags(purpose)}, plain)("d/1") < 0
    assert pipeline.prior({"d/1": _flags(definition)}, plain)("d/1") < 0
    assert pipeline.prior({"d/1": _flags(definition)}, asks)("d/1") >= 0  # a definition query does not sink it
    assert pipeline.prior({}, plain)("missing") == 0.0


def test_a_liability_article_sinks_below_the_duty_unless_a_penalty_is_asked(library: Library) -> None:
    liability = {"d/75"}
    assert pipeline.prior({}, bestmatch.Plan(), None, liability)("d/75") == -pipeline.LIABILITY_PENALTY
    assert pipeline.prior({}, bestmatch.Plan(penalty=True), None, liability)("d/75") == 0.0
    assert priors.in_liability_chapter(("第五章 法律责任", "第七十五条"))
    assert not priors.in_liability_chapter(("第三章 合理使用与节约能源", "第五十四条"))
    # The two articles fining a missing 能源管理负责人 hold every word and are shorter; the duty comes first.
    first = library.clause(library.search("重点用能单位 能源管理负责人", limit=3).hits[0].id)
    assert not priors.in_liability_chapter(first.path) and first.number_value in (54, 55)


def test_a_time_limit_question_lifts_the_articles_stating_one_but_not_the_plan_twice() -> None:
    keys = {"law/1": "应当于有效期届满60日前提出申请。", "law/2": "应当提出申请。", "plan/1": "2030年前完成，三年内建成。"}
    asks = bestmatch.Plan(intent="deadline")
    prior = pipeline.prior({}, asks, keys, plans={"plan/1"})
    assert prior("law/1") == pipeline.TIME_LIMIT_BONUS and prior("law/2") == 0.0
    assert prior("plan/1") == 0.0  # its linked deadline already lifted it (the intent boost)
    assert pipeline.prior({}, bestmatch.Plan(), keys)("law/1") == 0.0


def _flags(c: Clause) -> int:
    return indexer.prior_tag(c, key_of(indexer.search_text(c)))


LEVELS = ("article", "task", "item", "chapter", "section", "paragraph")
PHRASES = ("为了", "制定本法", "本条例", "适用本办法", "本法所称", "是指", "下列用语的含义", "自2024年1月1日起施行",
           "自公布之日起施行", "同时废止", "施 行", "罚款", "碳排放", "。", "，", " ", "\n", "Ａ")


@settings(max_examples=300, deadline=None)
@given(level=st.sampled_from(LEVELS), heading=st.text(alphabet="第一条章附则总 碳", max_size=6),
       body=st.lists(st.sampled_from(PHRASES), max_size=12),
       path=st.lists(st.sampled_from(("第一章 总则", "第七章 附则", "第三条", "一、")), max_size=3))
def test_flags_made_at_index_time_agree_with_the_text(level: str, heading: str, body: list[str],
                                                      path: list[str]) -> None:
    """The priors the index keeps (computed from the clause's search key) are those of its text."""
    text = "".join(body)
    c = Clause(id="d/1", doc_id="d", ordinal=1, level=level, number="", number_value=None, heading=heading,
               path=tuple(path), text=text)
    f = _flags(c)
    article = level == "article"
    assert bool(f & priors.BOILERPLATE_PLAIN) == (article and priors.boilerplate(text, c.path,
                                                                                        definition_query=False))
    assert bool(f & priors.BOILERPLATE_DEFINITION) == (article and priors.boilerplate(
        text, c.path, definition_query=True))
    assert bool(f & priors.DEFINES) == priors.defines(text)


def test_candidates_apply_exclusions_and_say_why(library: Library) -> None:
    g = library._generation()
    bm = library._bestmatch()
    _, _, with_all = bm.candidates(g, parse_query("危险废物"), None, None)
    _, _, without = bm.candidates(g, parse_query("危险废物 -填埋"), None, None)
    assert set(without.tolist()) < set(with_all.tolist())
    notices = bm.run(g, parse_query("臭氧污染"), None, None, 100).notices
    assert any("部分词语" in n for n in notices)


def test_suggester_knows_the_library_words(library: Library) -> None:
    s = pipeline.suggester(library._generation())
    assert s.suggest("碳达锋") == ["碳达峰"]


def test_a_unit_held_only_inside_longer_words_still_weighs_in_the_score(library: Library) -> None:
    # 上海市市容环境卫生管理条例 第三十六条 forbids 饲养鸡、鸭: 养鸡 is no word of the index there, so BM25 gave it
    # nothing and articles saying 小区 twice came first (it was 12th).
    first = library.clause(library.search("小区里养鸡 怎么罚", limit=3).hits[0].id)
    assert first.doc_id.startswith("上海市市容环境卫生管理条例") and first.number_value == 36
    g = library._generation()
    pq = parse_query("养鸡")
    fq, hidden, _ = library._prepare(g, pq, False)
    bp, cov, docs = library._bestmatch().candidates(g, pq, fq, hidden)
    extra = pipeline.inside_words(g, bp.units, cov, docs)
    assert len(docs) and (extra > 0).all()  # 养鸡 is inside 饲养鸡 wherever it is found
    # 噪声 is a word of the index: the clauses holding it as a word are BM25-scored and get nothing more; those
    # holding it only inside 噪声污染 (a word of its own) do.
    pq = parse_query("噪声")
    fq, hidden, _ = library._prepare(g, pq, False)
    bp, cov, docs = library._bestmatch().candidates(g, pq, fq, hidden)
    extra = dict(zip(docs.tolist(), pipeline.inside_words(g, bp.units, cov, docs).tolist(), strict=True))
    as_word = set(pipeline.searcher.all_words(g, ("噪声",), ("words", "head", "anc")).tolist())
    assert as_word & set(extra) and all(extra[d] == 0 for d in as_word & set(extra))
    assert any(e > 0 for d, e in extra.items() if d not in as_word)
