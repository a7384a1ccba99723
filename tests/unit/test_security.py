"""Identity, users and roles, and the role x action matrix over the core's actions."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import text

from bo_console import departments
from bo_console.core import audit, inbox, jobs, maintenance, security, settings, user_io
from bo_console.core.db import Store
from bo_console.core.errors import (
    ExitCode,
    NotFound,
    PermissionDenied,
    RuleViolation,
    UnknownUser,
    ValidationFailed,
)
from bo_console.core.security import ROLES, Actor, Identity


def test_identity_is_the_os_account_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "admin")
    monkeypatch.setenv("LOGNAME", "admin")
    assert security.os_identity().os_user == pwd.getpwuid(os.getuid()).pw_name


def test_a_uid_without_an_account_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    with pytest.raises(UnknownUser, match="no account name"):
        security.os_identity()


def test_a_real_process_cannot_claim_the_admin_through_the_environment(
    tmp_path: Path,
) -> None:
    me = pwd.getpwuid(os.getuid()).pw_name
    path = tmp_path / "bo.db"
    departments.init_database(Store(f"sqlite:///{path}"), Identity("boadmin", "test"))
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "USER": "boadmin",
        "LOGNAME": "boadmin",
        "SUDO_USER": "boadmin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bo_console", "--db", str(path), "users", "list"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == ExitCode.PERMISSION, result.stderr
    assert f"OS user {me!r} is not a console user" in result.stderr
    assert result.stdout == ""


def test_origin_names_the_ssh_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.1.2.3 52514 10.0.0.1 22")
    # The variable is the user's to set: the origin says it is only claimed.
    assert security.session_origin() == "ssh 10.1.2.3 (claimed)"


def test_unknown_os_user_is_refused_with_the_fix(store: Store) -> None:
    with store.read() as session, pytest.raises(UnknownUser, match="bo users add mallory"):
        security.sign_in(session, Identity("mallory", "test"))


def test_disabled_user_is_refused(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    make_user("omar", "finance-clerk")
    with store.write() as session:
        security.set_active(session, admin, login="omar", active=False)
    with store.read() as session, pytest.raises(UnknownUser, match="disabled"):
        security.sign_in(session, Identity("omar", "test"))


def test_user_rules(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> None:
    with store.write() as session:
        with pytest.raises(ValidationFailed, match="invalid login"):
            security.add_user(session, admin, login="Bad Name", roles=["analyst"])
        with pytest.raises(ValidationFailed, match="unknown role"):
            security.add_user(session, admin, login="x", roles=["wizard"])
        with pytest.raises(ValidationFailed, match="at least one role"):
            security.add_user(session, admin, login="x", roles=[])
        with pytest.raises(RuleViolation, match="already exists"):
            security.add_user(session, admin, login="boadmin", roles=["analyst"])
        with pytest.raises(RuleViolation, match="last active admin"):
            security.revoke_role(session, admin, login="boadmin", role="admin")
        with pytest.raises(RuleViolation, match="yourself"):
            security.set_active(session, admin, login="boadmin", active=False)
        with pytest.raises(NotFound):
            security.grant_role(session, admin, login="ghost", role="analyst")
    second = make_user("root2", "admin")
    with store.write() as session:
        assert security.revoke_role(session, second, login="boadmin", role="admin")
        # ``admin`` still holds its signed-in permissions; the rule is about the target.
        with pytest.raises(RuleViolation, match="last active admin"):
            security.set_active(session, admin, login="root2", active=False)
        assert not security.grant_role(session, second, login="root2", role="admin")


def test_every_role_uses_known_permissions() -> None:
    for role in ROLES.values():
        assert role.permissions <= set(security.PERMISSIONS), role.name
    assert ROLES["auditor"].permissions.isdisjoint(
        {p for p in security.PERMISSIONS if not p.endswith(".read")} - {"audit.read"}
    )


# -- the matrix ------------------------------------------------------------------------------
#
# Each role acts on its own target records (``t-<role>``, ``new-<role>``), so an allowed action
# never changes what the next role sees. The expected sets are written out by hand on purpose:
# they are the specification, not something derived from ROLES.

Action = Callable[[Store, Actor, Path], object]


def _add_user(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.add_user(s, actor, login=f"new-{actor.login}", roles=["analyst"])


def _grant(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.grant_role(s, actor, login=f"t-{actor.login}", role="analyst")


def _revoke(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.revoke_role(s, actor, login=f"t-{actor.login}", role="it-clerk")


def _disable(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        return security.set_active(s, actor, login=f"t-{actor.login}", active=False)


def _change_setting(store: Store, actor: Actor, tmp: Path) -> object:
    with store.write() as s:
        settings.put(s, actor, "company_name", f"Renamed by {actor.login}")
    return True


def _list_users(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        return security.list_users(s, actor)


def _audit_log(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        return audit.query_log(s, actor, audit.AuditFilter())


def _audit_verify(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        report = audit.verify_chain(s, actor)
    assert report.ok
    return report


def _jobs_list(store: Store, actor: Actor, tmp: Path) -> object:
    with store.read() as s:
        return jobs.list_runs(s, actor)


def _backup(store: Store, actor: Actor, tmp: Path) -> object:
    dest = tmp / f"b-{actor.login}.db"
    try:
        return maintenance.backup(store, actor, dest)
    finally:
        if not actor.can("db.admin"):
            assert not dest.exists(), "a denied backup left a file behind"


def _check(store: Store, actor: Actor, tmp: Path) -> object:
    return departments.check_store(store, actor)


def _new_item(session: object, dept: str) -> int:
    from sqlmodel import Session

    session = cast(Session, session)
    boss = security.actor_for_login(session, "boadmin")
    item = inbox.create_item(
        session,
        boss,
        from_dept="front",
        item=inbox.NewWorkItem(to_dept=dept, kind="general", subject="s"),
    )
    assert item.id is not None
    return item.id


def _inbox_read(dept: str) -> Action:
    def act(store: Store, actor: Actor, tmp: Path) -> object:
        with store.read() as s:
            return inbox.list_items(s, actor, dept=dept)

    return act


def _inbox_assign(dept: str) -> Action:
    def act(store: Store, actor: Actor, tmp: Path) -> object:
        # Item and assignment in one transaction: a denial rolls the new item back too.
        with store.write() as s:
            return inbox.assign(s, actor, _new_item(s, dept), f"t-{actor.login}")

    return act


def _inbox_done(dept: str) -> Action:
    def act(store: Store, actor: Actor, tmp: Path) -> object:
        with store.write() as s:
            return inbox.set_status(s, actor, _new_item(s, dept), "done")

    return act


EVERYONE = set(ROLES)
READERS = {"admin", "auditor"}
ACTIONS: dict[str, tuple[Action, set[str], bool]] = {
    # name: (action, roles allowed, whether it writes)
    "add user": (_add_user, {"admin"}, True),
    "grant": (_grant, {"admin"}, True),
    "revoke": (_revoke, {"admin"}, True),
    "disable": (_disable, {"admin"}, True),
    "change setting": (_change_setting, {"admin"}, True),
    "list users": (_list_users, READERS, False),
    "audit log": (_audit_log, READERS, False),
    "audit verify": (_audit_verify, READERS, False),
    "jobs list": (_jobs_list, READERS, False),
    "db backup": (_backup, {"admin"}, True),
    "db check": (_check, READERS, False),
}
DEPARTMENT_READERS = {
    "finance": {"admin", "auditor", "analyst", "finance-clerk", "finance-manager"},
    "hr": {"admin", "auditor", "analyst", "hr-clerk", "hr-manager", "payroll-officer"},
    "it": {"admin", "auditor", "analyst", "it-clerk", "it-manager"},
    "logistics": {"admin", "auditor", "analyst", "logistics-clerk", "logistics-manager"},
    "data": {"admin", "auditor", "analyst", "data-clerk", "data-manager"},
}
DEPARTMENT_WORKERS = {
    "finance": {"admin", "finance-clerk", "finance-manager"},
    "hr": {"admin", "hr-clerk", "hr-manager"},
    "it": {"admin", "it-clerk", "it-manager"},
    "logistics": {"admin", "logistics-clerk", "logistics-manager"},
    # data clerks query and read; working the data inbox is a manager's job
    "data": {"admin", "data-manager"},
}
for _dept in security.DEPARTMENTS:
    ACTIONS[f"{_dept} inbox read"] = (_inbox_read(_dept), DEPARTMENT_READERS[_dept], False)
    ACTIONS[f"{_dept} inbox assign"] = (_inbox_assign(_dept), DEPARTMENT_WORKERS[_dept], True)
    ACTIONS[f"{_dept} inbox done"] = (_inbox_done(_dept), DEPARTMENT_WORKERS[_dept], True)

CORE_TABLES = ["audit_event", "console_user", "user_role", "work_item", "work_item_comment"]
CORE_TABLES += ["job_run", "setting"]


def footprint(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every core table: any insert, update or delete shows."""
    with store.read() as s:
        return {
            t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY rowid"))]
            for t in CORE_TABLES
        }


