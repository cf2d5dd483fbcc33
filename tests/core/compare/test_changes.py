"""Changed targets and deadlines of one aligned clause pair (app.core.compare.changes)."""

from __future__ import annotations

from app.core.compare.changes import NAME_RATIO, clause_changes, deadline_text, indicator_value, number
from app.core.compare.model import IndicatorChange
from app.core.links.service import ClauseLinks
from app.core.models import Deadline, Indicator


def ind(name: str, value: float | None, unit: str = "%", comparator: str = ">=", deadline: int | None = 2030
        ) -> Indicator:
    return Indicator(name=name, value=value, unit=unit, comparator=comparator, deadline=deadline, quote=name)


def links(*inds: Indicator, deadline: Deadline | None = None) -> ClauseLinks:
    return ClauseLinks(indicators=inds, deadline=deadline)


def test_number_drops_a_zero_fraction() -> None:
    assert number(50.0) == "50"
    assert number(14.60) == "14.6"
    assert number(0.25) == "0.25"
    assert number(3) == "3"


def test_indicator_value_wording() -> None:
    i = ind("绿色出行比例", 75, comparator=">=")
    assert indicator_value(i) == "75%"
    assert indicator_value(i, comparator=True) == "≥75%"
    assert indicator_value(i, year=True) == "75%（2030年）"
    assert indicator_value(ind("集装箱吞吐量", 200, unit="万标准箱", comparator="~"), comparator=True) == "约200万标准箱"
    assert indicator_value(ind("生态环境质量", None, unit="", deadline=None)) == ""
    assert indicator_value(ind("生态环境质量", None, unit=""), year=True) == "（2030年）"


def test_deadline_text() -> None:
    assert deadline_text(Deadline(2026, "2026-06-30", "explicit", None)) == "2026年6月30日"
    assert deadline_text(Deadline(2028, None, "explicit", None)) == "2028年"
    assert deadline_text(Deadline(2028, "2028", "explicit", None)) == "2028年"  # not a full date


def test_a_changed_value_names_old_and_new() -> None:
    out = clause_changes(links(ind("森林覆盖率", 14.6)), links(ind("森林覆盖率", 15)), "a/1", "b/1", "四、（一）1.")
    assert out == [IndicatorChange("indicator", "changed", "森林覆盖率", "14.6%", "15%", "a/1", "b/1", "四、（一）1.")]


def test_comparator_and_year_are_shown_only_when_they_changed() -> None:
    out = clause_changes(links(ind("达标率", 90, comparator="=", deadline=2030)),
                         links(ind("达标率", 95, comparator=">=", deadline=2028)), "a/1", "b/1", "")
    assert (out[0].old, out[0].new) == ("90%（2030年）", "≥95%（2028年）")


def test_only_the_year_changed() -> None:
    out = clause_changes(links(ind("回收利用率", 50, deadline=2030)), links(ind("回收利用率", 50, deadline=2028)),
                         "a/1", "b/1", "")
    assert len(out) == 1 and out[0].year_only
    assert (out[0].old, out[0].new) == ("2030年", "2028年")
    gone = clause_changes(links(ind("回收利用率", 50, deadline=2030)), links(ind("回收利用率", 50, deadline=None)),
                          "a/1", "b/1", "")
    assert (gone[0].old, gone[0].new, gone[0].year_only) == ("2030年", "未定", True)


def test_unchanged_indicators_report_nothing() -> None:
    same = links(ind("森林覆盖率", 15))
    assert clause_changes(same, links(ind("森林覆盖率", 15)), "a/1", "b/1", "") == []
    assert clause_changes(None, None, "a/1", "b/1", "") == []


def test_similar_names_pair_dissimilar_ones_do_not() -> None:
    assert NAME_RATIO > 0.5
    # 9 of 11 characters in common: the same target named with its scope
    paired = clause_changes(links(ind("生活垃圾回收利用率", 50)), links(ind("城市生活垃圾回收利用率", 55)), "a", "b", "")
    assert [(c.change, c.name) for c in paired] == [("changed", "城市生活垃圾回收利用率")]
    apart = clause_changes(links(ind("森林覆盖率", 15)), links(ind("湿地保护率", 55)), "a", "b", "")
    assert [(c.change, c.name, c.old, c.new) for c in apart] == [
        ("removed", "森林覆盖率", "15%（2030年）", ""), ("added", "湿地保护率", "", "55%（2030年）")]


def test_exact_names_pair_before_similar_ones() -> None:
    old = links(ind("PM2.5平均浓度", 30, unit="微克/立方米"), ind("PM2.5浓度", 35, unit="微克/立方米"))
    new = links(ind("PM2.5浓度", 28, unit="微克/立方米"))
    out = clause_changes(old, new, "a", "b", "")
    assert [(c.change, c.name, c.old, c.new) for c in out] == [
        ("changed", "PM2.5浓度", "35微克/立方米", "28微克/立方米"),
        ("removed", "PM2.5平均浓度", "30微克/立方米（2030年）", "")]


def test_a_clause_that_came_or_went_brings_its_targets_but_no_deadline_change() -> None:
    stated = Deadline(2027, None, "explicit", "到2027年")
    came = clause_changes(None, links(ind("美丽街区数量", 200, unit="个"), deadline=stated), None, "b/9", "六、（四）4.")
    assert [(c.kind, c.change, c.new, c.old_clause, c.new_clause) for c in came] == [
        ("indicator", "added", "200个（2030年）", None, "b/9")]
    went = clause_changes(links(ind("美丽街区数量", 200, unit="个")), None, "a/9", None, "")
    assert [(c.change, c.old) for c in went] == [("removed", "200个（2030年）")]


def test_deadlines() -> None:
    y30 = Deadline(2030, None, "explicit", "到2030年")
    y28 = Deadline(2028, None, "explicit", "到2028年")
    inherited = Deadline(2030, None, "inherited", None)
    changed = clause_changes(links(deadline=y30), links(deadline=y28), "a/1", "b/1", "五、（二）")
    assert changed == [IndicatorChange("deadline", "changed", "五、（二）", "2030年", "2028年", "a/1", "b/1", "五、（二）")]
    assert clause_changes(links(deadline=inherited), links(deadline=inherited), "a/1", "b/1", "") == []
    # stated now, the same year as the inherited horizon: no change
    assert clause_changes(links(deadline=inherited), links(deadline=y30), "a/1", "b/1", "") == []
    removed = clause_changes(links(deadline=y30), links(), "a/1", "b/1", "x")
    assert [(c.change, c.old, c.new) for c in removed] == [("removed", "2030年", "")]
    added = clause_changes(links(), links(deadline=Deadline(2026, "2026-06-30", "explicit", None)), "a/1", "b/1", "x")
    assert [(c.change, c.old, c.new) for c in added] == [("added", "", "2026年6月30日")]
