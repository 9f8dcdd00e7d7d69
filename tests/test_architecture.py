"""The house rules that code review would otherwise have to catch: one-way imports, module
docstrings, no third-party leaks across boundaries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "monitor"
BASE = {"model", "errors", "config", "text", "senses"}
COMPONENTS = {"adapters", "classify", "draft", "store"}
# What each layer may import from the package (by top-level name under monitor.).
ALLOWED: dict[str, set[str]] = {
    **dict.fromkeys(BASE, BASE),
    **{name: BASE | {name} for name in COMPONENTS},
    # Metrics records and renders (prometheus-client); whoever does the work calls it.
    "metrics": BASE | {"metrics"},
    "pipeline": BASE | COMPONENTS | {"pipeline", "metrics"},
    "review": BASE | COMPONENTS | {"review"},
    "incidents": BASE | COMPONENTS | {"review", "incidents"},
    "app": BASE | COMPONENTS | {"pipeline", "review", "incidents", "app", "metrics"},
    "scheduler": BASE | COMPONENTS | {"pipeline", "review", "incidents", "app", "scheduler",
                                      "metrics"},
    # The faces reach the database only through the App and the flow layer's read models and
    # services (review.queries, review.accounts, ...): never the store itself.
    "web": BASE | (COMPONENTS - {"store"}) | {"pipeline", "review", "incidents", "app",
                                              "scheduler", "web", "metrics"},
    "cli": BASE | (COMPONENTS - {"store"}) | {"pipeline", "review", "incidents", "app",
                                              "scheduler", "web", "cli", "metrics"},
    "__main__": {"cli"},
    "__init__": set(),
}


def test_the_faces_may_not_import_the_store() -> None:
    assert "store" not in ALLOWED["web"] | ALLOWED["cli"]
    assert {"adapters", "classify", "draft", "review", "app"} <= ALLOWED["web"] & ALLOWED["cli"]


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_one_way(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = layer(path)
    allowed = ALLOWED.get(own)
    assert allowed is not None, f"{own} is not a known layer: add it to ALLOWED deliberately"
    bad = sorted(
        name for name in imported(tree)
        if name.startswith("monitor.") and name != "monitor.__version__"
        and name.split(".")[1] not in allowed
        and not (name.count(".") >= 2 and name.split(".")[1] in allowed)
    )
    assert not bad, f"{path.name} ({own}) imports {bad}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_does(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and len(doc) > 20, f"{path} needs a module docstring"


def test_only_the_vader_module_imports_vader() -> None:
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(n.startswith("vaderSentiment") for n in imported(tree)):
            assert path.relative_to(PACKAGE).as_posix() == "classify/vader.py", path


def web_imports(path: Path) -> set[str]:
    """The monitor.web modules that `path` imports, wherever the import stands (module level
    or inside a function), by module name: `from monitor.web import views` counts as
    monitor.web.views."""
    web = {p.stem for p in (PACKAGE / "web").glob("*.py")}
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        names.update(n.split(".")[2] for n in found
                     if n.startswith("monitor.web.") and n.split(".")[2] in web)
    names.discard(path.stem)
    return names


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle through `graph`, each as the path that closes it."""
    found: list[list[str]] = []
    for start in sorted(graph):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.append([*path, start])
                elif nxt not in path and nxt > start:  # each cycle once, from its least module
                    stack.append((nxt, [*path, nxt]))
    return found


def test_no_module_in_the_web_app_imports_one_that_imports_it_back() -> None:
    graph = {p.stem: web_imports(p) for p in sorted((PACKAGE / "web").glob("*.py"))}
    assert graph["app"] >= {"pages", "api", "admin", "insights", "answers", "errors"}
    loops = [" -> ".join(c) for c in cycles(graph)]
    assert not loops, f"import cycles in monitor/web: {loops}"


def test_cycles_are_found_however_long() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


@pytest.mark.parametrize("package", ["web", "cli"])
def test_the_faces_import_nothing_inside_functions(package: str) -> None:
    """Their imports stand at the top of each module: none of them defers a heavy optional
    dependency, and one inside a function would hide an import cycle from the reader. (The
    CLI keeps its start-up short by loading only the invoked command's module instead.)"""
    late = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                late += [f"{path.name}:{n.lineno}" for n in ast.walk(fn)
                         if isinstance(n, ast.Import | ast.ImportFrom)]
    assert not late, f"imports inside functions in monitor/{package}: {late}"
