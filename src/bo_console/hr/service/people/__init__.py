"""Org units, positions and employees: the service behind ``bo hr employees`` and the HR screen.

Confidential fields are read from ``hr_employee_private`` only when the caller asks to reveal
them and holds ``hr.confidential``; each reveal writes an audit row naming whose records were
seen (never the values). Everyone else gets :data:`~bo_console.hr.common.MASK` in their place,
cannot sort or filter by them, and a text search never looks at them.
"""

from __future__ import annotations

from bo_console.hr.models.employees import (
    EmployeeCreate,
    EmployeeUpdate,
    HireTerms,
    employee_create,
    employee_update,
    field_problem,
    form_changes,
    hire_terms,
)
from bo_console.hr.service.people.employees import (
    create_employee,
    terminate_employee,
    update_employee,
)
from bo_console.hr.service.people.io import (
    TEXT_COLUMNS,
    export_employees,
    import_columns,
    import_employees,
)
from bo_console.hr.service.people.org import (
    add_org_unit,
    add_position,
    list_org_units,
    list_positions,
    org_unit,
    position,
)
from bo_console.hr.service.people.queries import (
    LIST_SALARY_FIELDS,
    REPORT_COLUMNS,
    SORTS,
    EmployeeQuery,
    EmployeeRow,
    employee_actions,
    employee_record,
    employees_select,
    employees_source,
    get_employee,
    headcount_report,
    list_employees,
    search_condition,
    sort_expression,
)
from bo_console.hr.service.people.salary import (
    ComponentView,
    SalaryLineView,
    add_component,
    list_components,
    salary_history,
    set_salary,
)

__all__ = [
    "ComponentView",
    "SalaryLineView",
    "add_component",
    "list_components",
    "salary_history",
    "set_salary",
    "EmployeeCreate",
    "EmployeeUpdate",
    "HireTerms",
    "hire_terms",
    "employee_create",
    "employee_update",
    "field_problem",
    "form_changes",
    "EmployeeQuery",
    "EmployeeRow",
    "LIST_SALARY_FIELDS",
    "REPORT_COLUMNS",
    "SORTS",
    "TEXT_COLUMNS",
    "add_org_unit",
    "add_position",
    "create_employee",
    "employee_actions",
    "employee_record",
    "employees_select",
    "employees_source",
    "export_employees",
    "get_employee",
    "headcount_report",
    "import_columns",
    "import_employees",
    "list_employees",
    "list_org_units",
    "list_positions",
    "org_unit",
    "position",
    "search_condition",
    "sort_expression",
    "terminate_employee",
    "update_employee",
]
