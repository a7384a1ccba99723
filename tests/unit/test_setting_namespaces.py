"""Every setting key the code reads or writes belongs to a namespace some permission besides
``db.admin`` may change on PostgreSQL (``departments.setting_writes``), or is one of the few
console-wide keys only an admin changes. The keys are found in the source itself, so a
department that starts using a new namespace cannot be left writable by admins alone."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import bo_console
from bo_console import departments
from bo_console.core.security import DEPARTMENTS, PERMISSIONS, ROLES

SOURCE = Path(bo_console.__file__).parent

CONSOLE_WIDE = {"base_currency", "company_name", "demo", "pdf"}
"""Keys (or namespaces) of no department, set by ``bo init``, the demo or an admin (the PDF
font): db.admin only."""


@dataclass
class Module:
    """One source module: its tree, its constants and the names it imports."""

    name: str
    tree: ast.Module
    constants: dict[str, ast.expr] = field(default_factory=dict)
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)


def _modules() -> dict[str, Module]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        name = ".".join(relative.parts).removesuffix(".__init__")
        text = path.read_text(encoding="utf-8")
        if "Setting" not in text and "settings" not in text and "SETTING" not in text:
            continue  # no key here (a key it names elsewhere would show as unknown)
        module = Module(name, ast.parse(text))
        for node in module.tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        module.constants[target.id] = node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                if isinstance(node.target, ast.Name):
                    module.constants[node.target.id] = node.value
        for imported in ast.walk(module.tree):
            if isinstance(imported, ast.ImportFrom) and imported.module:
                for alias in imported.names:
                    module.imported[alias.asname or alias.name] = (imported.module, alias.name)
        found[name] = module
    return found


class Keys:
    """Resolves the key expression of a settings call to the keys' leading text (an f-string
    gives its text up to the first placeholder); None when it cannot tell."""

    def __init__(self, modules: dict[str, Module]) -> None:
        self.modules = modules

    def of(
        self, expr: ast.expr, module: Module, scope: ast.AST | None, depth: int = 0
    ) -> set[str] | None:
        if depth > 8:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.JoinedStr):
            head = expr.values[0] if expr.values else None
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                return {head.value}
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.of(expr.left, module, scope, depth + 1)
        if isinstance(expr, ast.Subscript):
            return self.values(expr.value, module, scope, depth + 1)
        if isinstance(expr, ast.Name):
            return self.name(expr.id, module, scope, depth + 1)
        return None

    def values(
        self, expr: ast.expr, module: Module, scope: ast.AST | None, depth: int
    ) -> set[str] | None:
        """The keys a mapping's values (or a sequence's items) resolve to."""
        if isinstance(expr, ast.Name):
            target = self._definition(expr.id, module)
            if target is None:
                return None
            expr, module, scope = target[0], target[1], None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            if expr.func.attr in ("items", "values"):
                return self.values(expr.func.value, module, scope, depth + 1)
        if isinstance(expr, ast.Dict):
            parts = [self.of(v, module, scope, depth + 1) for v in expr.values]
        elif isinstance(expr, ast.DictComp):
            parts = [self.of(expr.value, module, scope, depth + 1)]
        elif isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            parts = [self.of(v, module, scope, depth + 1) for v in expr.elts]
        else:
            return None
        if any(p is None for p in parts):
            return None
        return set().union(*(p for p in parts if p is not None))

    def _definition(self, name: str, module: Module) -> tuple[ast.expr, Module] | None:
        if name in module.constants:
            return module.constants[name], module
        if name in module.imported:
            source, original = module.imported[name]
            other = self.modules.get(source)
            if other is not None:
                return self._definition(original, other)
        return None

    def name(self, name: str, module: Module, scope: ast.AST | None, depth: int) -> set[str] | None:
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found: list[set[str] | None] = []
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == name for t in node.targets
                ):
                    found.append(self.of(node.value, module, scope, depth + 1))
                elif isinstance(node, ast.For):
                    if isinstance(node.target, ast.Name) and node.target.id == name:
                        found.append(self.values(node.iter, module, scope, depth + 1))
                    elif isinstance(node.target, ast.Tuple) and any(
                        isinstance(t, ast.Name) and t.id == name for t in node.target.elts[1:]
                    ):
                        found.append(self.values(node.iter, module, scope, depth + 1))
            params = [a.arg for a in scope.args.args]
            if not found and name in params:
                found += self._arguments(scope, params.index(name), module, depth)
            if found:
                if any(f is None for f in found):
                    return None
                return set().union(*(f for f in found if f is not None))
        target = self._definition(name, module)
        if target is None:
            return None
        return self.of(target[0], target[1], None, depth + 1)

    def _arguments(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, index: int, module: Module,
        depth: int,
    ) -> list[set[str] | None]:  # fmt: skip
        """What the calls of ``function`` within its module pass as its ``index``th argument."""
        found: list[set[str] | None] = []
        for caller in _functions(module.tree):
            for node in ast.walk(caller):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == function.name
                ):
                    arg = node.args[index] if len(node.args) > index else None
                    found.append(None if arg is None else self.of(arg, module, caller, depth + 1))
        return found


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _key_argument(call: ast.Call) -> ast.expr | None:
    """The key a call reads or writes: ``settings.get(session, KEY)``,
    ``settings.put(session, actor, KEY, value)``, ``session.get(Setting, KEY)`` or
    ``Setting(key=KEY, ...)``; None for any other call."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "settings" and func.attr in ("get", "put"):
            index = 1 if func.attr == "get" else 2
            return call.args[index] if len(call.args) > index else None
        if (
            func.attr == "get"
            and len(call.args) == 2
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id == "Setting"
        ):
            return call.args[1]
    if isinstance(func, ast.Name) and func.id == "Setting":
        return next((k.value for k in call.keywords if k.arg == "key"), None)
    return None


