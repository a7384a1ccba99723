"""The Invoices and Bills tabs, and the dialog showing one document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.finance import sources
from bo_console.finance.screen.common import DOCUMENTS, MONEY, decimal_text, doc_ref
from bo_console.finance.screen.document_form import DocumentForm
from bo_console.finance.screen.entry_dialog import open_entry_anywhere
from bo_console.finance.screen.payments import PaymentPrefill, payment_form
from bo_console.ui.base import console_today
from bo_console.ui.kit.actions import ServiceAction, form_action, read, run_action
from bo_console.ui.kit.events import announce
from bo_console.ui.kit.form import FormField, FormScreen, date_check, day_or_error, one_of
from bo_console.ui.kit.list_pane import ListPane, Row
from bo_console.ui.kit.notify import show_error
from bo_console.ui.kit.record_dialog import ActionKey, Choice, RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.ui.app import BoApp


class DocumentScreen(RecordDialog[Any]):
    """One invoice, bill or credit note with its lines and payments; dismisses with a
    ``Choice`` of ``post``, ``delete``, ``void``, ``pay`` or ``entry`` (its entry's ref)."""

    def record_spec(self, view: Any) -> RecordSpec:
        from bo_console.finance.documents import KIND_LABELS

        v, r = view, view.row
        lines = [
            f"{KIND_LABELS.get(r.kind, r.kind)} {r.ref}   {r.status}",
            f"{r.party} {r.party_name}",
            f"Dated {r.date.isoformat()} · due {r.due_date.isoformat()}"
            + (f" · reference {r.reference}" if r.reference else ""),
            f"Net {r.net:,} · VAT {r.tax:,} · total {r.total:,} · paid {r.paid:,} · "
            f"open {r.open:,}",
        ]
        links = []
        if v.entry:
            links.append(f"journal entry {v.entry}")
        if v.voids:
            links.append(f"voids {v.voids}")
        if v.voided_by:
            links.append(f"voided by {v.voided_by}")
        if links:
            lines.append("Links: " + " · ".join(links))
        if v.memo:
            lines.append(f"Memo: {v.memo}")
        after = []
        if v.allocations:
            paid = " · ".join(
                f"{a.payment} {a.amount:,} on {a.date.isoformat()}"
                + ("" if a.payment_status == "posted" else f" ({a.payment_status})")
                for a in v.allocations
            )
            after.append(f"Payments: {paid}")
        table = TableSpec(
            columns=(
                ColumnSpec("Description", 32),
                ColumnSpec("Qty", 6, right=True),
                ColumnSpec("Unit price", 11, right=True),
                ColumnSpec("Tax", 4),
                ColumnSpec("Net", 11, right=True),
            ),
            rows=[
                (
                    line.description,
                    Text(f"{line.quantity.normalize():f}", justify="right"),
                    Text(decimal_text(line.unit_price), justify="right"),
                    line.tax_code,
                    Text(decimal_text(line.net), justify="right"),
                )
                for line in v.lines
            ],
            max_height=8,
        )
        pay = "m receive" if r.kind == "invoice" else "m pay"
        return RecordSpec(
            header=lines,
            table=table,
            after=after,
            actions=(
                ActionKey("p", "post", "Post", "p post", id="document-view.post"),
                ActionKey("d", "delete", "Delete", "d delete", id="document-view.delete"),
                ActionKey("m", "pay", "Receive/pay", pay, id="document-view.pay"),
                ActionKey("v", "void", "Void", "v void", id="document-view.void"),
                ActionKey(
                    "o",
                    "entry",
                    "Open entry",
                    "o open entry",
                    ref=v.entry or "",
                    id="document-view.entry",
                ),
            ),
        )


class DocumentsPane(ListPane):
    """Invoices (``side='sales'``) or bills, newest first, with what can be done to them."""

    WORK_ITEMS = ("document", "number")

    SIDE = "sales"
    KIND = "invoice"
    LABEL = "Invoices"

    BINDINGS = [
        Binding("n", "new_document", "New", id="finance.documents.new"),
        Binding("p", "post_document", "Post", id="finance.documents.post"),
        Binding(
            "d",
            "delete_document",
            "Delete",
            id="finance.documents.delete",
            show=False,
            tooltip="Delete a draft",
        ),
        Binding(
            "v",
            "void_document",
            "Void",
            id="finance.documents.void",
            tooltip="Void a posted document with a credit note (managers)",
        ),
        Binding(
            "c",
            "credit_note",
            "Credit note",
            id="finance.documents.credit-note",
            tooltip="A credit note on part of the posted document (returns, price corrections)",
        ),
        Binding(
            "b",
            "debit_note",
            "Debit note",
            id="finance.documents.debit-note",
            show=False,
            tooltip="A debit note on the posted document (more quantity, a higher price)",
        ),
        Binding(
            "t",
            "notes",
            "Notes",
            id="finance.documents.notes",
            show=False,
            tooltip="The credit and debit notes issued on invoices and bills",
        ),
        Binding(
            "f",
            "filter_form",
            "Filter status",
            id="finance.documents.filter",
            tooltip="Filter by status, party and dates",
        ),
    ]

    PERMS = {
        "new_document": "finance.post",
        "post_document": "finance.post",
        "delete_document": "finance.post",
        "money": "finance.post",
        "void_document": "finance.manage",
        "credit_note": "finance.post",
        "debit_note": "finance.post",
    }
    LISTENS = frozenset(MONEY)

    def __init__(self, app: BoApp) -> None:
        source, currency = sources.document_source(app.store, app.actor, self.SIDE)
        self.currency = currency
        self.list_filter = sources.DocumentListFilter()
        super().__init__(
            source,
            name=self.LABEL.lower(),
            title=self.LABEL,
            filter_hint="party, number, reference or memo",
            id=f"{self.LABEL.lower()}-pane",
        )

    def _current(self) -> str | None:
        row = self.current_row()
        return None if row is None else str(row["number"])

    def open_row(self, key: str, row: Row) -> None:
        self.open_document(str(row["number"]))

    def _view(self, ref: str) -> Any:
        from bo_console.finance import documents

        return read(self, lambda s, a: documents.get_document(s, a, doc_ref(ref)))

    def open_ref(self, ref: str) -> bool:
        """Open document ``ref`` (a work item's linked record); a missing one is said in a
        toast."""
        self.open_document(ref)
        return True

    def open_document(self, ref: str) -> None:
        """Show one document; what the person chooses there runs here."""
        view = self._view(ref)
        if view is None:
            return

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            if choice.action == "post":
                self.post(view.row.ref)
            elif choice.action == "delete":
                self.delete(view.row.ref)
            elif choice.action == "void":
                self.void(view.row.ref)
            elif choice.action == "pay":
                self.money(view)
            elif choice.action == "entry":
                open_entry_anywhere(self, choice.ref)

        from bo_console.finance import documents

        allowed = documents.document_actions(self.bo_app.actor, view)
        self.app.push_screen(DocumentScreen(view, allowed), chosen)

    def action_new_document(self) -> None:
        def saved(document_id: int | None) -> None:
            if document_id is not None:
                announce(self, *MONEY)
                self.open_document(f"#{document_id}")

        self.app.push_screen(DocumentForm(self.KIND), saved)

    def action_notes(self) -> None:
        from bo_console.finance.screen.notes import NotesDialog

        self.app.push_screen(NotesDialog(self.bo_app))

    def action_credit_note(self) -> None:
        self.note("credit")

    def action_debit_note(self) -> None:
        self.note("debit")

    def note(self, kind: str) -> None:
        """The note form on the current document, its lines prefilled from the original's."""
        from bo_console.finance.screen.note_form import NoteForm

        ref = self._current()
        if ref is None:
            return
        if not ref.startswith(("INV-", "BILL-")):
            self.notify(f"{ref}: a note is issued on a posted invoice or bill", severity="warning")
            return

        def issued(note_id: int | None) -> None:
            if note_id is not None:
                announce(self, *MONEY)

        self.app.push_screen(NoteForm(ref, kind), issued)

    def action_post_document(self) -> None:
        ref = self._current()
        if ref is not None:
            self.post(ref)

    def post(self, ref: str) -> None:
        """Post a draft (checked, then confirmed)."""
        from bo_console.finance import documents

        view = self._view(ref)
        if view is None:
            return
        r = view.row
        run_action(
            self,
            ServiceAction(
                f"Post {r.kind}",
                "Post",
                work=lambda s, a: documents.post_document(s, a, doc_ref(ref)).ref,
                message=(
                    f"Post {r.ref} to {r.party_name} dated {r.date.isoformat()} for "
                    f"{r.total:,} {self.currency.code}? It gets the next {r.kind} number and "
                    "its journal entry is posted; afterwards only a manager can void it, with "
                    "a credit note."
                ),
                done=lambda number: self.notify(f"posted {number}"),
                topics=MONEY,
            ),
        )

    def action_delete_document(self) -> None:
        ref = self._current()
        if ref is not None:
            self.delete(ref)

    def delete(self, ref: str) -> None:
        """Delete a draft (checked, then confirmed)."""
        from bo_console.finance import documents

        def work(session: Session, actor: Actor) -> str:
            documents.delete_draft(session, actor, doc_ref(ref))
            return ref

        run_action(
            self,
            ServiceAction(
                "Delete draft",
                "Delete",
                work=work,
                message=f"Delete {ref}? Its lines go with it.",
                done=lambda label: self.notify(f"deleted {label}"),
                topics=(DOCUMENTS,),
            ),
        )

    def action_void_document(self) -> None:
        ref = self._current()
        if ref is not None:
            self.void(ref)

    def void(self, ref: str) -> None:
        """Void a posted document with a credit note on a date (managers)."""
        from bo_console.finance import documents

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            day = day_or_error(values["date"])
            return ServiceAction(
                "Void document",
                "Void",
                work=lambda s, a: (
                    documents.void_document(s, a, ref, on=day, reason=values["reason"]).ref
                ),
                message=(
                    f"Void {ref} with a credit note dated {values['date']}? Its journal entry "
                    "is reversed; this cannot be undone."
                ),
                done=lambda note: self.notify(f"voided {ref} with {note}"),
                topics=MONEY,
            )

        form_action(
            self,
            f"Void {ref}",
            [
                FormField(
                    "date",
                    "Credit note date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
                FormField("reason", "Reason", placeholder="on the credit note"),
            ],
            action_for,
        )

    def action_money(self) -> None:
        ref = self._current()
        view = self._view(ref) if ref is not None else None
        if view is not None:
            self.money(view)

    def money(self, view: Any) -> None:
        """Receive (or pay) what a document still owes: the payment form, filled in."""
        from bo_console.finance import documents

        r = view.row
        if not documents.owes(r):
            self.notify(f"{r.ref} is {r.status}; nothing is owed on it", severity="warning")
            return
        prefill = PaymentPrefill(
            direction="received" if self.SIDE == "sales" else "made",
            party=r.party,
            amount=str(r.open),
            apply=r.ref,
        )
        payment_form(self, prefill, lambda number: self.notify(f"posted {number}"))

    def apply_filter(self, flt: sources.DocumentListFilter) -> None:
        """Show only the documents ``flt`` lets through (the ``/`` text is kept)."""
        try:
            sources.refilter_documents(self.bo_app.store, self.source, self.SIDE, flt)
        except BoError as exc:
            show_error(self, exc)
            return
        self._filtered(flt)

    def _filtered(self, flt: sources.DocumentListFilter) -> None:
        self.list_filter = flt
        described = flt.describe()
        self.title = f"{self.LABEL} [{described}]" if described else self.LABEL
        self.table.refresh_data(keep_cursor=False)

    def action_filter_form(self) -> None:
        app = self.bo_app
        current = self.list_filter

        def submit(values: dict[str, str]) -> sources.DocumentListFilter:
            flt = sources.DocumentListFilter(
                status=values["status"],
                party=values["party"],
                date_from=parse_date(values["date_from"]) if values["date_from"] else None,
                date_to=parse_date(values["date_to"]) if values["date_to"] else None,
            )
            sources.refilter_documents(app.store, self.source, self.SIDE, flt)
            return flt

        def applied(flt: sources.DocumentListFilter | None) -> None:
            if flt is not None:
                self._filtered(flt)

        form = FormScreen(
            f"Filter the {self.LABEL.lower()}",
            [
                FormField(
                    "status",
                    "Status",
                    value=current.status,
                    check=one_of(sources.DOCUMENT_STATUS_CHOICES, "status"),
                    suggestions=sources.DOCUMENT_STATUS_CHOICES,
                    placeholder="open, draft, paid, void, ...",
                ),
                FormField("party", "Party", value=current.party, placeholder="code or name"),
                FormField(
                    "date_from",
                    "From",
                    value=current.date_from.isoformat() if current.date_from else "",
                    check=date_check,
                ),
                FormField(
                    "date_to",
                    "To",
                    value=current.date_to.isoformat() if current.date_to else "",
                    check=date_check,
                    help="Leave every field empty to see them all.",
                ),
            ],
            submit,
            save_label="Filter",
        )
        app.push_screen(form, applied)


class InvoicesPane(DocumentsPane):
    """Sales invoices and credit notes."""

    BINDINGS = [
        Binding(
            "m",
            "money",
            "Receive",
            id="finance.invoices.receive",
            tooltip="Record a payment received for the invoice",
        )
    ]


class BillsPane(DocumentsPane):
    """Supplier bills and supplier credit notes."""

    SIDE = "purchases"
    KIND = "bill"
    LABEL = "Bills"
    BINDINGS = [
        Binding("m", "money", "Pay", id="finance.bills.pay", tooltip="Record a payment of the bill")
    ]
