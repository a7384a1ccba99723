"""The parts every back-office screen is made of.

A department screen is a package of small modules, one per tab or dialog, composed of:

- :mod:`.department`: ``DepartmentScreen`` and ``Tab`` (numbered tabs, built when first shown,
  ``on_first_show()``);
- :mod:`.list_pane`: ``ListPane`` (a virtual table with filter, order, export; ``PERMS``,
  ``LISTENS``, ``open_row``);
- :mod:`.short_list`: ``ShortListPane`` (a DataTable for a few rows, cursor kept on refill);
- :mod:`.record_dialog`: ``RecordDialog`` (one record and its actions; returns a ``Choice``);
- :mod:`.line_items`: ``LineItemsForm`` and ``LineRow`` (head, numbered lines, save or post);
- :mod:`.form`: ``FormScreen``, ``FormField`` and the field checks;
- :mod:`.form_dialog`: ``form_dialog`` and ``FormSpec`` (a modal form for one service call,
  fields mapped to a pydantic Create model);
- :mod:`.actions`: the one write path and ``ServiceAction`` (check, confirm, run, announce);
- :mod:`.jobs`: ``JobStrip`` (a background job with a progress bar);
- :mod:`.report_view`: ``ReportPane`` and ``fit_columns``;
- :mod:`.events`: ``DataChanged`` and ``announce`` (panes refresh by topic);
- :mod:`.notify`: ``show_error`` (one toast for a refusal);
- :mod:`.record_items`: ``show_record_items`` (the open work items of one record);
- :mod:`.busy`: ``StoreBusy`` and ``BusyDialog`` (a store held by another write: say what
  holds it, keep the work, try again or cancel).

See ``docs/ui-kit.md`` for an example of each. The kit knows no department.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bo_console.ui.kit.actions import (
        ServiceAction,
        dry_run,
        form_action,
        read,
        run_action,
        try_write,
        write,
    )
    from bo_console.ui.kit.busy import BusyDialog, StoreBusy, ask_retry
    from bo_console.ui.kit.department import DepartmentScreen, Tab
    from bo_console.ui.kit.events import DataChanged, announce
    from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of
    from bo_console.ui.kit.form_dialog import FormSpec, form_dialog
    from bo_console.ui.kit.jobs import JobStrip, start_job
    from bo_console.ui.kit.line_items import Collected, LineColumn, LineItemsForm, LineRow
    from bo_console.ui.kit.list_pane import ListPane, Row
    from bo_console.ui.kit.notify import show_error
    from bo_console.ui.kit.record_dialog import (
        ActionKey,
        Choice,
        RecordDialog,
        RecordSpec,
        TableSpec,
    )
    from bo_console.ui.kit.record_items import RecordItemsDialog, show_record_items
    from bo_console.ui.kit.report_view import ReportPane, fit_columns
    from bo_console.ui.kit.short_list import ColumnSpec, ListRow, ShortListPane

_HOMES = {
    "ActionKey": "record_dialog",
    "BusyDialog": "busy",
    "Choice": "record_dialog",
    "Collected": "line_items",
    "ColumnSpec": "short_list",
    "DataChanged": "events",
    "DepartmentScreen": "department",
    "FormField": "form",
    "FormScreen": "form",
    "FormSpec": "form_dialog",
    "JobStrip": "jobs",
    "LineColumn": "line_items",
    "LineItemsForm": "line_items",
    "LineRow": "line_items",
    "ListPane": "list_pane",
    "ListRow": "short_list",
    "RecordDialog": "record_dialog",
    "RecordItemsDialog": "record_items",
    "RecordSpec": "record_dialog",
    "ReportPane": "report_view",
    "Row": "list_pane",
    "ServiceAction": "actions",
    "ShortListPane": "short_list",
    "StoreBusy": "busy",
    "Tab": "department",
    "TableSpec": "record_dialog",
    "announce": "events",
    "ask_retry": "busy",
    "date_check": "form",
    "dry_run": "actions",
    "fit_columns": "report_view",
    "form_action": "actions",
    "form_dialog": "form_dialog",
    "one_of": "form",
    "read": "actions",
    "run_action": "actions",
    "show_error": "notify",
    "show_record_items": "record_items",
    "start_job": "jobs",
    "try_write": "actions",
    "write": "actions",
}
"""Where each name lives: importing one part does not import the others (a screen that
shows a list does not pay for the forms, dialogs and jobs it has not opened yet)."""


def __getattr__(name: str) -> Any:
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ActionKey",
    "BusyDialog",
    "Choice",
    "Collected",
    "ColumnSpec",
    "DataChanged",
    "DepartmentScreen",
    "FormField",
    "FormScreen",
    "FormSpec",
    "JobStrip",
    "start_job",
    "LineColumn",
    "LineItemsForm",
    "LineRow",
    "ListPane",
    "ListRow",
    "RecordDialog",
    "RecordItemsDialog",
    "RecordSpec",
    "ReportPane",
    "Row",
    "ServiceAction",
    "ShortListPane",
    "StoreBusy",
    "Tab",
    "TableSpec",
    "announce",
    "ask_retry",
    "date_check",
    "dry_run",
    "fit_columns",
    "form_action",
    "form_dialog",
    "one_of",
    "read",
    "run_action",
    "show_error",
    "show_record_items",
    "try_write",
    "write",
]
