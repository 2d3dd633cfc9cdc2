"""Helpers test modules share: skip off CI and fail on CI; run a coroutine beside Playwright."""

import asyncio
import concurrent.futures
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


def run_alone(coroutine, timeout=30.0):
    """Run ``coroutine`` to the end in a thread of its own (at most ``timeout`` s).

    The browser tests' Playwright (sync API) keeps an event loop running in the main
    thread for the whole session, where ``asyncio.run`` refuses to start another.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=timeout)
