"""The small files a sealed host needs, as text: the sudoers drop-in, the ``bo`` wrapper on
users' PATH, the root helper that admits an account to the console group, and an sshd block."""

from __future__ import annotations

from pathlib import Path

MARKER = "# Written by `bo host setup`"
"""The first comment of every file setup writes: a file without it is never overwritten."""


def sudoers_rule(*, account: str, group: str, program: Path, admit_helper: Path) -> str:
    """The drop-in: the group runs the one program as the service account, without a
    password, in a reset environment; the service account runs the one helper as root."""
    return (
        f"{MARKER}; run it again rather than editing this file.\n"
        f"# Members of {group} run the console, and nothing else, as {account}, which alone\n"
        f"# can read the store. sudo records who they are (SUDO_USER, SUDO_UID).\n"
        f"Defaults>{account} env_reset\n"
        f'Defaults>{account} env_keep += "TERM COLORTERM NO_COLOR LANG LC_ALL"\n'
        f"%{group} ALL=({account}) NOPASSWD: {program}\n"
        f"# `bo users add LOGIN` adds the account to {group}; only this helper runs as root.\n"
        f"{account} ALL=(root) NOPASSWD: {admit_helper}\n"
    )


def wrapper(*, account: str, group: str, program: Path) -> str:
    """``bo`` for people: run the installed program as the service account through sudo."""
    return f"""#!/bin/sh
{MARKER}; run it again rather than editing this file.
# The console's store belongs to {account}; this runs bo as that account through sudo,
# which records who you are.
me=$(id -un)
if [ "$me" = "{account}" ]; then
    exec {program} "$@"
fi
if [ "$(id -u)" -ne 0 ] && ! id -nG "$me" | tr ' ' '\\n' | grep -qx "{group}"; then
    echo "bo: $me may not use the console on this host; an administrator adds you with" \\
        "\\`bo users add $me --role ROLE\\`" >&2
    exit 3
fi
exec sudo -n -u {account} -- {program} "$@"
"""


def admit_helper(*, group: str) -> str:
    """Root's helper: add one existing OS account to the console group, nothing else."""
    return f"""#!/bin/sh
{MARKER}; run it again rather than editing this file.
# Adds one existing OS account to {group}. The service account runs this through sudo for
# `bo users add`; it takes exactly one login and does nothing else.
set -eu
PATH=/usr/sbin:/usr/bin:/sbin:/bin
if [ "$#" -ne 1 ]; then
    echo "usage: $0 LOGIN" >&2
    exit 2
fi
case "$1" in
    ''|-*|*[!a-z0-9_.-]*) echo "invalid login: $1" >&2; exit 2 ;;
esac
if ! getent passwd "$1" >/dev/null; then
    echo "no OS account $1" >&2
    exit 1
fi
exec gpasswd -a "$1" "{group}" >/dev/null
"""


def sshd_block(*, group: str, wrapper_path: Path) -> str:
    """An sshd_config block that gives the group's members the console and nothing else."""
    return (
        f"{MARKER}; see README: Install for a team on one host.\n"
        f"# Members of {group} get the console and nothing else over SSH.\n"
        f"Match Group {group}\n"
        f"    ForceCommand {wrapper_path}\n"
        "    PermitTTY yes\n"
        "    AllowTcpForwarding no\n"
        "    AllowStreamLocalForwarding no\n"
        "    AllowAgentForwarding no\n"
        "    X11Forwarding no\n"
        "    PermitTunnel no\n"
        "    PermitUserRC no\n"
    )
