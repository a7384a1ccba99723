"""The Payroll tab: pay runs and their payslips; run, approve, post, pay, discard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.hr.screen.common import Pane, amount_text, fill
from bo_console.ui.base import console_today
from bo_console.ui.kit.actions import ServiceAction, Work, dry_run, run_action, write
from bo_console.ui.kit.form import FormField, FormScreen, date_check
from bo_console.ui.kit.jobs import JobStrip, Progress
from bo_console.ui.kit.list_pane import ListPane
from bo_console.ui.kit.notify import show_error
from bo_console.ui.kit.short_list import new_table, selected_key
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.text_viewer import TextViewer
from bo_console.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.security import Actor
    from bo_console.hr.service import payroll
    from bo_console.hr.service.lists import RunRow


class PayrollPane(Pane):
    """Pay runs and the payslips of the opened run; run, approve, post and pay."""

    DEFAULT_CSS = """
    PayrollPane #runs { height: 7; }
    PayrollPane #payslips-holder { height: 1fr; }
    """

    BINDINGS = [
        Binding("n", "run_month", "Run month", id="hr.payroll.run", tooltip="Compute a month"),
        Binding("a", "approve", "Approve", id="hr.payroll.approve"),
        Binding("p", "post", "Post", id="hr.payroll.post", tooltip="Post to the ledger"),
        Binding("y", "pay", "Pay", id="hr.payroll.pay", tooltip="Pay: bank transfer file"),
        Binding("d", "discard", "Discard", id="hr.payroll.discard", show=False),
        Binding(
            "s",
            "print_payslips",
            "Payslips",
            id="hr.payroll.payslips",
            tooltip="Payslip PDFs of the run",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="payroll-pane")
        self.runs: dict[str, RunRow] = {}
        self.revealed = False

    def build(self) -> ComposeResult:
        yield Static("Pay runs", classes="status-line", id="runs-title")
        yield new_table("runs")
        yield JobStrip(
            id="payroll-progress", busy_message="payroll is still working on the last step"
        )
        yield Vertical(id="payslips-holder")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run_month", "discard"):
            return self.may("payroll.prepare")
        if action in ("approve", "post", "pay"):
            return self.may("payroll.approve")
        if action == "print_payslips":
            return self.may("hr.confidential")
        return True

    def reload(self) -> None:
        from bo_console.hr.service import payroll

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
        fill(table, rows, "id", [*spec, "prepared_by", "approved_by", "posted_by", "paid_by"])
        title.update(f"Pay runs: {len(rows)} · enter payslips")

    def _run(self) -> RunRow | None:
        key = selected_key(self.query_one("#runs", DataTable))
        return None if key is None else self.runs.get(key)

    # -- payslips ----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#runs")
    async def _open_run(self, event: DataTable.RowSelected) -> None:
        event.stop()
        await self.open_payslips(int(str(event.row_key.value)))

    async def open_payslips(self, run_id: int) -> None:
        """Show a run's payslips below the runs (opening them is an audited view)."""
        from bo_console.hr.service import payroll

        app = self.bo_app
        try:
            source = payroll.payslips_source(app.store, app.actor, run_id)
        except BoError as exc:
            show_error(self, exc)
            return
        shown = self.runs.get(str(run_id))
        period = shown.period if shown is not None else ""

        def export(path: Path, fmt: str) -> int:
            return write(
                self,
                lambda session, actor: payroll.export_payslips(session, actor, run_id, path, fmt),
            )

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
        from bo_console.hr.service.common import format_days

        r = event.row
        table = event.table
        lines = [f"{c.title:<14} {c.text(r.get(c.key)):>14}" for c in table.columns[3:-1]]
        lines.append(f"{'Unpaid days':<14} {format_days(int(r['unpaid_days'])):>14}")
        if r.get("note"):
            lines += ["", str(r["note"])]
        self.app.push_screen(
            TextViewer(f"Payslip of {r['employee']} {r['name']}", "\n".join(lines))
        )

    # -- long work in a thread (the kit's JobStrip) ------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a payroll step is running in the background."""
        strips = self.query(JobStrip)
        return bool(strips) and strips.first().busy

    def _start(self, label: str) -> bool:
        return self.query_one(JobStrip).start(label)

    def _progress(self, done: int, total: int) -> None:
        """A step's progress, on the screen's thread."""
        self.query_one(JobStrip).progress(done, total)

    def _in_thread(self, job: Callable[[Progress], tuple[str, int | None]]) -> None:
        app = self.app

        def reported(_: Progress) -> tuple[str, int | None]:
            return job(lambda done, total: app.call_from_thread(self._progress, done, total))

        self.query_one(JobStrip).run(reported, self._finished, failed=self._failed)

    def _finished(self, result: tuple[str, int | None]) -> None:
        note, select = result
        self.notify(note, timeout=8)
        self.reload()
        table = self.query_one("#runs", DataTable)
        if select is not None and str(select) in table.rows:
            table.move_cursor(row=table.get_row_index(str(select)))

    def _failed(self, error: BoError | OSError) -> None:
        show_error(self, error)
        self.reload()

    def _refused(self, work: Work[object]) -> bool:
        """Try ``work`` in a transaction that is rolled back: a refusal shows at once, before
        any dialog asks. True when the service refused."""
        try:
            dry_run(self, work)
        except BoError as exc:
            show_error(self, exc)
            return True
        return False

    def _ask(self, message: str, title: str, label: str, then: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(message, title=title, confirm_label=label), answered)

    # -- steps -------------------------------------------------------------------------------

    def action_run_month(self) -> None:
        from bo_console.hr.service import payroll
        from bo_console.hr.service.common import parse_period

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
                done = payroll.run_month(
                    app.store, app.actor, parse_period(period), progress=progress
                )
                if not done.created:
                    return (
                        f"{period} already has pay run {done.run_id} ({done.status})",
                        done.run_id,
                    )
                return (
                    f"pay run {done.run_id} for {period}: {done.employees} payslips, a draft; "
                    f"someone other than {app.actor.login} approves it",
                    done.run_id,
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
        check: Work[object],
        step: Callable[[Store, Actor, int], payroll.StepOutcome],
        *,
        question: str,
        label: str,
        run_id: int,
    ) -> None:
        """Approve or post: refused at once when the service says no; else ask, then run."""
        app = self.bo_app
        if self._refused(check):
            return

        def go() -> None:
            if not self._start(f"{label} run {run_id}"):
                return

            def job(progress: Callable[[int, int], None]) -> tuple[str, int | None]:
                done = step(app.store, app.actor, run_id)
                return (f"pay run {run_id} {verb}" if done.changed else f"already {verb}"), run_id

            self._in_thread(job)

        self._ask(question, f"{label} pay run {run_id}", label, go)

    def _describe(self, run: RunRow) -> str:
        net = f", net {amount_text(run['net'])}" if self.revealed else ""
        return f"pay run {run['id']} for {run['period']} ({run['employees']} payslips{net})"

    def action_approve(self) -> None:
        from bo_console.hr.service import payroll

        run = self._run()
        if run is None:
            return
        run_id = int(run["id"])
        self._step(
            "approved",
            lambda s, a: payroll.approve_run(s, a, run_id),
            payroll.approve,
            question=f"Approve {self._describe(run)}? It can then be posted to the ledger and "
            "paid; it can no longer be discarded.",
            label="Approve",
            run_id=run_id,
        )

    def action_post(self) -> None:
        from bo_console.hr.service import payroll

        run = self._run()
        if run is None:
            return
        run_id = int(run["id"])
        self._step(
            "posted",
            lambda s, a: payroll.post_run(s, a, run_id),
            payroll.post,
            question=f"Post {self._describe(run)} to the ledger? One journal entry dated the "
            "month's last day: salary expense by department, employer contributions, the "
            "liabilities and net pay payable. A posted entry is never changed, only reversed.",
            label="Post",
            run_id=run_id,
        )

    def action_pay(self) -> None:
        from bo_console.core import io
        from bo_console.hr.service import payroll

        run = self._run()
        if run is None:
            return
        app = self.bo_app
        run_id = int(run["id"])
        today = console_today()
        if self._refused(lambda s, a: payroll.pay_run(s, a, run_id, paid_on=today)):
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
                    done = payroll.pay_to_file(app.store, app.actor, run_id, path, paid_on=paid_on)
                    if done.changed:
                        return (
                            f"pay run {run_id} paid: {done.transfers} transfers in {path}",
                            run_id,
                        )
                    return f"pay run {run_id} was already paid", run_id

                self._in_thread(job)

            self._ask(
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

    def action_print_payslips(self) -> None:
        """Write the selected run's payslips as PDFs: a directory (a file each) or one
        ``.pdf`` file, optionally one employee's."""
        from bo_console.hr.service import payroll

        run = self._run()
        if run is None:
            return
        app = self.bo_app
        run_id = int(run["id"])
        default = Path.home() / f"bo-payslips-{run['period']}-run{run_id}"

        def submit(values: dict[str, str]) -> tuple[Path, str]:
            return Path(values["path"]).expanduser(), values["employee"].strip()

        def chosen(answer: tuple[Path, str] | None) -> None:
            if answer is None or not self._start(f"Payslips of run {run_id}"):
                return
            path, employee = answer

            def job(progress: Callable[[int, int], None]) -> tuple[str, int | None]:
                files = payroll.write_payslips(
                    app.store, app.actor, run_id, path, employee=employee or None,
                    progress=progress,
                )  # fmt: skip
                where = str(files[0]) if len(files) == 1 else f"{len(files)} files in {path}"
                return f"payslips of run {run_id}: {where}", run_id

            self._in_thread(job)

        form = FormScreen(
            f"Payslips of run {run_id} ({run['period']})",
            [
                FormField(
                    "path",
                    "Write to",
                    value=str(default),
                    required=True,
                    help="A directory (a PDF per employee) or a .pdf file (every payslip, a "
                    "page each). Readable by you only.",
                ),
                FormField("employee", "Employee", help="Only this employee (number); empty: all."),
            ],
            submit,
            save_label="Print",
        )
        app.push_screen(form, chosen)

    def action_discard(self) -> None:
        from bo_console.hr.service import payroll

        run = self._run()
        if run is None:
            return
        run_id = run.id

        def discarded(_: object) -> None:
            self.query_one("#payslips-holder", Vertical).remove_children()
            self.notify(f"pay run {run_id} discarded; the month can be run again")
            self.reload()

        run_action(
            self,
            ServiceAction(
                f"Discard pay run {run_id}",
                "Discard",
                lambda session, actor: payroll.discard_run(session, actor, run_id),
                f"Discard {self._describe(run)}? Its payslips are deleted so the month can be "
                "run again after fixing its inputs.",
                discarded,
            ),
        )
