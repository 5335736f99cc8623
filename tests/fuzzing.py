"""Hypothesis profiles: reproducible in CI, randomized and longer on demand.

``conftest`` loads one when the suite starts:

- ``ci`` (chosen when the ``CI`` environment variable is set, as CI services and
  ``.ci/run`` do): ``derandomize=True``, so every run tries the same examples and CI
  never fails at random; a property that breaks on those examples breaks every time.
- ``dev`` (the default elsewhere): hypothesis' own randomized search, a new draw each run.
- ``long``: a separate, randomized hunt for new failures, ten times the examples of each
  property, run on purpose from time to time and not in CI::

      HYPOTHESIS_PROFILE=long python -m pytest -n 0 tests/test_importer.py \
          tests/test_spreadsheets.py tests/test_vietnamese.py tests/test_legacy_text.py

  A failure it finds is printed with its example (and a ``@reproduce_failure`` blob);
  add that example as an ordinary test beside the property before fixing it.

``HYPOTHESIS_PROFILE`` names a profile explicitly.  Properties give their usual number of
examples through ``examples(n)``, which the ``long`` profile scales.
"""
import os

from hypothesis import settings

PROFILES = {"ci": 1, "dev": 1, "long": 10}

settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
settings.register_profile("dev", derandomize=False)
settings.register_profile("long", derandomize=False, print_blob=True, max_examples=1000)


def profile_name(environ=os.environ):
    """The profile this run uses: ``$HYPOTHESIS_PROFILE``, else ``ci`` under CI."""
    name = environ.get("HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") else "dev")
    if name not in PROFILES:
        raise RuntimeError(f"HYPOTHESIS_PROFILE={name!r}: cho phép {', '.join(PROFILES)}")
    return name


def load():
    settings.load_profile(profile_name())


def examples(n):
    """A property's number of examples under the running profile."""
    return n * PROFILES[settings.get_current_profile_name()]
