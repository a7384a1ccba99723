"""The front office's forms, each the kit's form dialog over one Create model and one
service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bo_console.front_office import service
from bo_console.front_office.models import parse_lines
from bo_console.ui.base import console_today
from bo_console.ui.kit import FormField, ServiceAction, read
from bo_console.ui.kit.form import date_check, day_or_error
from bo_console.ui.kit.form_dialog import FormSpec, form_dialog

if TYPE_CHECKING:
    from textual.widget import Widget

REQUESTS = "front.requests"
ORDERS = "front.orders"

FORMS: dict[str, tuple[str, str, str]] = {
    "register": ("n", "New customer", "Register a customer; finance approves it"),
    "quote": ("u", "Quotation", "Enter a quotation (a draft order, nothing reserved)"),
    "invoice_copy": ("i", "Invoice copy", "Ask finance for a copy of an invoice"),
    "statement": ("s", "Statement", "Ask finance for a statement of account"),
    "ticket": ("k", "IT ticket", "Raise an IT ticket"),
    "cv": ("v", "Walk-in CV", "Hand in a CV for an opening"),
    "gate": ("g", "At the gate", "A supplier's truck at the gate, for a purchase order"),
}
"""Form name -> (key, footer label, tooltip)."""


def _done(widget: Widget, text: Callable[[Any], str]) -> Callable[[Any], None]:
    def done(result: Any) -> None:
        widget.notify(text(result))

    return done


def _action(
    title: str, work: Callable[..., Any], said: Callable[[Any], str], widget: Widget
) -> ServiceAction[Any]:
    return ServiceAction(title, "Save", work, "", _done(widget, said), topics=(REQUESTS, ORDERS))


def _spec(widget: Widget, name: str) -> FormSpec[Any, Any] | None:
    today = console_today().isoformat()
    customer = FormField("customer", "Customer", required=True, placeholder="code, e.g. C0042")
    note = FormField("note", "Note")
    if name == "register":
        return FormSpec(
            "Register a customer",
            service.CustomerRegistration,
            [
                FormField("name", "Name", required=True),
                FormField("name_ar", "Arabic name"),
                FormField("cr_number", "CR number", required=True, help="10 digits"),
                FormField("tax_number", "VAT number", required=True, help="15 digits, 3...3"),
                FormField("contact_name", "Contact"),
                FormField("email", "E-mail"),
                FormField("phone", "Phone"),
                FormField("address", "Address"),
            ],
            action=lambda data: _action(
                "Register a customer",
                lambda s, a: service.register_customer(s, a, data)[0],
                lambda view: f"{view.code} {view.name} waits for finance's approval",
                widget,
            ),
            save_label="Register",
        )
    if name == "quote":
        return FormSpec(
            "Quotation",
            service.QuotationCreate,
            [
                customer,
                FormField("date", "Date", value=today, required=True, check=date_check),
                FormField("requested", "Wanted by", check=date_check),
                FormField(
                    "lines",
                    "Lines",
                    required=True,
                    placeholder="SKU:QTY[:PRICE], ...",
                    help="e.g. GLV-M:4, MASK-50:2:30.00 (no price: the list price)",
                ),
                FormField("memo", "Memo"),
            ],
            action=lambda data: _action(
                "Quotation",
                lambda s, a: service.enter_quotation(s, a, data),
                lambda status: f"quotation {status.number} entered",
                widget,
            ),
            convert={"date": day_or_error, "requested": day_or_error, "lines": parse_lines},
        )
    if name in ("invoice_copy", "statement"):
        fields = [customer, note]
        if name == "invoice_copy":
            fields.insert(1, FormField("document", "Invoice", required=True, placeholder="INV-"))
        request = (
            service.request_invoice_copy if name == "invoice_copy" else (service.request_statement)
        )
        return FormSpec(
            "Invoice copy" if name == "invoice_copy" else "Statement of account",
            service.CustomerRequest,
            fields,
            action=lambda data: _action(
                "Request",
                lambda s, a: request(s, a, data),
                lambda item: f"work item {item.id} sent to finance, due {item.due_date}",
                widget,
            ),
            save_label="Send",
        )
    if name == "ticket":
        return FormSpec(
            "IT ticket",
            service.TicketRequest,
            [
                FormField("subject", "Subject", required=True),
                FormField("description", "Details"),
                FormField("priority", "Priority", value="P3", suggestions=("P1", "P2", "P3", "P4")),
            ],
            action=lambda data: _action(
                "IT ticket",
                lambda s, a: service.raise_ticket(s, a, data),
                lambda view: f"ticket {view.row.ref} raised",
                widget,
            ),
            save_label="Raise",
        )
    if name == "cv":
        openings = read(widget, lambda s, a: service.openings(s, a))
        if openings is None:
            return None
        if not openings:
            widget.notify("no opening takes applications now", severity="warning")
            return None
        return FormSpec(
            "Walk-in CV",
            service.WalkInCV,
            [
                FormField(
                    "opening",
                    "Opening",
                    required=True,
                    suggestions=[str(i) for i, _ in openings],
                    help=", ".join(f"{i} {t}" for i, t in openings[:6]),
                ),
                FormField("name", "Name", required=True),
                FormField("email", "E-mail"),
                FormField("phone", "Phone"),
                note,
            ],
            action=lambda data: _action(
                "Walk-in CV",
                lambda s, a: service.hand_in_cv(s, a, data),
                lambda candidate: f"candidate {candidate} handed to HR",
                widget,
            ),
            save_label="Hand in",
        )
    if name == "gate":
        return FormSpec(
            "At the gate",
            service.GateDelivery,
            [
                FormField("order", "PO", required=True, placeholder="PO-..."),
                FormField("delivery_note", "Delivery note"),
                FormField("packages", "Packages", value="1"),
                note,
            ],
            action=lambda data: _action(
                "At the gate",
                lambda s, a: service.record_gate_delivery(s, a, data),
                lambda item: f"work item {item.id} sent to logistics",
                widget,
            ),
            save_label="Send",
        )
    return None


def open_form(widget: Widget, name: str) -> None:
    """Open form ``name`` (one of :data:`FORMS`)."""
    spec = _spec(widget, name)
    if spec is not None:
        form_dialog(widget, spec)
