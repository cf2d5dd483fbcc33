"""Progress of a tracked indicator toward its target: a pure function of the numbers.

The expected path is a straight line from the baseline (value in the baseline year) to the target in the
deadline year. Direction comes from the comparator (≥/> up, ≤/< down) or, for =/~ (保持、左右), from
where the baseline lies. Without a baseline the percentage is a plain ratio and the track is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PROGRESS_LABELS: dict[str, str] = {
    "achieved": "已达标", "on_track": "进度正常", "behind": "进度滞后", "missed": "逾期未达标",
    "no_data": "暂无数据", "unknown": "无法判断进度",
}
_APPROX = 0.05  # 左右: within 5 % of the target counts as reached


@dataclass(frozen=True)
class IndicatorProgress:
    status: str  # achieved | on_track | behind | missed | no_data | unknown
    percent: float | None  # 0-100 toward the target (100 only when achieved)
    latest_year: int | None
    latest_value: float | None
    expected: float | None  # value on the straight path in latest_year (None without a baseline)
    direction: str  # up | down | hold

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.status]

    def to_json(self) -> dict[str, object]:
        return {"status": self.status, "label": self.label, "percent": self.percent,
                "latest_year": self.latest_year, "latest_value": self.latest_value,
                "expected": self.expected, "direction": self.direction}


def _direction(comparator: str, target: float, baseline: float | None) -> str:
    if comparator in (">=", ">"):
        return "up"
    if comparator in ("<=", "<"):
        return "down"
    if baseline is None or baseline == target:
        return "hold"
    return "up" if target > baseline else "down"


def _achieved(value: float, target: float, comparator: str, direction: str) -> bool:
    eps = max(1e-9, abs(target) * 1e-9)
    tol = max(eps, abs(target) * (_APPROX if comparator == "~" else 0.001))
    if comparator == ">":
        return value > target
    if comparator == "<":
        return value < target
    if comparator == ">=":
        return value >= target - eps
    if comparator == "<=":
        return value <= target + eps
    if direction == "up":
        return value >= target - tol
    if direction == "down":
        return value <= target + tol
    return abs(value - target) <= tol


def _percent(value: float, target: float, baseline: float | None, direction: str) -> float | None:
    if direction == "up" and baseline is not None and target > baseline:
        return (value - baseline) / (target - baseline) * 100
    if direction == "down" and baseline is not None and target < baseline:
        return (baseline - value) / (baseline - target) * 100
    if direction == "up":
        return value / target * 100 if target > 0 and value >= 0 else None
    if direction == "down":
        return target / value * 100 if value > 0 and target >= 0 else None
    return max(0.0, 100 - abs(value - target) / abs(target) * 100) if target else None


def compute_progress(*, target: float | None, comparator: str, deadline: int | None, baseline: float | None,
                     baseline_year: int | None, values: Mapping[int, float],
                     as_of: int | None = None) -> IndicatorProgress:
    """Where an indicator stands: latest value (up to `as_of`), % toward the target and on-track status."""
    points = {y: v for y, v in values.items() if as_of is None or y <= as_of}
    if not points:
        return IndicatorProgress("no_data", None, None, None, None, "hold")
    year = max(points)
    value = points[year]
    if target is None:
        return IndicatorProgress("unknown", None, year, value, None, "hold")
    direction = _direction(comparator, target, baseline)
    if _achieved(value, target, comparator, direction):
        return IndicatorProgress("achieved", 100.0, year, value, None, direction)
    raw = _percent(value, target, baseline, direction)
    percent = None if raw is None else round(min(max(raw, 0.0), 99.9), 1)
    expected: float | None = None
    if baseline is not None and baseline_year is not None and deadline is not None and deadline > baseline_year:
        share = min(max((year - baseline_year) / (deadline - baseline_year), 0.0), 1.0)
        expected = baseline + (target - baseline) * share
    now = year if as_of is None else max(year, as_of)
    if deadline is not None and now >= deadline:
        status = "missed"
    elif expected is None:
        status = "unknown"
    else:
        eps = max(1e-9, abs(target) * 1e-9)
        if direction == "up":
            ok = value >= expected - eps
        elif direction == "down":
            ok = value <= expected + eps
        else:
            ok = _achieved(value, target, "~", "hold")
        status = "on_track" if ok else "behind"
    return IndicatorProgress(status, percent, year, value, expected, direction)
