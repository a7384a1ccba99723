"""Pilot tests for the Finance screen's invoices, bills, payments and their reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Input, Static, TabbedContent

from bo_console.cli import run
from bo_console.core.clock import today
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import tax
from bo_console.finance.screen import (
    DocumentForm,
    DocumentScreen,
    FinanceScreen,
    ReportsPane,
)
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable
from tests.unit.finance.documents_helpers import add_parties, doc

SIZE = (80, 24)


@pytest.fixture
def books(seeded: Store, admin: Actor) -> Store:
    """Parties C1 (customer), S1 (supplier), B1 (both); no documents yet."""
    with seeded.write() as session:
        add_parties(session, admin)
    return seeded


def _documents(store: Store) -> list[tuple[Any, ...]]:
    with store.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                text("SELECT kind, number, status, total, paid FROM fin_document ORDER BY id")
            ).all()
        ]


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _tab(pilot: Pilot[None], number: str) -> FinanceScreen:
    await pilot.press("f")
    await pilot.pause()
    await pilot.press(number)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FinanceScreen)
    return screen


async def test_invoice_form_works_out_tax_and_posts_after_asking(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _tab(pilot, "3")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DocumentForm)
        await pilot.press(*"safa")
        await pilot.pause()
        assert _text(form, "#doc-head-hint") == "C1 Al Safa Hospital"
        # Party, date, due, reference, memo, then the first line.
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"Nitrile gloves", "tab", "ctrl+u", *"10", "tab", *"45.50")
        await pilot.pause()
        assert form.query_one("#doc-party", Input).value == "C1"
        totals = _text(form, "#doc-totals")
        assert "Net 455.00" in totals and "VAT 68.25" in totals and "Total 523.25" in totals
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "to Al Safa Hospital" in _text(dialog, "#confirm-message")
        await pilot.press("y")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, DocumentScreen)
        assert shown.view.row.status == "posted" and shown.view.entry
    number = f"INV-{today().year}-00001"
    assert _documents(books) == [("invoice", number, "posted", 52325, 0)]


async def test_bill_line_without_account_is_marked_and_nothing_is_saved(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _tab(pilot, "4")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DocumentForm) and form.kind == "bill"
        await pilot.press(*"S1", "tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"Boxes", "tab", "ctrl+u", *"100", "tab", *"3.20")
        await pilot.pause()
        hint = _text(form, "#doc-line-1 .line-hint")
        assert hint == "account: a bill line needs an expense or stock account"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentForm)
        assert _text(form, "#doc-message") == "Correct what is marked in red."
        await pilot.press("tab", "tab", *"1330")
        await pilot.pause()
        assert _text(form, "#doc-line-1 .line-hint") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
    assert _documents(books) == [("bill", None, "draft", 36800, 0)]


async def test_receive_the_open_amount_of_an_invoice(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    with books.write() as session:
        invoice = doc(session, admin, day=today()).ref
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _tab(pilot, "3")
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        values = form.values()
        assert (values["party"], values["amount"], values["apply"]) == ("C1", "523.25", invoice)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "523.25 SAR received from C1" in _text(dialog, "#confirm-message")
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is finance
        row = finance.query_one("#invoices-pane").query_one(VirtualTable).current_row()
        assert row is not None and row["status"] == "paid" and row["open"] == 0
    assert _documents(books) == [("invoice", invoice, "paid", 52325, 52325)]


async def test_an_allocation_beyond_what_is_owed_is_shown_beside_the_field(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    with books.write() as session:
        invoice = doc(session, admin, day=today()).ref
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _tab(pilot, "5")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        for name, value in (("party", "C1"), ("amount", "600"), ("apply", f"{invoice}=600")):
            form.query_one(f"#field-{name}", Input).value = value
        await pilot.pause()  # (the fields check what was put in them first)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "owes less than the amount given" in _text(form, "#error-apply")
    assert _documents(books) == [("invoice", invoice, "posted", 52325, 0)]


async def test_only_a_manager_voids_an_invoice_with_a_credit_note(
    app_for: Callable[[Actor], BoApp],
    make_user: Callable[..., Actor],
    admin: Actor,
    books: Store,
) -> None:
    with books.write() as session:
        invoice = doc(session, admin, day=today()).ref
    clerk = make_user("hala", "finance-clerk")
    app = app_for(clerk)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _tab(pilot, "3")
        actions = {b.binding.action for b in finance.active_bindings.values()}
        assert "void_document" not in actions and "money" in actions
    manager = make_user("layla", "finance-manager")
    app = app_for(manager)
    async with app.run_test(size=SIZE) as pilot:
        await _tab(pilot, "3")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert f"Void {invoice} with a credit note" in _text(dialog, "#confirm-message")
        await pilot.press("y")
        await pilot.pause()
    kinds = [(k, s) for k, _, s, _, _ in _documents(books)]
    assert kinds == [("invoice", "void"), ("credit_note", "posted")]


async def _report(pilot: Pilot[None], key: str) -> ReportsPane:
    finance = await _tab(pilot, "6")
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return finance.query_one(ReportsPane)


async def test_aged_receivables_export_equals_the_cli_and_a_row_opens_the_documents(
    app_for: Callable[[Actor], BoApp],
    admin: Actor,
    books: Store,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    year = today().year
    with books.write() as session:
        doc(session, admin, day=date(year, 1, 10))
        doc(session, admin, party="B1", day=today())
    out = tmp_path / "aged.json"
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _report(pilot, "a")
        assert "Aged receivables as of" in (pane.table.title if pane.table else "")
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")  # the first party, B1
        await pilot.pause()
        finance = app.screen
        assert isinstance(finance, FinanceScreen)
        assert finance.query_one(TabbedContent).active == "invoices"
        table = finance.query_one("#invoices-pane").query_one(VirtualTable)
        assert table.count == 1 and table.has_focus
    capsys.readouterr()
    args = ["finance", "report", "aged-receivables", "--as-of", str(today()), "--format", "json"]
    assert run(["--db", db_url, *args]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(capsys.readouterr().out)


async def test_vat_return_on_screen_equals_the_service(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    with books.write() as session:
        doc(session, admin, day=today())
        doc(
            session,
            admin,
            kind="bill",
            party="S1",
            day=today(),
            lines=[("Boxes", 100_000, 320, "S15", "1330")],
        )
    with books.read() as session:
        vat = tax.vat_return(session, admin, f"{today():%Y-%m}")
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _report(pilot, "v")
        rows = pane.query_one(VirtualTable).source.rows(0, 100)
        net = next(r for r in rows if r.get("name") == "Net VAT payable")
        assert net["tax"] == vat.net_payable == vat.output_tax - vat.input_tax
        assert "ties to the VAT accounts" in _text(pane, "#report-note")


async def test_a_document_entry_opens_its_document_and_is_not_reversed_by_hand(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    from bo_console.finance.screen import EntryScreen

    with books.write() as session:
        invoice = doc(session, admin, day=today()).ref
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _tab(pilot, "1")
        finance.journal.table.set_filter(invoice)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        entry = app.screen
        assert isinstance(entry, EntryScreen) and entry.view.source == "invoice"
        keys = _text(entry, ".keys")
        assert "v reverse" not in keys and f"s open {invoice}" in keys
        await pilot.press("s")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, DocumentScreen) and shown.view.row.ref == invoice


async def test_the_form_says_pydantic_refusals_in_plain_words(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _tab(pilot, "3")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DocumentForm)
        await pilot.press(*"C1", "tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"Gloves", "tab", "ctrl+u", *"1", "tab", *"5")
        await pilot.pause()
        description = form.query("DocumentLineRow Input").first(Input)
        assert (description.id or "").startswith("description-")
        description.value = "d" * 201
        await pilot.pause()
        hint = _text(form, "#doc-line-1 .line-hint")
        assert hint == "the description is too long (at most 200 characters)"
        description.value = "Gloves"
        form.query_one("#doc-due", Input).value = "2000-01-01"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = _text(form, "#doc-message")
        assert message == "the due date cannot be before the document date"
        for words in ("Input should", "Value error", "String should", "pydantic"):
            assert words not in hint + message
    assert _documents(books) == []
