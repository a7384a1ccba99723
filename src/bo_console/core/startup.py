"""Start-up of a ``bo`` process: the garbage collector waits until start-up is over.

Importing the stack (typer, pydantic, SQLAlchemy, Textual) makes a few hundred thousand
long-lived objects (modules, classes, functions) and almost no garbage. As the heap grows,
CPython's full collections walk all of it again and again: measured, about 100 ms of a 650 ms
console launch. So ``bo`` pauses the collector while it starts; when start-up is over (the
store is open, or the console has drawn its first screen) it freezes what start-up built
(``gc.freeze``: kept out of every later collection) and lets the collector run again.
"""

from __future__ import annotations

import gc

_paused = False
_frozen = False


def pause() -> None:
    """Stop the collector until :func:`done` (or :func:`end`); nothing if it is already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def done(*, collect: bool = False) -> None:
    """Start-up is over: freeze what it built (after a collection, if asked) and let the
    collector run again if :func:`pause` stopped it."""
    global _paused, _frozen
    if collect:
        gc.collect()
    gc.freeze()
    _frozen = True
    if _paused:
        gc.enable()
        _paused = False


def end() -> None:
    """The command is over (the process may go on, as under tests): undo what start-up did."""
    global _paused, _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False
    if _paused:
        gc.enable()
        _paused = False
