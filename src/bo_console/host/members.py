"""Console users and the OS group that lets them run ``bo`` on a sealed host."""

from __future__ import annotations

import grp
import os
import pwd
import subprocess

from bo_console.core.sealed import HostConfig, account_uid, host_config


def admit(login: str, config: HostConfig | None = None) -> str | None:
    """Add the OS account ``login`` to the console group of this sealed host.

    Root does it with ``gpasswd``; the service account (an admin working through the wrapper)
    through sudo and the one root helper setup installed. Returns a line for the person, or
    None when there is nothing to say (not a sealed host, or already a member).
    """
    config = config or host_config()
    if config is None:
        return None
    try:
        pwd.getpwnam(login)
    except KeyError:
        return (
            f"note: there is no OS account {login!r} on this host yet; once it exists, run "
            f"`bo users add` again or `gpasswd -a {login} {config.group}` as root"
        )
    try:
        if login in grp.getgrnam(config.group).gr_mem:
            return None
    except KeyError:
        return f"note: the console group {config.group!r} is missing; run `bo host setup` again"
    if os.geteuid() == 0:
        command = ["gpasswd", "-a", login, config.group]
    elif os.geteuid() == account_uid(config.account):
        command = ["sudo", "-n", str(config.admit_helper), login]
    else:
        return f"note: ask root to run `gpasswd -a {login} {config.group}`"
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        why = (result.stderr or result.stdout).strip().splitlines()
        return (
            f"note: could not add {login} to {config.group} ({why[-1] if why else 'failed'}); "
            f"root can: `gpasswd -a {login} {config.group}`"
        )
    return f"added OS account {login} to {config.group}: `bo` now runs the console for them"
