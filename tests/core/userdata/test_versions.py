"""app.core.userdata.versions: version links between documents in the user DB (detected once as suggested,
then confirmed, rejected or reset by the user). Real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata import UserStore
from app.core.userdata.versions import (
    AUTO_LABEL,
    CONFIRMED,
    REJECTED,
    STATE_LABELS,
    STATES,
    SUGGESTED,
    VersionLink,
    VersionLinks,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def _seq(store: UserStore) -> int:
    return store._read(lambda c: int(c.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0]))


def _found(old: str, new: str, *, certain: bool = False, method: str = "stage") -> VersionLink:
    return VersionLink(old, new, method, SUGGESTED, certain, 0.8, f"{old} 标题", f"{new} 标题")


def test_states_and_labels() -> None:
    assert STATES == (SUGGESTED, CONFIRMED, REJECTED) and set(STATE_LABELS) == set(STATES)


@pytest.mark.parametrize(("state", "certain", "active", "label"), [
    (SUGGESTED, False, False, "待确认"),
    (SUGGESTED, True, True, AUTO_LABEL),  # found with certainty: in force until rejected
    (CONFIRMED, False, True, "已确认"),
    (REJECTED, True, False, "已否定"),
])
def test_link_in_force(state: str, certain: bool, active: bool, label: str) -> None:
    link = VersionLink("a", "b", "date", state, certain, None)
    assert (link.active, link.state_label) == (active, label)


def test_link_json_and_method_labels() -> None:
    assert VersionLink("a", "b", "same_title", SUGGESTED, False, None).method_label == "同名文件，版本日期较新"
    assert VersionLink("a", "b", "future", SUGGESTED, False, None).method_label == "future"
    data = _found("a", "b", certain=True).to_json()
    assert data == {"old_id": "a", "new_id": "b", "method": "stage", "method_label": "标题相同，起草阶段靠后",
                    "state": SUGGESTED, "state_label": AUTO_LABEL, "certain": True, "active": True, "overlap": 0.8,
                    "old_title": "a 标题", "new_title": "b 标题", "created_at": "", "updated_at": ""}


def test_record_stores_new_links_once(store: UserStore) -> None:
    links = VersionLinks(store)
    assert links.all() == [] and links.get("a", "b") is None
    new = links.record([_found("a", "b", certain=True), _found("c", "d")])
    assert [(x.old_id, x.new_id, x.certain, x.state) for x in new] == [("a", "b", True, SUGGESTED),
                                                                       ("c", "d", False, SUGGESTED)]
    assert new[0].created_at and new[0].old_title == "a 标题"
    seq = _seq(store)
    assert links.record([_found("a", "b"), _found("c", "d")]) == []  # nothing new: no write at all
    assert _seq(store) == seq
    assert [(x.old_id, x.new_id) for x in links.all()] == [("a", "b"), ("c", "d")]


def test_the_user_decides_and_detection_never_overrides(store: UserStore) -> None:
    links = VersionLinks(store)
    links.record([_found("a", "b", certain=True)])
    rejected = links.set_state("a", "b", REJECTED)
    assert rejected.state == REJECTED and not rejected.active
    links.record([_found("a", "b", certain=True)])  # found again on the next refresh
    assert links.get("a", "b") == rejected
    seq = _seq(store)
    assert links.set_state("a", "b", REJECTED) == rejected and _seq(store) == seq  # no change, no write
    assert links.set_state("a", "b", SUGGESTED).active  # undo: back to the detected, certain link


def test_confirming_an_unknown_pair_makes_a_manual_link(store: UserStore) -> None:
    links = VersionLinks(store)
    link = links.set_state("old", "new", CONFIRMED, old_title="征求意见稿", new_title="正式稿")
    assert (link.method, link.state, link.certain, link.overlap, link.method_label) == (
        "manual", CONFIRMED, False, None, "手工关联")
    assert (link.old_title, link.new_title) == ("征求意见稿", "正式稿")
    with pytest.raises(NotFoundError, match="没有这条版本关联"):
        links.set_state("x", "y", REJECTED)
    with pytest.raises(PolicyDeskError, match="未知的版本关联状态"):
        links.set_state("old", "new", "maybe")
    with pytest.raises(PolicyDeskError, match="它自己"):
        links.set_state("old", "old", CONFIRMED)
    assert len(links.all()) == 1
