"""Logistics' read-only door for the other departments: what they read of orders through a
Reader (:mod:`bo_console.core.reading`) or a session, without the ORM.

:mod:`bo_console.logistics.service` is logistics' door for everything else; importing it loads
SQLAlchemy, SQLModel and the table models, which a command that only reads (``bo front
status``) must not pay. This module imports none of them.
"""

from __future__ import annotations

from bo_console.logistics.order_status import OrderLineStatus as OrderLineStatus
from bo_console.logistics.order_status import OrderStatus as OrderStatus
from bo_console.logistics.order_status import ShipmentStatus as ShipmentStatus
from bo_console.logistics.order_status import order_status as order_status

__all__ = ["OrderLineStatus", "OrderStatus", "ShipmentStatus", "order_status"]
