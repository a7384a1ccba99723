"""The statutory arithmetic of a payslip: social insurance rates by nationality and cohort,
the end-of-service award by leaving reason, Art. 77 compensation, service length.

Pure functions over :class:`PayRules`; the article or rule behind each default is beside it
in ``rules.py`` and in ``docs/payroll-rules.md``.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import lru_cache

from bo_console.hr.service.payroll.rules import PayRules

FULL_AWARD_REASONS = frozenset(
    {"termination", "contract_end", "unfair_termination", "force_majeure"}
)
"""Leaving reasons that earn the full Art. 84 award (Art. 84; Art. 87 for force majeure)."""


def new_law_cohort(rules: PayRules, joined: date) -> bool:
    """Whether someone who first joined social insurance on ``joined`` is in the new-law cohort."""
    return joined >= rules.si_new_law_from


def annuity_share(rules: PayRules, joined: date, month_start: date) -> Fraction:
    """One side's annuity share for a Saudi in the month starting ``month_start``: the base rate,
    stepped each July for the new-law cohort up to its ceiling."""
    share = Fraction(rules.si_annuity_employee)
    if not new_law_cohort(rules, joined):
        return share
    first = rules.si_new_law_first_step
    steps = 0
    if month_start >= first:
        steps = month_start.year - first.year + 1
        if (month_start.month, month_start.day) < (first.month, first.day):
            steps -= 1
    stepped = share + steps * Fraction(rules.si_new_law_step)
    return min(stepped, Fraction(rules.si_new_law_annuity_max))


def si_rates(
    rules: PayRules, nationality: str, joined: date, month_start: date
) -> tuple[Fraction, Fraction]:
    """(employee, employer) social insurance rates on the contributory wage (see
    :func:`_si_rates`); the same few combinations repeat for a whole pay run, so they are
    worked out once."""
    cohort = joined if new_law_cohort(rules, joined) else date.min
    return _si_rates(rules, nationality, cohort, month_start)


@lru_cache(maxsize=256)
def _si_rates(
    rules: PayRules, nationality: str, joined: date, month_start: date
) -> tuple[Fraction, Fraction]:
    """(employee, employer) social insurance rates on the contributory wage.

    Saudis: annuities and unemployment on both sides, occupational hazards by the employer.
    GCC nationals: their home state's rate set, plus occupational hazards. Anyone else: the
    employee pays nothing, the employer occupational hazards only.
    """
    hazards = Fraction(rules.si_hazards_employer)
    if nationality == "saudi":
        annuity = annuity_share(rules, joined, month_start)
        employer_annuity = (
            annuity - Fraction(rules.si_annuity_employee) + Fraction(rules.si_annuity_employer)
        )
        return (
            annuity + Fraction(rules.si_saned_employee),
            employer_annuity + Fraction(rules.si_saned_employer) + hazards,
        )
    if nationality == "gcc":
        return Fraction(rules.si_gcc_employee), Fraction(rules.si_gcc_employer) + hazards
    return Fraction(0), hazards


def service_years(hired: date, last_day: date, excluded_days: int = 0) -> Fraction:
    """Years of service from the hire date to the last day, both counted, less days that do not
    count (unpaid leave beyond the grace, art. 116); a year is 365 days."""
    days = (last_day - hired).days + 1 - excluded_days
    return Fraction(max(days, 0), 365)


def full_award_months(years: Fraction) -> Fraction:
    """Art. 84: half a month's wage for each of the first five years, a month for each year
    after, part years pro rata."""
    if years <= 5:
        return years / 2
    return Fraction(5, 2) + years - 5


def award_share(reason: str | None, years: Fraction) -> Fraction:
    """The share of the full award a leaver receives (Art. 85 for a resignation: nothing under
    two years, a third from two to five, two thirds from five to ten, all from ten; Art. 80
    dismissal: nothing; otherwise the full award)."""
    if reason == "dismissal":
        return Fraction(0)
    if reason == "resignation":
        if years < 2:
            return Fraction(0)
        if years < 5:
            return Fraction(1, 3)
        if years < 10:
            return Fraction(2, 3)
        return Fraction(1)
    return Fraction(1)


def eos_award(rules: PayRules, reason: str | None, wage: int, years: Fraction) -> Fraction:
    """The end-of-service award in minor units (exact), by leaving reason."""
    if not rules.end_of_service:
        return Fraction(0)
    return wage * full_award_months(years) * award_share(reason, years)


def art77_compensation(
    rules: PayRules,
    reason: str | None,
    wage: int,
    years: Fraction,
    remaining_days: int | None = None,
) -> Fraction:
    """Art. 77 compensation for termination without a valid reason: for an indefinite
    contract ``art77_days_per_year`` days' wage per year of service (art. 77(1)); for a
    fixed-term contract (``remaining_days`` given: the calendar days from the day after the
    last day to the contract's end) the wage of the remaining term, months of 365/12 days
    (art. 77(2)); either way at least ``art77_minimum_months`` months' wage (art. 77(3)).
    Other reasons: nothing."""
    if reason != "unfair_termination":
        return Fraction(0)
    if remaining_days is not None:
        owed = wage * Fraction(12 * max(remaining_days, 0), 365)
    else:
        owed = wage * years * Fraction(rules.art77_days_per_year, 30)
    return max(owed, Fraction(wage * rules.art77_minimum_months))
