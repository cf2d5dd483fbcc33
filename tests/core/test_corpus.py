"""Finding corpus files and their metadata (app.core.corpus): the manifest, added folders, kinds, ids."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.core.corpus import (
    MANIFEST,
    SourceFile,
    date_from_name,
    doc_id_for,
    guess_kind,
    load_manifest,
    make_document,
    reader_meta,
    scan,
    sha256_of,
)
from app.core.errors import ReadError
from app.core.paths import bundle_root

SHIPPED = bundle_root() / "corpus"


def write(path: Path, text: str = "正文") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_manifest_names_existing_files() -> None:
    entries = load_manifest(SHIPPED)
    assert len(entries) > 10
    assert entries[0]["id"] == "美丽上海建设十五五规划-征求意见稿"
    assert all((SHIPPED / e["file"]).is_file() for e in entries)
    assert len({e["id"] for e in entries}) == len(entries)


def test_manifest_missing_damaged_or_odd(tmp_path: Path) -> None:
    assert load_manifest(tmp_path) == []
    write(tmp_path / MANIFEST, "{not json")
    with pytest.raises(ReadError, match=r"manifest\.json"):
        load_manifest(tmp_path)
    write(tmp_path / MANIFEST, json.dumps([{"file": "a.md"}]))
    assert load_manifest(tmp_path) == []  # not an object
    write(tmp_path / MANIFEST, json.dumps({"documents": [{"file": "a.md", "id": "a"}, {"id": "no-file"}, "x"]}))
    assert load_manifest(tmp_path) == [{"file": "a.md", "id": "a"}]


def test_scan_lists_the_manifest_first_then_added_files_sorted(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / MANIFEST, json.dumps({"documents": [{"file": "z.md", "id": "z"}, {"file": "a.md", "id": "a"}]}))
    added = tmp_path / "added"
    for name in ("b.md", "a.TXT", "sub/c.docx", "_draft.md", ".hidden.md", "~$lock.docx", "image.png"):
        write(added / name)
    single = write(tmp_path / "elsewhere" / "single.md")
    found = scan(corpus, [added, single])
    assert [(f.path.name, f.entry.get("id")) for f in found[:2]] == [("z.md", "z"), ("a.md", "a")]
    assert [f.relpath for f in found[2:]] == ["a.TXT", "b.md", "sub/c.docx", "single.md"]
    assert found[2].root == added.resolve() and found[-1].root == single.parent.resolve()


def test_scan_leaves_out_what_the_user_excluded(tmp_path: Path) -> None:
    added = tmp_path / "added"
    for name in ("a.md", "b.md", "sub/c.md", "sub/d.md"):
        write(added / name)
    found = scan(tmp_path / "no-corpus", [added], exclude=[added / "b.md", added / "sub"])
    assert [f.relpath for f in found] == ["a.md"]


def test_relpath_outside_the_root_is_the_whole_path(tmp_path: Path) -> None:
    f = SourceFile(tmp_path / "x" / "a.md", tmp_path / "y")
    assert f.relpath == (tmp_path / "x" / "a.md").as_posix()
    assert SourceFile(tmp_path / "y" / "z" / "a.md", tmp_path / "y").relpath == "z/a.md"


def test_sha256_of() -> None:
    assert sha256_of(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_of("条例".encode()) == hashlib.sha256("条例".encode()).hexdigest()


@pytest.mark.parametrize(("path", "title", "kind"), [
    ("laws/司法解释/关于审理案件的解释.md", "关于审理案件的解释", "司法解释"),
    ("上海/地方法规/上海市河道管理条例.md", "上海市河道管理条例", "地方性法规"),
    ("案例/某案.md", "某案", "其他"),
    ("laws/行政法/中华人民共和国行政处罚法.md", "中华人民共和国行政处罚法", "法律"),
    ("downloads/上海市生态环境保护规划.md", "上海市生态环境保护规划", "规划"),
    ("downloads/某规划（2021-2025年）.md", "某规划（2021-2025年）", "规划"),
    ("downloads/中华人民共和国森林法（2019修订）.md", "中华人民共和国森林法（2019修订）", "法律"),
    ("downloads/关于开展检查的通知.md", "关于开展检查的通知", "其他"),
])
def test_guess_kind(path: str, title: str, kind: str) -> None:
    assert guess_kind(Path(path), title) == kind


def test_dates_from_names_and_reader_metadata() -> None:
    assert date_from_name("上海市音像制品管理条例(2021-08-25).md") == "2021-08-25"
    assert date_from_name("条例（2024-12-31）.docx") == "2024-12-31"
    assert date_from_name("条例2024-12-31.md") is None  # only a bracketed date counts
    assert reader_meta([("发布日期", "2024年3月5日"), ("来源", "2020-01-01")]) == {"date": "2024-03-05"}
    assert reader_meta([("发布日期", "2024-11-20 10:00")]) == {"date": "2024-11-20"}
    assert reader_meta([("发布日期", "未知")]) == {}


def test_make_document_from_a_manifest_entry(tmp_path: Path) -> None:
    entry = {"id": "p", "file": "plan/p.md", "title": "某规划（征求意见稿）", "kind": "规划", "issuer": "上海市人民政府",
             "date": None, "status": "征求意见稿", "horizon": [2026, 2030], "short_title": "规划", "source": "seed/p.md"}
    src = SourceFile(tmp_path / "plan" / "p.md", tmp_path, entry)
    doc = make_document(src, doc_id="p", title="文中标题", history=["2025年通过"], sha="ff", ordinal=4)
    assert (doc.title, doc.kind, doc.issuer, doc.status, doc.source) == (
        "某规划（征求意见稿）", "规划", "上海市人民政府", "征求意见稿", "plan/p.md")
    assert doc.meta == {"horizon": [2026, 2030], "short_title": "规划"}  # only these keys
    assert (doc.history, doc.sha256, doc.ordinal) == (("2025年通过",), "ff", 4)


def test_make_document_for_an_added_file(tmp_path: Path) -> None:
    src = SourceFile(tmp_path / "某区实施方案(2025-03-01).md", tmp_path)
    doc = make_document(src, doc_id="x", title="某区实施方案", history=[], sha="00", ordinal=9, style="plan",
                        meta={"doc_number": "沪府办〔2025〕1号", "issuer": "某区人民政府", "date": "2025-02-01",
                              "unrelated": "x"})
    assert doc.kind == "规划"  # read as a plan, whatever the file name says
    assert doc.date == "2025-03-01"  # the file name's date wins over the text's
    assert (doc.issuer, doc.meta, doc.source) == ("某区人民政府", {"doc_number": "沪府办〔2025〕1号"}, str(src.path))
    bare = make_document(SourceFile(tmp_path / "无题.md", tmp_path), doc_id="y", title="", history=[], sha="",
                         ordinal=0, meta={"date": "2020-01-02"})
    assert (bare.title, bare.kind, bare.date) == ("无题", "其他", "2020-01-02")


def test_doc_ids_are_readable_and_unique(tmp_path: Path) -> None:
    shipped = SourceFile(tmp_path / "x.md", tmp_path, {"id": "美丽上海规划", "file": "x.md"})
    assert doc_id_for(shipped, set()) == "美丽上海规划"
    one, two = SourceFile(tmp_path / "a" / "条例.md", tmp_path), SourceFile(tmp_path / "b" / "条例.md", tmp_path)
    assert doc_id_for(one, set()) == "条例"
    clash = doc_id_for(two, {"条例"})
    assert clash.startswith("条例~") and len(clash) == len("条例~") + 6
    assert clash == doc_id_for(two, {"条例"}) != doc_id_for(one, {"条例"})  # stable, and per path
    assert doc_id_for(SourceFile(tmp_path / "x.md", tmp_path, {"id": "a/b"}), set()) == "a／b"
