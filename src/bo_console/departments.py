"""The departments that exist in this build, and the hooks each one registers.

Each department package lists itself here once; the core reaches department code only
through these functions (imported lazily, so the CLI stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.maintenance import CheckResult, InitResult, Seeder, StoreCheck
    from bo_console.core.pg_access import Confidential
    from bo_console.core.security import Actor, Identity
    from bo_console.core.store_copy import CopyResult
    from bo_console.core.work_kinds import WorkKind
    from bo_console.demo import DemoBuilder


def seeders() -> list[Seeder]:
    """Reference-data seeders run by ``bo init`` (in this order)."""
    from bo_console.finance import chart as finance_chart
    from bo_console.finance import tax as finance_tax
    from bo_console.hr import setup as hr_setup
    from bo_console.logistics import setup as logistics_setup

    return [finance_chart.seed, finance_tax.seed, hr_setup.seed, logistics_setup.seed]


def demo_builders() -> list[DemoBuilder]:
    """Demo-data builders run by ``bo demo`` after the core's own data."""
    from bo_console.data import demo as data_demo
    from bo_console.finance import demo as finance_demo
    from bo_console.finance import documents_demo, notes_demo, settle_demo
    from bo_console.hr import demo as hr_demo
    from bo_console.it import demo as it_demo
    from bo_console.logistics import demo as logistics_demo

    # Logistics takes the opening balances' stock on and lays down its year of receipts and
    # deliveries (posting inventory, GRNI and cost of sales) while every month is still open;
    # finance's customers and suppliers settle that trade, then finance posts its year and
    # closes the past months, after HR's pay runs have posted into them too; IT then ties its
    # register to the IT equipment balances finance's demo leaves (it posts nothing); data
    # management then takes the closed months' snapshots, with every department's history in.
    return [
        hr_demo.build,
        documents_demo.build,
        notes_demo.build,
        finance_demo.open_books,
        logistics_demo.build,
        settle_demo.build,
        finance_demo.build,
        it_demo.build,
        data_demo.build,
    ]


def work_kinds() -> list[WorkKind]:
    """The kinds of work item each department contributes (``general`` is the core's own)."""
    from bo_console.data import kinds as data_kinds
    from bo_console.finance import kinds as finance_kinds
    from bo_console.hr import kinds as hr_kinds
    from bo_console.it import kinds as it_kinds
    from bo_console.logistics import kinds as logistics_kinds

    return [
        *finance_kinds.KINDS,
        *hr_kinds.KINDS,
        *it_kinds.KINDS,
        *logistics_kinds.KINDS,
        *data_kinds.KINDS,
    ]


def store_checks() -> list[StoreCheck]:
    """Business-invariant checks run by ``bo db check``."""
    from bo_console.data import snapshots as data_snapshots
    from bo_console.finance import checks as finance_checks
    from bo_console.finance import document_checks
    from bo_console.finance.ledger import controls as finance_controls
    from bo_console.hr import setup as hr_setup
    from bo_console.it import ledger as it_ledger
    from bo_console.logistics import setup as logistics_setup

    return [
        finance_checks.ledger_checks,
        document_checks.document_checks,
        finance_controls.control_checks,
        hr_setup.checks,
        it_ledger.register_checks,
        logistics_setup.checks,
        data_snapshots.checks,
    ]


def init_database(
    store: Store,
    identity: Identity,
    *,
    group_shared: bool = False,
    currency: str = "SAR",
    company: str = "",
    full_name: str = "",
) -> InitResult:
    """``bo init``: :func:`bo_console.core.maintenance.init_database` with every department's
    seeders."""
    from bo_console.core import maintenance

    result = maintenance.init_database(
        store,
        identity,
        group_shared=group_shared,
        currency=currency,
        company=company,
        full_name=full_name,
        seeders=seeders(),
    )
    sync_privileges(store)
    return result


