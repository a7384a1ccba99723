"""it: helpdesk tickets and SLAs, the asset register, licences, on/offboarding checklists

Revision ID: 0006
Revises: 0004

Triggers make the database itself refuse a second open assignment of one asset, a check-out
to a terminated employee, any check-out of a retired or disposed asset, a change to an
assignment or a seat other than closing it once, more open seats than a licence has (on a new
seat or on fewer seats), and closing an IT offboarding work item while the leaver still holds
an asset or a seat. The SLA targets and asset categories are seeded here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import (
    pg_creates,
    pg_drops,
    pg_guard,
    pg_raise_if,
    pg_trigger,
    sqlite_trigger_drops,
)

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "it_asset_category",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("life_months", sa.Integer(), nullable=False),
        sa.CheckConstraint("life_months > 0", name="ck_it_asset_category_life"),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "it_holiday",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "it_licence",
        sa.Column("product", sa.String(length=120), nullable=False),
        sa.Column("vendor", sa.String(length=120), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("renewal_date", sa.Date(), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("notified_renewal", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("product", "vendor", name="uq_it_licence_product"),
    )
    with op.batch_alter_table("it_licence", schema=None) as batch_op:
        batch_op.create_index("ix_it_licence_renewal", ["renewal_date"], unique=False)

    op.create_table(
        "it_sla_target",
        sa.Column("priority", sa.String(length=2), nullable=False),
        sa.Column("response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "response_minutes > 0 AND resolution_minutes >= response_minutes",
            name="ck_it_sla_target_minutes",
        ),
        sa.PrimaryKeyConstraint("priority"),
    )
    op.create_table(
        "it_asset",
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=80), nullable=False),
        sa.Column("purchase_date", sa.Date(), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("warranty_end", sa.Date(), nullable=True),
        sa.Column("supplier", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("residual", sa.Integer(), nullable=False),
        sa.Column("opening_depreciation", sa.Integer(), nullable=False),
        sa.Column("capitalised_by", sa.String(length=120), nullable=True),
        sa.Column("in_service", sa.Date(), nullable=True),
        sa.Column("disposed_on", sa.Date(), nullable=True),
        sa.Column("disposal_method", sa.String(length=40), nullable=False),
        sa.Column("proceeds", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status <> 'disposed' OR disposed_on IS NOT NULL", name="ck_it_asset_disposal"
        ),
        sa.CheckConstraint(
            "status IN ('in_stock', 'assigned', 'in_repair', 'retired', 'disposed')",
            name="ck_it_asset_status",
        ),
        sa.CheckConstraint("residual >= 0 AND residual <= cost", name="ck_it_asset_residual"),
        sa.ForeignKeyConstraint(
            ["category"],
            ["it_asset_category.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("serial"),
        sa.UniqueConstraint("tag"),
    )
    with op.batch_alter_table("it_asset", schema=None) as batch_op:
        batch_op.create_index("ix_it_asset_category", ["category", "id"], unique=False)
        batch_op.create_index("ix_it_asset_status", ["status", "id"], unique=False)

    op.create_table(
        "it_checklist_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_item_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_item_id"],
            ["work_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("work_item_id", "step", name="uq_it_checklist_step"),
    )
    op.create_table(
        "it_depreciation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("entry_ref", sa.String(length=20), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_it_depreciation_amount"),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["it_asset.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("asset_id", "period", name="uq_it_depreciation"),
    )
    with op.batch_alter_table("it_depreciation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_it_depreciation_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_it_depreciation_period"), ["period"], unique=False)

    op.create_table(
        "it_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("out_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("out_by", sa.String(length=64), nullable=False),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["it_asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("it_assignment", schema=None) as batch_op:
        batch_op.create_index("ix_it_assignment_asset", ["asset_id", "id"], unique=False)
        batch_op.create_index(
            "ix_it_assignment_holder",
            ["employee_id"],
            unique=False,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.create_index(
            "uq_it_assignment_open",
            ["asset_id"],
            unique=True,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )

    op.create_table(
        "it_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("(employee_id IS NULL) <> (asset_id IS NULL)", name="ck_it_seat_holder"),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["it_asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["it_licence.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("it_seat", schema=None) as batch_op:
        batch_op.create_index(
            "ix_it_seat_employee",
            ["employee_id"],
            unique=False,
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        )
        batch_op.create_index(
            "ix_it_seat_open",
            ["licence_id"],
            unique=False,
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        )

    op.create_table(
        "it_ticket",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=2), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("requester", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_note", sa.String(length=2000), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.CheckConstraint("priority IN ('P1', 'P2', 'P3', 'P4')", name="ck_it_ticket_priority"),
        sa.CheckConstraint(
            "status IN ('new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed', "
            "'reopened')",
            name="ck_it_ticket_status",
        ),
        sa.CheckConstraint(
            "status NOT IN ('resolved', 'closed') OR resolution_note <> ''",
            name="ck_it_ticket_resolution_note",
        ),
        sa.CheckConstraint("resolution_due >= opened_at", name="ck_it_ticket_due"),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["it_asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("it_ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_it_ticket_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index("ix_it_ticket_assignee", ["assignee", "status", "id"], unique=False)
        batch_op.create_index(
            "ix_it_ticket_open_due",
            ["resolution_due"],
            unique=False,
            sqlite_where=sa.text(
                "status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')"
            ),
            postgresql_where=sa.text(
                "status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')"
            ),
        )
        batch_op.create_index("ix_it_ticket_requester", ["requester", "id"], unique=False)
        batch_op.create_index(
            "ix_it_ticket_resolved",
            ["resolved_at"],
            unique=False,
            sqlite_where=sa.text("status = 'resolved'"),
            postgresql_where=sa.text("status = 'resolved'"),
        )
        batch_op.create_index("ix_it_ticket_status", ["status", "id"], unique=False)
        batch_op.create_index(
            "ix_it_ticket_unanswered",
            ["response_due"],
            unique=False,
            sqlite_where=sa.text("first_response_at IS NULL AND status <> 'closed'"),
            postgresql_where=sa.text("first_response_at IS NULL AND status <> 'closed'"),
        )

    op.create_table(
        "it_sla_breach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("work_item_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('response', 'resolution')", name="ck_it_sla_breach_kind"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["it_ticket.id"],
        ),
        sa.ForeignKeyConstraint(
            ["work_item_id"],
            ["work_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "kind", name="uq_it_sla_breach"),
    )
    op.create_table(
        "it_ticket_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["it_ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("it_ticket_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_it_ticket_comment_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "it_ticket_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["it_ticket.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("it_ticket_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_it_ticket_event_ticket_id"), ["ticket_id"], unique=False
        )
    dialect = op.get_bind().dialect.name
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": pg_creates(POSTGRES_TRIGGERS)}
    for statement in triggers.get(dialect, []):
        op.execute(statement)
    for priority, response, resolution in SLA_TARGETS:
        op.execute(
            "INSERT INTO it_sla_target (priority, response_minutes, resolution_minutes) "
            f"VALUES ('{priority}', {response}, {resolution})"
        )
    for code, name, life in CATEGORIES:
        op.execute(
            "INSERT INTO it_asset_category (code, name, life_months) "
            f"VALUES ('{code}', '{name}', {life})"
        )


M_TWICE = "IT: the asset is already checked out (check it in first)"
M_TERMINATED = "IT: the employee is terminated; nothing is checked out to a leaver"
M_RETIRED = "IT: a retired or disposed asset cannot be checked out"
M_MOVEMENT = "IT: assignments and seats are never changed, only closed once"
M_SEATS = "IT: every seat of the licence is taken"
M_FEWER = "IT: a licence cannot have fewer seats than are assigned"
M_LEAVER = "IT: the leaver still holds an asset or a licence seat"

_HOLDS = """(EXISTS (SELECT 1 FROM it_assignment a JOIN hr_employee e ON e.id = a.employee_id
                 WHERE e.number = NEW.ref_id AND a.returned_at IS NULL)
         OR EXISTS (SELECT 1 FROM it_seat s JOIN hr_employee e ON e.id = s.employee_id
                    WHERE e.number = NEW.ref_id AND s.released_at IS NULL))"""

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER it_assignment_insert BEFORE INSERT ON it_assignment
    BEGIN
      SELECT RAISE(ABORT, '{M_TWICE}') WHERE NEW.returned_at IS NULL AND EXISTS (
        SELECT 1 FROM it_assignment WHERE asset_id = NEW.asset_id AND returned_at IS NULL);
      SELECT RAISE(ABORT, '{M_TERMINATED}') WHERE EXISTS (
        SELECT 1 FROM hr_employee WHERE id = NEW.employee_id AND (status = 'terminated'
          OR (termination_date IS NOT NULL AND termination_date < date(NEW.out_at))));
      SELECT RAISE(ABORT, '{M_RETIRED}') WHERE EXISTS (
        SELECT 1 FROM it_asset WHERE id = NEW.asset_id AND status IN ('retired', 'disposed'));
    END""",
    f"""CREATE TRIGGER it_assignment_update BEFORE UPDATE ON it_assignment
    WHEN OLD.returned_at IS NOT NULL OR NEW.returned_at IS NULL
      OR NEW.asset_id IS NOT OLD.asset_id OR NEW.employee_id IS NOT OLD.employee_id
      OR NEW.out_at IS NOT OLD.out_at OR NEW.id IS NOT OLD.id
    BEGIN SELECT RAISE(ABORT, '{M_MOVEMENT}'); END""",
    f"""CREATE TRIGGER it_assignment_delete BEFORE DELETE ON it_assignment
    BEGIN SELECT RAISE(ABORT, '{M_MOVEMENT}'); END""",
    f"""CREATE TRIGGER it_seat_insert BEFORE INSERT ON it_seat
    WHEN NEW.released_at IS NULL AND (
      SELECT COUNT(*) FROM it_seat WHERE licence_id = NEW.licence_id AND released_at IS NULL)
      >= (SELECT seats FROM it_licence WHERE id = NEW.licence_id)
    BEGIN SELECT RAISE(ABORT, '{M_SEATS}'); END""",
    f"""CREATE TRIGGER it_seat_update BEFORE UPDATE ON it_seat
    WHEN OLD.released_at IS NOT NULL OR NEW.released_at IS NULL
      OR NEW.licence_id IS NOT OLD.licence_id OR NEW.employee_id IS NOT OLD.employee_id
      OR NEW.asset_id IS NOT OLD.asset_id OR NEW.id IS NOT OLD.id
    BEGIN SELECT RAISE(ABORT, '{M_MOVEMENT}'); END""",
    f"""CREATE TRIGGER it_seat_delete BEFORE DELETE ON it_seat
    BEGIN SELECT RAISE(ABORT, '{M_MOVEMENT}'); END""",
    f"""CREATE TRIGGER it_licence_seats BEFORE UPDATE OF seats ON it_licence
    WHEN NEW.seats < (SELECT COUNT(*) FROM it_seat
                      WHERE licence_id = NEW.id AND released_at IS NULL)
    BEGIN SELECT RAISE(ABORT, '{M_FEWER}'); END""",
    f"""CREATE TRIGGER it_offboarding_done BEFORE UPDATE OF status ON work_item
    WHEN NEW.status = 'done' AND OLD.status IS NOT 'done' AND NEW.to_dept = 'it'
      AND NEW.kind = 'offboarding' AND NEW.ref_entity = 'employee' AND {_HOLDS}
    BEGIN SELECT RAISE(ABORT, '{M_LEAVER}'); END""",
]
_PG_MOVEMENT_CHANGED = {
    "it_assignment": "OLD.returned_at IS NOT NULL OR NEW.returned_at IS NULL"
    " OR NEW.asset_id IS DISTINCT FROM OLD.asset_id"
    " OR NEW.employee_id IS DISTINCT FROM OLD.employee_id"
    " OR NEW.out_at IS DISTINCT FROM OLD.out_at OR NEW.id IS DISTINCT FROM OLD.id",
    "it_seat": "OLD.released_at IS NOT NULL OR NEW.released_at IS NULL"
    " OR NEW.licence_id IS DISTINCT FROM OLD.licence_id"
    " OR NEW.employee_id IS DISTINCT FROM OLD.employee_id"
    " OR NEW.asset_id IS DISTINCT FROM OLD.asset_id OR NEW.id IS DISTINCT FROM OLD.id",
}


