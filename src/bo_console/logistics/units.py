"""Units: an item is stocked in its base unit ("each") and may be bought in a purchase unit
("box" of 12). Quantities in the books are whole base units; a line ordered in boxes keeps
its unit for display, and its quantity and price are converted exactly (``Decimal``, never a
float): a price per box that does not split into whole minor units per base unit is refused
rather than rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed
from bo_console.logistics.order_view import in_units as in_units

if TYPE_CHECKING:
    from bo_console.logistics.models import Item


@dataclass(frozen=True)
class Converted:
    """A quantity and a price in base units, and the unit they were given in."""

    quantity: int
    unit_price: int | None
    unit: str
    factor: int


def factor_of(item: Item, unit: str | None) -> tuple[str, int]:
    """(unit, base units per unit) for ``unit`` of ``item``: its base unit (None or its name)
    is ("", 1).

    Raises:
        ValidationFailed: a unit the item is neither stocked nor bought in.
    """
    if unit is None or not unit.strip() or unit.strip().casefold() == item.unit.casefold():
        return "", 1
    if item.purchase_unit and unit.strip().casefold() == item.purchase_unit.casefold():
        return item.purchase_unit, item.purchase_factor
    units = " or ".join(u for u in (item.unit, item.purchase_unit) if u)
    raise ValidationFailed(f"{item.sku} comes in {units}, not {unit.strip()!r}")


def to_base(item: Item, quantity: int, unit_price: int | None, unit: str | None) -> Converted:
    """``quantity`` (and ``unit_price``, minor units) given in ``unit`` as base units.

    Raises:
        ValidationFailed: an unknown unit, or a price that does not divide exactly.
    """
    name, factor = factor_of(item, unit)
    price = None
    if unit_price is not None:
        exact = Decimal(unit_price) / Decimal(factor)
        if exact != exact.to_integral_value():
            raise ValidationFailed(
                f"{item.sku}: a price of {unit_price} per {name} of {factor} is {exact:.4f} per "
                f"{item.unit}, not a whole minor unit; give the price per {item.unit}"
            )
        price = int(exact)
    return Converted(quantity * factor, price, name, factor)
