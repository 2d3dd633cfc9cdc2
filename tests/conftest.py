"""Fixtures shared by every test module: one headless Debian Chromium per session.

Playwright's sync API runs its own event loop, and a second ``sync_playwright()``
cannot start while one is open. The browser tests (``tests/e2e/``) and the
static pages' tests (``browser`` marker: ``tests/test_notes.py``,
``tests/test_recipes.py``) therefore share the one ``browser`` below instead of
each launching their own.

Without Chromium or Playwright the tests that need them skip with a message saying
how to install them -- except in CI (``CI=true``), where they fail.
"""

import pytest
from ci import in_ci, skip_or_fail
from e2e.servers import CHROMIUM_ARGS, chromium_path
from hypothesis import settings

# Property tests explore at random on a developer's machine (new counterexamples are
# welcome there: add each one found as an ``@example``), but CI must not flip on a lucky
# draw: under ``CI=true`` every property test replays the same derandomized examples.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", print_blob=True)

INSTALL_HINT = (
    "the browser tests need Debian's Chromium and Playwright for Python: "
    "`apt-get install -y chromium` and `pip install -e '.[test]'`"
)


settings.load_profile("ci" if in_ci() else "dev")


@pytest.fixture(scope="session")
def browser():
    """Yield a headless Debian Chromium driven by Playwright (skips without it)."""
    executable = chromium_path()
    if executable is None:
        skip_or_fail(f"Chromium is not installed; {INSTALL_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail(f"Playwright is not installed; {INSTALL_HINT}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
