"""Kinds of work that land in IT's inbox."""

from __future__ import annotations

from bo_console.core.work_kinds import WorkKind

KINDS = (
    WorkKind("onboarding", "Onboard a new employee", dept="it", sla_days=3),
    WorkKind("offboarding", "Offboard a leaver", dept="it", sla_days=1),
    WorkKind("licence-renewal", "Renew a licence", dept="it"),
    WorkKind("sla-breach", "A ticket breached its SLA", dept="it", sla_days=1),
)
