"""The layering rules of DESIGN.md, enforced by parsing every module with ``ast``.

Data flows one way: scenario → physics → model → experiment → CLI / dashboard.

- ``seamsim.physics`` imports nothing of seamsim but ``seamsim.units`` (and itself), and never
  simpy, pydantic, pandas or yaml;
- ``seamsim.model`` never imports yaml or ``random``, never reads files, and never touches
  numpy's global random state (only ``Generator`` objects);
- ``dashboard`` never imports ``seamsim.model`` or simpy (it calls the public API);
- ``seamsim.report`` never imports ``seamsim.model``, simpy, the CLI or the dashboard;
- ``seamsim.scenario`` never imports ``seamsim.model``, ``seamsim.experiment`` or ``seamsim.cli``;
- no lower layer imports a higher one (model ↛ experiment/cli, experiment ↛ cli,
  seamsim ↛ dashboard).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

NUMPY_RANDOM_ALLOWED = frozenset(
    {
        "default_rng",
        "Generator",
        "SeedSequence",
        "BitGenerator",
        "PCG64",
        "PCG64DXSM",
        "Philox",
        "SFC64",
        "MT19937",
    }
)
"""``numpy.random`` names that do not touch the global random state."""


@dataclass(frozen=True)
class Module:
    """A parsed source file."""

    path: Path
    name: str  # dotted module name, e.g. seamsim.physics.geometry
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules(top: str) -> list[Module]:
    base = ROOT / top
    if not base.exists():
        return []
    return [
        Module(
            path,
            _module_name(path),
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
        )
        for path in sorted(base.rglob("*.py"))
    ]


ALL = _modules("seamsim") + _modules("dashboard")


def _in(module: Module, package: str) -> bool:
    return module.name == package or module.name.startswith(package + ".")


def _resolve_relative(module: Module, level: int, name: str | None) -> str:
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, name] if name else base)


def imports_of(module: Module) -> list[tuple[str, int]]:
    """Every imported dotted name in ``module`` with its line, ``from a import b`` giving both
    ``a`` and ``a.b`` (``b`` may be a submodule), relative imports made absolute."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = (
                _resolve_relative(module, node.level, node.module)
                if node.level
                else (node.module or "")
            )
            found.append((base, node.lineno))
            found += [
                (f"{base}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*"
            ]
    return found


def _matches(name: str, forbidden: str) -> bool:
    return name == forbidden or name.startswith(forbidden + ".")


def violations(modules: list[Module], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{m.path.relative_to(ROOT)}:{line}: imports {name}"
        for m in modules
        for name, line in imports_of(m)
        if any(_matches(name, f) for f in forbidden)
    ]


def _layer(package: str) -> list[Module]:
    return [m for m in ALL if _in(m, package)]


def test_the_tree_is_found():
    assert _layer("seamsim.physics"), "expected to find seamsim/physics/*.py"
    assert _layer("seamsim.scenario")


# --------------------------------------------------------------------------------------
# physics
# --------------------------------------------------------------------------------------
def test_physics_imports_no_framework():
    assert violations(_layer("seamsim.physics"), ("simpy", "pydantic", "pandas", "yaml")) == []


def test_physics_imports_nothing_of_seamsim_but_units():
    bad = [
        f"{m.path.relative_to(ROOT)}:{line}: imports {name}"
        for m in _layer("seamsim.physics")
        for name, line in imports_of(m)
        if _matches(name, "seamsim")
        and not (
            name == "seamsim"
            or _matches(name, "seamsim.units")
            or _matches(name, "seamsim.physics")
        )
    ]
    # ``from seamsim import x`` is allowed only for x == units.
    bad += [
        f"{m.path.relative_to(ROOT)}:{node.lineno}: from seamsim import {alias.name}"
        for m in _layer("seamsim.physics")
        for node in ast.walk(m.tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "seamsim"
        for alias in node.names
        if alias.name != "units"
    ]
    assert bad == []


# --------------------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------------------
def test_model_imports_no_yaml_or_stdlib_random():
    assert violations(_layer("seamsim.model"), ("yaml", "random")) == []


def test_model_imports_no_higher_layer():
    forbidden = ("seamsim.experiment", "seamsim.cli", "dashboard")
    assert violations(_layer("seamsim.model"), forbidden) == []


SCENARIO_TO_SI = frozenset({
    "seamsim.model.parameters", "seamsim.model.electrical_state", "seamsim.model.crew_plan",
    "seamsim.model.stoppage_parameters", "seamsim.model.engineering", "seamsim.model.simulate",
})
"""The model modules that read a scenario: they convert it to SI once. The face, the
pass physics, the failure clocks, the crew and the recorder read only the SI parameters."""


def test_the_simulation_reads_si_parameters_never_the_scenario():
    readers = [m for m in _layer("seamsim.model") if m.name not in SCENARIO_TO_SI]
    assert readers, "expected model modules besides the converters"
    assert violations(readers, ("seamsim.scenario",)) == []


def test_face_parameters_do_not_carry_the_scenario():
    import dataclasses

    from seamsim.model.parameters import FaceParameters

    kinds = {f.name: str(f.type) for f in dataclasses.fields(FaceParameters)}
    assert "scenario" not in kinds
    assert not any("Scenario" in t for t in kinds.values())


def _numpy_aliases(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to ``numpy`` and to ``numpy.random`` in a module."""
    numpy_names, random_names = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numpy":
                    numpy_names.add(alias.asname or "numpy")
                elif alias.name == "numpy.random":
                    if alias.asname:
                        random_names.add(alias.asname)
                    else:
                        numpy_names.add("numpy")
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy":
            random_names |= {a.asname or a.name for a in node.names if a.name == "random"}
    return numpy_names, random_names


def global_random_uses(module: Module) -> list[str]:
    """Calls or imports of numpy's global-state random functions (``np.random.normal``…)."""
    numpy_names, random_names = _numpy_aliases(module.tree)
    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and node.module == "numpy.random":
            found += [
                f"{node.lineno}: from numpy.random import {a.name}"
                for a in node.names
                if a.name not in NUMPY_RANDOM_ALLOWED
            ]
        if not isinstance(node, ast.Attribute):
            continue
        value = node.value
        via_numpy = (
            isinstance(value, ast.Attribute)
            and value.attr == "random"
            and isinstance(value.value, ast.Name)
            and value.value.id in numpy_names
        )
        via_alias = isinstance(value, ast.Name) and value.id in random_names
        if (via_numpy or via_alias) and node.attr not in NUMPY_RANDOM_ALLOWED:
            found.append(f"{node.lineno}: numpy.random.{node.attr}")
    return [f"{module.path.relative_to(ROOT)}:{item}" for item in found]


def test_model_never_touches_global_numpy_random_state():
    assert [v for m in _layer("seamsim.model") for v in global_random_uses(m)] == []


def file_reads(module: Module) -> list[str]:
    """Calls of the builtin ``open`` and of ``Path.read_text``/``read_bytes``/``open``."""
    found = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            found.append(f"{node.lineno}: open(...)")
        elif isinstance(func, ast.Attribute) and func.attr in ("read_text", "read_bytes"):
            found.append(f"{node.lineno}: .{func.attr}(...)")
    return [f"{module.path.relative_to(ROOT)}:{item}" for item in found]


def test_model_never_reads_files():
    assert [v for m in _layer("seamsim.model") for v in file_reads(m)] == []


# --------------------------------------------------------------------------------------
# scenario, experiment, dashboard
# --------------------------------------------------------------------------------------
def test_scenario_imports_no_higher_layer():
    forbidden = ("seamsim.model", "seamsim.experiment", "seamsim.cli", "dashboard", "simpy")
    assert violations(_layer("seamsim.scenario"), forbidden) == []


def test_experiment_imports_no_cli_or_dashboard():
    assert violations(_layer("seamsim.experiment"), ("seamsim.cli", "dashboard")) == []


def test_seamsim_never_imports_dashboard():
    assert violations(_layer("seamsim"), ("dashboard",)) == []


def test_report_builds_on_the_public_api():
    """``seamsim.report`` (called by the CLI and the dashboard) uses the public API and the
    experiment layer, never the model's modules, simpy or a higher layer."""
    forbidden = ("seamsim.model", "simpy", "seamsim.cli", "dashboard")
    assert violations(_layer("seamsim.report"), forbidden) == []


def test_dashboard_never_imports_the_model_or_simpy():
    assert violations(_layer("dashboard"), ("seamsim.model", "simpy")) == []


# --------------------------------------------------------------------------------------
# The checker itself
# --------------------------------------------------------------------------------------
def _fake(name: str, source: str, *, package: bool = False) -> Module:
    rel = (
        Path(*name.split(".")) / "__init__.py"
        if package
        else Path(*name.split(".")).with_suffix(".py")
    )
    return Module(ROOT / rel, name, ast.parse(source))


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("import simpy", "simpy"),
        ("from pydantic import BaseModel", "pydantic"),
        ("import pandas as pd", "pandas"),
        ("def f():\n    import yaml", "yaml"),
        ("from ..model import face", "seamsim.model"),
        ("from seamsim import model", "seamsim.model"),
    ],
)
def test_checker_sees_imports(source, forbidden):
    module = _fake("seamsim.scenario.loader", source)
    assert violations([module], (forbidden,)), source


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("import numpy as np\nnp.random.seed(1)", True),
        ("import numpy as np\nx = np.random.normal(0, 1)", True),
        ("import numpy\nnumpy.random.exponential(2.0)", True),
        ("from numpy import random as npr\nnpr.uniform()", True),
        ("from numpy.random import normal", True),
        ("import numpy.random as nr\nnr.seed(3)", True),
        (
            "import numpy as np\n"
            "rng = np.random.default_rng(np.random.SeedSequence(1))\nrng.normal()",
            False,
        ),
        ("from numpy.random import Generator, PCG64", False),
    ],
)
def test_checker_sees_global_random_state(source, bad):
    assert bool(global_random_uses(_fake("seamsim.model.face", source))) is bad


