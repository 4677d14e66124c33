"""The money of a plan: its currency and the neutral budget B.

The budget is an amount, or ``"from_history"``: the mean monthly payout of
the old plan over the history, times the plan's months, rounded to the
minor unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jointbonus.core.history import HistoryMonth
from jointbonus.core.money import Currency
from jointbonus.core.money import currency as make_currency
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.plan import Budget

__all__ = ["budget", "plan_currency"]


def plan_currency(checks: Checks, value: str | Currency) -> Currency | None:
    """The plan's currency: a :class:`Currency`, or an ISO 4217 code the library knows."""
    try:
        return value if isinstance(value, Currency) else make_currency(value)
    except JointBonusError as error:
        checks.add("currency", value, str(error))
        return None


def budget(
    checks: Checks,
    value: object,
    history: Sequence[HistoryMonth],
    months: int,
    currency: Currency,
) -> Budget | None:
    """The neutral budget, in minor units, and where it came from."""
    if isinstance(value, str) and value.strip() == "from_history":
        paid = [h.paid for h in history]
        missing = [str(h.month) for h in history if h.paid is None]
        if not history or missing:
            checks.add(
                "budget",
                "from_history",
                "a 'paid' amount on every history month "
                f"(missing for {', '.join(missing) or 'all'})",
            )
            return None
        monthly = sum((Fraction(p) for p in paid if p is not None), Fraction(0)) / len(paid)
        amount = currency.round_to_minor(monthly * months)
        if amount <= 0:
            checks.add(
                "budget",
                f"from_history ({currency.format(amount)})",
                "history whose 'paid' amounts give a budget above 0, or an amount above 0",
            )
            return None
        source = (
            f"history: mean monthly payout of the old plan "
            f"{currency.format(currency.round_to_minor(monthly))} over "
            f"{len(paid)} months x {months} plan months"
        )
        return Budget(amount, source)
    try:
        amount = currency.to_minor(value)  # type: ignore[arg-type]
    except (JointBonusError, TypeError):
        checks.add(
            "budget",
            value,
            f"an amount with at most {currency.minor_unit} decimals or 'from_history'",
        )
        return None
    if amount <= 0:
        checks.add("budget", value, "an amount above 0")
        return None
    return Budget(amount, "given in the plan")