def _raise_if(condition: str, message: str) -> str:
    return pg_raise_if(condition, message, one_line=True)


POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "it_assignment_insert",
        "it_assignment",
        pg_trigger(
            "it_assignment_insert",
            "it_assignment",
            "INSERT",
            # The asset's row lock queues two check-outs of one asset (the partial unique
            # index refuses the second as well).
            "PERFORM 1 FROM it_asset WHERE id = NEW.asset_id FOR UPDATE;\n  "
            + _raise_if(
                "NEW.returned_at IS NULL AND EXISTS (SELECT 1 FROM it_assignment"
                " WHERE asset_id = NEW.asset_id AND returned_at IS NULL)",
                M_TWICE,
            )
            + "\n  "
            + _raise_if(
                "EXISTS (SELECT 1 FROM hr_employee WHERE id = NEW.employee_id"
                " AND (status = 'terminated' OR (termination_date IS NOT NULL"
                " AND termination_date < (NEW.out_at AT TIME ZONE 'UTC')::date)))",
                M_TERMINATED,
            )
            + "\n  "
            + _raise_if(
                "EXISTS (SELECT 1 FROM it_asset WHERE id = NEW.asset_id"
                " AND status IN ('retired', 'disposed'))",
                M_RETIRED,
            ),
        ),
    ),
    (
        "it_assignment_update",
        "it_assignment",
        pg_guard(
            "it_assignment_update",
            "it_assignment",
            "UPDATE",
            _PG_MOVEMENT_CHANGED["it_assignment"],
            M_MOVEMENT,
        ),
    ),
    (
        "it_assignment_delete",
        "it_assignment",
        pg_guard("it_assignment_delete", "it_assignment", "DELETE", "true", M_MOVEMENT),
    ),
    (
        "it_seat_insert",
        "it_seat",
        pg_trigger(
            "it_seat_insert",
            "it_seat",
            "INSERT",
            # Count the taken seats under the licence's row lock, so two writers cannot
            # both take the last seat.
            "PERFORM 1 FROM it_licence WHERE id = NEW.licence_id FOR UPDATE;\n  "
            + _raise_if(
                "NEW.released_at IS NULL AND (SELECT COUNT(*) FROM it_seat"
                " WHERE licence_id = NEW.licence_id AND released_at IS NULL)"
                " >= (SELECT seats FROM it_licence WHERE id = NEW.licence_id)",
                M_SEATS,
            ),
        ),
    ),
    (
        "it_seat_update",
        "it_seat",
        pg_guard(
            "it_seat_update", "it_seat", "UPDATE", _PG_MOVEMENT_CHANGED["it_seat"], M_MOVEMENT
        ),
    ),
    (
        "it_seat_delete",
        "it_seat",
        pg_guard("it_seat_delete", "it_seat", "DELETE", "true", M_MOVEMENT),
    ),
    (
        "it_licence_seats",
        "it_licence",
        pg_guard(
            "it_licence_seats",
            "it_licence",
            "UPDATE OF seats",
            "NEW.seats < (SELECT COUNT(*) FROM it_seat"
            " WHERE licence_id = NEW.id AND released_at IS NULL)",
            M_FEWER,
        ),
    ),
    (
        "it_offboarding_done",
        "work_item",
        pg_guard(
            "it_offboarding_done",
            "work_item",
            "UPDATE OF status",
            "NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done' AND NEW.to_dept = 'it'"
            " AND NEW.kind = 'offboarding' AND NEW.ref_entity = 'employee' AND " + _HOLDS,
            M_LEAVER,
        ),
    ),
]
"""(name, table, statements) of the same guards in PL/pgSQL."""


