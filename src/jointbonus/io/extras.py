"""Optional extras: packages the core never needs, loaded only when a feature asks for them.

``results.xlsx`` needs openpyxl (``pip install 'jointbonus[xlsx]'``), pictures
need matplotlib (``[plot]``), DataFrames pandas (``[pandas]``). A feature
asks :func:`require_extra` for its package when it runs; a missing one is a
:class:`MissingExtraError` that says what to install, never an ImportError
from deep inside.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from jointbonus.errors import JointBonusError

__all__ = ["MissingExtraError", "require_extra"]


class MissingExtraError(JointBonusError, ImportError):
    """An optional extra (openpyxl, pandas) that an export needs is not installed."""


def require_extra(module: str, extra: str, purpose: str) -> ModuleType:
    """Import the optional ``module``, or raise :class:`MissingExtraError` naming
    ``pip install 'jointbonus[EXTRA]'`` for ``purpose``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{purpose} needs {module}, which is not installed; install the optional "
            f"extra with: pip install 'jointbonus[{extra}]'"
        ) from None
