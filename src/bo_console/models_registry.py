"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic)."""

from bo_console.core import models as core_models
from bo_console.data import models as data_models
from bo_console.finance import bank_models as finance_bank_models
from bo_console.finance import cost_centre_models as finance_cost_centre_models
from bo_console.finance import document_models as finance_document_models
from bo_console.finance import models as finance_models
from bo_console.finance import note_models as finance_note_models
from bo_console.finance import vat_models as finance_vat_models
from bo_console.hr import models as hr_models
from bo_console.it import models as it_models
from bo_console.logistics import count_models as logistics_count_models
from bo_console.logistics import models as logistics_models
from bo_console.logistics import return_models as logistics_return_models
from bo_console.logistics import serial_models as logistics_serial_models

__all__ = [
    "core_models",
    "data_models",
    "finance_bank_models",
    "finance_cost_centre_models",
    "finance_vat_models",
    "finance_document_models",
    "finance_models",
    "finance_note_models",
    "hr_models",
    "it_models",
    "logistics_count_models",
    "logistics_models",
    "logistics_return_models",
    "logistics_serial_models",
]
