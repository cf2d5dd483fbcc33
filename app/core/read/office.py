"""Legacy .doc, WPS .wps and .rtf files: converted to .docx by LibreOffice (when installed), then read as .docx.

LibreOffice runs headless in its own process group with a private profile (so it never clashes
with a LibreOffice the user has open) and a timeout; the file is copied into a private temporary
directory first, so odd characters in the original path never reach the command line.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from app.core.errors import ReadError
from app.core.read.decode import Decoded

MSG_NO_OFFICE = "未安装 LibreOffice，无法读取 .doc/.wps/.rtf：请用 Word 或 WPS 另存为 .docx 后再导入"
MSG_FAILED = "无法转换该文件（可能已加密或已损坏）：请用 Word 或 WPS 另存为 .docx 后再导入"
MSG_TIMEOUT = "转换超时（超过 {seconds} 秒），请用 Word 或 WPS 另存为 .docx 后再导入"
CONVERT_TIMEOUT = 60.0

_WINDOWS_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_lock = threading.Lock()
_profile: Path | None = None


def soffice_binary() -> str | None:
    """Path of LibreOffice's `soffice` (or `libreoffice`) program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        return next((c for c in _WINDOWS_CANDIDATES if Path(c).is_file()), None)
    return None


def _profile_dir() -> Path:
    """One private LibreOffice profile per process, reused (creating it costs seconds), removed at exit."""
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="policydesk-lo-profile-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the converter and its children (soffice starts soffice.bin) — only the group we started."""
    try:
        if sys.platform == "win32":
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, timeout=10, check=False
            )
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        proc.kill()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()  # never wait for a pipe a stray grandchild may still hold
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _command(binary: str, src: Path, outdir: Path) -> list[str]:
    return [
        binary,
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        str(src),
    ]


def _start(cmd: list[str], cwd: str) -> subprocess.Popen[bytes]:
    """Start the converter in its own process group (so that `_kill` can end it with its children)."""
    kwargs: dict[str, object] = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        kwargs["start_new_session"] = True
    proc: subprocess.Popen[bytes] = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        **kwargs,  # type: ignore[call-overload]
    )
    return proc


def convert_to_docx(data: bytes, suffix: str, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """Convert a document (given as bytes with its suffix) to .docx bytes with LibreOffice.

    Raises:
        ReadError: LibreOffice missing, conversion failed or timed out.
    """
    binary = soffice_binary()
    if binary is None:
        raise ReadError(MSG_NO_OFFICE, detail="soffice/libreoffice not on PATH")
    with _lock, tempfile.TemporaryDirectory(prefix="policydesk-convert-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        proc = _start(_command(binary, src, outdir), tmp)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(proc)
            raise ReadError(
                MSG_TIMEOUT.format(seconds=int(timeout)), detail=f"soffice timeout {timeout}s"
            ) from exc
        result = outdir / "input.docx"
        if not result.is_file() or result.read_bytes()[:4] != b"PK\x03\x04":
            detail = (err or out).decode("utf-8", "replace").strip()[:500]
            raise ReadError(MSG_FAILED, detail=f"soffice rc={proc.returncode}: {detail}")
        return result.read_bytes()


def convert_and_read(path: Path, data: bytes, suffix: str) -> Decoded:
    """Convert with LibreOffice and read the result as .docx, noting the conversion in the warnings."""
    from app.core.read.docx.package import read_package

    converted = convert_to_docx(data, suffix)  # a zip package: what `read_docx` would hand to `read_package`
    decoded = read_package(path, converted)
    note = f"已用 LibreOffice 将 {suffix} 转换为 .docx 后读取，版式与编号可能与原文略有差异"
    return Decoded(decoded.text, f"{suffix.lstrip('.')}→docx", (note, *decoded.warnings))


def read_office(path: Path, data: bytes) -> Decoded:
    """Read a .doc, .wps or .rtf file through LibreOffice.

    A file that is really a .docx (renamed) is read directly, without LibreOffice.

    Raises:
        ReadError: LibreOffice missing (with how to convert by hand), conversion failed, or the
            converted document could not be read.
    """
    if not data:
        raise ReadError("文件为空", detail=str(path))
    if data.startswith(b"PK\x03\x04"):
        from app.core.read.docx.package import read_package

        return read_package(path, data)
    suffix = path.suffix.lower() or ".doc"
    return convert_and_read(path, data, suffix)
