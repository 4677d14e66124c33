"""Fuzzing the library's face: any call either works or raises the library's own error.

Each public function of ``jointbonus.__all__`` is called with good arguments
but one, which is replaced by a generated value of some other kind: ``None``,
numbers (floats among them), text, bytes, lists, dicts, a bare object, dates,
and the library's own values in the wrong place (a calibration where a plan
is expected, a gainsharing plan where a shared-target plan is expected, ...).
The call returns, or raises :class:`~jointbonus.errors.JointBonusError` --
never a ``TypeError``, ``AttributeError``, ``ValueError``, ``KeyError`` or
``RecursionError`` from inside.

A function that writes files writes them into a scratch folder, which is the
working folder while the calls run.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import jointbonus as jb
from jointbonus import gainsharing as gs
from jointbonus.errors import ArgumentError, JointBonusError

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"
GAINSHARING = ROOT / "examples" / "gainsharing" / "scanlon.toml"


@dataclass(frozen=True)
class Values:
    """The library's own values, good arguments and wrong ones alike."""

    plan: Any
    calibration: Any
    result: Any
    explanation: Any
    member: Any
    month: Any
    gs_plan: Any
    gs_result: Any
    history: Any
    built: Any
    risk: Any
    comparison: Any


@functools.cache
def values() -> Values:
    plan = jb.load_plan(SHARED)
    calibration = jb.calibrate(plan)
    result = jb.pay(plan, calibration)
    member = plan.members[0]
    month = plan.months[0].month
    gs_plan = gs.load_plan(GAINSHARING)
    history = tuple(
        jb.HistoryMonth(month.shift(-back), jb.D(100 + 10 * (back % 3)), jb.D(100))
        for back in range(24, 0, -1)
    )
    return Values(
        plan=plan,
        calibration=calibration,
        result=result,
        explanation=jb.explain(result, member.id, month),
        member=member,
        month=month,
        gs_plan=gs_plan,
        gs_result=gs.run(gs_plan),
        history=history,
        built=jb.build_plan(**build_arguments(month, history)),
        risk=jb.cost_risk(plan, calibration, method="bootstrap", years=50),
        comparison=jb.compare_plans(plan, plan, **compare_arguments(calibration)),
    )


def compare_arguments(calibration: Any) -> dict[str, Any]:
    """Good settings of ``compare_plans``: a short bootstrap, the calibration made once."""
    return {
        "calibration_a": calibration,
        "calibration_b": calibration,
        "labels": ("A", "B"),
        "method": "bootstrap",
        "years": 50,
        "seed": 1,
        "percentiles": [10, 90],
    }


def build_arguments(month: Any, history: Any) -> dict[str, Any]:
    """Good arguments of ``build_plan``: a plan of one member, its norm the trailing mean."""
    return {
        "name": "fuzz",
        "currency": "USD",
        "start": str(month),
        "members": [jb.Member("A", "sales", date(2020, 1, 1), None, "1")],
        "history": list(history),
        "curve": jb.StepCurve(),
        "budget": "100000",
        "norm": "trailing_mean",
    }


