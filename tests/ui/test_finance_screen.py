"""Pilot tests for the Finance screen: the entry form, posting and reversing, periods, reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent

from bo_console.cli import run
from bo_console.core.clock import today
from bo_console.core.db import Store
from bo_console.core.io import _plain
from bo_console.core.security import Actor
from bo_console.finance import reports, service
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.finance.screen import (
    AccountsPane,
    EntryForm,
    EntryScreen,
    FinanceScreen,
    LedgerScreen,
    PeriodsPane,
    ReportsPane,
)
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable

SIZE = (80, 24)


def _post(store: Store, actor: Actor, day: date, memo: str, *lines: tuple[str, int, int]) -> str:
    with store.write() as session:
        entry = service.post_entry(
            session,
            actor,
            EntryCreate(
                date=day,
                memo=memo,
                lines=[LineCreate(account=a, debit=d, credit=c) for a, d, c in lines],
            ),
        )
        return entry.ref


def _entries(store: Store) -> list[tuple[Any, ...]]:
    with store.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                text("SELECT id, state, year, number, memo, total FROM fin_entry ORDER BY id")
            ).all()
        ]


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _open_finance(pilot: Pilot[None]) -> FinanceScreen:
    await pilot.press("f")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FinanceScreen)
    return screen


async def _new_entry(pilot: Pilot[None], *keys: str) -> EntryForm:
    """A new entry, ``keys`` typed from line 1's account (shift+tab goes back to the memo)."""
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, EntryForm)
    assert form.query_one("#entry-memo", Input).has_focus
    await pilot.press("tab", *keys)
    await pilot.pause()
    return form


def _lines(*lines: tuple[str, str, str]) -> list[str]:
    """Keys that fill the form's lines from the first account field: account, debit, credit."""
    keys: list[str] = []
    for account, debit, credit in lines:
        keys += [*account, "tab", *debit, "tab", *credit, "tab", "tab", "tab"]
    return keys


