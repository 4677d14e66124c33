"""Cost risk: the distribution of the year's cost, exact and bootstrapped.

The hand-worked plan: a one-month trailing mean over the actuals 100, 80,
100, 110, 99 gives the sample 0.8, 1.25, 1.1, 0.9 and a norm level of 99.
January's target is 99 (hit by 1.25 and 1.1: chance 1/2), February's 118.80
(hit by 1.25 only: chance 1/4). A step curve and a budget of 300.00 give a
pool of 300 / (1/2 + 1/4) = 400.00, and the year costs

    0.00    with probability 1/2 x 3/4             = 3/8
    400.00  with probability 1/2 x 3/4 + 1/2 x 1/4 = 1/2
    800.00  with probability 1/2 x 1/4             = 1/8

whose mean is 400 x 1/2 + 800 x 1/8 = 300.00, the budget.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date
from decimal import ROUND_FLOOR, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    LinearCurve,
    Member,
    Month,
    Plan,
    RiskError,
    RiskMethod,
    calibrate,
    cost_risk,
    load_plan,
    pay,
    render_json,
    render_risk_table,
    risk_document,
    scenario_month_costs,
)
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.sharedtarget.pay.groups import frame_months
from jointbonus.sharedtarget.risk import (
    DEFAULT_SEED,
    MAX_YEARS,
    CostDistribution,
    _exact,
    _groups,
)
from plans import hand_plan

ROOT = Path(__file__).resolve().parent.parent
DIGITAL = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"
ALPINE = ROOT / "examples" / "alpine_outfitters" / "plan.toml"


# -- the hand-worked plan ----------------------------------------------------------


def test_scenario_month_costs_by_hand() -> None:
    plan = hand_plan()
    calibration = calibrate(plan)
    assert calibration.scale == 400
    tables = scenario_month_costs(plan, calibration, frame_months(plan))
    assert tables == (Counter({0: 2, 40000: 2}), Counter({0: 3, 40000: 1}))


def test_the_exact_distribution_by_hand() -> None:
    risk = cost_risk(hand_plan())
    year = risk.year
    assert year.method is RiskMethod.EXACT
    assert year.points() == (
        (0, Fraction(3, 8)),
        (40000, Fraction(1, 2)),
        (80000, Fraction(1, 8)),
    )
    assert year.total_weight == 4**2
    assert year.mean == 30000 == risk.budget == risk.expected_cost
    assert year.variance == Fraction(40000**2, 2) + Fraction(80000**2, 8) - 30000**2
    assert (year.minimum, year.maximum) == (0, 80000)
    assert year.years is None and year.seed is None and year.mean_standard_error is None
    assert risk.given_paid is None


@pytest.mark.parametrize(
    ("percent", "cost"),
    [(5, 0), (10, 0), (25, 0), (Fraction(75, 2), 0), (Fraction(751, 20), 40000), (50, 40000),
     (75, 40000), (Fraction(175, 2), 40000), (Fraction(1751, 20), 80000), (95, 80000)],
)  # fmt: skip
def test_percentiles_by_hand(percent: Fraction, cost: int) -> None:
    # P(cost <= 0) = 3/8 = 37.5%, P(cost <= 400.00) = 7/8 = 87.5%: the smallest cost
    # whose cumulative probability reaches the percentile.
    assert cost_risk(hand_plan()).year.percentile(percent) == cost


def test_chances_of_exceeding_the_budget_by_hand() -> None:
    risk = cost_risk(hand_plan(), exceed=["0", "0.1", "1.5", "-0.5", "2"])
    year = risk.year
    assert [risk.threshold(share) for share in risk.exceed] == [30000, 33000, 75000, 15000, 90000]
    assert [year.chance_above(risk.threshold(s)) for s in risk.exceed] == [
        Fraction(5, 8),  # above 300.00: 400.00 or 800.00
        Fraction(5, 8),
        Fraction(1, 8),  # above 750.00: only 800.00
        Fraction(5, 8),
        Fraction(0),
    ]
    assert year.chance_above(-1) == 1
    assert year.chance_above(80000) == 0
    assert year.chance_above(79999) == Fraction(1, 8)


def test_the_year_given_a_paid_month_by_hand() -> None:
    risk = cost_risk(hand_plan({"2026-01": "100"}))  # 100 >= 99: January pays 400.00
    given = risk.given_paid
    assert given is not None
    assert given.paid == 40000
    assert given.paid_months == (Month(2026, 1),)
    assert given.drawn_months == (Month(2026, 2),)
    assert given.points() == ((40000, Fraction(3, 4)), (80000, Fraction(1, 4)))
    assert given.mean == 50000
    assert given.label == "the year given the 1 month paid (2026-01): 1 pending month drawn"
    # The year under the norm ignores what was paid.
    assert risk.year.points() == cost_risk(hand_plan()).year.points()


def test_a_year_with_every_month_paid_is_one_amount() -> None:
    risk = cost_risk(hand_plan({"2026-01": "100", "2026-02": "90"}), method="bootstrap")
    given = risk.given_paid
    assert given is not None
    assert given.method is RiskMethod.EXACT  # nothing to draw: no simulation
    assert given.points() == ((40000, Fraction(1)),)
    assert given.drawn_months == ()


def test_the_year_given_paid_months_counts_them_as_the_plan_summary_does() -> None:
    # B leaves before the plan year ends, so forfeits what is held back from January:
    # a cost the plan never bears, in the month tables and in the months paid alike.
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1")),
        Member("B", "marketing", date(2025, 1, 1), date(2026, 2, 14), D("1")),
    ]
    plan = hand_plan({"2026-01": "100"}, members=members, holdback="0.25")
    calibration = calibrate(plan)
    result = pay(plan, calibration)
    january = result.months[0]
    assert january.forfeited > 0
    given = cost_risk(plan, calibration).given_paid
    assert given is not None
    assert given.paid == result.summary.paid_to_date == january.paid - january.forfeited


def test_individual_funding_by_hand() -> None:
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1"), target_bonus=D("1200")),
        Member("B", "sales", date(2026, 2, 1), None, D("1"), target_bonus=D("2400")),
    ]
    plan = hand_plan(members=members, funding="individual", budget="200.00")
    # Unit cost: 100 x 1/2 (A in January) + (100 + 200) x 1/4 (both in February) = 125,
    # so the multiplier is 200 / 125 = 8/5: January pays 160.00 when hit, February 480.00.
    calibration = calibrate(plan)
    assert calibration.scale == Fraction(8, 5)
    assert cost_risk(plan).year.points() == (
        (0, Fraction(3, 8)),
        (16000, Fraction(3, 8)),
        (48000, Fraction(1, 8)),
        (64000, Fraction(1, 8)),
    )


# -- the examples ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def digital() -> Plan:
    return load_plan(DIGITAL)


def test_a_step_plan_is_exact_and_its_mean_is_the_expected_cost(digital: Plan) -> None:
    calibration = calibrate(digital)
    risk = cost_risk(digital, calibration)
    assert risk.year.method is RiskMethod.EXACT
    assert risk.year.total_weight == 36**12
    assert sum(p for _, p in risk.year.points()) == 1
    assert risk.year.mean == calibration.expected_cost
    # Neutral: the mean is the budget within the calibration's rounding bound.
    assert abs(risk.year.mean - digital.budget.amount) <= calibration.rounding_bound
    # A step plan with a pool paid in every month: 0 to 12 pools.
    pool = calibration.scale * 100
    assert [a for a, _ in risk.year.points()] == [round(pool) * k for k in range(13)]


def test_the_step_plan_given_its_paid_months(digital: Plan) -> None:
    risk = cost_risk(digital)
    given = risk.given_paid
    assert given is not None
    assert len(given.paid_months) == 10 and len(given.drawn_months) == 2
    assert given.paid == 17156055
    calibration = calibrate(digital)
    pending = {m.month: m.expected_cost for m in calibration.months}
    assert given.mean == given.paid + sum(pending[m] for m in given.drawn_months)


def test_exact_and_bootstrap_agree_within_sampling_error(digital: Plan) -> None:
    years = 20_000
    exact = cost_risk(digital, method="exact").year
    simulated = cost_risk(digital, method="bootstrap", years=years).year
    assert simulated.method is RiskMethod.BOOTSTRAP and simulated.years == years
    # The mean: within 4 standard errors (sd / sqrt(years)), compared exactly by squares.
    assert (simulated.mean - exact.mean) ** 2 <= 16 * exact.variance / years
    # Percentiles: by the Dvoretzky-Kiefer-Wolfowitz inequality the empirical CDF of
    # `years` draws is within eps of the true CDF everywhere, except with probability
    # 2 exp(-2 years eps^2); eps = 0.02 makes that below 2e-6. So the simulated p-th
    # percentile lies between the exact quantiles at p - eps and p + eps.
    eps = Fraction(2, 100)
    assert 2 * math.exp(-2 * years * float(eps) ** 2) < 2e-6
    for percent in (5, 10, 25, 50, 75, 90, 95):
        share = Fraction(percent, 100)
        low = exact.quantile(max(share - eps, Fraction(0)))
        high = exact.quantile(min(share + eps, Fraction(1)))
        assert low <= simulated.percentile(percent) <= high, percent
    # The chance above the budget: within eps too.
    budget = digital.budget.amount
    assert abs(simulated.chance_above(budget) - exact.chance_above(budget)) <= eps


def test_a_linear_plan_is_bootstrapped(digital: Plan) -> None:
    plan = load_plan(ALPINE)
    risk = cost_risk(plan, years=5_000)
    assert risk.year.method is RiskMethod.BOOTSTRAP
    assert risk.year.seed == DEFAULT_SEED
    assert len(risk.year.amounts) == 5_000
    assert list(risk.year.amounts) == sorted(risk.year.amounts)
    error = risk.year.mean_standard_error
    assert error is not None and error > 0
    assert (risk.year.mean - risk.expected_cost) ** 2 <= 16 * risk.year.variance / 5_000
    with pytest.raises(RiskError, match="too many values to count exactly"):
        cost_risk(plan, method="exact")


def test_the_bootstrap_is_seeded() -> None:
    plan = load_plan(ALPINE)
    first = cost_risk(plan, years=2_000)
    again = cost_risk(plan, years=2_000, seed=DEFAULT_SEED)
    other = cost_risk(plan, years=2_000, seed=DEFAULT_SEED + 1)
    assert first.year.amounts == again.year.amounts
    assert first.given_paid is not None and again.given_paid is not None
    assert first.given_paid.amounts == again.given_paid.amounts
    assert first.year.amounts != other.year.amounts


def test_the_bootstrap_of_a_step_plan_draws_from_the_exact_support(digital: Plan) -> None:
    exact = {a for a, _ in cost_risk(digital, method="exact").year.points()}
    simulated = cost_risk(digital, method="bootstrap", years=3_000).year
    assert set(simulated.amounts) <= exact


def test_the_output_does_not_depend_on_the_decimal_context(digital: Plan) -> None:
    plan = load_plan(ALPINE)
    expected = render_json(risk_document(plan, cost_risk(plan, years=1_000)))
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_FLOOR
        assert render_json(risk_document(plan, cost_risk(plan, years=1_000))) == expected


# -- the machinery ----------------------------------------------------------------------


def test_groups_hold_every_combination_equally_often() -> None:
    tables = [Counter({0: 16, 5: 20}), Counter({1: 3, 2: 6, 4: 27}), Counter({7: 36})]
    groups = _groups(tables)
    # Counts divided by their gcd: 9, 12 and 1 equally likely entries; one group of all
    # 9 x 12 x 1 combinations, whose entries are the exact distribution, equally weighted.
    assert [len(g) for g in groups] == [108]
    exact = _exact(tables, 0, 10**6)
    assert exact is not None
    amounts, cumulative = exact
    entries = Counter(groups[0])
    weights = [c - p for c, p in zip(cumulative, (0, *cumulative), strict=False)]
    assert sorted(entries) == list(amounts)
    assert [Fraction(entries[a], len(groups[0])) for a in amounts] == [
        Fraction(w, cumulative[-1]) for w in weights
    ]


def test_groups_stay_within_the_limit() -> None:
    table = Counter({cost: 1 for cost in range(100)})
    groups = _groups([table] * 5)
    assert [len(g) for g in groups] == [10_000, 10_000, 100]


def test_the_exact_method_stops_at_its_limit() -> None:
    table = Counter({cost: 1 for cost in range(0, 1000, 7)})
    assert _exact([table] * 2, 0, 143 + 143**2) is not None
    assert _exact([table] * 2, 0, 143 + 143**2 - 1) is None


def test_quantiles_at_the_ends() -> None:
    distribution = CostDistribution(RiskMethod.EXACT, (10, 20, 30), (1, 3, 4))
    assert distribution.quantile(Fraction(0)) == 10
    assert distribution.quantile(Fraction(1, 4)) == 10
    assert distribution.quantile(Fraction(1, 4) + Fraction(1, 10**9)) == 20
    assert distribution.quantile(Fraction(3, 4)) == 20
    assert distribution.quantile(Fraction(1)) == 30
    assert distribution.mean == Fraction(10 + 40 + 30, 4)


# -- settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"years": 0}, "years: got 0"),
        ({"years": MAX_YEARS + 1}, "years: got 1000001"),
        ({"years": True}, "years: got True"),
        ({"years": 10.0}, "years: got 10.0"),
        ({"seed": -1}, "seed: got -1"),
        ({"seed": "7"}, "seed: got '7'"),
        ({"method": "fast"}, "method: got 'fast', expected one of 'auto', 'exact', 'bootstrap'"),
        ({"exceed": ["ten"]}, "exceed: got 'ten'"),
        (
            {"exceed": [0.1]},
            "exceed: got 0.1, expected a share of the budget above -1, such as '0.1' "
            "(10% over budget) (as text or a Decimal: floats",
        ),
        (
            {"exceed": "0.1", "percentiles": 0.5},
            "percentiles: got 0.5, expected a percent between 0 and 100 (as text",
        ),
        ({"exceed": ["-1"]}, "exceed: got '-1', expected a share of the budget above -1"),
        ({"percentiles": [0]}, "percentiles: got 0"),
        ({"percentiles": ["100"]}, "percentiles: got '100'"),
    ],
)
def test_bad_settings_are_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(RiskError) as caught:
        cost_risk(hand_plan(), **settings)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_one_share_or_percentile_may_be_given_alone() -> None:
    risk = cost_risk(hand_plan(), exceed="0.1", percentiles=50)
    assert risk.exceed == (Fraction(1, 10),)
    assert risk.percentiles == (Fraction(50),)


def test_every_bad_setting_is_reported_at_once() -> None:
    with pytest.raises(RiskError) as caught:
        cost_risk(hand_plan(), years=0, seed=-1, exceed=["x"])
    text = str(caught.value)
    assert text.startswith("3 problems in the cost risk settings:")
    assert "years: got 0" in text and "seed: got -1" in text and "exceed: got 'x'" in text


# -- reports and the command line ----------------------------------------------------------


def test_the_table(digital: Plan) -> None:
    table = render_risk_table(digital, cost_risk(digital))
    assert "Year under the norm" in table
    assert "Given 10 months with actuals" in table
    assert "Percentile 50 (USD)" in table
    assert "Chance above the budget (138,882.34)" in table
    assert "Chance above budget + 10.0% (152,770.57)" in table
    assert "Every possible cost: the year under the norm: 12 months drawn" in table
    assert "294,103.80" in table  # twelve pools of 24,508.65


def test_the_json_document(digital: Plan) -> None:
    document = json.loads(render_json(risk_document(digital, cost_risk(digital))))
    year = document["year"]
    assert document["budget"] == "138882.34"
    assert year["method"] == "exact"
    assert year["years"] is None
    assert year["mean"] == document["expected_cost"]
    assert [p["percent"] for p in year["percentiles"]] == ["5", "10", "25", "50", "75", "90", "95"]
    assert [e["share"] for e in year["exceed"]] == ["0", "0.1", "0.25"]
    assert year["exceed"][1]["above"] == "152770.57"
    assert len(year["distribution"]) == 13
    assert year["distribution"][-1]["cumulative"] == "1.000000"
    given = document["given_paid"]
    assert given["months_paid"][0] == "2026-01" and given["paid"] == "171560.55"


def test_the_json_of_a_bootstrap() -> None:
    plan = load_plan(ALPINE)
    document = risk_document(plan, cost_risk(plan, years=1_000, seed=5))
    assert document["year"]["method"] == "bootstrap"
    assert document["year"]["years"] == 1_000
    assert document["year"]["seed"] == 5
    assert document["year"]["distribution"] is None
    assert document["year"]["mean_standard_error"] is not None


def test_cli_simulate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(DIGITAL)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Year under the norm" in out and "exact" in out


def test_cli_simulate_json_with_settings(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["simulate", str(ALPINE), "--years", "2000", "--seed", "9", "--format", "json"]
    assert main([*arguments, "--exceed", "0.05", "0.5"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["plan"]["name"].startswith("Alpine Outfitters")
    year = document["risk"]["year"]
    assert (year["method"], year["years"], year["seed"]) == ("bootstrap", 2000, 9)
    assert [e["share"] for e in year["exceed"]] == ["0.05", "0.5"]


def test_cli_simulate_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        assert main(["simulate", str(ALPINE), "--years", "3000", "--format", "json"]) == EXIT_OK
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--years", "0"], "years: got 0"),
        (["--years", "many"], "invalid int value"),
        (["--seed", "-3"], "seed: got -3"),
        (["--exceed", "lots"], "exceed: got 'lots'"),
        (["--method", "exact"], "too many values to count exactly"),
        (["--method", "guess"], "invalid choice"),
    ],
)
def test_cli_simulate_bad_input(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["simulate", str(ALPINE), *arguments])
    except SystemExit as stopped:  # argparse's own usage errors also exit with 2
        code = stopped.code  # type: ignore[assignment]
    assert code == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_a_linear_curve_with_few_factors_is_still_exact() -> None:
    # A linear curve through the sample's attainments takes at most 4 values a month.
    plan = hand_plan(curve=LinearCurve.of([("0.8", "0.5"), ("1.25", "2")]))
    risk = cost_risk(plan)
    assert risk.year.method is RiskMethod.EXACT
    assert risk.year.mean == calibrate(plan).expected_cost


def test_a_goal_periods_months_are_drawn_as_one_historical_period() -> None:
    """Goals over a quarter beside a monthly shared target: a quarter's three months read
    one historical quarter together, as calibration's paths do, so the year is four
    draws of 36 (one per quarter, exactly counted, its mean the expected cost), and the
    year given January to October draws November and December as one: 36 equally
    likely ways, not 36 x 36."""
    folder = ROOT / "examples" / "digital_manufacturing_monthly_target_goals_per_quarter"
    plan = load_plan(folder / "plan.toml")
    calibration = calibrate(plan)
    risk = cost_risk(plan, calibration)
    assert risk.year.method is RiskMethod.EXACT
    assert risk.year.total_weight == 36**4
    assert risk.year.mean == calibration.expected_cost
    given = risk.given_paid
    assert given is not None
    assert [str(m) for m in given.drawn_months] == ["2026-11", "2026-12"]
    assert given.total_weight == 36


def test_a_shared_periods_months_are_drawn_together_beside_monthly_goals() -> None:
    """A quarterly shared target beside monthly goals: a quarter's months read one
    historical quarter (each month its own month of it) together: four draws of 12
    historical quarters."""
    plan = load_plan(ROOT / "examples" / "digital_manufacturing_quarterly_goals" / "plan.toml")
    calibration = calibrate(plan)
    risk = cost_risk(plan, calibration, method="exact")
    assert risk.year.total_weight == 12**4
    assert risk.year.mean == calibration.expected_cost
    bootstrap = cost_risk(plan, calibration, method="bootstrap", years=20_000, seed=7)
    error = bootstrap.year.mean_standard_error
    assert error is not None
    assert abs(bootstrap.year.mean - calibration.expected_cost) <= 4 * error
