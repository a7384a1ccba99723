"""``bo host setup``: make this machine a sealed host. Run by root; safe to run again.

Each step checks what is there and does only what is missing or wrong, and says what it did.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bo_console.core.errors import BoError, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.sealed import HOST_FILE_NAME, HostConfig, render_host_config
from bo_console.host import files

if TYPE_CHECKING:
    from sqlmodel import Session

SYSTEM_FULL_NAME = "system: scheduled jobs"
_NOLOGIN = ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false")


class HostSetupFailed(BoError):
    """A step of the host set-up failed (a tool refused, a file is not ours)."""

    title = "host setup failed"


@dataclass(frozen=True)
class HostPlan:
    """What to set up, and where."""

    account: str = "bo-console"
    group: str = "bo-console-users"
    prefix: Path = Path("/opt/bo-console")
    data_dir: Path = Path("/var/lib/bo-console")
    bin_dir: Path = Path("/usr/local/bin")
    sudoers_dir: Path = Path("/etc/sudoers.d")
    source: Path | None = None
    python: Path | None = None
    admin: str | None = None
    store: Path | None = None
    company: str = ""
    currency: str = "SAR"
    reinstall: bool = False
    installer: Literal["pip", "uv"] = "pip"

    @property
    def venv(self) -> Path:
        return self.prefix / "venv"

    @property
    def program(self) -> Path:
        return self.venv / "bin" / "bo"

    @property
    def helper(self) -> Path:
        return self.prefix / "libexec" / "bo-console-admit"

    @property
    def wrapper(self) -> Path:
        return self.bin_dir / "bo"

    @property
    def sudoers_file(self) -> Path:
        # sudo skips drop-ins whose names hold a dot; an account name never needs one here.
        return self.sudoers_dir / self.account.replace(".", "_")

    @property
    def config(self) -> HostConfig:
        return HostConfig(
            account=self.account,
            group=self.group,
            data_dir=self.data_dir,
            database_url=f"sqlite:///{self.data_dir / 'bo.db'}",
            program=self.program,
            admit_helper=self.helper,
        )


@dataclass
class Report:
    """What setup did, one line per change (empty when everything was already in place)."""

    lines: list[str] = field(default_factory=list)

    def did(self, line: str) -> None:
        self.lines.append(line)


def _run(*args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(args), capture_output=True, text=True, input=input_text)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise HostSetupFailed(
            f"`{' '.join(args)}` failed: {detail[-1] if detail else f'exit {result.returncode}'}"
        )
    return result


def _tool(name: str) -> str:
    found = shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if found is None:
        hint = " (apt-get install sudo)" if name in ("sudo", "visudo") else ""
        raise HostSetupFailed(f"{name} is not installed{hint}; it is needed for a sealed host")
    return found


def _reachable_by_all(path: Path) -> bool:
    """Every user can run ``path``: it and each directory above it are world-searchable."""
    real = path.resolve()
    if not real.exists() or not real.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in real.parents)


def choose_python(given: Path | None) -> Path:
    """An interpreter every user can run (never one inside a home directory)."""
    candidates = [given] if given else [Path("/usr/bin/python3"), Path("/usr/local/bin/python3")]
    for candidate in candidates:
        if candidate is None or not candidate.exists():
            continue
        if not _reachable_by_all(candidate):
            if given:
                raise ValidationFailed(
                    f"{given} is not reachable by every user (it or a directory above it is "
                    "not world-executable); give a system interpreter with --python"
                )
            continue
        probe = subprocess.run(
            [str(candidate), "-c", "import sys, venv; sys.exit(sys.version_info < (3, 11))"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return candidate
        if given:
            raise ValidationFailed(f"{given} is not Python 3.11 or newer with the venv module")
    raise ValidationFailed(
        "no system Python 3.11+ with venv found in /usr/bin or /usr/local/bin; "
        "install python3 and python3-venv, or give one with --python"
    )


def default_source() -> Path | None:
    """The source tree this program runs from, when it was installed from one."""
    import bo_console

    tree = Path(bo_console.__file__).resolve().parents[2]
    return tree if (tree / "pyproject.toml").is_file() else None


def _source_version(source: Path) -> str | None:
    if source.is_dir():
        data = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
        version = data.get("project", {}).get("version")
        return str(version) if version else None
    parts = source.name.split("-")  # a wheel: name-version-...
    return parts[1] if source.suffix == ".whl" and len(parts) > 2 else None


def _installed_version(program: Path) -> str | None:
    if not program.exists():
        return None
    result = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    words = result.stdout.split()
    return words[-1] if result.returncode == 0 and words else None


# -- steps --------------------------------------------------------------------------------------


def ensure_accounts(plan: HostPlan, report: Report) -> None:
    """The console users' group, and the service account: a system account with its own
    group, no login shell, a locked password, and the data directory as its home."""
    try:
        grp.getgrnam(plan.group)
    except KeyError:
        _run(_tool("groupadd"), "--system", plan.group)
        report.did(f"created group {plan.group} (console users)")
    nologin = next((s for s in _NOLOGIN if Path(s).exists()), "/bin/false")
    try:
        entry = pwd.getpwnam(plan.account)
    except KeyError:
        _run(
            _tool("useradd"), "--system", "--user-group", "--no-create-home",
            "--home-dir", str(plan.data_dir), "--shell", nologin, plan.account,
        )  # fmt: skip
        report.did(f"created service account {plan.account} (no login shell, no password)")
        entry = pwd.getpwnam(plan.account)
    if entry.pw_uid == 0:
        raise ValidationFailed(f"{plan.account} is root; the service account must be its own")
    if entry.pw_shell not in _NOLOGIN:
        _run(_tool("usermod"), "--shell", nologin, plan.account)
        report.did(f"{plan.account}: login shell set to {nologin}")
    status = _run(_tool("passwd"), "--status", plan.account).stdout.split()
    if len(status) < 2 or status[1] not in ("L", "LK", "NP"):
        _run(_tool("usermod"), "--lock", plan.account)
        report.did(f"{plan.account}: password locked")
    elif status[1] == "NP":  # no password at all: lock it so nothing can log in with an empty one
        _run(_tool("usermod"), "--lock", plan.account)
        report.did(f"{plan.account}: password locked")


def _write_root_file(path: Path, text: str, mode: int, report: Report, what: str) -> None:
    """Write a root-owned file setup manages; never overwrite one it did not write."""
    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if files.MARKER not in current:
            raise RuleViolation(
                f"{path} exists and was not written by `bo host setup`; move it away first"
            )
        info = path.stat()
        if current == text and info.st_uid == 0 and stat.S_IMODE(info.st_mode) == mode:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chown(partial, 0, 0)
    os.chmod(partial, mode)
    os.replace(partial, path)
    report.did(f"wrote {path} ({what})")


def program_source(plan: HostPlan) -> Path:
    """The source tree or wheel to install, resolved.

    Raises:
        ValidationFailed: none given and this program was not installed from a tree, or it
            does not exist.
    """
    source = plan.source or default_source()
    if source is None:
        raise ValidationFailed("give the program to install with --source DIR_OR_WHEEL")
    source = source.resolve()
    if not source.exists():
        raise ValidationFailed(f"{source} does not exist")
    return source


def find_uv() -> str | None:
    """uv beside this program's interpreter (installed into its venv), else on PATH."""
    return shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def _uv() -> str:
    uv = find_uv()
    if uv is None:
        raise ValidationFailed("--installer uv: uv is not installed (pip install uv)")
    return uv


