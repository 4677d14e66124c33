"""The public surface: an explicit ``__all__``, star import, typing marker, the README usage."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

import jointbonus

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "digital_manufacturing" / "plan.toml"
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(jointbonus.__path__, prefix="jointbonus.")
    if not info.name.endswith("__main__")
)


def test_all_lists_names_of_the_face() -> None:
    listed = set(jointbonus.__all__)
    assert len(listed) == len(jointbonus.__all__), "__all__ names a name twice"
    assert listed - {"__version__"} <= set(jointbonus.HOMES)


def test_every_name_the_face_offers_lives_in_its_home_module() -> None:
    for name, home in jointbonus.HOMES.items():
        value = getattr(jointbonus, name)
        module = importlib.import_module(home)
        if inspect.ismodule(value):
            assert value is module
            continue
        assert value is getattr(module, name)
        assert name in module.__all__, f"{home} does not list {name} in its __all__"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        jointbonus.no_such_name  # noqa: B018


def test_importing_the_face_loads_nothing_heavy() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, jointbonus; print(' '.join(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ours = [m for m in loaded if m.startswith("jointbonus")]
    assert ours == ["jointbonus", "jointbonus._version"]
    for heavy in ("pydantic", "tabulate", "dateutil", "openpyxl", "matplotlib", "typing"):
        assert heavy not in loaded, f"import jointbonus loaded {heavy}"


def test_names_load_their_modules_on_first_use() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, jointbonus; jointbonus.run; print(' '.join(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "jointbonus.sharedtarget.engine" in loaded
    for unused in (
        "pydantic",
        "tabulate",
        "jointbonus.gainsharing",
        "jointbonus.sharedtarget.explain",
        "jointbonus.sharedtarget.plots",
        "jointbonus.sharedtarget.report.exports",
    ):
        assert unused not in loaded, f"jointbonus.run loaded {unused}"


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
