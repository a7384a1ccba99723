"""Filed VAT returns: what was declared for a period, kept as filed.

A filed return is never changed (triggers refuse it): a later posting into a filed period is
declared as a correction in the next return, and a credit (a refund position) is carried
forward into it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow


class VatFiling(SQLModel, table=True):
    """One filed VAT return: its period and the figures of boxes 13 to 16, in minor units."""

    __tablename__ = "fin_vat_return"
    __table_args__ = (
        CheckConstraint("first_day <= last_day", name="ck_fin_vat_return_days"),
        CheckConstraint(
            "net_due = vat_due + corrections - credit_brought_forward",
            name="ck_fin_vat_return_net",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=8, unique=True)
    first_day: date
    last_day: date
    output_vat: int
    input_vat: int
    vat_due: int
    """Box 13: output VAT (with the reverse charge) less input VAT of the period's own activity."""
    corrections: int = 0
    credit_brought_forward: int = 0
    net_due: int
    filed_at: datetime = Field(default_factory=utcnow)
    filed_by: str = Field(max_length=64)
