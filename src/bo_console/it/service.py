"""The IT service: the one door both faces and other departments use.

Raise a ticket for anyone (any signed-in console user may)::

    from bo_console.it import service

    view = service.raise_ticket(
        session, actor, service.TicketCreate(subject="Printer jams", category="printing")
    )
    view.row.ref  # "T000042"

Every function takes a session and the acting user, checks permissions, writes the audit
trail in the caller's transaction and never commits.
"""

from __future__ import annotations

from bo_console.it.assets import (
    AssetFilter,
    AssetRow,
    AssetView,
    add_asset,
    asset_actions,
    asset_by_tag,
    check_in,
    check_out,
    get_asset,
    holdings,
    list_assets,
    set_status,
    update_asset,
)
from bo_console.it.boarding import BoardingView, complete, get_boarding, list_boarding, tick
from bo_console.it.ledger import (
    DepreciationRun,
    capitalise,
    depreciate,
    dispose,
    ensure_accounts,
    register_checks,
    run_depreciation,
)
from bo_console.it.licences import (
    LicenceRow,
    LicenceView,
    RenewalNotice,
    add_licence,
    assign_seat,
    expiring,
    get_licence,
    list_licences,
    release_seat,
    run_renewal_notices,
    update_licence,
)
from bo_console.it.models import (
    AssetCreate,
    AssetUpdate,
    LicenceCreate,
    LicenceUpdate,
    TicketCreate,
    TicketUpdate,
)
from bo_console.it.sla import (
    EscalationResult,
    add_holiday,
    escalate,
    run_escalation,
    set_calendar,
    set_target,
    show_calendar,
)
from bo_console.it.stocktake import (
    ScanResult,
    StocktakeLine,
    StocktakeView,
    list_stocktakes,
)
from bo_console.it.stocktake import close as close_stocktake
from bo_console.it.stocktake import get as get_stocktake
from bo_console.it.stocktake import scan as scan_asset
from bo_console.it.stocktake import start as start_stocktake
from bo_console.it.tickets import (
    TicketFilter,
    TicketRow,
    TicketView,
    assign,
    close,
    comment,
    get_ticket,
    list_tickets,
    raise_ticket,
    reopen,
    resolve,
    start,
    ticket_actions,
    update,
    wait,
)

__all__ = [
    "AssetCreate",
    "AssetFilter",
    "AssetRow",
    "AssetUpdate",
    "AssetView",
    "BoardingView",
    "DepreciationRun",
    "EscalationResult",
    "LicenceCreate",
    "LicenceRow",
    "LicenceUpdate",
    "LicenceView",
    "RenewalNotice",
    "ScanResult",
    "StocktakeLine",
    "StocktakeView",
    "TicketCreate",
    "TicketFilter",
    "TicketRow",
    "TicketUpdate",
    "TicketView",
    "add_asset",
    "add_holiday",
    "add_licence",
    "asset_actions",
    "asset_by_tag",
    "assign",
    "assign_seat",
    "capitalise",
    "check_in",
    "check_out",
    "close",
    "close_stocktake",
    "comment",
    "complete",
    "depreciate",
    "dispose",
    "ensure_accounts",
    "escalate",
    "expiring",
    "get_asset",
    "get_boarding",
    "get_licence",
    "get_stocktake",
    "get_ticket",
    "holdings",
    "list_assets",
    "list_boarding",
    "list_licences",
    "list_stocktakes",
    "list_tickets",
    "raise_ticket",
    "register_checks",
    "release_seat",
    "reopen",
    "resolve",
    "run_depreciation",
    "run_escalation",
    "run_renewal_notices",
    "scan_asset",
    "set_calendar",
    "set_status",
    "set_target",
    "show_calendar",
    "start",
    "start_stocktake",
    "ticket_actions",
    "tick",
    "update",
    "update_asset",
    "update_licence",
    "wait",
]
