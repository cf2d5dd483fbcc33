"""app.core.search.analysis: the word filter, the words the index sees, and the whoosh tokenizer."""

from __future__ import annotations

import pickle

import pytest

from app.core.search.analysis import WordAnalyzer, WordTokenizer, is_word, words


@pytest.mark.parametrize("tok", ["碳达峰", "2030", "lng", "ａ", "①", "PM2.5"])
def test_a_segment_with_a_letter_or_digit_is_a_word(tok: str) -> None:
    assert is_word(tok)


@pytest.mark.parametrize("tok", ["", " ", "，", "。、", "——", "（）", "\n\t"])
def test_white_space_and_punctuation_are_no_words(tok: str) -> None:
    assert not is_word(tok)


def test_words_drop_punctuation_and_space() -> None:
    assert words("推进  生活垃圾，分类工作。") == ["推进", "生活垃圾", "分类", "工作"]
    assert words("，。、 ") == []
    assert words("") == []


def test_words_are_folded_as_queries_are() -> None:
    """Full-width letters and digits and upper case fold before segmentation: the index and the query agree."""
    assert words("ＰＭ２.５浓度") == ["pm2.5", "浓度"]
    assert words("LNG 加注站") == words("ｌｎｇ加注站") == ["lng", "加注", "站"]


def _tokens(value: str, **kw: object) -> list[tuple[str, int | None]]:
    # whoosh reuses one Token object: read each as it comes.
    return [(t.text, getattr(t, "pos", None)) for t in WordAnalyzer()(value, **kw)]


def test_positions_are_ordinal_from_start_pos() -> None:
    assert _tokens("碳达峰、碳中和", positions=True) == [("碳达峰", 0), ("碳中和", 1)]
    assert _tokens("碳达峰、碳中和", positions=True, start_pos=5) == [("碳达峰", 5), ("碳中和", 6)]


def test_tokens_are_the_index_words_without_character_offsets() -> None:
    texts = [t.text for t in WordAnalyzer()("推进生活垃圾分类工作", chars=True)]
    assert texts == words("推进生活垃圾分类工作")
    tok = next(iter(WordAnalyzer()("推进", chars=True, positions=True)))
    assert tok.chars is False and tok.boost == 1.0 and tok.stopped is False


def test_without_tokenize_the_folded_value_is_one_term() -> None:
    assert [t.text for t in WordAnalyzer()("ＡＢ 碳达峰", tokenize=False)] == ["ab 碳达峰"]


def test_the_analyzer_is_a_word_tokenizer_and_pickles_by_its_import_path() -> None:
    """The schema pickled into every index names this class: moving it breaks opening existing indexes."""
    a = WordAnalyzer()
    assert isinstance(a, WordTokenizer) and a == WordAnalyzer()
    data = pickle.dumps(a)
    assert b"app.core.search.analysis" in data and b"WordTokenizer" in data
    back = pickle.loads(data)
    assert [t.text for t in back("海上风电装机容量")] == words("海上风电装机容量") == ["海上风电", "装机容量"]
