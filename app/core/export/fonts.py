"""Find CJK fonts for PDF export (fpdf2 embeds a subset of each and writes a ToUnicode map).

Each role (body 仿宋, title 小标宋, level-1 黑体, level-2 楷体) tries its own Windows/macOS fonts first, then the
common chain: WenQuanYi Micro Hei (Linux), Windows 仿宋/宋体/雅黑, macOS 苹方/宋体, and Noto CJK last. Noto CJK
is CFF-based: fpdf2 embeds it fine and pdftotext reads it, but pypdf returns NULs between characters, so
TrueType-outline fonts go first. `POLICYDESK_PDF_FONT=/path/font.ttf[#index]` overrides everything.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.export.errors import FontMissingError

ENV_FONT = "POLICYDESK_PDF_FONT"
MSG_NO_FONT = ("未找到可用于 PDF 的中文字体，无法导出 PDF。请安装中文字体（Linux：sudo apt install fonts-wqy-microhei；"
               "Windows/macOS 自带的中文字体即可），或导出为 Word 文档后另存为 PDF。")
PROBE = "一二十长生气水色国"  # must all be in the font (Kangxi-radical trouble shows up on these)

COMMON = (
    "wqy-microhei.ttc", "wqy-zenhei.ttc",  # Linux (fonts-wqy-microhei / -zenhei)
    "simfang.ttf", "simsun.ttc", "msyh.ttc", "simhei.ttf",  # Windows
    "PingFang.ttc", "Songti.ttc", "STHeiti Light.ttc", "Hiragino Sans GB.ttc",  # macOS
    "NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc", "NotoSerifSC-Regular.otf", "NotoSansSC-Regular.otf",
    "NotoSansCJKsc-Regular.otf", "NotoSerifCJKsc-Regular.otf",
)
ROLES: dict[str, tuple[str, ...]] = {
    "body": ("simfang.ttf", "STFANGSO.TTF", "Fangsong.ttc"),
    "title": ("FZXBSJW.TTF", "FZXBSJW--GB1-0.ttf", "simsun.ttc", "STSONG.TTF", "Songti.ttc"),
    "h1": ("simhei.ttf", "STHeiti Medium.ttc", "msyh.ttc", "PingFang.ttc"),
    "h2": ("simkai.ttf", "STKAITI.TTF", "Kaiti.ttc"),
}


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # face number inside a .ttc collection
    name: str
    truetype: bool  # glyf outlines (False: CFF, e.g. Noto CJK)


@dataclass(frozen=True)
class PdfFonts:
    body: FontFile
    title: FontFile
    h1: FontFile
    h2: FontFile

    def distinct(self) -> list[FontFile]:
        return list(dict.fromkeys((self.body, self.title, self.h1, self.h2)))


def font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts"),
                home / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local" / "share" / "fonts",
            home / ".fonts"]


@functools.lru_cache(maxsize=4)
def _file_index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Lower-case file name → path of every font file under `dirs` (first one wins)."""
    out: dict[str, Path] = {}
    for d in dirs:
        try:
            walker = list(os.walk(d))
        except OSError:
            continue
        for root, _subdirs, files in walker:
            for f in files:
                if f.lower().endswith((".ttf", ".ttc", ".otf")):
                    out.setdefault(f.lower(), Path(root) / f)
    return out


@functools.lru_cache(maxsize=64)
def inspect_font(path: Path, index: int | None = None) -> FontFile | None:
    """The face of `path` to use (a Simplified-Chinese face of a collection), or None when it lacks CJK."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        holder: Any = TTCollection(str(path), lazy=True) if path.suffix.lower() == ".ttc" else TTFont(str(path),
                                                                                                      lazy=True)
    except Exception:  # unreadable or not a font
        return None
    try:
        faces = list(holder.fonts) if isinstance(holder, TTCollection) else [holder]
        return _pick_face(path, faces, index)
    except Exception:
        return None
    finally:
        holder.close()


def _pick_face(path: Path, faces: list[Any], index: int | None) -> FontFile | None:
    order = range(len(faces)) if index is None else [index] if 0 <= index < len(faces) else []

    def rank(i: int) -> tuple[int, int]:
        name = str(faces[i]["name"].getDebugName(1) or "")
        sc = any(tag in name for tag in (" SC", "GB", "简")) or "CN" in name
        return (0 if sc else 1, 1 if "Mono" in name else 0)

    for i in sorted(order, key=rank):
        face = faces[i]
        cmap = face.getBestCmap() or {}
        if all(ord(ch) in cmap for ch in PROBE):
            return FontFile(path=path, index=i, name=str(face["name"].getDebugName(4) or path.stem),
                            truetype="glyf" in face)
    return None


@functools.lru_cache(maxsize=8)
def charset(font: FontFile) -> frozenset[int]:
    """Code points the font has glyphs for."""
    from fontTools.ttLib import TTFont

    try:
        face = TTFont(str(font.path), fontNumber=font.index, lazy=True)
    except Exception:
        return frozenset()
    try:
        return frozenset((face.getBestCmap() or {}).keys())
    finally:
        face.close()


def missing_chars(fonts: PdfFonts, text: str) -> str:
    """Characters of `text` (whitespace aside) that no font of the set can show, in first-seen order."""
    have = frozenset().union(*(charset(f) for f in fonts.distinct()))
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in have))


def _candidates(names: Iterable[str], index: dict[str, Path]) -> Iterable[FontFile]:
    for n in names:
        p = index.get(n.lower())
        if p is not None:
            f = inspect_font(p)
            if f is not None:
                yield f


def _override() -> FontFile | None:
    raw = os.environ.get(ENV_FONT, "").strip()
    if not raw:
        return None
    path, _, idx = raw.partition("#")
    return inspect_font(Path(path).expanduser(), int(idx) if idx.isdigit() else None)


def find_fonts(dirs: Sequence[Path] | None = None) -> PdfFonts:
    """The font for each role; raises FontMissingError (with what to install) when there is none at all."""
    forced = _override()
    if forced is not None:
        return PdfFonts(forced, forced, forced, forced)
    index = _file_index(tuple(dirs if dirs is not None else font_dirs()))
    common = sorted(_candidates(COMMON, index), key=lambda f: not f.truetype)
    own = {role: next(iter(_candidates(names, index)), None) for role, names in ROLES.items()}
    fallback = common[0] if common else next((f for f in own.values() if f is not None), None)
    if fallback is None:
        raise FontMissingError(MSG_NO_FONT)
    return PdfFonts(body=own["body"] or fallback, title=own["title"] or fallback, h1=own["h1"] or fallback,
                    h2=own["h2"] or fallback)
