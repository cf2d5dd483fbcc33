"""Every colour the app sets by hand, in a light and a dark variant, and the style sheets built from them.

The window follows the system scheme: `ThemeManager` listens to `QStyleHints.colorSchemeChanged` and
emits `changed(Theme)`; widgets re-apply their style sheets and re-render the rich text they hold.
When the platform reports a dark scheme but hands Qt a light palette (or the other way round), the
application palette is replaced by this module's, so unstyled widgets (tables, menus) match.
Style sheets are `string.Template`s: `$name` is a field of `Theme`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from app.ui.common.qtcompat import emit


@dataclass(frozen=True)
class Theme:
    dark: bool
    base: str  # reading pane and result list background
    panel: str  # header line, related-regulations strip
    panel_alt: str  # 条款信息 box
    border: str
    input_border: str
    disabled_bg: str
    text: str
    text_strong: str  # document title
    label: str  # breadcrumb document title, panel captions
    muted: str  # status line, secondary text
    faint: str  # meta lines, row captions
    fainter: str  # notes, placeholders
    heading: str  # chapter headings, article numbers
    heading2: str  # section headings
    accent: str  # focus frame, links, selection bar
    accent_text: str  # chip line, synonyms used
    mark: str  # query terms (<mark>)
    mark_text: str
    selected_clause: str  # the clause opened, in its context
    row_selected: str
    row_hover: str
    row_rule: str
    separator: str
    chip_explicit_bg: str
    chip_explicit_border: str
    chip_explicit_fg: str
    chip_table_bg: str
    chip_table_border: str
    chip_table_fg: str
    chip_user_bg: str
    chip_user_border: str
    chip_user_fg: str
    chip_inferred_border: str
    chip_inferred_fg: str
    tag_explicit: str
    tag_table: str
    tag_user: str
    tag_inferred: str
    # 督办 colours of a task (text on a tint): overdue red, due within 30 days orange, done green, on hold grey
    urg_overdue: str
    urg_overdue_bg: str
    urg_soon: str
    urg_soon_bg: str
    urg_done: str
    urg_done_bg: str
    urg_hold: str
    urg_hold_bg: str

    def urgency(self, kind: str) -> tuple[str, str] | None:
        """(text, background) of a task's urgency (app.core.desk: overdue/soon/done/hold); None = plain."""
        return {"overdue": (self.urg_overdue, self.urg_overdue_bg), "soon": (self.urg_soon, self.urg_soon_bg),
                "done": (self.urg_done, self.urg_done_bg), "hold": (self.urg_hold, self.urg_hold_bg)}.get(kind)

    def tag(self, source: str) -> str:
        """The colour of a provenance tag (原文 / 分工表 / 手工 / 推断)."""
        return {"explicit": self.tag_explicit, "table": self.tag_table, "user": self.tag_user}.get(
            source, self.tag_inferred)


LIGHT = Theme(
    dark=False, base="#ffffff", panel="#f7f8fa", panel_alt="#fafbfc", border="#e1e4e8", input_border="#c9ced6",
    disabled_bg="#f3f4f6", text="#1f2329", text_strong="#111111", label="#4b5563", muted="#5f6670",
    faint="#7a7f87", fainter="#8a8f98", heading="#1d3d6b", heading2="#2b4a75", accent="#3b6fb6",
    accent_text="#5a7396", mark="#ffe38a", mark_text="#1f2329", selected_clause="#fdf3d6",
    row_selected="#e8f0fb", row_hover="#f5f7fa", row_rule="#eceef1", separator="#c0c4ca",
    chip_explicit_bg="#eef3fa", chip_explicit_border="#c3d2e8", chip_explicit_fg="#1d3d6b",
    chip_table_bg="#edf6ef", chip_table_border="#b9d9c2", chip_table_fg="#1f5a33",
    chip_user_bg="#fff3dc", chip_user_border="#e9c98a", chip_user_fg="#6b4300",
    chip_inferred_border="#aab0b8", chip_inferred_fg="#6b7078",
    tag_explicit="#5a7396", tag_table="#4f7d5d", tag_user="#94661a", tag_inferred="#8a8f98",
    urg_overdue="#b3261e", urg_overdue_bg="#fde7e5", urg_soon="#9a5200", urg_soon_bg="#fff0d9",
    urg_done="#2e6b34", urg_done_bg="#e6f4e7", urg_hold="#5f6670", urg_hold_bg="#eef0f2",
)

