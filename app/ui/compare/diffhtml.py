"""Rich text and style sheets of the versions screens: 原条文 | 新条文 side by side with the changed characters
marked (deleted: struck through in red on the old side; added: underlined in green on the new side), the
same marks inline for the review list, and the colours of each status.

Pure functions (no widgets): every piece of document text is HTML-escaped here. Colours come from the
theme (`app.ui.common.theme.Theme`): red and green are the 督办 colours of overdue and done, so the dark scheme
gets its own readable variants.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from app.core.compare import ClausePair, Segment
from app.core.compare.textdiff import segments
from app.ui.common.theme import Theme
from app.ui.compare import strings as T

DEL, INS = "del", "ins"


def status_colours(t: Theme) -> dict[str, tuple[str, str]]:
    """Status → (text, background): 修改 orange, 新增 green, 删除 red, 移动 blue, 未变 grey."""
    return {"modified": (t.urg_soon, t.urg_soon_bg), "added": (t.urg_done, t.urg_done_bg),
            "deleted": (t.urg_overdue, t.urg_overdue_bg), "moved": (t.chip_explicit_fg, t.chip_explicit_bg),
            "unchanged": (t.muted, t.urg_hold_bg)}


def diff_css(t: Theme, font_px: int = 15) -> str:
    """The default style sheet of the side-by-side and review documents."""
    return f"""
body {{ font-size: {font_px}px; color: {t.text}; }}
span.{DEL} {{ color: {t.urg_overdue}; background-color: {t.urg_overdue_bg}; text-decoration: line-through; }}
span.{INS} {{ color: {t.urg_done}; background-color: {t.urg_done_bg}; text-decoration: underline;
             font-weight: 600; }}
th {{ color: {t.label}; font-weight: 600; text-align: left; background-color: {t.panel};
      border-bottom: 1px solid {t.border}; }}
td {{ line-height: 150%; }}
td.absent {{ color: {t.fainter}; }}
span.where {{ color: {t.faint}; font-weight: normal; }}
p.label {{ color: {t.faint}; font-size: {font_px - 2}px; margin-top: 6px; margin-bottom: 2px; }}
p.text {{ margin-top: 0; margin-bottom: 6px; line-height: 150%; }}
"""


def marked(text: str, spans: Sequence[tuple[int, int]], cls: str) -> str:
    """Escaped `text` with the runs `spans` (start, end) in <span class=`cls`>; newlines as <br>."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(_esc(text[pos:start]))
        out.append(f'<span class="{cls}">{_esc(text[start:end])}</span>')
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def pair_where(p: ClausePair) -> str:
    """五、（五）2.（原四、（五）2.）; 原四、（三）2. for a deleted clause."""
    if p.new is None:
        return T.COMPARE_WHERE_OLD.format(where=p.old.location) if p.old else ""
    if p.old is not None and p.renumbered:
        return f"{p.new.location}（{T.COMPARE_WHERE_OLD.format(where=p.old.location)}）"
    return p.new.location


def side_by_side(p: ClausePair) -> str:
    """A two-column table: 原条文 (deleted runs marked) | 新条文 (added runs marked)."""
    def head(label: str, where: str) -> str:
        suffix = f' <span class="where">{html.escape(where)}</span>' if where else ""
        return f'<th width="50%">{label}{suffix}</th>'

    def cell(side: str) -> str:
        clause = p.old if side == "old" else p.new
        if clause is None:
            return f'<td class="absent" width="50%">{T.COMPARE_ABSENT}</td>'
        return f'<td width="50%">{marked(clause.text, p.spans(side), DEL if side == "old" else INS)}</td>'

    return ('<table width="100%" cellspacing="0" cellpadding="8">'
            f"<tr>{head(T.COMPARE_OLD_TEXT, p.old.location if p.old else '')}"
            f"{head(T.COMPARE_NEW_TEXT, p.new.location if p.new else '')}</tr>"
            f'<tr valign="top">{cell("old")}{cell("new")}</tr></table>')


def inline_html(old_segments: Sequence[Segment], new_segments: Sequence[Segment]) -> str:
    """One text with both edits in place: deleted runs struck through, added runs underlined."""
    out: list[str] = []
    i = j = 0
    used_old = used_new = 0
    while i < len(old_segments) or j < len(new_segments):
        if i < len(old_segments) and old_segments[i].kind == "del":
            out.append(f'<span class="{DEL}">{_esc(old_segments[i].text)}</span>')
            i += 1
        elif j < len(new_segments) and new_segments[j].kind == "ins":
            out.append(f'<span class="{INS}">{_esc(new_segments[j].text)}</span>')
            j += 1
        elif i < len(old_segments) and j < len(new_segments):  # the same characters on both sides
            a, b = old_segments[i].text[used_old:], new_segments[j].text[used_new:]
            n = min(len(a), len(b))
            out.append(_esc(b[:n]))
            used_old, used_new = used_old + n, used_new + n
            if used_old >= len(old_segments[i].text):
                i, used_old = i + 1, 0
            if used_new >= len(new_segments[j].text):
                j, used_new = j + 1, 0
        else:
            rest = old_segments[i:] if i < len(old_segments) else new_segments[j:]
            out += [_esc(s.text) for s in rest]
            break
    return "".join(out)


def text_change_html(old_text: str, new_text: str) -> str:
    """The edit from `old_text` to `new_text` marked inline ("" when the two are equal or one is empty)."""
    if not old_text or not new_text or old_text == new_text:
        return ""
    return inline_html(*segments(old_text, new_text))


def inline_styles(t: Theme) -> dict[str, str]:
    """The marks as inline styles, for widgets without a document style sheet (QLabel rich text)."""
    return {DEL: f"color:{t.urg_overdue}; background-color:{t.urg_overdue_bg}; text-decoration:line-through;",
            INS: f"color:{t.urg_done}; background-color:{t.urg_done_bg}; text-decoration:underline; "
                 "font-weight:600;"}


def with_inline_styles(marked_html: str, t: Theme) -> str:
    """`marked_html` (from `marked`, `inline_html` …) with its class names replaced by the styles."""
    for cls, style in inline_styles(t).items():
        marked_html = marked_html.replace(f'<span class="{cls}">', f'<span style="{style}">')
    return marked_html
