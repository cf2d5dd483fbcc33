"""What every screen of the desktop app shares; nothing here knows a screen.

- `tasks`: background work (`TaskManager`: read pool, write thread, user thread) and `qtcompat.emit`;
- `theme`: every colour, light and dark, and the style sheets; `strings`: the strings more than one
  screen uses (a feature's own strings live in its package's `strings`);
- `dialogs`: error reporting (`show_error`, logging, the excepthook); `settings`: ui.ini (`UiSettings`);
- widgets and helpers: `lazyview` (`LazyView`, the tabs' lazy loading on a read thread; `em`, table
  items), `banner`, `emptystate`, `flowlayout`, `linksformat` (a clause's departments, indicators and
  deadline as text), `layoutcheck` (clipped widgets, for the screenshots and the high-DPI test).

Nothing is imported here, so `from app.ui.common import strings` loads no widget.
"""
