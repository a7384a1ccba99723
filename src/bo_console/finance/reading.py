"""Finance's read-only door for other departments: what they read of the books through a
Reader (:mod:`bo_console.core.reading`) or a session, without the ORM.

:mod:`bo_console.finance.service` is finance's door for everything else; importing it loads
SQLAlchemy, SQLModel and finance's models (a few hundred milliseconds), which a command that
only reads (``bo data dashboard``) must not pay. This module imports none of them: each
function here takes ``db: Reads`` and gives the same answer through a Reader as through a
session, so a screen that holds a session calls it too.

The import contracts let other departments import this module beside the service facade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.finance.accounts import Balances as Balances
from bo_console.finance.accounts import Chart as Chart
from bo_console.finance.accounts import ChartAccount as ChartAccount
from bo_console.finance.accounts import balances as balances
from bo_console.finance.accounts import load_chart as load_chart
from bo_console.finance.customer_list import invoice_states as invoice_states
from bo_console.finance.period_list import closed_periods as closed_periods

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

__all__ = [
    "Balances",
    "Chart",
    "ChartAccount",
    "account_for_role",
    "balances",
    "closed_periods",
    "invoice_states",
    "load_chart",
]


def account_for_role(db: Reads, role: str) -> str:
    """The account code in force for a role (``finance.account.<role>`` or the seeded default),
    as :func:`bo_console.finance.service.account_for_role` gives it."""
    from bo_console.finance.chart import role_code

    return role_code(db, role)
