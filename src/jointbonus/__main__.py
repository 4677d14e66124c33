"""``python -m jointbonus``: the ``jointbonus`` command (see :mod:`jointbonus.cli`)."""

from __future__ import annotations

import sys

from jointbonus.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
