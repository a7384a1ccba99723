"""IT's fixed codes: ticket priorities, statuses and categories, asset statuses.

Plain tuples, with no imports, so the list services that read through a Reader (and the
commands that call them) need not load the table models.
"""

from __future__ import annotations

PRIORITIES = ("P1", "P2", "P3", "P4")
"""P1 is the most urgent."""

TICKET_STATUSES = (
    "new",
    "assigned",
    "in_progress",
    "waiting",
    "resolved",
    "closed",
    "reopened",
)
OPEN_TICKET_STATUSES = ("new", "assigned", "in_progress", "waiting", "reopened")
"""Open statuses; the resolution clock runs in each but ``waiting`` (on the requester), where
it is paused."""

TICKET_CATEGORIES = ("hardware", "software", "access", "network", "email", "printing", "other")

ASSET_STATUSES = ("in_stock", "assigned", "in_repair", "retired", "disposed")

BREACH_KINDS = ("response", "resolution")