def good_calls() -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    """Each public function with good arguments, by name (keyword arguments throughout)."""
    v = values()
    plan, calibration, result = v.plan, v.calibration, v.result
    return {
        "D": (jb.D, {"value": "12.50"}),
        "Member": (
            jb.Member,
            {"id": "A", "team": "sales", "start": date(2020, 1, 1), "end": None, "fte": "1"},
        ),
        "allocate": (jb.allocate, {"amount": 100, "weights": [1, 2]}),
        "assess_targets": (jb.assess_targets, {"plan": v.built}),
        "build_plan": (jb.build_plan, build_arguments(v.month, v.history)),
        "calibrate": (jb.calibrate, {"plan": plan}),
        "calibration_document": (
            jb.calibration_document,
            {"plan": plan, "calibration": calibration},
        ),
        "calibration_frame": (
            jb.calibration_frame,
            {"plan": plan, "calibration": calibration},
        ),
        "compare_plans": (
            jb.compare_plans,
            {"plan_a": plan, "plan_b": plan, **compare_arguments(calibration)},
        ),
        "comparison_document": (jb.comparison_document, {"comparison": v.comparison}),
        "comparison_svg": (jb.comparison_svg, {"comparison": v.comparison}),
        "cost_risk": (
            jb.cost_risk,
            {"plan": plan, "calibration": calibration, "years": 50, "method": "bootstrap"},
        ),
        "currency": (jb.currency, {"code": "EUR"}),
        "derive_norm": (
            jb.derive_norm,
            {
                "history": list(v.history),
                "method": jb.NormMethod.TRAILING_MEAN,
                "plan_months": [m.month for m in plan.months],
            },
        ),
        "explain": (jb.explain, {"result": result, "member_id": v.member.id, "month": v.month}),
        "iter_json": (lambda **k: list(jb.iter_json(**k)), {"result": result}),
        "iter_jsonl": (lambda **k: list(jb.iter_jsonl(**k)), {"result": result}),
        "load_plan": (jb.load_plan, {"path": SHARED}),
        "load_plan_document": (
            jb.load_plan_document,
            {
                "document": SHARED.read_text(encoding="utf-8"),
                "format": "toml",
                "base_dir": SHARED.parent,
                "source": "fuzz",
            },
        ),
        "pay": (jb.pay, {"plan": plan, "calibration": calibration}),
        "payroll_csv": (jb.payroll_csv, {"result": result}),
        "plan_months": (jb.plan_months, {"start": v.month}),
        "propose_targets": (jb.propose_targets, {"plan": v.built, "uplift": "0.05"}),
        "realised_weights": (jb.realised_weights, {"result": result}),
        "render_calibration_table": (
            jb.render_calibration_table,
            {"plan": plan, "calibration": calibration},
        ),
        "render_comparison_table": (jb.render_comparison_table, {"comparison": v.comparison}),
        "render_explanation": (jb.render_explanation, {"explanation": v.explanation}),
        "render_json": (jb.render_json, {"document": {"a": 1}}),
        "render_statement": (jb.render_statement, {"result": result, "member_id": v.member.id}),
        "render_statements": (lambda **k: list(jb.render_statements(**k)), {"result": result}),
        "render_table": (jb.render_table, {"result": result}),
        "render_transparency_page": (jb.render_transparency_page, {"result": result}),
        "render_transparency_report": (jb.render_transparency_report, {"result": result}),
        "result_document": (jb.result_document, {"result": result}),
        "risk_frame": (jb.risk_frame, {"plan": plan, "risk": v.risk}),
        "run": (jb.run, {"plan": plan}),
        "to_frame": (jb.to_frame, {"result": result, "table": "months"}),
        "uplift_for_hit_rate": (jb.uplift_for_hit_rate, {"plan": v.built, "hit_rate": "0.5"}),
        "weighting_frame": (
            jb.weighting_frame,
            {"plan": plan, "calibration": calibration, "result": result},
        ),
        "write_json": (jb.write_json, {"result": result, "target": "result.json"}),
        "write_jsonl": (jb.write_jsonl, {"result": result, "target": "lines.jsonl"}),
        "write_payroll_csv": (jb.write_payroll_csv, {"result": result, "path": "payroll.csv"}),
        "write_pictures": (
            jb.write_pictures,
            {"result": result, "folder": "pictures", "risk": v.risk},
        ),
        "write_results": (jb.write_results, {"result": result, "folder": "out"}),
        "write_xlsx": (jb.write_xlsx, {"result": result, "path": "result.xlsx"}),
    }


PUBLIC_FUNCTIONS = sorted(
    name
    for name in jb.__all__
    if inspect.isfunction(getattr(jb, name)) and not inspect.isclass(getattr(jb, name))
)
#: The functions, and the value a plan is made of that a finance script makes itself.
CALLED = [*PUBLIC_FUNCTIONS, "Member"]


class Opaque:
    """An object of no kind the library knows."""

    def __repr__(self) -> str:
        return "Opaque()"


class Exploding:
    """An object whose every use but ``repr`` fails: nothing of it may be used unchecked."""

    def __repr__(self) -> str:
        return "Exploding()"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # the machinery's own questions (pretty printing, copying)
            raise AttributeError(name)
        raise RuntimeError(f"Exploding.{name} was used")


def own_values() -> list[Any]:
    v = values()
    return [
        v.plan,
        v.calibration,
        v.result,
        v.explanation,
        v.member,
        v.month,
        v.gs_plan,
        v.gs_result,
        v.risk,
        v.comparison,
        v.plan.months[0],
        v.history[0],
        jb.StepCurve(),
        jb.currency("USD"),
        date(2026, 1, 1),
    ]


