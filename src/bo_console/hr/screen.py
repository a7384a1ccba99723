"""The HR screen: employees, recruiting, training, leave, payroll, and the HR inbox.

Thin over the HR services: every read and change is a service call in its own short unit of
work, and what a service refuses is shown as it says it. The services decide what is
confidential: an employee card shows salaries, IBANs and national IDs only when
``people.get_employee`` revealed them (and recorded the view), the Employees list shows pay
only through ``people.employees_source(reveal=True)`` (each block read is audited), and pay runs
show their totals only when ``payroll.runs_overview`` says they are revealed. Keys for actions
the user's role cannot take are hidden. Tabs other than Employees read their data when first
shown, so the screen opens as fast as the Employees list does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, ProgressBar, Static, TabbedContent

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError, ValidationFailed
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.department import DepartmentScreen, ListPane, Tab
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormField, FormScreen, date_check, one_of
from bo_console.ui.widgets.text_viewer import TextViewer
from bo_console.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.paging import QuerySource
    from bo_console.hr.people import EmployeeRow
    from bo_console.ui.app import BoApp


def _say_error(widget: Widget, exc: BoError) -> None:
    widget.notify(exc.message, title=exc.title, severity="error", timeout=8)


def _amount(value: Any) -> str:
    """A money value as the services give it: a Decimal shown with grouping, or the mask."""
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


def _right(text: str) -> Text:
    return Text(text, justify="right")


def _whole_number(what: str, *, low: int = 0, high: int = 100_000) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        try:
            value = int(text.strip())
        except ValueError:
            return f"{what} is a whole number"
        return None if low <= value <= high else f"{what} is {low} to {high}"

    return check


def _new_table(table_id: str) -> DataTable[Any]:
    return DataTable(cursor_type="row", zebra_stripes=True, id=table_id)


def _selected_key(table: DataTable[Any]) -> str | None:
    """The row key under the cursor, or None when the table is empty."""
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return None if key is None else str(key)


def _cell(row: dict[str, Any], spec: str) -> Text:
    name = spec.lstrip(">")
    value = row.get(name)
    text = "" if value is None else _amount(value)
    return _right(text) if spec.startswith(">") else Text(text)


def _fill(
    table: DataTable[Any], rows: Iterable[dict[str, Any]], key: str, spec: Sequence[str]
) -> None:
    """Replace the rows with ``rows``: ``key`` names each row's key field, ``spec`` the fields
    shown, in order (``>name`` right-aligns one). The cursor stays on the same row if it can."""
    keep = _selected_key(table)
    table.clear()
    for row in rows:
        table.add_row(*(_cell(row, name) for name in spec), key=str(row[key]))
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep))


def _write(widget: Widget, work: Callable[[Session], Any]) -> Any:
    """Run ``work`` in a write unit of work; a refusal is shown and None returned."""
    app = bo_app(widget)
    try:
        with app.store.write() as session:
            return work(session)
    except BoError as exc:
        _say_error(widget, exc)
        return None


def _confirm(
    widget: Widget, message: str, title: str, label: str, then: Callable[[], None]
) -> None:
    def answered(yes: bool | None) -> None:
        if yes:
            then()

    widget.app.push_screen(ConfirmDialog(message, title=title, confirm_label=label), answered)


def _refused_by_dry_run(widget: Widget, work: Callable[[Session], object]) -> bool:
    """Try ``work`` in a transaction that is rolled back: a refusal shows at once, before any
    dialog asks. Returns True when the service refused."""
    app = bo_app(widget)
    try:
        with app.store.write() as session:
            work(session)
            session.rollback()
    except BoError as exc:
        _say_error(widget, exc)
        return True
    return False


class Pane(Vertical):
    """A tab built and read the first time it is shown (read again on ``r``).

    Until then it is empty: the HR screen opens as fast as its Employees list, whatever the
    other tabs hold.
    """

    DEFAULT_CSS = """
    Pane { height: 1fr; }
    Pane > .status-line { height: 1; }
    """

    BINDINGS = [Binding("r", "reload", "Refresh", id="hr.refresh")]

    loaded = False

    @property
    def bo_app(self) -> BoApp:
        return bo_app(self)

    def compose(self) -> ComposeResult:
        if self.loaded:
            yield from self.build()

    def build(self) -> ComposeResult:
        """The tab's widgets."""
        return iter(())

    def setup(self) -> None:
        """Prepare the widgets once built (table columns and the like)."""

    async def shown(self) -> None:
        """Called when the tab is shown: build it and read the data, once."""
        if self.loaded:
            return
        self.loaded = True
        await self.recompose()
        self.setup()
        self.reload()
        for table in self.query(DataTable):
            if table.display:
                table.focus()
                break

    def reload(self) -> None:
        """Read the data again."""

    def action_reload(self) -> None:
        self.reload()

    def may(self, permission: str) -> bool:
        return self.bo_app.actor.can(permission)


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
]
CONFIDENTIAL = ("base_salary", "allowances", "iban", "national_id", "birth_date")


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
    from bo_console.hr import people
    from bo_console.hr.common import currency_of
    from bo_console.hr.models import EMPLOYEE_STATUSES

    with app.store.read() as session:
        units = [u["code"] for u in people.list_org_units(session, app.actor) if u["active"]]
        positions = [p["code"] for p in people.list_positions(session, app.actor) if p["active"]]
        _, exponent = currency_of(session)

    def check(name: str) -> Callable[[str], str | None]:
        def run(text: str) -> str | None:
            return people.check_field(name, text, exponent)

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