def check_plan(plan: HostPlan) -> None:
    """What the admin gave that can be checked before anything on the host changes: the
    program to install and the installer.

    Raises:
        ValidationFailed: either is missing.
    """
    program_source(plan)
    if plan.installer == "uv":
        _uv()


def install_command(plan: HostPlan, source: Path) -> list[str]:
    """The command that installs ``source`` into the host's virtual environment: its own pip
    (which reads the machine's pip configuration: an index mirror, pinned hashes), or uv when
    the admin asks for it (seconds instead of a minute; it reads uv's configuration instead)."""
    venv_python = str(plan.venv / "bin" / "python")
    # Either installs without compiling; :func:`compile_command` does that after.
    if plan.installer == "pip":
        return [
            venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-warn-script-location", "--no-compile", str(source),
        ]  # fmt: skip
    uv = _uv()
    # Copied, not linked: the installed program shares no file with root's uv cache.
    return [uv, "pip", "install", "--quiet", "--link-mode", "copy",
            "--python", venv_python, str(source)]  # fmt: skip


COMPILE_SKIPS = r"/tests/|/site-packages/(pip|setuptools|pkg_resources|_distutils_hack)/"
"""What the host's venv leaves as source: the packages' own test suites (pandas' alone is over a
thousand files) and the installers, which the program never imports; root runs pip, and may
write its bytecode."""


