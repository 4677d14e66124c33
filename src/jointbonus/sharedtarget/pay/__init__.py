"""The pay rule: who stands where in each month, the payout outcome and its gates,
sharing out with caps and holdback, and what a month costs."""

__all__: list[str] = []
