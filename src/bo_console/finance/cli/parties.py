"""``bo finance parties``: customers and suppliers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bo_console.clikit import (
    ExportFormat,
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.core.errors import UsageProblem, ValidationFailed
from bo_console.finance.cli.options import (
    _show_record,
    invalid_fields,
)

parties_app = typer.Typer(
    help="Customers and suppliers: list, show, add, edit, import, export.", no_args_is_help=True
)

# -- parties ------------------------------------------------------------------------------------

PARTY_COLUMNS = [
    "code",
    "name",
    "role",
    "tax_number",
    "payment_terms",
    "receivable",
    "payable",
    "active",
    "name_ar",
]


@parties_app.command("list")
def parties_list(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in the code, names or tax number.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="customer or supplier.")] = None,
    active_only: Annotated[bool, typer.Option("--active-only", help="Hide inactive.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List parties with what is open on their invoices (receivable) and bills (payable)."""
    from bo_console.finance import parties

    reader, actor = open_reader(ctx)
    rows = parties.list_parties(
        reader,
        actor,
        search=search,
        role=role,
        include_inactive=not active_only,
        limit=limit,
    )
    emit([r.as_dict() for r in rows], PARTY_COLUMNS, fmt, output)


@parties_app.command("show")
def parties_show(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="Party code, #id or name.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show one party with its open receivable and payable."""
    from bo_console.finance import parties

    reader, actor = open_reader(ctx)
    row = parties.get_party(reader, actor, party)
    data = row.as_dict()
    data.pop("id")
    if fmt == OutputFormat.csv:
        emit([data], list(data), fmt)
    else:
        _show_record(data, [], fmt)


RoleOption = Annotated[
    str, typer.Option("--role", "-r", help="customer, supplier or both.", case_sensitive=False)
]


@parties_app.command("add")
def parties_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name as it appears on documents.")],
    role: RoleOption = "customer",
    code: Annotated[str, typer.Option("--code", help="Party code (default: next P00001).")] = "",
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    tax_number: Annotated[str, typer.Option("--tax-number", help="VAT number.")] = "",
    contact: Annotated[str, typer.Option("--contact", help="Person to contact.")] = "",
    email: Annotated[str, typer.Option("--email", help="Email address.")] = "",
    phone: Annotated[str, typer.Option("--phone", help="Phone number.")] = "",
    address: Annotated[str, typer.Option("--address", help="Postal address.")] = "",
    terms: Annotated[
        int, typer.Option("--terms", min=0, max=365, help="Days from document date to due date.")
    ] = 30,
) -> None:
    """Add a customer or supplier (finance clerks). Prints the new party's code."""
    from bo_console.finance import parties

    try:
        is_customer, is_supplier = parties.role_flags(role)
    except ValueError as exc:
        raise ValidationFailed(f"--role: {exc}") from None
    data = parties.validate_party(
        {
            "code": code,
            "name": name,
            "name_ar": name_ar,
            "is_customer": is_customer,
            "is_supplier": is_supplier,
            "tax_number": tax_number,
            "contact_name": contact,
            "email": email,
            "phone": phone,
            "address": address,
            "payment_terms": terms,
        }
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        party = parties.add_party(session, actor, data)
        new_code = party.code
    say(f"added party {new_code} {data.name}")
    typer.echo(new_code)


@parties_app.command("edit")
def parties_edit(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="Party code, #id or name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    role: Annotated[
        str | None, typer.Option("--role", "-r", help="customer, supplier or both.")
    ] = None,
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="Arabic name.")] = None,
    tax_number: Annotated[str | None, typer.Option("--tax-number", help="VAT number.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Person to contact.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Email address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone number.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address.")] = None,
    terms: Annotated[
        int | None, typer.Option("--terms", min=0, max=365, help="Payment terms in days.")
    ] = None,
) -> None:
    """Change a party's details (its code never changes)."""
    from pydantic import ValidationError

    from bo_console.finance import parties
    from bo_console.finance.document_models import PartyUpdate

    values: dict[str, Any] = {
        "name": name,
        "name_ar": name_ar,
        "tax_number": tax_number,
        "contact_name": contact,
        "email": email,
        "phone": phone,
        "address": address,
        "payment_terms": terms,
    }
    if role is not None:
        try:
            values["is_customer"], values["is_supplier"] = parties.role_flags(role)
        except ValueError as exc:
            raise ValidationFailed(f"--role: {exc}") from None
    try:
        data = PartyUpdate.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    store, actor = open_store(ctx)
    with store.write() as session:
        updated = parties.update_party(session, actor, party, data)
        code = updated.code
    say(f"updated party {code}")


@parties_app.command("deactivate")
def parties_deactivate(ctx: typer.Context, party: str) -> None:
    """Deactivate a party: no new documents or payments (its history stays)."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = parties.set_active(session, actor, party, active=False)
    say(f"deactivated {party}" if changed else f"{party} is already inactive; nothing changed")


@parties_app.command("activate")
def parties_activate(ctx: typer.Context, party: str) -> None:
    """Reactivate an inactive party."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = parties.set_active(session, actor, party, active=True)
    say(f"activated {party}" if changed else f"{party} is already active; nothing changed")


@parties_app.command("import")
def parties_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX (see data/finance-parties-template.csv).")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the file, write nothing.")] = (
        False
    ),
) -> None:
    """Add parties from a file: every row valid, or nothing written."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.write() as session:
        count = parties.import_parties(session, actor, file, dry_run=dry_run)
    say(
        f"{file.name}: {count} parties checked; nothing written (dry run)"
        if dry_run
        else f"{file.name}: imported {count} parties"
    )


@parties_app.command("export")
def parties_export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="File format.", case_sensitive=False)
    ] = ExportFormat.csv,
    output: OutputOption = None,
) -> None:
    """Export every party in the import file's columns (so it imports back)."""
    from bo_console.finance import parties

    if fmt == ExportFormat.xlsx and output is None:
        raise UsageProblem("--format xlsx writes a file: give -o FILE.xlsx")
    reader, actor = open_reader(ctx)
    rows = parties.export_rows(reader, actor)
    emit(rows, parties.EXPORT_COLUMNS, fmt.value, output)
