"""app.core.userdata.progress: where a tracked indicator stands, a pure function of its numbers."""

from __future__ import annotations

import pytest

from app.core.userdata import PROGRESS_LABELS, IndicatorProgress, compute_progress


def _up(values: dict[int, float], **kw: object) -> IndicatorProgress:
    """PM-style "at least": from 10 in 2020 to 20 by 2025."""
    args: dict[str, object] = {"target": 20.0, "comparator": ">=", "deadline": 2025, "baseline": 10.0,
                               "baseline_year": 2020, "values": values}
    args.update(kw)
    return compute_progress(**args)  # type: ignore[arg-type]


def test_on_the_straight_line_or_behind_it() -> None:
    behind = _up({2023: 15.0})
    assert (behind.status, behind.percent, behind.latest_year, behind.latest_value) == ("behind", 50.0, 2023, 15.0)
    assert behind.expected == pytest.approx(16.0) and behind.direction == "up"
    on = _up({2021: 11.0, 2023: 17.0})
    assert (on.status, on.percent, on.latest_year) == ("on_track", 70.0, 2023)


def test_reached_the_target() -> None:
    got = _up({2022: 12.0, 2024: 25.0})
    assert got == IndicatorProgress("achieved", 100.0, 2024, 25.0, None, "up")
    assert got.label == "已达标"


def test_as_of_ignores_later_years_and_deadline_passed_is_missed() -> None:
    then = _up({2022: 12.0, 2024: 25.0}, as_of=2022)
    assert (then.status, then.latest_year, then.percent) == ("behind", 2022, 20.0)
    assert _up({2025: 18.0}).status == "missed"
    late = _up({2023: 17.0}, as_of=2026)  # no newer value, but the deadline is past
    assert (late.status, late.latest_year, late.percent) == ("missed", 2023, 70.0)


def test_decreasing_target() -> None:
    got = compute_progress(target=30.0, comparator="<=", deadline=2030, baseline=50.0, baseline_year=2020,
                           values={2025: 45.0})
    assert (got.status, got.percent, got.direction) == ("behind", 25.0, "down")
    assert got.expected == pytest.approx(40.0)
    assert compute_progress(target=30.0, comparator="<=", deadline=2030, baseline=50.0, baseline_year=2020,
                            values={2025: 29.0}).status == "achieved"


def test_strict_comparator_is_not_reached_at_the_target() -> None:
    got = compute_progress(target=10.0, comparator=">", deadline=None, baseline=None, baseline_year=None,
                           values={2024: 10.0})
    assert (got.status, got.percent, got.expected) == ("unknown", 99.9, None)  # capped below 100 until reached
    assert compute_progress(target=10.0, comparator=">", deadline=None, baseline=None, baseline_year=None,
                            values={2024: 10.5}).status == "achieved"


def test_approximate_and_hold_targets() -> None:
    def approx(value: float) -> IndicatorProgress:
        return compute_progress(target=100.0, comparator="~", deadline=None, baseline=None, baseline_year=None,
                                values={2024: value})

    assert approx(96.0).status == "achieved" and approx(104.0).status == "achieved"  # 左右: within 5 %
    far = approx(94.0)
    assert (far.status, far.percent, far.direction) == ("unknown", 94.0, "hold")
    equal = compute_progress(target=100.0, comparator="=", deadline=None, baseline=80.0, baseline_year=2020,
                             values={2024: 99.95})
    assert (equal.status, equal.direction) == ("achieved", "up")  # the baseline gives the direction


def test_without_target_or_data() -> None:
    assert compute_progress(target=None, comparator=">=", deadline=2025, baseline=None, baseline_year=None,
                            values={2024: 3.0}) == IndicatorProgress("unknown", None, 2024, 3.0, None, "hold")
    none = compute_progress(target=5.0, comparator=">=", deadline=2025, baseline=None, baseline_year=None, values={})
    assert none == IndicatorProgress("no_data", None, None, None, None, "hold") and none.label == "暂无数据"
    ratio = compute_progress(target=30.0, comparator="<=", deadline=None, baseline=None, baseline_year=None,
                             values={2024: 60.0})
    assert (ratio.status, ratio.percent) == ("unknown", 50.0)  # a plain ratio without a baseline


def test_labels_and_json() -> None:
    assert set(PROGRESS_LABELS) == {"achieved", "on_track", "behind", "missed", "no_data", "unknown"}
    assert _up({2023: 15.0}).to_json() == {"status": "behind", "label": "进度滞后", "percent": 50.0,
                                           "latest_year": 2023, "latest_value": 15.0,
                                           "expected": pytest.approx(16.0), "direction": "up"}
