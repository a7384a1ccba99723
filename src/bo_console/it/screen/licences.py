"""The Licences tab (seats used and free, assign and release) and the On/offboarding tab
(HR's items with IT's checklist, and what leavers still hold)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding

from bo_console.ui.kit import (
    ColumnSpec,
    FormField,
    FormScreen,
    JobStrip,
    ListRow,
    ServiceAction,
    ShortListPane,
    announce,
    run_action,
    start_job,
    write,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

LICENCES = "it.licences"
BOARDING = "it.boarding"


class LicencesPane(ShortListPane):
    """Licences by product; a assigns a seat, u releases one (to an employee or an asset)."""

    BINDINGS = [
        Binding("a", "assign", "Assign seat", id="it.licences.assign"),
        Binding("u", "release", "Release seat", id="it.licences.release"),
        Binding(
            "m",
            "remind",
            "Remind renewals",
            id="it.licences.remind",
            tooltip="An IT inbox item per licence to renew soon (once per renewal)",
        ),
    ]
    COLUMNS = (
        ColumnSpec("Licence", 5),
        ColumnSpec("Product", 22),
        ColumnSpec("Seats", 6, right=True),
        ColumnSpec("Used", 6, right=True),
        ColumnSpec("Free", 6, right=True),
        ColumnSpec("Renewal", 10),
        ColumnSpec("Key", 12, flex=False),
    )
    PERMS = {"assign": "it.write", "release": "it.write", "remind": "it.write"}
    LISTENS = frozenset({LICENCES})
    TABLE_ID = "licences-table"
    STATUS_ID = "licences-status"

    def __init__(self) -> None:
        super().__init__(id="licences-pane")

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStrip(busy_message="the reminders are still running", id="licences-job")

    def action_remind(self) -> None:
        """Ask for the window, then run the renewal reminders (what cron runs) under the bar."""
        from bo_console.it import service
        from bo_console.it.licences import parse_within

        app = self.bo_app

        def submit(values: dict[str, str]) -> int:
            return parse_within(values["within"])

        def chosen(days: int | None) -> None:
            if days is None:
                return
            start_job(
                self,
                "Renewal reminders",
                lambda progress: service.run_renewal_notices(
                    app.store, app.actor, within_days=days, progress=progress
                ),
                lambda notice: self.notify(notice.summary),
                topics=(LICENCES,),
            )

        app.push_screen(
            FormScreen(
                "Remind the renewals due soon",
                [FormField("within", "Within", value="30d", required=True, help="30d, 6w, 2m")],
                submit,
                save_label="Remind",
            ),
            chosen,
        )

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.it import service

        return [
            ListRow(r.ref, (r.ref, r.product, r.seats, r.used, r.free, r.renewal_date, r.key))
            for r in service.list_licences(session, actor)
        ]

    def status_text(self, rows: Sequence[ListRow]) -> str:
        return f"Licences: {len(rows):,} · a assign a seat · u release one"

    def _seat(self, release: bool) -> None:
        from bo_console.it import service

        ref = self.selected_key
        if ref is None:
            return
        call = service.release_seat if release else service.assign_seat

        def submit(values: dict[str, str]) -> str:
            holder = values["holder"].strip()
            is_tag = not holder.upper().startswith("E")
            view = write(
                self,
                lambda s, a: call(
                    s,
                    a,
                    ref,
                    employee_number=None if is_tag else holder,
                    asset_tag=holder if is_tag else None,
                ),
            )
            announce(self, LICENCES, BOARDING)
            return f"{view.row.ref}: {view.row.used} of {view.row.seats} seats used"

        fields = [
            FormField(
                "holder", "Employee or asset", required=True, placeholder="E00042 or an asset tag"
            )
        ]
        title = f"{'Release' if release else 'Assign'} a seat of {ref}"
        self.app.push_screen(
            FormScreen(title, fields, submit), lambda text: self.notify(text) if text else None
        )

    def action_assign(self) -> None:
        self._seat(release=False)

    def action_release(self) -> None:
        self._seat(release=True)


class BoardingPane(ShortListPane):
    """Onboarding and offboarding items: enter ticks the next step; c completes."""

    BINDINGS = [
        Binding("space", "tick", "Tick step", id="it.boarding.tick"),
        Binding("c", "complete", "Complete", id="it.boarding.complete"),
    ]
    COLUMNS = (
        ColumnSpec("Item", 5),
        ColumnSpec("Kind", 11),
        ColumnSpec("Employee", 8),
        ColumnSpec("Due", 10),
        ColumnSpec("To do", 22),
        ColumnSpec("Still holds", 18),
    )
    PERMS = {"tick": "it.write", "complete": "it.write"}
    LISTENS = frozenset({BOARDING, LICENCES, "it.assets"})
    TABLE_ID = "boarding-table"
    STATUS_ID = "boarding-status"

    def __init__(self) -> None:
        super().__init__(id="boarding-pane")
        self.todo: dict[str, list[str]] = {}

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.it import service

        items = service.list_boarding(session, actor)
        self.todo = {str(b.item_id): [s for s, done in b.steps if not done] for b in items}
        return [
            ListRow(
                str(b.item_id),
                (
                    b.item_id,
                    b.kind,
                    b.employee,
                    b.due_date,
                    ", ".join(self.todo[str(b.item_id)]) or "ready",
                    ", ".join(h.split(" ", 1)[1] for h in b.holds),
                ),
            )
            for b in items
        ]

    def status_text(self, rows: Sequence[ListRow]) -> str:
        return f"On/offboarding: {len(rows):,} open · space tick the next step · c complete"

    def action_tick(self) -> None:
        from bo_console.it import service
        from bo_console.ui.kit import try_write

        key = self.selected_key
        if key is None or not self.todo.get(key):
            return
        step = self.todo[key][0]
        if try_write(self, lambda s, a: service.tick(s, a, int(key), step), BOARDING):
            self.notify(f"item {key}: {step} done")

    def action_complete(self) -> None:
        from bo_console.it import service

        key = self.selected_key
        if key is None:
            return
        run_action(
            self,
            ServiceAction(
                "Complete",
                "Complete",
                work=lambda s, a: service.complete(s, a, int(key)),
                message=f"Complete item {key}? It leaves the IT inbox.",
                done=lambda _: self.notify(f"item {key} is done"),
                topics=(BOARDING,),
            ),
        )
