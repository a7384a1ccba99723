"""Leave: types, monthly accrual, requests and their approval, balances.

Balances are a ledger (``hr_leave_entry``) in hundredths of a day: accruals add, approved
leave takes away. A type with a yearly entitlement accrues a twelfth of it each month, rounded
half up to a hundredth, and December takes whatever makes the year exact. A request is decided
by the employee's manager or by HR (``hr.manage``), never by the person who asked for it nor by
the employee it is for; the database refuses a decision recorded by the requester. Unpaid leave
reduces pay in the pay run of the month it falls in.
"""

from __future__ import annotations

from bo_console.hr.service.leave.balances import (
    BALANCE_COLUMNS,
    AccrualResult,
    accrue,
    adjust,
    balance,
    balances,
)
from bo_console.hr.service.leave.kinds import (
    DEFAULT_WEEKEND,
    WEEKDAYS,
    add_leave_type,
    leave_type,
    list_leave_types,
    monthly_accrual,
    weekend_days,
    working_days,
)
from bo_console.hr.service.leave.requests import (
    REQUEST_COLUMNS,
    approve,
    cancel,
    get_request,
    list_requests,
    may_decide,
    reject,
    request_leave,
)
from bo_console.hr.service.leave.settlement import (
    encashable,
    excluded_service_days,
    settle_balances,
    sick_days,
    unpaid_days,
)

__all__ = [
    "AccrualResult",
    "BALANCE_COLUMNS",
    "DEFAULT_WEEKEND",
    "REQUEST_COLUMNS",
    "WEEKDAYS",
    "accrue",
    "add_leave_type",
    "adjust",
    "approve",
    "balance",
    "balances",
    "cancel",
    "encashable",
    "excluded_service_days",
    "get_request",
    "leave_type",
    "list_leave_types",
    "list_requests",
    "may_decide",
    "monthly_accrual",
    "reject",
    "request_leave",
    "settle_balances",
    "sick_days",
    "unpaid_days",
    "weekend_days",
    "working_days",
]
