"""The examples in every module's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import jointbonus

SUBMODULES = sorted(
    i.name
    for i in pkgutil.walk_packages(jointbonus.__path__, prefix="jointbonus.")
    if not i.name.endswith("__main__")
)
MODULES = ["jointbonus", *SUBMODULES]


def _testmod(name: str) -> doctest.TestResults:
    module = importlib.import_module(name)
    return doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False, verbose=False)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    results = _testmod(name)
    report = capsys.readouterr().out
    assert results.failed == 0, (
        f"{results.failed} of {results.attempted} examples failed:\n{report}"
    )


def test_doctests_exist() -> None:
    attempted = {name: _testmod(name).attempted for name in MODULES}
    assert sum(attempted.values()) >= 20, attempted
    for name in (
        "jointbonus.core.number",
        "jointbonus.core.money",
        "jointbonus.core.periods",
        "jointbonus.core.curves",
    ):
        assert attempted[name] > 0, f"{name} lost its examples"
