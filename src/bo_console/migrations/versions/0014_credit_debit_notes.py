"""finance: credit and debit notes on part of a document, their applications, write-offs

Revision ID: 0014
Revises: 0013

``fin_note`` holds credit and debit notes on a posted invoice or bill, born posted with their
kind's next number and their ledger entry; ``fin_note_line`` names the original line each
corrects. ``fin_note_application`` applies a credit note to an open document of the party or
refunds it, and settles a debit note with money; ``fin_writeoff`` writes off what an invoice
still owes. A document's ``paid`` now counts its payments, the credit applied to it and its
write-off: the guard of ``0004`` that recomputes it is rebuilt here with that sum.

The database refuses a note on a draft, void or other party's document, dated before it or in
a closed month (or before the books' first month), a line beyond the quantity, amount or VAT
left on the original line, an application beyond what the note has left or the document
owes, a write-off of anything but an invoice's whole remainder, a void of a document with
notes, and any change or delete of these rows.
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import iso_date_trigger_names, iso_date_triggers, pg_guard_drop

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_0004 = importlib.import_module("bo_console.migrations.versions.0004_receivables_payables")


def _q(message: str) -> str:
    return message.replace("'", "''")


M_NOTE_ORIGINAL = (
    "fin_note: a note is on a posted invoice or bill (not a draft or a void one) of the same "
    "party, dated on or after it"
)
M_NOTE_CLOSED = "fin_note: cannot issue a note in a closed month"
M_NOTE_BORN = (
    "fin_note: a note takes its kind's next number in its year, nothing applied, and a posted "
    "ledger entry of its date and total"
)
M_NOTE_FROZEN = "fin_note: a note is never changed or deleted; only its applications move it"
M_LINE_MATCH = (
    "fin_note_line: a note line names a line of the original document, with its account and "
    "tax code, within the note's net and VAT"
)
M_LINE_OVER = (
    "fin_note_line: a credit cannot exceed the quantity, amount or VAT that remains on the "
    "original line"
)
M_LINE_FROZEN = "fin_note_line: a note's lines are never changed or deleted"
M_APPLY = (
    "fin_note_application: a credit note is applied to an open document of its party and side, "
    "or refunded, and a debit note settled, on or after both dates, with the note's lines "
    "complete and a posted entry for money moved"
)
M_APPLY_OVER = (
    "fin_note_application: cannot apply more than the note has left or the document still owes"
)
M_APPLY_FROZEN = "fin_note_application: applications are never changed or deleted"
M_WRITEOFF = (
    "fin_writeoff: a write-off takes the whole remainder of a posted invoice, with its year's "
    "next number and a posted entry of its date and amount, in an open month"
)
M_WRITEOFF_FROZEN = "fin_writeoff: a write-off is never changed or deleted"
M_WRITEOFF_CLOSED = "fin_writeoff: cannot write off in a closed month"
M_VOID_NOTES = "fin_document: a document with credit or debit notes cannot be voided"

_CLOSED = (
    "(EXISTS (SELECT 1 FROM fin_period WHERE period = substr(NEW.date, 1, 7) "
    "AND status = 'closed') OR substr(NEW.date, 1, 7) < "
    "COALESCE((SELECT value FROM setting WHERE key = 'finance.books_start'), ''))"
)
_CLOSED_PG = (
    "(EXISTS (SELECT 1 FROM fin_period WHERE period = to_char(NEW.date, 'YYYY-MM') "
    "AND status = 'closed') OR to_char(NEW.date, 'YYYY-MM') < "
    "COALESCE((SELECT value FROM setting WHERE key = 'finance.books_start'), ''))"
)
_NOTE_NUMBER = """printf('%s-%04d-%05d', CASE NEW.kind WHEN 'sales_credit' THEN 'CRN'
                  WHEN 'sales_debit' THEN 'DRN' WHEN 'purchase_credit' THEN 'PCN'
                  WHEN 'purchase_debit' THEN 'PDN' END, NEW.year, NEW.seq)"""
_NOTE_NUMBER_PG = """format('%s-%s-%s', CASE NEW.kind WHEN 'sales_credit' THEN 'CRN'
                  WHEN 'sales_debit' THEN 'DRN' WHEN 'purchase_credit' THEN 'PCN'
                  WHEN 'purchase_debit' THEN 'PDN' END, lpad(NEW.year::text, 4, '0'),
                  lpad(NEW.seq::text, 5, '0'))"""
_WO_NUMBER = "printf('WO-%04d-%05d', NEW.year, NEW.seq)"
_WO_NUMBER_PG = "format('WO-%s-%s', lpad(NEW.year::text, 4, '0'), lpad(NEW.seq::text, 5, '0'))"

# What remains on an original line (SQLite and PostgreSQL alike): its own figure, plus the
# debit notes' lines on it, less the credit notes' lines on it.
_LEFT_ON_LINE = """(SELECT ol.{col} + COALESCE(SUM(CASE WHEN n.kind IN ('sales_credit',
                    'purchase_credit') THEN -nl.{col} ELSE nl.{col} END), 0)
                   FROM fin_document_line ol
                   LEFT JOIN fin_note n ON n.original_id = ol.document_id
                   LEFT JOIN fin_note_line nl ON nl.note_id = n.id
                        AND nl.original_line_no = ol.line_no
                   WHERE ol.document_id = (SELECT original_id FROM fin_note
                                           WHERE id = NEW.note_id)
                     AND ol.line_no = NEW.original_line_no
                   GROUP BY ol.{col})"""

_NOTE_SIDE = """CASE NEW.kind WHEN 'sales_credit' THEN 'invoice' WHEN 'sales_debit' THEN 'invoice'
                ELSE 'bill' END"""

# The live "paid" of document {doc}: payments allocated, credit applied, the write-off.
_SETTLED = """(SELECT COALESCE(SUM(amount), 0) FROM fin_note_application
               WHERE document_id = {doc})
            + (SELECT COALESCE(SUM(amount), 0) FROM fin_writeoff WHERE document_id = {doc})"""
_LIVE_PAID_SQLITE = "(" + _0004._LIVE_PAID_SQLITE + " + " + _SETTLED + ")"


def _rebuilt_0004(name: str) -> str:
    """0004's SQLite trigger ``name`` with the live paid sum that counts notes and write-offs."""
    statement = next(s for s in _0004.DOCUMENT_TRIGGERS["sqlite"] if f"CREATE TRIGGER {name} " in s)
    changed = statement
    for doc in ("NEW.id", "fin_document.id"):
        old = _0004._LIVE_PAID_SQLITE.format(doc=doc)
        changed = str(changed).replace(old, _LIVE_PAID_SQLITE.format(doc=doc))
    assert changed != statement, name
    return str(changed)


