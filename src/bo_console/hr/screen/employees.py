"""The Employees tab: the list, the employee card and the employee forms."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.hr.screen.common import amount_text
from bo_console.ui.base import bo_app
from bo_console.ui.kit.actions import ServiceAction, run_action, try_write, write
from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of
from bo_console.ui.kit.list_pane import ListPane
from bo_console.ui.kit.notify import show_error
from bo_console.ui.kit.record_dialog import ActionKey, Choice, RecordDialog, RecordSpec
from bo_console.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.paging import QuerySource
    from bo_console.core.security import Actor
    from bo_console.hr.service.lists import LeaveBalanceRow
    from bo_console.hr.service.people import EmployeeRow
    from bo_console.hr.service.people.salary import SalaryLineView
    from bo_console.ui.app import BoApp


# -- employees --------------------------------------------------------------------------------

EMPLOYEE_FIELDS: list[tuple[str, str, bool, str]] = [
    # name, label, required, help
    ("number", "Number", False, "Leave blank for the next free number."),
    ("name", "Name", True, ""),
    ("name_ar", "Arabic name", False, ""),
    ("org_unit", "Org unit", True, ""),
    ("position", "Position", False, ""),
    ("manager", "Manager", False, "The manager's employee number."),
    ("hire_date", "Hire date", True, "t is today; +5, -1m and YYYY-MM-DD work too."),
    ("status", "Status", True, "active or on_leave (terminate from the card)."),
    ("email", "E-mail", False, ""),
    ("phone", "Phone", False, ""),
    ("login", "Console login", False, "Lets them ask for their own leave."),
    ("base_salary", "Base salary", False, "Monthly, in the base currency."),
    ("allowances", "Allowances", False, "Monthly housing, transport and the like."),
    ("iban", "IBAN", False, "Checked as you type (country length and check digits)."),
    ("national_id", "National ID", False, ""),
    ("birth_date", "Date of birth", False, ""),
    ("nationality", "Nationality", False, "saudi, gcc or other: social insurance depends on it."),
    (
        "contract_ends_on",
        "Contract end",
        False,
        "Last day of a fixed-term contract; empty: indefinite (art. 77 depends on it).",
    ),
]
CONFIDENTIAL = ("base_salary", "allowances", "iban", "national_id", "birth_date")


def form_text(row: EmployeeRow, exponent: int) -> dict[str, str]:
    """An employee's editable fields as the form shows them: codes, ISO dates, amounts; the
    confidential ones only when the service revealed them."""
    from bo_console.core.money import from_minor

    values = {
        "name": row.name,
        "name_ar": row.name_ar,
        "org_unit": row.org_unit,
        "position": row.position_code or "",
        "manager": row.manager or "",
        "hire_date": row.hire_date.isoformat(),
        "email": row.email,
        "phone": row.phone,
        "login": row.login or "",
        "status": row.status,
        "nationality": row.nationality,
        "contract_ends_on": row.contract_ends_on.isoformat() if row.contract_ends_on else "",
    }
    if row.revealed:
        values["base_salary"] = str(from_minor(row.base_salary or 0, exponent))
        values["allowances"] = str(from_minor(row.allowances or 0, exponent))
        values["iban"] = row.iban or ""
        values["national_id"] = row.national_id or ""
        values["birth_date"] = row.birth_date.isoformat() if row.birth_date else ""
    return values


def employee_form(
    app: BoApp,
    *,
    title: str,
    values: dict[str, str],
    confidential: bool,
    new: bool,
    submit: Callable[[dict[str, str]], Any],
) -> FormScreen:
    """The employee form: each field checked as typed by the service's own field rules."""
    from bo_console.hr.models import EMPLOYEE_STATUSES
    from bo_console.hr.service import people
    from bo_console.hr.service.common import currency_of

    with app.store.read() as session:
        units = [u["code"] for u in people.list_org_units(session, app.actor) if u["active"]]
        positions = [p["code"] for p in people.list_positions(session, app.actor) if p["active"]]
        _, exponent = currency_of(session)

    def check(name: str) -> Callable[[str], str | None]:
        def run(text: str) -> str | None:
            return people.field_problem(name, text, exponent)

        return run

    def code_in(choices: list[str], what: str) -> Callable[[str], str | None]:
        allowed = one_of(choices, what)
        return lambda text: allowed(text.strip().upper())

    special: dict[str, tuple[Callable[[str], str | None], Sequence[str]]] = {
        "org_unit": (code_in(units, "org unit"), units),
        "position": (code_in(positions, "position"), positions),
        "status": (one_of([s for s in EMPLOYEE_STATUSES if s != "terminated"], "status"), ()),
        "hire_date": (date_check, ()),
        "birth_date": (date_check, ()),
        "contract_ends_on": (date_check, ()),
        "nationality": (check("nationality"), ("saudi", "gcc", "other")),
    }
    fields = []
    for name, label, required, help_text in EMPLOYEE_FIELDS:
        if (name == "number" and not new) or (name in CONFIDENTIAL and not confidential):
            continue
        checker, suggestions = special.get(name, (check(name), ()))
        fields.append(
            FormField(
                name,
                label,
                value=values.get(name, ""),
                required=required,
                check=checker,
                suggestions=suggestions,
                help=help_text,
            )
        )
    return FormScreen(title, fields, submit, save_label="Add employee" if new else "Save")