class EmployeeCard(ModalScreen[str | None]):
    """One employee as the service gave them: confidential fields revealed or masked."""

    DEFAULT_CSS = """
    EmployeeCard { align: center middle; }
    EmployeeCard > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    EmployeeCard .card-title { text-style: bold; padding-top: 1; }
    EmployeeCard .card-note { color: $text-muted; }
    EmployeeCard .card-keys { color: $text-muted; padding: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("e", "choose('edit')", "Edit", id="hr.card.edit"),
        Binding("t", "choose('terminate')", "Terminate", id="hr.card.terminate"),
        Binding("escape,q,enter", "choose('')", "Close", id="hr.card.close"),
    ]

    def __init__(self, row: EmployeeRow, record: dict[str, Any], balances: list[dict[str, Any]]):
        super().__init__()
        self.row = row
        self.record = record
        self.balances = balances

    def compose(self) -> ComposeResult:
        r = self.record
        title = f"{r['number']}  {r['name']}" + (f"  {r['name_ar']}" if r["name_ar"] else "")
        lines = [
            f"Org unit    {r['org_unit']} {self.row.org_unit_name}",
            f"Position    {r['position'] or '-'}",
            f"Manager     {r['manager'] or '-'}",
            f"Status      {r['status']}",
            f"Hired       {r['hire_date']}"
            + (f"   last day {r['termination_date']}" if r["termination_date"] else ""),
            f"E-mail      {r['email'] or '-'}",
            f"Phone       {r['phone'] or '-'}",
            f"Login       {r['login'] or '-'}",
            "",
            f"Salary      {_amount(r['base_salary'])}",
            f"Allowances  {_amount(r['allowances'])}",
            f"IBAN        {r['iban'] or '-'}",
            f"National ID {r['national_id'] or '-'}",
            f"Born        {r['birth_date'] or '-'}",
        ]
        if self.balances:
            lines.append("")
            lines += [
                f"Leave {b['type']:<10} balance {b['balance']:>6}   pending {b['pending']}"
                for b in self.balances
            ]
        note = (
            "Confidential fields shown: this view is recorded in the audit trail."
            if self.row.revealed
            else "Confidential fields are masked (they need hr.confidential)."
        )
        with VerticalScroll():
            yield Static(Text(title), classes="card-title")
            yield Static(Text("\n".join(lines)), id="card-body")
            yield Static(note, classes="card-note", id="card-note")
            yield Static(self._keys(), classes="card-keys")

    def _keys(self) -> str:
        keys = []
        if self.check_action("choose", ("edit",)):
            keys.append("e edit")
        if self.check_action("choose", ("terminate",)):
            keys.append("t terminate")
        return " · ".join([*keys, "esc close"])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = bo_app(self).actor
        open_record = self.row.status != "terminated"
        if action == "choose" and parameters == ("edit",):
            return open_record and actor.can("hr.write")
        if action == "choose" and parameters == ("terminate",):
            return open_record and actor.can("hr.manage")
        return True

    def action_choose(self, what: str) -> None:
        self.dismiss(what or None)


class EmployeesPane(ListPane):
    """Every employee in a virtual table; a card on enter, forms for new and edit."""

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
        from bo_console.hr import people

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
        from bo_console.hr import people

        source = self.source
        query = people.EmployeeQuery(
            search=source.filter_text,
            sort=source.sort_key or "number",
            descending=source.descending,
        )
        app = self.bo_app
        with app.store.write() as session:
            return people.export_employees(
                session, app.actor, path, fmt, reveal=self.revealed, query=query
            )

    def reload(self) -> None:
        self.table.refresh_data()

    def action_toggle_salaries(self) -> None:
        from bo_console.hr import people

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
            _say_error(self, exc)
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
        from bo_console.hr import leave, people
        from bo_console.hr.common import currency_of

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
        except BoError as exc:
            _say_error(self, exc)
            return

        def chosen(what: str | None) -> None:
            if what == "edit":
                self.edit(number)
            elif what == "terminate":
                self.terminate(row)

        app.push_screen(EmployeeCard(row, record, balances), chosen)

    def _changed(self, note: str, number: str | None = None) -> None:
        self.notify(note)
        self.table.refresh_data()
        if number is not None:
            self.open_card(number)

    def action_new_employee(self) -> None:
        from bo_console.hr import people
        from bo_console.hr.common import currency_of

        app = self.bo_app

        def submit(values: dict[str, str]) -> str:
            with app.store.write() as session:
                _, exponent = currency_of(session)
                data = people.input_from_form(values, exponent)
                return people.create_employee(session, app.actor, data).number

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
        from bo_console.hr import people
        from bo_console.hr.common import currency_of

        app = self.bo_app
        found = _write(self, lambda session: people.form_values(session, app.actor, number))
        if found is None:
            return
        before, revealed = found

        def submit(values: dict[str, str]) -> str:
            with app.store.write() as session:
                _, exponent = currency_of(session)
                changes = people.changes_from_form(before, values, exponent)
                if changes:
                    people.update_employee(session, app.actor, number, changes)
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
        from bo_console.hr import people

        app = self.bo_app

        def submit(values: dict[str, str]) -> tuple[date, str]:
            return parse_date(values["last_day"]), values["reason"]

        def chosen(result: tuple[date, str] | None) -> None:
            if result is None:
                return
            last_day, reason = result

            def run() -> None:
                done = _write(
                    self,
                    lambda session: people.terminate_employee(
                        session, app.actor, row.number, on=last_day, reason=reason
                    ),
                )
                if done is not None:
                    self._changed(f"terminated {row.number}; IT has an offboarding work item")

            _confirm(
                self,
                f"Terminate {row.name} ({row.number}) with last day {last_day}? The next pay "
                "run pays the final settlement and IT is asked to revoke access and collect "
                "equipment. The record is then closed.",
                "Terminate employment",
                "Terminate",
                run,
            )

        form = FormScreen(
            f"Terminate {row.number} {row.name}",
            [
                FormField("last_day", "Last day", value="t", required=True, check=date_check),
                FormField("reason", "Reason", placeholder="resignation, end of contract..."),
            ],
            submit,
            save_label="Next",
        )
        app.push_screen(form, chosen)


# -- recruiting -------------------------------------------------------------------------------


class RecruitingPane(Pane):
    """Openings, and the candidates of the highlighted opening with their stages."""

    DEFAULT_CSS = """
    RecruitingPane #openings { height: 7; }
    RecruitingPane #candidates { height: 1fr; }
    """

    BINDINGS = [
        Binding("n", "new_candidate", "New candidate", id="hr.recruiting.new-candidate"),
        Binding("m", "next_stage", "Next stage", id="hr.recruiting.next"),
        Binding("h", "hire", "Hire", id="hr.recruiting.hire", tooltip="Hire the candidate"),
        Binding("d", "reject", "Reject", id="hr.recruiting.reject"),
        Binding("t", "note", "Note", id="hr.recruiting.note", show=False),
        Binding("w", "new_opening", "New opening", id="hr.recruiting.new-opening", show=False),
    ]

    WRITES = {"new_candidate", "next_stage", "reject", "note", "new_opening"}

    def __init__(self) -> None:
        super().__init__(id="recruiting-pane")
        self.candidates: dict[str, dict[str, Any]] = {}
        self.openings: dict[str, dict[str, Any]] = {}

    def build(self) -> ComposeResult:
        yield Static("Openings", classes="status-line", id="openings-title")
        yield _new_table("openings")
        yield Static("Candidates", classes="status-line", id="candidates-title")
        yield _new_table("candidates")

    def setup(self) -> None:
        self.query_one("#openings", DataTable).add_columns(
            "ID", "Title", "Unit", "Heads", "Status", "Opened", "In process", "Hired"
        )
        self.query_one("#candidates", DataTable).add_columns(
            "ID", "Name", "الاسم", "Stage", "Applied", "Employee", "E-mail"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITES:
            return self.may("hr.write")
        if action == "hire":
            return self.may("hr.manage")
        return True

    def reload(self) -> None:
        from bo_console.hr import recruiting

        app = self.bo_app
        table = self.query_one("#openings", DataTable)
        try:
            with app.store.read() as session:
                rows = recruiting.list_openings(session, app.actor)
        except BoError as exc:
            self.query_one("#openings-title", Static).update(exc.message)
            return
        self.openings = {str(r["id"]): r for r in rows}
        _fill(
            table,
            rows,
            "id",
            ["id", "title", "org_unit", "headcount", "status", "opened_on", "in_process", "hired"],
        )
        open_count = sum(1 for r in rows if r["status"] == "open")
        self.query_one("#openings-title", Static).update(
            f"Openings: {len(rows)}, {open_count} open · w new opening"
            if self.may("hr.write")
            else f"Openings: {len(rows)}, {open_count} open"
        )
        self._load_candidates()

    @on(DataTable.RowHighlighted, "#openings")
    def _opening_moved(self) -> None:
        self._load_candidates()

    def _opening_id(self) -> int | None:
        key = _selected_key(self.query_one("#openings", DataTable))
        return None if key is None else int(key)

    def _load_candidates(self) -> None:
        from bo_console.hr import recruiting

        opening = self._opening_id()
        table = self.query_one("#candidates", DataTable)
        title = self.query_one("#candidates-title", Static)
        if opening is None:
            table.clear()
            title.update("Candidates: no openings yet")
            return
        app = self.bo_app
        with app.store.read() as session:
            rows = recruiting.list_candidates(session, app.actor, opening_id=opening)
        self.candidates = {str(r["id"]): r for r in rows}
        _fill(
            table,
            rows,
            "id",
            ["id", "name", "name_ar", "stage", "applied_on", "employee", "email"],
        )
        name = self.openings.get(str(opening), {}).get("title", "")
        title.update(Text(f"Candidates for opening {opening} ({name}): {len(rows)}"))

    def _candidate(self) -> dict[str, Any] | None:
        key = _selected_key(self.query_one("#candidates", DataTable))
        if key is None:
            self.notify("no candidate selected (tab moves to the candidates)", severity="warning")
            return None
        return self.candidates.get(key)

    @on(DataTable.RowSelected, "#candidates")
    def _history(self, event: DataTable.RowSelected) -> None:
        from bo_console.hr import recruiting

        event.stop()
        candidate = self._candidate()
        if candidate is None:
            return
        app = self.bo_app
        with app.store.read() as session:
            events = recruiting.candidate_history(session, app.actor, int(candidate["id"]))
        lines = [
            f"{candidate['name']} {candidate['name_ar']}".strip(),
            f"E-mail {candidate['email'] or '-'}   phone {candidate['phone'] or '-'}",
            f"Stage {candidate['stage']}, applied {candidate['applied_on']}",
            "",
        ]
        for e in events:
            move = f"{e.from_stage or ''} -> {e.to_stage}" if e.to_stage else "note"
            lines.append(f"{e.at:%Y-%m-%d %H:%M} {e.by_login}: {move} {e.note}".rstrip())
        app.push_screen(TextViewer(f"Candidate {candidate['id']}", "\n".join(lines)))

    def _done(self, note: str) -> None:
        self.notify(note)
        self.reload()

    def action_next_stage(self) -> None:
        from bo_console.hr import recruiting

        candidate = self._candidate()
        if candidate is None:
            return
        stage = str(candidate["stage"])
        if stage == "offer":
            self.notify("the candidate has an offer: h hires them", severity="warning")
            return
        if stage not in recruiting.ACTIVE_STAGES:
            self.notify(f"the candidate is {stage}; their process is over", severity="warning")
            return
        following = recruiting.ACTIVE_STAGES[recruiting.ACTIVE_STAGES.index(stage) + 1]
        app = self.bo_app
        moved = _write(
            self,
            lambda s: recruiting.move_candidate(s, app.actor, int(candidate["id"]), following),
        )
        if moved is not None:
            self._done(f"{candidate['name']} moved to {following}")

    def action_reject(self) -> None:
        from bo_console.hr import recruiting

        candidate = self._candidate()
        if candidate is None:
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> bool:
            with app.store.write() as session:
                recruiting.move_candidate(
                    session, app.actor, int(candidate["id"]), "rejected", note=values["note"]
                )
            return True

        form = FormScreen(
            f"Reject {candidate['name']}? Their application ends here.",
            [FormField("note", "Reason", placeholder="kept in their history")],
            submit,
            save_label="Reject",
        )
        app.push_screen(form, lambda done: self._done("candidate rejected") if done else None)

    def action_note(self) -> None:
        from bo_console.hr import recruiting

        candidate = self._candidate()
        if candidate is None:
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> bool:
            with app.store.write() as session:
                recruiting.add_note(session, app.actor, int(candidate["id"]), values["note"])
            return True

        form = FormScreen(
            f"Note on {candidate['name']}",
            [FormField("note", "Note", required=True)],
            submit,
        )
        app.push_screen(form, lambda done: self._done("note added") if done else None)

    def action_new_opening(self) -> None:
        from bo_console.hr import people, recruiting

        app = self.bo_app
        with app.store.read() as session:
            units = [u["code"] for u in people.list_org_units(session, app.actor)]
            positions = [p["code"] for p in people.list_positions(session, app.actor)]

        def submit(values: dict[str, str]) -> int:
            with app.store.write() as session:
                opening = recruiting.add_opening(
                    session,
                    app.actor,
                    title=values["title"],
                    position=values["position"],
                    org_unit=values["org_unit"],
                    headcount=int(values["headcount"]),
                    opened_on=parse_date(values["opened_on"]),
                )
                return opening.id or 0

        form = FormScreen(
            "New job opening",
            [
                FormField(
                    "position",
                    "Position",
                    required=True,
                    suggestions=positions,
                    check=lambda t: one_of(positions, "position")(t.strip().upper()),
                ),
                FormField(
                    "org_unit",
                    "Org unit",
                    required=True,
                    suggestions=units,
                    check=lambda t: one_of(units, "org unit")(t.strip().upper()),
                ),
                FormField("title", "Title", help="Blank: the position's title."),
                FormField(
                    "headcount",
                    "Head count",
                    value="1",
                    required=True,
                    check=_whole_number("head count", low=1, high=1000),
                ),
                FormField("opened_on", "Opened on", value="t", required=True, check=date_check),
            ],
            submit,
            save_label="Open",
        )
        app.push_screen(form, lambda oid: self._done(f"opening {oid} added") if oid else None)

    def action_new_candidate(self) -> None:
        from bo_console.hr import recruiting

        opening = self._opening_id()
        if opening is None:
            self.notify("add an opening first (w)", severity="warning")
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> int:
            with app.store.write() as session:
                candidate = recruiting.add_candidate(
                    session,
                    app.actor,
                    opening_id=opening,
                    name=values["name"],
                    name_ar=values["name_ar"],
                    email=values["email"],
                    phone=values["phone"],
                    applied_on=parse_date(values["applied_on"]),
                    note=values["note"],
                )
                return candidate.id or 0

        form = FormScreen(
            f"New candidate for opening {opening}",
            [
                FormField("name", "Name", required=True),
                FormField("name_ar", "Arabic name"),
                FormField("email", "E-mail"),
                FormField("phone", "Phone"),
                FormField("applied_on", "Applied on", value="t", required=True, check=date_check),
                FormField("note", "Note"),
            ],
            submit,
            save_label="Add candidate",
        )
        app.push_screen(form, lambda cid: self._done(f"candidate {cid} added") if cid else None)

    def action_hire(self) -> None:
        from bo_console.hr import people, recruiting
        from bo_console.hr.common import currency_of

        candidate = self._candidate()
        if candidate is None:
            return
        if candidate["stage"] != "offer":
            self.notify(
                f"{candidate['name']} is at {candidate['stage']}; only a candidate with an offer "
                "can be hired",
                severity="warning",
            )
            return
        app = self.bo_app
        opening = self.openings.get(str(candidate["opening"]), {})
        with app.store.read() as session:
            _, exponent = currency_of(session)
        confidential = app.actor.can("hr.confidential")

        def check(name: str) -> Callable[[str], str | None]:
            return lambda text: people.check_field(name, text, exponent)

        fields = [
            FormField("hire_date", "Starts on", value="t", required=True, check=date_check),
            FormField("manager", "Manager", check=check("manager"), help="Employee number."),
        ]
        if confidential:
            fields += [
                FormField("base_salary", "Base salary", check=check("base_salary")),
                FormField("allowances", "Allowances", check=check("allowances")),
                FormField("iban", "IBAN", check=check("iban"), help="Needed before payroll."),
            ]

        def submit(values: dict[str, str]) -> Any:
            raw = {k: v for k, v in values.items() if v}
            values_typed, errors = people.parse_fields(raw, exponent)
            if errors:
                raise ValidationFailed(f"{errors[0].field}: {errors[0].message}", errors)
            return values_typed

        def chosen(terms: dict[str, Any] | None) -> None:
            if terms is None:
                return
            start = terms.pop("hire_date")

            def run() -> None:
                data = people.EmployeeInput(name="", org_unit="", hire_date=start, **terms)
                employee = _write(
                    self,
                    lambda s: recruiting.hire_candidate(
                        s, app.actor, int(candidate["id"]), hire_date=start, terms=data
                    ),
                )
                if employee is not None:
                    self._done(
                        f"hired {candidate['name']} as {employee.number}; IT has an onboarding "
                        "work item"
                    )

            _confirm(
                self,
                f"Hire {candidate['name']} as {opening.get('title', 'the opening')} in "
                f"{opening.get('org_unit', '')} from {start}? This creates their employee "
                "record and sends IT an onboarding work item (accounts, equipment).",
                "Hire",
                "Hire",
                run,
            )

        app.push_screen(
            FormScreen(f"Hire {candidate['name']}", fields, submit, save_label="Next"), chosen
        )


# -- training ---------------------------------------------------------------------------------

TRAINING_VIEWS = {"sessions": "Sessions", "courses": "Courses", "expiring": "Expiring"}


class EnrollmentsScreen(ModalScreen[None]):
    """Who is enrolled in a session; completion and no-shows are recorded here."""

    DEFAULT_CSS = """
    EnrollmentsScreen { align: center middle; }
    EnrollmentsScreen > Vertical {
        width: 78; max-width: 100%; height: 20; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    EnrollmentsScreen .title { text-style: bold; height: 1; }
    EnrollmentsScreen .keys { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding("a", "enroll", "Enroll", id="hr.enrollment.add"),
        Binding("c", "complete('completed')", "Completed", id="hr.enrollment.complete"),
        Binding("s", "complete('no_show')", "No-show", id="hr.enrollment.no-show"),
        Binding("escape,q", "close", "Close", id="hr.enrollment.close"),
    ]

    def __init__(self, session_row: dict[str, Any]) -> None:
        super().__init__()
        self.session_row = session_row
        self.session_id = int(session_row["id"])

    def compose(self) -> ComposeResult:
        s = self.session_row
        with Vertical():
            yield Static(
                Text(f"Session {s['id']}: {s['course']} {s['title']}, {s['starts_on']}"),
                classes="title",
            )
            yield Static("", id="enrollment-status", classes="keys")
            yield _new_table("enrollments")
            keys = "a enroll · c completed · s no-show · esc close"
            yield Static(keys if self._writes() else "esc close", classes="keys")

    def _writes(self) -> bool:
        return bo_app(self).actor.can("hr.write")

    def on_mount(self) -> None:
        self.query_one("#enrollments", DataTable).add_columns(
            "Employee", "Name", "Status", "Completed"
        )
        self.reload()
        self.query_one("#enrollments", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("enroll", "complete"):
            return self._writes()
        return True

    def reload(self) -> None:
        from bo_console.hr import training

        app = bo_app(self)
        table = self.query_one("#enrollments", DataTable)
        with app.store.read() as session:
            rows = training.session_enrollments(session, app.actor, self.session_id)
        _fill(table, rows, "employee", ["employee", "name", "status", "completed_on"])
        taken = sum(1 for r in rows if r["status"] != "cancelled")
        self.query_one("#enrollment-status", Static).update(
            f"{taken} of {self.session_row['capacity']} places taken"
        )

    def action_enroll(self) -> None:
        from bo_console.hr import training

        app = bo_app(self)

        def submit(values: dict[str, str]) -> str:
            with app.store.write() as session:
                training.enroll(session, app.actor, self.session_id, values["employee"])
            return values["employee"].upper()

        form = FormScreen(
            f"Enroll in session {self.session_id}",
            [FormField("employee", "Employee", required=True, help="Employee number.")],
            submit,
            save_label="Enroll",
        )

        def done(number: str | None) -> None:
            if number:
                self.notify(f"enrolled {number}")
                self.reload()

        app.push_screen(form, done)

    def action_complete(self, outcome: str) -> None:
        from bo_console.hr import training

        app = bo_app(self)
        number = _selected_key(self.query_one("#enrollments", DataTable))
        if number is None:
            return

        def submit(values: dict[str, str]) -> str:
            with app.store.write() as session:
                cert = training.complete(
                    session,
                    app.actor,
                    self.session_id,
                    number,
                    on=parse_date(values["on"]),
                    outcome=outcome,
                )
            if cert is not None:
                return f"{number} completed; certified until {cert.expires_on}"
            return f"{number}: {outcome.replace('_', '-')}"

        what = "completed the session" if outcome == "completed" else "did not come"
        form = FormScreen(
            f"{number} {what}",
            [FormField("on", "On", value="t", required=True, check=date_check)],
            submit,
            save_label="Record",
        )

        def done(note: str | None) -> None:
            if note:
                self.notify(note)
                self.reload()

        app.push_screen(form, done)

    def action_close(self) -> None:
        self.dismiss(None)


class TrainingPane(Pane):
    """Sessions (with their enrollments), courses, and certifications expiring soon."""

    DEFAULT_CSS = """
    TrainingPane ContentSwitcher { height: 1fr; }
    """

    BINDINGS = [
        Binding(
            "v", "next_view", "View", id="hr.training.view", tooltip="Sessions, courses, expiring"
        ),
        Binding("n", "new", "New", id="hr.training.new", tooltip="New session (or course)"),
        Binding(
            "w",
            "window",
            "Window",
            id="hr.training.window",
            tooltip="How many days ahead expiring certifications are listed",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="training-pane")
        self.view = "sessions"
        self.window = 30
        self.sessions: dict[str, dict[str, Any]] = {}

    def build(self) -> ComposeResult:
        yield Static("Training", classes="status-line", id="training-title")
        with ContentSwitcher(initial="sessions"):
            yield _new_table("sessions")
            yield _new_table("courses")
            yield _new_table("expiring")

    def setup(self) -> None:
        self.query_one("#sessions", DataTable).add_columns(
            "ID", "Course", "Title", "Starts", "Ends", "Trainer", "Places", "Status"
        )
        self.query_one("#courses", DataTable).add_columns(
            "Code", "Title", "العنوان", "Hours", "Certifies (months)"
        )
        self.query_one("#expiring", DataTable).add_columns(
            "Employee", "Name", "Certification", "Expires", "Days left"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return self.view != "expiring" and self.may("hr.write")
        if action == "window":
            return self.view == "expiring"
        return True

    def action_next_view(self) -> None:
        views = list(TRAINING_VIEWS)
        self.view = views[(views.index(self.view) + 1) % len(views)]
        self.query_one(ContentSwitcher).current = self.view
        self.query_one(f"#{self.view}", DataTable).focus()
        self.reload()
        self.screen.refresh_bindings()

    def reload(self) -> None:
        from bo_console.hr import training

        app = self.bo_app
        title = self.query_one("#training-title", Static)
        views = " · ".join(
            f"[{name}]" if key == self.view else name for key, name in TRAINING_VIEWS.items()
        )
        table = self.query_one(f"#{self.view}", DataTable)
        try:
            with app.store.read() as session:
                if self.view == "sessions":
                    rows = training.list_sessions(session, app.actor)
                    for r in rows:
                        r["places"] = f"{r['enrolled']}/{r['capacity']}"
                    self.sessions = {str(r["id"]): r for r in rows}
                    _fill(
                        table,
                        rows,
                        "id",
                        [
                            "id",
                            "course",
                            "title",
                            "starts_on",
                            "ends_on",
                            "trainer",
                            ">places",
                            "status",
                        ],
                    )
                    extra = f"{len(rows)} sessions · enter enrollments"
                elif self.view == "courses":
                    rows = training.list_courses(session, app.actor)
                    _fill(
                        table, rows, "code", ["code", "title", "title_ar", ">hours", ">cert_months"]
                    )
                    extra = f"{len(rows)} courses"
                else:
                    rows = training.expiring(
                        session, app.actor, today=console_today(), within_days=self.window
                    )
                    _fill(
                        table,
                        rows,
                        "id",
                        ["employee", "name", "certification", "expires_on", ">days_left"],
                    )
                    extra = f"{len(rows)} expiring within {self.window} days or expired"
        except BoError as exc:
            title.update(exc.message)
            return
        title.update(Text(f"{views} (v) · {extra}"))

    @on(DataTable.RowSelected, "#sessions")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        row = self.sessions.get(str(key))
        if row is not None:
            self.app.push_screen(EnrollmentsScreen(row), lambda _: self.reload())

    def action_window(self) -> None:
        def submit(values: dict[str, str]) -> int:
            return int(values["days"])

        def chosen(days: int | None) -> None:
            if days is not None:
                self.window = days
                self.reload()

        form = FormScreen(
            "Certifications expiring within",
            [
                FormField(
                    "days",
                    "Days",
                    value=str(self.window),
                    required=True,
                    check=_whole_number("days", high=3650),
                )
            ],
            submit,
            save_label="Show",
        )
        self.app.push_screen(form, chosen)

    def action_new(self) -> None:
        if self.view == "courses":
            self._new_course()
        else:
            self._new_session()

    def _new_course(self) -> None:
        from bo_console.hr import training

        app = self.bo_app

        def submit(values: dict[str, str]) -> str:
            with app.store.write() as session:
                course = training.add_course(
                    session,
                    app.actor,
                    code=values["code"],
                    title=values["title"],
                    title_ar=values["title_ar"],
                    hours=int(values["hours"] or 0),
                    cert_months=int(values["cert_months"]) if values["cert_months"] else None,
                )
                return course.code

        form = FormScreen(
            "New course",
            [
                FormField("code", "Code", required=True, placeholder="e.g. FIRSTAID"),
                FormField("title", "Title", required=True),
                FormField("title_ar", "Arabic title"),
                FormField("hours", "Hours", value="0", check=_whole_number("hours", high=1000)),
                FormField(
                    "cert_months",
                    "Certifies for",
                    check=_whole_number("months", low=1, high=240),
                    help="Months a completion stays valid; blank: no certification.",
                ),
            ],
            submit,
            save_label="Add course",
        )
        app.push_screen(form, lambda code: self._added(f"course {code} added", code))

    def _added(self, note: str, result: object) -> None:
        if result:
            self.notify(note)
            self.reload()

    def _new_session(self) -> None:
        from bo_console.hr import training

        app = self.bo_app
        with app.store.read() as session:
            courses = [c["code"] for c in training.list_courses(session, app.actor)]
        if not courses:
            self.notify("add a course first (v shows courses)", severity="warning")
            return

        def submit(values: dict[str, str]) -> int:
            with app.store.write() as session:
                row = training.add_session(
                    session,
                    app.actor,
                    course=values["course"],
                    starts_on=parse_date(values["starts_on"]),
                    ends_on=parse_date(values["ends_on"]) if values["ends_on"] else None,
                    trainer=values["trainer"],
                    location=values["location"],
                    capacity=int(values["capacity"]),
                )
                return row.id or 0

        form = FormScreen(
            "New training session",
            [
                FormField(
                    "course",
                    "Course",
                    required=True,
                    suggestions=courses,
                    check=lambda t: one_of(courses, "course")(t.strip().upper()),
                ),
                FormField("starts_on", "Starts on", required=True, check=date_check),
                FormField("ends_on", "Ends on", check=date_check, help="Blank: the same day."),
                FormField("trainer", "Trainer"),
                FormField("location", "Location"),
                FormField(
                    "capacity",
                    "Places",
                    value="10",
                    required=True,
                    check=_whole_number("places", low=1, high=1000),
                ),
            ],
            submit,
            save_label="Schedule",
        )
        app.push_screen(form, lambda sid: self._added(f"session {sid} scheduled", sid))


# -- leave ------------------------------------------------------------------------------------

LEAVE_VIEWS = {"requests": "Requests", "balances": "Balances"}
PAGE = 500
"""Rows a leave list shows at most (filter by employee to find others)."""


class LeavePane(Pane):
    """Leave requests (approve or reject: the employee's manager or HR) and balances."""

    DEFAULT_CSS = """
    LeavePane ContentSwitcher { height: 1fr; }
    """

    BINDINGS = [
        Binding("v", "next_view", "View", id="hr.leave.view", tooltip="Requests or balances"),
        Binding("n", "new_request", "New request", id="hr.leave.new"),
        Binding("a", "approve", "Approve", id="hr.leave.approve"),
        Binding("d", "reject", "Reject", id="hr.leave.reject"),
        Binding(
            "f",
            "toggle_pending",
            "Pending/all",
            id="hr.leave.pending",
            tooltip="Show pending requests only, or every request",
        ),
        Binding("slash", "employee_filter", "Employee", id="hr.leave.employee", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="leave-pane")
        self.view = "requests"
        self.pending_only = True
        self.employee: str | None = None
        self.decider = False
        self.requests: dict[str, dict[str, Any]] = {}

    def build(self) -> ComposeResult:
        yield Static("Leave", classes="status-line", id="leave-title")
        with ContentSwitcher(initial="requests"):
            yield _new_table("requests")
            yield _new_table("balances")

    def setup(self) -> None:
        self.query_one("#requests", DataTable).add_columns(
            "ID", "Employee", "Name", "Type", "From", "To", "Days", "Status", "By"
        )
        self.query_one("#balances", DataTable).add_columns(
            "Employee", "Name", "Type", "Accrued", "Taken", "Adjusted", "Pending", "Balance"
        )

    async def shown(self) -> None:
        if not self.loaded:
            from bo_console.hr import leave

            app = self.bo_app
            with app.store.read() as session:
                self.decider = leave.may_decide(session, app.actor)
        await super().shown()
        self.screen.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        requests = self.view == "requests"
        if action == "new_request":
            return requests and self.may("hr.write")
        if action in ("approve", "reject"):
            return requests and self.decider
        if action == "toggle_pending":
            return requests
        return True

    def action_next_view(self) -> None:
        self.view = "balances" if self.view == "requests" else "requests"
        self.query_one(ContentSwitcher).current = self.view
        self.query_one(f"#{self.view}", DataTable).focus()
        self.reload()
        self.screen.refresh_bindings()

    def action_toggle_pending(self) -> None:
        self.pending_only = not self.pending_only
        self.reload()

    def action_employee_filter(self) -> None:
        from bo_console.ui.widgets.filter import FilterPrompt

        def apply(text: str | None) -> None:
            if text is not None:
                self.employee = text.upper() or None
                self.reload()

        self.app.push_screen(FilterPrompt(self.employee or "", "employee number"), apply)

    def reload(self) -> None:
        from bo_console.hr import leave

        app = self.bo_app
        title = self.query_one("#leave-title", Static)
        table = self.query_one(f"#{self.view}", DataTable)
        try:
            with app.store.read() as session:
                if self.view == "requests":
                    rows = leave.list_requests(
                        session,
                        app.actor,
                        status="pending" if self.pending_only else None,
                        employee=self.employee,
                        limit=PAGE,
                    )
                    self.requests = {str(r["id"]): r for r in rows}
                    _fill(
                        table,
                        rows,
                        "id",
                        [
                            "id",
                            "employee",
                            "name",
                            "type",
                            "starts_on",
                            "ends_on",
                            ">days",
                            "status",
                            "requested_by",
                        ],
                    )
                    which = "pending requests" if self.pending_only else "requests"
                else:
                    rows = leave.balances(session, app.actor, employee=self.employee, limit=PAGE)
                    for r in rows:
                        r["key"] = f"{r['employee']}:{r['type']}"
                    _fill(
                        table,
                        rows,
                        "key",
                        [
                            "employee",
                            "name",
                            "type",
                            ">accrued",
                            ">taken",
                            ">adjusted",
                            ">pending",
                            ">balance",
                        ],
                    )
                    which = "balances"
        except BoError as exc:
            title.update(exc.message)
            return
        views = " · ".join(
            f"[{name}]" if key == self.view else name for key, name in LEAVE_VIEWS.items()
        )
        count = f"first {PAGE} {which}" if len(rows) >= PAGE else f"{len(rows)} {which}"
        who = f" of {self.employee}" if self.employee else ""
        title.update(Text(f"{views} (v) · {count}{who} · / employee"))

    def _request(self) -> dict[str, Any] | None:
        key = _selected_key(self.query_one("#requests", DataTable))
        return None if key is None else self.requests.get(key)

    def action_new_request(self) -> None:
        from bo_console.hr import leave

        app = self.bo_app
        with app.store.read() as session:
            types = [t["code"] for t in leave.list_leave_types(session, app.actor)]

        def submit(values: dict[str, str]) -> int:
            start = parse_date(values["starts_on"])
            with app.store.write() as session:
                row = leave.request_leave(
                    session,
                    app.actor,
                    employee=values["employee"],
                    type_code=values["type"],
                    starts_on=start,
                    ends_on=parse_date(values["ends_on"]) if values["ends_on"] else start,
                    reason=values["reason"],
                )
                return row.id or 0

        form = FormScreen(
            "New leave request",
            [
                FormField(
                    "employee",
                    "Employee",
                    value=self.employee or "",
                    required=True,
                    help="Employee number.",
                ),
                FormField(
                    "type",
                    "Leave type",
                    required=True,
                    suggestions=types,
                    check=lambda t: one_of(types, "leave type")(t.strip().upper()),
                ),
                FormField("starts_on", "From", required=True, check=date_check),
                FormField("ends_on", "To", check=date_check, help="Blank: one day."),
                FormField("reason", "Reason"),
            ],
            submit,
            save_label="Request",
        )

        def done(request_id: int | None) -> None:
            if request_id:
                self.notify(f"leave request {request_id} made")
                self.reload()

        app.push_screen(form, done)

    def action_approve(self) -> None:
        from bo_console.hr import leave

        request = self._request()
        if request is None:
            return
        app = self.bo_app
        request_id = int(request["id"])
        if _refused_by_dry_run(self, lambda s: leave.approve(s, app.actor, request_id)):
            return

        def run() -> None:
            if _write(self, lambda s: leave.approve(s, app.actor, request_id)) is not None:
                self.notify(f"leave request {request_id} approved")
                self.reload()

        _confirm(
            self,
            f"Approve {request['days']} {'day' if request['days'] == '1' else 'days'} of "
            f"{request['type']} leave for {request['name']} "
            f"({request['employee']}) from {request['starts_on']} to {request['ends_on']}? "
            "Leave with a balance is charged to it now.",
            f"Approve leave request {request_id}",
            "Approve",
            run,
        )

    def action_reject(self) -> None:
        from bo_console.hr import leave

        request = self._request()
        if request is None:
            return
        app = self.bo_app
        request_id = int(request["id"])
        if _refused_by_dry_run(self, lambda s: leave.reject(s, app.actor, request_id)):
            return

        def submit(values: dict[str, str]) -> bool:
            with app.store.write() as session:
                leave.reject(session, app.actor, request_id, note=values["note"])
            return True

        form = FormScreen(
            f"Reject leave request {request_id} of {request['name']}?",
            [FormField("note", "Reason", placeholder="told to the employee")],
            submit,
            save_label="Reject",
        )

        def done(result: bool | None) -> None:
            if result:
                self.notify(f"leave request {request_id} rejected")
                self.reload()

        self.app.push_screen(form, done)


# -- payroll ----------------------------------------------------------------------------------


class PayrollPane(Pane):
    """Pay runs and the payslips of the opened run; run, approve, post and pay."""

    DEFAULT_CSS = """
    PayrollPane #runs { height: 7; }
    PayrollPane #payroll-progress { height: 1; display: none; }
    PayrollPane #payroll-progress.busy { display: block; }
    PayrollPane #progress-label { width: auto; padding: 0 1; }
    PayrollPane #payslips-holder { height: 1fr; }
    """

    BINDINGS = [
        Binding("n", "run_month", "Run month", id="hr.payroll.run", tooltip="Compute a month"),
        Binding("a", "approve", "Approve", id="hr.payroll.approve"),
        Binding("p", "post", "Post", id="hr.payroll.post", tooltip="Post to the ledger"),
        Binding("y", "pay", "Pay", id="hr.payroll.pay", tooltip="Pay: bank transfer file"),
        Binding("d", "discard", "Discard", id="hr.payroll.discard", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="payroll-pane")
        self.runs: dict[str, dict[str, Any]] = {}
        self.revealed = False
        self.busy = False

    def build(self) -> ComposeResult:
        yield Static("Pay runs", classes="status-line", id="runs-title")
        yield _new_table("runs")
        with Horizontal(id="payroll-progress"):
            yield Static("", id="progress-label")
            yield ProgressBar(id="payroll-bar", show_eta=False)
        yield Vertical(id="payslips-holder")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run_month", "discard"):
            return self.may("payroll.prepare")
        if action in ("approve", "post", "pay"):
            return self.may("payroll.approve")
        return True

    def reload(self) -> None:
        from bo_console.hr import payroll

        app = self.bo_app
        table = self.query_one("#runs", DataTable)
        title = self.query_one("#runs-title", Static)
        try:
            with app.store.read() as session:
                rows, revealed = payroll.runs_overview(session, app.actor)
        except BoError as exc:
            title.update(exc.message)
            return
        self.runs = {str(r["id"]): r for r in rows}
        if revealed != self.revealed or not table.columns:
            # Salary columns only when the service revealed the totals.
            self.revealed = revealed
            table.clear(columns=True)
            table.add_columns(
                "ID",
                "Period",
                "Status",
                "Staff",
                *(["Gross", "Net", "Employer cost"] if revealed else []),
                "Prepared",
                "Approved",
                "Posted",
                "Paid",
            )

        amounts = [">gross", ">net", ">employer_cost"] if self.revealed else []
        spec = ["id", "period", "status", ">employees", *amounts]
        _fill(table, rows, "id", [*spec, "prepared_by", "approved_by", "posted_by", "paid_by"])
        title.update(f"Pay runs: {len(rows)} · enter payslips")

    def _run(self) -> dict[str, Any] | None:
        key = _selected_key(self.query_one("#runs", DataTable))
        return None if key is None else self.runs.get(key)

    # -- payslips ----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#runs")
    async def _open_run(self, event: DataTable.RowSelected) -> None:
        event.stop()
        await self.open_payslips(int(str(event.row_key.value)))

    async def open_payslips(self, run_id: int) -> None:
        """Show a run's payslips below the runs (opening them is an audited view)."""
        from bo_console.hr import payroll

        app = self.bo_app
        try:
            source = payroll.payslips_source(app.store, app.actor, run_id)
        except BoError as exc:
            _say_error(self, exc)
            return
        period = self.runs.get(str(run_id), {}).get("period", "")

        def export(path: Path, fmt: str) -> int:
            with app.store.write() as session:
                return payroll.export_payslips(session, app.actor, run_id, path, fmt)

        holder = self.query_one("#payslips-holder", Vertical)
        await holder.remove_children()
        pane = ListPane(
            source,
            name=f"payslips-{period}",
            title=f"Payslips of run {run_id} ({period})",
            exporter=export,
            filter_hint="employee number or name",
            id="payslips-pane",
        )
        await holder.mount(pane)
        pane.table.focus()

    @on(VirtualTable.RowSelected)
    def _payslip(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        from bo_console.hr.common import format_days

        r = event.row
        table = event.table
        lines = [f"{c.title:<14} {c.text(r.get(c.key)):>14}" for c in table.columns[3:-1]]
        lines.append(f"{'Unpaid days':<14} {format_days(int(r['unpaid_days'])):>14}")
        if r.get("note"):
            lines += ["", str(r["note"])]
        self.app.push_screen(
            TextViewer(f"Payslip of {r['employee']} {r['name']}", "\n".join(lines))
        )

    # -- long work in a thread ---------------------------------------------------------------

    def _start(self, label: str) -> bool:
        if self.busy:
            self.notify("payroll is still working on the last step", severity="warning")
            return False
        self.busy = True
        self.query_one("#progress-label", Static).update(label)
        self.query_one("#payroll-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#payroll-progress").add_class("busy")
        return True

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#payroll-bar", ProgressBar).update(total=total, progress=done)

    def _finished(self, note: str | None, error: BoError | None, select: int | None) -> None:
        self.busy = False
        self.query_one("#payroll-progress").remove_class("busy")
        if error is not None:
            _say_error(self, error)
        elif note:
            self.notify(note, timeout=8)
        self.reload()
        if select is not None and str(select) in self.query_one("#runs", DataTable).rows:
            table = self.query_one("#runs", DataTable)
            table.move_cursor(row=table.get_row_index(str(select)))

    @work(thread=True, exclusive=True, group="payroll", exit_on_error=False)
    def _in_thread(
        self, job: Callable[[Callable[[int, int], None]], tuple[str, int | None]]
    ) -> None:
        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self._progress, done, total)

        try:
            note, select = job(progress)
        except BoError as exc:
            app.call_from_thread(self._finished, None, exc, None)
            return
        except OSError as exc:
            app.call_from_thread(self._finished, None, BoError(str(exc)), None)
            return
        app.call_from_thread(self._finished, note, None, select)

    # -- steps -------------------------------------------------------------------------------

    def action_run_month(self) -> None:
        from bo_console.hr import payroll
        from bo_console.hr.common import parse_period

        app = self.bo_app

        def check(text: str) -> str | None:
            try:
                parse_period(text)
            except BoError as exc:
                return exc.message
            return None

        def submit(values: dict[str, str]) -> str:
            return parse_period(values["period"]).key

        def chosen(period: str | None) -> None:
            if period is None or not self._start(f"Pay run {period}"):
                return

            def job(progress: Callable[[int, int], None]) -> tuple[str, int | None]:
                from bo_console.core.jobs import run_job

                month = parse_period(period)
                with run_job(app.store, app.actor, "hr.payroll.run", key=period, force=True) as j:
                    with app.store.write() as session:
                        result = payroll.run_payroll(session, app.actor, month, progress=progress)
                        run = result.run
                        summary = (
                            f"pay run {run.id}: {run.employees} payslips"
                            if result.created
                            else f"pay run {run.id} ({run.status}) already exists; nothing changed"
                        )
                        j.complete(session, summary)
                if not result.created:
                    return f"{period} already has pay run {run.id} ({run.status})", run.id
                return (
                    f"pay run {run.id} for {period}: {run.employees} payslips, a draft; someone "
                    f"other than {app.actor.login} approves it",
                    run.id,
                )

            self._in_thread(job)

        form = FormScreen(
            "Run payroll for a month",
            [
                FormField(
                    "period",
                    "Month",
                    value=f"{console_today():%Y-%m}",
                    required=True,
                    check=check,
                    help="YYYY-MM. Computes every payslip as a draft run; running it again "
                    "changes nothing.",
                )
            ],
            submit,
            save_label="Run",
        )
        app.push_screen(form, chosen)

    def _step(
        self,
        verb: str,
        call: Callable[[Session], object],
        *,
        question: str,
        label: str,
        job_name: str,
        run_id: int,
    ) -> None:
        """Approve or post: refused at once when the service says no; else ask, then run."""
        from bo_console.core.jobs import run_job

        app = self.bo_app
        if _refused_by_dry_run(self, call):
            return

        def go() -> None:
            if not self._start(f"{label} run {run_id}"):
                return

            def job(progress: Callable[[int, int], None]) -> tuple[str, int | None]:
                with run_job(app.store, app.actor, job_name, key=str(run_id), force=True) as j:
                    with app.store.write() as session:
                        changed = call(session)
                        note = f"pay run {run_id} {verb}" if changed else f"already {verb}"
                        j.complete(session, note)
                return note, run_id

            self._in_thread(job)

        _confirm(self, question, f"{label} pay run {run_id}", label, go)

    def _describe(self, run: dict[str, Any]) -> str:
        net = f", net {_amount(run['net'])}" if self.revealed else ""
        return f"pay run {run['id']} for {run['period']} ({run['employees']} payslips{net})"

    def action_approve(self) -> None:
        from bo_console.hr import payroll

        run = self._run()
        if run is None:
            return
        app = self.bo_app
        run_id = int(run["id"])
        self._step(
            "approved",
            lambda s: payroll.approve_run(s, app.actor, run_id),
            question=f"Approve {self._describe(run)}? It can then be posted to the ledger and "
            "paid; it can no longer be discarded.",
            label="Approve",
            job_name="hr.payroll.approve",
            run_id=run_id,
        )

    def action_post(self) -> None:
        from bo_console.hr import payroll

        run = self._run()
        if run is None:
            return
        app = self.bo_app
        run_id = int(run["id"])
        self._step(
            "posted",
            lambda s: payroll.post_run(s, app.actor, run_id),
            question=f"Post {self._describe(run)} to the ledger? One journal entry dated the "
            "month's last day: salary expense by department, employer contributions, the "
            "liabilities and net pay payable. A posted entry is never changed, only reversed.",
            label="Post",
            job_name="hr.payroll.post",
            run_id=run_id,
        )

    def action_pay(self) -> None:
        from bo_console.core import io
        from bo_console.hr import payroll

        run = self._run()
        if run is None:
            return
        app = self.bo_app
        run_id = int(run["id"])
        today = console_today()
        if _refused_by_dry_run(
            self, lambda s: payroll.pay_run(s, app.actor, run_id, paid_on=today)
        ):
            return
        default = Path.home() / f"bo-transfers-{run['period']}-run{run_id}.csv"

        def check_path(text: str) -> str | None:
            path = Path(text).expanduser()
            if path.suffix.lower() != ".csv":
                return "the bank transfer file is a .csv file"
            try:
                io.check_output_path(path)
            except BoError as exc:
                return exc.message
            return None

        def submit(values: dict[str, str]) -> tuple[Path, date]:
            return Path(values["path"]).expanduser(), parse_date(values["paid_on"])

        def chosen(answer: tuple[Path, date] | None) -> None:
            if answer is None:
                return
            path, paid_on = answer

            def go() -> None:
                if not self._start(f"Paying run {run_id}"):
                    return

                def job(progress: Callable[[int, int], None]) -> tuple[str, int | None]:
                    from bo_console.core.jobs import run_job

                    with run_job(
                        app.store, app.actor, "hr.payroll.pay", key=str(run_id), force=True
                    ) as j:
                        written = False
                        try:
                            with app.store.write() as session:
                                changed, rows = payroll.pay_run(
                                    session, app.actor, run_id, paid_on=paid_on
                                )
                                if changed:
                                    # Written before the commit; removed if the commit fails.
                                    io.write_file(rows, payroll.TRANSFER_COLUMNS, path, "csv")
                                    written = True
                                note = (
                                    f"pay run {run_id} paid: {len(rows)} transfers in {path}"
                                    if changed
                                    else f"pay run {run_id} was already paid"
                                )
                                j.complete(session, note)
                        except BaseException:
                            if written:
                                path.unlink(missing_ok=True)
                            raise
                    return note, run_id

                self._in_thread(job)

            _confirm(
                self,
                f"Pay {self._describe(run)}? The bank transfer file {path} gets one line per "
                f"payslip (IBAN and net pay), and the payment is posted on {paid_on}: salaries "
                "payable against the bank. This is done once.",
                f"Pay pay run {run_id}",
                "Pay",
                go,
            )

        form = FormScreen(
            f"Pay run {run_id} ({run['period']})",
            [
                FormField(
                    "path",
                    "Transfer file",
                    value=str(default),
                    required=True,
                    check=check_path,
                    help="The bank transfer CSV to write (IBAN and amount per employee).",
                ),
                FormField("paid_on", "Paid on", value="t", required=True, check=date_check),
            ],
            submit,
            save_label="Next",
        )
        app.push_screen(form, chosen)

    def action_discard(self) -> None:
        from bo_console.hr import payroll

        run = self._run()
        if run is None:
            return
        app = self.bo_app
        run_id = int(run["id"])
        if _refused_by_dry_run(self, lambda s: payroll.discard_run(s, app.actor, run_id)):
            return

        def go() -> None:
            if _write(self, lambda s: payroll.discard_run(s, app.actor, run_id)) is not None:
                self.query_one("#payslips-holder", Vertical).remove_children()
                self.notify(f"pay run {run_id} discarded; the month can be run again")
                self.reload()

        _confirm(
            self,
            f"Discard {self._describe(run)}? Its payslips are deleted so the month can be run "
            "again after fixing its inputs.",
            f"Discard pay run {run_id}",
            "Discard",
            go,
        )


# -- the screen -------------------------------------------------------------------------------


class HRScreen(DepartmentScreen):
    """HR: employees, recruiting, training, leave, payroll and the HR inbox."""

    DEPARTMENT = "hr"
    SCREEN_TITLE = "HR and payroll"
    HELP = (
        "Employees: / finds a name in Arabic or Latin script (any alef form, ta marbuta or "
        "case), a number, e-mail or phone; o changes the order; enter opens the card (salary, "
        "IBAN, national ID and date of birth only for hr.confidential, and each view is "
        "recorded in the audit trail); n adds, e edits; s shows salary columns (audited); x "
        "exports what is shown. Recruiting: openings above, their candidates below (tab "
        "moves between them); m moves a candidate to the next stage, d rejects, h hires (the "
        "employee is created and IT gets an onboarding item), w adds an opening, t a note. "
        "Training: v switches sessions, courses and expiring certifications; enter on a session "
        "lists its enrollments. Leave: v switches requests and balances; a approves and d "
        "rejects (the employee's manager or HR, never the requester); / picks an employee. "
        "Payroll: n runs a month (in the background), a approves (not the preparer), p posts "
        "to the ledger, y pays and writes the bank transfer file; enter shows the payslips."
    )

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        yield Tab("employees", "Employees", lambda: EmployeesPane(app))
        yield Tab("recruiting", "Recruiting", RecruitingPane)
        yield Tab("training", "Training", TrainingPane)
        yield Tab("leave", "Leave", LeavePane)
        yield Tab("payroll", "Payroll", PayrollPane)

    @on(TabbedContent.TabActivated)
    async def _load_tab(self, event: TabbedContent.TabActivated) -> None:
        for pane in event.pane.query(Pane):
            await pane.shown()
