"""Imports point downward only, and no module imports itself back through others.

handlers, conversations and jobs call services; services call storage and domain; storage
maps rows to domain types; domain imports nothing else from the project. Read from the source
(module-level imports), so a wrong import fails here before it tangles anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"

# What each layer may import from the project, besides itself.
ALLOWED = {
    "bot.domain": set(),
    # Reads data/ and locales/ (files, like storage reads rows) into domain types.
    "bot.data_files": {"bot.domain"},
    "bot.storage": {"bot.domain", "bot.clock"},
    "bot.services": {"bot.storage", "bot.data_files", "bot.domain", "bot.clock", "bot.config"},
}
# Only the composition root wires these in.
ENTRY_POINTS = ("bot.handlers", "bot.conversations", "bot.jobs")


def modules() -> dict[str, set[str]]:
    """Module name -> the project modules it imports at module level."""
    found = {}
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        imported = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        found[name] = {m for m in imported if m == "bot" or m.startswith("bot.")}
    return {name: {m for m in imported if m in found} for name, imported in found.items()}


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def test_layers_import_only_what_is_below_them() -> None:
    wrong = [
        f"{name} imports {imported}"
        for name, imports in modules().items()
        for layer, allowed in ALLOWED.items()
        if within(name, layer)
        for imported in imports
        if not within(imported, layer) and not any(within(imported, a) for a in allowed)
    ]
    assert wrong == []


def test_only_the_composition_root_imports_handlers_conversations_and_jobs() -> None:
    wrong = [
        f"{name} imports {imported}"
        for name, imports in modules().items()
        for imported in imports
        for entry in ENTRY_POINTS
        if within(imported, entry) and not within(name, entry) and name != "bot.app"
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = modules()
    cycles = []

    def visit(name: str, path: list[str], done: set[str]) -> None:
        if name in path:
            cycles.append(" -> ".join([*path[path.index(name) :], name]))
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            # A package's __init__ is not a dependency of its own modules.
            if not within(name, imported):
                visit(imported, [*path, name], done)
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert cycles == []
