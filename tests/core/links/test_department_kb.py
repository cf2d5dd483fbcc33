"""The department knowledge base: loading, canonical names, descriptor stems by level, and the text scan."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import PolicyDeskError
from app.core.links.department_kb import (
    LOCAL,
    NATIONAL,
    DepartmentEntry,
    DepartmentKB,
    _alternation,
    _finditer,
    _flat_alternation,
    _scan,
    _stem,
)

RESOURCES = Path(__file__).resolve().parents[3] / "resources"

KB: dict[str, Any] = {
    "version": "t1",
    "prefixes": {"国家": ["国务院", "国家"], "市": ["本市", "市"], "区": ["各区", "区"],
                 "市和区": ["市和区", "市、区", "地方"]},
    "generic_actors": [
        {"canonical": "各区", "aliases": ["各区政府"], "patterns": []},
        {"canonical": "市相关部门", "aliases": [], "patterns": ["市(?:有关|相关)部门"]},
    ],
    "entries": [
        {"canonical": "市生态环境局", "level": "市", "kind": "市政府组成部门", "full_name": "上海市生态环境局",
         "aliases": ["上海市生态环境局"], "descriptors": ["生态环境部门", "生态环境主管部门"], "duties": ["大气污染"],
         "district": "区生态环境部门"},
        {"canonical": "区生态环境部门", "level": "区", "descriptors": ["生态环境部门"], "counterpart": "市生态环境局"},
        {"canonical": "生态环境部", "level": "国家", "aliases": ["环境保护部"], "descriptors": ["生态环境主管部门"]},
        {"canonical": "市发展改革委", "level": "市", "aliases": ["市发改委"], "descriptors": ["发展改革部门"]},
        {"canonical": "市公安局", "level": "市", "descriptors": ["公安机关"]},
        {"canonical": "财政部", "level": "国家"},
        {"canonical": "市财政局", "level": "市", "descriptors": ["财政部门"]},
    ],
}


@pytest.fixture(scope="module")
def kb() -> DepartmentKB:
    return DepartmentKB.from_dict(KB)


def _hits(text: str, kb: DepartmentKB, level: str | None = None) -> list[tuple[str, tuple[str, ...], bool]]:
    return [(text[h.start : h.end], h.names, h.kind) for h in _scan(text, kb, level)]


def test_helpers() -> None:
    assert (NATIONAL, LOCAL) == ("国家", "市")
    assert _stem("生态环境行政主管部门") == "生态环境" and _stem("公安机关") == "公安" and _stem("部门") == "部门"
    assert _flat_alternation(["财政部", "财政部门", "a", ""]) == "财政部门|财政部(?!门)|a"  # longest first; 部 never eats 部门
    assert _alternation(["财政部", "财政部门", "a", ""]) == "(?:a|财政部(?:门|(?!门)))"  # the same as a trie


def test_entries(kb: DepartmentKB) -> None:
    assert kb.version == "t1" and len(kb.entries) == 7
    entry = kb.entry("市生态环境局")
    assert isinstance(entry, DepartmentEntry)
    assert (entry.level, entry.kind, entry.full_name, entry.duties, entry.district) == (
        "市", "市政府组成部门", "上海市生态环境局", ("大气污染",), "区生态环境部门")
    counterpart = kb.entry("区生态环境部门")
    assert counterpart is not None and counterpart.counterpart == "市生态环境局" and counterpart.aliases == ()
    assert kb.entry("各区") is None  # generic actors have no entry


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("市发改委", "市发展改革委"),
        ("上海市生态环境局", "市生态环境局"),
        ("市生态环境部门", "市生态环境局"),
        ("生态环境部门", "市生态环境局"),  # no prefix: this city's body
        ("区生态环境部门", "区生态环境部门"),
        ("国务院生态环境主管部门", "生态环境部"),
        ("环境保护部", "生态环境部"),
        ("公安机关", "市公安局"),
        ("财政部", "财政部"),
        ("财政部门", "市财政局"),
        ("各区政府", "各区"),
        ("市有关部门", "市相关部门"),
        ("  市发改委 ", "市发展改革委"),
        ("市发改委负责", None),  # the whole name must match
        ("", None),
        ("不存在的单位", None),
    ],
)
def test_canonical(kb: DepartmentKB, name: str, canonical: str | None) -> None:
    assert kb.canonical(name) == canonical


def test_canonical_of_a_non_string(kb: DepartmentKB) -> None:
    assert kb.canonical(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "generic"),
    [("各区", True), ("各区政府", True), ("市相关部门", True), ("地方生态环境主管部门", True), ("各级公安机关", True),
     ("各地财政部门", True), ("市生态环境局", False), ("各地风景", False), ("随便", False)],
)
def test_is_generic(kb: DepartmentKB, name: str, generic: bool) -> None:
    assert kb.is_generic(name) is generic


def test_stems_by_level(kb: DepartmentKB) -> None:
    assert kb.stem_key("发展改革") == "发展改革"
    assert kb.stem_key("生态环境管理") == "生态环境"
    assert kb.stem_key("生态环境（海洋）") == "生态环境"
    assert kb.stem_key("农业") is None
    assert kb.resolve_stem("生态环境", ["市", "区"]) == ["市生态环境局", "区生态环境部门"]
    assert kb.resolve_stem("生态环境", ["国家"]) == ["生态环境部"]
    assert kb.resolve_stem("发展改革", ["区"]) == []  # no district body known: no guess
    assert kb.resolve_stem("农业", ["市"]) == []


def test_scan_enumerations_share_prefix_and_suffix(kb: DepartmentKB) -> None:
    assert _hits("市和区生态环境、发展改革部门会同市公安局负责", kb) == [
        ("市和区生态环境、发展改革部门", ("市生态环境局", "区生态环境部门", "市发展改革委"), False),
        ("市公安局", ("市公安局",), False),
    ]
    assert _hits("财政部和市财政局、财政部门", kb) == [
        ("财政部", ("财政部",), False), ("市财政局", ("市财政局",), False), ("财政部门", ("市财政局",), False)]
    assert _hits("市有关部门和各区政府", kb) == [("市有关部门", ("市相关部门",), False), ("各区政府", ("各区",), False)]
    assert _hits("没有单位的句子。", kb) == []


def test_scan_in_a_national_text(kb: DepartmentKB) -> None:
    assert _hits("地方生态环境主管部门", kb, NATIONAL) == [("地方生态环境主管部门", ("地方生态环境主管部门",), True)]
    assert _hits("国务院生态环境主管部门", kb, NATIONAL) == [("国务院生态环境主管部门", ("生态环境部",), False)]
    assert _hits("环境保护部与市发改委", kb, NATIONAL) == [("环境保护部", ("生态环境部",), False), ("市发改委", (), False)]


def test_load_the_shipped_knowledge_base() -> None:
    kb = DepartmentKB.load(RESOURCES / "departments.json")
    assert kb.version and len(kb.entries) > 100
    assert len({e.canonical for e in kb.entries}) == len(kb.entries)
    assert kb.canonical("市发改委") == "市发展改革委"
    levels = {e.level for e in kb.entries}
    assert {"国家", "市", "区"} <= levels


def test_load_errors_are_chinese(tmp_path: Path) -> None:
    with pytest.raises(PolicyDeskError, match="部门知识库无法读取"):
        DepartmentKB.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PolicyDeskError, match="部门知识库无法读取"):
        DepartmentKB.load(bad)
    no_name = tmp_path / "no_name.json"
    no_name.write_text(json.dumps({"entries": [{"level": "市"}]}), encoding="utf-8")
    with pytest.raises(PolicyDeskError):
        DepartmentKB.load(no_name)


@pytest.fixture(scope="module")
def shipped_kb() -> DepartmentKB:
    return DepartmentKB.load(RESOURCES / "departments.json")


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(["市", "区", "各级", "地方", "生态环境", "主管部门", "部门", "和", "、", "及",
                                        "发展改革", "公安", "机关", "财政部", "门", "（试点）", "有关", "人民政府", "，",
                                        "卫生健康", "管理", "机构", "国务院", "海关", "x"]), max_size=40))
def test_descriptor_scan_finds_what_finditer_finds(shipped_kb: DepartmentKB, pieces: list[str]) -> None:
    """The descriptor pattern tried only where a prefix, literal or stem can begin gives finditer's matches."""
    text = "".join(pieces)
    expected = [(m.span(), m.groupdict()) for m in shipped_kb._desc_re.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in _finditer(shipped_kb._desc_re, shipped_kb._desc_start, text)] == expected


