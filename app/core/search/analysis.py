"""Our whoosh analyzers. Their import path is API: the schema pickled into an index refers to it.

* `WordAnalyzer`: jieba words with ORDINAL positions (jieba's stock ChineseAnalyzer records
  character offsets as positions, which breaks phrase queries).

It folds its input with `app.core.normalize.fold`, exactly as queries are folded. Exact-substring
recall is not the analyzer's job: see `literal.py`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Composable, Token, Tokenizer

from app.core.normalize import fold
from app.core.search import segment


def is_word(tok: str) -> bool:
    """True when a segment carries meaning (not whitespace or punctuation only)."""
    for ch in tok:
        cat = unicodedata.category(ch)
        if cat[0] in "LN":
            return True
    return False


def words(text: str) -> list[str]:
    """The word tokens of `text` as the index sees them."""
    return [w for w in segment.cut(fold(text)) if is_word(w)]


class _Base(Tokenizer):  # type: ignore[misc]
    def _emit(self, terms: list[str], positions: bool, start_pos: int, kw: dict[str, Any]) -> Iterator[Token]:
        t = Token(positions=positions, chars=False, **kw)
        for i, term in enumerate(terms):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            yield t


class WordTokenizer(_Base):
    """jieba words, ordinal positions."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        terms = words(value) if tokenize else [fold(value)]
        return self._emit(terms, positions, start_pos, {"removestops": removestops, "mode": mode, **kwargs})


def WordAnalyzer() -> Composable:
    return WordTokenizer()
