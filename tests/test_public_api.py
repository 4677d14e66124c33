"""The public surface: an explicit ``__all__``, star import, typing marker, the README usage."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import tomllib
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

import jointbonus

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "digital_manufacturing" / "plan.toml"
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(jointbonus.__path__, prefix="jointbonus.")
    if not info.name.endswith("__main__")
)


def _public_names(module: ModuleType) -> set[str]:
    """Names a reader of ``module`` would take as its public face (no submodules)."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }


def test_all_lists_exactly_the_public_names() -> None:
    listed = set(jointbonus.__all__)
    assert len(listed) == len(jointbonus.__all__), "__all__ names a name twice"
    assert listed - {"__version__"} == _public_names(jointbonus)


def test_every_name_in_all_exists() -> None:
    missing = [name for name in jointbonus.__all__ if not hasattr(jointbonus, name)]
    assert missing == []


def test_the_core_names_are_public() -> None:
    core = {
        "D", "Currency", "allocate", "Month", "plan_months", "Member", "StepCurve",
        "LinearCurve", "HistoryMonth", "NormMethod", "derive_norm", "Plan", "build_plan",
        "load_plan", "calibrate", "Calibration", "run", "pay", "Result", "Line",
        "render_table", "render_json", "result_document", "write_results",
        "JointBonusError", "FloatMoneyError", "PlanError", "CalibrationError",
    }  # fmt: skip
    assert core <= set(jointbonus.__all__)


def test_version_is_the_package_version() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert jointbonus.__version__ == pyproject["project"]["version"]


def test_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from jointbonus import *", namespace)
    imported = {name for name in namespace if name != "__builtins__"}
    assert imported == set(jointbonus.__all__)
    assert namespace["run"] is jointbonus.run


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_all_and_it_exists(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    assert len(set(declared)) == len(declared), f"{name}.__all__ names a name twice"
    missing = [attr for attr in declared if not hasattr(module, attr)]
    assert missing == [], f"{name}.__all__ names what {name} does not define"


def test_public_names_are_reexported_from_their_modules() -> None:
    for name in jointbonus.__all__:
        value = getattr(jointbonus, name)
        home = getattr(value, "__module__", None)
        if home is not None and home.startswith("jointbonus."):
            assert name in getattr(sys.modules[home], "__all__", ()), f"{home} hides {name}"


def test_py_typed_is_shipped() -> None:
    assert resources.files("jointbonus").joinpath("py.typed").is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["jointbonus"]


def test_three_line_usage_on_the_example_plan() -> None:
    plan = jointbonus.load_plan(EXAMPLE)
    result = jointbonus.run(plan)
    table = jointbonus.render_table(result)
    assert isinstance(table, str)
    for member in plan.members:
        assert member.id in table
    assert "2026-01" in table
    assert "2026-12" in table
    assert "pending" in table


def test_usage_is_in_the_package_docstring() -> None:
    doc = jointbonus.__doc__ or ""
    assert "jointbonus.load_plan(" in doc
    assert "jointbonus.run(plan)" in doc
    assert "jointbonus.render_table(result)" in doc
