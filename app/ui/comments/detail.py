"""The 意见 tab's detail pane: the selected comment in full under the table (the cells show one line of each).

Everything shown is escaped; colours come from the theme and follow a scheme change (`restyle`).
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.ui.comments import strings as T
from app.ui.comments.model import CommentRow, local_stamp, state_text, state_tip
from app.ui.common import theme


def _para(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.strip().splitlines() if line.strip())


def detail_html(row: CommentRow, citations: dict[str, str], t: theme.Theme) -> str:
    c = row.comment
    out = [f'<p style="color:{t.heading}; font-weight:600">{html.escape(row.where)}'
           f'<span style="color:{t.faint}; font-weight:normal">　{html.escape(c.kind_label)}</span></p>']
    state = state_text(c)
    if state:
        tip = state_tip(c) if not c.deleted else ""
        out.append(f'<p style="color:{t.urg_soon}; font-weight:600">⚠ {html.escape(state)}'
                   f'<span style="font-weight:normal">{"：" + html.escape(tip) if tip else ""}</span></p>')
    label = T.EDITOR_QUOTE if c.quote else T.EDITOR_QUOTE_WHOLE
    out.append(f'<p style="color:{t.label}">{html.escape(label)}</p>'
               f'<table width="100%" cellpadding="6" style="background-color:{t.selected_clause}">'
               f"<tr><td>{_para(c.quote or c.text or c.heading)}</td></tr></table>")
    proposal = c.proposal or ("（建议删除）" if c.kind == "delete" else "")
    for name, text in ((T.EDITOR_PROPOSAL, proposal), (T.EDITOR_REASON, c.reason)):
        if text.strip():
            out.append(f'<p><span style="color:{t.label}">{html.escape(name)}：</span>{_para(text)}</p>')
    if c.cited:
        cited = "；".join(html.escape(citations.get(x, x)) for x in c.cited)
        out.append(f'<p><span style="color:{t.label}">{html.escape(T.EDITOR_CITED)}：</span>{cited}</p>')
    who = "　".join(f"{k}：{v}" for k, v in ((T.EDITOR_UNIT, c.unit), (T.EDITOR_CONTACT, c.contact),
                                           (T.EDITOR_PHONE, c.phone)) if v)
    stamp = T.DETAIL_TIMES.format(created=local_stamp(c.created_at), updated=local_stamp(c.updated_at))
    out.append(f'<p style="color:{t.faint}">{html.escape(who)}{"　" if who else ""}{html.escape(stamp)}</p>')
    return "".join(out)


class CommentDetail(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentDetail")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(10)
        self.row: CommentRow | None = None
        self.citations: dict[str, str] = {}
        self.show_row(None)

    def loadResource(self, type_: int, url: object) -> object:
        """Never load anything a comment's text names."""
        return None

    def show_row(self, row: CommentRow | None, citations: dict[str, str] | None = None) -> None:
        self.row = row
        if citations is not None:
            self.citations = citations
        if row is None:
            self.setHtml(f'<p style="color:{theme.current().muted}">{html.escape(T.DETAIL_NONE)}</p>')
        else:
            self.setHtml(detail_html(row, self.citations, theme.current()))

    def restyle(self) -> None:
        self.show_row(self.row)
