"""Money: integer minor units in the database, exact ``Decimal`` in Python, never float.

A currency's exponent says how many minor units make one major unit (2 for SAR: 100 halalas;
3 for KWD: 1000 fils). Amounts cross the boundary only through :func:`to_minor` and
:func:`from_minor`. There is one rounding rule, half away from zero ("half-up" as people
mean it), in :func:`round_minor`, and one way to split an amount, :func:`allocate` (largest
remainder), so parts always add up to the whole.

Light imports only: the CLI may use this module at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

DEFAULT_EXPONENT = 2

CURRENCY_EXPONENTS = {
    "SAR": 2,
    "AED": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "EGP": 2,
    "QAR": 2,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "JOD": 3,
}
"""Currencies the books may be kept in, with their minor-unit exponent."""

# Arabic-Indic and Eastern Arabic-Indic digits, and the Arabic decimal and thousands marks,
# as clerks may type them on an Arabic keyboard.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u066b": ".",
        "\u066c": ",",
        "\u2212": "-",
    }
)
_AMOUNT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?$")


def exponent_of(currency: str) -> int:
    """The minor-unit exponent of a currency code (2 when the code is not known)."""
    return CURRENCY_EXPONENTS.get(currency.strip().upper(), DEFAULT_EXPONENT)


def round_minor(value: Decimal | int, exponent: int) -> int:
    """Round an amount in major units to whole minor units, half away from zero.

    ``round_minor(Decimal("0.125"), 2) == 13`` and ``round_minor(Decimal("-0.125"), 2) == -13``.
    """
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{value} is not an amount")
    return int(value.scaleb(exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_minor(value: Decimal | int | str, exponent: int) -> int:
    """An exact amount in major units as integer minor units.

    Raises:
        ValueError: not a number, or more decimals than the currency has (use
            :func:`round_minor` when rounding is meant).
    """
    if isinstance(value, str):
        return parse_amount(value, exponent)
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal or a string")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{value} is not an amount")
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {exponent} decimals")
    return int(scaled)


def from_minor(minor: int, exponent: int) -> Decimal:
    """Minor units as an exact Decimal with the currency's decimals (``1250`` -> ``12.50``)."""
    return Decimal(minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def parse_amount(text: str, exponent: int) -> int:
    """An amount as a person types it, in minor units.

    Accepts ``1234.5``, ``1,234.50``, ``-12``, ``(12.00)`` for a negative amount, and
    Arabic-Indic digits. Never rounds.

    Raises:
        ValueError: with a message that says what is wrong.
    """
    raw = text.strip().translate(_DIGITS).replace(" ", "").replace("\u00a0", "")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1], True
    if not raw or not _AMOUNT.match(raw) or raw in ("+", "-", ".", "+.", "-."):
        raise ValueError(f"{text.strip()!r} is not an amount")
    if raw[0] in "+-":
        negative = negative != (raw[0] == "-")
        raw = raw[1:]
    whole, _, fraction = raw.replace(",", "").partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) > exponent:
        raise ValueError(f"{text.strip()!r} has more than {exponent} decimals")
    minor = int((whole or "0") + fraction.ljust(exponent, "0"))
    return -minor if negative else minor


def format_amount(minor: int, exponent: int, *, grouping: bool = True) -> str:
    """Minor units as text with the currency's decimals: ``123456`` -> ``1,234.56``."""
    value = from_minor(minor, exponent)
    return f"{value:,.{exponent}f}" if grouping else f"{value:.{exponent}f}"


def apply_rate(minor: int, rate: Decimal | int | str) -> int:
    """``minor`` times a rate (``Decimal("0.15")`` for 15 %), rounded half-up to a minor unit."""
    factor = Decimal(rate) if not isinstance(rate, Decimal) else rate
    return round_minor(Decimal(minor) * factor, 0)


def allocate(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights``, losing and creating nothing.

    Largest remainder: every part first gets the floor of its exact share, then the units
    left over go one each to the parts with the largest remainders (earlier parts first on a
    tie). The parts always sum to ``total`` and each is within one unit of its exact share.

    Raises:
        ValueError: no weights, a negative weight, or all weights zero.
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    exact = [Decimal(w) for w in weights]
    if any(w < 0 or not w.is_finite() for w in exact):
        raise ValueError("weights must be zero or positive")
    whole = sum(exact, Decimal(0))
    if whole == 0:
        raise ValueError("at least one weight must be more than zero")
    sign = -1 if total < 0 else 1
    remaining = abs(total)
    parts: list[int] = []
    remainders: list[tuple[Decimal, int]] = []
    for index, weight in enumerate(exact):
        share = Decimal(remaining) * weight / whole
        floor = int(share)  # shares are positive, so int() is the floor
        parts.append(floor)
        remainders.append((share - floor, index))
    left = remaining - sum(parts)
    for _, index in sorted(remainders, key=lambda r: (-r[0], r[1]))[:left]:
        parts[index] += 1
    return [sign * p for p in parts]


@dataclass(frozen=True)
class Currency:
    """A currency code with its exponent; the books' base currency is one of these."""

    code: str
    exponent: int

    @classmethod
    def of(cls, code: str) -> Currency:
        return cls(code.strip().upper(), exponent_of(code))

    def to_minor(self, value: Decimal | int | str) -> int:
        return to_minor(value, self.exponent)

    def from_minor(self, minor: int) -> Decimal:
        return from_minor(minor, self.exponent)

    def parse(self, text: str) -> int:
        return parse_amount(text, self.exponent)

    def format(self, minor: int, *, grouping: bool = True) -> str:
        return format_amount(minor, self.exponent, grouping=grouping)

    def round(self, value: Decimal | int) -> int:
        return round_minor(value, self.exponent)


def base_currency(db: Reads) -> Currency:
    """The currency the books are kept in (chosen with ``bo init --currency``), read through a
    session or a Reader."""
    from bo_console.core import settings

    return Currency.of(settings.get(db, "base_currency") or "SAR")
