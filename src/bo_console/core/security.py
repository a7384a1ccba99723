"""Who is acting and what they may do: OS identity, console users, roles and permissions.

Identity comes from the OS account running the process (``pwd.getpwuid(os.getuid())``), never
from ``$USER`` or ``$LOGNAME``, which anyone can set. On PostgreSQL it is the database login
(``session_user``): over the local socket with peer authentication that is the OS account,
from another machine the role the person logged in as (:func:`login_identity`). Roles are
built in and made of named permissions; services call :meth:`Actor.require` before they
change or reveal anything.
"""

from __future__ import annotations

import os
import pwd
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, cast

from bo_console.core.errors import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    UnknownUser,
    ValidationFailed,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import User
    from bo_console.core.reading import Reads

DEPARTMENTS: dict[str, str] = {
    "finance": "Finance",
    "hr": "HR and payroll",
    "it": "IT",
    "logistics": "Logistics",
    "data": "Data management",
}
"""Department codes and their display names, in the order screens list them."""

FRONT_OFFICE = "front"
"""The sender code for work coming from outside the back office (sales, customer service)."""

PERMISSIONS: dict[str, str] = {
    "users.admin": "add users, grant and revoke roles, disable users",
    "users.read": "list users and their roles",
    "audit.read": "read the audit trail and verify it",
    "jobs.read": "list batch job runs",
    "db.admin": "back up, restore and migrate the database",
    "inbox.send": "send work items to any department",
    "inbox.manage": "escalate overdue work items and read every department's digest",
    "finance.read": "read accounts, journals, documents and reports",
    "finance.post": "draft and post journal entries, invoices, bills and payments",
    "finance.manage": "close periods, void documents, manage the chart of accounts",
    "hr.read": "read employees, recruiting, training and leave (confidential fields masked)",
    "hr.write": "create and change HR records",
    "hr.manage": "approve leave, hire and terminate",
    "hr.confidential": "see salaries, IBANs, national IDs and dates of birth",
    "payroll.prepare": "prepare pay runs",
    "payroll.approve": "approve, post and pay pay runs prepared by someone else",
    "it.read": "read tickets, assets and licences",
    "it.write": "work tickets, manage assets and licences",
    "it.manage": "assign tickets and manage IT settings",
    "logistics.read": "read items, stock, purchase orders and shipments",
    "logistics.write": "move stock, raise purchase orders and shipments",
    "logistics.manage": "approve purchase orders, adjust stock, set reorder levels",
    "data.read": "read dashboards and data-quality results",
    "data.query": "run read-only queries and exports",
    "data.manage": "schedule reports and manage data-quality checks",
    "front.read": "open the front office: the status of sales orders (no costs, no ledger)",
    "front.write": "register customers, enter quotations and orders, raise customer requests",
}
"""Every named permission, with what it allows."""

DEPARTMENT_READ = {dept: f"{dept}.read" for dept in DEPARTMENTS}
DEPARTMENT_WRITE = {
    "finance": "finance.post",
    "hr": "hr.write",
    "it": "it.write",
    "logistics": "logistics.write",
    "data": "data.manage",
}
"""The permission that lets someone work a department's inbox items."""


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: frozenset[str]


def _build_roles() -> dict[str, Role]:
    reads = {p for p in PERMISSIONS if p.endswith(".read")}
    roles = [
        Role("admin", "everything, including users and the database", frozenset(PERMISSIONS)),
        Role(
            "auditor",
            "reads everything and the audit trail, changes nothing",
            frozenset(reads | {"audit.read"}),
        ),
        Role(
            "analyst",
            "reads every department and runs read-only queries",
            frozenset({DEPARTMENT_READ[d] for d in DEPARTMENTS} | {"data.query"}),
        ),
    ]
    extra_manager = {
        "hr": {"hr.confidential", "payroll.prepare", "payroll.approve"},
        "data": {"data.query"},
    }
    for dept, label in DEPARTMENTS.items():
        clerk = {DEPARTMENT_READ[dept], DEPARTMENT_WRITE[dept]}
        if dept == "data":
            clerk = {"data.read", "data.query"}
        manager = clerk | {f"{dept}.manage"} | extra_manager.get(dept, set())
        roles.append(Role(f"{dept}-clerk", f"day-to-day work in {label}", frozenset(clerk)))
        roles.append(
            Role(
                f"{dept}-manager",
                f"{label} clerk work plus approvals and settings",
                frozenset(manager),
            )
        )
    roles.append(
        Role(
            "front-office",
            "faces customers: registers them, enters quotations and orders, reads order status "
            "and raises requests to the back office; sees no ledger, salary or cost",
            frozenset({"front.read", "front.write", "inbox.send"}),
        )
    )
    roles.append(
        Role(
            "payroll-officer",
            "prepares pay runs and sees salaries",
            frozenset({"hr.read", "hr.confidential", "payroll.prepare"}),
        )
    )
    return {role.name: role for role in roles}


