import time

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.normalize import compact
from app.core.search.query import MAX_QUERY_CHARS, MAX_TERMS, add_alternatives, parse_query


def test_words_phrases_exclusions_and_or() -> None:
    pq = parse_query('工地 扬尘 "无废城市" -危险废物 光伏 OR 风电')
    assert [[t.text for t in g] for g in pq.groups] == [["工地"], ["扬尘"], ["无废城市"], ["光伏", "风电"]]
    assert pq.groups[2][0].phrase
    assert [t.text for t in pq.excluded] == ["危险废物"]


def test_chinese_quotes_fold_to_phrase() -> None:
    pq = parse_query("“一河一策”")
    assert pq.groups[0][0].phrase and pq.groups[0][0].text == "一河一策"


def test_unbalanced_and_lone_operators_do_not_break() -> None:
    for raw in ['"未闭合', "OR", "-", "---", '""', "(", "AND NOT", "\x00", "😀"]:
        pq = parse_query(raw)
        assert all(t.key for g in pq.groups for t in g)


def test_long_input_is_cut_with_notice() -> None:
    pq = parse_query("碳" * 40_000)
    assert pq.notices and len(pq.groups[0][0].text) <= MAX_QUERY_CHARS
    pq = parse_query(" ".join(f"词{i}" for i in range(100)))
    assert len(pq.groups) == MAX_TERMS


@settings(max_examples=300)
@given(st.text(max_size=256))
def test_any_input_parses_fast(raw: str) -> None:
    t0 = time.perf_counter()
    pq = parse_query(raw)
    assert time.perf_counter() - t0 < 1.0  # a guard against pathological backtracking, not a speed target
    assert len(pq.positive_terms()) + len(pq.excluded) <= MAX_TERMS


def test_lone_syntax_characters_are_searched_literally() -> None:
    for raw in ["“", '"', "-", '""']:
        pq = parse_query(raw)
        assert [t.key for g in pq.groups for t in g] == [raw.replace("“", '"')]


def test_the_notice_of_a_rewritten_phrase_names_the_words_that_changed() -> None:
    pq = parse_query("小诊所的医疗废物怎么收 噪音扰民")
    table = {"小诊所的医疗废物怎么收": ["小诊所的医废怎么收"], "噪音扰民": ["噪声扰民"]}
    shown = add_alternatives(pq, lambda text: table.get(text, []))
    assert shown == ["医废", "噪声扰民"]  # a short term is shown whole
    assert [a.text for a in pq.alternatives[compact("小诊所的医疗废物怎么收")]] == ["小诊所的医废怎么收"]
