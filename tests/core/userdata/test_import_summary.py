"""app.core.userdata.import_summary: what a merge did, and the sentence that says so."""

from __future__ import annotations

import pytest

from app.core.userdata import ImportSummary


def test_empty_summary() -> None:
    s = ImportSummary()
    assert not s.changed
    assert s.message == "导入完成：新增 0 条任务，更新 0 条，跳过 0 条（本机已有相同或更新的版本）"


@pytest.mark.parametrize("field", ["added", "updated", "indicators_added", "indicators_updated", "values_added",
                                   "values_updated", "comments_added", "comments_updated"])
def test_any_write_is_a_change(field: str) -> None:
    assert ImportSummary(**{field: 1}).changed


def test_skips_are_no_change() -> None:
    assert not ImportSummary(skipped=3, comments_skipped=2, notice="已去除 1 个空字符（NUL）").changed


def test_message_names_only_what_happened() -> None:
    tasks_only = ImportSummary(added=2, updated=1, skipped=4).message
    assert tasks_only == "导入完成：新增 2 条任务，更新 1 条，跳过 4 条（本机已有相同或更新的版本）"
    full = ImportSummary(added=1, values_added=3, comments_skipped=1, notice="已去除 2 个空字符（NUL）").message
    assert full == ("导入完成：新增 1 条任务，更新 0 条，跳过 0 条（本机已有相同或更新的版本）"
                    "；指标新增 0 个、更新 0 个，年度数值新增 3 条、更新 0 条"
                    "；意见新增 0 条、更新 0 条、跳过 1 条"
                    "。已去除 2 个空字符（NUL）")
