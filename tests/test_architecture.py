"""The module structure: every import goes from a later stage to an earlier one (or the same).

Imports are read from the source with `ast` (module-level and function-level alike, as a
lazy import inside a function is still a dependency), resolved to litkit modules, and
compared with the stage order declared in `litkit/stages.py`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import litkit
from litkit.stages import STAGE_NAMES, stage_of

PACKAGE = Path(litkit.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1] if len(parts) > 1 else [*parts[:-1], "__init__"]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "resources" not in path.relative_to(PACKAGE).parts
    }


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """The litkit modules `module` imports (`from litkit.x import y` counts `litkit.x.y` when
    y is a module, else `litkit.x`)."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "litkit")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "litkit":
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in MODULES else target)
    found.discard(module)
    return {name for name in found if name in MODULES or name == "litkit"}


def test_every_module_has_a_declared_stage() -> None:
    undeclared = [name for name in MODULES if stage_of(name) is None]
    assert not undeclared, f"give these modules a stage in litkit/stages.py: {undeclared}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_later_stage(module: str) -> None:
    rank = {name: index for index, name in enumerate(STAGE_NAMES)}
    own = stage_of(module)
    assert own is not None
    later = sorted(
        f"{name} ({stage_of(name)})"
        for name in _imports(module, MODULES[module])
        if name != "litkit" and rank[stage_of(name) or own] > rank[own]
    )
    assert not later, f"{module} ({own}) imports later stages: {later}"


def test_the_check_sees_a_wrong_way_import(tmp_path: Path) -> None:
    """The walker itself: a reader importing the classifier is caught."""
    path = tmp_path / "reader.py"
    path.write_text("from litkit.classify import classify\nfrom ..segment import segment\n")
    assert _imports("litkit.sources.reader", path) == {"litkit.classify", "litkit.segment"}
    rank = {name: index for index, name in enumerate(STAGE_NAMES)}
    assert rank[stage_of("litkit.classify") or ""] > rank[stage_of("litkit.sources.reader") or ""]


def test_migrations_are_frozen() -> None:
    """A migration changes the schema with SQL and imports nothing: code it called could change
    in a later version and write, years later, into tables that do not exist yet. Derived data
    is rebuilt once by `upgrade`, after the schema is current."""
    tree = ast.parse((PACKAGE / "migrations.py").read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    migrations = [
        node
        for node in functions.values()
        if any(
            isinstance(d, ast.Call) and getattr(d.func, "id", "") == "migrations"
            for d in node.decorator_list
        )
    ]
    assert len(migrations) >= 12
    from litkit.migrations import REBUILDS_DERIVED_DATA, known_migrations

    assert set(known_migrations()) >= REBUILDS_DERIVED_DATA
    for node in migrations:
        body = [n for statement in node.body for n in ast.walk(statement)]
        imports = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not imports, f"migration {node.name} imports code"
        called = {n.func.id for n in body if isinstance(n, ast.Call) and hasattr(n.func, "id")}
        assert called <= set(functions) | set(dir(__builtins__)), node.name