def _rebuilt_0004_pg() -> list[str]:
    """0004's PostgreSQL document guard and payment-void function, the live paid sum counting
    notes and write-offs."""
    guard = next(
        s
        for s in _0004.DOCUMENT_TRIGGERS["postgresql"]
        if "CREATE FUNCTION fin_document_guard()" in s
    )
    marker = "WHERE a.document_id = NEW.id AND p.status = 'posted';"
    assert marker in guard
    guard = guard.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).replace(
        marker, marker + "\n          live := live + " + _SETTLED.format(doc="NEW.id") + ";"
    )
    void = f"""CREATE OR REPLACE FUNCTION fin_payment_void() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE fin_document d
            SET paid = {_LIVE_PAID_SQLITE.format(doc="d.id")},
                status = CASE WHEN {_LIVE_PAID_SQLITE.format(doc="d.id")} = 0
                              THEN 'posted' ELSE 'partly_paid' END
            WHERE d.id IN (SELECT document_id FROM fin_allocation WHERE payment_id = NEW.id);
          RETURN NULL;
        END $$"""
    return [guard, void]


def _original_ok(pg: bool) -> str:
    true = "NOT DISTINCT FROM true" if pg else "1"
    return f"""(SELECT o.status IN ('posted', 'partly_paid', 'paid')
                AND o.party_id = NEW.party_id AND o.kind = {_NOTE_SIDE} AND NEW.date >= o.date
         FROM fin_document o WHERE o.id = NEW.original_id) IS {true}"""


def _note_born(pg: bool) -> str:
    year = (
        "extract(year FROM NEW.date)::integer" if pg else "CAST(substr(NEW.date, 1, 4) AS INTEGER)"
    )
    number = _NOTE_NUMBER_PG if pg else _NOTE_NUMBER
    return f"""NEW.applied = 0 AND NEW.year = {year}
        AND NEW.seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_note
                       WHERE kind = NEW.kind AND year = NEW.year)
        AND NEW.number = {number}
        AND (SELECT state = 'posted' AND source = 'note' AND source_ref = NEW.number
                    AND total = NEW.total AND date = NEW.date
             FROM fin_entry WHERE id = NEW.entry_id) IS {"NOT DISTINCT FROM true" if pg else "1"}"""


