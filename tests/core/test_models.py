"""Plain data between the engine and its clients (app.core.models): invariants and JSON contracts."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, asdict

import pytest

from app.core.models import (
    CONTAINER_LEVELS,
    DUPLICATE,
    FILE_STATUS_LABELS,
    HEADED_LEVELS,
    KINDS,
    LEVEL_ARTICLE,
    LEVEL_ITEM,
    LEVEL_SECTION,
    LEVEL_TASK,
    OK,
    REFUSED,
    WARNING,
    Clause,
    Deadline,
    DepartmentLink,
    Document,
    FileOutcome,
    Indicator,
    SearchHit,
    SearchResult,
)


def clause(level: str, heading: str, text: str, path: tuple[str, ...] = ()) -> Clause:
    return Clause(id="d/1", doc_id="d", ordinal=1, level=level, number="1", number_value=1, heading=heading,
                  path=path, text=text)


def test_level_sets_and_kinds() -> None:
    assert not CONTAINER_LEVELS & HEADED_LEVELS
    assert {LEVEL_TASK, LEVEL_ITEM} == HEADED_LEVELS
    assert LEVEL_SECTION in CONTAINER_LEVELS and LEVEL_ARTICLE not in CONTAINER_LEVELS
    assert len(set(KINDS)) == len(KINDS) and {"规划", "法律", "其他"} <= set(KINDS)
    assert set(FILE_STATUS_LABELS) == {OK, WARNING, REFUSED, DUPLICATE}


def test_full_text_joins_the_heading_of_headed_levels_only() -> None:
    assert clause(LEVEL_TASK, "健全碳排放双控制度体系。", "建立统计核算体系。").full_text == \
        "健全碳排放双控制度体系。建立统计核算体系。"
    assert clause(LEVEL_ITEM, "", "只有正文。").full_text == "只有正文。"
    assert clause(LEVEL_ARTICLE, "立法目的", "为了……制定本条例。").full_text == "为了……制定本条例。"
    assert clause(LEVEL_SECTION, "加强监管", "正文。").full_text == "正文。"


def test_display_heading_prefers_the_path() -> None:
    assert clause(LEVEL_SECTION, "加强监管", "", ("四、…", "（一）加强监管")).display_heading == "（一）加强监管"
    assert clause(LEVEL_SECTION, "加强监管", "").display_heading == "加强监管"


def test_document_meta_does_not_count_for_equality() -> None:
    a = Document(id="x", title="T", kind="法律", meta={"horizon": 2030})
    b = Document(id="x", title="T", kind="法律", meta={})
    assert a == b and hash(a) == hash(b)
    assert a != Document(id="x", title="T", kind="法规")
    assert a.brief() == {"id": "x", "title": "T", "kind": "法律", "date": None, "status": ""}
    with pytest.raises(FrozenInstanceError):
        a.title = "U"  # type: ignore[misc]


def test_indicator_loads_older_json_without_the_optional_details() -> None:
    old = {"name": "森林覆盖率", "value": 15.0, "unit": "%", "comparator": ">=", "deadline": 2030, "quote": "…"}
    ind = Indicator(**old)
    assert (ind.baseline, ind.attribute, ind.qualitative, ind.deadline_source) == (None, "", False, "")
    assert Indicator(**asdict(ind)) == ind


def test_search_hit_json() -> None:
    hit = SearchHit(id="d/1", doc_id="d", doc_title="T", kind="规划", path=("一、", "1."), heading="h",
                    snippet="<mark>碳</mark>", score=1.234567,
                    departments=(DepartmentLink("市生态环境局", "lead", "explicit", 1.0, "（市生态环境局牵头）"),),
                    deadline=Deadline(2027, None, "explicit", "到2027年"))
    data = hit.to_json()
    assert data["score"] == 1.2346 and data["path"] == ["一、", "1."]
    assert data["departments"] == [{"name": "市生态环境局", "role": "lead", "source": "explicit", "confidence": 1.0,
                                    "evidence": "（市生态环境局牵头）"}]
    assert data["deadline"] == {"year": 2027, "date": None, "source": "explicit", "quote": "到2027年"}
    bare = SearchHit(id="d/1", doc_id="d", doc_title="T", kind="规划", path=(), heading="", snippet="", score=0.0)
    assert bare.to_json()["deadline"] is None and bare.to_json()["departments"] == []


def test_search_result_json_leaves_out_what_is_empty() -> None:
    empty = SearchResult(query="碳", total=0, hits=())
    assert empty.to_json() == {"query": "碳", "total": 0, "offset": 0, "hits": []}
    full = SearchResult(query="碳", total=3, hits=(), notices=("查询过长，已截断。",), facets={"kind": {"规划": 3}},
                        offset=20, suggestions=("碳达峰",), intent="indicator")
    data = full.to_json()
    assert data["notices"] == ["查询过长，已截断。"] and data["suggestions"] == ["碳达峰"]
    assert (data["intent"], data["facets"], data["offset"]) == ("indicator", {"kind": {"规划": 3}}, 20)
    assert "facets" in SearchResult(query="q", total=0, hits=(), facets={}).to_json()  # {} is not None


def test_file_outcome_label() -> None:
    assert FileOutcome("a.md", OK, "标题").label == "已导入"
    assert FileOutcome("b.pdf", REFUSED, "无法读取").label == "未能导入"
    assert FileOutcome("c.md", "strange", "?").label == "strange"
