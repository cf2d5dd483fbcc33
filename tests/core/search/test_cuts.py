"""How a query's words are cut before they become units (app.core.search.cuts)."""

from __future__ import annotations

from app.core.search import cuts


def test_split_known_covers_a_compound_with_library_words() -> None:
    known = {"臭氧", "污染", "光伏", "装机"}.__contains__
    assert cuts.split_known("臭氧污染", known) == ["臭氧", "污染"]
    assert cuts.split_known("光伏装机", known) == ["光伏", "装机"]
    assert cuts.split_known("甲乙丙丁", known) == []


def test_a_cut_of_one_character_moves_where_the_library_uses_the_other_word_far_more() -> None:
    dfs = {"取水": 300, "水井": 2, "井": 1, "处二": 900, "二十元": 3, "十元": 40, "水源": 300, "进水": 20}
    df = lambda w: dfs.get(w, 0)  # noqa: E731
    assert cuts.recut(["废弃", "取", "水井"], df) == ["废弃", "取水", "井"]
    assert cuts.recut(["进", "水源"], df) == ["进", "水源"]  # jieba's word is the common one
    assert cuts.recut(["处", "二十元"], df) == ["处", "二十元"]  # never through a number
    assert cuts.recut(["的", "水井"], lambda w: {"的水": 99}.get(w, 0)) == ["的", "水井"]  # a stop word stays
    # ... and a word before a single character (用岸 + 电 of 船舶靠港用岸电), when the library never uses jieba's word
    ashore = {"岸电": 6, "用": 54, "靠港": 4}.get
    assert cuts.recut(["靠港", "用岸", "电"], lambda w: ashore(w, 0)) == ["靠港", "用", "岸电"]
    assert cuts.recut(["靠港", "用岸", "电"], lambda w: ashore(w, 0) or (3 if w == "用岸" else 0)) == \
        ["靠港", "用岸", "电"]  # the library uses 用岸 and 岸电 not ten times as often
    # never across a stop word the query held between the two (防护堤和防渗漏: no 堤防)
    dikes = {"堤防": 50, "防护": 40}.get
    assert cuts.recut(["防护堤", "防"], lambda w: dikes(w, 0), text="防护堤和防") == ["防护堤", "防"]
    assert cuts.recut(["防护堤", "防"], lambda w: dikes(w, 0), text="防护堤防") == ["防护", "堤防"]


def test_words_cut_apart_that_are_a_lexicon_entry_together_are_joined() -> None:
    entry = {"旧家电", "环保税", "家电回收"}.__contains__
    # the longest run first (旧家电 over 家电回收 would need 家电 twice; left to right, 旧家电 is reached first)
    assert cuts.join_entries(["回收", "拆解", "旧", "家电"], entry, "回收拆解旧家电") == ["回收", "拆解", "旧家电"]
    assert cuts.join_entries(["回收", "拆解", "旧", "家电"], entry, "回收拆解旧 家电") == ["回收", "拆解", "旧", "家电"]
    # not every word of the term: 环保 + 税 typed alone is the entry as a whole, matched as such already
    assert cuts.join_entries(["环保", "税"], entry, "环保税") == ["环保", "税"]
    assert cuts.join_entries(["征收", "环保", "税"], entry, "征收环保税") == ["征收", "环保税"]
    assert cuts.join_entries(["旧", "的", "家电"], lambda s: True, "旧的家电") == ["旧", "的", "家电"]  # no stop word


def test_a_joined_entry_is_one_unit_with_the_entry_alternatives() -> None:
    from app.core.search import bestmatch
    from app.core.search.query import parse_query

    def expand(w: str) -> list[tuple[str, float]]:
        return {"旧家电": [("废弃电器电子产品", 1.0)]}.get(w, [])

    bp = bestmatch.plan(parse_query("回收拆解旧家电"), expand, lambda w: True, is_entry={"旧家电"}.__contains__)
    units = {u.label: u for u in bp.units}
    assert list(units) == ["回收", "拆解", "旧家电"]
    assert "废弃电器电子产品" in {v.key for v in units["旧家电"].variants}
    # without the lexicon's word, jieba's cut stands
    assert [u.label for u in bestmatch.plan(parse_query("回收拆解旧家电"), expand, lambda w: True).units] == \
        ["回收", "拆解", "旧", "家电"]


def test_a_lexicon_entry_the_library_lacks_is_split_and_each_piece_keeps_the_entry_alternatives() -> None:
    from app.core.search import bestmatch
    from app.core.search.query import parse_query

    def expand(w: str) -> list[tuple[str, float]]:
        return {"移送司法": [("行刑衔接", 1.0)]}.get(w, [])

    # 移送 + 司法 are joined into the entry 移送司法, which the library lacks: split again, each piece keeps 行刑衔接
    known = {"移送", "司法", "行刑衔接", "犯罪"}.__contains__
    bp = bestmatch.plan(parse_query("犯罪移送司法"), expand, known, is_entry={"移送司法"}.__contains__)
    units = {u.label: {v.key for v in u.variants} for u in bp.units}
    assert bp.split == [("移送司法", ["移送", "司法"])]
    assert "行刑衔接" in units["移送"] and "行刑衔接" in units["司法"] and "行刑衔接" not in units["犯罪"]
    plain = bestmatch.plan(parse_query("犯罪移送司法"), expand, known)
    assert not any("行刑衔接" in {v.key for v in u.variants} for u in plain.units)