DARK = Theme(
    dark=True, base="#1e2227", panel="#262b31", panel_alt="#23282e", border="#3a4049", input_border="#4d555f",
    disabled_bg="#2a2e34", text="#e3e6ea", text_strong="#f4f6f8", label="#c3c9d1", muted="#aab1ba",
    faint="#99a0aa", fainter="#868d97", heading="#8fb4e8", heading2="#a7c3ea", accent="#5b8fd6",
    accent_text="#8ea9cc", mark="#7a6414", mark_text="#fff6d8", selected_clause="#3a3421",
    row_selected="#2c3c53", row_hover="#262b31", row_rule="#30353c", separator="#59606a",
    chip_explicit_bg="#22324a", chip_explicit_border="#3d5a82", chip_explicit_fg="#c2d6f2",
    chip_table_bg="#1f3a28", chip_table_border="#3f6e4e", chip_table_fg="#bfe3c9",
    chip_user_bg="#3e3018", chip_user_border="#7d6432", chip_user_fg="#f0d49a",
    chip_inferred_border="#646b75", chip_inferred_fg="#a9b0b9",
    tag_explicit="#8ea9cc", tag_table="#8cc09c", tag_user="#d6ad5e", tag_inferred="#959ca6",
    urg_overdue="#ffb4ab", urg_overdue_bg="#4d2523", urg_soon="#ffc680", urg_soon_bg="#45331a",
    urg_done="#9fd9a4", urg_done_bg="#1f3b24", urg_hold="#b4bac2", urg_hold_bg="#30353c",
)


# -- style sheets ---------------------------------------------------------------------------------------
WINDOW_QSS = Template("""
QLineEdit#searchBox { padding: 6px 8px; font-size: 15px; border: 1px solid $input_border; border-radius: 4px;
                      background: $base; color: $text; }
QLineEdit#searchBox:focus { border: 1px solid $accent; }
QLineEdit#searchBox:disabled { background: $disabled_bg; color: $fainter; }
QLabel#searchStatus { color: $muted; padding-left: 2px; }
QListView#results { background: $base; border: 1px solid $border; }
QFrame#readerHeaderRow { background: $panel; border: none; border-bottom: 1px solid $border; }
QLabel#readerHeader { color: $label; background: transparent; padding: 8px 16px; }
QToolButton#bookmarkButton { color: $accent; font-size: 13px; padding: 2px 6px; }
QTextBrowser#reader { background: $base; border: none; }
QLabel#relatedPanel { background: $panel; border-top: 1px solid $border; padding: 8px 16px; color: $label; }
QLabel#alsoMatched { color: $accent_text; padding-left: 2px; }
QLabel#searchIntent { color: $accent_text; font-weight: 600; padding-left: 2px; }
QLabel#didYouMean { color: $label; padding-left: 2px; }
QLabel#viewInfo { color: $muted; }
QLabel#emptyState { color: $muted; font-size: 14px; background: transparent; }
QFrame#linksPanel { background: $panel_alt; border: none; border-bottom: 1px solid $border; }
QLabel#linksTitle { color: $label; font-weight: 600; font-size: 13px; }
QLabel[kind="rowLabel"] { color: $faint; font-size: 13px; padding-top: 3px; }
QLabel[kind="note"] { color: $fainter; font-size: 13px; padding-top: 3px; }
QLabel[kind="generic"] { color: $muted; font-size: 13px; padding: 3px 2px 0 2px; }
QLabel[kind="indicator"], QLabel[kind="deadline"] { color: $text; font-size: 13.5px; padding-top: 3px; }
QLabel[chip] { font-size: 13px; border-radius: 10px; padding: 1px 8px; }
QLabel[chip="explicit"] { background: $chip_explicit_bg; border: 1px solid $chip_explicit_border;
                          color: $chip_explicit_fg; }
QLabel[chip="table"] { background: $chip_table_bg; border: 1px solid $chip_table_border; color: $chip_table_fg; }
QLabel[chip="user"] { background: $chip_user_bg; border: 1px solid $chip_user_border; color: $chip_user_fg; }
QLabel[chip="inferred"] { background: transparent; border: 1px dashed $chip_inferred_border;
                          color: $chip_inferred_fg; font-style: italic; }
QToolButton#linksMore { color: $accent; border: none; font-size: 13px; padding: 2px 4px; }
QToolButton#linksMore:hover { text-decoration: underline; }
QPushButton#linksEdit { padding: 2px 12px; font-size: 13px; }
QLabel#linksDialogIntro { color: $muted; }
QLabel#linksDialogClause { font-weight: 600; color: $heading; }
QLabel#linksDialogNote { color: $fainter; font-size: 12px; font-style: italic; }
QLabel#exportMessage { color: $muted; padding: 2px 0; }
QLabel#exportMessage[kind="error"] { color: $urg_overdue; font-weight: 600; }
QLabel#exportMessage[kind="done"] { color: $text; }
QFrame[banner="true"] { background: $chip_user_bg; border: 1px solid $chip_user_border; border-radius: 4px; }
QFrame[banner="true"] QLabel { color: $chip_user_fg; background: transparent; border: none; }
QFrame#taskAnchorBox { background: $urg_soon_bg; border: 1px solid $chip_user_border; border-radius: 4px; }
QFrame#taskAnchorBox QLabel { color: $text; background: transparent; }
QLabel#taskAnchorState { color: $urg_soon; font-weight: 600; }
QLabel#taskEditorTitle { color: $heading; font-weight: 600; font-size: 14px; }
QLabel#taskEditorStatus { color: $muted; }
QLabel#taskEditorStatus[error="true"] { color: $urg_overdue; font-weight: 600; }
QLabel#taskEditorHint { color: $faint; }
QLabel#suggestionsTitle, QLabel#progressTitle { color: $label; font-weight: 600; }
QLabel#progressStatus { font-size: 14px; font-weight: 600; color: $text; }
""")