def compile_command(plan: HostPlan) -> list[str]:
    """Compile the host's venv to bytecode, on every core: the service account cannot write
    bytecode into root's venv, so without it every run would compile what it imports again.
    The installers' own compile took a third more CPU, one file after another."""
    return [str(plan.venv / "bin" / "python"), "-m", "compileall", "-q", "-j", "0",
            "-x", COMPILE_SKIPS, str(plan.venv / "lib")]  # fmt: skip


def install_program(plan: HostPlan, report: Report) -> None:
    """A virtual environment in the root-owned prefix, from the system's Python, with the
    program installed into it (not linked to a source tree), readable and runnable by all."""
    source = program_source(plan)
    old_umask = os.umask(0o022)
    try:
        for folder in (plan.prefix, plan.prefix / "libexec"):
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, 0, 0)
            os.chmod(folder, 0o755)
        python = choose_python(plan.python)
        if not (plan.venv / "bin" / "python").exists():
            _run(str(python), "-m", "venv", str(plan.venv))
            report.did(f"created {plan.venv} from {python}")
        wanted = _source_version(source)
        have = _installed_version(plan.program)
        if plan.reinstall or have is None or have != wanted:
            _run(*install_command(plan, source))
            _run(*compile_command(plan))
            report.did(f"installed bo-console {wanted or ''} from {source} into {plan.venv}")
    finally:
        os.umask(old_umask)
    _write_root_file(
        plan.venv / HOST_FILE_NAME, render_host_config(plan.config), 0o644, report, "host file"
    )
    _write_root_file(
        plan.helper, files.admit_helper(group=plan.group), 0o755, report, "group helper"
    )
    probe = subprocess.run(
        [_tool("runuser"), "-u", plan.account, "--", str(plan.program), "--version"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        raise HostSetupFailed(
            f"{plan.account} cannot run {plan.program}: {probe.stderr.strip() or probe.stdout}"
        )


def install_sudoers(plan: HostPlan, report: Report) -> None:
    """Write the drop-in beside its final name, check it and the whole sudoers with visudo,
    then put it in place (sudo ignores names with a dot, so the check copy is never live)."""
    visudo = _tool("visudo")
    _tool("sudo")
    text = files.sudoers_rule(
        account=plan.account, group=plan.group, program=plan.program, admit_helper=plan.helper
    )
    target = plan.sudoers_file
    if target.exists():
        current = target.read_text(encoding="utf-8", errors="replace")
        if files.MARKER not in current:
            raise RuleViolation(f"{target} exists and was not written by `bo host setup`")
        if current == text and stat.S_IMODE(target.stat().st_mode) == 0o440:
            return
    plan.sudoers_dir.mkdir(parents=True, exist_ok=True)
    candidate = target.with_name(f"{target.name}.new")
    candidate.unlink(missing_ok=True)
    fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o440)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chown(candidate, 0, 0)
    os.chmod(candidate, 0o440)
    try:
        _run(visudo, "-c", "-q", "-f", str(candidate))
        os.replace(candidate, target)
    finally:
        candidate.unlink(missing_ok=True)
    try:
        _run(visudo, "-c", "-q")
    except HostSetupFailed:
        target.unlink(missing_ok=True)
        raise
    report.did(f"wrote {target} (sudoers rule, checked with visudo -c)")


def install_wrapper(plan: HostPlan, report: Report) -> None:
    text = files.wrapper(account=plan.account, group=plan.group, program=plan.program)
    _write_root_file(plan.wrapper, text, 0o755, report, "`bo` for every user")


def _own(plan: HostPlan, path: Path, mode: int) -> bool:
    entry = pwd.getpwnam(plan.account)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise RuleViolation(f"{path} is a symbolic link; the data directory holds none")
    if (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (
        entry.pw_uid,
        entry.pw_gid,
        mode,
    ):
        return False
    os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chmod(path, mode)
    return True


def seal_data_dir(plan: HostPlan, report: Report) -> None:
    """Everything under the data directory belongs to the service account: 0700 directories,
    0600 files (the store, its WAL, job locks, backups, exports)."""
    changed = 0
    for folder in (plan.data_dir, *plan.config.file_dirs):
        folder.mkdir(parents=True, exist_ok=True)
    for root, dirs, names in os.walk(plan.data_dir):
        changed += _own(plan, Path(root), 0o700)
        for name in names:
            changed += _own(plan, Path(root) / name, 0o600)
        for name in dirs:
            if (Path(root) / name).is_symlink():
                raise RuleViolation(f"{Path(root) / name} is a symbolic link")
    if changed:
        report.did(f"{plan.data_dir}: {changed} files and folders now {plan.account}'s alone")


def _move_store(plan: HostPlan, report: Report, target: Path) -> None:
    """Copy an existing database in with SQLite's backup API (never ``cp`` of a live WAL
    file), after checking it, and leave the old file readable by root only."""
    from bo_console.core import maintenance

    assert plan.store is not None
    old = plan.store.expanduser().resolve()
    maintenance.check_restore_source(old)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    src = sqlite3.connect(f"file:{old}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)
    for leftover in (old, old.with_name(old.name + "-wal"), old.with_name(old.name + "-shm")):
        if leftover.exists():
            os.chown(leftover, 0, 0)
            os.chmod(leftover, 0o600)
    report.did(
        f"moved the store from {old} to {target}; the old file is now root's alone "
        "(delete it once you have checked the new one)"
    )


def ensure_store(plan: HostPlan, report: Report) -> None:
    """Move in ``--store``, or create the store with ``--admin`` as its first admin, or keep
    the one there; then make sure the system actor (the service account) is a console user."""
    from bo_console.core import security
    from bo_console.core.db import Store, dispose_engines

    target = plan.config.store_path
    plan.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(plan.data_dir, 0o700)
    store = Store(plan.config.database_url)
    if target.exists():
        if plan.store is not None and plan.store.resolve() != target.resolve():
            raise RuleViolation(
                f"{target} already exists; it is the store (leave out --store, or move it away)"
            )
        store.ensure_usable()
    elif plan.store is not None:
        _move_store(plan, report, target)
        store.ensure_usable()
    else:
        if not plan.admin:
            raise ValidationFailed(
                "there is no store yet: give its first admin with --admin LOGIN (an OS account), "
                "or an existing database to move in with --store FILE"
            )
        identity = security.Identity(os_user=plan.admin, origin="host setup")
        from bo_console import departments

        result = departments.init_database(
            store, identity, currency=plan.currency, company=plan.company
        )
        report.did(result.message)
    with store.write() as session:
        if ensure_system_user(session, plan.account):
            report.did(f"console user {plan.account}: the system actor for cron jobs (admin)")
    dispose_engines()


def ensure_system_user(session: Session, account: str) -> bool:
    """Register the service account as the system actor (role admin) unless it is; True
    when it was added. The audit row names the account itself, acting as the system."""
    from sqlmodel import select

    from bo_console.core import audit, security
    from bo_console.core.models import User, UserRole
    from bo_console.core.sealed import SYSTEM_ORIGIN

    if session.exec(select(User).where(User.login == account)).first() is not None:
        return False
    user = User(login=security.validate_login(account), full_name=SYSTEM_FULL_NAME)
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(UserRole(user_id=user.id, role="admin", granted_by="host setup"))
    actor = security.actor_for_login(
        session, account, security.Identity(os_user=account, origin=SYSTEM_ORIGIN)
    )
    audit.record(
        session,
        actor,
        action="create",
        entity="user",
        entity_id=account,
        changes={
            "login": (None, account),
            "full_name": (None, SYSTEM_FULL_NAME),
            "roles": (None, "admin"),
            "active": (None, True),
        },
    )
    return True


def admit_admin(plan: HostPlan, report: Report) -> None:
    """The first admin (``--admin``) joins the console group, so the wrapper lets them in."""
    if not plan.admin:
        return
    try:
        if pwd.getpwnam(plan.admin).pw_uid == 0:
            return  # root runs the wrapper without the group
    except KeyError:
        report.did(f"note: there is no OS account {plan.admin!r} yet; create it, then run again")
        return
    members = grp.getgrnam(plan.group).gr_mem
    if plan.admin not in members:
        _run(_tool("gpasswd"), "-a", plan.admin, plan.group)
        report.did(f"added {plan.admin} to {plan.group}")


def set_up(plan: HostPlan) -> Report:
    """Every step, in order. Needs root.

    Raises:
        PermissionDenied: not run by root.
        HostSetupFailed, ValidationFailed, RuleViolation: a step could not be done.
    """
    if os.geteuid() != 0:
        raise PermissionDenied("`bo host setup` changes accounts and sudoers: run it as root")
    check_plan(plan)
    report = Report()
    ensure_accounts(plan, report)
    install_program(plan, report)
    ensure_store(plan, report)
    seal_data_dir(plan, report)
    install_sudoers(plan, report)
    install_wrapper(plan, report)
    admit_admin(plan, report)
    return report
