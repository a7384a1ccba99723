"""Kinds of work that land in Logistics' inbox."""

from __future__ import annotations

from bo_console.core.work_kinds import WorkKind

KINDS = (
    WorkKind("reorder", "Reorder stock below its reorder point", dept="logistics", sla_days=2),
    WorkKind(
        "gate-delivery",
        "Complete a delivery received at the gate",
        dept="logistics",
        sla_days=1,
    ),
    WorkKind("order-followup", "Follow up a sales order", dept="logistics", sla_days=2),
)
