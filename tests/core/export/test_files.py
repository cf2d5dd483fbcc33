"""Safe writing (RELIABILITY.md E1-E7): hostile names, (2) suffixes, atomic replace, locked and read-only
targets, vanished folders, cancellation."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import Cancelled, PolicyDeskError
from app.core.export import (
    ExportError,
    FileLockedError,
    FolderNotWritableError,
    TargetReadOnlyError,
    VerifyError,
    safe_name,
    write_set,
)
from app.core.export import files as export_files
from app.core.export.errors import MSG_LOCKED
from app.core.export.files import MAX_NAME_BYTES, target_path, write_atomic
from app.core.paths import bundle_root
from app.core.progress import CancelToken
from tests.core.export.test_all_formats import sample_set

RESOURCES = bundle_root() / "resources"
WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$", *(f"COM{i}" for i in range(10)),
            *(f"LPT{i}" for i in range(10))}


def assert_windows_safe(name: str, ext: str) -> None:
    assert name.endswith("." + ext)
    assert not (set(name) & WINDOWS_FORBIDDEN), name
    assert name == name.strip() and not name.endswith(".") and not name.startswith(".")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.split(".", 1)[0].upper() not in RESERVED, name
    assert name not in (f".{ext}", f"..{ext}")


@pytest.mark.parametrize(("raw", "ext", "expected"), [
    ("CON", "docx", "_CON.docx"),
    ("nul.md", "md", "_nul.md"),
    ("COM1.docx", "docx", "_COM1.docx"),
    ("CONIN$", "pdf", "_CONIN$.pdf"),
    ("lpt9.txt", "xlsx", "_lpt9.txt.xlsx"),
    ("../../x", "md", "x.md"),
    ("..\\..\\evil.html", "html", "evil.html"),
    ("/etc/passwd", "md", "passwd.md"),
    ("名称. ", "docx", "名称.docx"),
    ("a:b*c?\"d<e>f|g", "pdf", "abcdefg.pdf"),
    ("..", "md", "导出.md"),
    ("", "pdf", "导出.pdf"),
    ("报告.DOCX", "docx", "报告.docx"),
    ("市生态环境局\t牵头\n条款", "docx", "市生态环境局 牵头 条款.docx"),
])
def test_safe_name_examples(raw: str, ext: str, expected: str) -> None:
    assert safe_name(raw, ext) == expected
    assert_windows_safe(expected, ext)


def test_long_chinese_title_is_cut_at_a_character_boundary_with_extension() -> None:
    name = safe_name("美丽上海建设" * 50, "docx")  # 300 characters, 900 bytes
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    stem = name[:-5]
    assert stem and set(stem) <= set("美丽上海建设")  # no broken character
    assert len(name.encode("utf-8")) > MAX_NAME_BYTES - 6


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=0, max_size=300))
def test_any_title_gives_a_safe_name_inside_the_folder(title: str, tmp_path: Path) -> None:
    for ext in ("docx", "md"):
        name = safe_name(title, ext)
        assert_windows_safe(name, ext)
        target = target_path(tmp_path, title, ext, overwrite=False)
        assert target.resolve().parent == tmp_path.resolve()


def test_collision_gets_numbered_suffix_unless_overwriting(tmp_path: Path) -> None:
    (tmp_path / "报告.md").write_text("old", encoding="utf-8")
    (tmp_path / "报告(2).md").write_text("old2", encoding="utf-8")
    assert target_path(tmp_path, "报告.md", "md", overwrite=False) == tmp_path / "报告(3).md"
    assert target_path(tmp_path, "报告.md", "md", overwrite=True) == tmp_path / "报告.md"
    long = "规" * 200
    (tmp_path / safe_name(long, "md")).write_text("x", encoding="utf-8")
    second = target_path(tmp_path, long, "md", overwrite=False)
    assert second.name.endswith("(2).md") and len(second.name.encode("utf-8")) <= MAX_NAME_BYTES


def test_export_to_a_taken_name_keeps_the_old_file(tmp_path: Path) -> None:
    old = tmp_path / "CON.md"
    res = write_set(sample_set(), old, resources=RESOURCES)
    assert res.path == tmp_path / "_CON.md"
    res2 = write_set(sample_set(), old, resources=RESOURCES)
    assert res2.path == tmp_path / "_CON(2).md"
    res3 = write_set(sample_set(), old, resources=RESOURCES, overwrite=True)
    assert res3.path == tmp_path / "_CON.md"


def test_symlink_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "报告.md").symlink_to(outside / "victim.md")
    with pytest.raises(ExportError, match="不安全"):
        target_path(folder, "报告.md", "md", overwrite=True)


def test_missing_folder_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(FolderNotWritableError, match="目标文件夹不存在"):
        write_set(sample_set(), tmp_path / "gone" / "x.md", resources=RESOURCES)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(export_files.TEMP_PREFIX))


def test_locked_target_retries_then_says_so_and_keeps_old_file(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "分工表.md"
    target.write_text("旧内容", encoding="utf-8")
    calls: list[int] = []

    def locked(src: object, dst: object) -> None:
        calls.append(1)
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(export_files.os, "replace", locked)
    monkeypatch.setattr(export_files, "REPLACE_SLEEP", 0.0)
    with pytest.raises(FileLockedError) as err:
        write_set(sample_set(), target, resources=RESOURCES, overwrite=True)
    assert MSG_LOCKED in err.value.message and isinstance(err.value, PolicyDeskError)
    assert len(calls) == export_files.REPLACE_TRIES
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert _leftovers(tmp_path) == []


def test_lock_released_during_retries_succeeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace
    state = {"n": 0}

    def flaky(src: str, dst: str) -> None:
        state["n"] += 1
        if state["n"] < 3:
            raise PermissionError(32, "sharing violation")
        real(src, dst)

    monkeypatch.setattr(export_files.os, "replace", flaky)
    monkeypatch.setattr(export_files, "REPLACE_SLEEP", 0.0)
    res = write_set(sample_set(), tmp_path / "x.html", resources=RESOURCES)
    assert res.path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and state["n"] == 3


def test_read_only_target_is_refused_and_intact(tmp_path: Path) -> None:
    target = tmp_path / "只读.docx"
    target.write_bytes(b"old")
    target.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(TargetReadOnlyError, match="只读"):
            write_set(sample_set(), target, resources=RESOURCES, overwrite=True)
        assert target.read_bytes() == b"old"
        assert _leftovers(tmp_path) == []
        # Not overwriting: a new sibling is written and the read-only file is left alone.
        assert write_set(sample_set(), target, resources=RESOURCES).path.name == "只读(2).docx"
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.parametrize("errno_", [30, 28, 5])  # EROFS (read-only medium), ENOSPC, EIO (USB stick pulled)
def test_unwritable_folder_is_a_typed_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int) -> None:
    def broken(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(export_files.Path, "open", broken)
    with pytest.raises(FolderNotWritableError) as err:
        write_atomic(tmp_path / "x.md", b"data")
    assert err.value.message and "Traceback" not in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_failed_verification_keeps_old_file_and_removes_temp(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text("旧", encoding="utf-8")

    def reject(path: Path) -> None:
        raise ValueError("unreadable")

    with pytest.raises(VerifyError):
        write_atomic(target, b"new", verify=reject)
    assert target.read_text(encoding="utf-8") == "旧" and _leftovers(tmp_path) == []


def test_cancel_before_replace_leaves_nothing(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        write_atomic(tmp_path / "x.md", b"data", cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_written_file_has_normal_permissions(tmp_path: Path) -> None:
    res = write_set(sample_set(), tmp_path / "x.md", resources=RESOURCES)
    mode = res.path.stat().st_mode
    assert mode & stat.S_IRUSR and mode & stat.S_IWUSR and mode & stat.S_IRGRP  # not mkstemp's 0600