def test_checker_resolves_relative_imports():
    module = _fake("seamsim.scenario", "from .loader import x\nfrom ..model import y", package=True)
    names = {name for name, _ in imports_of(module)}
    assert {"seamsim.scenario.loader", "seamsim.model", "seamsim.model.y"} <= names


# --------------------------------------------------------------------------------------
# No import cycles (module-level imports; imports inside functions or TYPE_CHECKING are lazy)
# --------------------------------------------------------------------------------------
def _module_level_imports(module: Module) -> set[str]:
    """Modules imported when ``module`` is imported (top-level statements only)."""
    names: set[str] = set()
    for node in module.tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_relative(module, node.level, node.module) if node.level else (node.module or "")
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
    return names


def import_cycles(modules: list[Module]) -> list[list[str]]:
    """Return the import cycles among ``modules`` (each as its list of module names)."""
    known = {m.name for m in modules}
    graph: dict[str, set[str]] = {}
    for m in modules:
        edges = set()
        for name in _module_level_imports(m):
            target = name if name in known else name.rsplit(".", 1)[0] if name.rsplit(".", 1)[0] in known else None
            if target and target != m.name and not (m.is_package and target.startswith(m.name + ".")):
                edges.add(target)
        graph[m.name] = edges
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_no_import_cycles():
    assert import_cycles(ALL) == []


def test_the_cycle_checker_sees_a_cycle_and_ignores_lazy_imports():
    def fake(name: str, source: str) -> Module:
        return Module(ROOT / (name.replace(".", "/") + ".py"), name, ast.parse(source))

    a = fake("pkg.a", "from pkg.b import x\n")
    b = fake("pkg.b", "import pkg.a\n")
    lazy = fake("pkg.b", "def f():\n    import pkg.a\n")
    typing_only = fake("pkg.b", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n")
    assert import_cycles([a, b]) == [["pkg.a", "pkg.b", "pkg.a"]]
    assert import_cycles([a, lazy]) == []
    assert import_cycles([a, typing_only]) == []