ROW_CSS = Template("""
div.crumb { color: $faint; font-size: 12.5px; margin-bottom: 5px; }
div.sib { margin-left: 18px; }
div.crumb b { color: $label; font-weight: 600; }
div.chips { color: $accent_text; font-size: 12px; margin-bottom: 5px; }
span.inferred { color: $fainter; font-style: italic; }
span.sep { color: $separator; }
div.snip { color: $text; font-size: 14.5px; line-height: 112%; }
span.hl { background-color: $mark; color: $mark_text; }
""")

READER_CSS = Template("""
body { font-size: 16px; color: $text; }
p { margin-top: 0; margin-bottom: 8px; line-height: 150%; }
p.body { text-indent: 32px; }
p.lead { margin-top: 10px; }
h1 { font-size: 22px; font-weight: 600; margin-top: 4px; margin-bottom: 6px; color: $text_strong; }
h2 { font-size: 19px; font-weight: 600; margin-top: 22px; margin-bottom: 10px; color: $heading; }
h3 { font-size: 17px; font-weight: 600; margin-top: 16px; margin-bottom: 8px; color: $heading2; }
p.meta { font-size: 13px; color: $faint; margin-bottom: 4px; }
p.note { font-size: 13px; color: $fainter; margin-bottom: 14px; }
p.empty { font-size: 15px; color: $muted; margin-top: 0; margin-bottom: 10px; text-align: center; }
p.first { margin-top: 48px; }
p.gap { color: $fainter; text-align: center; }
span.num { font-weight: 600; color: $heading; }
span.task { font-weight: 600; }
span.hl { background-color: $mark; color: $mark_text; }
table.selected { background-color: $selected_clause; }
""")


def _fill(template: Template, theme: Theme) -> str:
    return template.substitute(asdict(theme))


def window_qss(theme: Theme) -> str:
    """The main window's style sheet (it reaches every child: panes, the 条款信息 box, the dialog)."""
    return _fill(WINDOW_QSS, theme)


