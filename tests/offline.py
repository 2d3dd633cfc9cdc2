"""A static page opened in headless Chromium with the network cut off (imported by test modules)."""

import contextlib

LOCAL = ("file:", "data:", "blob:")


@contextlib.contextmanager
def offline_page(browser, path, viewport=None):
    """Open ``path`` in a context of its own where only local addresses load.

    ``viewport``: its size (``{"width": ..., "height": ...}``), Playwright's
    1280 × 720 when omitted. Yields the page and the list of addresses it asked
    for and was refused (the caller asserts it stays empty); the context closes
    on leaving.
    """
    blocked = []

    def only_local(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
    try:
        page = context.new_page()
        page.route("**/*", only_local)
        page.goto(path.as_uri(), wait_until="load")
        yield page, blocked
    finally:
        context.close()