def setting_keys() -> tuple[set[str], list[str]]:
    """The keys (or their leading text) the code reads or writes, and the places whose key
    could not be told."""
    modules = _modules()
    resolver = Keys(modules)
    keys: set[str] = set()
    unknown: list[str] = []
    for module in modules.values():
        if module.name == "bo_console.core.settings":
            continue  # the settings API itself, whose key is its caller's
        scope: dict[ast.Call, ast.FunctionDef | ast.AsyncFunctionDef | None] = {}
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                scope.setdefault(node, None)
        # ast.walk goes outside in, so the innermost function is the last one to claim a call.
        for function in _functions(module.tree):
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    scope[node] = function
        for node, enclosing in scope.items():
            expr = _key_argument(node)
            if expr is None:
                continue
            found = resolver.of(expr, module, enclosing)
            if found is None:
                unknown.append(f"{module.name}:{node.lineno}")
            else:
                keys |= found
    return keys, sorted(set(unknown))


@pytest.fixture(scope="module")
def scan() -> tuple[set[str], list[str]]:
    """One scan of the source for the module's tests (2-3 s of CPU each)."""
    return setting_keys()


def test_the_scan_finds_the_settings_departments_use(scan: tuple[set[str], list[str]]) -> None:
    keys, unknown = scan
    assert unknown == [], f"cannot tell which setting these read or write: {unknown}"
    for key in (
        "finance.books_start",
        "finance.control.",
        "hr.weekend",
        "hr.",
        "it.calendar.days",
        "it.reopen_days",
        "logistics.",
        "data.query_seconds",
        "company_name",
    ):
        assert key in keys, key


def test_every_setting_namespace_has_a_writer_besides_the_admin(
    scan: tuple[set[str], list[str]],
) -> None:
    keys, _ = scan
    writes = departments.setting_writes()
    assert set(writes) <= set(PERMISSIONS)
    prefixes = {prefix for owned in writes.values() for prefix in owned}
    for key in sorted(keys):
        namespace = key.split(".")[0]
        if namespace in CONSOLE_WIDE:
            continue
        assert namespace in DEPARTMENTS, f"{key!r}: {namespace!r} is no department"
        assert any(key.startswith(p) for p in prefixes), (
            f"{key!r}: no permission but db.admin may change it on PostgreSQL; add its "
            "namespace to departments.setting_writes()"
        )


def test_each_department_manager_changes_its_own_settings() -> None:
    """The managers who run the services that write a namespace hold the permission that
    owns it: IT's calendar is the IT manager's, the query limits the data manager's."""
    writes = departments.setting_writes()

    def may_change(role: str, key: str) -> bool:
        permissions = ROLES[role].permissions
        return any(key.startswith(p) for perm in permissions for p in writes.get(perm, ()))

    assert may_change("it-manager", "it.calendar.days")
    assert may_change("data-manager", "data.query_seconds")
    assert may_change("logistics-manager", "logistics.po_approval_limit")
    assert may_change("finance-manager", "finance.books_start")
    assert may_change("hr-manager", "hr.weekend")
    assert not may_change("it-clerk", "it.calendar.days")
    assert not may_change("data-clerk", "data.query_seconds")
    assert not may_change("it-manager", "finance.books_start")
