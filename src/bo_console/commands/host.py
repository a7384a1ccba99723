"""``bo host``: make this machine a sealed host (the store readable by a service account only)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import say

app = typer.Typer(
    help="Set up a sealed host: a service account owns the store, people run bo through sudo.",
    no_args_is_help=True,
)


class Installer(StrEnum):
    pip = "pip"
    uv = "uv"


@app.command("setup")
def setup_cmd(
    admin: Annotated[
        str | None,
        typer.Option(help="OS account made the store's first admin when there is no store yet."),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(help="An existing database to move in (copied, checked; old one sealed)."),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            help="The program to install: a source tree or a wheel (default: this one's)."
        ),
    ] = None,
    python: Annotated[
        Path | None, typer.Option(help="System Python 3.11+ for the install (default: /usr/bin).")
    ] = None,
    account: Annotated[str, typer.Option(help="The service account.")] = "bo-console",
    group: Annotated[str, typer.Option(help="The group of people who may run bo.")] = (
        "bo-console-users"
    ),
    prefix: Annotated[Path, typer.Option(help="Where the program is installed.")] = Path(
        "/opt/bo-console"
    ),
    data_dir: Annotated[Path, typer.Option(help="The service account's data directory.")] = Path(
        "/var/lib/bo-console"
    ),
    bin_dir: Annotated[Path, typer.Option(help="Where the `bo` wrapper goes (on PATH).")] = Path(
        "/usr/local/bin"
    ),
    sudoers_dir: Annotated[Path, typer.Option(help="sudo's drop-in directory.")] = Path(
        "/etc/sudoers.d"
    ),
    company: Annotated[str, typer.Option(help="Company name, for a new store.")] = "",
    currency: Annotated[str, typer.Option(help="Base currency, for a new store.")] = "SAR",
    reinstall: Annotated[
        bool, typer.Option("--reinstall", help="Install the program even if that version is in.")
    ] = False,
    installer: Annotated[
        Installer,
        typer.Option(
            help="What installs the program: the venv's pip (reads pip's configuration) or uv "
            "(much faster; reads uv's configuration, not pip's)."
        ),
    ] = Installer.pip,
) -> None:
    """Set this host up (as root; safe to run again): the service account and console group,
    the program in PREFIX, the store in DATA_DIR (0700/0600, the account's alone), a sudoers
    rule for the one program (checked with visudo -c) and `bo` on everyone's PATH."""
    from bo_console.host.setup import HostPlan, set_up

    plan = HostPlan(
        account=account,
        group=group,
        prefix=prefix.resolve(),
        data_dir=data_dir.resolve(),
        bin_dir=bin_dir.resolve(),
        sudoers_dir=sudoers_dir,
        source=source,
        python=python,
        admin=admin,
        store=store,
        company=company,
        currency=currency,
        reinstall=reinstall,
        installer="uv" if installer is Installer.uv else "pip",
    )
    report = set_up(plan)
    for line in report.lines:
        say(line)
    if not report.lines:
        say(f"{plan.account}: the host is already set up; nothing changed")


@app.command("sshd-config")
def sshd_config_cmd(
    group: Annotated[str, typer.Option(help="The console users' group.")] = "bo-console-users",
    wrapper: Annotated[Path, typer.Option(help="The `bo` wrapper.")] = Path("/usr/local/bin/bo"),
) -> None:
    """Print an sshd_config `Match Group` block that gives the group the console only."""
    from bo_console.host.files import sshd_block

    typer.echo(sshd_block(group=group, wrapper_path=wrapper), nl=False)
