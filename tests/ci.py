"""Skip off CI, fail on CI: what nothing CI can install may do (imported by test modules)."""

import os

import pytest


def in_ci():
    """Return True when running in CI, where nothing that CI can install may skip."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason):
    """Skip the test on a developer machine, fail it in CI."""
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)
