"""Parties: adding, finding (codes, ids, Arabic and Latin names), changing, listing with what
is open, importing all or nothing, exporting so the file imports back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.io import ImportRejected, write_file
from bo_console.finance import parties
from bo_console.finance.document_models import PartyCreate, PartyUpdate
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import add_parties, doc, pay

TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "finance-parties-template.csv"


def test_codes_are_given_or_the_next_free_one(store: Store, team: Team) -> None:
    with store.write() as session:
        first = parties.add_party(session, team.clerk, PartyCreate(name="Red Sea Hotels"))
        named = parties.add_party(
            session, team.clerk, PartyCreate(code="c-77", name="فنادق البحر الأحمر")
        )
        second = parties.add_party(session, team.clerk, PartyCreate(name="Gulf Catering"))
        with pytest.raises(RuleViolation, match="taken"):
            parties.add_party(session, team.clerk, PartyCreate(code="C-77", name="Other"))
        audit = session.execute(
            text("SELECT action, entity_id FROM audit_event WHERE entity = 'party' ORDER BY id")
        ).all()
    assert (first.code, named.code, second.code) == ("P00001", "C-77", "P00002")
    assert [tuple(a) for a in audit] == [
        ("create", "P00001"),
        ("create", "C-77"),
        ("create", "P00002"),
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tax_number": "123456789012345"}, "starts and ends with 3"),
        ({"tax_number": "12 3"}, "5 to 20"),
        ({"email": "accounts at example"}, "not an email"),
        ({"phone": "call me"}, "phone"),
        ({"is_customer": False, "is_supplier": False}, "customer, a supplier, or both"),
        ({"code": "has space"}, "without spaces"),
        ({"payment_terms": 400}, "the payment terms cannot be more than 365"),
        ({"name": "   "}, "name"),
    ],
)
def test_party_details_are_checked(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        parties.validate_party({"name": "Al Safa Hospital", **fields})


def test_saudi_vat_numbers_and_foreign_ones(store: Store) -> None:
    ok = parties.validate_party({"name": "x", "tax_number": "3001 1482 5600 003"})
    assert ok.tax_number == "300114825600003"
    assert parties.validate_party({"name": "x", "tax_number": "BH20001234"}).tax_number


def test_a_party_is_found_by_code_id_or_a_name_only_it_has(store: Store, team: Team) -> None:
    with store.write() as session:
        add_parties(session, team.clerk)
        parties.add_party(session, team.clerk, PartyCreate(code="C2", name="Al Safa Clinic"))
        parties.add_party(
            session, team.clerk, PartyCreate(code="C3", name="مستشفى الصفا", is_customer=True)
        )
        assert parties.find_party(session, "c1").code == "C1"
        assert parties.find_party(session, "#2").code == "S1"
        assert parties.find_party(session, "medline arabia").code == "B1"
        # Arabic folded: alef with hamza, ta marbuta and alef maqsura as typed differently.
        assert parties.find_party(session, "مصنع الخليج للتغليف").code == "S1"
        assert parties.find_party(session, "مستشفي الصفا").code == "C3"
        with pytest.raises(ValidationFailed, match="matches 2 parties"):
            parties.find_party(session, "al safa")
        with pytest.raises(NotFound):
            parties.find_party(session, "Nobody Trading")
        with pytest.raises(NotFound):
            parties.find_party(session, "#99")


def test_changes_are_checked_and_audited_field_by_field(store: Store, team: Team) -> None:
    with store.write() as session:
        add_parties(session, team.clerk)
        parties.update_party(
            session, team.clerk, "C1", PartyUpdate(email="ap@alsafa.example", payment_terms=45)
        )
        parties.update_party(session, team.clerk, "C1", PartyUpdate(payment_terms=45))  # same
        with pytest.raises(ValidationFailed, match="email"):
            parties.update_party(session, team.clerk, "C1", PartyUpdate(email="nope"))
    with store.write() as session:
        with pytest.raises(ValidationFailed, match="or both"):
            parties.update_party(session, team.clerk, "S1", PartyUpdate(is_supplier=False))
    with store.read() as session:
        row = parties.get_party(session, team.auditor, "C1")
        changes = session.execute(
            text("SELECT changes FROM audit_event WHERE entity = 'party' AND action = 'update'")
        ).all()
    assert (row.email, row.payment_terms) == ("ap@alsafa.example", 45)
    assert len(changes) == 1 and '"payment_terms":[30,45]' in changes[0][0]


def test_lists_show_what_is_open_and_filter(store: Store, team: Team) -> None:
    with store.write() as session:
        add_parties(session, team.clerk)
        invoice = doc(session, team.clerk, "invoice", "B1")
        doc(session, team.clerk, "bill", "B1")
        pay(session, team.clerk, 10_000, (invoice.ref, None), party="B1")
        parties.set_active(session, team.clerk, "S1", active=False)
    with store.read() as session:
        rows = {r.code: r for r in parties.list_parties(session, team.auditor)}
        suppliers = [r.code for r in parties.list_parties(session, team.clerk, role="supplier")]
        active = [r.code for r in parties.list_parties(session, team.clerk, include_inactive=False)]
        found = [r.code for r in parties.list_parties(session, team.clerk, search="الخليج")]
    assert (str(rows["B1"].receivable), str(rows["B1"].payable)) == ("423.25", "523.25")
    assert rows["B1"].role == "both" and rows["S1"].active is False
    assert suppliers == ["B1", "S1"] and active == ["B1", "C1"] and found == ["S1"]


def test_auditors_read_parties_but_do_not_add_them(store: Store, team: Team) -> None:
    with store.write() as session, pytest.raises(PermissionDenied):
        parties.add_party(session, team.auditor, PartyCreate(name="x"))


def test_the_template_imports_and_a_dry_run_writes_nothing(store: Store, team: Team) -> None:
    with store.write() as session:
        assert parties.import_parties(session, team.clerk, TEMPLATE, dry_run=True) == 4
    with store.read() as session:
        assert parties.list_parties(session, team.clerk) == []
    with store.write() as session:
        assert parties.import_parties(session, team.clerk, TEMPLATE) == 4
    with store.read() as session:
        rows = {r.code: r for r in parties.list_parties(session, team.clerk)}
    assert sorted(rows) == ["B0301", "C0101", "C0102", "S0201"]
    assert rows["C0102"].name == "مجموعة عيادات الشرقية" and rows["C0102"].payment_terms == 45
    assert rows["B0301"].role == "both" and rows["S0201"].address == "Industrial City 2, Jeddah"


def test_an_import_with_problems_writes_nothing_and_names_every_one(
    store: Store, team: Team, tmp_path: Path
) -> None:
    with store.write() as session:
        add_parties(session, team.clerk)
    bad = tmp_path / "parties.csv"
    bad.write_text(
        "code,name,role,email,payment_terms\n"
        "N1,New One,customer,,30\n"
        "N2,Bad Role,vendor,,30\n"
        "N1,Twice,customer,,30\n"
        "C1,Exists,customer,,30\n"
        "N3,Bad Terms,supplier,,soon\n"
        ",Bad Mail,both,mail@,\n",
        encoding="utf-8",
    )
    with store.write() as session, pytest.raises(ImportRejected) as caught:
        parties.import_parties(session, team.clerk, bad)
    problems = [(e.row, e.field) for e in caught.value.errors]
    assert problems == [(3, "role"), (4, "code"), (5, "code"), (6, "payment_terms"), (7, "email")]
    with store.read() as session:
        assert len(parties.list_parties(session, team.clerk)) == 3


def test_an_export_imports_back_as_csv_and_as_xlsx(
    store: Store, team: Team, tmp_path: Path, _template_db: Path
) -> None:
    with store.write() as session:
        parties.import_parties(session, team.clerk, TEMPLATE)
        parties.set_active(session, team.clerk, "C0102", active=False)
    with store.read() as session:
        rows = parties.export_rows(session, team.clerk)
    for name, fmt in (("p.csv", "csv"), ("p.xlsx", "xlsx")):
        path = tmp_path / name
        write_file(rows, parties.EXPORT_COLUMNS, path, fmt)
        other = Store(f"sqlite:///{tmp_path / ('copy-' + fmt + '.db')}")
        assert other.path is not None
        shutil.copyfile(_template_db, other.path)
        with other.write() as session:
            assert parties.import_parties(session, team.admin, path) == 4
        with other.read() as session:
            again = parties.export_rows(session, team.admin)
        assert [{k: r[k] for k in parties.EXPORT_COLUMNS} for r in again] == [
            {k: r[k] for k in parties.EXPORT_COLUMNS} for r in rows
        ]
