"""Hypothesis profiles for the generated-inventory tests, chosen by ``HYPOTHESIS_PROFILE``.

``ci`` (the default, what ``make test`` runs): fixed seed, few lab examples, no shrinking of lab
runs (each costs seconds). ``soak`` (``make soak``): random seeds, many more examples of both.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

settings.register_profile(
    "ci",
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "soak",
    max_examples=1500,
    database=None,  # a failure prints its seed and blob: rerun with @reproduce_failure
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(PROFILE)

# Lab runs take seconds each: few of them, and a failing one is reported as found, not shrunk.
LAB_EXAMPLES = int(
    os.environ.get("GENERATED_LAB_EXAMPLES") or {"ci": 1, "soak": 30}.get(PROFILE, 1)
)
lab_settings = settings(
    max_examples=LAB_EXAMPLES,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
