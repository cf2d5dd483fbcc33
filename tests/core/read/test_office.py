""".doc/.wps/.rtf through LibreOffice: conversion, the message without LibreOffice, timeouts and failures."""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ReadError
from app.core.read import read_file
from app.core.read.office import (
    MSG_FAILED,
    MSG_NO_OFFICE,
    convert_to_docx,
    read_office,
    soffice_binary,
)
from app.core.structure import parse_document

DATA = Path(__file__).resolve().parents[2] / "data"
needs_soffice = pytest.mark.skipif(
    soffice_binary() is None, reason="LibreOffice (soffice) is not installed: conversion cannot be tested"
)


# Chinese in RTF is written as \uN? escapes (N = UTF-16 code unit, signed).
def _rtf_text(text: str) -> str:
    return "".join(
        ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in text
    )


RTF = (
    r"{\rtf1\ansi\deff0{\fonttbl{\f0 SimSun;}}"
    + r"\pard\b "
    + _rtf_text("一、总体要求")
    + r"\b0\par "
    + r"\pard\b "
    + _rtf_text("加强组织领导。")
    + r"\b0 "
    + _rtf_text("各区要落实责任。")
    + r"\par }"
).encode("ascii")


def _fake_soffice(directory: Path, script: str) -> None:
    path = directory / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_message_without_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no libreoffice
    assert soffice_binary() is None
    doc = tmp_path / "通知.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    for name, data in (("通知.doc", doc.read_bytes()), ("a.wps", doc.read_bytes()), ("a.rtf", RTF)):
        path = tmp_path / name
        path.write_bytes(data)
        start = time.perf_counter()
        with pytest.raises(ReadError) as info:
            read_file(path)
        assert info.value.message == MSG_NO_OFFICE
        assert time.perf_counter() - start < 2.0


def test_docx_renamed_doc_is_read_without_libreoffice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "plan.doc"
    path.write_bytes((DATA / "plan.docx").read_bytes())
    assert read_file(path).text.startswith("# 美丽上海建设")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="POSIX shell script and /proc needed")
def test_timeout_kills_the_converter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    assert sleep is not None
    pid_file = tmp_path / "child.pid"
    # Like soffice → soffice.bin: the program starts a child; both must die.
    _fake_soffice(tmp_path, f"{sleep} 30 & echo $! > {pid_file}; {sleep} 30")
    monkeypatch.setenv("PATH", str(tmp_path))
    start = time.perf_counter()
    with pytest.raises(ReadError, match="转换超时"):
        convert_to_docx(RTF, ".rtf", timeout=1.0)
    assert time.perf_counter() - start < 5.0
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie waits only for its (dead) parent's reaper


@pytest.mark.skipif(os.name == "nt", reason="POSIX shell script as a fake soffice")
def test_failed_conversion(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReadError) as info:
        read_office(tmp_path / "x.doc", b"\xd0\xcf\x11\xe0 garbage")
    assert info.value.message == MSG_FAILED
    assert "could not be loaded" in (info.value.detail or "")


@needs_soffice
@pytest.mark.timeout(180)
def test_rtf_through_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "通知.rtf"
    path.write_bytes(RTF)
    decoded = read_file(path)
    assert decoded.encoding == "rtf→docx"
    assert "**一、总体要求**" in decoded.text
    assert "**加强组织领导。**各区要落实责任。" in decoded.text
    assert any("LibreOffice" in w for w in decoded.warnings)


@needs_soffice
@pytest.mark.timeout(180)
def test_doc_through_libreoffice(tmp_path: Path) -> None:
    """plan.docx → .doc with LibreOffice, then read back: the same plan structure."""
    from app.core.read import office

    doc_bytes = _convert(office, (DATA / "plan.docx").read_bytes(), tmp_path)
    path = tmp_path / "plan.doc"
    path.write_bytes(doc_bytes)
    text = read_file(path).text
    counts = Counter(c.level for c in parse_document(text, "plan", kind="规划").clauses)
    assert (counts["chapter"], counts["section"], counts["task"]) == (9, 28, 44)


def _convert(office: object, docx_bytes: bytes, tmp: Path) -> bytes:
    import subprocess

    binary = soffice_binary()
    assert binary is not None
    src = tmp / "src.docx"
    src.write_bytes(docx_bytes)
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(tmp),
            str(src),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return (tmp / "src.doc").read_bytes()
