"""Two-character abbreviations the library never writes out (app.core.search.abbrev)."""

from __future__ import annotations

from app.core.library import Library
from app.core.search import abbrev, bestmatch
from app.core.search.query import parse_query

FILLS = {("砍", "树"): {"伐": 8}, ("海", "滩"): {"市": 3}, ("阳", "光"): {"能": 1},
         ("质", "保"): {"量": 18, "，": 9}, ("危", "废"): {"险": 260, "旧": 60, "害": 30}}


def _fills(a: str, b: str) -> dict[str, int]:
    return FILLS.get((a, b), {})


WORDS = {"砍伐", "上海", "太阳", "质量", "危险", "危害"}


def test_a_fill_must_make_a_word_with_the_first_character_and_recur() -> None:
    assert abbrev.expansions("砍树", _fills, WORDS.__contains__) == ["砍伐树"]
    assert abbrev.expansions("海滩", _fills, WORDS.__contains__) == []  # 海市: 上海市 + 滩涂, no word 海市
    assert abbrev.expansions("阳光", _fills, lambda w: True) == []  # once: chance
    assert abbrev.expansions("质保", _fills, lambda w: True) == ["质量保"]  # no punctuation as a fill
    # Most frequent first; a rare fill (below SHARE of the commonest) is left out; only library words.
    assert abbrev.expansions("危废", _fills, lambda w: True) == ["危险废", "危旧废"]
    assert abbrev.expansions("危废", _fills, WORDS.__contains__) == ["危险废"]
    # Grammatical characters never abbreviate (不要 would read 不需要), nor do other lengths.
    assert abbrev.expansions("不要", lambda a, b: {"需": 21}, lambda w: True) == []
    assert abbrev.expansions("砍树木", _fills, lambda w: True) == []


def test_extend_adds_the_readings_only_to_words_the_library_lacks() -> None:
    bp = bestmatch.plan(parse_query("私自砍树 罚款"), lambda t: [], lambda w: True)
    abbrev.extend(bp, _fills, lambda w: w in {"罚款", "私自"}, WORDS.__contains__)
    keys = {u.label: [v.key for v in u.variants if v.credit == abbrev.ABBREV_CREDIT] for u in bp.units}
    assert keys["砍树"] == ["砍伐树"] and keys["罚款"] == []
    assert bp.abbreviated == [("砍树", ["砍伐树"])]
    # In a question, a word with no reading is found by its head, its last character, inside words (饲养鸡 for 母鸡).
    hen = bestmatch.plan(parse_query("母鸡 海边 违法吗"), lambda t: [], lambda w: True)
    abbrev.extend(hen, _fills, lambda w: False, WORDS.__contains__)
    heads = {u.label: [(v.key, v.toks) for v in u.variants if v.credit == abbrev.HEAD_CREDIT] for u in hen.units}
    assert heads == {"母鸡": [("鸡", ())], "海边": []}  # 边 is a locative, not a head
    assert hen.abbreviated == [] and hen.headed == [("母鸡", "鸡")]
    # Among keywords it is the concept itself, or a typo: 量子 is not looked up as 子, nor 无费 (无废) as 费.
    keywords = bestmatch.plan(parse_query("量子计算 无费城市"), lambda t: [], lambda w: True)
    abbrev.extend(keywords, _fills, lambda w: False, WORDS.__contains__)
    assert keywords.headed == []
    quoted = bestmatch.plan(parse_query('"砍树"'), lambda t: [], lambda w: True)
    abbrev.extend(quoted, _fills, lambda w: False, WORDS.__contains__)
    assert quoted.abbreviated == []  # a quoted phrase stays strict


def test_an_abbreviation_finds_the_article_that_writes_it_out(library: Library) -> None:
    # 上海市绿化条例 第四十三条: 擅自砍伐树木的…处绿化补偿标准五至十倍的罚款. No clause says 砍树; before, nothing with it
    # was found and the fine articles of other regulations came first.
    res = library.search("私自砍树 罚多少", limit=3)
    first = library.clause(res.hits[0].id)
    assert first.doc_id.startswith("上海市绿化条例") and first.number_value == 43
    assert "文库中没有“砍树”，按缩略语推断，也查找：“砍伐树”。" in res.notices
    assert "砍伐树</mark>" in res.hits[0].snippet  # the reading is marked where the clause says it
    # 老树 of 老树枯死了: 古树名木…条例's 死亡 articles say 古树, 树木. It was not in the first 50.
    res = library.search("老树枯死了 能自己锯掉吗", limit=3)
    assert library.clause(res.hits[0].id).doc_id.startswith("上海市古树名木")
    assert any(n.startswith("文库中没有“老树”") and "也按末字“树”" in n for n in res.notices), res.notices
    # A word the library writes is searched as typed, with no reading inferred.
    assert not any("缩略语" in n for n in library.search("砍伐 树木", limit=3).notices)
