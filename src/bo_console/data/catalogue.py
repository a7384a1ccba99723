"""The catalogue of published views: owner, description of every column, confidentiality.

The views themselves are created by migration 0008; this registry is what people read about
them (``bo data views``) and what the SQL console's authorizer enforces: a confidential column
is refused to a reader without the permission named here, whether it is read from its base
table, through a view, or inside a subquery. A test checks that every view's columns match
this registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from bo_console.core.errors import NotFound
from bo_console.core.security import DEPARTMENT_READ, Actor

MINOR = "in minor units of the base currency"


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    description: str
    confidential: str | None = None
    """The permission needed to read it (None: anyone who may read the view)."""


@dataclass(frozen=True)
class ViewInfo:
    name: str
    dept: str
    description: str
    columns: tuple[ColumnInfo, ...]

    @property
    def confidential(self) -> bool:
        return any(c.confidential for c in self.columns)


def _c(name: str, description: str, confidential: str | None = None) -> ColumnInfo:
    return ColumnInfo(name, description, confidential)


HR_CONF = "hr.confidential"

VIEWS: tuple[ViewInfo, ...] = (
    ViewInfo(
        "v_fin_account_month",
        "finance",
        "Posted debits and credits per account and month (the ledger's month balances)",
        (
            _c("period", "month, YYYY-MM"),
            _c("account_code", "account code"),
            _c("account_name", "account name"),
            _c("account_type", "asset, liability, equity, income or expense"),
            _c("debit", f"posted debits in the month, {MINOR}"),
            _c("credit", f"posted credits in the month, {MINOR}"),
        ),
    ),
    ViewInfo(
        "v_fin_party",
        "finance",
        "Customers and suppliers",
        (
            _c("code", "party code"),
            _c("name", "name"),
            _c("name_ar", "Arabic name"),
            _c("is_customer", "1 when a customer"),
            _c("is_supplier", "1 when a supplier"),
            _c("tax_number", "VAT registration number"),
            _c("city", "address or city"),
            _c("payment_terms", "payment terms in days"),
            _c("active", "1 when active"),
        ),
    ),
    ViewInfo(
        "v_fin_document",
        "finance",
        "Invoices, credit notes and bills with what is still outstanding",
        (
            _c("document_id", "document id (a draft has no number yet)"),
            _c("number", "document number (empty for a draft)"),
            _c("kind", "invoice, credit_note or bill"),
            _c("status", "draft, posted, partly_paid, paid or void"),
            _c("party_code", "customer or supplier code"),
            _c("party_name", "customer or supplier name"),
            _c("date", "document date"),
            _c("month", "document month, YYYY-MM"),
            _c("due_date", "due date"),
            _c("net", f"amount before VAT, {MINOR}"),
            _c("tax", f"VAT, {MINOR}"),
            _c("total", f"total with VAT, {MINOR}"),
            _c("paid", f"amount allocated from payments, {MINOR}"),
            _c("outstanding", f"total less paid, {MINOR}"),
        ),
    ),
    ViewInfo(
        "v_fin_journal_line",
        "finance",
        "Every journal line with its entry's state and source",
        (
            _c("entry_id", "entry id (a draft has no reference yet)"),
            _c("entry", "entry reference, YYYY-NNNNNN (empty for a draft)"),
            _c("date", "line date"),
            _c("month", "line month, YYYY-MM"),
            _c("state", "draft, posted or reversed"),
            _c("source", "manual, invoice, bill, payment, payroll, stock, reversal, ..."),
            _c("account_code", "account code"),
            _c("debit", f"debit, {MINOR}"),
            _c("credit", f"credit, {MINOR}"),
            _c("cost_centre", "cost centre (org unit code)"),
            _c("party_code", "party of the line, if any"),
        ),
    ),
    ViewInfo(
        "v_hr_employee",
        "hr",
        "Employees without their confidential fields",
        (
            _c("number", "employee number"),
            _c("name", "name"),
            _c("name_ar", "Arabic name"),
            _c("org_unit", "org unit code"),
            _c("position", "position title"),
            _c("hire_date", "hire date"),
            _c("termination_date", "termination date, if any"),
            _c("status", "active, on_leave or terminated"),
            _c("unit_active", "1 when the org unit is active (empty: no org unit)"),
        ),
    ),
    ViewInfo(
        "v_hr_employee_pay",
        "hr",
        "Employees' pay, bank and identity details (confidential)",
        (
            _c("number", "employee number"),
            _c("name", "name"),
            _c("base_salary", f"monthly base salary, {MINOR}", HR_CONF),
            _c("allowances", f"monthly allowances, {MINOR}", HR_CONF),
            _c("iban", "salary IBAN", HR_CONF),
            _c("national_id", "national ID or iqama number", HR_CONF),
            _c("birth_date", "date of birth", HR_CONF),
        ),
    ),
    ViewInfo(
        "v_hr_payslip",
        "hr",
        "Payslips (a person's pay: confidential)",
        (
            _c("period", "pay period, YYYY-MM"),
            _c("employee_number", "employee number"),
            _c("org_unit", "org unit code"),
            _c("run_status", "status of the pay run"),
            _c("gross", f"gross pay, {MINOR}", HR_CONF),
            _c("net", f"net pay, {MINOR}", HR_CONF),
            _c("employer_si", f"employer social insurance, {MINOR}", HR_CONF),
            _c("benefit_employer", f"employer benefit contributions, {MINOR}", HR_CONF),
        ),
    ),
    ViewInfo(
        "v_it_ticket",
        "it",
        "Helpdesk tickets with their SLA outcome",
        (
            _c("ticket", "ticket number"),
            _c("subject", "subject"),
            _c("category", "category"),
            _c("priority", "P1 to P4"),
            _c("status", "ticket status"),
            _c("opened_at", "when it was opened (UTC)"),
            _c("month", "month it was opened, YYYY-MM"),
            _c("resolution_due", "resolution target (UTC)"),
            _c("resolved_at", "when it was resolved (UTC), if it was"),
            _c("breached", "1 when resolved late, or still open past its target"),
        ),
    ),
    ViewInfo(
        "v_it_asset",
        "it",
        "The hardware asset register",
        (
            _c("tag", "asset tag"),
            _c("model", "model"),
            _c("category", "asset category"),
            _c("status", "in_stock, deployed, repair, lost, retired or disposed"),
            _c("location", "location"),
            _c("purchase_date", "purchase date"),
            _c("cost", f"capitalised cost, {MINOR}"),
        ),
    ),
    ViewInfo(
        "v_it_licence",
        "it",
        "Software licences (keys confidential)",
        (
            _c("product", "product"),
            _c("vendor", "vendor"),
            _c("seats", "seats bought"),
            _c("renewal_date", "renewal date"),
            _c("cost", f"cost, {MINOR}"),
            _c("key", "licence key", "it.manage"),
        ),
    ),
    ViewInfo(
        "v_lg_item",
        "logistics",
        "Items with stock on hand, value and reorder levels",
        (
            _c("sku", "SKU"),
            _c("name", "name"),
            _c("name_ar", "Arabic name"),
            _c("unit", "base unit"),
            _c("on_hand", "quantity on hand, every location"),
            _c("stock_value", f"stock value, {MINOR}"),
            _c("reorder_point", "reorder point"),
            _c("reorder_qty", "reorder quantity"),
            _c("below_reorder", "1 when on hand is below the reorder point"),
            _c("active", "1 when active"),
        ),
    ),
    ViewInfo(
        "v_lg_item_barcode",
        "logistics",
        "Items' barcodes (an item may have several)",
        (
            _c("sku", "SKU"),
            _c("barcode", "barcode as scanned (EAN-13, UPC-A, ...)"),
            _c("active", "1 when the item is active"),
        ),
    ),
    ViewInfo(
        "v_lg_stock_move",
        "logistics",
        "The stock-move ledger",
        (
            _c("date", "move date"),
            _c("month", "move month, YYYY-MM"),
            _c("sku", "SKU"),
            _c("kind", "opening, receipt, issue or adjustment"),
            _c("quantity", "quantity, negative when stock leaves"),
            _c("value", f"value moved, {MINOR}, negative when stock leaves"),
            _c("source_ref", "the document that moved it"),
        ),
    ),
)

VIEW_BY_NAME: dict[str, ViewInfo] = {v.name: v for v in VIEWS}

BASE_CONFIDENTIAL: dict[tuple[str, str], str] = {
    **{
        ("hr_employee_private", c): HR_CONF
        for c in ("base_salary", "allowances", "iban", "national_id", "birth_date")
    },
    **{
        ("hr_payslip", c): HR_CONF
        for c in (
            "base",
            "allowances",
            "overtime",
            "other_earnings",
            "benefit_cash",
            "settlement",
            "unpaid_deduction",
            "gross",
            "employee_si",
            "employer_si",
            "benefit_employee",
            "benefit_employer",
            "other_deductions",
            "net",
            "iban",
        )
    },
    ("hr_salary_line", "amount"): HR_CONF,
    ("hr_provision_opening", "eos"): HR_CONF,
    ("hr_provision_opening", "leave"): HR_CONF,
    ("hr_pay_input", "amount"): HR_CONF,
    ("hr_pay_input", "hours"): HR_CONF,
    ("it_licence", "key"): "it.manage",
}
"""Confidential columns of the base tables and the permission each needs."""

TABLE_PREFIXES: dict[str, str] = {
    "fin_": "finance",
    "hr_": "hr",
    "it_": "it",
    "lg_": "logistics",
    "dq_": "data",
}
"""Which department owns a base table, by its name's prefix."""

SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master"})


def table_department(table: str) -> str | None:
    """The department that owns base table or view ``table``, or None (core tables)."""
    view = VIEW_BY_NAME.get(table)
    if view is not None:
        return view.dept
    for prefix, dept in TABLE_PREFIXES.items():
        if table.startswith(prefix):
            return dept
    return None


def readable_views(actor: Actor) -> list[ViewInfo]:
    """The published views of departments ``actor`` may read."""
    return [v for v in VIEWS if actor.can(DEPARTMENT_READ[v.dept])]


def list_views(actor: Actor) -> list[ViewInfo]:
    """The published views the actor may read, with their columns."""
    actor.require("data.query", "read the catalogue of views")
    return readable_views(actor)


def get_view(actor: Actor, name: str) -> ViewInfo:
    """One published view, if ``actor`` may read its department.

    Raises:
        NotFound: no such view (or not one the actor may read).
    """
    view = VIEW_BY_NAME.get(name)
    if view is None or not actor.can(DEPARTMENT_READ[view.dept]):
        raise NotFound(f"no published view {name!r} (bo data views lists them)")
    return view
