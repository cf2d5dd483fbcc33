"""The vocabulary of target extraction: the unit grammar, comparators and cues, and the patterns built on them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.links.indicator_words import (
    _ATTRIBUTIVE,
    _BAD_NEXT,
    _BARE,
    _BASELINE,
    _COMPARATORS,
    _COUNT_UNITS,
    _CUES,
    _DEADLINE_TOKEN,
    _MAGNITUDE_PREFIX,
    _MENTION,
    _METRIC_END,
    _NOT_TARGETS,
    _NUMERAL,
    _POST,
    _POST_COMPARATOR,
    _QUALIFIER,
    _RATIO,
    _TIER,
    _UNIT_CATEGORIES,
    _UNIT_DIMENSION,
    _UNIT_KIND,
    _UNITS,
)
from app.core.links.indicators import _Q_ALL, _Q_FULL, _Q_IZE, _Q_ZERO, _RANK


def test_every_unit_has_one_category() -> None:
    units = [u for group in _UNIT_CATEGORIES.values() for u in group]
    assert len(units) == len(set(units)) == len(_UNIT_KIND)
    assert _UNIT_KIND["亩"] == "area" and _UNIT_KIND["个工作日"] == "time" and _UNIT_KIND["倍"] == "multiple"
    alternatives = _UNITS.split("|")
    assert [len(u) for u in alternatives] == sorted((len(u) for u in alternatives), reverse=True)


def test_vocabulary_invariants() -> None:
    assert set(_COMPARATORS.values()) <= {">=", ">", "<=", "<", "="}
    assert set(_POST_COMPARATOR.values()) <= {">=", "<=", "~"}
    assert [len(c) for c in _CUES] == sorted((len(c) for c in _CUES), reverse=True)  # the longest cue wins
    assert all(unit[-1] in {u[-1] for u in _UNIT_KIND} for unit in _BAD_NEXT)
    assert "个百分点" not in _COUNT_UNITS and {"家", "个", "户"} <= _COUNT_UNITS
    assert all(_UNIT_DIMENSION.get(u) is not None for u in ("亩", "公里", "人", "%"))
    assert "率" in _METRIC_END and "降幅" in _METRIC_END


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("达到45%", "45", "%"),
        ("200万标准箱", "200", "万标准箱"),
        ("3.5 万吨/年", "3.5", "万吨/年"),
        ("1,000个", "1,000", "个"),
        ("十四点六亿元", "十四点六", "亿元"),
        ("25微克/立方米", "25", "微克/立方米"),
        ("80万千瓦时", "80", "万千瓦时"),
    ],
)
def test_mention(text: str, number: str, unit: str) -> None:
    m = _MENTION.search(text)
    assert m is not None and (m["num"], m["unit"]) == (number, unit)


def test_mention_forms() -> None:
    pct = _MENTION.search("不得低于百分之十")
    assert pct is not None and pct["pct"] == "十"
    assert _MENTION.search("2030年") is None  # a year has no unit
    assert _MENTION.search("PM2.5浓度") is None
    bare = _BARE.search("系数达到0.65以上")
    assert bare is not None and bare[1] == "0.65"
    assert _BARE.search("达到0.65吨") is None
    ratio = _RATIO.search("车桩比达到2.5∶1")
    assert ratio is not None and ratio.groups() == ("2.5", "1")
    assert _RATIO.search("10:30:00") is None


def test_cues_and_frames() -> None:
    assert _MAGNITUDE_PREFIX.sub("", "万亿元") == "元" and _MAGNITUDE_PREFIX.sub("", "万") == "万"
    post = _POST.match(" 以上")
    assert post is not None and _POST_COMPARATOR[post[1]] == ">="
    assert _DEADLINE_TOKEN.sub("", "到2030年，生活垃圾回收利用率") == "生活垃圾回收利用率"
    assert _BASELINE.sub("", "能耗比2020年下降") == "能耗下降"
    assert _NOT_TARGETS.search("处十万元以上罚款") and not _NOT_TARGETS.search("回收利用率达到50%")
    assert _ATTRIBUTIVE.match("企业10家") and _ATTRIBUTIVE.match("级泊位") and not _ATTRIBUTIVE.match("，")
    assert _TIER.findall("确保完成120兆瓦、力争达到180兆瓦") == ["确保", "力争"]
    assert not _TIER.search("力争到2030年")

    def qualifier(pre: str) -> str:
        return next((g for m in _QUALIFIER.finditer(pre) for g in m.groups() if g), "")

    assert qualifier("十五五期间累计新增") == "累计"
    assert qualifier("能耗年均下降") == "年均" and qualifier("PM2.5年均") == "年均"  # right before the value
    assert qualifier("年均浓度控制在") == ""  # 年均浓度 is the metric's own name
    assert qualifier("每年度新增") == "每年度"


NUMERAL_FREE = st.text(st.sampled_from(list("年月日到达提升覆盖率全面零实现以上下左右万亿元吨公里%％.,:：∶第前位名面积排放减少"
                                            "达标绿色低碳ABCx \t，。；")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(text=NUMERAL_FREE)
def test_no_number_pattern_matches_without_a_numeral(text: str) -> None:
    """The premise of the gates in _mentions and _ranks: every number pattern needs a numeral character."""
    if _NUMERAL.search(text) is None:
        assert not any(p.search(text) for p in (_MENTION, _BARE, _RATIO, _RANK))


@settings(max_examples=400, deadline=None)
@given(text=NUMERAL_FREE)
def test_no_qualitative_pattern_matches_without_its_words(text: str) -> None:
    """The premise of the gate in _qualitative: each pattern holds 覆盖, 零 or 全面."""
    if "覆盖" not in text and "零" not in text and "全面" not in text:
        assert not any(p.search(text) for p in (_Q_FULL, _Q_ZERO, _Q_ALL, _Q_IZE))
    assert _Q_FULL.search("实现全覆盖。") and _Q_ZERO.search("零填埋。") and _Q_ALL.search("全面淘汰高污染车辆")
