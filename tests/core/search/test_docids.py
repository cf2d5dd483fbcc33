"""The docnum -> clause id map read without parsing (app.core.search.docids)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.search.docids import ClauseIds

IDS = st.lists(st.none() | st.text(st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), min_size=1),
               max_size=40)


@given(ids=IDS)
def test_ids_read_back_as_written(ids: list[str | None]) -> None:
    blob = ClauseIds.encode(ids)
    assert blob is not None
    back = ClauseIds(blob)
    assert len(back) == len(ids)
    assert list(back) == ids
    assert [back[i] for i in range(len(ids))] == ids
    assert [back[-i] for i in range(1, len(ids) + 1)] == [ids[-i] for i in range(1, len(ids) + 1)]
    assert back[1:3] == ids[1:3]


def test_an_id_with_a_newline_is_not_written_as_lines() -> None:
    assert ClauseIds.encode(["a", "b\nc"]) is None
    assert ClauseIds.encode(["法/第一条", None]) == "法/第一条\n\n".encode()


@pytest.mark.parametrize("bad", [1, -2])
def test_out_of_range_raises_index_error(bad: int) -> None:
    ids = ClauseIds(b"a\n")
    with pytest.raises(IndexError):
        ids[bad]