ROLES: dict[str, Role] = _build_roles()
"""The built-in roles, by name."""

_LOGIN_RE = re.compile(r"^[a-z_][a-z0-9_.-]{0,63}$")


def roles_with(permission: str) -> list[str]:
    """Names of the roles that include ``permission`` (for denial messages)."""
    return [name for name, role in ROLES.items() if permission in role.permissions]


@dataclass(frozen=True)
class Identity:
    """The OS side of who is acting."""

    os_user: str
    origin: str


def os_identity() -> Identity:
    """The OS account that runs this process and where it connects from.

    On a sealed host, a process of its service account is the person sudo recorded, or the
    system actor (:mod:`bo_console.core.sealed`); ``$SUDO_USER`` is believed nowhere else.

    Raises:
        UnknownUser: the process's uid has no account name (common in containers).
    """
    from bo_console.core import sealed

    acting = sealed.current_acting()
    if acting is not None:
        origin = sealed.SYSTEM_ORIGIN if acting.system else session_origin()
        return Identity(os_user=acting.os_user, origin=origin)
    uid = os.getuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        raise UnknownUser(
            f"OS user id {uid} has no account name; run bo as a named OS account "
            "that an admin has added with `bo users add LOGIN --role ROLE`"
        ) from None
    return Identity(os_user=name, origin=session_origin())


def login_identity(db: Reads) -> Identity:
    """Who is acting on the database behind ``db`` (a Reader or a session): on PostgreSQL its
    login (the server authenticated it), elsewhere :func:`os_identity`."""
    from bo_console.core.reading import dialect_of, reader_of

    if dialect_of(db) != "postgresql":
        return os_identity()
    login = reader_of(db).scalar("SELECT session_user")
    return Identity(os_user=str(login), origin=session_origin())


def store_identity(url: str) -> Identity:
    """:func:`login_identity` for the database at ``url`` (``bo init`` and ``bo demo`` make
    this identity the first admin)."""
    from bo_console.core.db import Store

    store = Store(url)
    if store.is_sqlite:
        return os_identity()
    with store.read() as session:
        return login_identity(session)


def session_origin() -> str:
    """``ssh <client> (claimed)`` over SSH, the tty name on a terminal, else ``batch``.

    The SSH client comes from ``$SSH_CONNECTION``, which anyone can set before running ``bo``,
    so the audit trail marks it as claimed; the OS account beside it is the authoritative part.
    """
    ssh = os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_CLIENT")
    if ssh and ssh.split():
        return f"ssh {ssh.split()[0][:60]} (claimed)"
    for stream in (sys.stdin, sys.stdout):
        try:
            if stream is not None and stream.isatty():
                return os.ttyname(stream.fileno())
        except (OSError, ValueError):
            continue
    return "batch"


@dataclass(frozen=True)
class Actor:
    """A signed-in console user: who they are, where from, and what they may do."""

    user_id: int
    login: str
    full_name: str
    os_user: str
    origin: str
    roles: tuple[str, ...]
    permissions: frozenset[str] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str, doing: str = "") -> None:
        """Raise :class:`PermissionDenied` unless the actor holds ``permission``."""
        if permission in self.permissions:
            return
        what = f" to {doing}" if doing else ""
        holders = ", ".join(roles_with(permission)) or "none"
        raise PermissionDenied(
            f"{self.login} lacks {permission}{what} (roles that have it: {holders})"
        )

    @property
    def role_label(self) -> str:
        return ", ".join(self.roles) or "no role"


def permissions_of(roles: Iterable[str]) -> frozenset[str]:
    perms: set[str] = set()
    for name in roles:
        role = ROLES.get(name)
        if role is not None:
            perms |= role.permissions
    return frozenset(perms)


def _actor_for(session: Session, user: User, identity: Identity) -> Actor:
    roles = tuple(sorted(user_roles(session, user)))
    assert user.id is not None
    return Actor(
        user_id=user.id,
        login=user.login,
        full_name=user.full_name,
        os_user=identity.os_user,
        origin=identity.origin,
        roles=roles,
        permissions=permissions_of(roles),
    )


