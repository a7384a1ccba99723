"""The Recruiting tab: openings above, their candidates below."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.hr.screen.common import Pane, fill
from bo_console.ui.kit.actions import ServiceAction, run_action, try_write, write
from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of, whole_number
from bo_console.ui.kit.short_list import new_table, selected_key
from bo_console.ui.widgets.text_viewer import TextViewer

if TYPE_CHECKING:
    from bo_console.hr.models.views import CandidateView, OpeningView
    from bo_console.hr.service.people import HireTerms

    pass


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
        self.candidates: dict[str, CandidateView] = {}
        self.openings: dict[str, OpeningView] = {}

    def build(self) -> ComposeResult:
        yield Static("Openings", classes="status-line", id="openings-title")
        yield new_table("openings")
        yield Static("Candidates", classes="status-line", id="candidates-title")
        yield new_table("candidates")

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
        from bo_console.hr.service import recruiting

        app = self.bo_app
        table = self.query_one("#openings", DataTable)
        try:
            with app.store.read() as session:
                rows = recruiting.list_openings(session, app.actor)
        except BoError as exc:
            self.query_one("#openings-title", Static).update(exc.message)
            return
        self.openings = {str(r["id"]): r for r in rows}
        fill(
            table,
            rows,
            "id",
            ["id", "title", "org_unit", "headcount", "status", "opened_on", "in_process", "hired"],
        )
        open_count = recruiting.open_count(rows)
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
        key = selected_key(self.query_one("#openings", DataTable))
        return None if key is None else int(key)

    def _load_candidates(self) -> None:
        from bo_console.hr.service import recruiting

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
        fill(
            table,
            rows,
            "id",
            ["id", "name", "name_ar", "stage", "applied_on", "employee", "email"],
        )
        shown = self.openings.get(str(opening))
        name = shown.title if shown is not None else ""
        title.update(Text(f"Candidates for opening {opening} ({name}): {len(rows)}"))

    def _candidate(self) -> CandidateView | None:
        key = selected_key(self.query_one("#candidates", DataTable))
        if key is None:
            self.notify("no candidate selected (tab moves to the candidates)", severity="warning")
            return None
        return self.candidates.get(key)

    @on(DataTable.RowSelected, "#candidates")
    def _history(self, event: DataTable.RowSelected) -> None:
        from bo_console.hr.service import recruiting

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
        from bo_console.hr.service import recruiting

        candidate = self._candidate()
        if candidate is None:
            return
        if candidate.stage == "offer":
            self.notify("the candidate has an offer: h hires them", severity="warning")
            return
        moved = try_write(
            self, lambda session, actor: recruiting.advance_candidate(session, actor, candidate.id)
        )
        if moved is not None:
            self._done(f"{candidate.name} moved to {moved.stage}")

    def action_reject(self) -> None:
        from bo_console.hr.service import recruiting

        candidate = self._candidate()
        if candidate is None:
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> bool:
            write(
                self,
                lambda session, actor: recruiting.move_candidate(
                    session, actor, candidate.id, "rejected", note=values["note"]
                ),
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
        from bo_console.hr.service import recruiting

        candidate = self._candidate()
        if candidate is None:
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> bool:
            write(self, lambda s, a: recruiting.add_note(s, a, candidate.id, values["note"]))
            return True

        form = FormScreen(
            f"Note on {candidate['name']}",
            [FormField("note", "Note", required=True)],
            submit,
        )
        app.push_screen(form, lambda done: self._done("note added") if done else None)

    def action_new_opening(self) -> None:
        from bo_console.hr.service import people, recruiting

        app = self.bo_app
        with app.store.read() as session:
            units = [u["code"] for u in people.list_org_units(session, app.actor)]
            positions = [p["code"] for p in people.list_positions(session, app.actor)]

        def submit(values: dict[str, str]) -> int:
            opening = write(
                self,
                lambda session, actor: recruiting.add_opening(
                    session,
                    actor,
                    title=values["title"],
                    position=values["position"],
                    org_unit=values["org_unit"],
                    headcount=int(values["headcount"]),
                    opened_on=parse_date(values["opened_on"]),
                ),
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
                    check=whole_number("head count", low=1, high=1000),
                ),
                FormField("opened_on", "Opened on", value="t", required=True, check=date_check),
            ],
            submit,
            save_label="Open",
        )
        app.push_screen(form, lambda oid: self._done(f"opening {oid} added") if oid else None)

    def action_new_candidate(self) -> None:
        from bo_console.hr.service import recruiting

        opening = self._opening_id()
        if opening is None:
            self.notify("add an opening first (w)", severity="warning")
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> int:
            candidate = write(
                self,
                lambda session, actor: recruiting.add_candidate(
                    session,
                    actor,
                    opening_id=opening,
                    name=values["name"],
                    name_ar=values["name_ar"],
                    email=values["email"],
                    phone=values["phone"],
                    applied_on=parse_date(values["applied_on"]),
                    note=values["note"],
                ),
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
        from bo_console.hr.service import people, recruiting
        from bo_console.hr.service.common import currency_of

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
        opening = self.openings.get(str(candidate.opening))
        with app.store.read() as session:
            _, exponent = currency_of(session)
        confidential = app.actor.can("hr.confidential")

        def check(name: str) -> Callable[[str], str | None]:
            return lambda text: people.field_problem(name, text, exponent)

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

        def submit(values: dict[str, str]) -> HireTerms:
            return people.hire_terms(values, exponent=exponent)

        def chosen(terms: HireTerms | None) -> None:
            if terms is None or terms.hire_date is None:
                return
            start = terms.hire_date

            run_action(
                self,
                ServiceAction(
                    "Hire",
                    "Hire",
                    lambda session, actor: recruiting.hire_candidate(
                        session, actor, candidate.id, hire_date=start, terms=terms
                    ),
                    f"Hire {candidate.name} as {opening.title if opening else 'the opening'} in "
                    f"{opening.org_unit if opening else ''} from {start}? This creates their "
                    "employee record and sends IT an onboarding work item (accounts, equipment).",
                    lambda employee: self._done(
                        f"hired {candidate.name} as {employee.number}; IT has an onboarding "
                        "work item"
                    ),
                    dry_run=False,
                ),
            )

        app.push_screen(
            FormScreen(f"Hire {candidate['name']}", fields, submit, save_label="Next"), chosen
        )
