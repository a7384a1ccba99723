"""The sealed host's rules: whom a process acts for, which store and which files it may use.

The process facts (uid, euid, environment) and the account database are given to the functions
directly, so each rule is checked without touching this machine's accounts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bo_console.core import sealed
from bo_console.core.errors import PermissionDenied, UnknownUser, ValidationFailed
from bo_console.core.sealed import Acting, HostConfig, Process, acting_person, check_person_path
from bo_console.host import files

SERVICE, SERVICE_UID = "bo-console", 990
ACCOUNTS = {990: "bo-console", 1001: "mona", 1002: "omar", 0: "root"}


def uid_of(name: str) -> int | None:
    return next((uid for uid, n in ACCOUNTS.items() if n == name), None)


def name_of(uid: int) -> str | None:
    return ACCOUNTS.get(uid)


def acting(
    uid: int,
    env: dict[str, str] | None = None,
    *,
    euid: int | None = None,
    service: str | None = SERVICE,
) -> Acting | None:
    process = Process(uid=uid, euid=uid if euid is None else euid, env=env or {})
    return acting_person(process, service, uid_of=uid_of, name_of=name_of)


def test_service_account_through_sudo_acts_for_the_invoking_person() -> None:
    assert acting(SERVICE_UID, {"SUDO_UID": "1001", "SUDO_USER": "mona"}) == Acting(
        "mona", system=False
    )


def test_service_account_without_a_sudo_record_is_the_system_actor() -> None:
    assert acting(SERVICE_UID) == Acting(SERVICE, system=True)
    assert acting(SERVICE_UID, {"USER": "mona", "LOGNAME": "mona"}) == Acting(SERVICE, system=True)


def test_service_account_sudoing_to_itself_is_the_system_actor() -> None:
    assert acting(SERVICE_UID, {"SUDO_UID": str(SERVICE_UID), "SUDO_USER": SERVICE}) == Acting(
        SERVICE, system=True
    )


def test_root_through_sudo_is_root() -> None:
    assert acting(SERVICE_UID, {"SUDO_UID": "0", "SUDO_USER": "root"}) == Acting(
        "root", system=False
    )


@pytest.mark.parametrize(
    "env",
    [
        {"SUDO_UID": "1001", "SUDO_USER": "mona"},
        {"SUDO_UID": "1002", "SUDO_USER": "omar", "USER": "omar"},
        {"SUDO_UID": "0", "SUDO_USER": "root"},
    ],
)
def test_sudo_variables_are_ignored_in_any_other_process(env: dict[str, str]) -> None:
    # mona sets them by hand: the process is hers, so the caller takes her OS account.
    assert acting(1001, env) is None
    # root, too, is root and not whoever the variables name.
    assert acting(0, env) is None


def test_only_real_and_effective_uid_both_the_service_account_count() -> None:
    assert acting(1001, {"SUDO_UID": "1002", "SUDO_USER": "omar"}, euid=SERVICE_UID) is None
    assert acting(SERVICE_UID, {"SUDO_UID": "1002", "SUDO_USER": "omar"}, euid=1001) is None


def test_not_a_sealed_host_trusts_nothing_from_sudo() -> None:
    assert acting(SERVICE_UID, {"SUDO_UID": "1001", "SUDO_USER": "mona"}, service=None) is None


def test_a_service_account_missing_from_the_password_database_is_no_service() -> None:
    assert acting(SERVICE_UID, {"SUDO_UID": "1001", "SUDO_USER": "mona"}, service="gone") is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SUDO_UID": "1001", "SUDO_USER": "omar"}, "does not agree"),
        ({"SUDO_UID": "1001"}, "does not agree"),
        ({"SUDO_UID": "x1001", "SUDO_USER": "mona"}, "unreadable"),
        ({"SUDO_UID": "4242", "SUDO_USER": "ghost"}, "no account name"),
    ],
)
def test_a_sudo_record_that_contradicts_itself_is_refused(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(UnknownUser, match=message):
        acting(SERVICE_UID, env)


def test_host_file_is_believed_only_when_root_alone_can_change_it() -> None:
    assert sealed.trusted(0, 0o100644)
    assert not sealed.trusted(0, 0o100664)
    assert not sealed.trusted(0, 0o100646)
    assert not sealed.trusted(1001, 0o100644)


def config(tmp_path: Path) -> HostConfig:
    return HostConfig(
        account=SERVICE,
        group="bo-console-users",
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'data' / 'bo.db'}",
        program=tmp_path / "venv" / "bin" / "bo",
        admit_helper=tmp_path / "libexec" / "bo-console-admit",
    )


def test_host_file_round_trips_and_refuses_a_missing_key(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    assert sealed.parse_host_config(sealed.render_host_config(cfg)) == cfg
    with pytest.raises(ValueError, match="account"):
        sealed.parse_host_config('group = "g"\n')


def test_host_config_ignores_a_file_others_may_write(tmp_path: Path) -> None:
    path = tmp_path / sealed.HOST_FILE_NAME
    path.write_text(sealed.render_host_config(config(tmp_path)))
    path.chmod(0o666)
    assert sealed.host_config(path) is None


PERSON = Acting("mona", system=False)


def test_a_person_writes_only_into_the_services_exports_and_backups(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    for folder in cfg.file_dirs:
        folder.mkdir(parents=True)
    export = cfg.data_dir / "exports" / "staff.csv"
    assert check_person_path(export, writing=True, config=cfg, acting=PERSON) == export
    for target in (cfg.store_path, cfg.data_dir / "bo.db-wal", tmp_path / "mine.csv"):
        with pytest.raises(PermissionDenied, match="standard output"):
            check_person_path(target, writing=True, config=cfg, acting=PERSON)


def test_a_person_cannot_reach_the_store_through_a_link(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    cfg.data_dir.mkdir()
    cfg.store_path.touch()
    link = tmp_path / "innocent.csv"
    link.symlink_to(cfg.store_path)
    with pytest.raises(PermissionDenied, match="service account"):
        check_person_path(link, writing=False, config=cfg, acting=PERSON)
    sneaky = tmp_path / "exports-link"
    sneaky.symlink_to(cfg.data_dir)
    with pytest.raises(PermissionDenied):
        check_person_path(sneaky / "bo.db", writing=True, config=cfg, acting=PERSON)


def test_a_person_reads_files_outside_the_data_directory(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    source = tmp_path / "in.csv"
    assert check_person_path(source, writing=False, config=cfg, acting=PERSON) == source


def test_paths_are_free_for_the_system_actor_and_elsewhere(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    anywhere = tmp_path / "out.csv"
    system = Acting(SERVICE, system=True)
    assert check_person_path(anywhere, writing=True, config=cfg, acting=system) == anywhere
    assert check_person_path(anywhere, writing=True, config=cfg, acting=None) == anywhere
    assert check_person_path(anywhere, writing=True, config=None, acting=PERSON) == anywhere


def test_sudoers_rule_names_one_program_for_the_group_and_one_helper_for_the_account() -> None:
    text = files.sudoers_rule(
        account=SERVICE,
        group="bo-console-users",
        program=Path("/opt/bo-console/venv/bin/bo"),
        admit_helper=Path("/opt/bo-console/libexec/bo-console-admit"),
    )
    rules = [line for line in text.splitlines() if line and not line.startswith(("#", "Defaults"))]
    assert rules == [
        "%bo-console-users ALL=(bo-console) NOPASSWD: /opt/bo-console/venv/bin/bo",
        "bo-console ALL=(root) NOPASSWD: /opt/bo-console/libexec/bo-console-admit",
    ]
    assert "Defaults>bo-console env_reset" in text


def test_outside_a_sealed_host_the_os_account_acts_whatever_the_variables_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import pwd

    from bo_console.core.security import os_identity

    me = pwd.getpwuid(os.getuid()).pw_name
    other = next(e for e in pwd.getpwall() if e.pw_name != me)
    forged = {"SUDO_USER": other.pw_name, "SUDO_UID": str(other.pw_uid)}
    for name, value in {**forged, "USER": other.pw_name, "LOGNAME": other.pw_name}.items():
        monkeypatch.setenv(name, value)
    assert sealed.host_config() is None  # the test environment is no sealed host
    assert os_identity().os_user == me


def _sealed_for(monkeypatch: pytest.MonkeyPatch, cfg: HostConfig) -> None:
    monkeypatch.setattr(sealed, "host_config", lambda path=None: cfg)
    monkeypatch.setattr(sealed, "current_acting", lambda: PERSON)


def test_a_person_file_is_read_from_a_private_copy_of_what_was_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(tmp_path)
    _sealed_for(monkeypatch, cfg)
    source = tmp_path / "mine" / "in.csv"
    source.parent.mkdir()
    source.write_text("a,b\n1,2\n")
    with sealed.person_file(source) as readable:
        assert readable != source and readable.name == "in.csv"
        source.write_text("changed\n")  # later changes do not reach the reader
        assert readable.read_text() == "a,b\n1,2\n"
    assert not readable.exists()
    with (
        pytest.raises(ValidationFailed, match="is not a file"),
        sealed.person_file(tmp_path / "missing.csv"),
    ):
        pass


def test_a_folder_swapped_for_a_link_after_the_check_does_not_reach_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule is applied again to the file actually opened, so the swap is caught."""
    cfg = config(tmp_path)
    cfg.data_dir.mkdir()
    cfg.store_path.write_bytes(b"SQLite format 3\x00secret")
    _sealed_for(monkeypatch, cfg)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "bo.db").write_text("harmless\n")
    checked = sealed.check_person_path

    def check_then_swap(path: Path, **kwargs: object) -> Path:
        result = checked(path, **kwargs)  # type: ignore[arg-type]
        if folder.is_dir() and not folder.is_symlink():
            (folder / "bo.db").unlink()
            folder.rmdir()
            folder.symlink_to(cfg.data_dir)  # what a person could do between check and open
        return result

    monkeypatch.setattr(sealed, "check_person_path", check_then_swap)
    with (
        pytest.raises(PermissionDenied, match="service account"),
        sealed.person_file(folder / "bo.db"),
    ):
        pass


