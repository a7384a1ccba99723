"""The IT screen: Tickets, Assets, Licences, On/offboarding and the IT inbox.

Thin over the IT service, built on ``ui.kit``: every change goes through the kit's write path
in its own unit of work, and what the service refuses is shown as it says it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bo_console.it.screen.assets import AssetDialog, AssetsPane
from bo_console.it.screen.licences import BoardingPane, LicencesPane
from bo_console.it.screen.tickets import MyRequestsPane, TicketDialog, TicketsPane
from bo_console.ui.kit import DepartmentScreen, Tab

__all__ = [
    "AssetDialog",
    "AssetsPane",
    "BoardingPane",
    "ITScreen",
    "LicencesPane",
    "MyRequestsPane",
    "TicketDialog",
    "TicketsPane",
]


class ITScreen(DepartmentScreen):
    """IT: tickets, the asset register, licences, on/offboarding and the IT inbox."""

    DEPARTMENT = "it"
    SCREEN_TITLE = "IT"
    LAZY_TABS = True
    LINK_TABS = {"ticket": "tickets", "asset": "assets", "licence": "licences"}
    HELP = (
        "Tickets lists open tickets, newest first, with their SLA (ok, near, breached): f "
        "cycles open, mine, breached (most overdue first) and all; / finds a number or words "
        "of the subject; enter opens a ticket (t take, s start, c "
        "comment, v resolve with a note, k close, o reopen); n raises one; e escalates new "
        "SLA breaches now (IT managers; cron does it too). Assets: / finds a "
        "tag, serial or model; c checks out and i checks in (scan the tag, Enter; the form "
        "comes back for the next scan); enter opens an asset and its custodians; d posts a "
        "month's depreciation (IT managers). Licences: a "
        "assigns a seat, u releases one, m reminds the renewals due soon. On/offboarding: "
        "space ticks the next step, c "
        "completes (an offboarding only once the leaver holds nothing). Jobs run in the "
        "background under a progress bar at the foot of the tab."
    )

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        yield Tab("tickets", "Tickets", lambda: TicketsPane(app))
        yield Tab("assets", "Assets", lambda: AssetsPane(app))
        yield Tab("licences", "Licences", LicencesPane)
        yield Tab("boarding", "On/offboarding", BoardingPane)
