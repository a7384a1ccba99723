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
