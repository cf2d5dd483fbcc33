"""app.core.search.pipeline over a real index of the shipped corpus."""

from __future__ import annotations

from app.core.library import Library
from app.core.models import Clause
from app.core.search import bestmatch, pipeline
from app.core.search.query import parse_query


def _article(text: str, path: tuple[str, ...]) -> Clause:
    return Clause(id="d/1", doc_id="d", ordinal=1, level="article", number="第一条", number_value=1, heading="",
                  path=path, text=text)


def test_prior_sinks_boilerplate_and_lifts_definitions_for_definition_queries() -> None:
    purpose = _article("为了保护和改善环境，制定本法。", ("第一章 总则", "第一条"))
    definition = _article("本法所称碳排放配额，是指分配给重点排放单位的排放额度。", ("第五章 附则", "第三十条"))
    plain = bestmatch.Plan()
    asks = bestmatch.Plan(intent="definition")
    assert pipeline.prior({"d/1": purpose}, plain)("d/1") < 0
    assert pipeline.prior({"d/1": definition}, asks)("d/1") >= 0  # a definition query does not sink it
    assert pipeline.prior({}, plain)("missing") == 0.0


def test_candidates_apply_exclusions_and_say_why(library: Library) -> None:
    g = library._generation()
    bm = library._bestmatch()
    _, _, with_all = bm.candidates(g, parse_query("危险废物"), None, None)
    _, _, without = bm.candidates(g, parse_query("危险废物 -填埋"), None, None)
    assert set(without.tolist()) < set(with_all.tolist())
    _, _, _, _, notices = bm.run(g, parse_query("臭氧污染"), None, None, 100)
    assert any("部分词语" in n for n in notices)


def test_suggester_knows_the_library_words(library: Library) -> None:
    s = pipeline.suggester(library._generation())
    assert s.suggest("碳达锋") == ["碳达峰"]
