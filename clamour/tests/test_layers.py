"""The import graph points one way: no module imports another that imports it back
(directly or round a circle), and no layer imports one above it.

The layers, bottom to top:

- lib: plain Python helpers; imports no other part of clamour.
- core: the base model, access, http, origin, tasks and the performance machinery;
  imports only lib.
- the domain apps, in DOMAIN_ORDER: each imports only lib, core and the apps before it.
- the top: `site` (serve, worker, demo, retention), urls, settings, wsgi, gateway;
  may import anything.

Every import counts, at module level or inside a function. Tests, migrations and the
test helpers (clamour/testing) are left out: they may import what they exercise.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DOMAIN_ORDER = ["staffauth", "supporters", "campaigns", "actions", "comments", "blog",
                "treaties", "mailings", "workspace"]
TOP = {"site", "urls", "settings", "wsgi", "gateway"}

def layer_of(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    if part == "lib":
        return 0
    if part == "core":
        return 1
    if part in DOMAIN_ORDER:
        return 2 + DOMAIN_ORDER.index(part)
    if part in TOP or part == "":
        return 2 + len(DOMAIN_ORDER)
    raise AssertionError(f"{module} is in no layer: add its app to DOMAIN_ORDER or TOP")


def modules() -> dict[str, Path]:
    found = {}
    for path in (REPO / "clamour").rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[1] == "testing":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known) -> set[str]:
    """The clamour modules `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            named += [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            named += [alias.name for alias in node.names]
    found = set()
    for target in named:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target.startswith("clamour") and target != name:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a)}


def test_the_checks_catch_a_cycle_and_an_upward_import():
    graph = {"clamour.lib.a": {"clamour.core.b"}, "clamour.core.b": {"clamour.lib.a"},
             "clamour.actions.x": {"clamour.actions.y"}, "clamour.actions.y": set()}
    assert cycles(graph) == [["clamour.core.b", "clamour.lib.a"]]
    assert upward(graph) == {("clamour.lib.a", "clamour.core.b")}


def test_no_module_imports_round_a_circle():
    assert cycles(import_graph()) == []


def test_no_layer_imports_a_higher_one():
    graph = import_graph()
    assert "clamour.actions.delivery" in graph["clamour.mailings.sending"]  # the graph is read
    assert upward(graph) == set()
