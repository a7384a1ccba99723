"""data management: published reporting views over every department, data-quality findings

Revision ID: 0008
Revises: 0007

The views are the catalogue the query console and the saved queries read (their columns are
described, with owner and confidentiality, in ``bo_console.data.catalogue``). Amounts are
integer minor units of the base currency, as in the tables. ``dq_finding`` records each open
data-quality finding and the work item raised for it; a partial unique index keeps one open
finding per rule and record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The few expressions SQLite and PostgreSQL spell differently; the views are written once with
# ``{month(...)}``-style placeholders filled per dialect (see :func:`views`).
_SPELLING: dict[str, dict[str, str]] = {
    "sqlite": {
        "doc_month": "substr(d.date, 1, 7)",
        "line_month": "substr(l.date, 1, 7)",
        "move_month": "substr(m.date, 1, 7)",
        "ticket_month": "substr(opened_at, 1, 7)",
        "entry_ref": "printf('%d-%06d', e.year, e.number)",
        "now": "datetime('now')",
    },
    "postgresql": {
        "doc_month": "to_char(d.date, 'YYYY-MM')",
        "line_month": "to_char(l.date, 'YYYY-MM')",
        "move_month": "to_char(m.date, 'YYYY-MM')",
        "ticket_month": "to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM')",
        "entry_ref": "e.year || '-' || lpad(e.number::text, 6, '0')",
        "now": "now()",
    },
}

VIEWS: dict[str, str] = {
    "v_fin_account_month": """
        SELECT b.period AS period, a.code AS account_code, a.name AS account_name,
               a.type AS account_type, b.debit AS debit, b.credit AS credit
        FROM fin_balance b JOIN fin_account a ON a.id = b.account_id""",
    "v_fin_party": """
        SELECT code, name, name_ar, is_customer, is_supplier, tax_number,
               address AS city, payment_terms, active
        FROM fin_party""",
    "v_fin_document": """
        SELECT d.id AS document_id, d.number AS number, d.kind AS kind, d.status AS status,
               p.code AS party_code,
               p.name AS party_name, d.date AS date, {doc_month} AS month,
               d.due_date AS due_date, d.net AS net, d.tax AS tax, d.total AS total,
               d.paid AS paid, d.total - d.paid AS outstanding
        FROM fin_document d JOIN fin_party p ON p.id = d.party_id""",
    "v_fin_journal_line": """
        SELECT e.id AS entry_id, {entry_ref} AS entry, l.date AS date,
               {line_month} AS month, e.state AS state, e.source AS source,
               a.code AS account_code, l.debit AS debit, l.credit AS credit,
               l.cost_centre AS cost_centre, p.code AS party_code
        FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
        JOIN fin_account a ON a.id = l.account_id
        LEFT JOIN fin_party p ON p.id = l.party_id""",
    "v_hr_employee": """
        SELECT e.number AS number, e.name AS name, e.name_ar AS name_ar, u.code AS org_unit,
               p.title AS position, e.hire_date AS hire_date,
               e.termination_date AS termination_date, e.status AS status,
               u.active AS unit_active
        FROM hr_employee e LEFT JOIN hr_org_unit u ON u.id = e.org_unit_id
        LEFT JOIN hr_position p ON p.id = e.position_id""",
    "v_hr_employee_pay": """
        SELECT e.number AS number, e.name AS name, x.base_salary AS base_salary,
               x.allowances AS allowances, x.iban AS iban, x.national_id AS national_id,
               x.birth_date AS birth_date
        FROM hr_employee e JOIN hr_employee_private x ON x.employee_id = e.id""",
    "v_hr_payslip": """
        SELECT s.period AS period, e.number AS employee_number, s.org_unit AS org_unit,
               r.status AS run_status, s.gross AS gross, s.net AS net,
               s.employer_si AS employer_si, s.benefit_employer AS benefit_employer
        FROM hr_payslip s JOIN hr_pay_run r ON r.id = s.run_id
        JOIN hr_employee e ON e.id = s.employee_id""",
    "v_it_ticket": """
        SELECT id AS ticket, subject, category, priority, status, opened_at,
               {ticket_month} AS month, resolution_due, resolved_at,
               CASE WHEN coalesce(resolved_at, {now}) > resolution_due
                    THEN 1 ELSE 0 END AS breached
        FROM it_ticket""",
    "v_it_asset": """
        SELECT tag, model, category, status, location, purchase_date, cost
        FROM it_asset""",
    "v_it_licence": """
        SELECT product, vendor, seats, renewal_date, cost, key
        FROM it_licence""",
    "v_lg_item": """
        SELECT sku, name, name_ar, unit, on_hand, stock_value, reorder_point, reorder_qty,
               CASE WHEN on_hand < reorder_point THEN 1 ELSE 0 END AS below_reorder, active
        FROM lg_item""",
    "v_lg_item_barcode": """
        SELECT i.sku AS sku, b.barcode AS barcode, i.active AS active
        FROM lg_item_barcode b JOIN lg_item i ON i.id = b.item_id""",
    "v_lg_stock_move": """
        SELECT m.date AS date, {move_month} AS month, i.sku AS sku, m.kind AS kind,
               m.quantity AS quantity, m.value AS value, m.source_ref AS source_ref
        FROM lg_stock_move m JOIN lg_item i ON i.id = m.item_id""",
}
"""Each view's query, with the dialect's spellings as ``str.format`` placeholders."""


def views(dialect: str) -> dict[str, str]:
    """The views' queries as ``dialect`` (``sqlite`` or ``postgresql``) writes them."""
    spelling = _SPELLING.get(dialect, _SPELLING["sqlite"])
    return {name: body.format(**spelling) for name, body in VIEWS.items()}


def _create_view(name: str, body: str, dialect: str) -> None:
    options = ""
    if dialect == "postgresql":
        # A view reads with its owner's privileges unless it is a security invoker's
        # (PostgreSQL 15): then a role that may not read salaries cannot read them here either.
        version = int(op.get_bind().exec_driver_sql("SHOW server_version_num").scalar_one())
        if version >= 150000:
            options = " WITH (security_invoker = true)"
    op.execute(f"CREATE VIEW {name}{options} AS {body}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, body in views(dialect).items():
        _create_view(name, body, dialect)
    op.create_table(
        "dq_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("dept", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("work_item_id", sa.Integer(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["work_item_id"], ["work_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dq_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dq_finding_rule"), ["rule"], unique=False)
    op.execute(
        "CREATE UNIQUE INDEX uq_dq_finding_open ON dq_finding (rule, key) WHERE resolved_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS uq_dq_finding_open")
    with op.batch_alter_table("dq_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dq_finding_rule"))
    op.drop_table("dq_finding")
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