def row_css(theme: Theme) -> str:
    """The default style sheet of a result row's QTextDocument."""
    return _fill(ROW_CSS, theme)


def reader_css(theme: Theme) -> str:
    """The reading pane's style sheet at the default font size (ClauseView rescales it)."""
    return _fill(READER_CSS, theme)


# -- the application palette ----------------------------------------------------------------------------
def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette for platforms that report a dark scheme without providing one."""
    t = DARK
    pal = QPalette()
    roles = {
        # Fusion draws check boxes and frames from Window (darker) on Base: Base must be the lighter one
        QPalette.ColorRole.Window: "#1f2226", QPalette.ColorRole.WindowText: t.text,
        QPalette.ColorRole.Base: "#2a2e35", QPalette.ColorRole.AlternateBase: "#30353c",
        QPalette.ColorRole.ToolTipBase: "#33383f", QPalette.ColorRole.ToolTipText: t.text,
        QPalette.ColorRole.PlaceholderText: t.fainter, QPalette.ColorRole.Text: t.text,
        QPalette.ColorRole.Button: "#33383f", QPalette.ColorRole.ButtonText: t.text,
        QPalette.ColorRole.BrightText: "#ff7b72", QPalette.ColorRole.Light: "#4a5059",
        QPalette.ColorRole.Midlight: "#3c4148", QPalette.ColorRole.Mid: "#2a2e34",
        QPalette.ColorRole.Dark: "#1a1d21", QPalette.ColorRole.Shadow: "#0d0f11",
        QPalette.ColorRole.Highlight: "#3d6fb0", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff", QPalette.ColorRole.LinkVisited: "#b39ddb",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d848e"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, QColor(t.disabled_bg))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(t.disabled_bg))
    return pal


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


# -- following the system -------------------------------------------------------------------------------
_current: Theme = LIGHT


def current() -> Theme:
    """The theme in force (plain data: safe to read from any thread)."""
    return _current


class ThemeManager(QObject):
    """Tracks the system colour scheme; `changed(Theme)` when the window should restyle."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.theme = LIGHT
        self._palette_overridden = False
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_color_scheme_changed)
        self.apply(hints.colorScheme())

    def _on_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self.apply(scheme)

    def apply(self, scheme: Qt.ColorScheme) -> Theme:
        """Use the light or dark theme for `scheme` (Unknown: whatever the palette looks like)."""
        global _current
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if self._palette_overridden:  # back to the platform's own palette first
                app.setPalette(QPalette())
                self._palette_overridden = False
            platform_dark = palette_is_dark(app.palette())
            dark = platform_dark if scheme == Qt.ColorScheme.Unknown else scheme == Qt.ColorScheme.Dark
            if dark != platform_dark:
                app.setPalette(dark_palette() if dark else light_palette())
                self._palette_overridden = True
        else:
            dark = scheme == Qt.ColorScheme.Dark
        theme = DARK if dark else LIGHT
        _current = theme
        if theme != self.theme:
            self.theme = theme
            emit(self.changed, theme)
        return theme


_manager: ThemeManager | None = None


def manager() -> ThemeManager:
    """The application's one ThemeManager (created with the first window)."""
    global _manager
    if _manager is None:
        _manager = ThemeManager(QApplication.instance())
    return _manager


def set_scheme(scheme: Qt.ColorScheme) -> Theme:
    """Ask for a scheme the way the system would: through `QStyleHints.setColorScheme` where the
    platform supports it, else straight to the manager (offscreen, Xvfb, platforms without a theme)."""
    mgr = manager()
    QGuiApplication.styleHints().setColorScheme(scheme)  # Unknown: back to the system's choice
    return mgr.apply(scheme)  # idempotent when the platform has already reported the change


def validity_band(t: Theme, *, repealed: bool) -> str:
    """The reading pane's 已废止 (red) / 已被修改 (orange) band under the document line."""
    colours = t.urgency("overdue" if repealed else "soon")
    fg, bg = colours if colours is not None else (t.text, t.panel)
    return f"QLabel#readerValidity {{ color: {fg}; background: {bg}; padding: 4px 16px; font-weight: 600; }}"
