"""End to end: a sealed host. `bo host setup` installs the program, a service account that alone
owns the store, a sudoers rule and the `bo` wrapper, all under a temporary directory; two
throwaway OS accounts (an HR clerk and an HR manager) then use the console through the wrapper.

Needs root (accounts, sudoers): skipped with the reason otherwise. Installs sudo (and sshd, for
checking the `Match Group` block) when missing, without starting any service. The accounts,
group, sudoers drop-in and directory are removed afterwards, also when a check fails.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import bo_console
from bo_console.host.setup import find_uv
from tests.e2e.tmux import require_tmux, terminal
from tests.unit.hr.factories import iban

# One host for the module, and its tests build on each other: one worker runs them all.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sealed-host")]

SOURCE = Path(bo_console.__file__).resolve().parents[2]


@dataclass(frozen=True)
class Host:
    service: str
    group: str
    clerk: str
    manager: str
    root: Path

    @property
    def bin_dir(self) -> Path:
        return self.root / "bin"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def store(self) -> Path:
        return self.data / "bo.db"

    @property
    def program(self) -> Path:
        return self.root / "opt" / "venv" / "bin" / "bo"


def _run(*args: str, check: bool = True, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(args), capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} -> {result.returncode}: {result.stderr}")
    return result  # type: ignore[no-any-return]


SYSTEM_PACKAGES = "BO_TEST_SYSTEM_PACKAGES"
"""Set by `./dev test` while it installs sudo and sshd beside the tests: the file the install's
exit status is written to when it ends."""


def _wait_for_system_packages(timeout: float = 900.0) -> None:
    """Wait for `./dev test`'s install of this module's packages, when one is running; its
    failure leaves them missing, and the fixture below installs them itself."""
    status = os.environ.get(SYSTEM_PACKAGES)
    if not status:
        return
    deadline = time.monotonic() + timeout
    while not Path(status).exists():
        if time.monotonic() >= deadline:
            raise AssertionError(f"the install of sudo and sshd did not end in {timeout:.0f} s")
        time.sleep(0.5)


def _apt_install(package: str) -> None:
    """Install a Debian package without starting its service (a policy-rc.d that says no)."""
    if shutil.which("apt-get") is None:
        pytest.skip(f"{package} is missing and there is no apt-get to install it")
    policy = Path("/usr/sbin/policy-rc.d")
    made_policy = not policy.exists()
    if made_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        _run("apt-get", "update", "-qq", env=env)
        _run("apt-get", "install", "-y", "-qq", "--no-install-recommends", package, env=env)
    finally:
        if made_policy:
            policy.unlink()


def _remove(command: list[str]) -> None:
    """userdel/groupdel, retried while the account's last process is still exiting."""
    for _ in range(50):
        if subprocess.run(command, capture_output=True, check=False).returncode in (0, 6):
            return  # 6: no such user or group (already gone)
        time.sleep(0.1)
    subprocess.run(command, capture_output=True, check=False)


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    if os.geteuid() != 0:
        pytest.skip("a sealed host needs root (accounts, sudoers); run the e2e tests as root")
    for tool in ("useradd", "userdel", "groupdel", "runuser", "gpasswd"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed; it is needed to create OS accounts")
    require_tmux()
    _wait_for_system_packages()
    if shutil.which("visudo") is None:
        _apt_install("sudo")
    tag = uuid.uuid4().hex[:6]
    h = Host(
        service=f"bosvc{tag}",
        group=f"bousers{tag}",
        clerk=f"boclerk{tag}",
        manager=f"bomgr{tag}",
        root=Path(tempfile.mkdtemp(prefix="bo-e2e-sealed-", dir="/tmp")),
    )
    h.root.chmod(0o755)
    undo: list[list[str]] = []
    try:
        for person in (h.clerk, h.manager):
            _run("useradd", "-M", "-s", "/bin/sh", person)
            undo.insert(0, ["userdel", person])
        undo.insert(0, ["groupdel", h.group])
        undo.insert(0, ["userdel", h.service])
        _setup(h)
        yield h
    finally:
        for command in undo:
            _remove(command)
        Path("/etc/sudoers.d", h.service).unlink(missing_ok=True)
        shutil.rmtree(h.root, ignore_errors=True)


def _setup(
    h: Host, installer: str = "", reinstall: bool = False
) -> subprocess.CompletedProcess[str]:
    """`bo host setup` for ``h``, installing with uv when the tests' environment has it
    (`./dev` installs it: seconds instead of pip's minute); the last test, marked slow,
    installs with pip."""
    installer = installer or ("uv" if find_uv() else "pip")
    return _run(
        sys.executable, "-m", "bo_console", "-v", "host", "setup",
        "--account", h.service, "--group", h.group, "--admin", "root",
        "--prefix", str(h.root / "opt"), "--data-dir", str(h.data),
        "--bin-dir", str(h.bin_dir), "--source", str(SOURCE), "--company", "Sealed Co",
        "--installer", installer, *(["--reinstall"] if reinstall else []),
        timeout=900,
    )  # fmt: skip


def _env(h: Host, **extra: str) -> list[str]:
    """A login-like environment: the wrapper's directory on PATH, nothing of root's."""
    base = {"PATH": f"{h.bin_dir}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", **extra}
    return ["env", "-i", *[f"{k}={v}" for k, v in base.items()]]


def bo_as(h: Host, user: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``bo ARGS`` typed by ``user`` (the wrapper on PATH), in a plain environment."""
    return _run("runuser", "-u", user, "--", *_env(h, **extra), "bo", *args, check=False, cwd="/")


def test_setting_up_seals_the_store_and_installs_the_wrapper(host: Host) -> None:
    h = host
    service = pwd.getpwnam(h.service)
    for path in (h.data, h.data / "backups", h.data / "exports"):
        info = path.stat()
        assert (info.st_uid, oct(info.st_mode & 0o777)) == (service.pw_uid, "0o700"), path
    info = h.store.stat()
    assert (info.st_uid, oct(info.st_mode & 0o777)) == (service.pw_uid, "0o600")
    sudoers = Path("/etc/sudoers.d", h.service)
    assert oct(sudoers.stat().st_mode & 0o777) == "0o440"
    assert _run("visudo", "-c", "-q", "-f", str(sudoers)).returncode == 0
    assert f"%{h.group} ALL=({h.service}) NOPASSWD: {h.program}" in sudoers.read_text()
    # The program lives outside any home directory, so every account can run it.
    assert _run("runuser", "-u", h.clerk, "--", str(h.program), "--version").returncode == 0
    again = _setup(h)
    assert "already set up; nothing changed" in again.stderr, again.stderr


def test_people_use_the_console_through_the_wrapper_and_only_see_what_their_roles_allow(
    host: Host,
) -> None:
    h = host
    # Root is the first admin; it works through the wrapper like everyone else.
    added = bo_as(h, "root", "-v", "users", "add", h.clerk, "--role", "hr-clerk")
    assert added.returncode == 0 and f"added OS account {h.clerk} to {h.group}" in added.stderr
    # Users brought in from a file join the console group too.
    users = h.root / "users.csv"
    users.write_text(f"login,full_name,roles\n{h.manager},HR manager,hr-manager\n")
    users.chmod(0o644)
    imported = bo_as(h, "root", "-v", "users", "import", str(users))
    assert imported.returncode == 0, imported.stderr
    assert f"added OS account {h.manager} to {h.group}" in imported.stderr
    assert {h.clerk, h.manager} <= set(grp.getgrnam(h.group).gr_mem)
    for args in (
        ["hr", "units", "add", "FIN", "Finance"],
        ["hr", "employees", "add", "--name", "Layla Haddad", "--unit", "FIN",
         "--hire-date", "2024-01-01", "--salary", "12000", "--iban", iban(1)],
    ):  # fmt: skip
        done = bo_as(h, "root", *args)
        assert done.returncode == 0, done.stderr

    clerk = bo_as(h, h.clerk, "hr", "employees", "show", "E00001", "-f", "json")
    assert clerk.returncode == 0, clerk.stderr
    assert json.loads(clerk.stdout)[0]["base_salary"] == "***"
    manager = bo_as(h, h.manager, "hr", "employees", "show", "E00001", "-f", "json")
    assert manager.returncode == 0, manager.stderr
    assert json.loads(manager.stdout)[0]["base_salary"] == "12000.00"

    # Pretending to be the manager changes nothing: sudo records who really ran it.
    forged = {"SUDO_USER": h.manager, "SUDO_UID": str(pwd.getpwnam(h.manager).pw_uid)}
    forged |= {"USER": h.manager, "LOGNAME": h.manager}
    faked = bo_as(h, h.clerk, "hr", "employees", "show", "E00001", "-f", "json", **forged)
    assert faked.returncode == 0 and json.loads(faked.stdout)[0]["base_salary"] == "***"
    changed = bo_as(h, h.clerk, "hr", "employees", "update", "E00001", "--phone", "+966500000001",
                    **forged)  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    # Straight to the program, without sudo, the variables name nobody and the store is shut.
    direct = _run(
        "runuser", "-u", h.clerk, "--", *_env(h, **forged), str(h.program),
        "hr", "employees", "show", "E00001", "--reveal", check=False, cwd="/",
    )  # fmt: skip
    assert direct.returncode != 0 and "12000" not in direct.stdout

    # The audit trail names the person, never the service account.
    conn = sqlite3.connect(h.store)
    try:
        rows = conn.execute(
            "SELECT user_login, os_user, action, entity FROM audit_event ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    assert ("root", "root", "create", "employee") in rows
    assert rows[-1] == (h.clerk, h.clerk, "update", "employee"), rows
    # Only the system actor's own registration (by setup) is in the service account's name.
    assert [r for r in rows if h.service in r[:2]] == [(h.service, h.service, "create", "user")]


def test_the_clerk_cannot_open_the_store_by_other_means(host: Host) -> None:
    h = host
    opened = _run(
        "runuser", "-u", h.clerk, "--", "/usr/bin/python3", "-c",
        f"open({str(h.store)!r}, 'rb')", check=False,
    )  # fmt: skip
    assert opened.returncode != 0 and "PermissionError" in opened.stderr, opened.stderr
    if shutil.which("sqlite3"):
        tool = _run(
            "runuser", "-u", h.clerk, "--", "sqlite3", str(h.store), "SELECT 1", check=False
        )
        assert tool.returncode != 0 and "unable to open" in tool.stderr, tool.stderr
    # The sudo rule is the one program: no shell, no interpreter, as the service account.
    for command in (["/bin/sh", "-c", "id"], ["/usr/bin/python3", "-c", "print(1)"]):
        refused = _run(
            "runuser", "-u", h.clerk, "--", "sudo", "-n", "-u", h.service, *command, check=False
        )
        assert refused.returncode != 0, refused.stdout
    # Nor can the console be pointed at another file, or made to write into its own data.
    other = bo_as(h, h.clerk, "--db", "/tmp/mine.db", "users", "list")
    assert other.returncode == 3 and "works on" in other.stderr
    export = bo_as(h, h.clerk, "hr", "employees", "list", "-f", "csv", "-o", str(h.store))
    assert export.returncode == 3 and "standard output" in export.stderr
    assert h.store.stat().st_size > 0 and sqlite3.connect(h.store).execute(
        "PRAGMA quick_check"
    ).fetchone() == ("ok",)


def test_the_service_account_cannot_be_logged_into(host: Host) -> None:
    h = host
    entry = pwd.getpwnam(h.service)
    assert entry.pw_shell in ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false")
    status = _run("passwd", "--status", h.service).stdout.split()
    assert status[1] == "L", status
    su = _run("runuser", "-u", h.clerk, "--", "su", h.service, "-c", "id", check=False, input="")
    assert su.returncode != 0
    login_shell = _run("runuser", "-l", h.service, "-c", "id", check=False)
    assert login_shell.returncode != 0 and "uid=" not in login_shell.stdout


def test_cron_runs_as_the_service_account_and_is_recorded_as_the_system(host: Host) -> None:
    h = host
    backup = h.data / "backups" / "nightly.db"
    nightly = _run(
        "runuser", "-u", h.service, "--", "env", "-i", "PATH=/usr/bin:/bin",
        str(h.program), "db", "backup", str(backup), check=False, cwd="/",
    )  # fmt: skip
    assert nightly.returncode == 0, nightly.stderr
    info = backup.stat()
    assert (info.st_uid, oct(info.st_mode & 0o777)) == (pwd.getpwnam(h.service).pw_uid, "0o600")
    conn = sqlite3.connect(h.store)
    try:
        row = conn.execute(
            "SELECT user_login, os_user, origin FROM audit_event WHERE action = 'backup'"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    assert row == (h.service, h.service, "system")


def test_the_clerk_opens_the_console_in_a_terminal(host: Host) -> None:
    h = host
    shell = ["runuser", "-u", h.clerk, "--", *_env(h, TERM="xterm-256color"), "sh"]
    with terminal(shell, {"TEXTUAL_ANIMATIONS": "none"}, width=100, height=30) as term:
        term.send("cd / && bo; echo DONE:$?", "Enter")
        term.wait_for("Your inbox", timeout=30)
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_for("DONE:0", timeout=30)


def test_the_sshd_match_block_forces_the_console_on_the_group(host: Host, tmp_path: Path) -> None:
    h = host
    if shutil.which("sshd", path="/usr/sbin:/usr/bin:/sbin:/bin") is None:
        _apt_install("openssh-server")
    sshd = shutil.which("sshd", path="/usr/sbin:/usr/bin:/sbin:/bin")
    assert sshd is not None
    block = bo_as(h, "root", "host", "sshd-config", "--group", h.group,
                  "--wrapper", str(h.bin_dir / "bo"))  # fmt: skip
    assert block.returncode == 0, block.stderr
    key = tmp_path / "host_key"
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key))
    config = tmp_path / "sshd_config"
    config.write_text(f"HostKey {key}\nUsePAM no\n" + block.stdout)
    privsep = Path("/run/sshd")
    made = not privsep.exists()
    privsep.mkdir(mode=0o755, exist_ok=True)
    try:
        assert _run(sshd, "-t", "-f", str(config)).returncode == 0

        def effective(user: str) -> dict[str, str]:
            out = _run(
                sshd, "-T", "-f", str(config), "-C", f"user={user},host=client,addr=192.0.2.1"
            ).stdout
            return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)

        clerk = effective(h.clerk)
        assert clerk["forcecommand"] == str(h.bin_dir / "bo")
        assert clerk["allowtcpforwarding"] == "no" and clerk["x11forwarding"] == "no"
        assert effective("root").get("forcecommand", "none") == "none"
    finally:
        if made:
            shutil.rmtree(privsep, ignore_errors=True)


@pytest.mark.slow
def test_reinstalling_with_pip_keeps_the_host_working(host: Host) -> None:
    """The default installer, the venv's own pip, over the host the other tests used."""
    h = host
    again = _setup(h, installer="pip", reinstall=True)
    assert f"installed bo-console {bo_console.__version__} from {SOURCE}" in again.stderr, (
        again.stderr
    )
    assert _run("runuser", "-u", h.clerk, "--", str(h.program), "--version").returncode == 0
    listed = bo_as(h, h.clerk, "hr", "employees", "list")
    assert listed.returncode == 0, listed.stderr
