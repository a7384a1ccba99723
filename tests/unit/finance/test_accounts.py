"""The chart of accounts: the seeded chart, adding, changing, deactivating, deleting."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import service
from bo_console.finance.chart import ACCOUNT_ROLES, SEED_CHART
from bo_console.finance.models import AccountCreate, AccountUpdate
from bo_console.hr.service.payroll import ACCOUNTS as PAYROLL_ACCOUNTS
from tests.unit.finance.conftest import Poster, Team, entry, sale


def test_the_seeded_chart(store: Store, team: Team) -> None:
    with store.read() as session:
        accounts = service.list_accounts(session, team.clerk)
    by_code = {a.code: a for a in accounts}
    assert 60 <= len(accounts) <= 140 and len(accounts) == len(SEED_CHART)
    assert [a.code for a in accounts if a.depth == 0] == ["1000", "2000", "3000", "4000", "5000"]
    for view in accounts:
        if view.parent:
            assert by_code[view.parent].type == view.type, view.code
            assert not by_code[view.parent].postable
    for code, _ in [*ACCOUNT_ROLES.values(), *PAYROLL_ACCOUNTS.values()]:
        assert by_code[code].postable and by_code[code].active, code
    assert by_code["2210"].full_name == "Liabilities:Current liabilities:Taxes payable:VAT output"
    assert by_code["1430"].name_ar.startswith("ضريبة")
    with store.read() as session:
        assert service.account_for_role(session, "vat_output") == "2210"


def test_search_and_filters(store: Store, team: Team) -> None:
    with store.read() as session:
        vat = service.list_accounts(session, team.clerk, search="vat")
        arabic = service.list_accounts(session, team.clerk, search="الراجحي")
        income = service.list_accounts(session, team.clerk, account_type="income")
    assert {a.code for a in vat} == {"1430", "2210", "2220"}
    assert [a.code for a in arabic] == ["1110"]
    assert {a.type for a in income} == {"income"}


def test_add_account_under_a_group(store: Store, team: Team, post: Poster) -> None:
    data = AccountCreate(code="1160", name="Riyad Bank current account", type="asset")
    with store.write() as session:
        service.add_account(session, team.manager, data, parent="1100")
    post(date(2026, 1, 5), ("1160", 100, 0), ("3100", 0, 100))
    with store.read() as session:
        view = service.get_account(session, team.clerk, "1160")
    assert view.full_name == "Assets:Cash and banks:Riyad Bank current account"
    with pytest.raises(PermissionDenied), store.write() as session:
        service.add_account(session, team.clerk, data.model_copy(update={"code": "1170"}))


@pytest.mark.parametrize(
    ("code", "name", "kind", "parent", "error", "match"),
    [
        ("1110", "Another", "asset", "1100", RuleViolation, "already used"),
        ("1161", "petty cash", "asset", "1100", RuleViolation, "already has that name"),
        ("1162", "Loan", "liability", "1100", ValidationFailed, "cannot sit under"),
        ("1163", "Box", "asset", "9999", ValidationFailed, "no parent"),
    ],
)
def test_add_account_refusals(
    store: Store,
    team: Team,
    code: str,
    name: str,
    kind: str,
    parent: str,
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match), store.write() as session:
        service.add_account(
            session, team.manager, AccountCreate(code=code, name=name, type=kind), parent=parent
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Cash: main"), ("name", "two  spaces"), ("type", "revenue"), ("code", "11 10")],
)
def test_account_fields_are_validated(field: str, value: str) -> None:
    fields = {"code": "1190", "name": "Box", "type": "asset"} | {field: value}
    with pytest.raises(ValidationError):
        AccountCreate.model_validate(fields)


def test_rename_and_move(store: Store, team: Team) -> None:
    with store.write() as session:
        service.update_account(
            session, team.manager, "1150", AccountUpdate(name="Petty cash - Jeddah"), parent="1400"
        )
    with store.read() as session:
        view = service.get_account(session, team.clerk, "1150")
    assert view.full_name == "Assets:Prepayments and other current assets:Petty cash - Jeddah"
    with pytest.raises(RuleViolation, match="under itself"), store.write() as session:
        service.update_account(session, team.manager, "1000", AccountUpdate(), parent="1100")


def test_an_account_with_postings_is_deactivated_not_deleted(
    store: Store, team: Team, post: Poster
) -> None:
    posted = post(date(2026, 1, 5), *sale(10000))
    with pytest.raises(RuleViolation, match="deactivate it instead"), store.write() as session:
        service.delete_account(session, team.manager, "4100")
    with pytest.raises(RuleViolation, match="has a balance"), store.write() as session:
        service.set_active(session, team.manager, "4100", active=False)
    with store.write() as session:
        service.reverse_entry(session, team.clerk, posted.ref)
        assert service.set_active(session, team.manager, "4100", active=False) is True
        assert service.set_active(session, team.manager, "4100", active=False) is False
    with pytest.raises(ValidationFailed, match="inactive"), store.write() as session:
        service.post_entry(session, team.clerk, entry(date(2026, 1, 6), *sale(100)))
    with store.write() as session:
        service.delete_account(session, team.manager, "6510")  # never used
    with store.read() as session:
        assert service.load_chart(session).find("6510") is None


def test_a_group_with_active_children_stays_active(store: Store, team: Team) -> None:
    with pytest.raises(RuleViolation, match="active sub-accounts"), store.write() as session:
        service.set_active(session, team.manager, "1100", active=False)
