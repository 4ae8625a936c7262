"""Load the Hypothesis profile (``HYPOTHESIS_PROFILE``: ``ci`` or ``soak``) before any test."""

import gen_profiles  # noqa: F401  (registers and loads the profiles)
