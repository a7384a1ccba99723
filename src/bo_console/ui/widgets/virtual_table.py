"""A table over a database query that draws only the rows on screen.

Departments use it for every list that can grow large (journal lines, employees, audit rows).
Rows come from a :class:`~bo_console.core.paging.QuerySource`, a block at a time; moving the
cursor row by row or page by page reads at most one new block. The first line is a header
that stays put while the rows scroll.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as TextualStyle

from bo_console.core.paging import Column, QuerySource, Row
from bo_console.ui.widgets.bidi import visual
from bo_console.ui.widgets.columns import visible_widths
from bo_console.ui.widgets.scrollbar import KeptScrollBar

# Control characters would move the terminal's cursor (or worse) and break the columns; explicit
# direction overrides would reorder the rest of the line in terminals that apply bidi.
_UNSAFE: dict[int, str | None] = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " ")
_UNSAFE.update(dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


_LINE = "_line"
"""Where a fetched row keeps its drawn line of text (with the width it was drawn for)."""
_STRIPS = "_strips"
"""Where a fetched row keeps its drawn strips, plain and under the cursor, with the look they
were drawn for."""


@dataclass(frozen=True)
class _Frame:
    """What every line of one frame is drawn with."""

    width: int
    widths: list[int]
    shape: tuple[int, ...]
    styles: dict[str, Style]
    look: tuple[object, ...]
    """Everything a row's strip depends on besides the row (the same object from frame to
    frame while it is unchanged, so rows compare it by identity)."""
    fill: Style
    """The style of the cells past the columns (under the scrollbar), as Textual pads them."""
    content_width: int
    background: Color


def _fit(text: str, width: int, align: str) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, padded left or right.

    Widths are terminal cells (``rich.cells.cell_len``), so wide characters and Arabic with
    its combining marks keep the columns aligned.
    """
    if width <= 0:
        return ""
    if text.isascii() and text.isprintable():
        # One cell per character and nothing to make safe: the common case, done quickly.
        if len(text) > width:
            text = text[: width - 1] + "…" if width > 1 else text[:width]
        return text.rjust(width) if align == "right" else text.ljust(width)
    text = text.translate(_UNSAFE)
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    pad = width - cell_len(text)
    return (" " * pad + text) if align == "right" else (text + " " * pad)


_MOVES = [
    Binding("up,k", "cursor_up", "Up", show=False),
    Binding("down,j", "cursor_down", "Down", show=False),
    Binding("pageup", "page_up", "Page up", show=False),
    Binding("pagedown", "page_down", "Page down", show=False),
    Binding("home,g", "first", "First", show=False),
    Binding("end,G", "last", "Last", show=False),
]
_MOVE_KEYS = {key: f"action_{b.action}" for b in _MOVES for key in b.key.split(",")}
"""The cursor keys, handled where they arrive (see :meth:`VirtualTable.on_key`)."""


