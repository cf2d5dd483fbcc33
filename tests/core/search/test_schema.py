"""app.core.search.schema: the fields of the index, their analyzers and weights, and the version that forces
a rebuild."""

from __future__ import annotations

import pickle

from whoosh.fields import ID, KEYWORD, TEXT

from app.core.search import scoring
from app.core.search.analysis import WordTokenizer
from app.core.search.schema import HEAD_BOOST, PATH_BOOST, SCHEMA_VERSION, make_schema

TEXT_FIELDS = ("words", "head", "anc", "path")


def test_the_fields() -> None:
    s = make_schema()
    assert sorted(s.names()) == sorted(
        ["id", "doc", "kind", "level", "words", "head", "anc", "path", "dept", "year", "has_ind"])
    assert {n for n in s.names() if s[n].stored} == {"id", "doc", "kind"}  # what a hit reads back
    assert s["id"].unique and not s["doc"].unique
    for name in ("id", "doc", "kind", "level", "has_ind"):
        assert isinstance(s[name], ID), name
    for name in ("dept", "year"):
        assert isinstance(s[name], KEYWORD) and not s[name].scorable, name


def test_text_fields_use_our_word_analyzer_without_positions() -> None:
    s = make_schema()
    for name in TEXT_FIELDS:
        f = s[name]
        assert isinstance(f, TEXT) and isinstance(f.analyzer, WordTokenizer), name
        assert f.scorable and not f.supports("positions"), name  # phrases are the literal index's job
        assert list(f.process_text("推进碳达峰工作")) == ["推进", "碳达峰", "工作"], name


def test_facet_fields_split_on_commas() -> None:
    dept = make_schema()["dept"]
    assert [t.text for t in dept.analyzer("市生态环境局,市发展改革委")] == ["市生态环境局", "市发展改革委"]


def test_headings_weigh_more_than_body_and_the_breadcrumb_less() -> None:
    assert HEAD_BOOST > 1.0 > PATH_BOOST > 0.0
    s = make_schema()
    boosts = {n: s[n].format.field_boost for n in s.names()}
    assert boosts["head"] == HEAD_BOOST and boosts["path"] == PATH_BOOST
    assert boosts["words"] == boosts["anc"] == 1.0


def test_the_numpy_scorer_applies_the_schemas_boosts() -> None:
    assert scoring.FIELD_BOOSTS == {"head": HEAD_BOOST, "path": PATH_BOOST}


def test_the_version_is_a_positive_int_the_current_layout_needs() -> None:
    # 4: the literal index lives in the generation's own files (see the history above SCHEMA_VERSION).
    assert isinstance(SCHEMA_VERSION, int) and SCHEMA_VERSION >= 4


def test_every_call_gives_an_equal_schema_that_pickles() -> None:
    """whoosh stores the pickled schema in the index: it must load back with the same fields and analyzer."""
    s = make_schema()
    assert s == make_schema()
    data = pickle.dumps(s)
    assert b"app.core.search.analysis" in data
    back = pickle.loads(data)
    assert back == s
    assert list(back["words"].process_text("海上风电装机容量")) == ["海上风电", "装机容量"]
