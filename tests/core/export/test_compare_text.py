"""The texts both 新旧对照表 writers print (app.core.export.compare_text): title, version line, marked runs."""

from __future__ import annotations

import dataclasses

from app.core.compare import Comparison
from app.core.export.compare_text import NONE_TEXT, side_segments, title_of, version_line
from tests.core.export.compare_fixtures import (
    ADDED,
    DELETED,
    MODIFIED,
    MOVED,
    NEW,
    OLD,
    UNCHANGED,
    comparison,
)


def test_title_names_the_new_version() -> None:
    assert title_of(comparison()) == "《滨海市规划》新旧对照表"


def test_version_line_with_and_without_dates() -> None:
    assert version_line(comparison()) == "原：《滨海市规划（征求意见稿）》（2021-08-25）　新：《滨海市规划》（2024-12-31）"
    undated = Comparison(dataclasses.replace(OLD, date=None), dataclasses.replace(NEW, date=None), ())
    assert version_line(undated) == "原：《滨海市规划（征求意见稿）》　新：《滨海市规划》"


def test_an_edited_pair_gives_its_diff_runs() -> None:
    assert side_segments(MODIFIED, "old") == [("same", "回收利用率达到"), ("del", "50"), ("same", "%。")]
    assert side_segments(MODIFIED, "new") == [("same", "回收利用率达到"), ("ins", "55"), ("same", "%。")]


def test_added_and_deleted_clauses_are_marked_whole() -> None:
    assert side_segments(ADDED, "new") == [("ins", "新建站点10个。")]
    assert side_segments(ADDED, "old") == [("same", NONE_TEXT)]
    assert side_segments(DELETED, "old") == [("del", "取消试点。")]
    assert side_segments(DELETED, "new") == [("same", NONE_TEXT)] and NONE_TEXT == "（无）"


def test_unchanged_and_unedited_moved_text_is_plain() -> None:
    assert side_segments(UNCHANGED, "old") == side_segments(UNCHANGED, "new") == [("same", "保障措施。")]
    assert side_segments(MOVED, "new") == [("same", "加强监管。")]
    # edited but without segments (nothing to mark): the plain text, never an empty cell
    bare = dataclasses.replace(MODIFIED, old_segments=(), new_segments=())
    assert side_segments(bare, "new") == [("same", "回收利用率达到55%。")]
