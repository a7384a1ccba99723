"""The asset register as a virtual-table source (keyset paged, for 100,000 assets and more)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from bo_console.core.paging import Column, QuerySource

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Select

    from bo_console.core.db import Store
    from bo_console.core.security import Actor


def _filter(text: str) -> ColumnElement[bool] | None:
    from sqlmodel import col, or_

    from bo_console.it.models import Asset

    text = text.strip()
    if not text:
        return None
    upper = text.upper()
    return or_(
        col(Asset.tag) == upper,
        col(Asset.serial) == upper,
        col(Asset.model).icontains(text),
        col(Asset.tag).startswith(upper),
    )


def asset_source(store: Store, actor: Actor, *, status: str | None = None) -> QuerySource:
    """Assets with their custodian, in registration order; ``/`` finds a tag, serial or model.

    Raises:
        PermissionDenied: without it.read.
    """
    from sqlalchemy import and_, select
    from sqlmodel import col

    from bo_console.core.money import base_currency
    from bo_console.hr.service import directory
    from bo_console.it.models import Asset, Assignment

    Employee = directory.employee_table()

    actor.require("it.read", "read the asset register")
    with store.read() as session:
        currency = base_currency(session)
    base = cast(
        "Select[Any]",
        select(
            col(Asset.id).label("id"),
            col(Asset.tag).label("tag"),
            col(Asset.category).label("category"),
            col(Asset.model).label("model"),
            col(Asset.status).label("status"),
            col(Employee.number).label("custodian"),
            col(Asset.location).label("location"),
            col(Asset.cost).label("cost"),
        )
        .select_from(Asset)
        .outerjoin(
            Assignment,
            and_(col(Assignment.asset_id) == col(Asset.id), col(Assignment.returned_at).is_(None)),
        )
        .outerjoin(Employee, col(Employee.id) == col(Assignment.employee_id)),
    )
    if status is not None:
        base = base.where(col(Asset.status) == status)

    def money(value: Any) -> str:
        return currency.format(int(value))

    columns = [
        Column("tag", "Tag", 9),
        Column("category", "Kind", 7),
        Column("model", "Model", 17),
        Column("status", "Status", 9, fmt=lambda s: str(s).replace("_", " ")),
        Column("custodian", "Holder", 6),
        Column("location", "Location", 13, flex=True),
        Column("cost", "Cost", 11, "right", fmt=money),
    ]
    return QuerySource(store, base, col(Asset.id), columns, filter_fn=_filter, block_size=100)
