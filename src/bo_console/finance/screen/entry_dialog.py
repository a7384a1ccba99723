"""One journal entry in a dialog, and opening an entry from anywhere on the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from bo_console.finance.screen.common import SOURCE_DOCUMENTS, decimal_text, leaf
from bo_console.ui.base import bo_app
from bo_console.ui.kit.actions import read
from bo_console.ui.kit.record_dialog import ActionKey, RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec

if TYPE_CHECKING:
    from bo_console.core.security import Actor
    from bo_console.finance.ledger import EntryView


def entry_actions(view: EntryView, actor: Actor) -> frozenset[str]:
    """What the ledger lets ``actor`` do with ``view``, less opening a source document of a
    kind this screen does not list."""
    from bo_console.finance.ledger import entry_actions as allowed

    actions = allowed(actor, view)
    return actions if view.source in SOURCE_DOCUMENTS else actions - {"source"}


class EntryScreen(RecordDialog["EntryView"]):
    """One entry with its lines and links; dismisses with a ``Choice`` of ``post``,
    ``reverse``, ``edit``, ``delete``, ``open`` (the linked entry's ref) or ``source`` (the
    document's ref; ``view.source`` says its kind), or None."""

    def record_spec(self, view: EntryView) -> RecordSpec:
        v = view
        lines = [
            f"Journal entry {v.ref}   {v.date.isoformat()}   {v.state}",
            f"Memo: {v.memo}" if v.memo else "Memo: -",
            f"Source: {v.source}" + (f" {v.source_ref}" if v.source_ref else ""),
        ]
        if v.reverses:
            lines.append(f"Reverses {v.reverses}")
        if v.reversed_by:
            lines.append(f"Reversed by {v.reversed_by}")
        made = f"Made by {v.created_by} {v.created_at:%Y-%m-%d %H:%M}"
        if v.posted_by and v.posted_at is not None:
            made += f" · posted by {v.posted_by} {v.posted_at:%Y-%m-%d %H:%M}"
        lines.append(made)
        lines.append(f"Debits {v.debit:,}   Credits {v.credit:,}")
        table = TableSpec(
            columns=(
                ColumnSpec("#", 2),
                ColumnSpec("Account", 28),
                ColumnSpec("Debit", 12, right=True),
                ColumnSpec("Credit", 12, right=True),
                ColumnSpec("Memo", 10),
            ),
            rows=[
                (
                    line.line_no,
                    f"{line.code} {leaf(line.account)}",
                    Text(decimal_text(line.debit) if line.debit else "", justify="right"),
                    Text(decimal_text(line.credit) if line.credit else "", justify="right"),
                    line.memo,
                )
                for line in v.lines
            ],
            id="entry-lines-table",
        )
        return RecordSpec(
            header=lines,
            header_id="entry-header",
            table=table,
            actions=(
                ActionKey("p", "post", "Post", "p post", id="entry-view.post"),
                ActionKey("e", "edit", "Edit", "e edit", id="entry-view.edit"),
                ActionKey("d", "delete", "Delete", "d delete", id="entry-view.delete"),
                ActionKey("v", "reverse", "Reverse", "v reverse", id="entry-view.reverse"),
                ActionKey(
                    "o",
                    "open",
                    "Open linked",
                    "o open linked entry",
                    ref=v.reversed_by or v.reverses or "",
                    id="entry-view.link",
                ),
                ActionKey(
                    "s",
                    "source",
                    "Open source",
                    f"s open {v.source_ref}",
                    ref=v.source_ref or "",
                    id="entry-view.source",
                ),
            ),
        )


def open_entry_anywhere(widget: Widget, ref: str) -> None:
    """Open an entry from a report: read-only, unless the journal tab is there to act on it."""
    from bo_console.finance import service
    from bo_console.finance.screen.journal import JournalPane

    app = bo_app(widget)
    journal = app.query("#journal-pane")
    for screen in app.screen_stack:
        found = screen.query("#journal-pane")
        if found:
            journal = found
    if journal:
        journal.first(JournalPane).open_entry(ref)
        return
    view = read(widget, lambda s, a: service.get_entry(s, a, ref))
    if view is not None:
        # Links still show (as they did) but nothing is changed from here.
        links = entry_actions(view, app.actor) & {"open", "source"}
        app.push_screen(EntryScreen(view, links))
