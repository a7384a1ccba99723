"""Kinds of work the data management department raises in other departments' inboxes."""

from __future__ import annotations

from bo_console.core.work_kinds import WorkKind

KINDS = (
    # Raised to the department that owns the record (dept None: the check chooses), and
    # closed by the next check that no longer finds it.
    WorkKind("data-quality", "Data-quality finding", sla_days=7),
)
