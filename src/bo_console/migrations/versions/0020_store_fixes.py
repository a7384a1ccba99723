"""store fixes: ISO dates only in the DATE columns added after revision 0005

Revision ID: 0020
Revises: 0018

Revision 0005 gave every DATE column of its day triggers that refuse anything but a real
``YYYY-MM-DD`` date (an integer ``20260510`` or ``'2026-5-10'`` slips past a closed-month
check that compares ``substr(date, 1, 7)``, and later fails to load). The tables IT (0006),
logistics (0007, 0013, 0017), VAT returns and bank statements (0011) and payroll (0012, 0016)
added since had none: a raw ``sqlite3`` session could write
``lg_stock_move.date = 20261103`` and move stock in a closed month. This revision adds the same
triggers (:func:`bo_console.core.guards.iso_date_triggers`) to each of those columns.

PostgreSQL needs nothing here: a ``date`` column there holds only valid dates.
"""

from __future__ import annotations

from alembic import op

from bo_console.core.guards import iso_date_trigger_names, iso_date_triggers

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

DATE_COLUMNS = [
    ("fin_bank_line", "date"),
    ("fin_bank_statement", "first_date"),
    ("fin_bank_statement", "last_date"),
    ("fin_vat_return", "first_day"),
    ("fin_vat_return", "last_day"),
    ("hr_employee", "si_joined_on"),
    ("hr_employee", "contract_ends_on"),
    ("hr_provision_opening", "as_of"),
    ("hr_salary_line", "effective_from"),
    ("it_asset", "disposed_on"),
    ("it_asset", "in_service"),
    ("it_asset", "purchase_date"),
    ("it_asset", "warranty_end"),
    ("it_holiday", "day"),
    ("it_licence", "notified_renewal"),
    ("it_licence", "renewal_date"),
    ("lg_count", "date"),
    ("lg_delivery", "date"),
    ("lg_lot", "expiry"),
    ("lg_purchase_order", "date"),
    ("lg_purchase_order", "expected"),
    ("lg_receipt", "date"),
    ("lg_return", "date"),
    ("lg_sales_order", "date"),
    ("lg_sales_order", "requested"),
    ("lg_serial_move", "date"),
    ("lg_stock_move", "date"),
]
"""(table, column) of every DATE column revisions 0006-0018 added, none of them guarded."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in DATE_COLUMNS:
        for statement in iso_date_triggers(table, column):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in DATE_COLUMNS:
        for name in iso_date_trigger_names(table, column):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
