"""Segment files read in place (app.core.search.mapped): the same bytes as whoosh's BytesIO copy."""

from __future__ import annotations

import io
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.search.indexer import IndexStore
from app.core.search.mapped import MappedFile, ViewReader

OPS = st.lists(st.one_of(
    st.tuples(st.just("read"), st.integers(-1, 300)),
    st.tuples(st.just("readline"), st.integers(-1, 300)),
    st.tuples(st.just("readinto"), st.integers(0, 300)),
    st.tuples(st.just("seek0"), st.integers(0, 5000)),
    st.tuples(st.just("seek1"), st.integers(-50, 300)),
    st.tuples(st.just("seek2"), st.integers(-300, 10)),
), max_size=40)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=5000) | st.lists(st.binary(max_size=200), max_size=30).map(b"\n".join), ops=OPS)
def test_view_reader_reads_what_bytesio_reads(data: bytes, ops: list[tuple[str, int]]) -> None:
    """Every read, line, seek and position equals io.BytesIO's over the same bytes (lines longer than the
    reader's search chunk included)."""
    data = data * 3 if len(data) > 1500 else data  # some views longer than a line-search chunk
    ours, ref = ViewReader(memoryview(data)), io.BytesIO(data)
    for op, n in ops:
        if op == "read":
            assert ours.read(n) == ref.read(n)
        elif op == "readline":
            assert ours.readline(n) == ref.readline(n)
        elif op == "readinto":
            a, b = bytearray(n), bytearray(n)
            assert ours.readinto(a) == ref.readinto(b)
            assert a == b
        else:
            whence = int(op[-1])
            target = {0: n, 1: ref.tell() + n, 2: len(data) + n}[whence]
            if target < 0:
                continue  # BytesIO refuses a negative position too (it is never asked for one)
            assert ours.seek(n, whence) == ref.seek(n, whence)
        assert ours.tell() == ref.tell()
    assert list(ViewReader(memoryview(data))) == list(io.BytesIO(data))


def test_pickles_load_through_the_view() -> None:
    """Pickles short and longer than the reading window, back to back, and the position after each."""
    values = [{"a": [1, 2, 3], "b": "碳达峰"}, list(range(5000)), (1, 2.5, None), "x" * 300]
    blob = b"".join(pickle.dumps(v, protocol=p) for v in values for p in (2, pickle.HIGHEST_PROTOCOL)) + b"tail"
    f = MappedFile(memoryview(blob))
    for v in values:
        assert f.read_pickle() == v
        assert f.read_pickle() == v
    assert f.read(4) == b"tail"


def test_a_damaged_pickle_raises() -> None:
    f = MappedFile(memoryview(pickle.dumps(list(range(100)))[:-5]))
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        f.read_pickle()


def test_an_opened_index_reads_its_segments_in_place(small_store: IndexStore) -> None:
    """The index the app opens reads its terms and postings through MappedFile (no copy of the map), and
    finds what it holds."""
    ix = small_store.open()
    try:
        with ix.searcher() as s:
            r = s.reader()
            files = [getattr(sr, "_terms", None) for sr in (r.readers if hasattr(r, "readers") else [r])]
            dbfiles = [t._dbfile for t in files if t is not None]
            assert dbfiles and all(isinstance(f, MappedFile) for f in dbfiles)
            terms = list(r.lexicon("words"))
            assert terms and all(len(list(r.postings("words", t).all_ids())) == r.doc_frequency("words", t)
                                 for t in terms)
    finally:
        ix.close()