@pytest.fixture
def role_actors(store: Store, admin: Actor) -> dict[str, Actor]:
    """One user per built-in role (``u-<role>``), each with a target ``t-u-<role>``."""
    with store.write() as s:
        for role in ROLES:
            security.add_user(s, admin, login=f"u-{role}", roles=[role])
            security.add_user(s, admin, login=f"t-u-{role}", roles=["it-clerk"])
    with store.read() as s:
        return {role: security.sign_in(s, Identity(f"u-{role}", "test")) for role in ROLES}


@pytest.mark.parametrize("action_name", list(ACTIONS))
def test_role_action_matrix(
    store: Store, role_actors: dict[str, Actor], tmp_path: Path, action_name: str
) -> None:
    action, allowed, writes = ACTIONS[action_name]
    assert allowed <= EVERYONE
    outcome: dict[str, bool] = {}
    for role, actor in role_actors.items():
        before = footprint(store)
        try:
            action(store, actor, tmp_path)
        except PermissionDenied as denied:
            outcome[role] = False
            assert actor.login in denied.message
            assert footprint(store) == before, f"{role} changed something on a denied action"
        else:
            outcome[role] = True
            if writes:
                assert footprint(store) != before, f"{role}'s {action_name} changed nothing"
    assert {role for role, ok in outcome.items() if ok} == allowed


