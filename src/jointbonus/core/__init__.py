"""The exact core both plan kinds stand on: numbers, money, months, the roster,
payout curves and the historical norm. Nothing here imports anything above it."""

__all__: list[str] = []
