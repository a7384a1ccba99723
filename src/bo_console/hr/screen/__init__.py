"""The HR screen: employees, recruiting, training, leave, payroll, and the HR inbox.

Thin over the HR services: every read and change is a service call in its own short unit of
work, and what a service refuses is shown as it says it. The services decide what is
confidential: an employee card shows salaries, IBANs and national IDs only when
``people.get_employee`` revealed them (and recorded the view), the Employees list shows pay
only through ``people.employees_source(reveal=True)`` (each block read is audited), and pay runs
show their totals only when ``payroll.runs_overview`` says they are revealed. Keys for actions
the user's role cannot take are hidden. Tabs other than Employees read their data when first
shown, so the screen opens as fast as the Employees list does.

One module per tab; this one holds the screen that puts them together.
"""

from __future__ import annotations

from collections.abc import Iterable

from bo_console.hr.screen.employees import EmployeeCard, EmployeesPane, employee_form
from bo_console.hr.screen.leave import LeavePane
from bo_console.hr.screen.payroll import PayrollPane
from bo_console.hr.screen.recruiting import RecruitingPane
from bo_console.hr.screen.training import EnrollmentsScreen, TrainingPane
from bo_console.ui.kit import DepartmentScreen, Tab


class HRScreen(DepartmentScreen):
    """HR: employees, recruiting, training, leave, payroll and the HR inbox."""

    DEPARTMENT = "hr"
    SCREEN_TITLE = "HR and payroll"
    LINK_TABS = {"employee": "employees", "candidate": "recruiting", "certification": "training"}
    HELP = (
        "Employees: / finds a name in Arabic or Latin script (any alef form, ta marbuta or "
        "case), a number, e-mail or phone; o changes the order; enter opens the card (salary, "
        "IBAN, national ID and date of birth only for hr.confidential, and each view is "
        "recorded in the audit trail); n adds, e edits; s shows salary columns (audited); x "
        "exports what is shown. Recruiting: openings above, their candidates below (tab "
        "moves between them); m moves a candidate to the next stage, d rejects, h hires (the "
        "employee is created and IT gets an onboarding item), w adds an opening, t a note. "
        "Training: v switches sessions, courses and expiring certifications; enter on a session "
        "lists its enrollments. Leave: v switches requests and balances; a approves and d "
        "rejects (the employee's manager or HR, never the requester); / picks an employee. "
        "Payroll: n runs a month (in the background), a approves (not the preparer), p posts "
        "to the ledger, y pays and writes the bank transfer file; enter shows the payslips."
    )

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        yield Tab("employees", "Employees", lambda: EmployeesPane(app))
        yield Tab("recruiting", "Recruiting", RecruitingPane)
        yield Tab("training", "Training", TrainingPane)
        yield Tab("leave", "Leave", LeavePane)
        yield Tab("payroll", "Payroll", PayrollPane)


__all__ = [
    "EmployeeCard",
    "EmployeesPane",
    "EnrollmentsScreen",
    "HRScreen",
    "LeavePane",
    "PayrollPane",
    "RecruitingPane",
    "TrainingPane",
    "employee_form",
]
