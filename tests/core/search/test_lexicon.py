"""The merged search lexicon: curated policy terms, pairs mined from the corpus, and 同义词词林."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.core.normalize import compact, fold
from app.core.paths import bundle_root
from app.core.search import lexicon, synonyms
from app.core.search.lexicon import LoadedSource
from app.core.search.synonyms import MAX_ALTERNATIVES, Synonyms

ROOT = bundle_root()
RESOURCES = ROOT / "resources"
LEXICON_FILES = ["lexicon/policy.json", "lexicon/mined.json", "lexicon/cilin.json", "lexicon/broader.json"]
KINDS = {"abbrev", "short", "colloquial", "variant", "renamed", "law", "unit", "concept"}


def _key(s: str) -> str:
    return compact(fold(s))


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RESOURCES / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def syn() -> Synonyms:
    return synonyms.load(RESOURCES)


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_lexicon", ROOT / "scripts" / "build_lexicon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# -- the files ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", LEXICON_FILES)
def test_every_entry_has_a_category_and_a_source(name: str) -> None:
    data = _read(name)
    assert data["version"] == 1 and data["about"]
    for entry in [*data["groups"], *data["oneway"]]:
        assert entry.get("category"), entry
        assert entry.get("source") or entry.get("reason"), entry


@pytest.mark.parametrize("name", LEXICON_FILES)
def test_no_single_word_group_and_no_duplicates(name: str) -> None:
    data = _read(name)
    seen: set[frozenset[str]] = set()
    for g in data["groups"]:
        ks = [_key(t) for t in g["terms"]]
        assert len(ks) >= 2 and all(ks), g
        assert len(set(ks)) == len(ks), g  # no two spellings that fold alike
        assert frozenset(ks) not in seen, g
        seen.add(frozenset(ks))
    froms = [_key(w["from"]) for w in data["oneway"]]
    assert len(froms) == len(set(froms))
    for w in data["oneway"]:
        assert w["to"] and all(_key(t) and _key(t) != _key(w["from"]) for t in w["to"]), w


def test_policy_lexicon_is_organised_and_new() -> None:
    data = _read("lexicon/policy.json")
    assert len(data["groups"]) >= 300
    categories = set(data["about"]["categories"])
    terms_seen: dict[str, int] = {}
    for i, g in enumerate(data["groups"]):
        assert g["kind"] in KINDS and g["category"] in categories, g
        for k in (_key(t) for t in g["terms"]):
            assert k not in terms_seen, f"{k} is in policy groups {terms_seen[k]} and {i}"
            terms_seen[k] = i
    for w in data["oneway"]:
        assert w["kind"] in KINDS and w["category"] in categories, w
    # nothing merely repeats a group of the original dictionary
    original = {frozenset(_key(t) for t in g["terms"]) for g in _read(synonyms.SYNONYMS_FILE)["groups"]}
    for g in data["groups"]:
        assert not any(frozenset(_key(t) for t in g["terms"]) <= o for o in original), g


def test_cilin_keeps_only_library_words_longer_than_one_character() -> None:
    data = _read("lexicon/cilin.json")
    count = data["about"]["count"]
    assert count["kept"] == len(data["groups"]) and count["equal_groups_in_file"] > count["kept"]
    for g in data["groups"]:
        assert g["source"].startswith("词林 ") and g["source"].endswith("="), g
        assert all(len(t) >= 2 for t in g["terms"]), g
    stop_words = {"进行", "开展", "加强", "问题", "情况", "处罚", "许可", "法规"}
    assert not stop_words & {t for g in data["groups"] for t in g["terms"]}


def test_broader_lexicon_names_a_class_for_a_thing_with_a_reason() -> None:
    data = _read("lexicon/broader.json")
    assert data["groups"] == [] and data["about"]["count"]["oneway"] == len(data["oneway"]) >= 60
    categories = set(data["about"]["categories"])
    for w in data["oneway"]:
        assert w["kind"] == "broader" and w["category"] in categories and len(w["reason"]) >= 4, w
        assert all(_key(t) != _key(w["from"]) for t in w["to"]), w


# -- merging and weights ------------------------------------------------------------------------------
def test_load_merges_every_source(syn: Synonyms) -> None:
    counts = [len(_read(name)["groups"]) for name in [synonyms.SYNONYMS_FILE, *LEXICON_FILES]]
    assert len(syn) == sum(counts) >= 600
    assert "危险废物" in syn.expand("危废")  # synonyms.json
    assert "碳边境调节机制" in syn.expand("CBAM")  # policy.json
    assert "陆地污染源" in syn.expand("陆源")  # mined.json
    assert "检举" in syn.expand("举报")  # cilin.json


def test_weights_follow_the_source(syn: Synonyms) -> None:
    assert dict(syn.expand_weighted("CBAM"))["碳边境调节机制"] == 1.0
    assert dict(syn.expand_weighted("陆源"))["陆地污染源"] == 0.9
    assert dict(syn.expand_weighted("举报"))["检举"] == 0.5
    for key in list(syn.whole)[:400]:
        pairs = syn.expand_weighted(key)
        assert [a for a, _ in pairs] == syn.expand(key)
        ws = [w for _, w in pairs]
        assert ws == sorted(ws, reverse=True), key  # the most trusted first
        assert len(pairs) <= MAX_ALTERNATIVES


def test_curated_alternatives_come_before_cilin() -> None:
    s = Synonyms.from_sources([
        LoadedSource({"groups": [{"terms": ["甲乙", "丙丁"]}]}, 0.5, True),
        LoadedSource({"groups": [{"terms": ["甲乙", "戊己"]}]}, 1.0, False),
    ])
    assert s.expand_weighted("甲乙") == [("戊己", 1.0), ("丙丁", 0.5)]


def test_contained_replacement_carries_the_entry_weight() -> None:
    s = Synonyms.from_data({"groups": [{"terms": ["危废", "危险废物"]}]}, weight=0.9)
    assert ("危险废物处置", 0.9) in s.expand_weighted("危废处置")


def test_cilin_and_mined_entries_are_whole_term_only(syn: Synonyms) -> None:
    assert "检举" in syn.expand("举报")
    assert not any("检举" in a for a in syn.expand("举报奖励"))  # 举报 inside a longer term: no 词林
    assert "陆地污染源" in syn.expand("陆源")
    assert not any("陆地污染源" in a for a in syn.expand("陆源污染物"))
    only_whole = Synonyms.from_sources([LoadedSource({"groups": [{"terms": ["举报", "检举"]}]}, 0.5, True)])
    assert only_whole.expand("举报") == ["检举"] and only_whole.expand("举报电话") == []


def test_a_class_is_an_inference_found_for_the_whole_term_or_a_piece_of_it(syn: Synonyms) -> None:
    # PFAS -> 新污染物, 医疗废物 -> 危险废物 (国家危险废物名录 HW01), at the broader lexicon's weight
    assert dict(syn.expand_weighted("PFAS"))["新污染物"] == lexicon.BROADER_WEIGHT
    assert dict(syn.expand_weighted("医疗废物"))["危险废物"] == lexicon.BROADER_WEIGHT
    assert syn.classes_inside("医疗废物") == [("医疗废物", "危险废物")] and syn.classes_inside("pfas") == [("PFAS", "新污染物")]
    assert syn.classes_inside("小诊所的医疗废物怎么收") == [("医疗废物", "危险废物")]
    assert syn.classes_inside("危废") == [] and syn.classes_inside("") == []
    # Inside a longer term a thing keeps its synonyms (医废) but not its class: 医院危险废物 would cover 医院 too.
    inside = syn.expand("医院医疗废物")
    assert "医院医废" in inside and not any("危险废物" in a for a in inside)
    s = Synonyms.from_sources([
        LoadedSource({"groups": [{"terms": ["医废", "医疗废物"]}]}, 1.0, False),
        LoadedSource({"oneway": [{"from": "医疗废物", "to": ["危险废物"]}]}, 0.6, True, inferred=True),
    ])
    assert s.expand_weighted("医疗废物") == [("医废", 1.0), ("危险废物", 0.6)]
    assert s.expand_weighted("医疗废物处置") == [("医废处置", 1.0), ("医废", 1.0)]
    assert s.classes_inside("医疗废物处置") == [("医疗废物", "危险废物")] and s.is_class_of("危险废物", "医疗废物处置")
    assert not s.is_class_of("医废", "医疗废物")
    # a class another source gives the text itself as a synonym is that synonym, not an inference
    both = Synonyms.from_sources([
        LoadedSource({"groups": [{"terms": ["河长制", "河湖长制"]}]}, 1.0, False),
        LoadedSource({"oneway": [{"from": "河长", "to": ["河湖长制"]}]}, 0.6, True, inferred=True),
    ])
    assert both.classes_inside("河长制") == [] and both.classes_inside("河长") == [("河长", "河湖长制")]


def test_existing_expand_contract_is_kept(syn: Synonyms) -> None:
    assert syn.expand("节能") == ["节约能源"]  # whole_only groups stay whole-only when merged
    assert syn.expand("功能评价") == []
    assert syn.expand("") == [] and syn.expand_weighted("  ") == []
    assert "噪声投诉" in syn.expand("噪音投诉")


def test_merged_load_is_cached(tmp_path: Path) -> None:
    # Its speed (~20 ms) is a benchmark figure, not a unit test: a loaded CI machine took 0.87 s once.
    synonyms._load.cache_clear()
    first = synonyms.load(RESOURCES)
    assert synonyms.load(str(RESOURCES)) is first
    assert len(synonyms.load(tmp_path)) == 0


def test_a_missing_lexicon_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "synonyms.json").write_text(json.dumps({"groups": [{"terms": ["甲乙", "丙丁"]}]}), encoding="utf-8")
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "cilin.json").write_text("{not json", encoding="utf-8")
    loaded = lexicon.read_sources(tmp_path)
    assert [s.weight for s in loaded] == [1.0]
    assert Synonyms.from_sources(loaded).expand("甲乙") == ["丙丁"]


# -- mining -------------------------------------------------------------------------------------------
SAMPLE = """# 示例条例

