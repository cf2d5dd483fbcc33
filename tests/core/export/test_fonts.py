"""CJK fonts for PDF export (app.core.export.fonts) on tiny fonts built in tmp_path with fontTools: which face a
file offers, which font each role gets, the override, the clear error without any, missing characters, and the
TrueType copy of a CFF face."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from app.core.export import fonts
from app.core.export.errors import FontMissingError
from app.core.export.fonts import (
    ENV_FONT,
    MSG_NO_FONT,
    PROBE,
    FontFile,
    PdfFonts,
    charset,
    find_fonts,
    inspect_font,
    missing_chars,
    truetype_copies,
)
from tests.core.export.font_fixtures import make_font


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_FONT, raising=False)


def test_inspect_font_accepts_only_fonts_with_the_probe_characters(tmp_path: Path) -> None:
    cjk = make_font(tmp_path / "simfang.ttf", PROBE + "甲乙", "Test Fang")
    latin = make_font(tmp_path / "latin.ttf", "abc", "Latin Only")
    no_probe = make_font(tmp_path / "partial.ttf", PROBE[:-1], "Partial")
    assert inspect_font(cjk) == FontFile(cjk, 0, "Test Fang", truetype=True)
    cff = make_font(tmp_path / "serif.otf", PROBE, "Test Serif", cff=True)
    assert inspect_font(cff) == FontFile(cff, 0, "Test Serif", truetype=False)
    assert inspect_font(latin) is None and inspect_font(no_probe) is None
    assert inspect_font(tmp_path / "missing.ttf") is None
    assert inspect_font(cjk, 3) is None  # no such face


# fontTools leaves the file of a font it cannot parse open; inspect_font opens and closes it itself, so an
# unclosed-file warning (an error under this suite's filterwarnings) fails this test.
def test_a_file_that_is_not_a_font_is_skipped(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all")
    broken = tmp_path / "broken.ttc"
    broken.write_bytes(b"ttcf" + bytes(40))
    assert inspect_font(junk) is None and inspect_font(broken) is None
    make_font(tmp_path / "simhei.ttf", PROBE, "Hei")
    assert find_fonts([tmp_path]).body.name == "Hei"  # the broken files in the folder are passed over


def test_charset_and_missing_characters(tmp_path: Path) -> None:
    body = inspect_font(make_font(tmp_path / "a.ttf", PROBE + "甲乙", "A"))
    head = inspect_font(make_font(tmp_path / "b.ttf", PROBE + "丙", "B"))
    assert body is not None and head is not None
    assert charset(body) == frozenset(ord(c) for c in PROBE + "甲乙")
    set_ = PdfFonts(body, head, head, body)
    assert set_.distinct() == [body, head]
    assert missing_chars(set_, "甲 乙丙丁\n戊丁😀") == "丁戊😀"  # any font of the set will do; spaces never count


def test_each_role_takes_its_own_font_else_the_common_one(tmp_path: Path) -> None:
    fang = make_font(tmp_path / "win" / "simfang.ttf", PROBE, "Fang")
    serif = make_font(tmp_path / "noto" / "NotoSerifCJKsc-Regular.otf", PROBE, "Serif", cff=True)
    got = find_fonts([tmp_path])
    assert got.body.path == fang  # 仿宋 for the body
    assert got.title.path == serif  # a serif for the title (no 小标宋, no serif bold)
    assert got.h1.path == got.h2.path == fang  # no 黑/楷 at all: the common fallback, TrueType first
    kai = make_font(tmp_path / "more" / "simkai.ttf", PROBE, "Kai")
    hei = make_font(tmp_path / "more" / "simhei.ttf", PROBE, "Hei")
    more = find_fonts([tmp_path / "more", tmp_path / "win"])
    assert (more.h1.path, more.h2.path, more.body.path) == (hei, kai, fang)


def test_no_cjk_font_is_a_clear_error(tmp_path: Path) -> None:
    make_font(tmp_path / "latin.ttf", "abc", "Latin")
    with pytest.raises(FontMissingError) as err:
        find_fonts([tmp_path, tmp_path / "does-not-exist"])
    assert err.value.message == MSG_NO_FONT and "fonts-wqy-microhei" in MSG_NO_FONT


def test_the_environment_override_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_font(tmp_path / "fonts" / "simfang.ttf", PROBE, "Fang")
    forced = make_font(tmp_path / "mine.ttf", PROBE, "Mine")
    monkeypatch.setenv(ENV_FONT, f"{forced}#0")
    got = find_fonts([tmp_path / "fonts"])
    assert {f.path for f in got.distinct()} == {forced}
    monkeypatch.setenv(ENV_FONT, str(tmp_path / "nope.ttf"))  # unusable: the normal search
    assert find_fonts([tmp_path / "fonts"]).body.name == "Fang"


def test_cff_faces_become_truetype_subsets_of_their_roles_text(tmp_path: Path) -> None:
    tt = inspect_font(make_font(tmp_path / "tt.ttf", PROBE + "甲乙丙", "TT"))
    cff = inspect_font(make_font(tmp_path / "cff.otf", PROBE + "甲乙丙", "CFF", cff=True))
    assert tt is not None and cff is not None
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = truetype_copies(PdfFonts(body=tt, title=cff, h1=tt, h2=tt), {"title": "甲乙", "body": "丙"}, out_dir)
    assert out.body == out.h1 == out.h2 == tt  # TrueType already: used as is
    assert out.title.truetype and out.title.path.parent == out_dir and out.title.name == "CFF"
    face = TTFont(str(out.title.path))
    assert "glyf" in face and "CFF " not in face
    assert set(face.getBestCmap()) == {ord("甲"), ord("乙")}  # only the title's characters (of those it has)
    face.close()


def test_font_dirs_per_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert fonts.font_dirs() == [tmp_path / "Windows" / "Fonts", tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"]
    monkeypatch.setattr(fonts.sys, "platform", "linux")
    assert Path("/usr/share/fonts") in fonts.font_dirs()
