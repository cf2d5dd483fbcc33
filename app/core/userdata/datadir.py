"""Where the data folder is (RELIABILITY.md D10/D11): writable, read-only or missing, and whether it is on a
network share or a removable drive, checked at start before anything is opened.

`classify(path)` never raises. Network/removable detection reads /proc/mounts on Linux (nfs, cifs, smbfs,
fuse.sshfs, …; vfat/exfat/ntfs under /media, /mnt or /run/media) and uses GetDriveTypeW on Windows.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

WRITABLE, READ_ONLY, MISSING = "writable", "read-only", "missing"
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "sshfs", "9p", "afs", "ncpfs",
                        "fuse.gvfsd-fuse", "fuse.rclone", "davfs", "fuse.davfs2", "glusterfs", "ceph", "lustre"})
REMOVABLE_FS = frozenset({"vfat", "exfat", "msdos", "fat", "ntfs", "ntfs3", "fuseblk", "udf", "iso9660", "hfsplus"})
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/")


@dataclass(frozen=True)
class DataDirStatus:
    path: Path
    state: str  # WRITABLE, READ_ONLY or MISSING
    location: str = "local"  # "local", "network" or "removable"
    fs_type: str = ""
    detail: str = ""

    @property
    def writable(self) -> bool:
        return self.state == WRITABLE

    @property
    def message(self) -> str:
        """The Chinese sentence for the start-up dialog ("" when all is well)."""
        parts = []
        if self.state == READ_ONLY:
            parts.append(f"数据文件夹 {self.path} 不可写（没有写入权限，或位于只读位置）。任务、笔记和设置无法保存。"
                         "请选择其他数据文件夹，或以只读方式打开（只能查阅，不能保存修改）。")
        elif self.state == MISSING:
            parts.append(f"数据文件夹 {self.path} 不存在，也无法创建（上级文件夹不可写或驱动器已断开）。请选择其他数据文件夹。")
        if self.location == "network":
            parts.append(f"数据文件夹位于网络共享（{self.fs_type}）上：网络断开或多人同时使用时数据可能损坏。"
                         "建议选择本机硬盘上的文件夹。")
        elif self.location == "removable":
            parts.append(f"数据文件夹位于U盘或移动硬盘（{self.fs_type}）上：使用中拔出可能损坏数据。"
                         "建议选择本机硬盘上的文件夹；如需继续使用，请先退出程序再拔出。")
        return "\n".join(parts)


def _probe_write(folder: Path) -> str | None:
    """None when a file can be created and removed in `folder`; else why not."""
    probe = folder / f".write-test-{uuid.uuid4().hex[:8]}"
    try:
        with open(probe, "wb") as f:
            f.write(b"ok")
        probe.unlink()
    except OSError as exc:
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return None


def _nearest_existing(path: Path) -> Path | None:
    for p in (path, *path.parents):
        if p.exists():
            return p
    return None


def mount_of(path: Path, mounts_text: str | None = None) -> tuple[str, str]:
    """(mount point, fs type) of the longest /proc/mounts entry containing `path`; ("", "") if unknown."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "", ""
    target = str(path)
    best = ("", "")
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        prefix = point.rstrip("/") + "/"
        if (target == point or target.startswith(prefix) or point == "/") and len(point) >= len(best[0]):
            best = (point, fields[2])
    return best


def location_of(path: Path, mounts_text: str | None = None) -> tuple[str, str]:
    """("local" | "network" | "removable", fs type) for the folder at `path` (or its nearest parent)."""
    if os.name == "nt":  # pragma: no cover - Windows only
        return _windows_location(path)
    if not sys.platform.startswith("linux") and mounts_text is None:
        return "local", ""
    point, fs = mount_of(path, mounts_text)
    if fs in NETWORK_FS or fs.startswith(("nfs", "cifs", "smb")):
        return "network", fs
    if fs in REMOVABLE_FS and (point + "/").startswith(REMOVABLE_ROOTS):
        return "removable", fs
    return "local", fs


def _windows_location(path: Path) -> tuple[str, str]:  # pragma: no cover - Windows only
    import ctypes

    anchor = path.anchor or str(path)
    if anchor.startswith("\\\\"):
        return "network", "UNC"
    kind = ctypes.windll.kernel32.GetDriveTypeW(anchor)  # type: ignore[attr-defined]
    return {2: ("removable", "removable"), 4: ("network", "remote")}.get(kind, ("local", ""))


def classify(path: Path, *, mounts_text: str | None = None) -> DataDirStatus:
    """Is the data folder usable? Creates it when missing and possible (as start-up would)."""
    path = Path(path)
    missing = False
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        missing = not path.is_dir()
        why = f"{type(exc).__name__}: {exc.strerror or exc}"
        if missing:
            where = _nearest_existing(path)
            loc, fs = location_of(where, mounts_text) if where is not None else ("local", "")
            return DataDirStatus(path, MISSING, loc, fs, why)
    loc, fs = location_of(path, mounts_text)
    if not path.is_dir():
        return DataDirStatus(path, MISSING, loc, fs, "not a folder")
    why_not = _probe_write(path)
    if why_not is None:
        # An existing user.db that cannot be written counts too (a file made read-only on its own).
        db = path / "user.db"
        if db.exists() and not os.access(db, os.W_OK):
            return DataDirStatus(path, READ_ONLY, loc, fs, "user.db is read-only")
        return DataDirStatus(path, WRITABLE, loc, fs)
    return DataDirStatus(path, READ_ONLY, loc, fs, why_not)
