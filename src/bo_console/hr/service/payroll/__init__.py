"""Pay runs: compute, approve, post to the ledger, pay.

A pay run covers one month and holds one payslip per employee paid in it; the database keeps
one live run per month and one payslip per employee and month, so running a month again finds
the run that exists and changes nothing. The whole run is written in the caller's single
transaction: killed at any point, it leaves all of it or none.

**Rounding rule.** Every amount is integer minor units. Each component of a payslip (base,
allowances, overtime, each benefit contribution, unpaid-leave deduction, each social insurance
share, leave encashment, end-of-service award) is computed exactly as a fraction and rounded
once, to the nearest minor unit, halves away from zero. Gross, deductions and net are sums and
differences of those rounded components (the database checks both equations), and the ledger
entry sums the payslips, so payslips, run totals and the ledger agree to the minor unit.

**Proration.** By calendar days: a joiner or leaver is paid ``days employed / days in month``
of base and allowances (and of each benefit, for the days enrolled). Unpaid leave deducts
``(base + allowances) * days / days in month``.

**Separation of duties.** ``payroll.prepare`` runs a month; someone else with
``payroll.approve`` approves, posts and pays it (the database refuses an approval by the
preparer).
"""

from __future__ import annotations

from bo_console.hr.service.payroll.compute import (
    PROGRESS_STEP,
    Progress,
    Slip,
    _Inputs,
    _Staff,
    compute_period,
    compute_slip,
)
from bo_console.hr.service.payroll.inputs import (
    INPUT_COLUMNS,
    add_input,
    clear_inputs,
    import_inputs,
    input_columns,
    list_inputs,
)
from bo_console.hr.service.payroll.jobs import (
    MonthOutcome,
    StepOutcome,
    approve,
    pay_to_file,
    post,
    preview_month,
    run_month,
    write_transfers,
    write_wps_file,
)
from bo_console.hr.service.payroll.opening import OpeningResult, open_provisions
from bo_console.hr.service.payroll.payment import (
    TRANSFER_COLUMNS,
    pay_run,
    transfer_rows,
)
from bo_console.hr.service.payroll.payslip_pdf import (
    PayslipSheet,
    payslip_sheets,
    write_payslips,
)
from bo_console.hr.service.payroll.posting import (
    ACCOUNTS,
    LedgerLine,
    account_codes,
    journal_preview,
    post_run,
    post_to_ledger,
    posting_lines,
)
from bo_console.hr.service.payroll.queries import (
    PAYSLIP_COLUMNS,
    RUN_COLUMNS,
    export_payslips,
    list_runs,
    payslips,
    payslips_source,
    runs_overview,
)
from bo_console.hr.service.payroll.rules import (
    PAY_AMOUNTS,
    RULE_KEYS,
    RUN_AMOUNTS,
    PayRules,
    load_rules,
    round_minor,
    rules_rows,
    set_rule,
)
from bo_console.hr.service.payroll.runs import (
    RunResult,
    approve_run,
    discard_run,
    get_run,
    live_run,
    run_payroll,
    settle_off_cycle,
)

__all__ = [
    "ACCOUNTS",
    "INPUT_COLUMNS",
    "LedgerLine",
    "MonthOutcome",
    "PAYSLIP_COLUMNS",
    "PAY_AMOUNTS",
    "PROGRESS_STEP",
    "OpeningResult",
    "PayRules",
    "PayslipSheet",
    "Progress",
    "RULE_KEYS",
    "RUN_AMOUNTS",
    "RUN_COLUMNS",
    "RunResult",
    "Slip",
    "StepOutcome",
    "TRANSFER_COLUMNS",
    "_Inputs",
    "_Staff",
    "account_codes",
    "add_input",
    "approve",
    "approve_run",
    "clear_inputs",
    "compute_period",
    "compute_slip",
    "discard_run",
    "export_payslips",
    "get_run",
    "import_inputs",
    "input_columns",
    "journal_preview",
    "list_inputs",
    "list_runs",
    "live_run",
    "load_rules",
    "open_provisions",
    "pay_run",
    "pay_to_file",
    "payslip_sheets",
    "payslips",
    "payslips_source",
    "post",
    "post_run",
    "post_to_ledger",
    "posting_lines",
    "preview_month",
    "round_minor",
    "rules_rows",
    "run_month",
    "run_payroll",
    "runs_overview",
    "set_rule",
    "settle_off_cycle",
    "transfer_rows",
    "write_payslips",
    "write_transfers",
    "write_wps_file",
]
