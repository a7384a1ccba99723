"""The Notes tab: credit and debit notes on part of invoices and bills; one note's lines and
what it was applied to; apply a credit note to another open document, refund or settle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from bo_console.finance import sources
from bo_console.finance.screen.common import MONEY, decimal_text
from bo_console.finance.screen.entry_dialog import open_entry_anywhere
from bo_console.ui.base import console_today
from bo_console.ui.kit.actions import ServiceAction, form_action, read
from bo_console.ui.kit.form import FormField, date_check, day_or_error
from bo_console.ui.kit.list_pane import ListPane, Row
from bo_console.ui.kit.record_dialog import ActionKey, Choice, RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.ui.app import BoApp


def note_actions(view: Any, actor: Actor) -> frozenset[str]:
    """What can be done to a note from its dialog, for ``actor``."""
    allowed = {"entry"} if view.entry else set()
    if actor.can("finance.post") and view.row.left > 0:
        allowed.add("money")
        if view.row.kind.endswith("_credit"):
            allowed.add("apply")
    return frozenset(allowed)


class NoteScreen(RecordDialog[Any]):
    """One note with its lines and applications; dismisses with a ``Choice`` of ``apply``,
    ``money`` (refund or settle) or ``entry``."""

    def record_spec(self, view: Any) -> RecordSpec:
        r = view.row
        lines = [
            f"{r.label} {r.number}   {r.date.isoformat()}",
            f"{r.party} {r.party_name}",
            f"On {r.original} of {r.original_date.isoformat()}"
            + (f" · {r.reason}" if r.reason else ""),
            f"Net {r.net:,} · VAT {r.tax:,} · total {r.total:,} · applied {r.applied:,} · "
            f"left {r.left:,}",
            f"Journal entry {view.entry}",
        ]
        after = (
            [
                "Applied: "
                + " · ".join(
                    f"{a.to} {a.amount:,} on {a.date.isoformat()}" for a in view.applications
                )
            ]
            if view.applications
            else []
        )
        table = TableSpec(
            columns=(
                ColumnSpec("Line", 4, right=True),
                ColumnSpec("Description", 30),
                ColumnSpec("Qty", 6, right=True),
                ColumnSpec("Tax", 4),
                ColumnSpec("Net", 11, right=True),
            ),
            rows=[
                (
                    Text(str(x.original_line), justify="right"),
                    x.description,
                    Text(f"{x.quantity.normalize():f}", justify="right"),
                    x.tax_code,
                    Text(decimal_text(x.net), justify="right"),
                )
                for x in view.lines
            ],
            max_height=8,
        )
        money = "m refund" if r.kind.endswith("_credit") else "m settle"
        return RecordSpec(
            header=lines,
            table=table,
            after=after,
            actions=(
                ActionKey("a", "apply", "Apply", "a apply", id="note-view.apply"),
                ActionKey("m", "money", "Refund/settle", money, id="note-view.money"),
                ActionKey(
                    "o", "entry", "Open entry", "o open entry", ref=view.entry, id="note-view.entry"
                ),
            ),
        )


class NotesPane(ListPane):
    """Credit and debit notes, newest first; enter shows one, a applies a credit note to an
    open document of the party, m refunds a credit note (or settles a debit note)."""

    BINDINGS = [
        Binding(
            "a",
            "apply_note",
            "Apply",
            id="finance.notes.apply",
            tooltip="Apply what a credit note has left to another open invoice or bill",
        ),
        Binding(
            "m",
            "money_note",
            "Refund/settle",
            id="finance.notes.money",
            tooltip="Refund a credit note's balance, or record money for a debit note",
        ),
    ]
    PERMS = {"apply_note": "finance.post", "money_note": "finance.post"}
    LISTENS = frozenset(MONEY)

    def __init__(self, app: BoApp) -> None:
        source, currency = sources.note_source(app.store, app.actor)
        self.currency = currency
        super().__init__(
            source,
            name="notes",
            title="Credit and debit notes",
            filter_hint="party, note or invoice number, reason",
            id="notes-pane",
        )

    def _current(self) -> str | None:
        row = self.current_row()
        return None if row is None else str(row["number"])

    def open_row(self, key: str, row: Row) -> None:
        self.open_note(str(row["number"]))

    def open_note(self, number: str) -> None:
        """Show one note; what the person chooses there runs here."""
        from bo_console.finance import notes

        view = read(self, lambda s, a: notes.get_note(s, a, number))
        if view is None:
            return

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            if choice.action == "apply":
                self.apply(number)
            elif choice.action == "money":
                self.money(number)
            elif choice.action == "entry":
                open_entry_anywhere(self, choice.ref)

        self.app.push_screen(NoteScreen(view, note_actions(view, self.bo_app.actor)), chosen)

    def action_apply_note(self) -> None:
        number = self._current()
        if number is not None:
            self.apply(number)

    def apply(self, number: str) -> None:
        """Apply credit note ``number`` to an open document (checked, then confirmed)."""
        from bo_console.finance import notes

        currency = self.currency

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            day = day_or_error(values["date"])
            amount = currency.parse(values["amount"]) if values["amount"] else None

            def work(session: Session, actor: Actor) -> str:
                done = notes.apply_note(
                    session, actor, number, values["document"], on=day, amount=amount
                )
                return currency.format(done.amount)

            return ServiceAction(
                "Apply credit note",
                "Apply",
                work=work,
                message=(
                    f"Apply {number} to {values['document'].upper()} on {values['date']}? "
                    "Applications are not changed afterwards."
                ),
                done=lambda shown: self.notify(f"applied {shown} of {number}"),
                topics=MONEY,
            )

        form_action(
            self,
            f"Apply {number}",
            [
                FormField("document", "To", required=True, placeholder="INV-2026-00017"),
                FormField("amount", "Amount", placeholder="all it can"),
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
            ],  # fmt: skip
            action_for,
        )

    def action_money_note(self) -> None:
        number = self._current()
        if number is not None:
            self.money(number)

    def money(self, number: str) -> None:
        """Refund what credit note ``number`` has left, or settle a debit note."""
        from bo_console.finance import notes

        currency = self.currency

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            day = day_or_error(values["date"])
            amount = currency.parse(values["amount"]) if values["amount"] else None

            def work(session: Session, actor: Actor) -> str:
                done = notes.settle_note(
                    session, actor, number, on=day, amount=amount, account=values["account"] or None
                )
                return currency.format(done.amount)

            return ServiceAction(
                "Refund or settle",
                "Post",
                work=work,
                message=(
                    f"Post the money for {number} on {values['date']}? Its journal entry is "
                    "posted at once."
                ),
                done=lambda shown: self.notify(f"{number}: {shown} moved"),
                topics=MONEY,
            )

        form_action(
            self,
            f"Refund or settle {number}",
            [
                FormField("amount", "Amount", placeholder="all that is left"),
                FormField("account", "Bank account", placeholder="the main bank account"),
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
            ],  # fmt: skip
            action_for,
        )


class NotesDialog(ModalScreen[None]):
    """The notes list over the documents tabs (``t`` on Invoices or Bills); escape closes."""

    DEFAULT_CSS = """
    NotesDialog { align: center middle; }
    NotesDialog > Vertical {
        width: 100%; height: 100%; border: thick $accent; background: $surface;
    }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="finance.notes.close", priority=True)]

    def __init__(self, app: BoApp) -> None:
        super().__init__()
        self._bo = app

    def compose(self) -> ComposeResult:
        with Vertical():
            yield NotesPane(self._bo)

    def on_mount(self) -> None:
        for pane in self.query(NotesPane):
            pane.table.focus()

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["NoteScreen", "NotesDialog", "NotesPane"]
