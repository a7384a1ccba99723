"""Building blocks for IT tests."""

from __future__ import annotations

from bo_console.core.security import Actor
from bo_console.it import service
from tests.unit.it.conftest import IT


def asset(it: IT, tag: str = "LT-0001", serial: str = "SN0001", **extra: object) -> str:
    with it.store.write() as session:
        service.add_asset(
            session,
            it.clerk,
            service.AssetCreate.model_validate(
                {"tag": tag, "serial": serial, "model": "ThinkPad T14", "category": "LAPTOP"}
                | extra
            ),
        )
    return tag


def licence(it: IT, product: str = "Office 365", seats: int = 10, **extra: object) -> str:
    with it.store.write() as session:
        view = service.add_licence(
            session,
            it.clerk,
            service.LicenceCreate.model_validate({"product": product, "seats": seats} | extra),
        )
    return view.row.ref


def ticket(it: IT, actor: Actor | None = None, **extra: object) -> str:
    with it.store.write() as session:
        view = service.raise_ticket(
            session,
            actor or it.requester,
            service.TicketCreate.model_validate({"subject": "Printer jams"} | extra),
        )
    return view.row.ref


def capitalised_laptops(it: IT, count: int = 3) -> None:
    """``count`` laptops LT-0001... bought on one supplier bill (5,000.00 each) and
    capitalised from it, in service since 2026-03-10."""
    from datetime import date

    from tests.unit.finance.documents_helpers import add_parties, doc

    for n in range(1, count + 1):
        asset(it, f"LT-{n:04d}", f"SN{n}")
    with it.store.write() as session:
        add_parties(session, it.admin)
        line = ("Laptops", count * 1_000, 500_000, "S15", "1550")
        bill = doc(session, it.admin, "bill", "S1", lines=[line], reference="DELL-1")
        for n in range(1, count + 1):
            service.capitalise(
                session,
                it.manager,
                f"LT-{n:04d}",
                bill=bill.ref,
                line=1,
                in_service=date(2026, 3, 10),
            )
