"""Character-level differences inside a clause (app.core.compare.textdiff): units, folding, clean-ups."""

from __future__ import annotations

import itertools

import pytest

from app.core.compare.model import Segment
from app.core.compare.textdiff import REWRITE_RATIO, SHORT_EQUAL, opcodes, segments


def _covers(ops: list[tuple[str, int, int, int, int]], old: str, new: str) -> bool:
    """The opcodes tile both texts from start to end without gaps."""
    i = j = 0
    for _tag, i1, i2, j1, j2 in ops:
        if (i1, j1) != (i, j):
            return False
        i, j = i2, j2
    return (i, j) == (len(old), len(new))


def test_thresholds_are_sane() -> None:
    assert 0 < REWRITE_RATIO < 1
    assert SHORT_EQUAL >= 1


def test_identical_texts_are_one_equal_run() -> None:
    text = "推进城市更新，提升人居环境品质。"
    assert opcodes(text, text) == [("equal", 0, len(text), 0, len(text))]
    assert segments(text, text) == ((Segment("same", text),), (Segment("same", text),))


def test_a_changed_percentage_is_one_replacement() -> None:
    old, new = "覆盖率达到50%以上", "覆盖率达到55.5%以上"
    ops = opcodes(old, new)
    assert ops == [("equal", 0, 5, 0, 5), ("replace", 5, 8, 5, 10), ("equal", 8, 10, 10, 12)]
    assert old[5:8] == "50%" and new[5:10] == "55.5%"
    assert _covers(ops, old, new)


def test_a_latin_word_is_one_unit() -> None:
    old, new = segments("数据中心PUE值不高于1.3", "数据中心WUE值不高于1.3")
    assert old == (Segment("same", "数据中心"), Segment("del", "PUE"), Segment("same", "值不高于1.3"))
    assert new == (Segment("same", "数据中心"), Segment("ins", "WUE"), Segment("same", "值不高于1.3"))


def test_full_width_forms_compare_equal_but_keep_their_characters() -> None:
    old, new = "(二)加强监管", "（二）加强监管"
    assert [op[0] for op in opcodes(old, new)] == ["equal"]
    o, n = segments(old, new)
    assert o == (Segment("same", old),) and n == (Segment("same", new),)


def test_pure_insertion_and_deletion() -> None:
    assert segments("", "新增一款。") == ((), (Segment("ins", "新增一款。"),))
    assert segments("删去一款。", "") == ((Segment("del", "删去一款。"),), ())
    old, new = segments("加强管理。", "依法加强管理。")
    assert old == (Segment("same", "加强管理。"),)
    assert new == (Segment("ins", "依法"), Segment("same", "加强管理。"))


def test_an_almost_total_rewrite_is_one_replace() -> None:
    old, new = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉"
    assert opcodes(old, new) == [("replace", 0, len(old), 0, len(new))]


@pytest.mark.parametrize(("old", "new"), [
    ("全面实施碳排放双控制度，到2030年完成。", "全面落实碳排放双控制度，到2028年基本完成。"),
    ("第一款删去，第二款保留。", "第二款保留，增加第三款。"),
    ("(一)新年，放假1天(1月1日)；", "（一）元旦，放假1天（1月1日）；"),
])
def test_segments_join_back_to_each_text(old: str, new: str) -> None:
    ops = opcodes(old, new)
    assert _covers(ops, old, new)
    o, n = segments(old, new)
    assert "".join(s.text for s in o) == old and "".join(s.text for s in n) == new
    assert {s.kind for s in o} <= {"same", "del"} and {s.kind for s in n} <= {"same", "ins"}
    # neighbouring segments of one side never share a kind (they are merged)
    assert all(a.kind != b.kind for a, b in itertools.pairwise(o))
    assert all(a.kind != b.kind for a, b in itertools.pairwise(n))