def _line_ok(pg: bool) -> str:
    true = "NOT DISTINCT FROM true" if pg else "1"
    return f"""(SELECT ol.account_id = NEW.account_id AND ol.tax_code = NEW.tax_code
                FROM fin_document_line ol JOIN fin_note n ON n.original_id = ol.document_id
                WHERE n.id = NEW.note_id AND ol.line_no = NEW.original_line_no) IS {true}
        AND (SELECT n.net >= NEW.net + COALESCE(SUM(l.net), 0)
                    AND n.tax >= NEW.tax + COALESCE(SUM(l.tax), 0)
                    AND NOT EXISTS (SELECT 1 FROM fin_note_application a
                                    WHERE a.note_id = n.id)
             FROM fin_note n LEFT JOIN fin_note_line l ON l.note_id = n.id
             WHERE n.id = NEW.note_id GROUP BY n.id, n.net, n.tax) IS {true}"""


def _line_over() -> str:
    return f"""(SELECT kind IN ('sales_credit', 'purchase_credit') FROM fin_note
             WHERE id = NEW.note_id)
        AND (NEW.quantity > {_LEFT_ON_LINE.format(col="quantity")}
             OR NEW.net > {_LEFT_ON_LINE.format(col="net")}
             OR NEW.tax > {_LEFT_ON_LINE.format(col="tax")})"""


def _apply_ok(pg: bool) -> str:
    true = "NOT DISTINCT FROM true" if pg else "1"
    return f"""(SELECT NEW.date >= n.date
                AND n.net = (SELECT COALESCE(SUM(net), 0) FROM fin_note_line
                             WHERE note_id = n.id)
                AND n.tax = (SELECT COALESCE(SUM(tax), 0) FROM fin_note_line
                             WHERE note_id = n.id)
         FROM fin_note n WHERE n.id = NEW.note_id) IS {true}
        AND ((NEW.document_id IS NOT NULL
              AND (SELECT n.kind IN ('sales_credit', 'purchase_credit')
                          AND d.kind = CASE n.kind WHEN 'sales_credit' THEN 'invoice'
                                                   ELSE 'bill' END
                          AND d.party_id = n.party_id
                          AND d.status IN ('posted', 'partly_paid') AND NEW.date >= d.date
                   FROM fin_note n, fin_document d
                   WHERE n.id = NEW.note_id AND d.id = NEW.document_id) IS {true})
          OR (NEW.account_id IS NOT NULL
              AND (SELECT state = 'posted' AND source = 'note' AND total = NEW.amount
                          AND date = NEW.date
                   FROM fin_entry WHERE id = NEW.entry_id) IS {true}))"""


_APPLY_OVER = """NEW.amount > (SELECT total - applied FROM fin_note WHERE id = NEW.note_id)
        OR (NEW.document_id IS NOT NULL
            AND NEW.amount > (SELECT total - paid FROM fin_document WHERE id = NEW.document_id))"""


def _writeoff_ok(pg: bool) -> str:
    true = "NOT DISTINCT FROM true" if pg else "1"
    year = (
        "extract(year FROM NEW.date)::integer" if pg else "CAST(substr(NEW.date, 1, 4) AS INTEGER)"
    )
    number = _WO_NUMBER_PG if pg else _WO_NUMBER
    return f"""(SELECT d.kind = 'invoice' AND d.status IN ('posted', 'partly_paid')
                AND NEW.amount = d.total - d.paid AND NEW.date >= d.date
         FROM fin_document d WHERE d.id = NEW.document_id) IS {true}
        AND NEW.year = {year}
        AND NEW.seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_writeoff WHERE year = NEW.year)
        AND NEW.number = {number}
        AND (SELECT state = 'posted' AND source = 'writeoff' AND source_ref = NEW.number
                    AND total = NEW.amount AND date = NEW.date
             FROM fin_entry WHERE id = NEW.entry_id) IS {true}"""


_APPLIED_STATUS = "CASE WHEN paid + NEW.amount = total THEN 'paid' ELSE 'partly_paid' END"

