"""One dictionary: rjieba's built-in copy must segment exactly like jieba's own dict.txt."""

from __future__ import annotations

from pathlib import Path

from app.core.search import segment

CORPUS = Path(__file__).parents[3] / "corpus"


def test_builtin_dictionary_equals_jiebas_dict_txt_on_the_corpus() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md")))
    ours = segment._load_rjieba()
    jiebas = segment._load_rjieba(from_jieba_dict=True)
    assert ours(text) == jiebas(text)


def test_domain_words_stay_whole() -> None:
    for word in ("碳达峰", "无废城市", "河湖长制", "生态保护红线", "一江一河"):
        assert word in segment.cut(f"推进{word}工作")
