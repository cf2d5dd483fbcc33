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
