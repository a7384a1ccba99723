"""``bo finance accounts``: the chart of accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.finance.cli.options import (
    invalid_fields,
)

if TYPE_CHECKING:
    pass

accounts_app = typer.Typer(help="The chart of accounts.", no_args_is_help=True)

# -- accounts -----------------------------------------------------------------------------------

ACCOUNT_COLUMNS = ["code", "name", "type", "parent", "postable", "active", "full_name", "name_ar"]


@accounts_app.command("list")
def accounts_list(
    ctx: typer.Context,
    account_type: Annotated[
        str | None, typer.Option("--type", help="asset, liability, equity, income or expense.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in the code or names.")
    ] = None,
    active_only: Annotated[bool, typer.Option("--active-only", help="Hide inactive.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List the chart of accounts in tree order."""
    # The chart's own module, not the finance facade (the ledger, documents, payments...).
    from bo_console.finance import accounts

    reader, actor = open_reader(ctx)
    views = accounts.list_accounts(
        reader,
        actor,
        include_inactive=not active_only,
        account_type=account_type,
        search=search,
    )
    indent = fmt == OutputFormat.table and output is None
    rows = [
        {
            "code": v.code,
            "name": ("  " * v.depth + v.name) if indent else v.name,
            "type": v.type,
            "parent": v.parent,
            "postable": v.postable,
            "active": v.active,
            "full_name": v.full_name,
            "name_ar": v.name_ar,
        }
        for v in views
    ]
    columns = ACCOUNT_COLUMNS[:6] + ["name_ar"] if indent else ACCOUNT_COLUMNS
    emit(rows, columns, fmt, output)


@accounts_app.command("show")
def accounts_show(ctx: typer.Context, account: str, fmt: FormatOption = OutputFormat.table) -> None:
    """Show one account (by code or full name) with its balance today."""
    from bo_console.core.clock import today
    from bo_console.finance import accounts

    reader, actor = open_reader(ctx)
    view = accounts.get_account(reader, actor, account)
    balance = accounts.account_balance(reader, actor, view.code, as_of=today())
    row = {
        "code": view.code,
        "name": view.name,
        "name_ar": view.name_ar,
        "full_name": view.full_name,
        "type": view.type,
        "parent": view.parent,
        "postable": view.postable,
        "active": view.active,
        "balance": balance,
    }
    emit([row], list(row), fmt)


@accounts_app.command("add")
def accounts_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Account code, e.g. 1160.")],
    name: Annotated[str, typer.Argument(help="Account name (no ':').")],
    account_type: Annotated[
        str, typer.Option("--type", help="asset, liability, equity, income or expense.")
    ],
    parent: Annotated[
        str | None, typer.Option("--parent", "-p", help="Code of the group it sits under.")
    ] = None,
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    group: Annotated[
        bool,
        typer.Option("--group", help="A group account: totals sub-accounts, takes no postings."),
    ] = False,
) -> None:
    """Add an account to the chart (finance managers)."""
    from pydantic import ValidationError

    from bo_console.finance import service
    from bo_console.finance.models import AccountCreate

    store, actor = open_store(ctx)
    try:
        data = AccountCreate(
            code=code, name=name, name_ar=name_ar, type=account_type, postable=not group
        )
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    with store.write() as session:
        service.add_account(session, actor, data, parent=parent)
    say(f"added account {code} {name}")


@accounts_app.command("edit")
def accounts_edit(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="Code or full name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="New Arabic name.")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Move under this group ('' for the top).")
    ] = None,
    postable: Annotated[
        bool | None, typer.Option("--postable/--group", help="Takes postings, or is a group.")
    ] = None,
) -> None:
    """Rename an account, move it in the tree, or make it a group (finance managers)."""
    from pydantic import ValidationError

    from bo_console.finance import service
    from bo_console.finance.models import AccountUpdate

    store, actor = open_store(ctx)
    try:
        data = AccountUpdate(name=name, name_ar=name_ar, postable=postable)
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    with store.write() as session:
        service.update_account(session, actor, account, data, parent=parent)
    say(f"updated account {account}")


@accounts_app.command("deactivate")
def accounts_deactivate(ctx: typer.Context, account: str) -> None:
    """Deactivate an account (it keeps its history; it takes no new postings)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = service.set_active(session, actor, account, active=False)
    say(f"deactivated {account}" if changed else f"{account} is already inactive; nothing changed")


@accounts_app.command("activate")
def accounts_activate(ctx: typer.Context, account: str) -> None:
    """Reactivate an inactive account."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = service.set_active(session, actor, account, active=True)
    say(f"activated {account}" if changed else f"{account} is already active; nothing changed")


@accounts_app.command("delete")
def accounts_delete(ctx: typer.Context, account: str, yes: YesOption = False) -> None:
    """Delete an account that was never used (one with postings is deactivated instead)."""
    from bo_console.finance import service

    store, actor = open_store(ctx)
    confirm(f"Delete account {account}?", yes=yes)
    with store.write() as session:
        service.delete_account(session, actor, account)
    say(f"deleted account {account}")


@accounts_app.command("cash-flow")
def accounts_cash_flow(
    ctx: typer.Context,
    account: Annotated[
        str | None, typer.Argument(help="One account (code or full name); none: every one.")
    ] = None,
    set_class: Annotated[
        str | None,
        typer.Option(
            "--set",
            help="Set its class: cash, non_cash, working_capital, investing, financing, or "
            "default.",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Balance-sheet accounts' cash-flow classes (the cash-flow statement's sections); with
    --set, change one account's (finance managers)."""
    from bo_console.core.errors import ValidationFailed
    from bo_console.finance import cashflow

    store, actor = open_store(ctx)
    if set_class is not None:
        if account is None:
            raise ValidationFailed("--set needs an account")
        with store.write() as session:
            found = cashflow.set_cash_flow_class(session, actor, account, set_class)
        say(f"{found.code} is now {found.cash_flow}" + ("" if found.set else " (the default)"))
        return
    with store.read() as session:
        classes = cashflow.cash_flow_classes(session, actor)
        if account is not None:
            from bo_console.finance import service

            code = service.get_account(session, actor, account).code
            classes = [c for c in classes if c.code == code]
    rows = [
        {"code": c.code, "account": c.account, "type": c.type, "cash_flow": c.cash_flow,
         "set": c.set}
        for c in classes
    ]  # fmt: skip
    emit(rows, ["code", "account", "type", "cash_flow", "set"], fmt, output)
