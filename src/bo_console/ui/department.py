"""Where department screens used to find their base classes; they live in ``ui.kit`` now.

Kept so that ``from bo_console.ui.department import DepartmentScreen, ListPane, Tab`` goes on
working; new code imports from ``bo_console.ui.kit``.
"""

from bo_console.ui.kit.department import DepartmentScreen, Tab
from bo_console.ui.kit.list_pane import Exporter, ListPane, generic_exporter

__all__ = ["DepartmentScreen", "Exporter", "ListPane", "Tab", "generic_exporter"]
