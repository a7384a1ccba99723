"""Every `bo logistics` list and report takes the CLI kit's ``--format``: the format follows
the ``-o`` file's extension (``-o stock.xlsx`` writes a workbook), a ``--format`` that
contradicts the file name is refused with exit 2, as are xlsx without a file and an unknown
format."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pytest
import typer

from bo_console.core.db import Store
from bo_console.logistics import service
from tests.cli.conftest import Bo
from tests.unit.logistics.conftest import DAY, Team, add_item, buy, sell, ship


def _lists(order: str) -> dict[str, list[str]]:
    """Each list or report command (by its path under ``bo logistics``) with the arguments
    it needs."""
    return {
        "items list": ["items", "list"],
        "items show": ["items", "show", "MSK"],
        "locations list": ["locations", "list"],
        "stock on-hand": ["stock", "on-hand", "MSK"],
        "stock moves": ["stock", "moves"],
        "stock valuation": ["stock", "valuation"],
        "stock in-transit": ["stock", "in-transit"],
        "po list": ["po", "list"],
        "po show": ["po", "show", order],
        "so list": ["so", "list"],
        "shipments list": ["shipments", "list"],
        "returns list": ["returns", "list"],
        "counts show": ["counts", "show", "CNT-2026-00001"],
        "reorder": ["reorder", "--location", "DMM/A-01", "--dry-run"],
        "serials list": ["serials", "list", "PUMP"],
        "serials history": ["serials", "history", "PUMP", "P-1"],
    }


@pytest.fixture
def stocked(store: Store, team: Team, as_os_user: Callable[[str], None]) -> dict[str, list[str]]:
    """Bought, sold and shipped stock, a serial-tracked item, an open count."""
    add_item(store, team.clerk, "MSK", reorder_point=50, reorder_qty=100, supplier="S1")
    order, _ = buy(store, team, "MSK", 10, 400)
    sales = sell(store, team, "MSK", 4, price=900)
    ship(store, team.clerk, sales, 4)
    add_item(store, team.clerk, "PUMP", serial_tracked=True)
    with store.write() as session:
        pump = service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[service.OrderLineCreate(item="PUMP", quantity=1, unit_price=90000)],
            ),
        )
        service.approve_order(session, team.manager, pump.number)
        service.receive(
            session,
            team.clerk,
            service.ReceiptCreate(
                order=pump.number,
                date=DAY,
                lines=[service.ReceiptLineCreate(line=1, quantity=1, serials=["P-1"])],
            ),
        )
        service.open_count(session, team.clerk, location="DMM/A-02", on=DAY)
    as_os_user("lmanager")
    return _lists(order)


def test_every_list_writes_xlsx_by_the_file_name(
    bo: Bo, stocked: dict[str, list[str]], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    for name, args in stocked.items():
        book = tmp_path / f"{name.replace(' ', '-')}.xlsx"
        code, out, err = bo("logistics", *args, "-o", str(book))
        assert code == 0, f"{name}: {err}"
        assert out == "", name
        sheet = [list(r) for r in load_workbook(book)["data"].iter_rows(values_only=True)]
        code, text, err = bo("logistics", *args, "-f", "csv")
        assert code == 0, f"{name}: {err}"
        table = list(csv.reader(io.StringIO(text)))
        assert sheet[0] == table[0], name
        assert len(sheet) == len(table), name


def test_a_format_against_the_file_name_is_refused(
    bo: Bo, stocked: dict[str, list[str]], tmp_path: Path
) -> None:
    for name, args in stocked.items():
        target = tmp_path / f"{name.replace(' ', '-')}.csv"
        code, _, err = bo("logistics", *args, "-o", str(target), "--format", "json")
        assert code == 2 and "does not match" in err and "Traceback" not in err, f"{name}: {err}"
        assert not target.exists(), name
        code, _, err = bo("logistics", *args, "--format", "xlsx")
        assert code == 2 and "-o FILE.xlsx" in err, f"{name}: {err}"
        code, _, err = bo("logistics", *args, "--format", "yaml")
        assert code == 2 and "yaml" in err, f"{name}: {err}"


def _commands(group: Any, path: str = "") -> list[tuple[str, Any]]:
    if hasattr(group, "commands"):
        found = []
        for name, command in group.commands.items():
            found += _commands(command, f"{path} {name}".strip())
        return found
    return [(path, group)]


def test_every_logistics_format_option_is_the_kits() -> None:
    """The command tree itself: each ``--format`` offers exactly the kit's formats."""
    from bo_console.clikit import FormatOption, OutputFormat
    from bo_console.logistics import cli

    kit_help = get_args(FormatOption)[1].help
    assert kit_help and kit_help.startswith("Output format")
    with_format = []
    for path, command in _commands(typer.main.get_command(cli.app)):
        for param in command.params:
            if "--format" in getattr(param, "opts", []):
                with_format.append(path)
                # The kit's option: its formats, in its order, under its help line.
                assert tuple(param.type.choices) == tuple(OutputFormat), path
                assert param.help == kit_help, path
                assert "--output" in {o for p in command.params for o in getattr(p, "opts", [])}
    assert sorted(with_format) == sorted(_lists("PO-1")), "each is tried in the tests above"
    assert not hasattr(cli, "fmt_of")