def wrong_values() -> st.SearchStrategy[Any]:
    """Values of every kind, the library's own among them."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.fractions(),
        st.text(max_size=12),
        st.binary(max_size=12),
        st.just(Opaque()),
        st.just(Exploding()),
        st.dates(),
    )
    nested = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner, inner),
            st.dictionaries(st.text(max_size=4), inner, max_size=3),
            st.frozensets(st.integers(), max_size=3),
        ),
        max_leaves=6,
    )
    return st.one_of(nested, st.sampled_from(own_values()))


@contextlib.contextmanager
def working_folder() -> Iterator[None]:
    """A scratch folder as the working folder: a call that writes files writes them there."""
    before = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="jointbonus-fuzz-api-") as scratch:
        os.chdir(scratch)
        try:
            yield
        finally:
            os.chdir(before)


#: Good values that make a call slow, not wrong: drawing pictures (seconds each), a
#: risk simulated afresh, a simulation of many years. The values are left out.
SLOW = {
    ("write_pictures", "folder"): lambda value: isinstance(value, str),
    ("write_pictures", "risk"): lambda value: value is None,
    ("cost_risk", "years"): lambda value: isinstance(value, int) and value > 1000,
    ("compare_plans", "years"): lambda value: isinstance(value, int) and value > 1000,
}


def call(name: str, replaced: str, wrong: Any) -> None:
    """Call public function ``name`` with argument ``replaced`` set to ``wrong``."""
    function, arguments = good_calls()[name]
    with working_folder():
        try:
            made = function(**{**arguments, replaced: wrong})
            if name == "Member":  # a member made is one a plan can be built of
                v = values()
                made = jb.build_plan(**{**build_arguments(v.month, v.history), "members": [made]})
            if name in ("build_plan", "Member"):  # a plan built is one that pays and prints
                paid = jb.run(made)
                jb.render_table(paid)
                jb.render_json(jb.result_document(paid))
                jb.payroll_csv(paid)
                jb.write_results(paid, "out")
        except JointBonusError:
            pass


def test_every_public_function_is_fuzzed() -> None:
    assert set(CALLED) == set(good_calls())


def test_the_good_calls_work() -> None:
    for function, arguments in good_calls().values():
        with working_folder():
            try:
                function(**arguments)
            except jb.MissingExtraError:  # pictures need matplotlib, frames pandas: extras
                continue


#: Every argument of every public function, each fuzzed on its own.
ARGUMENTS = [
    (name, argument)
    for name in CALLED
    for argument in inspect.signature(getattr(jb, name)).parameters
]


@pytest.mark.parametrize(("name", "replaced"), ARGUMENTS)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
@given(wrong=wrong_values())
def test_any_argument_works_or_raises_the_librarys_error(
    name: str, replaced: str, wrong: Any
) -> None:
    assume(not SLOW.get((name, replaced), lambda _: False)(wrong))
    call(name, replaced, wrong)


@pytest.mark.parametrize(
    ("name", "replaced", "wrong", "phrase"),
    [
        ("run", "plan", "plan.toml", "plan: got str 'plan.toml', expected a Plan"),
        ("run", "plan", None, "plan: got None, expected a Plan"),
        ("pay", "calibration", None, "calibration: got None, expected a Calibration"),
        ("render_explanation", "format", "pdf", "format: got str 'pdf', expected one of"),
        ("build_plan", "curve", "step", "curve: got str 'step', expected a Curve"),
        ("build_plan", "start", date(2026, 1, 1), "start: got date"),
        ("load_plan", "path", 5, "path: got int 5, expected a path"),
        ("write_results", "folder", None, "folder: got None, expected a path"),
    ],
)
def test_a_wrong_argument_is_named_with_what_it_got(
    name: str, replaced: str, wrong: Any, phrase: str
) -> None:
    function, arguments = good_calls()[name]
    with working_folder(), pytest.raises(ArgumentError) as info:
        function(**{**arguments, replaced: wrong})
    assert phrase in str(info.value)
    assert isinstance(info.value, TypeError)


def test_a_gainsharing_plan_is_no_shared_target_plan() -> None:
    with pytest.raises(ArgumentError, match="plan: got GainsharingPlan"):
        jb.run(values().gs_plan)
