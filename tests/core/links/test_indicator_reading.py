"""Reading one number of a phrase: the number + unit mentions, and the words around a number read as a target."""

from __future__ import annotations

import pytest

from app.core.links.deadlines import fold_digits
from app.core.links.indicator_reading import (
    _Context,
    _mentions,
    _read,
    _Shape,
    _shape_attribute,
    _split_cue,
    _time_target,
    _with_context,
)


def test_mentions() -> None:
    text = fold_digits("到2030年，回收利用率达到50%以上，建成充电桩１０万个，车桩比2.5∶1，系数0.65，第二次，前10家，5个月，人民")
    found = [(text[m.start : m.end], m.value, m.unit, m.chinese) for m in _mentions(text, 0, len(text))]
    assert found == [
        ("50%", 50.0, "%", False),
        ("10万个", 10.0, "万个", False),
        ("2.5∶1", 2.5, "", False),  # a ratio: a / b
        ("0.65", 0.65, "", False),  # a bare number, for 系数
        ("5个月", 5.0, "个月", False),
    ]  # not the year, 第二次 (an ordinal), 前10家 (a rank) or 人民 (no unit)
    chinese = fold_digits("新增三个公园")
    assert [(m.value, m.unit, m.chinese) for m in _mentions(chinese, 0, len(chinese))] == [(3.0, "个", True)]


def test_split_cue() -> None:
    assert _split_cue("生活垃圾回收利用率达到") == ("生活垃圾回收利用率", "达到", False)
    assert _split_cue("能耗下降约") == ("能耗", "下降", True)
    assert _split_cue("公园绿地 ") == ("公园绿地", "", False)


def test_context_completes_a_subject() -> None:
    ctx = _Context(heading="提高森林覆盖率。", prev_name="生活垃圾回收利用率", prev_raw="到2030年，全市森林")
    assert ctx.prev_phrase == "全市森林"  # the deadline is no part of a name
    assert _with_context("其覆盖率", ctx) == "全市森林覆盖率"
    assert _with_context("", ctx) == "全市森林"
    assert _with_context("资源化利用率", ctx) == "生活垃圾资源化利用率"  # the previous target's topic
    assert _with_context("森林覆盖率", ctx) == "森林覆盖率"
    # a pronoun whose noun repeats the previous phrase's tail: the tail once, not twice
    pm = _Context(heading="", prev_raw="全市PM2.5浓度")
    assert _with_context("其年均浓度", pm) == "全市PM2.5年均浓度"
    assert _with_context("其浓度", pm) == "全市PM2.5浓度"
    assert _with_context("", _Context(heading="提高森林覆盖率。")) == "森林覆盖率"  # from the heading


def _reading(pre: str, post: str, unit: str, ctx: _Context | None = None) -> tuple[object, ...] | None:
    r = _read(pre, post, unit, ctx or _Context())
    return None if r is None else (r.shape.name, r.shape.verb, r.comparator, r.quote_from, r.extra, r.tier, r.qualifier)


@pytest.mark.parametrize(
    ("pre", "post", "unit", "expected"),
    [
        ("生活垃圾回收利用率达到", "以上", "%", ("生活垃圾回收利用率", "达到", ">=", 0, 2, "", "")),
        ("全市新增绿地", "", "公顷", ("全市新增绿地面积", "新增", "=", 0, 0, "", "")),
        ("确保完成造林", "", "万亩", ("造林面积", "完成", "=", 2, 0, "确保", "")),
        ("单位生产总值能耗下降", "", "%", ("单位生产总值能耗降幅", "下降", ">=", 0, 0, "", "")),
        ("能耗年均下降", "", "%", ("能耗降幅", "下降", ">=", 0, 0, "", "年均")),
        ("PM2.5年均浓度控制在", "左右", "微克/立方米", ("PM2.5年均浓度", "控制在", "~", 0, 2, "", "")),
        ("企业开办时间压缩至", "以内", "个工作日", ("企业开办时间", "压缩至", "<=", 0, 2, "", "")),
        ("推动中小企业数字化改造", "", "家", ("中小企业数字化改造数量", "推动", "=", 2, 0, "", "")),
        ("绿地面积不得低于居住区用地总面积的", "", "%",
         ("绿地面积占居住区用地总面积的比例", "不得低于", ">=", 0, 0, "", "")),
        ("传染病医院还应当建设宽度不少于", "的防护绿地", "米", ("传染病医院防护绿地宽度", "不少于", ">=", 0, 5, "", "")),
        ("", "左右市管及区管河道建成美丽幸福河湖", "%", ("市管及区管河道建成美丽幸福河湖比例", "", "~", 0, 17, "", "")),
    ],
)
def test_targets(pre: str, post: str, unit: str, expected: tuple[object, ...]) -> None:
    assert _reading(pre, post, unit) == expected


@pytest.mark.parametrize(
    ("pre", "post", "unit"),
    [
        ("贮存不得超过", "", "天"),  # a legal time limit, not a target
        ("面积", "", "万亩"),  # no verb, no bound
        ("超过", "以上的企业", "%"),  # a condition
        ("比重为", "", "%"),  # 为 states the present outside a sentence about the future
        ("每年新增", "", "公里"),  # nothing is named
    ],
)
def test_not_targets(pre: str, post: str, unit: str) -> None:
    assert _reading(pre, post, unit) is None


def test_what_the_previous_phrases_leave() -> None:
    assert _reading("比重为", "", "%", _Context(prev_raw="非化石能源消费", future=True))[:3] == (  # type: ignore[index]
        "比重", "为", "=")
    shared = _Context(prev_verb="新增", prev_name="公园绿地面积")
    assert _reading("累计新增", "", "公顷", shared) == ("新增公园绿地面积", "新增", "=", 0, 0, "", "累计")
    assert _reading("其中", "", "公顷", _Context(prev_verb="新增", prev_name="新增绿地面积"))[:2] == (  # type: ignore[index]
        "新增绿地面积", "新增")
    split = _read("化肥、农药使用量分别下降", "和10%", "%", _Context())
    assert split is not None and (split.shape.name, split.shape.items) == ("化肥使用量降幅", ("农药使用量降幅",))


def test_attributes_and_durations() -> None:
    assert _shape_attribute("对高度不超过", "不超过", "的平屋顶实施绿化") is None  # only says which roofs
    assert _time_target(_Shape("审批时间", "压缩至"), _Context())
    assert _time_target(_Shape("审批时间", "为"), _Context(future=True))
    assert not _time_target(_Shape("贮存时间", "不得超过"), _Context(future=True))
    assert not _time_target(_Shape("生活圈", ""), _Context(future=True))
