"""The sealed host: the rules for a console whose store only its service account can read.

``bo host setup`` installs the program in a root-owned prefix and writes
``<sys.prefix>/bo-console-host.toml`` beside it, naming the service account, its data directory
and the store. People run the program as that account through sudo (a sudoers rule limited to
the program), so only it can open the store.

Who is acting, on such a host:

- A process running as the service account (real and effective uid both its uid) takes the
  person from what sudo recorded (``SUDO_UID``, checked against ``SUDO_USER``). Only sudo and
  root can start a process as that account: it has no login shell and no password, so a console
  user cannot set these variables for a process of it.
- The same account without a sudo record is the system itself (cron): the system actor.
- Any other process is the OS account that runs it, as on a single-user install; the ``SUDO_*``
  variables are then ignored, because there anyone can set them.

Light imports only: the command line reads this before any command runs.
"""

from __future__ import annotations

import os
import pwd
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bo_console.core.errors import PermissionDenied, UnknownUser, ValidationFailed

HOST_FILE_NAME = "bo-console-host.toml"
SYSTEM_ORIGIN = "system"
"""The origin recorded for the system actor (the service account without a sudo record)."""


@dataclass(frozen=True)
class HostConfig:
    """What ``bo host setup`` recorded about this host."""

    account: str
    group: str
    data_dir: Path
    database_url: str
    program: Path
    admit_helper: Path

    @property
    def store_path(self) -> Path:
        return self.data_dir / "bo.db"

    @property
    def file_dirs(self) -> tuple[Path, Path]:
        """Where people may have the service write (and read back) files: backups, exports."""
        return (self.data_dir / "backups", self.data_dir / "exports")


def parse_host_config(text: str) -> HostConfig:
    """Read the host file's TOML (raises ``ValueError`` for a file that lacks a key)."""
    import tomllib  # only a sealed host has the file: every other command is spared its import

    data = tomllib.loads(text)
    try:
        return HostConfig(
            account=str(data["account"]),
            group=str(data["group"]),
            data_dir=Path(str(data["data_dir"])),
            database_url=str(data["database_url"]),
            program=Path(str(data["program"])),
            admit_helper=Path(str(data["admit_helper"])),
        )
    except KeyError as exc:
        raise ValueError(f"missing key {exc}") from None


def render_host_config(config: HostConfig) -> str:
    """The host file's text (read back by :func:`parse_host_config`)."""

    def q(value: object) -> str:
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    return (
        "# Written by `bo host setup`; run it again rather than editing this file.\n"
        f"account = {q(config.account)}\n"
        f"group = {q(config.group)}\n"
        f"data_dir = {q(config.data_dir)}\n"
        f"database_url = {q(config.database_url)}\n"
        f"program = {q(config.program)}\n"
        f"admit_helper = {q(config.admit_helper)}\n"
    )


def host_file(prefix: str | None = None) -> Path:
    """Where the installed program finds its host file: inside its own (root-owned) prefix."""
    return Path(prefix if prefix is not None else sys.prefix) / HOST_FILE_NAME


def trusted(owner_uid: int, mode: int) -> bool:
    """Whether a host file with this owner and mode may be believed: root's, and only root
    may change it (anyone who could write it could name another account as the service)."""
    return owner_uid == 0 and not mode & 0o022


_cache: dict[str, HostConfig | None] = {}


