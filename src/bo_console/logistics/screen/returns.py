"""The Returns tab: customer returns, newest first (they are taken on the Sales orders tab)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bo_console.logistics import service
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, ShortListPane

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

RETURNS = "logistics.returns"


class ReturnsPane(ShortListPane):
    """Customer returns: what came back, into which bin, at what cost, and the credit asked of
    finance for what had been invoiced."""

    COLUMNS = (
        ColumnSpec("Number", 14),
        ColumnSpec("Date", 10),
        ColumnSpec("Order", 13, flex=False),
        ColumnSpec("Qty", 5, right=True),
        ColumnSpec("Credit", 11, right=True),
        ColumnSpec("Into", 12, optional=True),
        ColumnSpec("Reason", 20),
    )
    LISTENS = frozenset({RETURNS})
    TABLE_ID = "returns-table"
    STATUS_ID = "returns-status"

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.core.money import base_currency

        currency = base_currency(session)
        return [
            ListRow(
                r.number,
                (
                    r.number,
                    r.date.isoformat(),
                    r.order,
                    r.quantity,
                    currency.format(r.credit_value) if r.credit_value else "-",
                    r.location,
                    r.reason,
                ),
            )
            for r in service.list_returns(session, actor)
        ]

    def status_text(self, rows: Any) -> str:
        return f"Returns: {len(rows):,} · take one back on Sales orders (t)"
