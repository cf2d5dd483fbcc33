"""app.core.anchor.keys: the text keys of the re-anchoring matcher (folded, whitespace-free), heading keys
without number labels, the version key of a title, the order of versions, and the similarity of two keys."""

from __future__ import annotations

import hashlib

import pytest

from app.core.anchor.keys import (
    _bigrams,
    _common_prefix,
    _content,
    _heading_key,
    _path_keys,
    _recency,
    _sha1,
    _similarity,
    content_key,
    similarity,
    text_key,
    version_key,
)
from app.core.normalize import compact, fold
from tests.core.anchor.clauses import article, doc, task


def test_text_key_folds_and_drops_whitespace() -> None:
    assert text_key("第 一 条\n　ＡＢＣ　１２３") == "第一条abc123"
    sample = "“十五五”规划（征求意见稿）\t到 2030 年，ＰＭ２.５ 浓度 ≤ 25 微克/立方米"
    assert text_key(sample) == compact(fold(sample))
    assert text_key(text_key(sample)) == text_key(sample)


def test_content_does_not_repeat_the_heading() -> None:
    assert _content("强化协同控制。", "强化协同控制。以臭氧为主线。") == "强化协同控制。以臭氧为主线。"
    assert _content("总体要求", "") == "总体要求"
    assert _content("", "第一条 正文") == "第一条 正文"
    t = task("p", "一/（一）/1", "强化协同控制。", "以细颗粒物和 臭氧协同控制为主线。")
    assert content_key(t) == text_key("强化协同控制。以细颗粒物和臭氧协同控制为主线。")
    assert content_key(article("law", "第五条", "公园 应当开放。")) == "公园应当开放。"


def test_sha1() -> None:
    assert _sha1("公园") == hashlib.sha1("公园".encode()).hexdigest()


@pytest.mark.parametrize(("heading", "key"), [
    ("（二）持续深入打好碧水保卫战", "持续深入打好碧水保卫战"),
    ("(2) 持续深入", "持续深入"),
    ("一、总体要求", "总体要求"),
    ("第三章 法律责任", "法律责任"),
    ("第五条之一 罚则", "罚则"),
    ("3.推进 减量", "推进减量"),
    ("总体要求", "总体要求"),
    ("一二三四五六七、太长的标号", "一二三四五六七、太长的标号"),  # more than six numerals: not a label
])
def test_heading_key_drops_one_number_label(heading: str, key: str) -> None:
    assert _heading_key(heading) == key


def test_path_keys() -> None:
    raw, denum = _path_keys(("一、总体要求", "（一）持续 深入", "强化控制。"))
    assert raw == ("一、总体要求", "(一)持续深入", "强化控制。")
    assert denum == ("总体要求", "持续深入", "强化控制。")


@pytest.mark.parametrize(("a", "b"), [
    ("美丽上海建设“十五五”规划（征求意见稿）", "美丽上海建设“十五五”规划"),
    ("上海市生活垃圾管理条例修订草案", "上海市生活垃圾管理条例"),
    ("上海市绿化条例-送审稿", "上海市绿化条例"),
    ("上海市绿化条例 讨论稿", "上海市绿化条例"),
    ("中华人民共和国水法", "水法"),
])
def test_versions_share_a_version_key(a: str, b: str) -> None:
    assert version_key(a) == version_key(b)


def test_different_documents_keep_different_version_keys() -> None:
    assert version_key("水法") != version_key("水污染防治法")
    assert version_key("草案管理办法") != version_key("管理办法")  # only a trailing draft mark is dropped


def test_recency_puts_final_texts_after_drafts_then_dates() -> None:
    draft = doc("a", "某规划（征求意见稿）", date="2025-06-01")
    final_undated = doc("b", "某规划")
    final_old, final_new = doc("c", "某规划", date="2024-01-01"), doc("d", "某规划", date="2025-01-01")
    assert _recency(draft) == (False, "2025-06-01") and _recency(final_undated) == (True, "")
    ordered = sorted([final_new, draft, final_old, final_undated], key=_recency)
    assert [d.id for d in ordered] == ["a", "b", "c", "d"]


def test_common_prefix() -> None:
    assert _common_prefix("abcd", "abxy", 4) == 2
    assert _common_prefix("aaaa", "aaaa", 2) == 2  # never past the limit
    assert _common_prefix("x", "y", 1) == 0


def test_similarity_ratio_and_contain() -> None:
    assert _similarity("abcd", "abcd", 0.0) == (1.0, 1.0)
    assert _similarity("abcd", "abce", 0.0) == (0.75, 0.75)
    ratio, contain = _similarity("abc", "abcxyz", 0.0)  # type: ignore[misc]
    assert ratio == pytest.approx(2 / 3) and contain == 1.0  # the shorter one survives whole
    ratio, contain = _similarity("xabcx", "yabcy", 0.0)  # type: ignore[misc]
    assert ratio == pytest.approx(0.6) and contain == pytest.approx(0.6)  # difflib finds the middle


def test_similarity_gives_up_below_the_floor() -> None:
    assert _similarity("ab", "abcdefghij", 0.5) is None  # the lengths alone rule it out
    assert _similarity("axxxxb", "ayyyyb", 0.5) is None  # too few characters in common
    assert _similarity("axxxxb", "ayyyyb", 0.0) == (pytest.approx(1 / 3), pytest.approx(1 / 3))


def test_public_similarity_on_texts() -> None:
    assert similarity("", "") == 1.0 and similarity("文字", " ") == 0.0
    assert similarity("ＰＭ２.５ 浓度", "pm2.5浓度") == 1.0
    assert similarity("abcd", "abce") == 0.75
    assert similarity("ab", "abcdefghij", floor=0.5) == 0.0


def test_bigrams() -> None:
    assert _bigrams("") == set() and _bigrams("碳") == {"碳"}
    assert _bigrams("碳达峰碳") == {"碳达", "达峰", "峰碳"}
