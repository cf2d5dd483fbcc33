"""Same-pinyin "您是不是要找" suggestions (app.core.search.suggest)."""

from __future__ import annotations

import threading

import pytest

from app.core.search.suggest import PinyinSuggester, key, patterns, sounds_alike

VOCAB = [
    ("碳达峰", 120), ("碳中和", 90), ("无废城市", 40), ("城市", 900), ("建设", 800), ("目标", 700),
    ("重庆", 5), ("长江", 60), ("行长", 10), ("减排", 300), ("检查", 200), ("监察", 80), ("建材", 30),
    ("VOCs", 50), ("2030", 400), ("公示", 50), ("公式", 3), ("工时", 8),
]


@pytest.fixture(scope="module")
def sugg() -> PinyinSuggester:
    return PinyinSuggester(VOCAB)


@pytest.mark.parametrize(("typed", "expected"), [
    ("碳达锋", "碳达峰"), ("探达峰", "碳达峰"), ("碳中合", "碳中和"), ("无费城市", "无废城市"), ("减牌", "减排"),
])
def test_same_pinyin_typo_is_corrected(sugg: PinyinSuggester, typed: str, expected: str) -> None:
    assert sugg.suggest(typed)[0] == expected


@pytest.mark.parametrize("word", ["碳达峰", "无废城市", "城市", "公式", "VOCs", "vocs"])
def test_a_known_word_gets_no_suggestion(sugg: PinyinSuggester, word: str) -> None:
    assert sugg.suggest(word) == []


@pytest.mark.parametrize("odd", ["", " ", "　", "VOC", "vocx", "2031", "PM2.5", "碳", "的", "……", "\x00", "𠀀𠀁",
                                 "a" * 500, "碳" * 500, "碳达锋" * 30, "无费 城市", "碳达锋2030", "😀😀"])
def test_odd_or_non_chinese_input_gives_nothing_and_never_crashes(sugg: PinyinSuggester, odd: str) -> None:
    out = sugg.suggest(odd)
    assert isinstance(out, list)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in odd):
        assert out == []


def test_same_sound_words_rank_by_document_frequency(sugg: PinyinSuggester) -> None:
    # jiancha: 检查 (200) before 监察 (80), neither keeps a character of 碱茶; 建材 (jiancai) sounds different.
    assert sugg.suggest("碱茶") == ["检查", "监察"]
    assert sugg.suggest("碱茶", limit=1) == ["检查"]
    assert sugg.suggest("碱茶", limit=0) == []
    # A character kept in place outweighs frequency: 简察 keeps 察 of 监察 (检查 keeps none).
    assert sugg.suggest("简察") == ["监察"]


def test_only_the_words_keeping_most_typed_characters_are_offered(sugg: PinyinSuggester) -> None:
    # gongshi: 公示 (50), 工时 (8) and 公式 (3) keep no character of 攻势: all, by frequency.
    assert sugg.suggest("攻势") == ["公示", "工时", "公式"]
    # 公视 keeps 公 of 公示 and 公式 (by frequency); 工时 keeps nothing: left out.
    assert sugg.suggest("公视") == ["公示", "公式"]


def test_heteronyms_match_on_any_reading(sugg: PinyinSuggester) -> None:
    assert key("重庆") == "* qing " and key("碳达峰") == "tan * feng "  # 达 da/ti
    assert key("重庆") in patterns("崇庆") and sounds_alike("重庆", "崇庆") and not sounds_alike("重庆", "崇高")
    assert not sounds_alike("什么", "事由")  # shi yao: rare readings of both (什 shen, 么 me)
    assert sugg.suggest("崇庆") == ["重庆"]  # 重 read chong
    assert sugg.suggest("常江") == ["长江"]  # 长 read chang
    assert sugg.suggest("涨江") == ["长江"]  # … and zhang
    assert sugg.suggest("航长") == ["行长"]  # a word of heteronyms only (hang zhang)
    assert sugg.suggest("型肠") == ["行长"]  # (xing chang)


def test_a_typo_inside_a_longer_term_is_corrected_in_place(sugg: PinyinSuggester) -> None:
    assert sugg.suggest("无费城市建设") == ["无废城市建设"]
    assert sugg.suggest("碳达锋目标") == ["碳达峰目标"]
    assert sugg.suggest("城市建设") == []  # nothing mistyped


def test_vocabulary_is_folded_and_duplicates_keep_the_highest_frequency() -> None:
    s = PinyinSuggester([("碳达峰", 3), ("碳达峰", 10), ("ＶＯＣｓ", 2), ("", 5), ("  ", 1)])
    assert len(s) == 2
    assert s.frequency("碳达峰") == 10
    assert s.frequency("vocs") == 2
    assert PinyinSuggester([]).suggest("碳达锋") == []


def test_the_key_index_is_built_once_across_threads() -> None:
    s = PinyinSuggester(VOCAB * 50)
    out: list[list[str]] = []
    threads = [threading.Thread(target=lambda: out.append(s.suggest("碳达锋"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [["碳达峰"]] * 4
