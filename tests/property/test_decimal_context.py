"""The ambient decimal context changes nothing.

A caller may leave :mod:`decimal` set to three digits and rounding toward
minus infinity; the library never uses the ambient context, so the cents are
the same. With ``Inexact`` and ``Rounded`` trapped, any ambient rounding at
all would raise instead of going unnoticed.
"""

from __future__ import annotations

import decimal
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given

import jointbonus
from strategies import PlanSpec, examples, payable, plan_specs

EXAMPLE_PLAN = Path(__file__).parents[2] / "examples" / "digital_manufacturing" / "plan.toml"


def hostile() -> decimal.Context:
    return decimal.Context(
        prec=3,
        rounding=decimal.ROUND_FLOOR,
        traps=[
            decimal.Inexact,
            decimal.Rounded,
            decimal.FloatOperation,
            decimal.InvalidOperation,
            decimal.DivisionByZero,
            decimal.Overflow,
        ],
    )


def outputs(load: Callable[[], jointbonus.Plan]) -> tuple[str, ...]:
    """The plan's JSON document, its tables, its calibration and its result files."""
    plan = load()
    result = jointbonus.run(plan)
    with tempfile.TemporaryDirectory() as folder:
        files = [path.read_text("utf-8") for path in jointbonus.write_results(result, folder)]
    return (
        jointbonus.render_json(jointbonus.result_document(result)),
        jointbonus.render_table(result),
        repr(result.calibration),
        *files,
    )


def under_hostile_context(load: Callable[[], jointbonus.Plan]) -> tuple[str, ...]:
    with decimal.localcontext(hostile()):
        return outputs(load)


def test_example_plan_gives_the_same_output_under_a_hostile_context():
    load = lambda: jointbonus.load_plan(EXAMPLE_PLAN)  # noqa: E731
    assert under_hostile_context(load) == outputs(load)


@examples(2)
@given(plan_specs())
def test_generated_plan_gives_the_same_output_under_a_hostile_context(spec: PlanSpec):
    spec = payable(spec)
    assert under_hostile_context(spec.build) == outputs(spec.build)
