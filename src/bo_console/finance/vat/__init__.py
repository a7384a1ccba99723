"""VAT as ZATCA asks: the return in its boxes for a month or a quarter, and filing it."""

from bo_console.finance.vat.filing import FilingView, file_return, list_filings
from bo_console.finance.vat.returns import (
    BOX_LABELS,
    FILING_SETTING,
    FILINGS,
    VatBox,
    ZatcaReturn,
    filing,
    period_bounds,
    set_filing,
    zatca_return,
)

__all__ = [
    "BOX_LABELS",
    "FILINGS",
    "FILING_SETTING",
    "FilingView",
    "VatBox",
    "ZatcaReturn",
    "file_return",
    "filing",
    "list_filings",
    "period_bounds",
    "set_filing",
    "zatca_return",
]
