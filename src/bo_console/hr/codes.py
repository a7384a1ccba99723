"""HR's fixed codes: the statuses of employees, openings, candidates, sessions, leave and
pay runs.

Plain tuples, with no imports, so the list services that read through a Reader (and the
commands that call them) need not load the table models.
"""

from __future__ import annotations

EMPLOYEE_STATUSES = ("active", "on_leave", "terminated")
OPENING_STATUSES = ("open", "on_hold", "filled", "closed")
CANDIDATE_STAGES = ("applied", "screening", "interview", "offer", "hired", "rejected")
SESSION_STATUSES = ("scheduled", "completed", "cancelled")
ENROLLMENT_STATUSES = ("enrolled", "completed", "no_show", "cancelled")
LEAVE_REQUEST_STATUSES = ("pending", "approved", "rejected", "cancelled")
LEAVE_ENTRY_KINDS = ("accrual", "taken", "adjustment", "settled")
PAY_RUN_STATUSES = ("draft", "approved", "posted", "paid", "discarded")
PAY_INPUT_KINDS = ("overtime", "bonus", "commission", "deduction")
