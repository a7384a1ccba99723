"""The departments that exist in this build, and the hooks each one registers.

Each department package lists itself here once; the core reaches department code only
through these functions (imported lazily, so the CLI stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.maintenance import Seeder, StoreCheck
    from bo_console.demo import DemoBuilder


def seeders() -> list[Seeder]:
    """Reference-data seeders run by ``bo init`` (in this order)."""
    from bo_console.finance import chart as finance_chart
    from bo_console.finance import tax as finance_tax
    from bo_console.hr import setup as hr_setup

    return [finance_chart.seed, finance_tax.seed, hr_setup.seed]


def demo_builders() -> list[DemoBuilder]:
    """Demo-data builders run by ``bo demo`` after the core's own data."""
    from bo_console.finance import demo as finance_demo
    from bo_console.finance import documents_demo
    from bo_console.hr import demo as hr_demo

    # Finance last: it closes past months, after HR's pay runs have posted into them.
    return [hr_demo.build, documents_demo.build, finance_demo.build]


def store_checks() -> list[StoreCheck]:
    """Business-invariant checks run by ``bo db check``."""
    from bo_console.finance import checks as finance_checks
    from bo_console.finance import document_checks
    from bo_console.hr import setup as hr_setup

    return [finance_checks.ledger_checks, document_checks.document_checks, hr_setup.checks]


SCREENS: dict[str, str] = {
    "finance": "bo_console.finance.screen:FinanceScreen",
    "hr": "bo_console.hr.screen:HRScreen",
}
"""Department code -> "module:ScreenClass" of its TUI screen (only existing ones are listed)."""