def test_descriptor_scan_over_real_text(shipped_kb: DepartmentKB) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((RESOURCES.parent / "corpus" / "laws").glob("*.md"))[:6])
    expected = [(m.span(), m.groupdict()) for m in shipped_kb._desc_re.finditer(text)]
    assert expected  # the regulation names some departments
    assert [(m.span(), m.groupdict()) for m in _finditer(shipped_kb._desc_re, shipped_kb._desc_start, text)] == expected


WORD_CHARS = "市环保局部门财政委a"


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(alphabet=WORD_CHARS, min_size=1, max_size=5), max_size=12),
       text=st.text(alphabet=WORD_CHARS + "，", max_size=40), tail=st.sampled_from(["", "局", "(?:门|委)", "[市局]?委"]))
def test_the_trie_alternation_matches_as_the_flat_one_longest_first(words: list[str], text: str, tail: str) -> None:
    """The same matches (and groups), alone and followed by more pattern that may make it back off to a shorter word."""
    for pattern in (f"(?P<w>{{}}){tail}", f"(?P<p>{{}})?(?P<w>{{}}){tail}"):
        trie = re.compile(pattern.format(*[_alternation(words)] * pattern.count("{}")))
        flat = re.compile(pattern.format(*[_flat_alternation(words)] * pattern.count("{}")))
        assert [(m.span(), m.groupdict()) for m in trie.finditer(text)] == \
               [(m.span(), m.groupdict()) for m in flat.finditer(text)]