第一条 为了深入实施长江三角洲区域（以下简称长三角）一体化发展战略，制定本条例。

第二条 本条例适用于本市行政区域内节约能源（以下简称“节能”）的活动。上海市水务局（以下简称市水务局）负责实施。

第三条 根据《中华人民共和国环境保护税法》(以下简称环境保护税法)，本条例所称陆地污染源(简称陆源)，是指从陆地向海域排放污染物的场所。

第四条 生活垃圾分为：（一）湿垃圾，即易腐垃圾，（二）干垃圾，即其他垃圾，（三）防洪工程设施未经验收，即将建设项目投入使用的。

第五条 本条例所称古树，是指树龄在一百年以上的树木。本条例所称绿化市容，是指绿化和市容管理。
"""


def test_mined_pairs_round_trip(build: ModuleType) -> None:
    pairs = {(p.short, p.full): p for p in build.mine_text(SAMPLE, "示例条例")}
    assert ("长三角", "长江三角洲区域") in pairs
    assert ("节能", "节约能源") in pairs
    assert ("陆源", "陆地污染源") in pairs
    assert ("湿垃圾", "易腐垃圾") in pairs and ("干垃圾", "其他垃圾") in pairs
    assert pairs[("长三角", "长江三角洲区域")].source == "示例条例 第一条"
    assert pairs[("陆源", "陆地污染源")].source == "示例条例 第三条"
    shorts = {s for s, _ in pairs}
    assert "市水务局" not in shorts  # only a qualifier dropped: a local definition, not a synonym
    assert "环境保护税法" not in shorts  # the title minus 中华人民共和国: same
    assert "防洪工程设施未经验收" not in shorts and "古树" not in shorts  # 即将…; a long definition


def test_full_name_cut(build: ModuleType) -> None:
    assert build.full_name("为了深入实施长江三角洲区域", "长三角") == "长江三角洲区域"
    assert build.full_name("第六条 市环境保护行政主管部门", "市环保部门") == "市环境保护行政主管部门"
    assert build.full_name("上海市会同江苏省、浙江省", "两省一市") is None  # characters not in order
    assert build.full_name("上海市水务局", "市水务局") is None


def test_mined_file_is_deterministic(build: ModuleType, tmp_path: Path) -> None:
    build.main(["--out", str(tmp_path)])
    again = json.loads((tmp_path / "mined.json").read_text(encoding="utf-8"))
    build.main(["--out", str(tmp_path)])
    assert json.loads((tmp_path / "mined.json").read_text(encoding="utf-8")) == again
    pairs = [tuple(g["terms"]) for g in again["groups"]]
    assert pairs == sorted(pairs) and ("陆源", "陆地污染源") in pairs
    # the shipped file adds pairs from an extra law folder (which may pick a shorter common full name:
    # 长三角 → 长江三角洲), but keeps every abbreviation the shipped corpus declares
    shipped = {g["terms"][0] for g in _read("lexicon/mined.json")["groups"]}
    assert {short for short, _ in pairs} <= shipped
