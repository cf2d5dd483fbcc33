"""app.core.userdata.drafts: editor text saved as it is typed. Real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.userdata import Draft, UserStore
from app.core.userdata.model import parse_iso


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def _seq(store: UserStore) -> int:
    return store._read(lambda c: int(c.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0]))


def test_save_get_overwrite(store: UserStore) -> None:
    assert store.get_draft("note:t1") is None
    assert store.save_draft("note:t1", "第一稿") == ""
    first = store.get_draft("note:t1")
    assert first is not None and (first.key, first.text) == ("note:t1", "第一稿")
    store.save_draft("note:t1", "第二稿\n多行")
    second = store.get_draft("note:t1")
    assert second == Draft("note:t1", "第二稿\n多行", second.updated_at)
    assert parse_iso(second.updated_at) >= parse_iso(first.updated_at)


def test_saving_odd_text_returns_a_notice(store: UserStore) -> None:
    assert store.save_draft("k", "a\x00b\ud800") != ""
    draft = store.get_draft("k")
    assert draft is not None and draft.text == "ab\ufffd"


def test_list_newest_first_and_clear(store: UserStore) -> None:
    for key in ("a", "b", "c"):
        store.save_draft(key, key * 3)
    store.save_draft("a", "again")  # now the newest
    assert [d.key for d in store.list_drafts()] == ["a", "c", "b"]
    before = _seq(store)
    store.clear_draft("b")
    assert _seq(store) == before + 1
    store.clear_draft("b")  # nothing to clear: not a change
    assert _seq(store) == before + 1
    assert [d.key for d in store.list_drafts()] == ["a", "c"] and store.get_draft("b") is None


def test_drafts_survive_a_reopen(tmp_path: Path) -> None:
    with UserStore(tmp_path / "user.db") as s:
        s.save_draft("comment:new", "未完成的意见")
    with UserStore(tmp_path / "user.db") as s:
        draft = s.get_draft("comment:new")
        assert draft is not None and draft.text == "未完成的意见"
