"""Data management's demo data: the month-end snapshots of the months finance's demo closed.

Finance's demo closes its months before IT lays down its register, so it leaves the
snapshots to this builder, which runs last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.demo import DemoContext


def build(ctx: DemoContext) -> None:
    from bo_console.data import snapshots

    snapshots.backfill(ctx.session, ctx.admin)