class EmployeeCard(RecordDialog["EmployeeRow"]):
    """One employee as the service gave them: confidential fields revealed or masked."""

    BINDINGS = [Binding("enter", "close", "Close", show=False)]

    def __init__(
        self,
        row: EmployeeRow,
        record: dict[str, Any],
        balances: list[LeaveBalanceRow],
        allowed: frozenset[str],
        history: Sequence[SalaryLineView] = (),
        exponent: int = 2,
    ) -> None:
        self.record = record
        self.balances = balances
        self.history = history
        self.exponent = exponent
        super().__init__(row, allowed)

    def record_spec(self, view: EmployeeRow) -> RecordSpec:
        r = self.record
        title = f"{r['number']}  {r['name']}" + (f"  {r['name_ar']}" if r["name_ar"] else "")
        lines = [
            title,
            "",
            f"Org unit    {r['org_unit']} {view.org_unit_name}",
            f"Position    {r['position'] or '-'}",
            f"Manager     {r['manager'] or '-'}",
            f"Status      {r['status']}",
            f"Hired       {r['hire_date']}"
            + (f"   last day {r['termination_date']}" if r["termination_date"] else ""),
            f"E-mail      {r['email'] or '-'}",
            f"Phone       {r['phone'] or '-'}",
            f"Login       {r['login'] or '-'}",
            "",
            f"Salary      {amount_text(r['base_salary'])}",
            f"Allowances  {amount_text(r['allowances'])}",
            f"IBAN        {r['iban'] or '-'}",
            f"National ID {r['national_id'] or '-'}",
            f"Born        {r['birth_date'] or '-'}",
            f"Nationality {view.nationality}   contract "
            + (f"to {view.contract_ends_on}" if view.contract_ends_on else "indefinite")
            + (f"   left: {view.leaving_reason}" if view.leaving_reason else ""),
        ]
        if self.history:
            from bo_console.core.money import from_minor

            # One line per change date: the salary history, compact enough for 80x24.
            by_day: dict[date, list[str]] = {}
            for h in self.history:
                by_day.setdefault(h.effective_from, []).append(
                    f"{h.component} {amount_text(from_minor(h.amount, self.exponent))}"
                )
            lines.append("")
            lines += [f"Pay from {day}: {', '.join(parts)}" for day, parts in by_day.items()]
        if self.balances:
            lines.append("")
            lines += [
                f"Leave {b.type:<10} balance {b.balance:>6}   pending {b.pending}"
                for b in self.balances
            ]
        note = (
            "Confidential fields shown: this view is recorded in the audit trail."
            if view.revealed
            else "Confidential fields are masked (they need hr.confidential)."
        )
        return RecordSpec(
            header=lines,
            header_id="card-body",
            after=[note],
            after_id="card-note",
            actions=[
                ActionKey("e", "edit", "Edit", "e edit", id="hr.card.edit"),
                ActionKey("t", "terminate", "Terminate", "t terminate", id="hr.card.terminate"),
                ActionKey("c", "salary", "Salary", "c salary change", id="hr.card.salary"),
            ],
        )