def sign_in(db: Reads, identity: Identity | None = None) -> Actor:
    """Map the OS account to its console user, reading through ``db`` (a Reader or a
    session).

    Plain SQL: every command and the console sign in at start, and on SQLite they do it
    without SQLAlchemy (:mod:`bo_console.core.reading`). Through a session, changes not yet
    flushed are flushed first, as an ORM query would.

    Raises:
        UnknownUser: the account is not registered, or is disabled.
    """
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    identity = identity or login_identity(reader)
    user = reader.first(
        "SELECT id, login, full_name, active FROM console_user WHERE login = :login",
        {"login": identity.os_user},
    )
    if user is None:
        raise UnknownUser(
            f"OS user {identity.os_user!r} is not a console user; "
            f"an admin can add you with `bo users add {identity.os_user} --role ROLE`"
        )
    user_id, login, full_name, active = user
    if not active:
        raise UnknownUser(
            f"console user {identity.os_user!r} is disabled; "
            f"an admin can re-enable it with `bo users enable {identity.os_user}`"
        )
    roles = tuple(
        sorted(
            str(role)
            for (role,) in reader.rows(
                "SELECT role FROM user_role WHERE user_id = :user_id", {"user_id": user_id}
            )
        )
    )
    return Actor(
        user_id=int(user_id),
        login=str(login),
        full_name=str(full_name),
        os_user=identity.os_user,
        origin=identity.origin,
        roles=roles,
        permissions=permissions_of(roles),
    )


def user_roles(session: Session, user: User) -> list[str]:
    from sqlmodel import select

    from bo_console.core.models import UserRole

    return list(session.exec(select(UserRole.role).where(UserRole.user_id == user.id)).all())


# -- user administration (the service behind `bo users` and the Admin screen) -------------------


@dataclass(frozen=True)
class UserView:
    """A user with their roles, as lists show them."""

    id: int
    login: str
    full_name: str
    active: bool
    roles: tuple[str, ...]
    created_at: str


def validate_login(login: str) -> str:
    login = login.strip()
    if not _LOGIN_RE.match(login):
        raise ValidationFailed(
            f"invalid login {login!r}: use an OS account name "
            "(lower-case letters, digits, '_', '.', '-'; up to 64 characters)"
        )
    return login


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(f"unknown role {role!r}; see `bo users roles`")
    return role


def _id_of(user: User) -> int:
    assert user.id is not None, "the user must be flushed first"
    return user.id


def _get_user(session: Session, login: str) -> User:
    from sqlmodel import select

    from bo_console.core.models import User

    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        raise NotFound(f"no console user {login!r}")
    return user


def add_user(
    session: Session, actor: Actor, *, login: str, roles: Iterable[str], full_name: str = ""
) -> User:
    """Register an OS account as a console user with the given roles."""
    from sqlmodel import select

    from bo_console.core import audit
    from bo_console.core.models import User, UserRole
    from bo_console.core.text import clean

    actor.require("users.admin", "add users")
    login = validate_login(login)
    role_list = sorted({validate_role(r) for r in roles})
    if not role_list:
        raise ValidationFailed("give at least one role (--role ROLE)")
    full_name = clean(full_name)
    if len(full_name) > 120:
        raise ValidationFailed("full name is longer than 120 characters")
    if session.exec(select(User).where(User.login == login)).first() is not None:
        raise RuleViolation(f"console user {login!r} already exists")
    user = User(login=login, full_name=full_name)
    session.add(user)
    session.flush()
    for role in role_list:
        session.add(UserRole(user_id=_id_of(user), role=role, granted_by=actor.login))
    audit.record(
        session,
        actor,
        action="create",
        entity="user",
        entity_id=login,
        changes={
            "login": (None, login),
            "full_name": (None, full_name),
            "roles": (None, ",".join(role_list)),
            "active": (None, True),
        },
    )
    return user


def grant_role(session: Session, actor: Actor, *, login: str, role: str) -> bool:
    """Grant a role; returns False when the user already had it."""
    from bo_console.core import audit
    from bo_console.core.models import UserRole

    actor.require("users.admin", "grant roles")
    role = validate_role(role)
    user = _get_user(session, login)
    before = user_roles(session, user)
    if role in before:
        return False
    session.add(UserRole(user_id=_id_of(user), role=role, granted_by=actor.login))
    audit.record(
        session,
        actor,
        action="grant",
        entity="user",
        entity_id=login,
        changes={"roles": (",".join(sorted(before)), ",".join(sorted([*before, role])))},
    )
    return True


