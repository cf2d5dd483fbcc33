"""The synonym/abbreviation dictionary and numeral variants used for query expansion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.normalize import compact, fold
from app.core.paths import bundle_root
from app.core.search import synonyms
from app.core.search.synonyms import MAX_ALTERNATIVES, Synonyms, numeral_variants

RESOURCES = bundle_root() / "resources"
KINDS = {"abbrev", "short", "colloquial", "variant", "renamed", "law", "unit", "concept"}


def _key(s: str) -> str:
    return compact(fold(s))


@pytest.fixture(scope="module")
def syn() -> Synonyms:
    return synonyms.load(RESOURCES)


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    loaded: dict[str, object] = json.loads((RESOURCES / synonyms.SYNONYMS_FILE).read_text(encoding="utf-8"))
    return loaded


def keys(items: list[str]) -> set[str]:
    return {_key(x) for x in items}


# The pairs named in the issue, and the acronyms and short forms the brief lists.
PAIRS = [
    ("VOCs", "挥发性有机物"), ("PM2.5", "细颗粒物"), ("LNG", "液化天然气"), ("碳市场", "碳排放权交易"),
    ("双碳", "碳达峰碳中和"), ("危废", "危险废物"), ("噪音", "噪声"), ("河长制", "河湖长制"),
    ("三线一单", "生态环境分区管控"), ("厨余垃圾", "湿垃圾"), ("环保督察", "生态环境保护督察"),
    ("光伏", "太阳能发电"), ("PM10", "可吸入颗粒物"), ("O3", "臭氧"), ("NOx", "氮氧化物"), ("SO2", "二氧化硫"),
    ("COD", "化学需氧量"), ("CNG", "压缩天然气"), ("EOD", "生态环境导向的开发"), ("GEP", "生态系统生产总值"),
    ("ESG", "环境、社会和公司治理"), ("ETF", "交易型开放式指数基金"), ("REITs", "不动产投资信托基金"),
    ("CCER", "国家核证自愿减排量"), ("CCUS", "碳捕集利用与封存"), ("EIA", "环境影响评价"), ("环评", "环境影响评价"),
    ("固废", "固体废物"), ("能评", "节能审查"), ("新能源车", "新能源汽车"), ("充电桩", "充换电设施"),
    ("环保局", "生态环境局"), ("环保部", "生态环境部"), ("噪音扰民", "噪声污染"), ("垃圾回收率", "生活垃圾回收利用率"),
]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_listed_pairs_expand_both_ways(syn: Synonyms, a: str, b: str) -> None:
    assert _key(b) in keys(syn.expand(a))
    assert _key(a) in keys(syn.expand(b))
    # query terms arrive folded (VOCs → vocs, full-width → half-width)
    assert _key(b) in keys(syn.expand(fold(a)))


def test_full_width_and_case_variants_are_found(syn: Synonyms) -> None:
    assert "挥发性有机物" in syn.expand("ｖｏｃｓ")
    assert "细颗粒物" in syn.expand("PM₂.₅")


def test_oneway_entries_do_not_go_back(syn: Synonyms) -> None:
    assert "新能源汽车" in syn.expand("新能源货车")
    assert _key("新能源货车") not in keys(syn.expand("新能源汽车"))
    assert "固体废物" in syn.expand("无废城市")
    assert _key("无废城市") not in keys(syn.expand("固体废物"))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("噪音投诉", "噪声投诉"),
        ("危废处置", "危险废物处置"),
        ("中央环保督察", "中央生态环境保护督察"),
        ("vocs治理", "挥发性有机物治理"),
        ("规划环评", "规划环境影响评价"),
        ("碳市场扩围", "碳排放权交易扩围"),
        ("垃圾回收率目标", "生活垃圾回收利用率"),  # the entry covers most of the term: it also stands alone
    ],
)
def test_contained_entry_is_replaced(syn: Synonyms, term: str, expected: str) -> None:
    assert expected in syn.expand(term)


def test_contained_entries_respect_word_and_letter_boundaries(syn: Synonyms) -> None:
    assert syn.expand("功能评价") == []  # 能评 straddles 功能|评价
    assert not any("汽车辆" in a for a in syn.expand("新能源车辆"))  # 新能源车 straddles 新能源|车辆
    assert not any("一氧化碳" in a for a in syn.expand("co2排放"))  # co inside co2
    assert syn.expand("co2") == ["二氧化碳"]
    assert not any("EIA" in a for a in syn.expand("规划环评"))  # no Latin acronym glued into a Chinese word


def test_an_entry_jieba_cut_across_counts_when_what_it_leaves_is_a_word(syn: Synonyms) -> None:
    # jieba cuts 厨余|垃圾处理, yet 厨余垃圾 + 处理 reads as well: the entry is replaced and stands alone
    alts = syn.expand("厨余垃圾处理")
    assert "湿垃圾处理" in alts and "湿垃圾" in alts
    # what 能评 would leave of 功能|评价 is 功 and 价, no words: nothing
    assert syn.expand("功能评价") == []


def test_whole_only_groups_do_not_expand_inside_words(syn: Synonyms) -> None:
    assert syn.expand("节能") == ["节约能源"]
    assert syn.expand("节能改造") == []
    assert syn.expand("环保投诉") == []


def test_whole_term_match_wins_over_contained(syn: Synonyms) -> None:
    assert syn.expand("碳排放权交易")[0] == "碳市场"


def test_no_self_duplicates_and_bounded(syn: Synonyms) -> None:
    for key in [*syn.whole, "噪音投诉", "危废处置", "vocs治理", "碳市场扩围"]:
        alts = syn.expand(key)
        ks = [_key(a) for a in alts]
        assert _key(key) not in ks, key
        assert len(ks) == len(set(ks)), key
        assert len(alts) <= MAX_ALTERNATIVES
        assert all(ks), key


def test_unknown_and_empty_terms(syn: Synonyms) -> None:
    for t in ("", "   ", "无关词语", "x"):
        assert syn.expand(t) == []


def test_dictionary_integrity(data: dict[str, object]) -> None:
    assert data["version"] == 1
    groups = data["groups"]
    assert isinstance(groups, list) and len(groups) >= 150
    seen: dict[str, int] = {}
    for i, g in enumerate(groups):
        terms = g["terms"]
        assert len(terms) >= 2, g
        assert g["kind"] in KINDS, g
        assert set(g) <= {"terms", "kind", "whole_only"}, g
        ks = [_key(t) for t in terms]
        assert all(ks), g  # every term folds to something
        assert len(set(ks)) == len(ks), g  # no two spellings that fold alike
        for k in ks:
            assert k not in seen, f"{k} is in groups {seen[k]} and {i}"
            seen[k] = i
    oneway = data["oneway"]
    assert isinstance(oneway, list)
    froms = [_key(w["from"]) for w in oneway]
    assert len(froms) == len(set(froms))
    for w in oneway:
        assert _key(w["from"]) and w["to"] and all(_key(t) and _key(t) != _key(w["from"]) for t in w["to"]), w
        assert w["kind"] in KINDS, w


def test_too_broad_expansions_are_absent(syn: Synonyms) -> None:
    assert syn.expand("碳") == []
    assert "废水" not in syn.expand("污水")


def test_load_is_cached_and_tolerates_a_missing_file(tmp_path: Path) -> None:
    assert synonyms.load(RESOURCES) is synonyms.load(str(RESOURCES))
    empty = synonyms.load(tmp_path)
    assert len(empty) == 0 and empty.expand("危废") == []
    assert len(synonyms.load(RESOURCES)) >= 150


def test_from_data_builds_groups_and_oneway() -> None:
    s = Synonyms.from_data({"groups": [{"terms": ["甲乙", "丙丁"]}, {"terms": ["戊", "己"], "whole_only": True}],
                            "oneway": [{"from": "庚辛", "to": ["壬癸"]}]})
    assert s.expand("甲乙") == ["丙丁"] and s.expand("丙丁") == ["甲乙"]
    assert s.expand("庚辛") == ["壬癸"] and s.expand("壬癸") == []
    assert s.expand("戊") == ["己"]


# -- numerals -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cn", "ar"),
    [
        ("十五分钟", "15分钟"),
        ("十五分钟生活圈", "15分钟生活圈"),
        ("二〇三〇年", "2030年"),
        ("到二〇三〇年", "到2030年"),
        ("百分之五十", "50%"),
        ("百分之十四点六", "14.6%"),
        ("第十五条", "第15条"),
        ("四百五十平方公里", "450平方公里"),
        ("两个", "2个"),
        ("两万亩", "2万亩"),
        ("十二个月", "12个月"),
    ],
)
def test_numerals_both_ways(cn: str, ar: str) -> None:
    assert ar in numeral_variants(cn)
    assert cn in numeral_variants(ar)


def test_ordinal_two_stays_er() -> None:
    assert numeral_variants("第2条") == ["第二条"]
    assert numeral_variants("2月") == ["二月"]


@pytest.mark.parametrize("text", ["十五五", "十四五", "一河一策", "三线一单", "千万工程", "二十大", "一体化", "pm2.5",
                                  "so2", "国四", "v2g", "五一", "无废城市", "", "007", "1.٥吨"])
def test_words_that_only_look_numeric_are_left_alone(text: str) -> None:
    assert numeral_variants(text) == []


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["吨", "公里", "个", "天", "项", "%"]))
def test_quantities_round_trip(n: int, unit: str) -> None:
    ar = f"{n}{unit}"
    (cn,) = numeral_variants(ar)
    assert ar in numeral_variants(cn)


@given(st.integers(min_value=1900, max_value=2099))
def test_years_round_trip(year: int) -> None:
    (cn,) = numeral_variants(f"{year}年")
    assert numeral_variants(cn) == [f"{year}年"]


# -- never raises -------------------------------------------------------------------------------------
_DOMAIN = st.text(alphabet=st.sampled_from(list("危废噪音扰民碳市场交易环评保督察一二三十百千万〇零两点0123456789.%年分钟个vocspm-、 ")),
                  max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _DOMAIN))
def test_expand_and_numerals_never_raise(text: str) -> None:
    syn = synonyms.load(RESOURCES)
    alts = syn.expand(text)
    assert isinstance(alts, list) and len(alts) <= MAX_ALTERNATIVES
    assert all(isinstance(a, str) and _key(a) and _key(a) != _key(text) for a in alts)
    variants = numeral_variants(text)
    assert len(variants) <= 2 and text not in variants


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["危废", "环评", "规划", "垃圾", "分类", "VOCs", "治理", "碳", "的", "x", "光伏", "双碳"]),
                max_size=8).map("".join))
def test_entries_inside_a_term_are_those_a_scan_of_the_lexicon_finds(syn: Synonyms, term: str) -> None:
    key = _key(term)
    scanned = [e for e in syn._by_length if len(e) < len(key) and e in key]  # every entry, longest first
    assert syn._entries_inside(key) == scanned


def test_an_entry_is_a_term_of_the_lexicon_itself(syn: Synonyms) -> None:
    assert syn.is_entry("旧家电") and syn.is_entry("环保税")
    # a text holding an entry is no entry: its alternatives come from the one inside
    assert syn.expand("回收旧家电") and not syn.is_entry("回收旧家电")