async def test_entry_form_shows_running_difference_and_errors_beside_lines(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        form = await _new_entry(pilot, *_lines(("1110", "100", ""), ("4100", "", "90")))
        totals = _text(form, "#entry-totals")
        assert "Debits 100.00" in totals and "Credits 90.00" in totals
        assert "Difference 10.00 (more debit)" in totals
        # Line 2's account resolved to its full name under the line.
        assert "Sales" in _text(form, "#hint-2")
        await pilot.press(*"zzz")
        await pilot.pause()
        assert _text(form, "#hint-3") == "no account 'zzz'"
        assert form.query_one("#account-3", Input).has_class("-invalid")
        await pilot.press("tab", *"1.234")
        await pilot.pause()
        assert _text(form, "#hint-3") == "debit: '1.234' has more than 2 decimals"
        # The broken amount counts as nothing in the running totals.
        assert "Difference 10.00" in _text(form, "#entry-totals")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        assert _text(form, "#entry-message") == "Correct the fields marked in red."
        # Fixing the amount to balance the entry: the difference goes.
        await pilot.press("ctrl+u", "backspace", "shift+tab", "ctrl+u", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # typed something: asks before discarding
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
    assert _entries(seeded) == []


async def test_account_completes_from_a_unique_word_when_leaving_the_field(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        form = await _new_entry(pilot, *"rajhi")
        assert "1110" in _text(form, "#hint-1") and "tab takes it" in _text(form, "#hint-1")
        await pilot.press("tab")
        await pilot.pause()
        assert form.query_one("#account-1", Input).value == "1110"
        assert "Al Rajhi" in _text(form, "#hint-1")


async def test_unbalanced_entry_is_refused_with_the_difference_and_nothing_is_written(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        form = await _new_entry(pilot, *_lines(("1110", "100", ""), ("4100", "", "90")))
        await pilot.press("ctrl+o")
        await pilot.pause()
        # The service refuses before anything is asked.
        assert isinstance(app.screen, EntryForm)
        message = _text(form, "#entry-message")
        assert "debits (100.00) do not equal credits (90.00); difference 10.00" in message
    assert _entries(seeded) == []


async def test_post_from_the_form_asks_first_and_then_numbers_the_entry(
    app_for: Callable[[Actor], BoApp], make_user: Callable[..., Actor], seeded: Store
) -> None:
    clerk = make_user("nadia", "finance-clerk")
    app = app_for(clerk)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await _new_entry(
            pilot,
            "shift+tab",
            *"Owner's capital",
            "tab",
            *_lines(("1110", "1,500", ""), ("3100", "", "1500.00")),
        )
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "1,500.00 SAR (2 lines)" in _text(dialog, "#confirm-message")
        assert "can no longer be changed" in _text(dialog, "#confirm-message")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        assert _entries(seeded) == []
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        # The posted entry opens, numbered; the journal lists it.
        shown = app.screen
        assert isinstance(shown, EntryScreen)
        assert shown.view.state == "posted" and shown.view.ref == f"{today().year}-000001"
        await pilot.press("escape")
        await pilot.pause()
        table = finance.journal.table
        assert table.count == 1
        assert table.current_row() is not None
    [(_, state, year, number, memo, total)] = _entries(seeded)
    assert (state, year, number, memo, total) == (
        "posted",
        today().year,
        1,
        "Owner's capital",
        150000,
    )


async def test_draft_saved_then_posted_from_the_list_with_confirmation(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await _new_entry(pilot, *_lines(("6210", "52", ""), ("2120", "", "52")))
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, EntryScreen) and shown.view.state == "draft"
        await pilot.press("escape")
        await pilot.pause()
        assert finance.journal.table.count == 1
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Post draft #1" in _text(dialog, "#confirm-message")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        row = finance.journal.table.current_row()
        assert row is not None and row["state"] == "posted"
    assert [e[1] for e in _entries(seeded)] == ["posted"]


async def test_an_unbalanced_draft_is_not_offered_for_confirmation(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await _new_entry(pilot, *_lines(("6210", "52", ""), ("2120", "", "50")))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        messages = [n.message for n in app._notifications]
        assert any("difference 2.00" in m for m in messages)
    assert [e[1] for e in _entries(seeded)] == ["draft"]


async def test_reverse_asks_the_date_then_confirms(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    day = today()
    ref = _post(seeded, admin, day, "Duplicate rent", ("6110", 800000, 0), ("1110", 0, 800000))
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-date", Input).value == day.isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert f"Post a reversal of {ref} dated {day.isoformat()}" in _text(
            dialog, "#confirm-message"
        )
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
    states = [(e[1], e[4]) for e in _entries(seeded)]
    assert states == [
        ("reversed", "Duplicate rent"),
        ("posted", f"Reversal of {ref}: Duplicate rent"),
    ]


async def test_reversal_into_a_closed_month_is_refused_beside_the_date(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    _post(seeded, admin, date(2026, 3, 10), "Rent", ("6110", 100, 0), ("1110", 0, 100))
    with seeded.write() as session:
        service.close_period(session, admin, "2026-02")
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2026-02-27")
        await pilot.pause()
        assert "2026-02 is closed" in _text(app.screen, "#error-date")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
    assert [e[1] for e in _entries(seeded)] == ["posted"]


async def test_auditor_reads_but_every_change_is_hidden(
    app_for: Callable[[Actor], BoApp], make_user: Callable[..., Actor], admin: Actor, seeded: Store
) -> None:
    _post(seeded, admin, today(), "Rent", ("6110", 100, 0), ("1110", 0, 100))
    auditor = make_user("hind", "auditor")
    app = app_for(auditor)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        shown = {b.binding.action for b in finance.active_bindings.values()}
        assert "new_entry" not in shown and "post_entry" not in shown
        await pilot.press("n", "p", "v")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        await pilot.press("enter")
        await pilot.pause()
        entry = app.screen
        assert isinstance(entry, EntryScreen)
        assert "p post" not in _text(entry, ".keys") and "v reverse" not in _text(entry, ".keys")
        await pilot.press("v")
        await pilot.pause()
        assert app.screen is entry


async def test_manager_closes_a_month_and_a_clerk_cannot(
    app_for: Callable[[Actor], BoApp], make_user: Callable[..., Actor], seeded: Store
) -> None:
    manager = make_user("layla", "finance-manager")
    clerk = make_user("omar2", "finance-clerk")
    app = app_for(clerk)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await pilot.press("7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        periods = finance.query_one(PeriodsPane)
        assert periods.check_action("close_period", ()) is False
        assert "c close" not in _text(finance, "#periods-status")
    app = app_for(manager)
    year = today().year
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await pilot.press("7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = finance.query_one("#periods-table", DataTable)
        assert table.row_count == 12 and table.has_focus
        await pilot.press("down", "c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert f"Close {year}-02?" in _text(dialog, "#confirm-message")
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(table.get_row_at(1)[1]) == "closed"
    with seeded.read() as session:
        assert service.is_closed(session, f"{year}-02")


def _books(store: Store, admin: Actor) -> date:
    """A few postings this year; returns their last date."""
    year = today().year
    _post(
        store, admin, date(year, 1, 5), "Capital", ("1110", 50_000_000, 0), ("3100", 0, 50_000_000)
    )
    _post(
        store,
        admin,
        date(year, 1, 20),
        "Cash sale",
        ("1110", 115_000, 0),
        ("4100", 0, 115_000),  # no VAT line: a manual entry posts VAT only with a tax code
    )
    _post(store, admin, date(year, 2, 1), "Rent", ("6110", 800_000, 0), ("1110", 0, 800_000))
    return date(year, 2, 1)


async def _run_report(pilot: Pilot[None], key: str, *edits: str) -> ReportsPane:
    await pilot.press("6")
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await pilot.press(*edits, "ctrl+s")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FinanceScreen)
    return screen.query_one(ReportsPane)


async def test_trial_balance_on_screen_and_exported_equals_the_service_and_cli(
    app_for: Callable[[Actor], BoApp],
    admin: Actor,
    seeded: Store,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    last = _books(seeded, admin)
    with seeded.read() as session:
        tb = reports.trial_balance(session, admin, last)
    out = tmp_path / "tb.json"
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        pane = await _run_report(pilot, "t", "ctrl+u", *last.isoformat())
        table = pane.query_one(VirtualTable)
        assert table.has_focus
        shown = table.source.rows(0, table.count)
        assert [(r["code"], r["debit"], r["credit"]) for r in shown[:-1]] == [
            (r.code, r.debit, r.credit) for r in tb.rows
        ]
        assert (shown[-1]["debit"], shown[-1]["credit"]) == (tb.total_debit, tb.total_credit)
        assert "balanced" in _text(pane, "#report-note")
        await pilot.press("x")
        await pilot.pause()
        # (Typed one key at a time, a long path would take seconds through the pilot.)
        app.screen.query_one("#field-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    capsys.readouterr()
    code = run(
        ["--db", db_url, "finance", "report", "trial-balance", "--as-of", str(last), "-f", "json"]
    )
    cli = capsys.readouterr().out
    assert code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(cli)
    assert json.loads(cli)[0]["debit"] == str(_plain(tb.rows[0].debit))


async def test_income_statement_with_previous_period_equals_the_service(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    last = _books(seeded, admin)
    start = date(last.year, 2, 1)
    end = date(last.year, 2, 28)
    with seeded.read() as session:
        pl = reports.income_statement(session, admin, start, end, compare=True)
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        pane = await _run_report(
            pilot,
            "i",
            "ctrl+u",
            *start.isoformat(),
            "tab",
            "ctrl+u",
            *end.isoformat(),
            "tab",
            "ctrl+u",
            *"yes",
        )
        rows = pane.query_one(VirtualTable).source.rows(0, 100)
        net = next(r for r in rows if r["section"] == "net")
        assert (net["amount"], net["previous"]) == (pl.net_income, pl.previous_net)
        assert net["amount"] == -8000 and net["previous"] == 1150
        assert any(c.key == "previous" for c in pane.query_one(VirtualTable).columns)


async def test_accounts_tree_shows_balances_and_drills_into_the_ledger(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    _books(seeded, admin)
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = finance.query_one(AccountsPane)
        tree = pane.query_one("#account-tree")
        assert tree.has_focus
        labels = [str(n.label) for n in tree.root.children]  # type: ignore[attr-defined]
        assets = next(label for label in labels if "Assets" in label)
        # 500,000.00 capital + 1,150.00 sale - 8,000.00 rent in the bank.
        assert assets.rstrip().endswith("493,150.00 Dr")
        node = tree.root.children[0]  # type: ignore[attr-defined]
        assert node.data.code == "1000"
        tree.move_cursor(node)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        ledger = app.screen
        assert isinstance(ledger, LedgerScreen)
        rows = ledger.query_one(VirtualTable).source.rows(0, 100)
        assert [r["kind"] for r in rows] == ["opening", "posting", "posting", "posting", "closing"]
        assert str(rows[-1]["balance"]) == "493150.00"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is finance
        assert finance.query_one(TabbedContent).active == "accounts"


async def test_journal_import_runs_in_the_background_and_reports_a_bad_file(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store, tmp_path: Path
) -> None:
    from bo_console.ui.widgets.text_viewer import TextViewer

    year = today().year
    good = tmp_path / "journal.csv"
    good.write_text(
        "entry,date,description,account,debit,credit\n"
        f"1,{year}-01-05,Capital,1110,1000.00,\n"
        f"1,{year}-01-05,Capital,3100,,1000.00\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "entry,date,description,account,debit,credit\n"
        f"1,{year}-01-05,Capital,1110,1000.00,\n"
        f"1,{year}-01-05,Capital,3100,,999.00\n",
        encoding="utf-8",
    )
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        for path in (bad, good):
            await pilot.press("i")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)
            form.query_one("#field-path", Input).value = str(path)
            await pilot.pause()
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            if path is bad:
                report = app.screen
                assert isinstance(report, TextViewer)
                assert "nothing was imported" in report.body
                await pilot.press("escape")
                await pilot.pause()
        assert finance.journal.table.count == 1
    assert [e[1] for e in _entries(seeded)] == ["posted"]


async def test_a_draft_is_edited_in_the_entry_form(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    with seeded.write() as session:
        service.create_draft(
            session,
            admin,
            EntryCreate(
                date=today(),
                memo="Accrual",
                lines=[
                    LineCreate(account="6210", debit=5200),
                    LineCreate(account="2120", credit=5200),
                ],
            ),
        )
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntryForm) and form.view is not None
        assert form.query_one("#entry-memo", Input).has_focus
        assert form.query_one("#account-1", Input).value == "6210"
        assert "balanced" in _text(form, "#entry-totals")
        await pilot.press("ctrl+u", *"Electricity accrual", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    [(_, state, _, _, memo, total)] = _entries(seeded)
    assert (state, memo, total) == ("draft", "Electricity accrual", 5200)


async def test_editing_a_draft_keeps_each_lines_tax_code(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    """A cash sale typed by hand (sales and output VAT, both coded S15): changing its memo in
    the form keeps the lines' tax codes, so the draft still posts and the VAT return sees it."""
    with seeded.write() as session:
        draft = service.create_draft(
            session,
            admin,
            EntryCreate(
                date=today(),
                memo="Cash sale",
                lines=[
                    LineCreate(account="1110", debit=1150),
                    LineCreate(account="4100", credit=1000, tax_code="S15"),
                    LineCreate(account="2210", credit=150, tax_code="S15"),
                ],
            ),
        )
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntryForm) and form.view is not None
        await pilot.press("ctrl+u", *"Cash sale, counter 2", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    with seeded.read() as session:
        view = service.get_entry(session, admin, draft.id or 0)
    assert view.memo == "Cash sale, counter 2"
    assert [(x.code, x.tax_code) for x in view.lines] == [
        ("1110", ""),
        ("4100", "S15"),
        ("2210", "S15"),
    ]


async def test_console_opened_on_finance_shows_it_first_and_escape_goes_home(
    seeded: Store, make_user: Callable[..., Actor], admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.finance.sources import entry_number_text
    from bo_console.ui.home import HomeScreen

    ref = _post(seeded, admin, today(), "Rent", ("6110", 100, 0), ("1110", 0, 100))
    homes: list[HomeScreen] = []
    made = HomeScreen.__init__

    def note(screen: HomeScreen, *args: Any, **kwargs: Any) -> None:
        homes.append(screen)
        made(screen, *args, **kwargs)

    monkeypatch.setattr(HomeScreen, "__init__", note)
    clerk = make_user("laila", "finance-clerk")
    app = BoApp(store=seeded, actor=clerk, screen="finance")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        finance = app.screen
        assert isinstance(finance, FinanceScreen)
        assert app.current_mode == "finance" and homes == []  # Home was never built
        assert "Finance" in _text(finance, "#topbar")
        table = finance.journal.table
        assert table.has_focus and table.count == 1
        row = table.current_row()
        assert row is not None and entry_number_text(int(row["number"])) == ref
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(homes) == 1


async def test_new_entry_starts_on_the_memo_and_tab_goes_in_reading_order(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntryForm)
        await pilot.press("shift+tab")
        order = []
        for _ in range(8):
            await pilot.pause()
            assert form.focused is not None
            order.append(form.focused.id)
            await pilot.press("tab")
        assert order == [
            "entry-date",
            "entry-memo",
            "account-1",
            "debit-1",
            "credit-1",
            "memo-1",
            "centre-1",
            "account-2",
        ]