class EmployeesPane(ListPane):
    """Every employee in a virtual table; a card on enter, forms for new and edit."""

    WORK_ITEMS = ("employee", "number")

    BINDINGS = [
        Binding("n", "new_employee", "New", id="hr.employees.new", tooltip="Add an employee"),
        Binding("e", "edit_employee", "Edit", id="hr.employees.edit", tooltip="Edit the employee"),
        Binding(
            "s",
            "toggle_salaries",
            "Salaries",
            id="hr.employees.salaries",
            tooltip="Show or hide salary columns (every page shown is recorded in the audit trail)",
        ),
    ]

    def __init__(self, app: BoApp) -> None:
        from bo_console.hr.service import people

        self.revealed = False
        super().__init__(
            people.employees_source(app.store, app.actor),
            name="employees",
            title="Employees",
            exporter=self._export,
            filter_hint="name (Arabic or Latin, any alef form or case), number, e-mail or phone",
            id="employees-pane",
        )

    @property
    def bo_app(self) -> BoApp:
        return bo_app(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.bo_app.actor
        if action in ("new_employee", "edit_employee"):
            return actor.can("hr.write")
        if action == "toggle_salaries":
            return actor.can("hr.confidential")
        return True

    def _export(self, path: Path, fmt: str) -> int:
        from bo_console.hr.service import people

        source = self.source
        query = people.EmployeeQuery(
            search=source.filter_text,
            sort=source.sort_key or "number",
            descending=source.descending,
        )
        return write(
            self,
            lambda session, actor: people.export_employees(
                session, actor, path, fmt, reveal=self.revealed, query=query
            ),
        )

    def reload(self) -> None:
        self.table.refresh_data()

    def action_toggle_salaries(self) -> None:
        from bo_console.hr.service import people

        app = self.bo_app
        old = self.source
        try:
            source: QuerySource = people.employees_source(
                app.store,
                app.actor,
                sort=old.sort_key or "name",
                descending=old.descending,
                reveal=not self.revealed,
            )
        except BoError as exc:
            show_error(self, exc)
            return
        source.set_filter(old.filter_text)
        if old.sort_key is None:
            source.set_sort(None, old.descending)
        self.revealed = not self.revealed
        self.source = source
        self.table.source = source
        self.title = "Employees with salaries (audited)" if self.revealed else "Employees"
        self.table.refresh_data()

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.open_card(str(event.row["number"]))

    def _current_number(self) -> str | None:
        row = self.table.current_row()
        return None if row is None else str(row["number"])

    def open_card(self, number: str) -> None:
        """Show the employee's card; what the person chooses there runs here."""
        from bo_console.hr.service import leave, people
        from bo_console.hr.service.common import currency_of

        app = self.bo_app

        # The service decides whether this reader sees confidential fields; when it reveals
        # them it writes the view to the audit trail, which needs a write unit of work (as
        # `bo hr employees show` does); anyone else only reads.
        scope = app.store.write() if app.actor.can("hr.confidential") else app.store.read()
        try:
            with scope as session:
                row = people.get_employee(session, app.actor, number)
                _, exponent = currency_of(session)
                record = people.employee_record(row, exponent)
                balances = leave.balances(session, app.actor, employee=number)
                history = people.salary_history(session, app.actor, number) if row.revealed else []
        except BoError as exc:
            show_error(self, exc)
            return

        def chosen(choice: Choice | None) -> None:
            what = choice.action if choice is not None else ""
            if what == "edit":
                self.edit(number)
            elif what == "terminate":
                self.terminate(row)
            elif what == "salary":
                self.change_salary(row)

        allowed = people.employee_actions(app.actor, row)
        app.push_screen(EmployeeCard(row, record, balances, allowed, history, exponent), chosen)

    def change_salary(self, row: EmployeeRow) -> None:
        """Add or change one salary component from a date (0 ends it); the card then shows
        the history with the new line."""
        from bo_console.hr.models.values import parse_money
        from bo_console.hr.service import people
        from bo_console.hr.service.common import currency_of

        app = self.bo_app
        with app.store.read() as session:
            codes = [c.code for c in people.list_components(session, app.actor)]
            _, exponent = currency_of(session)

        def amount_check(text: str) -> str | None:
            try:
                value = parse_money(text.strip(), exponent)
            except (BoError, ValueError) as exc:
                return getattr(exc, "message", str(exc))
            return "an amount of 0 or more" if value < 0 else None

        def submit(values: dict[str, str]) -> str:
            code = values["component"].strip().upper()
            amount = parse_money(values["amount"].strip(), exponent)
            since = parse_date(values["effective_from"])
            write(
                self,
                lambda s, a: people.set_salary(s, a, row.number, {code: amount}, since),
            )
            return f"{code} of {row.number} is {values['amount'].strip()} from {since}"

        form = FormScreen(
            f"Salary of {row.number} {row.name}",
            [
                FormField(
                    "component",
                    "Component",
                    required=True,
                    check=lambda text: one_of(codes, "component")(text.strip().upper()),
                    suggestions=codes,
                    help="BASIC, HOUSING, TRANSPORT, OTHER or a custom one (bo hr salary "
                    "add-component).",
                ),
                FormField(
                    "amount", "Monthly amount", required=True, check=amount_check,
                    help="0 ends the component.",
                ),
                FormField(
                    "effective_from", "Effective from", value="t", required=True,
                    check=date_check,
                    help="A pay run uses the lines in force on its month's last day.",
                ),
            ],
            submit,
            save_label="Save",
        )  # fmt: skip

        def saved(note: str | None) -> None:
            if note:
                self._changed(note, row.number)

        app.push_screen(form, saved)

    def _changed(self, note: str, number: str | None = None) -> None:
        self.notify(note)
        self.table.refresh_data()
        if number is not None:
            self.open_card(number)

    def action_new_employee(self) -> None:
        from bo_console.hr.service import people
        from bo_console.hr.service.common import currency_of

        app = self.bo_app

        def add(session: Session, actor: Actor, values: dict[str, str]) -> str:
            data = people.employee_create(values, exponent=currency_of(session)[1])
            return people.create_employee(session, actor, data).number

        def submit(values: dict[str, str]) -> str:
            return write(self, lambda session, actor: add(session, actor, values))

        form = employee_form(
            app,
            title="New employee",
            values={"hire_date": "t", "status": "active"},
            confidential=app.actor.can("hr.confidential"),
            new=True,
            submit=submit,
        )

        def saved(number: str | None) -> None:
            if number:
                self._changed(f"added employee {number}", number)

        app.push_screen(form, saved)

    def action_edit_employee(self) -> None:
        number = self._current_number()
        if number is not None:
            self.edit(number)

    def edit(self, number: str) -> None:
        """The edit form for one employee (confidential fields when the service reveals them)."""
        from bo_console.hr.service import people
        from bo_console.hr.service.common import currency_of

        app = self.bo_app

        def read(session: Session, actor: Actor) -> tuple[EmployeeRow, int]:
            return people.get_employee(session, actor, number), currency_of(session)[1]

        # A write: revealing confidential fields records the view in the audit trail.
        found = try_write(self, read)
        if found is None:
            return
        row, exponent = found
        before = form_text(row, exponent)
        revealed = row.revealed

        def submit(values: dict[str, str]) -> str:
            changes = people.form_changes(before, values, exponent=exponent)
            if changes.model_fields_set:
                write(self, lambda s, a: people.update_employee(s, a, number, changes))
            return number

        form = employee_form(
            app,
            title=f"Edit employee {number}",
            values=before,
            confidential=revealed,
            new=False,
            submit=submit,
        )

        def saved(result: str | None) -> None:
            if result:
                self._changed(f"saved {number}")

        app.push_screen(form, saved)

    def terminate(self, row: EmployeeRow) -> None:
        """Ask the last day and reason, say what follows, then terminate."""
        from bo_console.hr.service import people

        app = self.bo_app

        from bo_console.hr.models import LEAVING_REASONS

        def submit(values: dict[str, str]) -> tuple[date, str, str]:
            leaving = values["leaving"].strip().lower().replace(" ", "_")
            return parse_date(values["last_day"]), values["reason"], leaving

        def chosen(result: tuple[date, str, str] | None) -> None:
            if result is None:
                return
            last_day, reason, leaving = result

            run_action(
                self,
                ServiceAction(
                    "Terminate employment",
                    "Terminate",
                    lambda session, actor: people.terminate_employee(
                        session, actor, row.number, on=last_day, reason=reason, leaving=leaving
                    ),
                    f"Terminate {row.name} ({row.number}) with last day {last_day} "
                    f"({leaving.replace('_', ' ')})? The next pay run pays the final settlement "
                    "(end of service by that reason) and IT is asked to revoke access and collect "
                    "equipment. The record is then closed.",
                    lambda _: self._changed(
                        f"terminated {row.number}; IT has an offboarding work item"
                    ),
                    dry_run=False,
                ),
            )

        form = FormScreen(
            f"Terminate {row.number} {row.name}",
            [
                FormField("last_day", "Last day", value="t", required=True, check=date_check),
                FormField(
                    "leaving",
                    "Leaving reason",
                    required=True,
                    check=lambda text: one_of(list(LEAVING_REASONS), "leaving reason")(
                        text.strip().lower().replace(" ", "_")
                    ),
                    suggestions=LEAVING_REASONS,
                    help="Decides the end-of-service award: resignation (art. 85: a share by "
                    "years), termination or contract_end (art. 84: in full), "
                    "unfair_termination (plus art. 77), force_majeure, dismissal (art. 80: "
                    "none).",
                ),
                FormField("reason", "Note", placeholder="in your words (optional)"),
            ],
            submit,
            save_label="Next",
        )
        app.push_screen(form, chosen)
