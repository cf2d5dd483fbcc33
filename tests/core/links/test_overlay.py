"""Links people set (an imported 分工表, the user's corrections) laid over the extracted ones."""

from __future__ import annotations

import pytest

from app.core.links.overlay import apply, parse_deadline
from app.core.links.service import ClauseLinks
from app.core.models import Deadline, DepartmentLink, Indicator


@pytest.mark.parametrize(
    ("raw", "year", "date"),
    [
        ("2028", 2028, None),
        ("2028-06-30", 2028, "2028-06-30"),
        ("2026年6月底前", 2026, "2026-06-30"),
        ("2027年底前", 2027, "2027-12-31"),
        (" 2030年12月 ", 2030, "2030-12-31"),
        ("2025.6", 2025, "2025-06-30"),
        ("2026/2/30", 2026, None),  # no such day: the year stays, the date goes
    ],
)
def test_parse_deadline(raw: str, year: int, date: str | None) -> None:
    assert parse_deadline(raw, "table") == Deadline(year=year, date=date, source="table", quote=raw.strip())


@pytest.mark.parametrize("raw", ["尽快", "", "   ", None])
def test_parse_deadline_without_a_year(raw: str | None) -> None:
    assert parse_deadline(raw, "user") is None


def _dept(name: str, role: str, source: str) -> DepartmentLink:
    return DepartmentLink(name, role, source, 0.5 if source == "inferred" else 1.0, "原文")


BASE = ClauseLinks(
    departments=(
        _dept("市生态环境局", "lead", "inferred"),
        _dept("市发展改革委", "lead", "explicit"),
        _dept("市统计局", "support", "explicit"),
        _dept("各区", "mentioned", "explicit"),
    ),
    indicators=(Indicator("森林覆盖率", 20.0, "%", ">=", 2030, "森林覆盖率达到20%"),),
    deadline=Deadline(2030, None, "inherited", None),
)


def _names(links: ClauseLinks) -> list[tuple[str, str, str]]:
    return [(d.name, d.role, d.source) for d in links.departments]


def test_nothing_to_lay_over() -> None:
    assert apply(BASE, None, None) == BASE
    assert apply(BASE, {}, {}) == BASE


def test_table_row_replaces_the_roles_it_sets() -> None:
    out = apply(BASE, {"lead": ["市水务局"], "support": None, "deadline": "2027年底前"}, None)
    assert _names(out) == [
        ("市水务局", "lead", "table"),
        ("市统计局", "support", "explicit"),  # the row says nothing of supports: they stay
        ("各区", "mentioned", "explicit"),
    ]  # inferences and the replaced leads go
    assert out.departments[0].evidence == "任务分工表" and out.departments[0].confidence == 1.0
    assert out.deadline == Deadline(2027, "2027-12-31", "table", "2027年底前")
    assert out.indicators == BASE.indicators


def test_user_correction_outranks_the_table() -> None:
    table = {"lead": ["市水务局"], "support": ["市住建委"], "deadline": "2027"}
    user = {"lead": ["市绿化市容局"], "support": None, "deadline": None}
    out = apply(BASE, table, user)
    assert _names(out) == [
        ("市绿化市容局", "lead", "user"),
        ("市住建委", "support", "table"),
        ("各区", "mentioned", "explicit"),
    ]
    assert out.departments[0].evidence == "手工设置"
    assert out.deadline is not None and (out.deadline.year, out.deadline.source) == (2027, "table")


def test_a_name_set_again_is_not_listed_twice() -> None:
    out = apply(BASE, None, {"support": ["市发展改革委"]})
    assert _names(out) == [("市发展改革委", "support", "user"), ("各区", "mentioned", "explicit")]


def test_deadline_only_keeps_departments() -> None:
    out = apply(BASE, None, {"deadline": "2026年6月底前"})
    assert out.departments == BASE.departments
    assert out.deadline == Deadline(2026, "2026-06-30", "user", "2026年6月底前")
    assert apply(BASE, None, {"deadline": "尽快"}).deadline == BASE.deadline  # unreadable: the old one stays
