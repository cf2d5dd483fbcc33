"""Fixtures shared by the tests of the index reads and of scoring: a small real index (index_fixtures.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.search.indexer import IndexStore
from app.core.search.searcher import Generation
from tests.core.search.index_fixtures import build_small, open_generation


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> IndexStore:
    """The small index, built once per test module."""
    return build_small(tmp_path_factory.mktemp("small") / "index")


@pytest.fixture
def g(small_store: IndexStore) -> Iterator[Generation]:
    """A fresh generation per test (its literal index has its own lookup cache, which the literal budget reads)."""
    gen = open_generation(small_store)
    yield gen
    gen.searcher.close()
