"""app.core.userdata.indicators: tracked indicators (target, deadline, baseline) and their yearly values in the
user DB. Real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata import UserStore, compute_progress, indicator_key


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def test_track_creates_then_updates(store: UserStore) -> None:
    ind = store.track_indicator("c1", "细颗粒物浓度", target="30", unit="微克/立方米", comparator="<=", deadline=2030,
                                baseline=35.5, baseline_year="2024")
    assert ind.key == indicator_key("c1", "细颗粒物浓度")
    assert (ind.target, ind.unit, ind.comparator, ind.deadline, ind.baseline, ind.baseline_year) == (
        30.0, "微克/立方米", "<=", 2030, 35.5, 2024)
    again = store.track_indicator("c1", "细颗粒物浓度", target=28, comparator="<=")
    assert (again.key, again.target, again.baseline, again.created_at) == (ind.key, 28.0, None, ind.created_at)
    assert store.get_indicator(ind.key) == again


def test_track_refuses_bad_numbers_and_comparators(store: UserStore) -> None:
    with pytest.raises(PolicyDeskError, match="未知的比较方式"):
        store.track_indicator("c1", "x", target=1, comparator="≥")
    with pytest.raises(PolicyDeskError, match="目标值不是数字"):
        store.track_indicator("c1", "x", target="三十")
    with pytest.raises(PolicyDeskError, match="基期值不是有效数字"):
        store.track_indicator("c1", "x", target=1, baseline=float("nan"))
    assert store.tracked_indicators() == []
    assert store.track_indicator("c1", "x", target="").target is None  # no target is allowed


def test_lists_by_clause(store: UserStore) -> None:
    for clause, name in (("c2", "b"), ("c1", "z"), ("c1", "a")):
        store.track_indicator(clause, name, target=1)
    assert [i.key for i in store.tracked_indicators()] == ["c1#a", "c1#z", "c2#b"]
    assert [i.name for i in store.tracked_indicators("c1")] == ["a", "z"]
    assert store.tracked_indicators("c9") == []


def test_yearly_values(store: UserStore) -> None:
    key = store.track_indicator("c1", "森林覆盖率", target=20, unit="%").key
    assert store.set_indicator_value(key, 2024, 18.5, "统计公报").value == 18.5
    store.set_indicator_value(key, 2022, "17.9")
    store.set_indicator_value(key, 2024, 18.8, "修正")  # a correction of the same year
    assert [(v.year, v.value, v.source) for v in store.indicator_values(key)] == [(2022, 17.9, ""),
                                                                               (2024, 18.8, "修正")]
    store.delete_indicator_value(key, 2022)
    assert [v.year for v in store.indicator_values(key)] == [2024]
    with pytest.raises(PolicyDeskError, match="指标数值不能为空"):
        store.set_indicator_value(key, 2025, "")
    with pytest.raises(NotFoundError, match="未跟踪该指标"):
        store.set_indicator_value("c1#其他", 2025, 1)


def test_untrack_takes_the_values_along(store: UserStore) -> None:
    key = store.track_indicator("c1", "x", target=1).key
    store.set_indicator_value(key, 2024, 0.5)
    store.untrack_indicator(key)
    with pytest.raises(NotFoundError):
        store.get_indicator(key)
    assert store.indicator_values(key) == []
    with pytest.raises(NotFoundError):
        store.untrack_indicator(key)


def test_progress_is_compute_progress_over_the_stored_numbers(store: UserStore) -> None:
    key = store.track_indicator("c1", "x", target=20, deadline=2025, baseline=10, baseline_year=2020).key
    store.set_indicator_value(key, 2023, 15)
    store.set_indicator_value(key, 2025, 21)
    want = compute_progress(target=20, comparator=">=", deadline=2025, baseline=10, baseline_year=2020,
                            values={2023: 15, 2025: 21}, as_of=2024)
    got = store.indicator_progress(key, as_of=2024)
    assert got == want and (got.status, got.latest_value) == ("behind", 15.0)
    assert store.indicator_progress(key).status == "achieved"
    with pytest.raises(NotFoundError):
        store.indicator_progress("c1#nope")
