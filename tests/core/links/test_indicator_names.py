"""Naming targets: Chinese numbers, the words trimmed from a subject, unit dimensions, changes, topics, lists."""

from __future__ import annotations

import pytest

from app.core.links.indicator_names import (
    _base_unit,
    _change,
    _changed,
    _clean,
    _clean_paren,
    _dimension,
    _head_action,
    _items,
    _lstrip_words,
    _object_after,
    _rstrip_words,
    _topic,
    _unit_kind,
    _unitless,
    parse_cn_number,
)
from app.core.links.indicator_words import _LEAD, _TRAIL


@pytest.mark.parametrize(
    ("text", "value"),
    [("十四点六", 14.6), ("1,000", 1000.0), ("１２．５", 12.5), ("两千", 2000.0), ("三百万", 3_000_000.0),
     ("一点二三", 1.23), ("0.5", 0.5)],
)
def test_parse_cn_number(text: str, value: float) -> None:
    result = parse_cn_number(text)
    assert result is not None and result == pytest.approx(value)


@pytest.mark.parametrize("text", ["十四点x", "abc", "点五", ""])
def test_parse_cn_number_refuses(text: str) -> None:
    assert parse_cn_number(text) is None


def test_word_trimming() -> None:
    s = "（一）其中 确保生活垃圾回收利用率"
    assert s[_lstrip_words(s, _LEAD) :] == "生活垃圾回收利用率"
    assert _rstrip_words("生活垃圾回收利用率持续稳定", _TRAIL) == "生活垃圾回收利用率"
    assert _rstrip_words("持续", _TRAIL) == "持续"  # at least one character stays
    assert _rstrip_words("持续", _TRAIL, keep=0) == ""
    assert _clean("比2020年 推动 生活垃圾回收利用率进一步") == "生活垃圾回收利用率"
    assert _clean("力争全市森林覆盖率分别") == "全市森林覆盖率"


@pytest.mark.parametrize(
    ("unit", "base", "kind"),
    [("万亿元", "元", "currency"), ("万吨/年", "吨", "mass"), ("微克/立方米", "微克/立方米", "concentration"),
     ("个百分点", "个百分点", "count"), ("万人次", "人次", "people"), ("%", "%", ""), ("", "", "")],
)
def test_units(unit: str, base: str, kind: str) -> None:
    assert _base_unit(unit) == base and _unit_kind(unit) == kind


def test_dimensionless_metrics() -> None:
    assert _clean_paren("电能利用效率（PUE）") == "电能利用效率"
    assert _unitless("电能利用效率（PUE）") and _unitless("车桩比") and _unitless("绿色发展指数")
    assert not _unitless("森林覆盖率")


@pytest.mark.parametrize(
    ("name", "unit", "named"),
    [("造林", "万亩", "造林面积"), ("绿道", "公里", "绿道长度"), ("应用场景", "个", "应用场景数量"),
     ("培训", "万人", "培训人数"), ("排放", "万吨", "排放量"), ("增长率", "%", "增长率"), ("绿地面积", "公顷", "绿地面积"),
     ("审批时间", "个工作日", "审批时间"), ("带宽", "Tbps", "带宽"), ("", "亩", "")],
)
def test_dimension(name: str, unit: str, named: str) -> None:
    assert _dimension(name, unit) == named


def test_changes() -> None:
    assert (_change("下降", "%"), _change("下降", "万吨"), _change("提高", "%"), _change("增长", "亿元")) == (
        "降幅", "减少量", "增幅", "增加量")
    assert _changed("单位生产总值能耗", "降幅") == "单位生产总值能耗降幅"
    assert _changed("能耗降幅", "增幅") == "能耗增幅"  # not suffixed twice
    assert _changed("办结时限比法定时限", "降幅") == "办结时限降幅"  # the comparison base is no part of the name


def test_topics_items_objects_and_actions() -> None:
    assert _topic("生活垃圾回收利用率") == "生活垃圾" and _topic("率") == ""
    assert _items("化肥、农药使用量") == ["化肥使用量", "农药使用量"]
    assert _items("PM2.5浓度") == ["PM2.5浓度"]
    assert _object_after("的公共充电桩、换电站") == "的公共充电桩"
    assert _object_after("个应用场景") == "个应用场景" and _object_after("123") == ""
    assert _head_action("全市新增绿地") == (2, "新增")
    assert _head_action("公园绿地") == (-1, "")
    assert _head_action("一二三四五六七八九完成") == (-1, "")  # an action far from the head does not count
