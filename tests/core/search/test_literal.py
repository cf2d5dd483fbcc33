"""The literal index against the naive scan it replaced: the same clauses for every needle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.search import literal
from app.core.search.literal import FORMAT_VERSION, META_FILE, LiteralIndex, key_of

# A small alphabet makes repeats, overlaps (ABAB, AAA) and near misses common; a few CJK, full-width and
# astral characters exercise folding and code points beyond the BMP.
ALPHABET = "ab" + "碳达峰" + "Ａ１" + " \n" + "\U00020000"
texts = st.lists(st.text(alphabet=ALPHABET, max_size=24), max_size=12)


def naive(items: list[tuple[str, str]], needle: str) -> tuple[str, ...]:
    return tuple(cid for cid, text in items if needle in key_of(text)) if needle else ()


def _items(bodies: list[str]) -> list[tuple[str, str]]:
    return [(f"d/{i}", t) for i, t in enumerate(bodies)]


@settings(max_examples=300, deadline=None)
@given(bodies=texts, needles=st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=6), max_size=8),
       data=st.data())
def test_index_agrees_with_the_naive_scan(bodies: list[str], needles: list[str], data: st.DataObject) -> None:
    items = _items(bodies)
    ix = LiteralIndex.build(items)
    keys = [key_of(t) for t in bodies]
    # Needles cut from the keys themselves (always found) and random ones (mostly missing).
    for k in keys:
        if k:
            start = data.draw(st.integers(0, len(k) - 1))
            needles.append(k[start : start + data.draw(st.integers(1, 8))])
    for needle in needles:
        key = key_of(needle)
        assert ix.find(key) == naive(items, key), key
        assert ix.find(key) == naive(items, key)  # the cached answer too


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=texts, part=st.integers(1, 7))
def test_a_build_in_many_partitions_agrees(monkeypatch: pytest.MonkeyPatch, bodies: list[str], part: int) -> None:
    """The build sorts a few million positions at a time: cut small, every partition boundary is crossed."""
    monkeypatch.setattr(literal, "_PART", part)
    items = _items(bodies)
    ix = LiteralIndex.build(items)
    for k in {key_of(t)[i : i + n] for t in bodies for i in range(len(key_of(t))) for n in (1, 2, 3, 5)}:
        assert ix.find(k) == naive(items, k), k


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=texts)
def test_save_load_round_trip(tmp_path: Path, bodies: list[str]) -> None:
    items = _items(bodies)
    ix = LiteralIndex.build(items)
    ix.save(tmp_path)
    assert LiteralIndex.exists(tmp_path)
    back = LiteralIndex.load(tmp_path)
    assert back.ids == ix.ids
    for k in {key_of(t)[i : i + n] for t in bodies for i in range(len(key_of(t))) for n in (1, 2, 3)}:
        assert back.find(k) == ix.find(k) == naive(items, k)


def test_edge_cases() -> None:
    ix = LiteralIndex.build([])
    assert len(ix) == 0 and ix.find("碳") == () and ix.find("碳达峰") == ()
    ix = LiteralIndex.build([("a", "碳达峰"), ("b", ""), ("c", "峰碳"), ("d", "碳 达\n峰")])
    assert ix.find("碳达峰") == ("a", "d")
    assert ix.find("峰碳") == ("c",)  # not across the end of "a" and the start of "c"
    assert ix.find("碳") == ("a", "c", "d")
    assert ix.find("") == () and ix.find("碳\x00") == () and ix.find("无") == ()
    assert not ix.cached("碳达") and ix.find("碳达") and ix.cached("碳达")


def test_loaded_ids_are_read_on_first_use_and_only_from_the_file_that_was_opened(tmp_path: Path) -> None:
    items = [("d/0", "碳达峰"), ("d/1", "碳中和"), ("d/2", "无废城市")]
    LiteralIndex.build(items).save(tmp_path)
    back = LiteralIndex.load(tmp_path)
    assert len(back) == 3 and callable(back._ids)  # opening reads no ids (10 MB on the full library)
    assert back.find("碳") == ("d/0", "d/1")
    assert back.ids == ["d/0", "d/1", "d/2"] and not callable(back._ids)
    again = LiteralIndex.load(tmp_path)
    LiteralIndex.build([("x/0", "碳达峰"), ("x/1", "其他")]).save(tmp_path)  # an update rewrites the files
    with pytest.raises(ValueError):
        _ = again.ids  # never the new file's ids under the old arrays


def test_an_older_format_is_not_taken_for_an_index(tmp_path: Path) -> None:
    LiteralIndex.build([("a", "碳达峰")]).save(tmp_path)
    meta = json.loads((tmp_path / META_FILE).read_text(encoding="utf-8"))
    (tmp_path / META_FILE).write_text(json.dumps({**meta, "version": FORMAT_VERSION - 1}), encoding="utf-8")
    assert not LiteralIndex.exists(tmp_path)
    (tmp_path / META_FILE).unlink()
    assert not LiteralIndex.exists(tmp_path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=texts, tags=st.lists(st.integers(0, 255), min_size=12, max_size=12))
def test_keys_and_tags_are_kept_row_by_row_through_save_and_load(tmp_path: Path, bodies: list[str],
                                                                 tags: list[int]) -> None:
    """The re-rank reads a clause's key and tag from the index instead of folding the clause."""
    keys = [key_of(t) for t in bodies]
    ix = LiteralIndex.from_keys((f"d/{i}", k, tags[i]) for i, k in enumerate(keys))
    ix.save(tmp_path)
    for loaded in (ix, LiteralIndex.load(tmp_path)):
        assert [loaded.key(r) for r in range(len(keys))] == keys
        assert [loaded.tag(r) for r in range(len(keys))] == tags[: len(keys)]


@settings(max_examples=200, deadline=None)
@given(bodies=texts, pair=st.tuples(st.sampled_from(ALPHABET), st.sampled_from(ALPHABET)))
def test_gap_fills_count_what_a_scan_of_the_keys_finds(bodies: list[str], pair: tuple[str, str]) -> None:
    ix = LiteralIndex.build(_items(bodies))
    first, last = (key_of(c) or c for c in pair)
    want: dict[str, int] = {}
    for k in (key_of(t) for t in bodies):
        for i in range(len(k) - 2):
            if k[i] == first and k[i + 2] == last:
                want[k[i + 1]] = want.get(k[i + 1], 0) + 1
    assert ix.gap_fills(first, last) == want