def confidential_tables() -> dict[str, Confidential]:
    """Tables whose values only ``hr.confidential`` may read on PostgreSQL, and the columns
    everyone else may still read (the keys the console joins on)."""
    from bo_console.core.pg_access import Confidential

    return {
        "hr_employee_private": Confidential(visible=("employee_id",), insert=True),
        "hr_payslip": Confidential(visible=("id", "run_id", "employee_id", "period")),
        "hr_pay_input": Confidential(visible=("id", "period", "employee_id", "kind", "batch")),
        # Salary history: every component amount an employee was paid, and from when.
        "hr_salary_line": Confidential(visible=("id", "employee_id", "component_id")),
        # A closed month's payroll by unit, unmasked (data management's month-end snapshot).
        "dm_month_snapshot_private": Confidential(visible=("snapshot_id",), insert=True),
        # Each employee's opening end-of-service and leave provisions (a wage in disguise).
        "hr_provision_opening": Confidential(visible=("id", "employee_id", "as_of")),
        # A run's totals are the company's payroll; its status and who did what are not.
        "hr_pay_run": Confidential(
            visible=(
                "id",
                "period",
                "kind",
                "status",
                "currency",
                "employees",
                "prepared_by",
                "prepared_at",
                "approved_by",
                "approved_at",
                "posted_by",
                "posted_at",
                "entry_ref",
                "paid_by",
                "paid_at",
                "payment_ref",
            )
        ),
    }


def table_writes() -> dict[str, tuple[str, ...]]:
    """On PostgreSQL, the tables (name prefixes) each write permission may change: a
    department's own, and finance's where its services post to the books. Tables no
    permission names (work items, job runs) are shared by every writer."""
    return {
        "finance.post": ("fin_",),
        "finance.manage": ("fin_",),
        "hr.write": ("hr_",),
        "hr.manage": ("hr_",),
        "payroll.prepare": ("hr_",),
        "payroll.approve": ("hr_", "fin_"),  # posts and pays pay runs
        "it.write": ("it_",),
        "it.manage": ("it_", "fin_"),  # capitalises, depreciates and disposes of assets
        "logistics.write": ("lg_", "fin_"),  # receipts and deliveries post and bill
        "logistics.manage": ("lg_", "fin_"),
        "data.manage": ("dq_",),
        # The front office registers customers, enters orders, raises tickets, takes CVs.
        "front.write": ("fin_party", "lg_sales_order", "lg_so_line", "it_ticket", "hr_candidate"),
    }


def setting_writes() -> dict[str, tuple[str, ...]]:
    """On PostgreSQL, the setting keys (prefixes) each permission may change besides
    ``db.admin``, which changes any: the keys its services write (closing a month fixes
    ``finance.books_start``; taking stock on starts ``finance.control.*``) and the department's
    own namespace for its manager. Every namespace the code reads or writes has an entry here
    (``tests/unit/test_setting_namespaces.py`` finds them in the source)."""
    return {
        "finance.manage": ("finance.",),
        "logistics.manage": ("finance.control.", "logistics."),
        "payroll.approve": ("hr.",),  # pay rules
        "it.manage": ("it.",),  # the SLA calendar, reopening, the asset accounts
        "data.manage": ("data.",),  # the query console's limits
    }


HIDDEN_SETTINGS = ("hr.wps_debit_account",)
"""Settings only ``hr.confidential`` may read on PostgreSQL: the IBAN salaries are paid from."""


def sync_privileges(store: Store) -> bool:
    """On PostgreSQL, :func:`bo_console.core.pg_access.sync` with every department's
    confidential tables (as the connecting role, the schema owner); False on SQLite."""
    if store.is_sqlite:
        return False
    from bo_console.core import pg_access
    from bo_console.data import pg_console

    with store.engine.begin() as conn:
        pg_access.sync(
            conn, confidential_tables(), table_writes(), HIDDEN_SETTINGS, setting_writes()
        )
        pg_console.sync(conn)
    return True


def copy_store(store: Store, target_url: str, actor: Actor) -> CopyResult:
    """``bo db copy --to``: :func:`bo_console.core.store_copy.copy_store` with every table,
    then the target's privileges (:func:`sync_privileges`)."""
    from sqlmodel import SQLModel

    import bo_console.models_registry  # noqa: F401  (registers every table)
    from bo_console.core.db import Store as _Store
    from bo_console.core.store_copy import copy_store as copy

    result = copy(store, target_url, actor, SQLModel.metadata)
    sync_privileges(_Store(target_url))
    return result


def check_store(store: Store, actor: Actor) -> list[CheckResult]:
    """``bo db check``: :func:`bo_console.core.maintenance.check` with every department's
    business checks."""
    from bo_console.core import maintenance

    return maintenance.check(store, actor, checks=store_checks())