def host_config(path: Path | None = None) -> HostConfig | None:
    """This installation's host file, or None when this is not a sealed host (or the file is
    not root's alone, or is unreadable)."""
    path = path or host_file()
    key = str(path)
    if key not in _cache:
        config: HostConfig | None = None
        try:
            info = path.stat()
            if trusted(info.st_uid, info.st_mode):
                config = parse_host_config(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            config = None
        _cache[key] = config
    return _cache[key]


# -- who is acting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Process:
    """The facts about a process that decide who is acting."""

    uid: int
    euid: int
    env: Mapping[str, str]


def current_process() -> Process:
    return Process(uid=os.getuid(), euid=os.geteuid(), env=os.environ)


def account_name(uid: int) -> str | None:
    """The account name of ``uid`` from the password database, or None."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def account_uid(name: str) -> int | None:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


@dataclass(frozen=True)
class Acting:
    """The person behind a process of the service account."""

    os_user: str
    system: bool
    """True for the service account acting on its own (cron), with no person behind it."""


def runs_as_service(process: Process, service_uid: int | None) -> bool:
    """Real and effective uid are both the service account's."""
    return service_uid is not None and process.uid == service_uid == process.euid


def acting_person(
    process: Process,
    service: str | None,
    *,
    uid_of: Callable[[str], int | None] = account_uid,
    name_of: Callable[[int], str | None] = account_name,
) -> Acting | None:
    """Who acts in a process of the sealed host's service account ``service``.

    None when ``service`` is None (not a sealed host) or the process does not run as that
    account: the caller then takes the OS account of the process, as everywhere else.

    Raises:
        UnknownUser: sudo's record is incomplete or contradicts itself.
    """
    if service is None:
        return None
    service_uid = uid_of(service)
    if not runs_as_service(process, service_uid):
        return None
    raw_uid = process.env.get("SUDO_UID")
    if raw_uid is None:
        return Acting(os_user=service, system=True)
    try:
        invoker_uid = int(raw_uid)
    except ValueError:
        raise UnknownUser(
            f"sudo's record of who ran bo is unreadable (SUDO_UID={raw_uid!r})"
        ) from None
    if invoker_uid == service_uid:
        return Acting(os_user=service, system=True)
    name = name_of(invoker_uid)
    if name is None:
        raise UnknownUser(f"OS user id {invoker_uid} who ran bo through sudo has no account name")
    if process.env.get("SUDO_USER") != name:
        raise UnknownUser(
            f"sudo's record of who ran bo does not agree with itself (uid {invoker_uid} "
            f"is {name!r}); run bo through its wrapper"
        )
    return Acting(os_user=name, system=False)


def current_acting() -> Acting | None:
    """:func:`acting_person` for this process and this installation."""
    config = host_config()
    return acting_person(current_process(), config.account if config else None)


# -- what a person may have the service account touch ----------------------------------------


def pinned_database_url(requested: str | None, normalise: Callable[[str], str]) -> str | None:
    """On a sealed host, in a process of its service account: the host's store URL.

    Anything else asked for (``--db``, ``$BO_DATABASE_URL``) is refused there: the service
    account may write wherever it can, and a person must not point it at another file.
    None elsewhere (resolve as usual).

    Raises:
        PermissionDenied: another database was asked for.
    """
    config = host_config()
    if config is None or current_acting() is None:
        return None
    if requested and normalise(requested) != config.database_url:
        raise PermissionDenied(
            f"on this host bo works on {config.store_path} only; leave out --db and BO_DATABASE_URL"
        )
    return config.database_url


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_person_path(
    path: Path, *, writing: bool, config: HostConfig | None, acting: Acting | None
) -> Path:
    """The resolved ``path``, if a person may have the service account write or read it.

    Rules apply when a person acts through sudo; elsewhere ``path`` comes back unchanged. The
    service writes files only into its backups and exports directories (what it writes there
    stays its own, 0600), and reads nothing else of its data directory (the store, its WAL,
    the job locks): people take data out through standard output (``bo ... > FILE``).

    Raises:
        PermissionDenied: the path is not one the person may use.
    """
    if config is None or acting is None or acting.system:
        return path
    resolved = path.expanduser().resolve()
    data_dir = config.data_dir.resolve()
    allowed = [d.resolve() for d in config.file_dirs]
    if any(_inside(resolved, d) and resolved != d for d in allowed):
        return resolved
    if writing:
        raise PermissionDenied(
            f"on this host bo writes files only into {allowed[1]} (exports) and "
            f"{allowed[0]} (backups); to have the data yourself, write to standard output: "
            "`bo ... > FILE`"
        )
    if _inside(resolved, data_dir):
        raise PermissionDenied(f"{path} belongs to the console's service account")
    return resolved


def person_path(path: Path, *, writing: bool) -> Path:
    """:func:`check_person_path` for this process and this installation."""
    config = host_config()
    if config is None:
        return path
    return check_person_path(path, writing=writing, config=config, acting=current_acting())


@contextmanager
def person_file(path: Path) -> Iterator[Path]:
    """A file a person gave the program to read, as a path the reader may open by name.

    Elsewhere ``path`` itself. On a sealed host the rule of :func:`check_person_path` is
    applied to the file actually opened (a link or a directory swapped after the check cannot
    lead the service account into its own data), and the reader gets a private copy of what
    was opened, under the same name, so nothing can change between that check and its reads.
    """
    import shutil
    import tempfile

    config = host_config()
    acting = current_acting() if config is not None else None
    if config is None or acting is None or acting.system:
        yield path
        return
    resolved = check_person_path(path, writing=False, config=config, acting=acting)
    try:
        fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ValidationFailed(f"{path} is not a file") from None
    except OSError as exc:
        raise PermissionDenied(f"{path} cannot be read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as source:
        opened = Path(os.readlink(f"/proc/self/fd/{source.fileno()}"))
        check_person_path(opened, writing=False, config=config, acting=acting)
        if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
            raise ValidationFailed(f"{path} is not a file")
        with tempfile.TemporaryDirectory(prefix="bo-read-") as folder:
            copy = Path(folder) / resolved.name
            with copy.open("xb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            yield copy
