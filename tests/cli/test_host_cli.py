"""`bo host`: the commands that are safe to run anywhere (setup itself is covered end to end)."""

from __future__ import annotations

from tests.cli.conftest import Bo


def test_sshd_config_prints_a_match_block_that_forces_the_wrapper(bo: Bo) -> None:
    code, out, err = bo("host", "sshd-config", "--group", "clerks", "--wrapper", "/usr/bin/bo")
    assert code == 0 and err == ""
    lines = [line.strip() for line in out.splitlines()]
    start = lines.index("Match Group clerks")
    assert "ForceCommand /usr/bin/bo" in lines[start:]
    assert {"AllowTcpForwarding no", "X11Forwarding no", "PermitTunnel no"} <= set(lines[start:])
