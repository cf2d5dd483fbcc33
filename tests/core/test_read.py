"""`app.core.read`: the reader registry behind `read_file`, its size/empty/suffix checks and the clean-up."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import app.core.read as read_pkg
from app.core.errors import ReadError
from app.core.read import MAX_FILE_BYTES, READERS, SUPPORTED_SUFFIXES, Decoded, read_file


def test_registry_names_importable_readers() -> None:
    assert frozenset(READERS) == SUPPORTED_SUFFIXES
    assert {".md", ".txt", ".html", ".docx", ".pdf", ".ofd", ".doc", ".wps", ".rtf"} <= SUPPORTED_SUFFIXES
    for suffix, target in READERS.items():
        assert suffix.startswith(".") and suffix == suffix.lower()
        module, _, func = target.partition(":")
        assert callable(getattr(importlib.import_module(module), func)), target


def test_size_limit_is_a_hundred_megabytes() -> None:
    assert MAX_FILE_BYTES == 100 * 1024 * 1024


def test_text_is_cleaned_and_the_encoding_kept(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_bytes("第一条\r\n甲\u200b乙\r丙\x07".encode("gb18030"))
    decoded = read_file(path)
    assert isinstance(decoded, Decoded)
    assert decoded.text == "第一条\n甲乙\n丙"
    assert decoded.encoding == "gb18030"


def test_suffix_is_case_insensitive_and_str_paths_work(tmp_path: Path) -> None:
    path = tmp_path / "NOTE.TXT"
    path.write_text("环境保护\n", encoding="utf-8")
    assert read_file(str(path)).text == "环境保护\n"


@pytest.mark.parametrize("name", ["a.xlsx", "a.zip", "README"])
def test_unsupported_suffix_is_refused_before_reading(tmp_path: Path, name: str) -> None:
    with pytest.raises(ReadError) as info:
        read_file(tmp_path / name)  # the file does not even exist: the suffix decides first
    assert info.value.message == "暂不支持该格式"
    assert info.value.detail == (Path(name).suffix or name)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert info.value.message == "文件为空"


def test_file_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_pkg, "MAX_FILE_BYTES", 8)
    path = tmp_path / "big.txt"
    path.write_text("0123456789", encoding="ascii")
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert info.value.message == "文件过大"
    assert info.value.detail == "10 bytes"


def test_unreadable_path(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(ReadError) as info:
        read_file(folder)
    assert info.value.message == "无法读取文件"


def test_missing_reader_component(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(READERS, ".xyz", "app.core.read.no_such_reader:read")
    path = tmp_path / "a.xyz"
    path.write_bytes(b"data")
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert info.value.message == "暂不支持该格式（缺少读取组件）"
    assert info.value.detail is not None and info.value.detail.startswith(".xyz")


def test_meta_of_the_reader_survives_the_clean_up(tmp_path: Path) -> None:
    page = "<html><body><div class='content'><h1>通知</h1><p>发布日期：2024-01-05</p><p>正文内容。</p></div></body></html>"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    decoded = read_file(path)
    assert ("发布日期", "2024-01-05") in decoded.meta
    assert "正文内容。" in decoded.text
