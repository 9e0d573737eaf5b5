"""The package's import graph, read from the source with ``ast``: no cycle at all.

Every import counts, function-local ones too (they are cycles that only wait for the right call), except
those under ``if TYPE_CHECKING:``, which never run. A module that imports its own package's ``__init__``
(``from docgen import x`` for a submodule x is an import of x, not of the package) is an edge like any other.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

from packaging.requirements import Requirement

import docgen

ROOT = Path(docgen.__file__).parent


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in ROOT.rglob("*.py")}


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(inner) for part in node.body for inner in ast.walk(part)}
    return skipped


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped:
                for target in _targets(node, module, path.name == "__init__.py"):
                    while target and target not in MODULES:
                        target = target.rpartition(".")[0]
                    if target.startswith("docgen") and target != module:
                        edges.add(target)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_is_read_from_the_source():
    graph = import_graph()
    assert "docgen.schema" in graph["docgen.pipeline"]
    assert "docgen.engines" in graph["docgen.pipeline"]  # a module-level import
    assert "docgen.pipeline" not in graph["docgen.engines.base"]  # under TYPE_CHECKING: not counted
    assert "docgen.batching" in graph["docgen"]  # function-local: counted


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back():
    found = cycles(import_graph())
    assert found == [], "import cycles (function-local imports count): " + "; ".join(" ↔ ".join(c) for c in found)


# Third-party modules only an extra's command imports (pyproject.toml's optional dependencies): the web
# page's, the cluster's, and the catalog extractor `make messages` runs (babel: the test extra).
EXTRA_ONLY = {"starlette": "web", "uvicorn": "web", "anyio": "web", "pypdfium2": "web",
              "distributed": "cluster", "fsspec": "cluster", "babel": "test"}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_by(requirements: list[Requirement]) -> set[str]:
    """The distributions these requirements install, with theirs and the extras they name (names normalized)."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r.name, frozenset(r.extras)) for r in requirements]
    while todo:
        name, extras = todo.pop()
        if (_normalized(name), extras) in seen:
            continue
        seen.add((_normalized(name), extras))
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras or {""}):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return {name for name, _extras in seen}


def _requirements(extra: str | None) -> list[Requirement]:
    """docgen's own requirements: the core ones (``extra`` None), or an extra's."""
    found = [Requirement(line) for line in metadata.metadata("docgen").get_all("Requires-Dist")]
    if extra is None:
        return [r for r in found if r.marker is None]
    return [r for r in found if r.marker is not None and r.marker.evaluate({"extra": extra})]


def test_every_module_the_package_imports_is_installed_with_it():
    """`pip install docgen` installs what its modules import (``docgen check FILE.pdf`` imported pdfplumber,
    which only the test extra installed); a module only an extra's command imports comes with that extra."""
    core = _installed_by(_requirements(None))
    with_extra = {extra: core | _installed_by(_requirements(extra)) for extra in set(EXTRA_ONLY.values())}
    distributions = metadata.packages_distributions()
    missing = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            for top in {name.split(".")[0] for name in names} - set(sys.stdlib_module_names) - {"docgen"}:
                given = {_normalized(d) for d in distributions.get(top, [top])}
                wanted = with_extra[EXTRA_ONLY[top]] if top in EXTRA_ONLY else core
                if not given & wanted:
                    missing.append(f"{module} imports {top}")
    assert missing == [], "not installed with docgen: " + "; ".join(sorted(set(missing)))
