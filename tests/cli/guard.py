"""The import guard: ``bo`` commands run in a fresh process that records whether SQLAlchemy,
SQLModel or pydantic got loaded, so a read that should go through the plain ``sqlite3`` Reader
is seen to. Typer may load pydantic for its own option parsing; only the program's own imports
of it count."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

_SCRIPT = """
import builtins, json, sys
URL, LOGIN, COMMANDS, MARK = json.loads(sys.argv[1])
BANNED = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_core")
offenders = []
real_import = builtins.__import__

def guarded(name, globals=None, locals=None, fromlist=(), level=0):
    importer = str((globals or {}).get("__name__", ""))
    if level == 0 and name.partition(".")[0] in BANNED and importer.startswith("bo_console"):
        offenders.append(f"{importer} imports {name}")
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = guarded
from bo_console.core import security
security.os_identity = lambda: security.Identity(LOGIN, "test")
from bo_console.cli import run
for args in COMMANDS:
    offenders.clear()
    code = run(["--db", URL, *args])
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in ("sqlalchemy", "sqlmodel"))
    print(MARK, file=sys.stdout, flush=True)
    print(MARK, code, offenders + loaded, file=sys.stderr, flush=True)
    if offenders or loaded:
        break
"""
_MARK = "GUARDED"


@dataclass(frozen=True)
class Guarded:
    """One command under the guard: its exit code, what imported SQLAlchemy, SQLModel or
    pydantic (``[]``: nothing), and what it wrote to stdout and stderr."""

    code: str
    found: str
    stdout: str
    stderr: str


def _parts(text: str) -> tuple[list[str], list[str], str]:
    """A guarded process's stream cut at its mark lines: what each command wrote before its
    mark, the marks, and what came after the last."""
    before: list[str] = []
    marks: list[str] = []
    said: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.split(" ", 1)[0].rstrip("\n") == _MARK:
            before.append("".join(said))
            marks.append(line.rstrip("\n"))
            said = []
        else:
            said.append(line)
    return before, marks, "".join(said)


def guarded_runs(
    url: str, commands: list[tuple[str, ...]], login: str = "boadmin"
) -> list[Guarded]:
    """``bo --db URL ARGS`` for each command, as ``login``, in as few fresh processes as the
    findings allow.

    The commands run one after another in a process; a command that loads none of the guarded
    packages leaves the next one's check as a fresh process would have it. One that does ends
    its process (what it loaded would hide what the next loads), and the rest go on in a new
    one. A fresh process for each was 0.12 s of CPU apiece, most of it starting Python and
    importing the CLI."""
    results: list[Guarded] = []
    while len(results) < len(commands):
        rest = commands[len(results) :]
        given = json.dumps([url, login, rest, _MARK])
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT, given], capture_output=True, text=True
        )
        outs, _, _ = _parts(done.stdout)
        errs, marks, tail = _parts(done.stderr)
        for out, said, mark in zip(outs, errs, marks, strict=True):
            _, code, found = mark.split(" ", 2)
            results.append(Guarded(code, found, out, said))
        if len(marks) < len(rest) and (not marks or results[-1].found == "[]"):
            # The next command ended the process itself: say how, and go on after it.
            results.append(Guarded(f"died {done.returncode}", "", "", tail[-2000:]))
    return results
