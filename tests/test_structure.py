"""The tree says how the project is built: no import circle between its files (imports inside functions count)."""
import ast
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "ui", "views")


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules that the file imports anywhere in it (a `from package import name` counts the module
    `package.name` when it is one, else the package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                      for a in node.names}
    return found & modules


def import_graph() -> dict[str, set[str]]:
    files = [p for package in PACKAGES for p in (PROJECT_ROOT / package).rglob("*.py")] + [PROJECT_ROOT / "app.py"]
    modules = {module_name(p): p for p in files}
    return {name: project_imports(path, set(modules)) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one_and_only_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_circle_between_the_projects_files():
    assert find_cycle(import_graph()) is None


def test_the_labelling_side_never_imports_the_training_subpackage():
    graph = import_graph()
    labelling = [m for m in graph if not m.startswith("model.training") and m not in ("model", "model.__main__")]
    offenders = {m: sorted(i for i in graph[m] if i.startswith("model.training")) for m in labelling}
    assert not {m: i for m, i in offenders.items() if i}
