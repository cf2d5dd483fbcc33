"""Safe file names and crash-safe writing (RELIABILITY.md E1-E7, C7).

Names are always sanitised for Windows (files travel there), kept under ~240 UTF-8 bytes with the
extension, and resolved inside the chosen folder. Content goes to a temp file in the same folder,
is fsynced, verified by the caller's check, and only then moved over the target with `os.replace`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

from pathvalidate import sanitize_filename
from pathvalidate.handler import ReservedNameHandler

from app.core.export.errors import (
    MSG_LOCKED,
    ExportError,
    FileLockedError,
    FolderNotWritableError,
    TargetReadOnlyError,
    VerifyError,
)
from app.core.progress import CancelToken

MAX_NAME_BYTES = 240  # NTFS allows 255 UTF-16 units; stay clear of MAX_PATH trouble and "(2)" suffixes
DEFAULT_STEM = "导出"
REPLACE_TRIES = 3
REPLACE_SLEEP = 0.3
TEMP_PREFIX = ".policydesk-"
# Device names Windows reserves whatever the extension (pathvalidate misses the CONIN$ family).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
             *(f"{p}{n}" for p in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))}


def _truncate_utf8(text: str, limit: int) -> str:
    """`text` cut at a character boundary to at most `limit` UTF-8 bytes."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_name(name: str, ext: str) -> str:
    """A Windows-safe file name ending in `.ext`: forbidden characters and path parts removed, reserved
    device names prefixed with `_`, no trailing dot/space, at most MAX_NAME_BYTES UTF-8 bytes."""
    ext = ext.lower().lstrip(".")
    base = name.replace("\\", "/").rsplit("/", 1)[-1]  # never a path: ../../x → x
    if base.lower().endswith("." + ext):
        base = base[: -len(ext) - 1]
    base = " ".join(base.split())  # tabs/newlines from titles become single spaces
    # Reserved names are handled below, with the CONIN$ family pathvalidate does not know.
    stem = sanitize_filename(base, platform="windows", max_len=4096, reserved_name_handler=ReservedNameHandler.as_is,
                             null_value_handler=lambda _err: "")
    stem = stem.strip(" .")  # leading dots hide files; trailing dots/spaces are dropped by Windows
    stem = _truncate_utf8(stem, MAX_NAME_BYTES - len(ext) - 1).rstrip(" .")
    if not stem:
        stem = DEFAULT_STEM
    if stem.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext}"


def target_path(folder: Path, name: str, ext: str, *, overwrite: bool) -> Path:
    """The file to write in `folder`: sanitised, inside the folder, `(2)`, `(3)` … when the name is taken
    and `overwrite` is False."""
    try:
        root = folder.expanduser().resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise FolderNotWritableError(f"目标文件夹不存在或无法访问：{folder}") from exc
    if not root.is_dir():
        raise FolderNotWritableError(f"目标不是文件夹：{folder}")
    fname = safe_name(name, ext)
    stem, suffix = fname[: -len(ext) - 1], "." + ext.lower().lstrip(".")
    candidate = root / fname
    n = 2
    while not overwrite and (candidate.exists() or candidate.is_symlink()):
        tag = f"({n})"
        candidate = root / (_truncate_utf8(stem, MAX_NAME_BYTES - len(suffix) - len(tag)).rstrip(" .") + tag + suffix)
        n += 1
    resolved = candidate.resolve()
    if resolved.parent != root:  # a symlink pointing elsewhere, or a name that escaped sanitising
        raise ExportError(f"文件名不安全，已拒绝写入：{fname}")
    return candidate


def _is_read_only(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    return not mode & stat.S_IWUSR or not os.access(path, os.W_OK)


def _folder_error(exc: OSError, folder: Path) -> ExportError:
    if exc.errno == errno.ENOSPC:
        return FolderNotWritableError(f"磁盘空间不足，无法保存到：{folder}", detail=repr(exc))
    if exc.errno == errno.EROFS or isinstance(exc, PermissionError):
        return FolderNotWritableError(f"目标文件夹只读或没有写入权限：{folder}。请另存到其他文件夹。",
                                      detail=repr(exc))
    return FolderNotWritableError(f"无法写入目标文件夹：{folder}（U 盘或网络盘可能已断开）。请检查后重试。",
                                  detail=repr(exc))


def write_atomic(target: Path, data: bytes, *, verify: Callable[[Path], None] | None = None,
                 cancel: CancelToken | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
    """Write `data` to `target` so that the old file stays intact unless the new one is complete and
    `verify(temp_path)` passed: temp file in the same folder → fsync → verify → os.replace (3 tries)."""
    folder = target.parent
    if target.exists() and _is_read_only(target):
        raise TargetReadOnlyError(f"目标文件是只读的，无法覆盖：{target.name}。请另存为其他文件名。")
    tmp = _create_temp(target)
    try:
        try:
            with tmp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise _folder_error(exc, folder) from exc
        if verify is not None:
            try:
                verify(tmp)
            except ExportError:
                raise
            except Exception as exc:  # a reader library failing on our own output
                raise VerifyError("导出文件校验失败，未保存。请重试；如仍失败，请换一种格式导出。",
                                  detail=repr(exc)) from exc
        if cancel is not None:
            cancel.check()
        _replace(tmp, target, sleep)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _create_temp(target: Path) -> Path:
    """A new empty file beside `target`, named like it (readers check the suffix), mode as umask allows."""
    for _ in range(20):
        tmp = target.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}{target.suffix}")
        try:
            with tmp.open("xb"):
                return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise _folder_error(exc, target.parent) from exc
    raise FolderNotWritableError(f"无法在目标文件夹中创建临时文件：{target.parent}")


def _replace(tmp: Path, target: Path, sleep: Callable[[float], None]) -> None:
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:  # WinError 5/32: open in Word/WPS, or a virus scanner holds it
            if attempt == REPLACE_TRIES - 1:
                raise FileLockedError(f"{MSG_LOCKED}：{target.name}", detail=repr(exc)) from exc
            sleep(REPLACE_SLEEP)
        except OSError as exc:
            raise _folder_error(exc, target.parent) from exc


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself (POSIX); Windows cannot open folders this way and needs nothing."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["safe_name", "target_path", "write_atomic"]