class VirtualTable(ScrollView, can_focus=True):
    """A keyboard-driven table over a :class:`QuerySource` (only visible rows are drawn)."""

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; overflow-x: hidden; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $accent 40%; }
    VirtualTable:focus > .virtual-table--cursor { background: $accent; color: $text; }
    VirtualTable:nocolor > .virtual-table--cursor { text-style: reverse; }
    VirtualTable > .virtual-table--empty { color: $text-muted; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        *_MOVES,
        Binding("enter", "select", "Open", id="table.open"),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="table.filter",
            tooltip="Filter the list (Enter applies, an empty filter shows everything)",
        ),
        Binding(
            "o",
            "next_order",
            "Sort",
            id="table.order",
            tooltip="Sort by the next sortable column (ascending, then descending)",
        ),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Position of the highlighted row (0-based); :meth:`watch_cursor` repaints what moved."""

    class RowSelected(Message):
        """Enter was pressed on a row."""

        def __init__(self, table: VirtualTable, key: Any, row: Row) -> None:
            super().__init__()
            self.table = table
            self.key = key
            """The row's primary key."""
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Moved(Message):
        """The cursor, the row count, the filter or the order changed."""

        def __init__(self, table: VirtualTable, cursor: int, count: int) -> None:
            super().__init__()
            self.table = table
            self.cursor = cursor
            self.count = count

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        source: QuerySource,
        *,
        empty_text: str = "No rows.",
        filter_hint: str = "",
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source = source
        self.empty_text = empty_text
        self.filter_hint = filter_hint
        self._count = 0
        self._fitted: tuple[object, list[int]] | None = None
        self._frame: _Frame | None = None
        self._styles: dict[tuple[Style, bool], dict[str, Style]] = {}
        self._look: tuple[object, ...] = ()
        self._header: tuple[tuple[object, ...], tuple[str, ...], Strip] | None = None

    # -- data --------------------------------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return self.source.columns

    @property
    def count(self) -> int:
        """Rows that match the current filter."""
        return self._count

    @property
    def page_rows(self) -> int:
        """Data rows that fit on screen (the header takes one line)."""
        return max(1, self.scrollable_content_region.height - 1)

    def on_mount(self) -> None:
        self.refresh_data(keep_cursor=False)

    def refresh_data(self, *, keep_cursor: bool = True) -> None:
        """Read the rows again (after a change, or a new filter or order)."""
        self.source.invalidate()
        self._count = self.source.count()
        self.virtual_size = Size(self._total_width(), self._count + 1)
        target = min(self.cursor, max(0, self._count - 1)) if keep_cursor else 0
        if not keep_cursor:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = target
        self.refresh()

    def set_filter(self, text: str) -> None:
        """Show only rows matching ``text`` (the source decides what matching means)."""
        self.source.set_filter(text)
        self.refresh_data(keep_cursor=False)

    def set_sort(self, column_key: str | None, descending: bool = False) -> None:
        """Order by an indexed column (None: the primary key)."""
        self.source.set_sort(column_key, descending)
        self.refresh_data(keep_cursor=False)

    @property
    def order_label(self) -> str:
        """How the rows are ordered, for status lines (``by name ↓``)."""
        key = self.source.sort_key
        if key is None:
            # A source may name its own order (``order_name``), e.g. the lines of a report.
            unnamed = getattr(self.source, "order_name", "key")
            title = next((c.title for c in self.columns if c.sort is self.source.key), unnamed)
        else:
            title = next(c.title for c in self.columns if c.key == key)
        return f"by {title} {'↓' if self.source.descending else '↑'}"

    def status_text(self) -> str:
        """``row 12 of 1,000,000 · by Name ↑ · filter "abc"``, for the screen to show."""
        where = f"row {self.cursor + 1:,} of {self._count:,}" if self._count else "no rows"
        parts = [where, self.order_label]
        if self.source.filter_text:
            parts.append(f'filter "{self.source.filter_text}"')
        return " · ".join(parts)

    def action_filter(self) -> None:
        from bo_console.ui.widgets.filter import FilterPrompt

        def apply(text: str | None) -> None:
            if text is not None:
                self.set_filter(text)

        self.app.push_screen(FilterPrompt(self.source.filter_text, self.filter_hint), apply)

    def action_next_order(self) -> None:
        orders: list[tuple[str | None, bool]] = [(None, False), (None, True)]
        for key in self.source.sortable:
            orders += [(key, False), (key, True)]
        current = (self.source.sort_key, self.source.descending)
        position = orders.index(current) if current in orders else -1
        self.set_sort(*orders[(position + 1) % len(orders)])

    def current_row(self) -> Row | None:
        """The highlighted row, or None when the table is empty."""
        return self.source.row(self.cursor) if self._count else None

    def _total_width(self) -> int:
        # The columns fit the width they are given (no horizontal scrolling).
        return max(1, self.scrollable_content_region.width)

    def column_widths(self) -> list[int]:
        """Each column's width on screen now: text columns take the spare width of a wide
        table and give cells up in a narrow one, and an optional column left out is 0
        (:func:`~bo_console.ui.widgets.columns.visible_widths`)."""
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            # Room for the scrollbar a longer list will show, so that its arrival (a filter
            # cleared, rows loaded) never pushes the last column, an amount, off the edge.
            width = max(1, width - self.styles.scrollbar_size_vertical)
        shape = (width, tuple((c.key, c.width, c.align, c.flex, c.optional) for c in self.columns))
        if self._fitted is None or self._fitted[0] != shape:
            fitted = visible_widths(
                [c.width for c in self.columns],
                [c.align == "right" for c in self.columns],
                [c.optional for c in self.columns],
                width,
                flex=[c.flex for c in self.columns],
            )
            self._fitted = (shape, [w or 0 for w in fitted])
        return self._fitted[1]

    def on_resize(self) -> None:
        self._fitted = None
        self.virtual_size = Size(self._total_width(), self._count + 1)

    # -- cursor ------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self._count - 1)) if self._count else 0

    def watch_cursor(self, old: int, value: int) -> None:
        top = round(self.scroll_y)
        if value < top:
            self.scroll_to(y=value, animate=False, immediate=True)
        elif value >= top + self.page_rows:
            self.scroll_to(y=value - self.page_rows + 1, animate=False, immediate=True)
        if round(self.scroll_y) == top:
            # Only the lines the cursor leaves and reaches change (a scroll repaints all).
            width = self.size.width
            self.refresh(*(Region(0, p - top + 1, width, 1) for p in {old, value}))
        self.post_message(self.Moved(self, value, self._count))

    def on_key(self, event: events.Key) -> None:
        # The cursor keys are this table's own bindings, which come first for the focused
        # table anyway; acting on them here spares the key's trip up the DOM and back down
        # Textual's binding chain (about a millisecond a key). Priority bindings were
        # checked before the key reached the table.
        action = _MOVE_KEYS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            getattr(self, action)()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self.page_rows

    def action_page_down(self) -> None:
        self.cursor += self.page_rows

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._count - 1

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on a row; a double click opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        position = round(self.scroll_y) + offset.y - 1
        if position < self._count:
            self.cursor = position
            if event.chain == 2:
                self.action_select()

    def action_select(self) -> None:
        row = self.current_row()
        if row is not None:
            self.post_message(self.RowSelected(self, self.source.key_of(row), row))

    # -- drawing -----------------------------------------------------------------------------

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar: one that draws again only when its thumb moves a cell."""
        # Textual's own property with its own steps, but a KeptScrollBar: a long list moves
        # the bar's position on every key while the thumb stays where it was drawn.
        bar = self._vertical_scrollbar
        if bar is None:
            bar = KeptScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return bar

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Widths and styles are worked out once a frame, not once a line: Textual's region
        # and style lookups cost more than drawing a line.
        self._frame = None
        try:
            if self._boxed():
                return super().render_lines(crop)
            return self._draw(crop)
        finally:
            self._frame = None

    def _boxed(self) -> bool:
        """Whether the stylesheet gives the table a border, outline, padding, tint, hatch or
        opacity: Textual then draws its lines around ours, else :meth:`_draw` does."""
        styles = self.styles
        return bool(
            any(edge for edge, _ in styles.border)
            or any(edge for edge, _ in styles.outline)
            or any(styles.padding)
            or styles.tint.a
            or styles.text_opacity != 1.0
            or self.opacity != 1.0
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or (self.auto_links and self.hover_style.link_id)
        )

    def _draw(self, crop: Region) -> list[Strip]:
        """The lines of ``crop`` as Textual's styles cache would make them for a table
        without a box (each line padded to the content width, then the app's filters), but
        from the strips kept with each row: a key that scrolls one line draws one new row."""
        frame = self._frame_facts()
        filters = self.get_line_filters()
        background = frame.background
        width, height = self.size
        fill = frame.fill
        lines: list[Strip] = []
        for y in crop.line_range:
            if y < height:
                strip = self.render_line(y).adjust_cell_length(frame.content_width, fill)
            else:
                strip = Strip.blank(frame.content_width, fill)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            lines.append(strip)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            lines = [strip.crop(x1, x2) for strip in lines]
        return lines

    def _frame_facts(self) -> _Frame:
        frame = self._frame
        if frame is None:
            base = self.rich_style
            # Textual forgets component styles on every repaint; they change only with the
            # focus or the stylesheet (notify_style_update), so they are kept here.
            key = (base, self.has_focus)
            styles = self._styles.get(key)
            if styles is None:
                styles = {"": base}
                for name in ("header", "cursor", "empty"):
                    part = self.get_component_rich_style(f"virtual-table--{name}")
                    styles[name] = base + part
                self._styles[key] = styles
            widths = self.column_widths()
            width = self.scrollable_content_region.width
            content_width = self.content_region.width
            under, background = self.background_colors
            fill = TextualStyle(background=under + background).rich_style
            look = (
                width,
                tuple(widths),
                styles["cursor"],
                styles[""],
                styles["header"],
                content_width,
                fill,
            )
            if look != self._look:
                self._look = look
            frame = _Frame(
                width,
                widths,
                tuple(widths),
                styles,
                self._look,
                fill,
                content_width,
                background,
            )
            self._frame = frame
        return frame

    def _text_line(self, texts: list[str], frame: _Frame) -> str:
        cells = [
            _fit(visual(t), w, c.align)
            for t, c, w in zip(texts, self.columns, frame.widths, strict=True)
            if w
        ]
        return _fit(" ".join(cells), frame.width, "left")

    def _row_line(self, row: Row, frame: _Frame) -> str:
        """A row's line of text, made once per row and layout (fetched rows are kept per
        block until the data is read again), so moving the cursor only draws."""
        shape = (frame.width, frame.shape)
        made = row.get(_LINE)
        if made is None or made[0] != shape:
            texts = [c.text(c.value(row)) for c in self.columns]
            made = row[_LINE] = (shape, self._text_line(texts, frame))
        return str(made[1])

    def _row_strip(self, row: Row, cursor: bool, frame: _Frame) -> Strip:
        """A row's strip, plain or under the cursor, kept with the row for the frame's look
        (a strip also keeps what Textual derives from it: padded, filtered, cropped)."""
        made = row.get(_STRIPS)
        if made is None or made[0] is not frame.look:
            made = row[_STRIPS] = [frame.look, None, None]
        strip: Strip | None = made[1 + cursor]
        if strip is None:
            style = frame.styles["cursor" if cursor else ""]
            strip = made[1 + cursor] = Strip(
                [Segment(self._row_line(row, frame), style)], frame.width
            )
        return strip

    def render_line(self, y: int) -> Strip:
        frame = self._frame_facts()
        width = frame.width
        if y == 0:
            header = self._header
            titles = tuple(c.title for c in self.columns)
            if header is None or header[0] is not frame.look or header[1] != titles:
                line = self._text_line(list(titles), frame)
                strip = Strip([Segment(line, frame.styles["header"])], width)
                header = self._header = (frame.look, titles, strip)
            return header[2]
        if not self._count:
            if y == 1:
                line = _fit(self.empty_text, width, "left")
                return Strip([Segment(line, frame.styles["empty"])], width)
            return Strip.blank(width, frame.styles[""])
        position = round(self.scroll_y) + y - 1
        row = self.source.row(position)
        if row is None:
            return Strip.blank(width, frame.styles[""])
        return self._row_strip(row, position == self.cursor, frame)