def _active_admins(session: Session) -> int:
    from sqlmodel import func, select

    from bo_console.core.models import User, UserRole

    statement = (
        select(func.count())
        .select_from(UserRole)
        .join(User, User.id == UserRole.user_id)  # type: ignore[arg-type]
        .where(UserRole.role == "admin", User.active == True)  # noqa: E712
    )
    return int(session.exec(statement).one())


def revoke_role(session: Session, actor: Actor, *, login: str, role: str) -> bool:
    """Revoke a role; returns False when the user did not have it. Keeps one active admin."""
    from sqlmodel import select

    from bo_console.core import audit
    from bo_console.core.models import UserRole

    actor.require("users.admin", "revoke roles")
    role = validate_role(role)
    user = _get_user(session, login)
    before = user_roles(session, user)
    if role not in before:
        return False
    if role == "admin" and user.active and _active_admins(session) <= 1:
        raise RuleViolation("cannot revoke admin from the last active admin")
    link = session.exec(
        select(UserRole).where(UserRole.user_id == user.id, UserRole.role == role)
    ).one()
    session.delete(link)
    after = sorted(r for r in before if r != role)
    audit.record(
        session,
        actor,
        action="revoke",
        entity="user",
        entity_id=login,
        changes={"roles": (",".join(sorted(before)), ",".join(after))},
    )
    return True


def set_active(session: Session, actor: Actor, *, login: str, active: bool) -> bool:
    """Disable or re-enable a user; returns False when nothing changed."""
    from bo_console.core import audit

    actor.require("users.admin", "disable or enable users")
    user = _get_user(session, login)
    if user.active == active:
        return False
    if not active:
        if user.login == actor.login:
            raise RuleViolation("you cannot disable yourself")
        if "admin" in user_roles(session, user) and _active_admins(session) <= 1:
            raise RuleViolation("cannot disable the last active admin")
    user.active = active
    session.add(user)
    audit.record(
        session,
        actor,
        action="enable" if active else "disable",
        entity="user",
        entity_id=login,
        changes={"active": (not active, active)},
    )
    return True


def list_users(db: Reads, actor: Actor) -> list[UserView]:
    """Every console user with their roles, by login: plain SQL through a Reader or a
    session (``bo users list`` reads without SQLAlchemy)."""
    from bo_console.core.lookups import moment_of
    from bo_console.core.reading import reader_of

    if not (actor.can("users.admin") or actor.can("users.read")):
        actor.require("users.read", "list users")
    reader = reader_of(db)
    users = reader.rows(
        "SELECT id, login, full_name, active, created_at FROM console_user ORDER BY login"
    )
    by_user: dict[int, list[str]] = {}
    for user_id, role in reader.rows("SELECT user_id, role FROM user_role"):
        by_user.setdefault(int(user_id), []).append(str(role))
    return [
        UserView(
            id=int(user_id or 0),
            login=str(login),
            full_name=str(full_name),
            active=bool(active),
            roles=tuple(sorted(by_user.get(int(user_id or 0), []))),
            created_at=cast(datetime, moment_of(created_at)).strftime("%Y-%m-%d %H:%M"),
        )
        for user_id, login, full_name, active, created_at in users
    ]


def bootstrap_admin(session: Session, identity: Identity, full_name: str = "") -> User:
    """Register the OS user who creates the database as its first admin (``bo init``)."""
    from bo_console.core import audit
    from bo_console.core.models import User, UserRole

    user = User(login=validate_login(identity.os_user), full_name=full_name)
    session.add(user)
    session.flush()
    session.add(UserRole(user_id=_id_of(user), role="admin", granted_by=identity.os_user))
    actor = _actor_for(session, user, identity)
    audit.record(
        session,
        actor,
        action="create",
        entity="user",
        entity_id=user.login,
        changes={"login": (None, user.login), "roles": (None, "admin"), "active": (None, True)},
    )
    return user


def actor_for_login(session: Session, login: str, identity: Identity | None = None) -> Actor:
    """An actor for a named console user (tests, and the demo builder acting as staff)."""
    user = _get_user(session, login)
    ident = identity or Identity(os_user=login, origin="batch")
    return _actor_for(session, user, ident)
