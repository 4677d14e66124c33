"""Hypothesis settings profiles for the whole test suite.

``quick`` (the default) keeps everyday runs fast. ``thorough`` runs many more
examples, without deadlines (the work per example varies a lot: a plan of 30
members over 24 months with 48 months of history costs far more than one of a
single member) and derandomized, so that a CI run is reproducible.

The profile is the one named by ``JOINTBONUS_HYPOTHESIS_PROFILE`` if set,
else ``thorough`` when ``CI`` is set (CI services set ``CI=true``; ``CI=false`` or
``CI=0`` count as unset), else ``quick``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "quick",
    max_examples=30,
    deadline=None,
)
# 45 examples per property (fewer for the heavy ones that take a share, see
# strategies.examples): the suite has some 200 properties, many paying whole plans
# per example; at 100 the thorough profile alone took 17 of CI's 24 minutes on two
# cores, and at 60 the whole run had grown to 19 minutes. Every planted bug the
# properties are known to catch falls at 30 examples.
settings.register_profile(
    "thorough",
    max_examples=45,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _profile() -> str:
    named = os.environ.get("JOINTBONUS_HYPOTHESIS_PROFILE", "").strip()
    if named:
        return named
    ci = os.environ.get("CI", "").strip().lower()
    return "thorough" if ci not in ("", "0", "false", "no") else "quick"


settings.load_profile(_profile())


@pytest.fixture(scope="session")
def thorough() -> bool:
    """Whether the thorough profile runs: tests that are not hypothesis's do more rounds too."""
    return _profile() == "thorough"
