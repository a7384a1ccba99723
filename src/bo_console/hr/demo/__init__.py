"""HR's part of ``bo demo``: about 200 employees, recruiting, training, benefits, leave, payroll.

Deterministic (its own seeded random generator) and built through the services, so the demo's
audit trail, inbox items and ledger entries are those the real commands would make. The staff
console users of the core demo get employee records, so leave approval by managers and the
payroll's separation of duties (``fahad`` prepares, ``sara`` approves) can be tried at once.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from bo_console.hr.demo.activity import add_leave, add_payroll, add_recruiting, add_training
from bo_console.hr.demo.staff import add_benefits, add_leavers, add_people

if TYPE_CHECKING:
    from bo_console.demo import DemoContext


def build(ctx: DemoContext) -> None:
    """Add HR's demo data (registered in ``departments.demo_builders``)."""
    rng = random.Random(20261126 + 4)
    sara = ctx.staff("sara")
    fahad = ctx.staff("fahad")
    noura = ctx.staff("noura")
    built = add_people(ctx, sara, rng)
    add_benefits(ctx, sara, built, rng)
    add_leavers(ctx, sara, built)
    add_leave(ctx, sara, noura, built, rng)
    add_training(ctx, noura, built, rng)
    add_recruiting(ctx, sara, noura, rng)
    add_payroll(ctx, sara, fahad, built, rng)