SQLITE = [
    f"""CREATE TRIGGER fin_note_insert BEFORE INSERT ON fin_note
    BEGIN
      SELECT RAISE(ABORT, '{_q(M_NOTE_ORIGINAL)}') WHERE NOT ({_original_ok(False)});
      SELECT RAISE(ABORT, '{_q(M_NOTE_CLOSED)}') WHERE {_CLOSED};
      SELECT RAISE(ABORT, '{_q(M_NOTE_BORN)}') WHERE NOT ({_note_born(False)});
    END""",
    f"""CREATE TRIGGER fin_note_update BEFORE UPDATE ON fin_note
    WHEN NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.year IS NOT OLD.year
      OR NEW.seq IS NOT OLD.seq OR NEW.number IS NOT OLD.number
      OR NEW.original_id IS NOT OLD.original_id OR NEW.party_id IS NOT OLD.party_id
      OR NEW.date IS NOT OLD.date OR NEW.reason IS NOT OLD.reason OR NEW.net IS NOT OLD.net
      OR NEW.tax IS NOT OLD.tax OR NEW.total IS NOT OLD.total
      OR NEW.entry_id IS NOT OLD.entry_id OR NEW.created_at IS NOT OLD.created_at
      OR NEW.created_by IS NOT OLD.created_by
      OR NEW.applied IS NOT (SELECT COALESCE(SUM(amount), 0) FROM fin_note_application
                             WHERE note_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{_q(M_NOTE_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_note_delete BEFORE DELETE ON fin_note
    BEGIN SELECT RAISE(ABORT, '{_q(M_NOTE_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_note_line_insert BEFORE INSERT ON fin_note_line
    BEGIN
      SELECT RAISE(ABORT, '{_q(M_LINE_MATCH)}') WHERE NOT ({_line_ok(False)});
      SELECT RAISE(ABORT, '{_q(M_LINE_OVER)}') WHERE {_line_over()};
    END""",
    f"""CREATE TRIGGER fin_note_line_update BEFORE UPDATE ON fin_note_line
    BEGIN SELECT RAISE(ABORT, '{_q(M_LINE_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_note_line_delete BEFORE DELETE ON fin_note_line
    BEGIN SELECT RAISE(ABORT, '{_q(M_LINE_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_note_application_insert BEFORE INSERT ON fin_note_application
    BEGIN
      SELECT RAISE(ABORT, '{_q(M_APPLY)}') WHERE NOT ({_apply_ok(False)});
      SELECT RAISE(ABORT, '{_q(M_NOTE_CLOSED)}') WHERE {_CLOSED};
      SELECT RAISE(ABORT, '{_q(M_APPLY_OVER)}') WHERE {_APPLY_OVER};
    END""",
    """CREATE TRIGGER fin_note_application_applied AFTER INSERT ON fin_note_application
    BEGIN
      UPDATE fin_note SET applied = applied + NEW.amount WHERE id = NEW.note_id;
      UPDATE fin_document SET paid = paid + NEW.amount, status = """
    + _APPLIED_STATUS
    + """
        WHERE id = NEW.document_id;
    END""",
    f"""CREATE TRIGGER fin_note_application_update BEFORE UPDATE ON fin_note_application
    BEGIN SELECT RAISE(ABORT, '{_q(M_APPLY_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_note_application_delete BEFORE DELETE ON fin_note_application
    BEGIN SELECT RAISE(ABORT, '{_q(M_APPLY_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_writeoff_insert BEFORE INSERT ON fin_writeoff
    BEGIN
      SELECT RAISE(ABORT, '{_q(M_WRITEOFF_CLOSED)}') WHERE {_CLOSED};
      SELECT RAISE(ABORT, '{_q(M_WRITEOFF)}') WHERE NOT ({_writeoff_ok(False)});
    END""",
    """CREATE TRIGGER fin_writeoff_applied AFTER INSERT ON fin_writeoff
    BEGIN
      UPDATE fin_document SET paid = paid + NEW.amount, status = """
    + _APPLIED_STATUS
    + """
        WHERE id = NEW.document_id;
    END""",
    f"""CREATE TRIGGER fin_writeoff_update BEFORE UPDATE ON fin_writeoff
    BEGIN SELECT RAISE(ABORT, '{_q(M_WRITEOFF_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_writeoff_delete BEFORE DELETE ON fin_writeoff
    BEGIN SELECT RAISE(ABORT, '{_q(M_WRITEOFF_FROZEN)}'); END""",
    f"""CREATE TRIGGER fin_document_void_notes BEFORE UPDATE OF status ON fin_document
    WHEN NEW.status = 'void' AND OLD.status IS NOT 'void'
         AND EXISTS (SELECT 1 FROM fin_note WHERE original_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, '{_q(M_VOID_NOTES)}'); END""",
    *iso_date_triggers("fin_note", "date"),
    *iso_date_triggers("fin_note_application", "date"),
    *iso_date_triggers("fin_writeoff", "date"),
]
SQLITE_NAMES = [
    "fin_note_insert",
    "fin_note_update",
    "fin_note_delete",
    "fin_note_line_insert",
    "fin_note_line_update",
    "fin_note_line_delete",
    "fin_note_application_insert",
    "fin_note_application_applied",
    "fin_note_application_update",
    "fin_note_application_delete",
    "fin_writeoff_insert",
    "fin_writeoff_applied",
    "fin_writeoff_update",
    "fin_writeoff_delete",
    "fin_document_void_notes",
    *iso_date_trigger_names("fin_note", "date"),
    *iso_date_trigger_names("fin_note_application", "date"),
    *iso_date_trigger_names("fin_writeoff", "date"),
]
REBUILT_SQLITE = ("fin_document_frozen", "fin_payment_void")