def test_the_program_is_installed_with_the_venvs_pip_unless_uv_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.host import setup

    plan = setup.HostPlan(prefix=tmp_path / "opt")
    venv_python = str(tmp_path / "opt" / "venv" / "bin" / "python")
    pip = setup.install_command(plan, tmp_path / "src")
    assert pip[:4] == [venv_python, "-m", "pip", "install"] and pip[-1] == str(tmp_path / "src")

    monkeypatch.setattr(setup, "find_uv", lambda: "/usr/local/bin/uv")
    uv = setup.install_command(setup.HostPlan(prefix=tmp_path / "opt", installer="uv"), tmp_path)
    assert uv[:3] == ["/usr/local/bin/uv", "pip", "install"]
    # Into the host's venv, as copies (nothing shared with root's uv cache).
    assert uv[uv.index("--python") + 1] == venv_python
    assert uv[uv.index("--link-mode") + 1] == "copy"
    # Both leave the compiling to compileall, which skips the packages' test suites.
    assert "--no-compile" in pip and "--compile-bytecode" not in uv
    compile_ = setup.compile_command(plan)
    assert compile_[:3] == [venv_python, "-m", "compileall"]
    assert compile_[-1] == str(tmp_path / "opt" / "venv" / "lib")
    skips = re.compile(compile_[compile_.index("-x") + 1])
    lib = "/opt/venv/lib/python3.11/site-packages"
    assert skips.search(f"{lib}/pandas/tests/frame/test_api.py")
    assert skips.search(f"{lib}/pip/__init__.py")
    assert not skips.search(f"{lib}/pandas/core/frame.py")
    assert not skips.search(f"{lib}/bo_console/cli.py")

    monkeypatch.setattr(setup, "find_uv", lambda: None)
    with pytest.raises(ValidationFailed, match="uv is not installed"):
        setup.install_command(setup.HostPlan(installer="uv"), tmp_path)


def test_a_missing_installer_or_program_is_refused_before_the_host_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.host import setup

    def changed(*_: object) -> None:
        raise AssertionError("the host was changed before the plan was checked")

    monkeypatch.setattr("os.geteuid", lambda: 0)
    monkeypatch.setattr(setup, "ensure_accounts", changed)
    monkeypatch.setattr(setup, "find_uv", lambda: None)
    with pytest.raises(ValidationFailed, match="uv is not installed"):
        setup.set_up(setup.HostPlan(source=tmp_path, installer="uv"))
    with pytest.raises(ValidationFailed, match="does not exist"):
        setup.set_up(setup.HostPlan(source=tmp_path / "nowhere"))
