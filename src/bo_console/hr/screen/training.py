"""The Training tab: sessions, courses and expiring certifications; a session's enrollments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, DataTable, Static

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.hr.screen.common import Pane, fill
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.kit.actions import write
from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of, whole_number
from bo_console.ui.kit.short_list import new_table, selected_key

if TYPE_CHECKING:
    from bo_console.hr.models.views import SessionView

    pass


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

    def __init__(self, session_row: SessionView) -> None:
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
            yield new_table("enrollments")
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
        from bo_console.hr.service import training

        app = bo_app(self)
        table = self.query_one("#enrollments", DataTable)
        with app.store.read() as session:
            rows = training.session_enrollments(session, app.actor, self.session_id)
            taken, capacity = training.places_taken(session, app.actor, self.session_id)
        fill(table, rows, "employee", ["employee", "name", "status", "completed_on"])
        self.query_one("#enrollment-status", Static).update(f"{taken} of {capacity} places taken")

    def action_enroll(self) -> None:
        from bo_console.hr.service import training

        app = bo_app(self)

        def submit(values: dict[str, str]) -> str:
            write(self, lambda s, a: training.enroll(s, a, self.session_id, values["employee"]))
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
        from bo_console.hr.service import training

        app = bo_app(self)
        number = selected_key(self.query_one("#enrollments", DataTable))
        if number is None:
            return

        def submit(values: dict[str, str]) -> str:
            cert = write(
                self,
                lambda session, actor: training.complete(
                    session,
                    actor,
                    self.session_id,
                    number,
                    on=parse_date(values["on"]),
                    outcome=outcome,
                ),
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
        self.sessions: dict[str, SessionView] = {}

    def build(self) -> ComposeResult:
        yield Static("Training", classes="status-line", id="training-title")
        with ContentSwitcher(initial="sessions"):
            yield new_table("sessions")
            yield new_table("courses")
            yield new_table("expiring")

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
        from bo_console.hr.service import training

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
                    self.sessions = {str(r.id): r for r in rows}
                    fill(
                        table,
                        [{**r.record(), "places": f"{r.enrolled}/{r.capacity}"} for r in rows],
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
                    courses = training.list_courses(session, app.actor)
                    fill(
                        table,
                        courses,
                        "code",
                        ["code", "title", "title_ar", ">hours", ">cert_months"],
                    )
                    extra = f"{len(courses)} courses"
                else:
                    soon = training.expiring(
                        session, app.actor, today=console_today(), within_days=self.window
                    )
                    fill(
                        table,
                        soon,
                        "id",
                        ["employee", "name", "certification", "expires_on", ">days_left"],
                    )
                    extra = f"{len(soon)} expiring within {self.window} days or expired"
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
                    check=whole_number("days", high=3650),
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
        from bo_console.hr.service import training

        app = self.bo_app

        def submit(values: dict[str, str]) -> str:
            course = write(
                self,
                lambda session, actor: training.add_course(
                    session,
                    actor,
                    code=values["code"],
                    title=values["title"],
                    title_ar=values["title_ar"],
                    hours=int(values["hours"] or 0),
                    cert_months=int(values["cert_months"]) if values["cert_months"] else None,
                ),
            )
            return course.code

        form = FormScreen(
            "New course",
            [
                FormField("code", "Code", required=True, placeholder="e.g. FIRSTAID"),
                FormField("title", "Title", required=True),
                FormField("title_ar", "Arabic title"),
                FormField("hours", "Hours", value="0", check=whole_number("hours", high=1000)),
                FormField(
                    "cert_months",
                    "Certifies for",
                    check=whole_number("months", low=1, high=240),
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
        from bo_console.hr.service import training

        app = self.bo_app
        with app.store.read() as session:
            courses = [c["code"] for c in training.list_courses(session, app.actor)]
        if not courses:
            self.notify("add a course first (v shows courses)", severity="warning")
            return

        def submit(values: dict[str, str]) -> int:
            row = write(
                self,
                lambda session, actor: training.add_session(
                    session,
                    actor,
                    course=values["course"],
                    starts_on=parse_date(values["starts_on"]),
                    ends_on=parse_date(values["ends_on"]) if values["ends_on"] else None,
                    trainer=values["trainer"],
                    location=values["location"],
                    capacity=int(values["capacity"]),
                ),
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
                    check=whole_number("places", low=1, high=1000),
                ),
            ],
            submit,
            save_label="Schedule",
        )
        app.push_screen(form, lambda sid: self._added(f"session {sid} scheduled", sid))