def test_the_auditor_changes_nothing(
    store: Store, role_actors: dict[str, Actor], tmp_path: Path
) -> None:
    auditor = role_actors["auditor"]
    good_backup = tmp_path / "good" / "backup.db"
    good_backup.parent.mkdir()
    maintenance.backup(store, role_actors["admin"], good_backup)
    before = footprint(store)
    denied = []
    for name, (action, _allowed, writes) in ACTIONS.items():
        if not writes:
            action(store, auditor, tmp_path)  # reading is allowed or simply refused
            continue
        with pytest.raises(PermissionDenied):
            action(store, auditor, tmp_path)
        denied.append(name)
    with store.write() as s:
        with pytest.raises(PermissionDenied):
            inbox.create_item(
                s, auditor, from_dept="front", item=inbox.NewWorkItem("it", "general", "subject")
            )
        with pytest.raises(PermissionDenied):
            inbox.create_item(
                s, auditor, from_dept="it", item=inbox.NewWorkItem("hr", "general", "subject")
            )
    users_file = tmp_path / "u.csv"
    users_file.write_text("login,roles\nsneaky,admin\n", encoding="utf-8")
    with store.write() as s, pytest.raises(PermissionDenied):
        user_io.import_users(s, auditor, users_file)
    with pytest.raises(PermissionDenied):
        maintenance.restore(store, auditor, good_backup)
    assert len(denied) >= 8
    assert footprint(store) == before
    assert not list(tmp_path.glob("b-*.db"))
    assert not list((store.path or tmp_path).parent.glob("*.before-restore-*"))


def test_a_denied_setting_change_cannot_be_committed_by_a_careless_caller(
    store: Store, role_actors: dict[str, Actor]
) -> None:
    # A caller that catches the denial and goes on must still not commit the change.
    with store.write() as s:
        with pytest.raises(PermissionDenied):
            settings.put(s, role_actors["it-manager"], "company_name", "Hijacked")
    with store.read() as s:
        assert settings.get(s, "company_name") == "Test Co"
