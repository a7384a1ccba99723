"""Payroll's item on finance's month-end checklist, kept importable from here:
:mod:`bo_console.hr.service.pay_run_check` holds it."""

from bo_console.hr.service.pay_run_check import unposted_pay_runs as unposted_pay_runs
