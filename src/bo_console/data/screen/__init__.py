"""The Data management screen: saved queries, the read-only SQL console and the data inbox.

Thin over the data service, built on ``ui.kit``: results go in the kit's virtual list, which
filters (``/``) and exports (``x``) them like any other list.
"""

from __future__ import annotations

from collections.abc import Iterable

from bo_console.data.screen.dashboard import DashboardPane
from bo_console.data.screen.quality import QualityPane
from bo_console.data.screen.queries import QueriesPane, SavedQueriesList, SqlPane
from bo_console.ui.kit import DepartmentScreen, Tab

__all__ = ["DashboardPane", "DataScreen", "QualityPane", "QueriesPane", "SqlPane"]


class DataScreen(DepartmentScreen):
    """Data management: the dashboard, saved queries, the SQL console, data quality and the
    data inbox."""

    DEPARTMENT = "data"
    SCREEN_TITLE = "Data management"
    LAZY_TABS = True
    HELP = (
        "Dashboard: revenue (█) and expenses (░) by month, cash, aged balances, headcount and "
        "payroll cost by unit (a unit of fewer than 3 paid is masked without hr.confidential), "
        "tickets, stock, data-quality findings and overdue inbox items; r refreshes. "
        "Queries lists the saved queries: enter asks for their parameters and runs one, p "
        "pivots one by two of its columns; the result shows below it. SQL: type one SELECT "
        "over the published views (bo data views) "
        "and press enter; ctrl+r runs it again. It can never write, attach a database or "
        "change a setting, and confidential columns need hr.confidential. In a result, / "
        "filters and x exports (.csv, .xlsx or .json). Quality lists what the data-quality "
        "rules find now; n (data.manage) raises inbox items for new findings and closes "
        "those now fixed."
    )

    def tabs(self) -> Iterable[Tab]:
        yield Tab(
            "dashboard",
            "Dashboard",
            DashboardPane,
            keywords="management figures charts from the month-end snapshots",
        )
        yield Tab("queries", "Queries", QueriesPane, parts=(SavedQueriesList,))
        yield Tab("sql", "SQL", SqlPane)
        yield Tab("quality", "Quality", QualityPane)
