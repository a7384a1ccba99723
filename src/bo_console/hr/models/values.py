"""Values HR takes as people type them: amounts of money and IBANs.

Pure functions, no store: the employee models validate with them, and the services use them.
"""

from __future__ import annotations

import re

# -- money ------------------------------------------------------------------------------------


MAX_AMOUNT = 10**12 - 1
"""The largest amount HR takes (minor units): far above any pay, and small enough that a pay
run's sums over every employee stay within the store's 64-bit integers."""


def parse_money(text: str, exponent: int) -> int:
    """An amount as a person types it, in minor units, no larger than :data:`MAX_AMOUNT`.

    Raises:
        ValueError: not an amount, more decimals than the currency has, or too large.
    """
    from bo_console.core.money import from_minor, to_minor

    minor = to_minor(text, exponent)
    if abs(minor) > MAX_AMOUNT:
        raise ValueError(
            f"{text.strip()!r} is too large (at most {from_minor(MAX_AMOUNT, exponent)})"
        )
    return minor


# -- IBAN -------------------------------------------------------------------------------------

IBAN_LENGTHS = {
    "SA": 24,
    "AE": 23,
    "BH": 22,
    "KW": 30,
    "OM": 23,
    "QA": 29,
    "JO": 30,
    "EG": 29,
    "LB": 28,
    "GB": 22,
    "DE": 22,
    "FR": 27,
    "NL": 18,
    "IE": 22,
    "TR": 26,
    "PK": 24,
}
"""IBAN lengths of the countries staff are usually paid in; others get the generic 15-34."""


def normalise_iban(text: str) -> str:
    """An IBAN without spaces, upper case, checked with ISO 13616's mod-97 rule.

    Raises:
        ValueError: wrong shape, wrong length for the country, or the check digits fail.
    """
    iban = re.sub(r"[\s-]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        raise ValueError("an IBAN is 2 letters, 2 check digits and up to 30 letters or digits")
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        raise ValueError(f"a {iban[:2]} IBAN has {expected} characters, not {len(iban)}")
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(digits) % 97 != 1:
        raise ValueError("the IBAN's check digits are wrong (mistyped?)")
    return iban


def make_iban(country: str, bban: str) -> str:
    """An IBAN with correct check digits for ``bban`` (demo data and tests)."""
    digits = "".join(str(int(ch, 36)) for ch in (bban + country + "00").upper())
    check = 98 - int(digits) % 97
    return f"{country.upper()}{check:02d}{bban.upper()}"
