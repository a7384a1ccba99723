"""Where a customer's order stands, as the front office tells it: read through a Reader
(``bo front status``) or a session (the Orders tab), without the ORM or pydantic;
:mod:`bo_console.front_office.service` re-exports it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.logistics.reading import OrderStatus

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def order_status(db: Reads, actor: Actor, number: str) -> OrderStatus:
    """Where an order stands: quotation, reserved, picked, shipped, invoiced or paid.

    Raises:
        PermissionDenied: the actor lacks ``front.read``.
        NotFound: no such order.
    """
    from bo_console.logistics import reading as logistics

    actor.require("front.read", "see order status")
    return logistics.order_status(db, actor, number)