def _raise(message: str) -> str:
    return f"RAISE EXCEPTION '{_q(message)}' USING ERRCODE = 'check_violation';"


_PG_NOTE_SAME = " AND ".join(
    f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}"
    for c in (
        "id kind year seq number original_id party_id date reason net tax total entry_id "
        "created_at created_by"
    ).split()
)

POSTGRES: list[tuple[str, str, str, str]] = [
    (
        "fin_note_guard",
        "fin_note",
        "INSERT OR UPDATE OR DELETE",
        f"""IF TG_OP = 'DELETE' THEN {_raise(M_NOTE_FROZEN)} END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM fin_document WHERE id = NEW.original_id FOR UPDATE;
    IF NOT ({_original_ok(True)}) THEN {_raise(M_NOTE_ORIGINAL)} END IF;
    IF {_CLOSED_PG} THEN {_raise(M_NOTE_CLOSED)} END IF;
    IF NOT COALESCE({_note_born(True)}, false) THEN {_raise(M_NOTE_BORN)} END IF;
  ELSIF NOT ({_PG_NOTE_SAME}) OR NEW.applied IS DISTINCT FROM
        (SELECT COALESCE(SUM(amount), 0) FROM fin_note_application WHERE note_id = NEW.id)
  THEN {_raise(M_NOTE_FROZEN)}
  END IF;""",
    ),
    (
        "fin_note_line_guard",
        "fin_note_line",
        "INSERT OR UPDATE OR DELETE",
        f"""IF TG_OP <> 'INSERT' THEN {_raise(M_LINE_FROZEN)} END IF;
  PERFORM 1 FROM fin_note WHERE id = NEW.note_id FOR UPDATE;
  IF NOT COALESCE({_line_ok(True)}, false) THEN {_raise(M_LINE_MATCH)} END IF;
  IF COALESCE({_line_over()}, false) THEN {_raise(M_LINE_OVER)} END IF;""",
    ),
    (
        "fin_note_application_guard",
        "fin_note_application",
        "INSERT OR UPDATE OR DELETE",
        f"""IF TG_OP <> 'INSERT' THEN {_raise(M_APPLY_FROZEN)} END IF;
  PERFORM 1 FROM fin_note WHERE id = NEW.note_id FOR UPDATE;
  PERFORM 1 FROM fin_document WHERE id = NEW.document_id FOR UPDATE;
  IF NOT COALESCE({_apply_ok(True)}, false) THEN {_raise(M_APPLY)} END IF;
  IF {_CLOSED_PG} THEN {_raise(M_NOTE_CLOSED)} END IF;
  IF COALESCE({_APPLY_OVER}, false) THEN {_raise(M_APPLY_OVER)} END IF;""",
    ),
    (
        "fin_writeoff_guard",
        "fin_writeoff",
        "INSERT OR UPDATE OR DELETE",
        f"""IF TG_OP <> 'INSERT' THEN {_raise(M_WRITEOFF_FROZEN)} END IF;
  PERFORM 1 FROM fin_document WHERE id = NEW.document_id FOR UPDATE;
  IF {_CLOSED_PG} THEN {_raise(M_WRITEOFF_CLOSED)} END IF;
  IF NOT COALESCE({_writeoff_ok(True)}, false) THEN {_raise(M_WRITEOFF)} END IF;""",
    ),
    (
        "fin_document_void_notes",
        "fin_document",
        "UPDATE OF status",
        f"""IF NEW.status = 'void' AND OLD.status IS DISTINCT FROM 'void'
     AND EXISTS (SELECT 1 FROM fin_note WHERE original_id = OLD.id) THEN
    {_raise(M_VOID_NOTES)}
  END IF;""",
    ),
]

