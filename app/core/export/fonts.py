"""Find CJK fonts for PDF export (fpdf2 embeds a subset of each and writes a ToUnicode map).

Faces by role, as the .docx names them: title 宋 (小标宋, else a serif's bold), body 仿宋 (else a serif), level-1
headings 黑 (sans), level-2 headings 楷 (else the sans). Each role tries Windows/macOS fonts first, then free
ones (Noto Serif CJK, AR PL UMing/SungtiL/UKai/KaitiM, Fandol, WenQuanYi), then the common chain:
WenQuanYi Micro Hei (Linux), Windows 仿宋/宋体/雅黑, macOS 苹方/宋体, Noto CJK.

Noto CJK and Fandol are CFF-based: fpdf2 embeds them with an encoding CMap stream that pypdf cannot read (it
returns NULs between characters), so `truetype_copies` turns such a face into a TrueType subset of the
characters an export uses (fontTools: subset, then cubic → quadratic outlines) before it is embedded.
`POLICYDESK_PDF_FONT=/path/font.ttf[#index]` overrides everything.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
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
SERIF = ("simsun.ttc", "Songti.ttc", "STSONG.TTF",  # Windows, macOS
         "NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf", "NotoSerifSC-Regular.otf",  # fonts-noto-cjk
         "uming.ttc", "gbsn00lp.ttf", "FandolSong-Regular.otf")  # AR PL UMing / SungtiL GB, Fandol
SANS = ("simhei.ttf", "STHeiti Medium.ttc", "msyh.ttc", "PingFang.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc",
        "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf", "FandolHei-Regular.otf")
ROLES: dict[str, tuple[str, ...]] = {
    "body": ("simfang.ttf", "STFANGSO.TTF", "Fangsong.ttc", "FandolFang-Regular.otf", *SERIF),
    "title": ("FZXBSJW.TTF", "FZXBSJW--GB1-0.ttf", "NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf",
              "NotoSerifSC-Bold.otf", "FandolSong-Bold.otf", *SERIF),
    "h1": SANS,
    "h2": ("simkai.ttf", "STKAITI.TTF", "Kaiti.ttc", "ukai.ttc", "gkai00mp.ttf", "FandolKai-Regular.otf", *SANS),
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
        f = path.open("rb")  # ours to close: fontTools leaves a file it cannot parse open
    except OSError:
        return None
    with f:
        try:
            holder: Any = TTCollection(f, lazy=True) if path.suffix.lower() == ".ttc" else TTFont(f, lazy=True)
        except Exception:  # not a font
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


# Tables a PDF subset does without; dropping them first also spares fontTools decompiling GSUB (about 1 s).
_DROP_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG")
ALWAYS = "\u3000 —0123456789…"  # indents, page numbers "— 12 —" and cut marks, whatever the text


@functools.lru_cache(maxsize=16)
def truetype_subset(font: FontFile, chars: frozenset[str]) -> bytes:
    """A TrueType (glyf) font holding `chars` of the CFF-based `font`: cubic outlines turned quadratic."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    face = TTFont(str(font.path), fontNumber=font.index, lazy=True)
    try:
        for tag in _DROP_TABLES:
            if tag in face:
                del face[tag]
        opts = subset.Options()
        opts.name_IDs, opts.layout_features, opts.hinting = ["*"], [], False
        opts.desubroutinize, opts.notdef_outline, opts.recalc_timestamp = True, True, False
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=sorted(ord(ch) for ch in chars))
        sub.subset(face)
        order = face.getGlyphOrder()
        glyphs = face.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))  # 1 unit of 1000: invisible
            glyf.glyphs[name] = pen.glyph()
        for tag in ("CFF ", "CFF2"):
            if tag in face:
                del face[tag]
        face["glyf"], face["loca"] = glyf, newTable("loca")
        maxp = face["maxp"] = newTable("maxp")
        maxp.tableVersion = 0x00010000
        for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                     "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
            setattr(maxp, attr, 0)
        maxp.maxZones = 1
        face["head"].glyphDataFormat = 0
        post = face["post"]
        post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
        face.sfntVersion = "\x00\x01\x00\x00"
        buf = io.BytesIO()
        face.save(buf)
        return buf.getvalue()
    finally:
        face.close()


def truetype_copies(fonts: PdfFonts, texts: Mapping[str, str], folder: Path) -> PdfFonts:
    """`fonts` with every CFF face replaced by a TrueType subset (written to `folder`) of the characters its
    roles show (`texts`: role → text). pypdf then reads the text layer like any TrueType font's."""
    chars: dict[FontFile, set[str]] = {}
    for role in ROLES:
        chars.setdefault(getattr(fonts, role), set(ALWAYS)).update(texts.get(role, ""))
    made: dict[FontFile, FontFile] = {}
    for font, used in chars.items():
        if font.truetype:
            made[font] = font
            continue
        path = folder / f"policydesk-font{len(made)}.ttf"
        path.write_bytes(truetype_subset(font, frozenset(used)))
        made[font] = FontFile(path=path, index=0, name=font.name, truetype=True)
    return PdfFonts(**{role: made[getattr(fonts, role)] for role in ROLES})
