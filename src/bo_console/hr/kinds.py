"""Kinds of work that land in HR's inbox."""

from __future__ import annotations

from bo_console.core.work_kinds import WorkKind

KINDS = (
    WorkKind("certification", "Renew a certification", dept="hr"),
    WorkKind("candidate", "Review a walk-in CV", dept="hr", sla_days=5),
)
