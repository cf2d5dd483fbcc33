"""Chinese numerals: parsing heading/article numbers and writing labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.numbers import cn_to_int, int_to_cn


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一百二十三", 123),
        ("十五", 15),
        ("十", 10),
        ("一十五", 15),
        ("二十", 20),
        ("一百零八", 108),
        ("一百一十", 110),
        ("两千零五", 2005),
        ("一千零一十", 1010),
        ("一万零五", 10005),
        ("十万零一十", 100010),
        ("三千五百万", 35_000_000),
        ("一亿零五万", 100_050_000),
        ("零", 0),
        ("〇", 0),
        ("两", 2),
        ("二〇二五", 2025),
        ("一九四九", 1949),
        ("3万", 30_000),
        ("15万", 150_000),
        ("123", 123),
        ("１２３", 123),
        ("５千", 5000),
        ("四百零八", 408),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    "text", ["", "  ", "第", "条", "abc", "一二十", "十十", "百千", "万", "1.5", "一万二万", "x十"]
)
def test_cn_to_int_garbage_is_none(text: str) -> None:
    assert cn_to_int(text) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (123, "一百二十三"),
        (1005, "一千零五"),
        (10010, "一万零一十"),
        (150_000, "十五万"),
        (100_010_000, "一亿零一万"),
    ],
)
def test_int_to_cn(value: int, text: str) -> None:
    assert int_to_cn(value) == text


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_round_trip(value: int) -> None:
    assert cn_to_int(int_to_cn(value)) == value


@given(st.text(max_size=30))
def test_cn_to_int_never_raises(text: str) -> None:
    result = cn_to_int(text)
    assert result is None or result >= 0
