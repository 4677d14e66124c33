"""Pictures of a plan year: the payout curve, attainment against target, the cost risk.

Three pictures, each made in two steps:

1. **The data** (:mod:`jointbonus.sharedtarget.plots.data`), exact and without any
   plotting library: :func:`curve_picture` (the curve's outline and the paid
   months on it), :func:`attainment_picture` (each month's target, actual,
   attainment, hit or miss) and :func:`cost_picture` (the distribution of the
   year's cost as bars, with the budget, the mean and the 5th to 95th
   percentiles). Every figure is the one the engine and
   :func:`~jointbonus.cost_risk` computed: fractions and minor units, never
   floats.
2. **The drawing** (:mod:`jointbonus.sharedtarget.plots.draw`), with matplotlib:
   :func:`draw_curve`, :func:`draw_attainment` and :func:`draw_cost` return
   PNG bytes, and :func:`write_pictures` writes all three into a folder, all
   or nothing (:data:`PICTURE_FILES`).

Drawing needs the optional ``plot`` extra (``pip install 'jointbonus[plot]'``,
which installs matplotlib); without it the drawing functions raise
:class:`~jointbonus.MissingExtraError` and everything else works as before.
matplotlib is imported only when a picture is drawn, on its non-interactive
Agg canvas (no screen needed), with matplotlib's default style whatever the
user's settings, and the PNG files carry no time or software version: the
same inputs give the same bytes with the same matplotlib.

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve, build_plan, cost_risk, run
>>> plan = build_plan(  # two months, January paid; half the historical months hit
...     name="Demo", currency="USD", start="2026-01", months=2,
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(a), D(100)) for m, a in
...              zip(range(9, 13), ["90", "105", "110", "95"])],
...     targets={"2026-01": "100", "2026-02": "100"}, actuals={"2026-01": "104"},
...     curve=StepCurve(), budget="200.00",
... )
>>> result = run(plan)
>>> [(str(m.month), str(m.attainment), m.hit) for m in attainment_picture(result).months]
[('2026-01', '26/25', True), ('2026-02', 'None', None)]
>>> curve = curve_picture(result)  # a step at 100%, drawn from 90% to 115%
>>> [(str(a), str(f)) for a, f in curve.outline], curve.pool_at_target
([('9/10', '0'), ('1', '0'), ('1', '1'), ('23/20', '1')], 20000)
>>> year = cost_picture(plan, cost_risk(plan)).panels[0]  # 0, 1 or 2 pools of 200.00
>>> [(bar.low, str(bar.chance)) for bar in year.bars], str(year.chance_above_budget)
([(0, '1/4'), (20000, '1/2'), (40000, '1/4')], '1/4')
"""

from jointbonus.sharedtarget.plots.data import (
    MAX_BINS,
    AttainmentMonth,
    AttainmentPicture,
    CostBar,
    CostPanel,
    CostPicture,
    CurveMonth,
    CurvePicture,
    attainment_picture,
    cost_picture,
    curve_picture,
)
from jointbonus.sharedtarget.plots.draw import (
    ATTAINMENT_FILE,
    COST_FILE,
    CURVE_FILE,
    PICTURE_FILES,
    draw_attainment,
    draw_comparison,
    draw_cost,
    draw_curve,
    matplotlib_version,
    write_pictures,
)

__all__ = [
    "ATTAINMENT_FILE",
    "COST_FILE",
    "CURVE_FILE",
    "MAX_BINS",
    "PICTURE_FILES",
    "AttainmentMonth",
    "AttainmentPicture",
    "CostBar",
    "CostPanel",
    "CostPicture",
    "CurveMonth",
    "CurvePicture",
    "attainment_picture",
    "cost_picture",
    "curve_picture",
    "draw_attainment",
    "draw_comparison",
    "draw_cost",
    "draw_curve",
    "matplotlib_version",
    "write_pictures",
]