# Kept in step with ``it.service.sla`` defaults: (priority, response, resolution) in working
# minutes: P1 1 h / 4 h, P2 2 h / 1 day, P3 4 h / 3 days, P4 1 day / 5 days (8-hour days).
SLA_TARGETS = [("P1", 60, 240), ("P2", 120, 480), ("P3", 240, 1440), ("P4", 480, 2400)]

# Asset categories and their straight-line lives in months.
CATEGORIES = [
    ("LAPTOP", "Laptops", 36),
    ("DESKTOP", "Desktops", 48),
    ("MONITOR", "Monitors", 60),
    ("PHONE", "Mobile phones", 24),
    ("PRINTER", "Printers", 60),
    ("NETWORK", "Network equipment", 60),
    ("SERVER", "Servers", 60),
]


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    drops = {
        "sqlite": sqlite_trigger_drops(SQLITE_TRIGGERS),
        "postgresql": pg_drops(POSTGRES_TRIGGERS),
    }
    for statement in drops.get(dialect, []):
        op.execute(statement)
    with op.batch_alter_table("it_ticket_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_it_ticket_event_ticket_id"))

    op.drop_table("it_ticket_event")
    with op.batch_alter_table("it_ticket_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_it_ticket_comment_ticket_id"))

    op.drop_table("it_ticket_comment")
    op.drop_table("it_sla_breach")
    with op.batch_alter_table("it_ticket", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_it_ticket_unanswered",
            sqlite_where=sa.text("first_response_at IS NULL AND status <> 'closed'"),
            postgresql_where=sa.text("first_response_at IS NULL AND status <> 'closed'"),
        )
        batch_op.drop_index("ix_it_ticket_status")
        batch_op.drop_index("ix_it_ticket_resolved", sqlite_where=sa.text("status = 'resolved'"))
        batch_op.drop_index("ix_it_ticket_requester")
        batch_op.drop_index(
            "ix_it_ticket_open_due",
            sqlite_where=sa.text(
                "status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')"
            ),
            postgresql_where=sa.text(
                "status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')"
            ),
        )
        batch_op.drop_index("ix_it_ticket_assignee")
        batch_op.drop_index(batch_op.f("ix_it_ticket_asset_id"))

    op.drop_table("it_ticket")
    with op.batch_alter_table("it_seat", schema=None) as batch_op:
        batch_op.drop_index("ix_it_seat_open", sqlite_where=sa.text("released_at IS NULL"))
        batch_op.drop_index("ix_it_seat_employee", sqlite_where=sa.text("released_at IS NULL"))

    op.drop_table("it_seat")
    with op.batch_alter_table("it_assignment", schema=None) as batch_op:
        batch_op.drop_index("uq_it_assignment_open", sqlite_where=sa.text("returned_at IS NULL"))
        batch_op.drop_index("ix_it_assignment_holder", sqlite_where=sa.text("returned_at IS NULL"))
        batch_op.drop_index("ix_it_assignment_asset")

    op.drop_table("it_assignment")
    with op.batch_alter_table("it_depreciation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_it_depreciation_period"))
        batch_op.drop_index(batch_op.f("ix_it_depreciation_asset_id"))

    op.drop_table("it_depreciation")
    op.drop_table("it_checklist_step")
    with op.batch_alter_table("it_asset", schema=None) as batch_op:
        batch_op.drop_index("ix_it_asset_status")
        batch_op.drop_index("ix_it_asset_category")

    op.drop_table("it_asset")
    op.drop_table("it_sla_target")
    with op.batch_alter_table("it_licence", schema=None) as batch_op:
        batch_op.drop_index("ix_it_licence_renewal")

    op.drop_table("it_licence")
    op.drop_table("it_holiday")
    op.drop_table("it_asset_category")
