"""The Payments tab, the payment dialog, and the payment form (also used from documents)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from bo_console.finance import sources
from bo_console.finance.screen.common import MONEY, decimal_text
from bo_console.finance.screen.entry_dialog import open_entry_anywhere
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.kit.actions import ServiceAction, form_action, read
from bo_console.ui.kit.form import (
    FormField,
    amount_check,
    amount_or_error,
    date_check,
    day_or_error,
    field_error,
    one_of,
)
from bo_console.ui.kit.list_pane import ListPane, Row
from bo_console.ui.kit.record_dialog import ActionKey, Choice, RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.ui.app import BoApp


@dataclass(frozen=True)
class PaymentPrefill:
    """What a payment form starts with (a receipt for an invoice, say)."""

    direction: str = ""
    party: str = ""
    amount: str = ""
    apply: str = ""


def payment_form(widget: Widget, prefill: PaymentPrefill, done: Callable[[str], None]) -> None:
    """Enter a payment received or made, allocated to documents; checked, then confirmed."""
    from bo_console.core.money import base_currency
    from bo_console.finance import payments
    from bo_console.finance.sources import PartyFinder, parse_apply

    app = bo_app(widget)
    with app.store.read() as session:
        currency = base_currency(session)
        customers = PartyFinder.load(session, app.actor, "customer")
        suppliers = PartyFinder.load(session, app.actor, "supplier")

    def data_of(values: dict[str, str]) -> payments.PaymentCreate:
        direction = values.get("direction") or prefill.direction
        try:
            apply, auto = parse_apply(values["apply"], currency)
        except ValueError as exc:
            raise field_error("apply", str(exc)) from None
        return payments.PaymentCreate(
            direction=direction,
            party=values["party"],
            date=day_or_error(values["date"]),
            amount=amount_or_error(currency, values["amount"], "amount"),
            account=values["account"] or None,
            reference=values["reference"],
            memo=values["memo"],
            apply=apply,
            auto=auto,
        )

    def action_for(values: dict[str, str]) -> ServiceAction[str]:
        data = data_of(values)
        what = "received from" if data.direction == "received" else "paid to"
        applied = values["apply"] or "nothing (it stays on the party's account)"
        return ServiceAction(
            "Post payment",
            "Post",
            work=lambda s, a: payments.enter_payment(s, a, data).number,
            message=(
                f"Post {currency.format(data.amount)} {currency.code} {what} {data.party} on "
                f"{data.date.isoformat()}, applied to {applied}? A payment is posted at once; "
                "only a manager can void it."
            ),
            done=done,
            topics=MONEY,
        )

    fields: list[FormField] = []
    if not prefill.direction:
        fields.append(
            FormField(
                "direction",
                "Direction",
                value="received",
                required=True,
                check=one_of(("received", "made"), "direction"),
                suggestions=("received", "made"),
                help="received: from a customer; made: to a supplier.",
            )
        )
    names = (
        customers.suggestions
        if prefill.direction == "received"
        else suppliers.suggestions
        if prefill.direction == "made"
        else customers.suggestions + suppliers.suggestions
    )
    fields += [
        FormField("party", "Party", value=prefill.party, required=True, suggestions=names),
        FormField(
            "date", "Date", value=console_today().isoformat(), required=True, check=date_check
        ),
        FormField(
            "amount",
            "Amount",
            value=prefill.amount,
            required=True,
            check=amount_check(currency),
        ),
        FormField("account", "Bank account", placeholder="the main bank account"),
        FormField("reference", "Reference", placeholder="bank reference or cheque number"),
        FormField("memo", "Memo"),
        FormField(
            "apply",
            "Apply to",
            value=prefill.apply,
            placeholder="INV-2026-00017=500, INV-2026-00018 or auto",
            help="Documents with an amount, or what they owe; auto: oldest due first; "
            "empty: on account.",
        ),
    ]
    title = {"received": "Receive a payment", "made": "Pay a supplier"}.get(
        prefill.direction, "Enter a payment"
    )
    form_action(widget, title, fields, action_for)


class PaymentScreen(RecordDialog[Any]):
    """One payment with its allocations; dismisses with a ``Choice`` of ``allocate``,
    ``void`` or ``entry`` (its journal entry's ref), or None."""

    def record_spec(self, view: Any) -> RecordSpec:
        v, r = view, view.row
        what = "Received from" if r.direction == "received" else "Paid to"
        lines = [
            f"Payment {r.number}   {r.date.isoformat()}   {r.status}",
            f"{what} {r.party} {r.party_name}",
            f"Amount {r.amount:,} · allocated {r.allocated:,} · on account {r.unallocated:,}",
            f"Bank account {r.account}" + (f" · reference {r.reference}" if r.reference else ""),
        ]
        if v.memo:
            lines.append(f"Memo: {v.memo}")
        voided = f" · void {v.void_entry}" if v.void_entry else ""
        lines.append(f"Journal entry {v.entry}{voided}")
        table = TableSpec(
            columns=(
                ColumnSpec("Document", 15),
                ColumnSpec("Dated", 10),
                ColumnSpec("Allocated on", 12),
                ColumnSpec("Amount", 14, right=True),
            ),
            rows=[
                (a.document, a.document_date, a.date, Text(decimal_text(a.amount), justify="right"))
                for a in v.allocations
            ],
            max_height=10,
        )
        return RecordSpec(
            header=lines,
            table=table,
            actions=(
                ActionKey("a", "allocate", "Allocate", "a allocate", id="payment-view.allocate"),
                ActionKey("v", "void", "Void", "v void", id="payment-view.void"),
                ActionKey(
                    "o", "entry", "Open entry", "o open entry", ref=v.entry, id="payment-view.entry"
                ),
            ),
        )


class PaymentsPane(ListPane):
    """Payments received and made; enter one, allocate what it holds, void it."""

    BINDINGS = [
        Binding("n", "new_payment", "New", id="finance.payments.new", tooltip="Enter a payment"),
        Binding(
            "a",
            "allocate",
            "Allocate",
            id="finance.payments.allocate",
            tooltip="Allocate what a payment holds on account to documents",
        ),
        Binding(
            "v",
            "void_payment",
            "Void",
            id="finance.payments.void",
            tooltip="Void a payment: its entry is reversed (managers)",
        ),
    ]

    PERMS = {
        "new_payment": "finance.post",
        "allocate": "finance.post",
        "void_payment": "finance.manage",
    }
    LISTENS = frozenset(MONEY)

    def __init__(self, app: BoApp) -> None:
        source, currency = sources.payment_source(app.store, app.actor)
        self.currency = currency
        super().__init__(
            source,
            name="payments",
            title="Payments",
            filter_hint="party, number, reference or memo",
            id="payments-pane",
        )

    def _current(self) -> str | None:
        row = self.current_row()
        return None if row is None else str(row["number"])

    def action_new_payment(self) -> None:
        payment_form(self, PaymentPrefill(), lambda number: self.notify(f"posted {number}"))

    def open_row(self, key: str, row: Row) -> None:
        self.open_payment(str(row["number"]))

    def open_payment(self, number: str) -> None:
        """Show one payment; what the person chooses there runs here."""
        from bo_console.finance import payments

        view = read(self, lambda s, a: payments.get_payment(s, a, number))
        if view is None:
            return

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            if choice.action == "allocate":
                self.allocate(number)
            elif choice.action == "void":
                self.void(number)
            elif choice.action == "entry":
                open_entry_anywhere(self, choice.ref)

        allowed = payments.payment_actions(self.bo_app.actor, view)
        self.app.push_screen(PaymentScreen(view, allowed), chosen)

    def action_allocate(self) -> None:
        number = self._current()
        if number is not None:
            self.allocate(number)

    def allocate(self, number: str) -> None:
        """Allocate what payment ``number`` holds on account (checked, then confirmed)."""
        from bo_console.finance import payments
        from bo_console.finance.sources import parse_apply

        currency = self.currency

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            try:
                apply, auto = parse_apply(values["apply"], currency)
            except ValueError as exc:
                raise field_error("apply", str(exc)) from None
            if not apply and not auto:
                raise field_error("apply", "give documents, or auto")
            day = day_or_error(values["date"])

            def work(session: Session, actor: Actor) -> str:
                done = payments.allocate_payment(
                    session, actor, number, apply=apply, auto=auto, on=day
                )
                return ", ".join(f"{d.ref} {currency.format(a)}" for d, a in done)

            return ServiceAction(
                "Allocate payment",
                "Allocate",
                work=work,
                message=(
                    f"Allocate what {number} holds on account to {values['apply']} from "
                    f"{values['date']}? Allocations are not changed afterwards; a void of the "
                    "payment releases them."
                ),
                done=lambda text: self.notify(f"allocated {number}: {text}"),
                topics=MONEY,
            )

        form_action(
            self,
            f"Allocate {number}",
            [
                FormField(
                    "apply",
                    "Apply to",
                    value="auto",
                    required=True,
                    help="INV-2026-00017=500, INV-2026-00018 (what it owes), or auto: oldest "
                    "due first.",
                ),
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
            ],
            action_for,
        )

    def action_void_payment(self) -> None:
        number = self._current()
        if number is not None:
            self.void(number)

    def void(self, number: str) -> None:
        """Void payment ``number`` on a date (managers; checked, then confirmed)."""
        from bo_console.finance import payments

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            day = day_or_error(values["date"])

            def work(session: Session, actor: Actor) -> str:
                payments.void_payment(session, actor, number, on=day, reason=values["reason"])
                return number

            return ServiceAction(
                "Void payment",
                "Void",
                work=work,
                message=(
                    f"Void {number} on {values['date']}? Its journal entry is reversed and its "
                    "allocations are released, so the documents it paid are open again."
                ),
                done=lambda ref: self.notify(f"voided {ref}"),
                topics=MONEY,
            )

        form_action(
            self,
            f"Void {number}",
            [
                FormField(
                    "date",
                    "Void date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
                FormField("reason", "Reason", placeholder="bounced cheque, entered twice, ..."),
            ],
            action_for,
        )


__all__ = ["PaymentPrefill", "PaymentScreen", "PaymentsPane", "payment_form"]