POSTGRES_AFTER = [
    (
        "fin_note_application_applied",
        "fin_note_application",
        "INSERT",
        f"""UPDATE fin_note SET applied = applied + NEW.amount WHERE id = NEW.note_id;
  UPDATE fin_document SET paid = paid + NEW.amount, status = {_APPLIED_STATUS}
    WHERE id = NEW.document_id;""",
    ),
    (
        "fin_writeoff_applied",
        "fin_writeoff",
        "INSERT",
        f"""UPDATE fin_document SET paid = paid + NEW.amount, status = {_APPLIED_STATUS}
    WHERE id = NEW.document_id;""",
    ),
]


def _tables() -> None:
    op.create_table(
        "fin_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('sales_credit', 'sales_debit', 'purchase_credit', 'purchase_debit')",
            name="ck_fin_note_kind",
        ),
        sa.CheckConstraint(
            "net >= 0 AND tax >= 0 AND total = net + tax AND total > 0 "
            "AND applied >= 0 AND applied <= total",
            name="ck_fin_note_amounts",
        ),
        sa.ForeignKeyConstraint(["original_id"], ["fin_document.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["fin_party.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "year", "seq", name="uq_fin_note_seq"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("entry_id"),
    )
    op.create_index("ix_fin_note_original", "fin_note", ["original_id"])
    op.create_index("ix_fin_note_party", "fin_note", ["party_id", "date"])
    op.create_table(
        "fin_note_line",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("original_line_no", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity >= 0 AND net >= 0 AND tax >= 0 AND net + tax > 0",
            name="ck_fin_note_line_amounts",
        ),
        sa.ForeignKeyConstraint(["note_id"], ["fin_note.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["tax_code"], ["fin_tax_code.code"]),
        sa.PrimaryKeyConstraint("note_id", "line_no"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "fin_note_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_fin_note_application_amount"),
        sa.CheckConstraint(
            "(document_id IS NULL) <> (account_id IS NULL)", name="ck_fin_note_application_to"
        ),
        sa.CheckConstraint(
            "(account_id IS NULL) = (entry_id IS NULL)", name="ck_fin_note_application_entry"
        ),
        sa.ForeignKeyConstraint(["note_id"], ["fin_note.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["fin_document.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id"),
    )
    op.create_index("ix_fin_note_application_note", "fin_note_application", ["note_id"])
    op.create_index("ix_fin_note_application_document", "fin_note_application", ["document_id"])
    op.create_table(
        "fin_writeoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('bad_debt', 'residual')", name="ck_fin_writeoff_kind"),
        sa.CheckConstraint(
            "amount > 0 AND tax >= 0 AND tax <= amount AND (kind = 'bad_debt' OR tax = 0)",
            name="ck_fin_writeoff_amounts",
        ),
        sa.ForeignKeyConstraint(["document_id"], ["fin_document.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "seq", name="uq_fin_writeoff_seq"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("entry_id"),
    )
    op.create_index("ix_fin_writeoff_document", "fin_writeoff", ["document_id"], unique=True)


def upgrade() -> None:
    from bo_console.core.guards import pg_trigger

    _tables()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in REBUILT_SQLITE:
            op.execute(f"DROP TRIGGER {name}")
            op.execute(_rebuilt_0004(name))
        for statement in SQLITE:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in _rebuilt_0004_pg():
            op.execute(statement)
        for name, table, events, body in POSTGRES:
            for statement in pg_trigger(name, table, events, body):
                op.execute(statement)
        for name, table, events, body in POSTGRES_AFTER:
            for statement in pg_trigger(name, table, events, body, timing="AFTER"):
                op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in REBUILT_SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(
                next(s for s in _0004.DOCUMENT_TRIGGERS["sqlite"] if f"TRIGGER {name} " in s)
            )
    elif dialect == "postgresql":
        for name, table, _events, _body in [*POSTGRES, *POSTGRES_AFTER]:
            for statement in pg_guard_drop(name, table):
                op.execute(statement)
        for statement in _0004.DOCUMENT_TRIGGERS["postgresql"]:
            if statement.startswith(
                ("CREATE FUNCTION fin_document_guard()", "CREATE FUNCTION fin_payment_void()")
            ):
                op.execute(statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.drop_table("fin_writeoff")
    op.drop_table("fin_note_application")
    op.drop_table("fin_note_line")
    op.drop_table("fin_note")
