"""app.core.userdata.datadir: is the data folder usable (writable, read-only, missing) and where is it (local,
network share, removable drive). Real folders; mount tables passed as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.userdata.datadir import (
    MISSING,
    READ_ONLY,
    WRITABLE,
    DataDirStatus,
    classify,
    location_of,
    mount_of,
)

MOUNTS = """\
proc /proc proc rw 0 0
/dev/sda1 / ext4 rw 0 0
/dev/sda2 /home ext4 rw 0 0
//srv/共享 /home/u/share smb3 rw 0 0
srv:/x /home/u/nfs3 nfs3 rw 0 0
/dev/sdb1 /run/media/u/My\\040Disk exfat rw 0 0
/dev/sdc1 /mnt/usb\\011tab ntfs3 rw 0 0
broken-line
"""


@pytest.mark.parametrize(("path", "mount"), [
    ("/home/u/文档", ("/home", "ext4")),  # the longest mount point that contains it
    ("/home", ("/home", "ext4")),
    ("/homework", ("/", "ext4")),  # a prefix of the name is not a parent
    ("/home/u/share/政策", ("/home/u/share", "smb3")),
    ("/run/media/u/My Disk/data", ("/run/media/u/My Disk", "exfat")),  # \\040 is a space
    ("/mnt/usb\ttab/x", ("/mnt/usb\ttab", "ntfs3")),
])
def test_mount_of(path: str, mount: tuple[str, str]) -> None:
    assert mount_of(Path(path), MOUNTS) == mount


def test_mount_of_without_a_table() -> None:
    assert mount_of(Path("/x"), "") == ("", "")


@pytest.mark.parametrize(("path", "where"), [
    ("/home/u/share/a", ("network", "smb3")),
    ("/home/u/nfs3/a", ("network", "nfs3")),  # any nfs*
    ("/run/media/u/My Disk/PolicyDesk", ("removable", "exfat")),
    ("/mnt/usb\ttab", ("removable", "ntfs3")),
    ("/home/u", ("local", "ext4")),
])
def test_location_of(path: str, where: tuple[str, str]) -> None:
    assert location_of(Path(path), MOUNTS) == where


def test_status_messages() -> None:
    p = Path("/data")
    assert DataDirStatus(p, WRITABLE).message == "" and DataDirStatus(p, WRITABLE).writable
    usb = DataDirStatus(p, WRITABLE, "removable", "vfat")
    assert usb.message.startswith("数据文件夹位于U盘或移动硬盘（vfat）上") and "\n" not in usb.message
    both = DataDirStatus(p, READ_ONLY, "network", "cifs")
    assert not both.writable
    lines = both.message.split("\n")
    assert len(lines) == 2 and "不可写" in lines[0] and lines[1].startswith("数据文件夹位于网络共享（cifs）上")
    assert DataDirStatus(p, MISSING).message.startswith("数据文件夹 /data 不存在")


def test_classify_creates_a_missing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    got = classify(folder, mounts_text=f"/dev/x {tmp_path} ext4 rw 0 0\n")
    assert got == DataDirStatus(folder, WRITABLE, "local", "ext4", "")
    assert folder.is_dir() and list(folder.iterdir()) == []  # the write probe is gone


def test_classify_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder", encoding="utf-8")
    got = classify(blocker, mounts_text=f"srv:/x {tmp_path} nfs rw 0 0\n")
    assert got.state == MISSING and not got.writable and got.detail.startswith("FileExistsError")
    assert (got.location, got.fs_type) == ("network", "nfs")  # where its nearest existing parent is
    below = classify(blocker / "sub", mounts_text="")
    assert below.state == MISSING and "不存在" in below.message