CLI_GROUPS: dict[str, tuple[str, str]] = {
    "finance": (
        "bo_console.finance.cli:app",
        "Finance: chart of accounts, journal, fiscal periods and financial reports.",
    ),
    "hr": (
        "bo_console.hr.cli:app",
        "HR and payroll: employees, recruiting, training, benefits, leave, pay runs.",
    ),
    "it": (
        "bo_console.it.cli:app",
        "IT: helpdesk tickets and SLAs, the asset register, licences, on/offboarding.",
    ),
    "logistics": (
        "bo_console.logistics.cli:app",
        "Logistics: items, stock by location and lot, purchase and sales orders, shipments.",
    ),
    "data": (
        "bo_console.data.cli:app",
        "Data management: views, saved queries, read-only SQL, data quality, dashboard.",
    ),
    "front": (
        "bo_console.front_office.cli:app",
        "The front office: customers, quotations and orders, requests to the back office.",
    ),
    "intake": (
        "bo_console.front_office.cli:intake_app",
        "Orders from outside (a web shop, a partner) as CSV or JSON files.",
    ),
}
"""Each department's command group under ``bo``: name -> ("module:attribute" of its Typer
app, the help line ``bo --help`` shows). The module is imported only when a command line
names the group, so ``bo --help`` and other departments' commands do not pay for it; the help
line must match the app's own (a test compares them)."""

SCREENS: dict[str, str] = {
    "finance": "bo_console.finance.screen:FinanceScreen",
    "hr": "bo_console.hr.screen:HRScreen",
    "it": "bo_console.it.screen:ITScreen",
    "logistics": "bo_console.logistics.screen:LogisticsScreen",
    "data": "bo_console.data.screen:DataScreen",
    "front": "bo_console.front_office.screen:FrontOfficeScreen",
}
"""Department code -> "module:ScreenClass" of its TUI screen (only existing ones are listed;
``front`` is the front office, which is no back-office department)."""

SCREEN_TITLES: dict[str, str] = {"front": "Front office"}
"""Titles of screens that are not back-office departments."""

SCREEN_PERMISSIONS: dict[str, str] = {"front": "front.read"}
"""What opens a screen that is not a back-office department."""

PALETTE: list[tuple[str, str, str]] = [
    (
        "Raise an IT ticket",
        "Ask IT for help (anyone may)",
        "bo_console.it.screen.tickets:raise_ticket",
    ),
    ("My IT requests", "Follow the tickets you raised", "bo_console.it.screen.tickets:my_requests"),
]
"""Palette commands every signed-in person has on every screen: (title, help,
"module:function" called with the current screen)."""

ADMIN_SCREEN_PERMISSIONS = ("users.admin", "audit.read")
"""Holding either of these opens the Admin screen (admins and auditors)."""


def screen_names() -> list[str]:
    """The screens the console can open on (``bo tui --screen``): Home, each department that
    has a screen in this build, then Admin."""
    return ["home", *SCREENS, "admin"]


def screen_name(text: str) -> str:
    """``text`` as a screen name (case and spaces ignored).

    Raises:
        UsageProblem: no such screen in this build (what exists is listed).
    """
    from bo_console.core.errors import UsageProblem
    from bo_console.core.security import DEPARTMENTS

    name = text.strip().casefold()
    names = screen_names()
    if name in names:
        return name
    choices = ", ".join(names)
    if name in DEPARTMENTS:
        raise UsageProblem(
            f"{DEPARTMENTS[name]} has no screen in this build yet; choose one of: {choices}"
        )
    raise UsageProblem(f"unknown screen {text!r}; choose one of: {choices}")


def screen_refusal(actor: Actor, name: str) -> str | None:
    """Why ``actor`` may not open screen ``name``, or None when they may (Home: everyone)."""
    from bo_console.core.security import DEPARTMENT_READ, DEPARTMENTS, roles_with

    if name == "home":
        return None
    needs: tuple[str, ...]
    if name == "admin":
        if any(actor.can(p) for p in ADMIN_SCREEN_PERMISSIONS):
            return None
        title, needs = "Admin", ADMIN_SCREEN_PERMISSIONS
    else:
        permission = DEPARTMENT_READ.get(name) or SCREEN_PERMISSIONS.get(name)
        if permission is not None and actor.can(permission):
            return None
        title = DEPARTMENTS.get(name) or SCREEN_TITLES.get(name, name)
        needs = (permission or f"{name}.read",)
    holders = sorted({role for p in needs for role in roles_with(p)})
    return (
        f"{title} is not available to you: it needs {' or '.join(needs)} "
        f"(roles that have it: {', '.join(holders) or 'none'})"
    )


def require_screen(actor: Actor, name: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may open screen ``name``."""
    from bo_console.core.errors import PermissionDenied

    refusal = screen_refusal(actor, name)
    if refusal is not None:
        raise PermissionDenied(refusal)
